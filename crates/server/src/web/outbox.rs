//! The outbox page: the messages waiting to go, failed or uncertain (and, on asking, sent and
//! cancelled ones), each with its recipient, subject and state — a waiting one that asks for
//! nothing any more today said to be one that will not go; a failed or uncertain one sent again
//! or cancelled — the same decisions as the API and `overdue outbox`.

use super::forms::{Common, answered};
use super::i18n::Lang;
use super::pages::Shown;
use super::{Sent, Visitor, problem};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use overdue_app::outbox::NotAsked;
use overdue_core::engine::LeftOut;
use overdue_store::OutboxDecision;
use serde::{Deserialize, Serialize};

/// One message as the page lists it.
#[derive(Debug, Serialize)]
struct Message {
    id: i64,
    action_id: i64,
    customer: String,
    status: &'static str,
    recipient: String,
    subject: String,
    attempts: i64,
    last_error: Option<String>,
    sent_at: Option<String>,
    waits_for_approval: bool,
    /// Waiting, but its action asks for nothing any more today: why, in the visitor's words. The
    /// sender withdraws it when it comes to it; "plan today's work now" at once.
    will_not_go: Option<String>,
    /// Failed or uncertain: a person decides whether it goes again.
    decidable: bool,
    /// Not gone yet (waiting, failed or uncertain): it may be cancelled.
    cancellable: bool,
}

/// Why a waiting message asks for nothing any more, in `lang`'s words.
fn not_asked_said(lang: Lang, why: &NotAsked) -> String {
    match why {
        NotAsked::Superseded { count } => lang.fill("na_superseded", &[("count", &count.to_string())]),
        NotAsked::DueDatePassed { due_date } => lang.fill("na_due_date_passed", &[("due_date", &lang.day(*due_date))]),
        NotAsked::PlanInstalmentNotDue { plan, due_date } => {
            lang.fill("na_plan_instalment_not_due", &[("plan", &plan.to_string()), ("due_date", &lang.day(*due_date))])
        }
        NotAsked::NothingLeft(recheck) => {
            let reasons: Vec<String> = recheck
                .counted()
                .into_iter()
                .map(|(left_out, count)| {
                    let count = count.to_string();
                    match left_out {
                        LeftOut::Settled => lang.fill("left_out_settled", &[("count", &count)]),
                        LeftOut::Disputed => lang.fill("left_out_disputed", &[("count", &count)]),
                        LeftOut::Promised { until } => {
                            lang.fill("left_out_promised", &[("count", &count), ("until", &lang.day(until))])
                        }
                        LeftOut::HandedOver => lang.fill("left_out_handed_over", &[("count", &count)]),
                        LeftOut::SaidPaid { until } => {
                            lang.fill("left_out_said_paid", &[("count", &count), ("until", &lang.day(until))])
                        }
                        LeftOut::InPlan { plan } => {
                            lang.fill("left_out_in_plan", &[("count", &count), ("plan", &plan.to_string())])
                        }
                    }
                })
                .collect();
            lang.fill("na_nothing_left", &[("why", &reasons.join(", "))])
        }
    }
}

/// `GET /outbox` (`?show=all` adds the sent and cancelled ones).
pub async fn page(State(state): State<AppState>, visitor: Visitor, shown: Shown) -> Response {
    let tenant = visitor.caller.organisation.id;
    let all = shown.show.as_deref() == Some("all");
    let organisation = visitor.caller.organisation.clone();
    let lang = visitor.lang;
    let read = state
        .with_store(move |store| {
            let entries = store.outbox(tenant, all, 500)?;
            let today = overdue_app::clock::today(&organisation, chrono::Utc::now());
            // what a message not yet written says, and whether it still asks for anything today
            let mut said = std::collections::HashMap::new();
            for m in entries.iter().filter(|m| m.status == overdue_store::OutboxStatus::Queued) {
                let action = store.action(tenant, m.action_id)?;
                let stale = overdue_app::outbox::still_asked(store, &organisation, &action, today)?
                    .err()
                    .map(|why| not_asked_said(lang, &why));
                said.insert(m.id, (super::timeline::action_named(lang, &action), stale));
            }
            Ok((entries, said))
        })
        .await;
    let (entries, mut said) = match read {
        Ok(read) => read,
        Err(error) => return problem(&visitor, error),
    };
    let zone = overdue_app::clock::time_zone(&visitor.caller.organisation);
    let messages: Vec<Message> = entries
        .into_iter()
        .map(|m| {
            let sent_at = m.sent_at.map(|at| {
                let (day, time) = crate::api::local(&zone, at.date(), Some(at.format("%H:%M").to_string()));
                format!("{} {}", visitor.lang.day(day), time.unwrap_or_default())
            });
            use overdue_store::OutboxStatus::{Failed, Queued, Uncertain};
            let decidable = matches!(m.status, Failed | Uncertain);
            let cancellable = decidable || m.status == Queued;
            let (named, will_not_go) = said.remove(&m.id).unwrap_or_default();
            Message {
                waits_for_approval: m.awaits_approval() && will_not_go.is_none(),
                will_not_go,
                id: m.id,
                action_id: m.action_id,
                customer: m.customer,
                status: m.status.as_str(),
                recipient: m.recipient.unwrap_or_default(),
                subject: m.subject.unwrap_or(if named.is_empty() { m.what } else { named }),
                attempts: m.attempts,
                last_error: m.last_error,
                sent_at,
                decidable,
                cancellable,
            }
        })
        .collect();
    // an answer about a message no longer listed is said at the top
    let placed: Vec<String> = messages.iter().map(|m| format!("message-{}", m.id)).collect();
    visitor.page(
        "outbox.html",
        minijinja::context! {
            all => all,
            placed => placed,
            messages => minijinja::Value::from(minijinja::value::Serde(&messages)),
            answer => shown.answer(),
        },
    )
}

/// A decision about a failed or uncertain message.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    #[serde(flatten)]
    pub common: Common,
    /// retry or cancel.
    pub decision: String,
}

/// `POST /outbox/{id}/decide`: a failed or uncertain message sent again with the next send (check
/// first that it did not go), or cancelled (never sent).
pub async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Sent(form): Sent<DecisionForm>,
) -> Response {
    let said = visitor.lang.word(&format!("outbox_{}", form.decision));
    let decision = match form.decision.as_str() {
        "retry" => Some(OutboxDecision::Retry),
        "cancel" => Some(OutboxDecision::Cancel),
        _ => None,
    };
    let at = format!("message-{id}");
    let by = super::who(&visitor);
    answered(&state, &visitor, (&form.common, &at, &[]), move |store, caller| {
        let decision = decision.ok_or_else(|| crate::error::ApiError::bad_request("decision", "retry or cancel"))?;
        let now = chrono::Utc::now().naive_utc();
        overdue_app::outbox::decide(store, &caller.organisation, id, (decision, &by, now))?;
        Ok(format!("#{id}: {said}"))
    })
    .await
}
