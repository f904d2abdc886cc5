//! Read queries shared by both backends, and the turning of their rows into core values.
//! Placeholders are `$1, $2, …`, first used in increasing order: PostgreSQL numbers them, and
//! SQLite numbers `$name` parameters in order of first appearance, so both bind positionally.

use crate::model::*;
use crate::{StoreError, stored};
use chrono::NaiveDate;
use overdue_core::customer::{Agreement, Contact, ContactRole, CreditProfile, CreditReport, Customer};
use overdue_core::ids::{CustomerCode, Email, InvoiceNumber};
use overdue_core::invoice::{Invoice, Totals};
use overdue_core::money::Money;

pub(crate) const CUSTOMER_SUMMARIES: &str = "
    SELECT c.code, c.legal_name, c.country, c.currency, i.currency,
           COUNT(i.id), CAST(COALESCE(SUM(i.open_minor), 0) AS BIGINT)
    FROM (SELECT * FROM customers WHERE tenant_id = $1 ORDER BY code LIMIT $2 OFFSET $3) c
    LEFT JOIN invoices i ON i.tenant_id = c.tenant_id AND i.customer_id = c.id
                        AND i.open_minor <> 0 AND i.status <> 'cancelled'
    GROUP BY c.tenant_id, c.id, c.code, c.legal_name, c.country, c.currency, i.currency
    ORDER BY c.code, i.currency";

/// Credit left by over-payments, per customer and currency: `$1` tenant, `$2` a customer code
/// or null for all.
pub(crate) const CUSTOMER_CREDITS: &str = "
    SELECT c.code, p.currency, CAST(SUM(p.unallocated_minor) AS BIGINT)
    FROM payments p JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id
    WHERE p.tenant_id = $1 AND p.unallocated_minor <> 0 AND (CAST($2 AS TEXT) IS NULL OR c.code = $2)
    GROUP BY c.code, p.currency
    ORDER BY c.code, p.currency";

/// One summary per listed customer: balances per currency, then credits from over-payments.
pub(crate) fn customer_summaries(
    balances: Vec<CustomerBalanceRow>,
    credits: Vec<(String, String, i64)>,
) -> Result<Vec<CustomerSummary>, StoreError> {
    let mut summaries = fold_customer_balances(balances)?;
    add_credits(&mut summaries, credits)?;
    Ok(summaries)
}

/// Folds credit rows into each listed customer's `credit`.
fn add_credits(summaries: &mut [CustomerSummary], credits: Vec<(String, String, i64)>) -> Result<(), StoreError> {
    for (code, currency, minor) in credits {
        if let Some(summary) = summaries.iter_mut().find(|s| s.code == code) {
            summary.credit.push(Money::new(minor, stored::currency(&currency)?));
        }
    }
    Ok(())
}

/// Turns credit rows of one customer into amounts.
pub(crate) fn credits(rows: Vec<(String, String, i64)>) -> Result<Vec<Money>, StoreError> {
    rows.into_iter().map(|(_, currency, minor)| Ok(Money::new(minor, stored::currency(&currency)?))).collect()
}

pub(crate) const CUSTOMER: &str = "
    SELECT id, code, legal_name, tax_id, country, language, currency, address, payment_terms,
           dispute_procedure, late_interest_clause, deliverables, credit_limit_minor, prepayment_required,
           contract_date, agri_food
    FROM customers WHERE tenant_id = $1 AND code = $2";

pub(crate) const CONTACTS: &str =
    "SELECT name, role, email, phone FROM contacts WHERE tenant_id = $1 AND customer_id = $2 ORDER BY id";

pub(crate) const CREDIT_REPORTS: &str = "
    SELECT source, rating, report_date, advised_limit_minor FROM credit_reports
    WHERE tenant_id = $1 AND customer_id = $2 ORDER BY report_date, id";

pub(crate) const INVOICE: &str = "
    SELECT i.id, i.number, c.code, c.legal_name, i.kind, i.status, i.issue_date, i.supply_from, i.supply_to,
           i.delivery_place, i.sent_on, i.currency, i.net_minor, i.tax_minor, i.gross_minor, i.open_minor,
           i.terms, CAST(i.lines AS TEXT), CAST(i.instalments AS TEXT), i.corrects,
           i.payment_reference
    FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
    WHERE i.tenant_id = $1 AND i.number = $2";

