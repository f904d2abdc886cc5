//! What the store hands back: organisations, listings of customers and invoices, and the detail
//! of one invoice with the payments applied to it.

use chrono::NaiveDate;
use overdue_core::currency::Currency;
use overdue_core::ids::Country;
use overdue_core::invoice::{Invoice, InvoiceKind, InvoiceStatus};
use overdue_core::money::Money;
use overdue_core::payment::PaymentMethod;
use serde::Serialize;

/// The id of an organisation: every row of the books belongs to one.
pub type TenantId = i64;

/// A business using overdue (a tenant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: TenantId,
    pub name: String,
    pub country: Country,
    pub currency: Currency,
}

/// What `overdue init` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganisation {
    pub name: String,
    pub country: Country,
    pub currency: Currency,
}

/// How an import treats rejected rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Apply nothing if any row is rejected.
    pub all_or_nothing: bool,
}

/// Which slice of a long listing to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// At most this many rows; `None` for all.
    pub limit: Option<u32>,
}

/// Rows of a listing and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing<T> {
    pub rows: Vec<T>,
    pub total: u64,
}

/// A customer line in a listing: what they owe, per currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerSummary {
    pub code: String,
    pub legal_name: String,
    pub country: Country,
    pub currency: Currency,
    pub open_invoices: u64,
    /// Open balance per currency (empty when nothing is owed).
    pub open: Vec<Money>,
    /// Credit from over-payments per currency, not yet used against an invoice.
    pub credit: Vec<Money>,
}

/// Which invoices to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceFilter {
    pub open_only: bool,
    pub customer: Option<String>,
    pub page: Page,
}

/// An invoice line in a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceSummary {
    pub number: String,
    pub customer_code: String,
    pub customer_name: String,
    pub kind: InvoiceKind,
    pub status: InvoiceStatus,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub gross: Money,
    pub open: Money,
    pub terms: String,
}

/// A payment as applied to one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedPayment {
    pub reference: String,
    pub date: NaiveDate,
    pub method: PaymentMethod,
    pub amount: Money,
}

/// One invoice in full, with its open balance and the payments applied to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceDetail {
    pub invoice: Invoice,
    pub customer_name: String,
    pub open: Money,
    pub payments: Vec<AppliedPayment>,
}

/// What a daily run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RunReport {
    /// Customers looked at.
    pub customers: u64,
    /// Open invoices looked at.
    pub invoices: u64,
    /// Actions the engine planned for the day.
    pub planned: u64,
    /// Of those, actions new in the books (the rest were planned by an earlier run).
    pub created: u64,
}

/// A planned action as kept in the books.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAction {
    pub id: i64,
    pub customer_code: String,
    pub customer_name: String,
    pub due_on: NaiveDate,
    pub kind: String,
    pub reason: String,
    pub explanation: String,
    pub channel: Option<String>,
    pub tone: Option<String>,
    pub template: Option<String>,
    pub step: Option<String>,
    pub address_to: String,
    pub questions: Vec<String>,
    pub invoices: Vec<overdue_core::engine::ActionInvoice>,
    pub promise_id: Option<i64>,
    /// "open" or "done".
    pub status: String,
    pub done_on: Option<NaiveDate>,
    pub done_by: Option<String>,
}

/// One event in a customer's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub on: NaiveDate,
    /// A time of day, where one was recorded (UTC, `HH:MM`).
    pub time: Option<String>,
    /// invoice, payment, call, email, …, promise, dispute, action, credit_report.
    pub kind: String,
    pub text: String,
}
