//! Recording one payment received against an invoice (`overdue pay`, `POST /api/v1/payments`):
//! checked, recorded once under its reference, applied to the invoice and any excess to the
//! customer's other invoices or kept as credit, as the store's payment import does.

use crate::AppError;
use chrono::NaiveDate;
use overdue_core::ids::{InvoiceNumber, PaymentReference};
use overdue_core::import::Located;
use overdue_core::money::Money;
use overdue_core::payment::{Payment, PaymentMethod};
use overdue_core::refusal::{Ask, Refusal};
use overdue_store::{ImportOptions, Organisation, Store};

/// A payment as a person states it: amounts as written (`"1250.00"`), in the invoice's currency.
#[derive(Debug, Clone)]
pub struct PaymentReceived {
    pub invoice: String,
    pub amount: String,
    pub date: NaiveDate,
    /// `transfer`, `card`, `cheque`, `cash`, `direct_debit` or `other`.
    pub method: String,
    /// The bank's or the customer's reference; `None` makes one of invoice, date and amount, so
    /// the same payment stated twice is recorded once.
    pub reference: Option<String>,
}

/// What recording did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// False when a payment with this reference was already recorded: nothing changed.
    pub created: bool,
    pub reference: String,
    pub customer: String,
    pub customer_name: String,
    pub invoice: String,
    pub amount: Money,
    pub date: NaiveDate,
    /// What the invoice still owes after the payment.
    pub still_owed: Money,
    /// The part of the payment beyond what the invoice owed (zero when it fit).
    pub excess: Money,
    /// The early-payment discount the payment took, written off the invoice (zero when none).
    pub discount: Money,
    /// Of the excess, what is kept as the customer's credit in that currency after the other
    /// invoices took their share; `None` when nothing is kept.
    pub credit_kept: Option<Money>,
}

/// Records `received` against its invoice, once per reference.
///
/// Errors: [`AppError::NotFound`] for an invoice the books do not hold; [`AppError::Invalid`] for
/// an amount that is not positive money in the invoice's currency, an unknown method or a
/// reference that is not one; [`AppError::Refused`] when the books refuse the payment (a date
/// before the invoice, another currency…); store errors.
pub fn record(
    store: &mut dyn Store,
    organisation: &Organisation,
    received: &PaymentReceived,
) -> Result<Recorded, AppError> {
    let detail = store
        .invoice(organisation.id, &received.invoice)?
        .ok_or_else(|| AppError::NotFound { what: "invoice", key: received.invoice.clone() })?;
    let invoice = &detail.invoice;
    crate::past_day("date", received.date, organisation)?;
    if received.date < invoice.issue_date {
        return Err(AppError::Invalid {
            field: "date",
            reason: Refusal::PaidBeforeIssued {
                paid_on: received.date,
                number: invoice.number.to_string(),
                issued_on: invoice.issue_date,
            },
        });
    }
    let invalid = |field: &'static str, reason: String| AppError::Invalid { field, reason: reason.into() };
    if invoice.kind == overdue_core::invoice::InvoiceKind::CreditNote {
        return Err(invalid(
            "invoice",
            format!(
                "{} is a credit note: the customer is owed it; name the invoice the payment is for",
                invoice.number
            ),
        ));
    }
    let amount = Money::parse(&received.amount, invoice.currency).map_err(|e| invalid("amount", e.to_string()))?;
    if !amount.is_positive() {
        return Err(invalid("amount", format!("must be positive: {amount}")));
    }
    let method = PaymentMethod::parse(&received.method).ok_or_else(|| {
        invalid("method", format!("{:?}: use transfer, card, cheque, cash, direct_debit or other", received.method))
    })?;
    let reference = received
        .reference
        .clone()
        .unwrap_or_else(|| format!("{}/{}/{}", invoice.number, received.date, amount.to_decimal_string()));
    let payment = Payment {
        reference: PaymentReference::parse(&reference).map_err(|e| invalid("reference", e.to_string()))?,
        customer: invoice.customer.clone(),
        date: received.date,
        amount,
        method,
        invoice: Some(InvoiceNumber::parse(&received.invoice).map_err(|e| invalid("invoice", e.to_string()))?),
    };
    let mut rows = std::iter::once(Ok(Located { line: 1, value: payment }));
    let report = store.import_payments(organisation.id, &mut rows, ImportOptions { all_or_nothing: true })?;
    if let Some(rejection) = report.rejected.first() {
        return Err(AppError::Refused(format!("payment not recorded: {}", rejection.reason).into()));
    }
    let after = store
        .invoice(organisation.id, &received.invoice)?
        .ok_or_else(|| AppError::NotFound { what: "invoice", key: received.invoice.clone() })?;
    let created = report.created > 0;
    let applied = detail.open.amount_minor() - after.open.amount_minor();
    let beyond = if created { amount.amount_minor() - applied } else { 0 };
    let excess = Money::new(beyond.max(0), amount.currency());
    let discount = Money::new((-beyond).max(0), amount.currency());
    let credit_kept = if excess.is_positive() {
        let held = store.customer_credit(organisation.id, invoice.customer.as_str())?;
        held.into_iter().find(|m| m.currency() == amount.currency()).map(|left| left.min(excess).unwrap_or(left))
    } else {
        None
    };
    Ok(Recorded {
        created,
        reference,
        customer: invoice.customer.as_str().to_owned(),
        customer_name: detail.customer_name.clone(),
        invoice: invoice.number.as_str().to_owned(),
        amount,
        date: received.date,
        still_owed: after.open,
        excess,
        discount,
        credit_kept,
    })
}

/// Undoes payment `reference` recorded by mistake, on day `on`, by `by`, for `reason`: it stays on
/// record (on the timeline, taken back with the reason), the invoices it paid are open again and
/// the credit it left is gone. The invoices reopened.
///
/// Errors: [`AppError::Invalid`] for an empty reason or a day in the future; store refusals (no
/// such payment, undone already, or it came from a bank line: undo that line's match instead).
pub fn reverse(
    store: &mut dyn Store,
    organisation: &Organisation,
    reference: &str,
    (on, by, reason): (chrono::NaiveDate, &str, &str),
) -> Result<Vec<String>, AppError> {
    crate::past_day("on", on, organisation)?;
    crate::text("reason", reason)?;
    if reason.trim().is_empty() {
        return Err(AppError::Invalid { field: "reason", reason: Refusal::Empty(Ask::WhyPaymentUndone) });
    }
    let note = format!("undone by {by}: {}", reason.trim());
    Ok(store.reverse_payment(organisation.id, reference.trim(), on, &note)?)
}
