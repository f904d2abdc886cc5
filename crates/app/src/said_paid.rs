//! The customer says an invoice is already paid: what they say is checked and kept as a payment
//! claim; the next run pauses that invoice for a few days and puts a task on the work list to
//! look for the money (nothing is settled until the money is seen).

use crate::AppError;
use chrono::{NaiveDate, NaiveDateTime};
use overdue_core::money::Money;
use overdue_core::payment_claim::PaymentClaim;
use overdue_core::refusal::Refusal;
use overdue_store::{Organisation, Store};

/// A claim of payment as the customer states it.
#[derive(Debug, Clone)]
pub struct ClaimStated {
    pub customer: String,
    pub invoice: String,
    /// The day they say they paid.
    pub paid_on: NaiveDate,
    /// How much, written with its decimals in the invoice's currency, e.g. `"1500.00"`.
    pub amount: String,
    /// The reference they quoted, or their bank's number for the transfer.
    pub reference: Option<String>,
    /// The day they say it.
    pub made_on: NaiveDate,
}

/// Keeps the claim that an open invoice of the customer is paid, said by `by` at `now`; returns
/// it with its id.
///
/// Errors: [`AppError::Invalid`] as [`crate::open_invoice`] for an invoice not open on their
/// account; [`Refusal::PaidAboveOpen`] for more than it has open; [`Refusal::AfterToday`] or [`Refusal::PaidBeforeIssued`] for the day paid;
/// [`Refusal::PaidNothing`] or a parse error for the amount; the text rule for the reference;
/// [`Refusal::AlreadySaidPaid`] while an earlier claim on it still pauses it. Nothing is kept then.
pub fn record(
    store: &mut dyn Store,
    organisation: &Organisation,
    stated: &ClaimStated,
    (by, now): (&str, NaiveDateTime),
) -> Result<PaymentClaim, AppError> {
    let invalid = |field: &'static str, reason: Refusal| AppError::Invalid { field, reason };
    let state = store.customer_state(organisation.id, &stated.customer, stated.made_on)?;
    let number = stated.invoice.trim();
    let invoice = crate::open_invoice(store, organisation, ("invoice", &state), number)?;
    crate::past_day("paid_on", stated.paid_on, organisation)?;
    if stated.paid_on < invoice.issue_date {
        let refusal = Refusal::PaidBeforeIssued {
            paid_on: stated.paid_on,
            number: number.to_owned(),
            issued_on: invoice.issue_date,
        };
        return Err(invalid("paid_on", refusal));
    }
    let currency = invoice.open.currency();
    let amount = Money::parse(stated.amount.trim(), currency).map_err(|e| invalid("amount", e.to_string().into()))?;
    if !amount.is_positive() {
        return Err(invalid("amount", Refusal::PaidNothing { amount }));
    }
    if amount.amount_minor() > invoice.open.amount_minor() {
        let refusal = Refusal::PaidAboveOpen { amount, open: invoice.open, number: number.to_owned() };
        return Err(invalid("amount", refusal));
    }
    let reference = stated.reference.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if let Some(reference) = reference {
        crate::text("reference", reference)?;
    }
    if let Some(earlier) = state.claims.iter().find(|c| c.invoice == invoice.number && c.pauses_on(stated.made_on)) {
        return Err(invalid("invoice", Refusal::AlreadySaidPaid { number: number.to_owned(), on: earlier.made_on }));
    }
    let mut claim = PaymentClaim {
        id: 0,
        invoice: invoice.number.clone(),
        paid_on: stated.paid_on,
        amount,
        reference: reference.map(str::to_owned),
        made_on: stated.made_on,
    };
    claim.id = store.record_payment_claim(organisation.id, (&stated.customer, &claim), (by, now))?;
    // someone is asked to look for the money now, not at the next run
    let task = overdue_core::engine::claim_task(&state.customer, &claim, invoice, stated.made_on);
    store.add_actions(organisation.id, &stated.customer, &[task])?;
    Ok(claim)
}
