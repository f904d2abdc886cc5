//! An organisation's day as the scheduler runs it: the daily run of every day not yet run (missed
//! days caught up in order, oldest first) once the organisation's local clock has reached the run
//! time, then its outbox sent. Each daily run is claimed first (`Store::claim_job`), so several
//! servers on one database run it once; a restart the same day repeats nothing.

use crate::AppError;
use crate::outbox::{Drain, Sender, Tally, drain};
use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use overdue_notify::Mailer;
use overdue_store::{JobState, Organisation, RunReport, Store};

/// The job name of the daily run in the jobs table.
pub const DAILY_RUN: &str = "daily_run";

/// How long a claim holds before another server may take the job over (a server that stopped
/// mid-run).
const LEASE: TimeDelta = TimeDelta::minutes(30);

/// How long after a failure the job is tried again.
const RETRY: TimeDelta = TimeDelta::minutes(10);

/// The most days caught up after a stop; older missed days are left to a person (`overdue run
/// --as-of`).
pub const CATCH_UP_DAYS_MAX: u64 = 31;

/// The days whose daily run is due when the organisation's local clock reads `local_now`: every
/// day after the last one done (at most [`CATCH_UP_DAYS_MAX`] back), up to today once `run_at` has
/// passed, else up to yesterday. With none done yet, only today (once `run_at` has passed): the
/// scheduler does not invent a history.
pub fn days_due(last_done: Option<NaiveDate>, local_now: NaiveDateTime, run_at: NaiveTime) -> Vec<NaiveDate> {
    let today = local_now.date();
    let newest = if local_now.time() >= run_at { Some(today) } else { today.pred_opt() };
    let Some(newest) = newest else { return Vec::new() };
    let oldest = match last_done {
        None => newest.max(today),
        Some(done) => done.succ_opt().unwrap_or(done).max(newest - Days::new(CATCH_UP_DAYS_MAX - 1)),
    };
    oldest.iter_days().take_while(|day| *day <= newest).collect()
}

/// What one pass did for one organisation.
#[derive(Debug, Default)]
pub struct Pass {
    /// The days this server ran, with what each run did.
    pub ran: Vec<(NaiveDate, RunReport)>,
    /// Days another server holds (or had finished meanwhile).
    pub held_elsewhere: Vec<NaiveDate>,
    /// Days whose run failed, and why (tried again after a pause).
    pub failed: Vec<(NaiveDate, String)>,
    /// The outbox, when mail is set up.
    pub mail: Option<Tally>,
}

/// Runs the organisation's due days as `worker` at `now`, then sends its mail when `mail` is
/// given. A day that fails is recorded and stops the catch-up (later days wait for it).
///
/// Errors: store errors around the jobs themselves; a failing daily run is recorded, not an error.
pub fn pass(
    store: &mut dyn Store,
    organisation: &Organisation,
    (now, run_at): (DateTime<Utc>, NaiveTime),
    worker: &str,
    mail: Option<(&Sender<'_>, &mut Mailer)>,
) -> Result<Pass, AppError> {
    let local = now.with_timezone(&crate::clock::time_zone(organisation)).naive_local();
    let utc = now.naive_utc();
    let mut pass = Pass::default();
    for day in days_due(store.last_done_day(organisation.id, DAILY_RUN)?, local, run_at) {
        if !store.claim_job(organisation.id, DAILY_RUN, day, worker, (utc, utc + LEASE))? {
            pass.held_elsewhere.push(day);
            continue;
        }
        match crate::day::run(store, organisation, day, &mut |_| {}) {
            Ok(report) => {
                let outcome = format!(
                    "{} customers, {} actions planned, {} new",
                    report.customers, report.planned, report.created
                );
                store.finish_job(organisation.id, DAILY_RUN, day, worker, (JobState::Done, &outcome), (utc, utc))?;
                pass.ran.push((day, report));
            }
            Err(error) => {
                let why = error.to_string();
                store.finish_job(
                    organisation.id,
                    DAILY_RUN,
                    day,
                    worker,
                    (JobState::Failed, &why),
                    (utc, utc + RETRY),
                )?;
                pass.failed.push((day, why));
                break;
            }
        }
    }
    if let Some((sender, mailer)) = mail {
        let clock = || chrono::Utc::now().naive_utc();
        let how = Drain { today: local.date(), clock: &clock, wall_clock: &clock, worker, limit: 500, pause: None };
        pass.mail = Some(drain(store, sender, mailer, &how)?);
    }
    Ok(pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap_or_default()
    }

    fn at(day: &str, hour: u32) -> NaiveDateTime {
        d(day).and_hms_opt(hour, 0, 0).unwrap_or_default()
    }

    #[test]
    fn the_days_due_catch_up_in_order_from_the_last_one_done() {
        let six = NaiveTime::from_hms_opt(6, 0, 0).unwrap_or_default();
        assert_eq!(days_due(None, at("2026-11-30", 5), six), Vec::<NaiveDate>::new(), "before the run time");
        assert_eq!(days_due(None, at("2026-11-30", 7), six), [d("2026-11-30")]);
        assert_eq!(days_due(Some(d("2026-11-30")), at("2026-11-30", 9), six), Vec::<NaiveDate>::new(), "done");
        assert_eq!(
            days_due(Some(d("2026-11-27")), at("2026-11-30", 7), six),
            [d("2026-11-28"), d("2026-11-29"), d("2026-11-30")],
            "a weekend stopped: caught up in order"
        );
        assert_eq!(days_due(Some(d("2026-11-27")), at("2026-11-30", 5), six), [d("2026-11-28"), d("2026-11-29")]);
        let long_ago = days_due(Some(d("2025-01-01")), at("2026-11-30", 7), six);
        assert_eq!((long_ago.len(), long_ago[0]), (31, d("2026-10-31")), "at most 31 days back");
    }
}
