//! Reports people act on, computed from the books as they stood on a day: the aging of what is
//! owed (per customer and currency, by how late), read the same by the command line and the API.

use crate::AppError;
use chrono::NaiveDate;
use overdue_core::aging::{AgingRow, OpenAmount, age};
use overdue_store::{InvoiceFilter, InvoiceSummary, Organisation, Page, Store};

/// What each customer owed on `as_of`, per currency, by aging bucket (an instalment invoice by
/// each unpaid instalment's own due date), with the credit each held then in that currency.
///
/// Errors: store errors.
pub fn aging(store: &mut dyn Store, organisation: &Organisation, as_of: NaiveDate) -> Result<Vec<AgingRow>, AppError> {
    crate::day("as_of", as_of)?;
    let invoices = open_invoices(store, organisation, None, as_of)?;
    let mut amounts = Vec::with_capacity(invoices.len());
    for invoice in &invoices {
        amounts.extend(open_amounts(store, organisation, invoice)?);
    }
    let credits = store
        .customers_on(organisation.id, as_of, None, None)?
        .into_iter()
        .flat_map(|c| c.credit.into_iter().map(move |money| (c.code.clone(), c.legal_name.clone(), money)));
    Ok(overdue_core::aging::with_credits(age(amounts, as_of), credits.collect::<Vec<_>>()))
}

/// The invoices open on `as_of` (as the books stood that day), of one customer or all.
///
/// Errors: store errors.
pub fn open_invoices(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: Option<String>,
    as_of: NaiveDate,
) -> Result<Vec<InvoiceSummary>, AppError> {
    let filter = InvoiceFilter { open_only: true, customer, page: Page { limit: None, offset: 0 }, as_of: Some(as_of) };
    Ok(store.invoices(organisation.id, &filter)?.rows)
}

/// What is open on an invoice, by due date: one amount per unpaid instalment for instalment
/// terms (30/60/90), else the whole open amount at its due date.
///
/// Errors: store errors.
pub fn open_amounts(
    store: &mut dyn Store,
    organisation: &Organisation,
    invoice: &InvoiceSummary,
) -> Result<Vec<OpenAmount>, AppError> {
    let whole = || OpenAmount {
        customer: invoice.customer_code.clone(),
        name: invoice.customer_name.clone(),
        due_date: invoice.due_date,
        open: invoice.open,
    };
    let instalments = overdue_core::terms::PaymentTerms::parse(&invoice.terms).is_ok_and(|t| t.is_instalments());
    let detail =
        if instalments && invoice.open.is_positive() { store.invoice(organisation.id, &invoice.number)? } else { None };
    let Some(detail) = detail else { return Ok(vec![whole()]) };
    Ok(detail
        .invoice
        .unpaid_instalments(invoice.open)
        .into_iter()
        .map(|due| OpenAmount { due_date: due.due_date, open: due.amount, ..whole() })
        .collect())
}
