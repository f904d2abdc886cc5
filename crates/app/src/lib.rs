//! overdue's use cases, between the edges (the command line, the server) and the books: run a
//! day, prepare a message as the books stand when it is sent, compute what a letter claims. The
//! rules live in `overdue-core`; this layer orchestrates core, store and notify, prints nothing
//! and parses no flags.

pub mod bank;
pub mod case;
pub mod claim;
pub mod clock;
pub mod credits;
pub mod customers;
pub mod day;
pub mod einvoices;
mod error;
pub mod followup;
pub mod import;
pub mod messages;
pub mod outbox;
pub mod payments;
pub mod pipeline;
pub mod plans;
pub mod portal;
pub mod reports;
pub mod said_paid;
pub mod schedule;
pub mod settings;
pub mod statement;
pub mod tokens;
pub mod transfer;
pub mod users;
pub mod work;

pub use error::AppError;
use overdue_core::refusal::Refusal;

/// A fact's day given for `field`: a business date no later than the organisation's today (a
/// payment, a conversation or a dispute cannot have happened tomorrow).
///
/// Errors: [`AppError::Invalid`] naming the field.
pub fn past_day(
    field: &'static str,
    day: chrono::NaiveDate,
    organisation: &overdue_store::Organisation,
) -> Result<chrono::NaiveDate, AppError> {
    let today = clock::today(organisation, chrono::Utc::now());
    if crate::day(field, day)? > today {
        return Err(AppError::Invalid { field, reason: Refusal::AfterToday { day, today } });
    }
    Ok(day)
}

/// Text given for `field`, held to the one rule for text in the books (`overdue_core::text`: no
/// control characters, no overlong field).
///
/// Errors: [`AppError::Invalid`] naming the field.
pub fn text(field: &'static str, value: &str) -> Result<(), AppError> {
    overdue_core::text::check(value).map_err(|e| AppError::Invalid { field, reason: Refusal::Text(e) })
}

/// `day` as given for `field`, checked to be a business date (years 1900 to 2999): what an edge
/// passes in already parsed (JSON) is held to the same rule as the files.
///
/// Errors: [`AppError::Invalid`] naming the field.
pub fn day(field: &'static str, day: chrono::NaiveDate) -> Result<chrono::NaiveDate, AppError> {
    overdue_core::date::within_years(day)
        .map_err(|_| AppError::Invalid { field, reason: Refusal::OutsideYears { day } })
}

/// The invoice `number` of `state`'s customer with something still open on it, for `field`.
///
/// Errors: [`AppError::Invalid`] naming the field, with [`Refusal::InvoiceSettled`] for an
/// invoice of theirs with nothing open, or [`Refusal::NotTheirInvoice`] for any other number;
/// store errors.
pub fn open_invoice<'a>(
    store: &mut dyn overdue_store::Store,
    organisation: &overdue_store::Organisation,
    (field, state): (&'static str, &'a overdue_core::engine::CustomerState),
    number: &str,
) -> Result<&'a overdue_core::engine::OpenInvoice, AppError> {
    let number = number.trim();
    if let Some(open) = state.invoices.iter().find(|i| i.number.as_str() == number && i.open.is_positive()) {
        return Ok(open);
    }
    let theirs = store.invoice(organisation.id, number)?.is_some_and(|d| d.invoice.customer == state.customer.code);
    let reason = if theirs {
        Refusal::InvoiceSettled { number: number.to_owned() }
    } else {
        Refusal::NotTheirInvoice { number: number.to_owned(), customer: state.customer.name.clone() }
    };
    Err(AppError::Invalid { field, reason })
}
