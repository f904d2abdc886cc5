//! Statements of account, from the books: every invoice, credit note, payment and returned
//! payment of a customer as movements of their account, the statement of a period drawn from
//! them (`overdue_core::statement`), and the invoices open at its end.

use crate::AppError;
use chrono::{Datelike, NaiveDate};
use overdue_core::engine::ActionInvoice;
use overdue_core::refusal::Refusal;
use overdue_core::statement::{Movement, MovementKind, Statement, StatementError};
use overdue_store::{Organisation, Store, TimelineFacts};

/// The first day of a statement's period when none is given: the first day of the month before
/// the month of `to` (a statement sent on 1 December covers November and the day it is sent).
pub fn default_from(to: NaiveDate) -> NaiveDate {
    let first = to.with_day(1).unwrap_or(to);
    let before = first.pred_opt().unwrap_or(first);
    before.with_day(1).unwrap_or(before)
}

/// Every movement of `customer`'s account, from the books (invoices and credit notes on their
/// issue date, payments on the day received, payments taken back on the day they were).
///
/// Errors: [`AppError::Store`] for a customer the books do not hold.
pub fn movements(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &str,
) -> Result<Vec<Movement>, AppError> {
    let moved =
        |on, kind, document: &str, amount| Movement { on, kind, document: document.to_owned(), due_date: None, amount };
    let mut movements = Vec::new();
    for entry in store.timeline(organisation.id, customer)? {
        let movement = match &entry.facts {
            TimelineFacts::InvoiceIssued { number, gross, due_date } => {
                Movement { due_date: Some(*due_date), ..moved(entry.on, MovementKind::Invoice, number, *gross) }
            }
            TimelineFacts::CreditNoteIssued { number, gross } => {
                moved(entry.on, MovementKind::CreditNote, number, *gross)
            }
            TimelineFacts::Payment { amount, reference, .. } => {
                moved(entry.on, MovementKind::Payment, reference, *amount)
            }
            TimelineFacts::PaymentTakenBack { amount, reference, .. } => {
                moved(entry.on, MovementKind::PaymentReturned, reference, *amount)
            }
            _ => continue,
        };
        movements.push(movement);
    }
    Ok(movements)
}

/// `customer`'s statement of account from `from` to `to` (both included; `to` not after today).
///
/// Errors: [`AppError::Invalid`] for a day outside the years, `to` after today, or a period that
/// ends before it begins; [`AppError::Store`] for an unknown customer.
pub fn statement(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &str,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Statement, AppError> {
    crate::day("from", from)?;
    crate::past_day("to", to, organisation)?;
    let home = store
        .customer(organisation.id, customer)?
        .ok_or_else(|| AppError::NotFound { what: "customer", key: customer.to_owned() })?
        .currency;
    let movements = movements(store, organisation, customer)?;
    overdue_core::statement::statement(&movements, (from, to), home).map_err(|error| match error {
        StatementError::EndsBeforeItBegins { from, to } => {
            AppError::Invalid { field: "to", reason: Refusal::PeriodBackwards { from, to } }
        }
        other => AppError::Invalid { field: "to", reason: other.to_string().into() },
    })
}

/// Every invoice of `customer` open at the end of `on`, oldest due first, as a message lists it
/// (disputed and promised ones too: a statement shows the whole account).
///
/// Errors: store errors.
pub fn open_items(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &str,
    on: NaiveDate,
) -> Result<Vec<ActionInvoice>, AppError> {
    let state = store.customer_state(organisation.id, customer, on)?;
    let mut open: Vec<ActionInvoice> = state
        .invoices
        .iter()
        .filter(|i| i.open.is_positive() && i.issue_date <= on)
        .map(|i| ActionInvoice {
            number: i.number.clone(),
            open: i.open,
            due_date: i.due_date,
            days_overdue: (on - i.due_date).num_days(),
            step: None,
            fee: None,
        })
        .collect();
    open.sort_by(|a, b| (a.due_date, a.number.as_str()).cmp(&(b.due_date, b.number.as_str())));
    Ok(open)
}

/// Queues `customer`'s statement of account to go by e-mail on `today` (`overdue send` sends
/// it): true when queued now, false when one was already asked for that day.
///
/// Errors: [`AppError::Store`] for an unknown customer.
pub fn queue(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &str,
    today: NaiveDate,
) -> Result<bool, AppError> {
    let code = overdue_core::ids::CustomerCode::parse(customer)
        .map_err(|e| AppError::Invalid { field: "customer", reason: e.to_string().into() })?;
    let open = open_items(store, organisation, customer, today)?;
    let action = overdue_core::engine::statement_asked(&code, today, open);
    Ok(store.add_actions(organisation.id, customer, &[action])? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_without_a_period_covers_the_month_before_and_this_month_to_the_day() {
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day");
        assert_eq!(default_from(day("2026-12-01")), day("2026-11-01"));
        assert_eq!(default_from(day("2026-03-31")), day("2026-02-01"));
        assert_eq!(default_from(day("2026-01-15")), day("2025-12-01"));
    }
}