/// The payments applied to one invoice. `CROSS JOIN` makes SQLite start from the invoice's
/// allocations (without table statistics it would rather walk every payment in date order);
/// PostgreSQL plans it as any join.
pub(crate) const APPLIED_PAYMENTS: &str = "
    SELECT p.reference, p.payment_date, p.method, a.amount_minor, a.discount_minor
    FROM allocations a CROSS JOIN payments p
    WHERE p.tenant_id = a.tenant_id AND p.id = a.payment_id AND a.tenant_id = $1 AND a.invoice_id = $2
    ORDER BY p.payment_date, p.id";

/// The count and list queries for an invoice listing: `$1` tenant, `$2` customer code or null,
/// and for the list `$3` the row limit.
pub(crate) fn invoice_listing(filter: &InvoiceFilter) -> (String, String) {
    // a day is written by us as YYYY-MM-DD, never taken from user text: safe as a literal
    let (open_minor, issued) = match filter.as_of {
        None => ("i.open_minor".to_owned(), String::new()),
        Some(day) => (crate::past::open_minor_on(day), format!(" AND i.issue_date <= '{day}'")),
    };
    let open =
        if filter.open_only { format!(" AND {open_minor} <> 0 AND i.status <> 'cancelled'") } else { String::new() };
    // one customer: its code alone, so the planner walks that customer's invoices (an `IS NULL OR`
    // on the parameter makes SQLite scan every invoice of the books)
    let customer = if filter.customer.is_some() { "c.code = $2" } else { "CAST($2 AS TEXT) IS NULL" };
    let from = format!(
        "FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
         WHERE i.tenant_id = $1 AND {customer}{issued}{open}"
    );
    let count = format!("SELECT COUNT(*) {from}");
    let list = format!(
        "SELECT i.number, c.code, c.legal_name, i.kind, i.status, i.issue_date, i.due_date, i.currency,
                i.gross_minor, {open_minor}, i.terms {from} ORDER BY i.due_date, i.number LIMIT $3 OFFSET $4"
    );
    (count, list)
}

pub(crate) struct CustomerBalanceRow {
    pub code: String,
    pub legal_name: String,
    pub country: String,
    pub currency: String,
    pub invoice_currency: Option<String>,
    pub open_invoices: i64,
    pub open_minor: i64,
}

/// Folds one row per (customer, currency) into one summary per customer.
fn fold_customer_balances(rows: Vec<CustomerBalanceRow>) -> Result<Vec<CustomerSummary>, StoreError> {
    let mut summaries: Vec<CustomerSummary> = Vec::new();
    for row in rows {
        if summaries.last().is_none_or(|last| last.code != row.code) {
            summaries.push(CustomerSummary {
                code: row.code.clone(),
                legal_name: row.legal_name.clone(),
                country: stored::country(&row.country)?,
                currency: stored::currency(&row.currency)?,
                open_invoices: 0,
                open: Vec::new(),
                credit: Vec::new(),
            });
        }
        let Some(summary) = summaries.last_mut() else {
            continue;
        };
        if let Some(currency) = row.invoice_currency {
            summary.open_invoices += row.open_invoices as u64;
            summary.open.push(Money::new(row.open_minor, stored::currency(&currency)?));
        }
    }
    Ok(summaries)
}

pub(crate) struct CustomerRow {
    pub id: i64,
    pub code: String,
    pub legal_name: String,
    pub tax_id: Option<String>,
    pub country: String,
    pub language: String,
    pub currency: String,
    pub address: Option<String>,
    pub payment_terms: Option<String>,
    pub dispute_procedure: Option<String>,
    pub late_interest_clause: Option<String>,
    pub deliverables: Option<String>,
    pub credit_limit_minor: Option<i64>,
    pub prepayment_required: bool,
    pub contract_date: Option<NaiveDate>,
    pub agri_food: bool,
}

pub(crate) type ContactRow = (String, String, Option<String>, Option<String>);
pub(crate) type CreditReportRow = (String, String, NaiveDate, Option<i64>);

