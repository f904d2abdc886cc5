//! Correcting where a credit went: a person takes back what a credit note or an over-payment
//! paid of an invoice (the credit then waits, and is not applied again by itself), or applies a
//! credit to the invoice it is meant for. Each move is on the customer's timeline.

use crate::AppError;
use chrono::NaiveDateTime;
use overdue_core::money::Money;
use overdue_store::{Store, TenantId};

/// Applies credit `reference` (a credit note's number or a payment's reference) to invoice
/// `number`: `amount` (decimal text in the invoice's currency), or all it can. Returns what was
/// applied.
///
/// Errors: no such credit or invoice; another customer or currency; an amount that does not
/// parse; nothing to apply.
pub fn apply(
    store: &mut dyn Store,
    tenant: TenantId,
    (reference, number, amount): (&str, &str, Option<&str>),
    (by, at): (&str, NaiveDateTime),
) -> Result<Money, AppError> {
    let currency = invoice_currency(store, tenant, number)?;
    let amount_minor = match amount {
        Some(text) => Some(
            Money::parse(text, currency)
                .map_err(|e| AppError::Invalid { field: "amount", reason: e.to_string().into() })?,
        ),
        None => None,
    };
    let applied = store.apply_credit(tenant, reference, number, amount_minor.map(Money::amount_minor), by, at)?;
    Ok(Money::new(applied, currency))
}

/// Takes back what credit `reference` paid of invoice `number`. Returns what was taken back.
///
/// Errors: no such credit or invoice; the credit paid nothing of it.
pub fn unapply(
    store: &mut dyn Store,
    tenant: TenantId,
    (reference, number): (&str, &str),
    (by, at): (&str, NaiveDateTime),
) -> Result<Money, AppError> {
    let currency = invoice_currency(store, tenant, number)?;
    Ok(Money::new(store.unapply_credit(tenant, reference, number, by, at)?, currency))
}

fn invoice_currency(store: &mut dyn Store, tenant: TenantId, number: &str) -> Result<overdue_core::Currency, AppError> {
    let detail =
        store.invoice(tenant, number)?.ok_or_else(|| AppError::NotFound { what: "invoice", key: number.to_owned() })?;
    Ok(detail.invoice.currency)
}
