//! The daily run: credits applied first (so nobody is chased for what a credit note or an
//! over-payment already covers), then every customer planned for the day by the engine under
//! the organisation's policy book and working calendar, and the actions saved with their
//! messages queued. Running the same day twice creates nothing new.

use crate::AppError;
use chrono::{Datelike, NaiveDate};
use overdue_core::calendar::BusinessCalendar;
use overdue_core::engine::{self, CustomerState};
use overdue_core::holidays::public_holidays;
use overdue_store::{Organisation, RunReport, Store};

/// The organisation's working days around `as_of`: weekends, the national public holidays of its
/// country (where overdue knows them) and its own closing days are off.
pub fn calendar(
    store: &mut dyn Store,
    organisation: &Organisation,
    as_of: NaiveDate,
) -> Result<BusinessCalendar, AppError> {
    let mut closed = store.closing_days(organisation.id)?;
    for year in as_of.year() - 1..=as_of.year() + 1 {
        closed.extend(public_holidays(organisation.country, year).unwrap_or_default());
    }
    Ok(BusinessCalendar::new(closed))
}

/// Today planned now, at a person's asking (the pages' "plan today's work now"): [`run`], then
/// the messages waiting to go that ask for nothing any more are withdrawn
/// ([`crate::outbox::withdraw_stale`]), so the work list and the outbox say only what will go.
/// (The scheduled run leaves that to the sender, which withdraws each such message as it comes
/// to it: over a million invoices a check of every waiting message each morning would cost more
/// than the run.)
///
/// Errors: as [`run`].
pub fn plan_now(
    store: &mut dyn Store,
    organisation: &Organisation,
    today: NaiveDate,
) -> Result<(RunReport, u64), AppError> {
    let report = run(store, organisation, today, &mut |_| {})?;
    let withdrawn = crate::outbox::withdraw_stale(store, organisation, today, None)?;
    Ok((report, withdrawn))
}

/// Plans `as_of` for every customer and saves the actions; `progress` hears after each batch.
pub fn run(
    store: &mut dyn Store,
    organisation: &Organisation,
    as_of: NaiveDate,
    progress: &mut dyn FnMut(&RunReport),
) -> Result<RunReport, AppError> {
    let tenant = organisation.id;
    store.settle_credits(tenant)?;
    let book = store.policy_book(tenant)?;
    let calendar = calendar(store, organisation, as_of)?;
    let mut planner = |state: &CustomerState| engine::plan(as_of, state, &book, &calendar);
    Ok(store.run_day(tenant, as_of, &mut planner, progress)?)
}
