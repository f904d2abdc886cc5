//! The scheduler inside `overdue serve`: every tick, for every organisation in the books, the
//! pass of `overdue_app::schedule` — its due daily runs (claimed, so several servers run each once)
//! and then its outbox, when mail is set up. It runs on the blocking pool like any request and
//! stops with the server.

use crate::state::AppState;
use chrono::NaiveTime;
use overdue_app::outbox::Sender;
use overdue_core::rates::RateTable;
use overdue_notify::{Mailer, Templates};
use std::time::Duration;

/// How the scheduler runs.
#[derive(Clone)]
pub struct Schedule {
    /// The local time of day each organisation's daily run is due.
    pub run_at: NaiveTime,
    /// How often the scheduler looks.
    pub tick: Duration,
    /// This server's name in the jobs table (`host:pid`).
    pub worker: String,
    /// The SMTP server that sends the outbox, e.g. `smtp://mail.example:587` (see `overdue send
    /// --help`); `None`: messages wait.
    pub smtp_url: Option<String>,
}

/// The organisations already warned of something that stops their mail.
type Warned = std::sync::Arc<std::sync::Mutex<std::collections::HashSet<i64>>>;

/// Ticks until `stop` resolves.
pub async fn run(state: AppState, schedule: Schedule, stop: tokio::sync::watch::Receiver<bool>) {
    let mut ticker = tokio::time::interval(schedule.tick);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut stop = stop;
    // what was said once need not be said every tick
    let warned: Warned = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashSet::new()));
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = stop.changed() => break,
        }
        let (schedule, messages) = (schedule.clone(), (state.templates.clone(), state.rates.clone()));
        let warned = warned.clone();
        let pass = state.with_store(move |store| {
            tick(store, &schedule, (&messages.0, &messages.1), &warned);
            Ok(())
        });
        if let Err(error) = pass.await {
            tracing::error!(reason = %error.reason, "scheduler pass failed");
        }
    }
    tracing::info!("scheduler stopped");
}

/// One pass over every organisation; each one's failure is logged and the others go on.
fn tick(
    store: &mut dyn overdue_store::Store,
    schedule: &Schedule,
    (templates, rates): (&Templates, &RateTable),
    warned: &Warned,
) {
    let organisations = match store.organisations() {
        Ok(organisations) => organisations,
        Err(error) => return tracing::error!(%error, "scheduler cannot list the organisations"),
    };
    let now = chrono::Utc::now();
    for organisation in organisations {
        let mailer = schedule.smtp_url.as_ref().and_then(|url| mailer(store, &organisation, url, warned));
        let result = match mailer {
            Some(mut mailer) => {
                let sender = Sender { organisation: &organisation, templates, rates };
                let mail = Some((&sender, &mut mailer));
                overdue_app::schedule::pass(store, &organisation, (now, schedule.run_at), &schedule.worker, mail)
            }
            None => overdue_app::schedule::pass(store, &organisation, (now, schedule.run_at), &schedule.worker, None),
        };
        match result {
            Ok(pass) => {
                for (day, report) in &pass.ran {
                    tracing::info!(organisation = organisation.id, %day, planned = report.planned, created = report.created, "daily run");
                }
                for (day, why) in &pass.failed {
                    tracing::error!(organisation = organisation.id, %day, reason = %why, "daily run failed");
                }
                if let Some(tally) = pass.mail.filter(|t| t.sent + t.failed + t.later + t.held + t.withdrawn > 0) {
                    tracing::info!(
                        organisation = organisation.id,
                        sent = tally.sent,
                        failed = tally.failed,
                        later = tally.later,
                        held = tally.held,
                        withdrawn = tally.withdrawn,
                        "outbox"
                    );
                }
            }
            Err(error) => tracing::error!(organisation = organisation.id, %error, "scheduler pass failed"),
        }
    }
}

/// A mailer sending as the organisation (its letterhead e-mail); `None`, logged, without one.
fn mailer(
    store: &mut dyn overdue_store::Store,
    organisation: &overdue_store::Organisation,
    smtp_url: &str,
    warned: &Warned,
) -> Option<Mailer> {
    let email = store.letterhead(organisation.id).ok()?.email;
    let Some(email) = email else {
        let first = warned.lock().map(|mut warned| warned.insert(organisation.id)).unwrap_or(false);
        if first {
            tracing::warn!(
                organisation = organisation.id,
                "no e-mail on the letterhead: its messages wait (overdue letterhead email=…)"
            );
        }
        return None;
    };
    match Mailer::new(smtp_url, &format!("{} <{email}>", organisation.name)) {
        Ok(mailer) => Some(mailer),
        Err(error) => {
            tracing::error!(organisation = organisation.id, %error, "cannot reach the mail server");
            None
        }
    }
}