pub(crate) fn build_customer(
    row: CustomerRow,
    contacts: Vec<ContactRow>,
    reports: Vec<CreditReportRow>,
) -> Result<Customer, StoreError> {
    let currency = stored::currency(&row.currency)?;
    let contacts = contacts
        .into_iter()
        .map(|(name, role, email, phone)| {
            Ok(Contact {
                name,
                role: ContactRole::parse(&role).ok_or_else(|| StoreError::corrupt("contact role", &role))?,
                email: stored::opt(email)
                    .map(|e| Email::parse(&e))
                    .transpose()
                    .map_err(|e| StoreError::corrupt("e-mail", e))?,
                phone: stored::opt(phone),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let reports = reports
        .into_iter()
        .map(|(source, rating, date, limit)| CreditReport {
            source,
            rating,
            date,
            advised_limit: limit.map(|minor| Money::new(minor, currency)),
        })
        .collect();
    Ok(Customer {
        code: CustomerCode::parse(&row.code).map_err(|e| StoreError::corrupt("customer code", e))?,
        legal_name: row.legal_name,
        tax_id: stored::opt(row.tax_id),
        country: stored::country(&row.country)?,
        language: stored::language(&row.language)?,
        currency,
        address: stored::opt(row.address),
        contacts,
        agreement: Agreement {
            payment_terms: stored::opt(row.payment_terms).map(|t| stored::terms(&t)).transpose()?,
            dispute_procedure: stored::opt(row.dispute_procedure),
            late_interest_clause: stored::opt(row.late_interest_clause),
            deliverables: stored::opt(row.deliverables),
            contract_date: row.contract_date,
            agri_food: row.agri_food,
        },
        credit: CreditProfile {
            credit_limit: row.credit_limit_minor.map(|minor| Money::new(minor, currency)),
            reports,
            prepayment_required: row.prepayment_required,
        },
    })
}

pub(crate) struct InvoiceSummaryRow {
    pub number: String,
    pub customer_code: String,
    pub customer_name: String,
    pub kind: String,
    pub status: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub currency: String,
    pub gross_minor: i64,
    pub open_minor: i64,
    pub terms: String,
}

impl InvoiceSummaryRow {
    pub(crate) fn into_summary(self) -> Result<InvoiceSummary, StoreError> {
        let currency = stored::currency(&self.currency)?;
        Ok(InvoiceSummary {
            number: self.number,
            customer_code: self.customer_code,
            customer_name: self.customer_name,
            kind: stored::kind(&self.kind)?,
            status: stored::status(&self.status)?,
            issue_date: self.issue_date,
            due_date: self.due_date,
            gross: Money::new(self.gross_minor, currency),
            open: Money::new(self.open_minor, currency),
            terms: self.terms,
        })
    }
}

pub(crate) struct InvoiceRow {
    pub id: i64,
    pub number: String,
    pub customer_code: String,
    pub customer_name: String,
    pub kind: String,
    pub status: String,
    pub issue_date: NaiveDate,
    pub supply_from: Option<NaiveDate>,
    pub supply_to: Option<NaiveDate>,
    pub delivery_place: Option<String>,
    pub sent_on: Option<NaiveDate>,
    pub currency: String,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub gross_minor: i64,
    pub open_minor: i64,
    pub terms: String,
    pub lines: String,
    pub instalments: String,
    pub corrects: Option<String>,
    pub payment_reference: Option<String>,
}

pub(crate) type AppliedPaymentRow = (String, NaiveDate, String, i64, i64);

pub(crate) fn build_invoice(row: InvoiceRow, payments: Vec<AppliedPaymentRow>) -> Result<InvoiceDetail, StoreError> {
    let currency = stored::currency(&row.currency)?;
    let money = |minor| Money::new(minor, currency);
    let payments = payments
        .into_iter()
        .map(|(reference, date, method, amount, written_off)| {
            Ok(AppliedPayment {
                reference,
                date,
                method: stored::method(&method)?,
                amount: money(amount),
                written_off: money(written_off),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let invoice = Invoice {
        number: InvoiceNumber::parse(&row.number).map_err(|e| StoreError::corrupt("invoice number", e))?,
        customer: CustomerCode::parse(&row.customer_code).map_err(|e| StoreError::corrupt("customer code", e))?,
        kind: stored::kind(&row.kind)?,
        issue_date: row.issue_date,
        supply_from: row.supply_from,
        supply_to: row.supply_to,
        delivery_place: stored::opt(row.delivery_place),
        currency,
        lines: stored::parse_lines(&row.lines)?,
        terms: stored::terms(&row.terms)?,
        totals: Totals { net: money(row.net_minor), tax: money(row.tax_minor), gross: money(row.gross_minor) },
        instalments: stored::parse_instalments(&row.instalments, currency)?,
        status: stored::status(&row.status)?,
        sent_on: row.sent_on,
        corrects: row
            .corrects
            .map(|n| InvoiceNumber::parse(&n))
            .transpose()
            .map_err(|e| StoreError::corrupt("invoice number", e))?,
        payment_reference: row.payment_reference,
    };
    Ok(InvoiceDetail { invoice, customer_name: row.customer_name, open: money(row.open_minor), payments })
}
