//! The outbox and the letterhead, written once for both backends. The daily run queues one
//! message per e-mail action in the same transaction as the action. A sender claims one message
//! at a time and commits the claim before handing it to the SMTP server; it then records the
//! outcome: sent (the action is done and the message joins the contact log with its Message-ID),
//! a temporary failure (queued again for later), or a permanent one (on the customer's timeline,
//! the action left open for a person). A message left claimed by a sender that stopped is never
//! sent again by itself: it is flagged uncertain for a person to check.

use crate::error::StoreError;
use crate::model::{OutboxDecision, OutboxEntry, OutboxStatus, TenantId};
use crate::rows::{Row, Sql};
use chrono::{NaiveDate, NaiveDateTime};
use overdue_core::contact::{Channel, Direction, Interaction};
use overdue_core::letterhead::Letterhead;
use overdue_core::refusal::{MessageStates, Refusal};

/// Whether an action of this kind and channel is carried out by an e-mail.
pub(crate) fn is_emailed(kind: &str, channel: Option<&str>) -> bool {
    matches!(
        (kind, channel),
        ("send_invoice" | "broken_promise" | "prepayment" | "statement" | "plan_instalment_due", _)
            | ("step", Some("email" | "approver_escalation" | "final_demand"))
    )
}

/// Queues the message of a newly planned action (customer id, action id); `approval`: why a
/// person must approve it before it goes, if they must.
pub(crate) fn enqueue(
    sql: &mut dyn Sql,
    tenant: TenantId,
    (customer, action): (i64, i64),
    approval: Option<&str>,
) -> Result<(), StoreError> {
    sql.execute(
        "INSERT INTO outbox (tenant_id, action_id, customer_id, approval_reason) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, action_id) DO NOTHING",
        &[tenant.into(), action.into(), customer.into(), approval.map(str::to_owned).into()],
    )?;
    Ok(())
}

pub(crate) fn letterhead(sql: &mut dyn Sql, tenant: TenantId) -> Result<Letterhead, StoreError> {
    let mut rows = sql.rows("SELECT letterhead FROM organisations WHERE id = $1", &[tenant.into()])?;
    let text = rows.pop().map(|mut row| row.text()).ok_or(StoreError::UnknownOrganisation(tenant))?;
    serde_json::from_str(&text).map_err(|e| StoreError::corrupt("letterhead", e))
}

pub(crate) fn set_letterhead(sql: &mut dyn Sql, tenant: TenantId, letterhead: &Letterhead) -> Result<(), StoreError> {
    let text = serde_json::to_string(letterhead).map_err(|e| StoreError::corrupt("letterhead", e))?;
    if sql.execute("UPDATE organisations SET letterhead = $2 WHERE id = $1", &[tenant.into(), text.into()])? == 0 {
        return Err(StoreError::UnknownOrganisation(tenant));
    }
    Ok(())
}

/// Sets (or clears) the organisation's time zone.
pub(crate) fn set_time_zone(sql: &mut dyn Sql, tenant: TenantId, time_zone: Option<&str>) -> Result<(), StoreError> {
    let zone = time_zone.map(str::to_owned);
    match sql.execute("UPDATE organisations SET time_zone = $2 WHERE id = $1", &[tenant.into(), zone.into()])? {
        0 => Err(StoreError::UnknownOrganisation(tenant)),
        _ => Ok(()),
    }
}

/// The last day to pay an action's message gives, as it went out.
pub(crate) fn set_deadline(
    sql: &mut dyn Sql,
    tenant: TenantId,
    action: i64,
    deadline: Option<chrono::NaiveDate>,
) -> Result<(), StoreError> {
    sql.execute(
        "UPDATE actions SET deadline = $3 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), action.into(), deadline.into()],
    )?;
    Ok(())
}

const SELECT: &str = "SELECT o.id, o.action_id, c.code, o.status, o.attempts, o.next_attempt_at, o.recipient,
        o.subject, o.message_id, o.last_error, o.sent_at, a.due_on, o.approval_reason, o.approved_by, a.explanation
   FROM outbox o
   JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
   JOIN actions a ON a.tenant_id = o.tenant_id AND a.id = o.action_id";

fn entry(mut row: Row) -> Result<OutboxEntry, StoreError> {
    let (id, action_id, customer) = (row.int(), row.int(), row.text());
    let status = row.text();
    let status = OutboxStatus::parse(&status).ok_or_else(|| StoreError::corrupt("outbox status", status))?;
    let (attempts, next_attempt_at) = (row.int(), row.timestamp()?);
    let (recipient, subject, message_id, last_error) = (row.opt_text(), row.opt_text(), row.opt_text(), row.opt_text());
    let sent_at = match row.opt_text() {
        Some(text) => Some(parse_timestamp(&text)?),
        None => None,
    };
    let due_on = row.date()?;
    let (approval, approved_by) = (row.opt_text(), row.opt_text());
    let what = row.text();
    Ok(OutboxEntry {
        what,
        approval,
        approved_by,
        id,
        action_id,
        customer,
        status,
        attempts,
        next_attempt_at,
        recipient,
        subject,
        message_id,
        last_error,
        sent_at,
        due_on,
    })
}

fn parse_timestamp(text: &str) -> Result<NaiveDateTime, StoreError> {
    NaiveDateTime::parse_from_str(text, crate::rows::TIMESTAMP).map_err(|_| StoreError::corrupt("timestamp", text))
}

/// The outbox, newest first: what waits, what needs a person, and (with `all`) what went.
pub(crate) fn list(sql: &mut dyn Sql, tenant: TenantId, all: bool, limit: i64) -> Result<Vec<OutboxEntry>, StoreError> {
    let filter = if all { "" } else { " AND o.status IN ('queued', 'sending', 'failed', 'uncertain')" };
    sql.rows(
        &format!("{SELECT} WHERE o.tenant_id = $1{filter} ORDER BY o.id DESC LIMIT $2"),
        &[tenant.into(), limit.into()],
    )?
    .into_iter()
    .map(entry)
    .collect()
}

/// The messages waiting to go (queued) whose action is due by `day`, oldest first; of customer
/// `customer` only when given (through its key, not a walk over every waiting message).
pub(crate) fn queued(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: Option<&str>,
    day: NaiveDate,
) -> Result<Vec<OutboxEntry>, StoreError> {
    let whose = if customer.is_some() { "c.code = $3" } else { "CAST($3 AS TEXT) IS NULL" };
    sql.rows(
        &format!(
            "{SELECT} WHERE o.tenant_id = $1 AND o.status = 'queued' AND a.due_on <= $2 AND {whose} ORDER BY o.id"
        ),
        &[tenant.into(), day.into(), customer.map(str::to_owned).into()],
    )?
    .into_iter()
    .map(entry)
    .collect()
}

pub(crate) fn get(sql: &mut dyn Sql, tenant: TenantId, id: i64) -> Result<OutboxEntry, StoreError> {
    let mut rows = sql.rows(&format!("{SELECT} WHERE o.tenant_id = $1 AND o.id = $2"), &[tenant.into(), id.into()])?;
    rows.pop().map(entry).unwrap_or(Err(StoreError::NotFound { what: "message", key: id.to_string() }))
}

/// Messages a sender claimed before `before` and never reported on: flagged uncertain.
pub(crate) fn flag_stale(sql: &mut dyn Sql, tenant: TenantId, before: NaiveDateTime) -> Result<u64, StoreError> {
    sql.execute(
        "UPDATE outbox SET status = 'uncertain',
                last_error = 'the sender stopped while handing this message to the mail server: it may or may not have \
gone out; check the sent mail or ask the customer, then retry or cancel it'
          WHERE tenant_id = $1 AND status = 'sending' AND claimed_at <= $2",
        &[tenant.into(), before.into()],
    )
}

/// Claims the next message due (its action open and due by `now`), committed by the caller
/// before anything is sent.
pub(crate) fn claim(
    sql: &mut dyn Sql,
    tenant: TenantId,
    (now, day): (NaiveDateTime, chrono::NaiveDate),
    worker: &str,
) -> Result<Option<OutboxEntry>, StoreError> {
    let lock = if sql.is_postgres() { " FOR UPDATE OF o SKIP LOCKED" } else { "" };
    let claimed = sql.rows(
        &format!(
            "UPDATE outbox SET status = 'sending', claimed_at = $2, claimed_by = $3, attempts = attempts + 1
              WHERE tenant_id = $1 AND status = 'queued' AND id = (
                SELECT o.id FROM outbox o JOIN actions a ON a.tenant_id = o.tenant_id AND a.id = o.action_id
                 WHERE o.tenant_id = $1 AND o.status = 'queued' AND o.next_attempt_at <= $2
                   AND a.status = 'open' AND a.due_on <= $4
                   AND (o.approval_reason IS NULL OR o.approved_by IS NOT NULL)
                 ORDER BY o.next_attempt_at, o.id LIMIT 1{lock})
             RETURNING id"
        ),
        &[tenant.into(), now.into(), worker.into(), day.into()],
    )?;
    match claimed.into_iter().next() {
        Some(mut row) => get(sql, tenant, row.int()).map(Some),
        None => Ok(None),
    }
}

/// What is about to be handed to the SMTP server, recorded first.
pub(crate) fn prepare(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    recipient: &str,
    subject: &str,
    message_id: &str,
) -> Result<(), StoreError> {
    sql.execute(
        "UPDATE outbox SET recipient = $3, subject = $4, message_id = $5 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), recipient.into(), subject.into(), message_id.into()],
    )?;
    Ok(())
}

/// The SMTP server took the message: the action is done and the message joins the contact log.
pub(crate) fn delivered(sql: &mut dyn Sql, tenant: TenantId, id: i64, at: NaiveDateTime) -> Result<(), StoreError> {
    let message = get(sql, tenant, id)?;
    sql.execute(
        "UPDATE outbox SET status = 'sent', sent_at = $3, last_error = NULL WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), at.into()],
    )?;
    let note = format!(
        "e-mail to {} ({}), Message-ID {}",
        message.recipient.as_deref().unwrap_or("?"),
        message.subject.as_deref().unwrap_or(""),
        message.message_id.as_deref().unwrap_or("?")
    );
    let on = at.date().max(message.due_on);
    if crate::follow_up::action(sql, tenant, message.action_id)?.status == "done" {
        // done by hand while the message was on its way: the contact log still gets the e-mail
        let sent = email_note(at, message.recipient.clone(), format!("Sent {note}"), None);
        crate::follow_up::record_interaction(sql, tenant, &message.customer, &sent)?;
        return Ok(());
    }
    crate::follow_up::complete_action(sql, tenant, message.action_id, on, "overdue send", Some(&note))?;
    Ok(())
}

/// The message could not be sent: queued again at `retry_at`, or failed for good (recorded on the
/// customer's timeline; the action stays open for a person).
pub(crate) fn failed(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    error: &str,
    retry_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    if let Some(at) = retry_at {
        sql.execute(
            "UPDATE outbox SET status = 'queued', next_attempt_at = $3, last_error = $4 WHERE tenant_id = $1 AND id = $2",
            &[tenant.into(), id.into(), at.into(), error.into()],
        )?;
        return Ok(());
    }
    sql.execute(
        "UPDATE outbox SET status = 'failed', last_error = $3 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), error.into()],
    )?;
    let message = get(sql, tenant, id)?;
    let summary = format!("E-mail not delivered ({}): {error}", message.subject.as_deref().unwrap_or("message"));
    let outcome = format!("action {} stays open: reach the customer another way", message.action_id);
    let note = email_note(now, message.recipient.clone(), summary, Some(outcome));
    crate::follow_up::record_interaction(sql, tenant, &message.customer, &note)?;
    Ok(())
}

/// An outbound e-mail as the contact log records it.
fn email_note(at: NaiveDateTime, to: Option<String>, summary: String, outcome: Option<String>) -> Interaction {
    Interaction {
        at,
        channel: Channel::Email,
        direction: Direction::Outbound,
        contact: to,
        recorded_by: "overdue send".into(),
        summary,
        outcome,
        reason: None,
        reason_note: None,
        receipt_check: None,
        attachment: None,
        invoices: Vec::new(),
    }
}

/// The refusal of a change `allowed` only in other states than the message's.
fn not_waiting(message: &OutboxEntry, allowed: MessageStates) -> StoreError {
    let status = if message.status == OutboxStatus::Queued && allowed == MessageStates::Approve {
        "queued and approved already".to_owned()
    } else {
        message.status.as_str().to_owned()
    };
    StoreError::Refused(Refusal::MessageNotWaiting { id: message.id, status, allowed })
}

/// A person's decision on a failed or uncertain message: send it again, or not at all; a
/// message cancelled closes its action (nothing was sent: the work list no longer offers it).
pub(crate) fn decide(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    decision: OutboxDecision,
    (by, now): (&str, NaiveDateTime),
) -> Result<OutboxEntry, StoreError> {
    let message = get(sql, tenant, id)?;
    if !matches!(message.status, OutboxStatus::Failed | OutboxStatus::Uncertain | OutboxStatus::Queued) {
        return Err(not_waiting(&message, MessageStates::RetryOrCancel));
    }
    let (status, next) = match decision {
        OutboxDecision::Retry => ("queued", now),
        OutboxDecision::Cancel => ("cancelled", message.next_attempt_at),
    };
    sql.execute(
        "UPDATE outbox SET status = $3, next_attempt_at = $4 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), status.into(), next.into()],
    )?;
    if decision == OutboxDecision::Cancel {
        let note = format!("cancelled by {by}: nothing was sent");
        sql.execute(
            "UPDATE actions SET status = 'done', done_on = $3, done_by = $4, done_note = $5
              WHERE tenant_id = $1 AND id = $2 AND status = 'open'",
            &[tenant.into(), message.action_id.into(), now.date().max(message.due_on).into(), by.into(), note.into()],
        )?;
    }
    get(sql, tenant, id)
}

/// A person approves a queued message that waits for approval: the sender may send it.
pub(crate) fn approve(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    by: &str,
    at: NaiveDateTime,
) -> Result<OutboxEntry, StoreError> {
    let message = get(sql, tenant, id)?;
    // a message planned without approval may still be held when it is to go (a dispute opened
    // since, money waiting for review): a person who read it may let it go all the same
    if message.status != OutboxStatus::Queued || message.approved_by.is_some() {
        return Err(not_waiting(&message, MessageStates::Approve));
    }
    sql.execute(
        "UPDATE outbox SET approved_by = $3, approved_at = $4 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), by.into(), at.into()],
    )?;
    get(sql, tenant, id)
}

/// A person rejects a queued message: it is cancelled, and its action closed as rejected with
/// the reason (nothing was sent).
pub(crate) fn reject(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    by: &str,
    (reason, on): (&str, chrono::NaiveDate),
) -> Result<OutboxEntry, StoreError> {
    let message = get(sql, tenant, id)?;
    if !matches!(message.status, OutboxStatus::Queued | OutboxStatus::Failed | OutboxStatus::Uncertain) {
        return Err(not_waiting(&message, MessageStates::Reject));
    }
    let note = format!("rejected by {by}: {reason}");
    sql.execute(
        "UPDATE outbox SET status = 'cancelled', last_error = $3 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), note.clone().into()],
    )?;
    sql.execute(
        "UPDATE actions SET status = 'done', done_on = $3, done_by = $4, done_note = $5
          WHERE tenant_id = $1 AND id = $2 AND status = 'open'",
        &[tenant.into(), message.action_id.into(), on.max(message.due_on).into(), by.into(), note.into()],
    )?;
    get(sql, tenant, id)
}

/// A claimed message that must not go out as it stands: back in the queue, waiting for a
/// person's approval with `reason`.
pub(crate) fn hold(sql: &mut dyn Sql, tenant: TenantId, id: i64, reason: &str) -> Result<(), StoreError> {
    sql.execute(
        "UPDATE outbox SET status = 'queued', attempts = attempts - 1, approval_reason = $3, approved_by = NULL,
                approved_at = NULL
          WHERE tenant_id = $1 AND id = $2 AND status IN ('queued', 'sending')",
        &[tenant.into(), id.into(), reason.into()],
    )?;
    Ok(())
}

/// Why a queued message was cancelled when a person did its action by hand (they sent or said
/// it themselves: it counts as gone).
const DONE_BY_HAND: &str = "the action was done by hand";

/// An action done by hand no longer needs its queued message.
pub(crate) fn cancel_for_action(sql: &mut dyn Sql, tenant: TenantId, action: i64) -> Result<(), StoreError> {
    sql.execute(
        "UPDATE outbox SET status = 'cancelled', last_error = $3
          WHERE tenant_id = $1 AND action_id = $2 AND status = 'queued'",
        &[tenant.into(), action.into(), DONE_BY_HAND.into()],
    )?;
    Ok(())
}

/// A queued message with nothing left to ask on the sending day (everything it listed was paid,
/// credited, promised, disputed or handed over since it was planned): the message is cancelled
/// and its action closed without anything being sent, with the reason on the customer's
/// timeline.
pub(crate) fn withdraw(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    (reason, on): (&str, chrono::NaiveDate),
    step_not_taken: bool,
) -> Result<(), StoreError> {
    let message = get(sql, tenant, id)?;
    if !matches!(message.status, OutboxStatus::Queued | OutboxStatus::Sending) {
        return Err(not_waiting(&message, MessageStates::Withdraw));
    }
    if step_not_taken {
        forget_steps(sql, tenant, message.action_id)?;
    }
    let note = format!("withdrawn before sending: {reason}");
    sql.execute(
        "UPDATE outbox SET status = 'cancelled', last_error = $3 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), note.clone().into()],
    )?;
    sql.execute(
        "UPDATE actions SET status = 'done', done_on = $3, done_by = 'overdue send', done_note = $4
          WHERE tenant_id = $1 AND id = $2 AND status = 'open'",
        &[tenant.into(), message.action_id.into(), on.max(message.due_on).into(), note.into()],
    )?;
    Ok(())
}

/// Forgets the ladder step action `action` recorded on each of its invoices (by the step table's
/// key, not a scan): the step was never taken.
fn forget_steps(sql: &mut dyn Sql, tenant: TenantId, action: i64) -> Result<(), StoreError> {
    let planned = crate::follow_up::action(sql, tenant, action)?;
    let Some(step) = planned.step else { return Ok(()) };
    for invoice in &planned.invoices {
        sql.execute(
            "DELETE FROM invoice_steps
              WHERE tenant_id = $1 AND step = $2 AND action_id = $3
                AND invoice_id = (SELECT id FROM invoices WHERE tenant_id = $1 AND number = $4)",
            &[tenant.into(), step.as_str().into(), action.into(), invoice.number.as_str().into()],
        )?;
    }
    Ok(())
}

/// Whether the action's message was cancelled or withdrawn before the action was closed: then
/// closing it records nothing as sent.
pub(crate) fn message_cancelled(sql: &mut dyn Sql, tenant: TenantId, action: i64) -> Result<bool, StoreError> {
    let rows = sql.rows(
        "SELECT 1 FROM outbox WHERE tenant_id = $1 AND action_id = $2 AND status = 'cancelled'",
        &[tenant.into(), action.into()],
    )?;
    Ok(!rows.is_empty())
}

/// How many reminders, escalations and letters really went to the customer about every one of
/// `invoices` before action `action` (sent by overdue, or done by a person): the fewest any of
/// them had, so that a message says "despite our earlier reminder" only when each invoice it
/// lists had one. A message planned but cancelled or withdrawn does not count.
pub(crate) fn reminders_sent(
    sql: &mut dyn Sql,
    tenant: TenantId,
    action: i64,
    invoices: &[&str],
) -> Result<u32, StoreError> {
    let mut fewest: Option<usize> = None;
    for number in invoices {
        let rows = sql.rows(
            "SELECT DISTINCT s.action_id FROM invoice_steps s
               JOIN invoices i ON i.tenant_id = s.tenant_id AND i.id = s.invoice_id
               JOIN actions a ON a.tenant_id = s.tenant_id AND a.id = s.action_id
              WHERE s.tenant_id = $1 AND i.number = $2 AND s.action_id < $3 AND a.status = 'done'
                AND a.channel IN ('email', 'letter', 'final_demand', 'approver_escalation')
                AND a.reason NOT IN ('pre_due', 'receipt_check')
                AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.tenant_id = a.tenant_id AND o.action_id = a.id
                                   AND o.status = 'cancelled' AND COALESCE(o.last_error, '') <> $4)",
            &[tenant.into(), (*number).into(), action.into(), DONE_BY_HAND.into()],
        )?;
        fewest = Some(fewest.map_or(rows.len(), |least| least.min(rows.len())));
    }
    Ok(u32::try_from(fewest.unwrap_or(0)).unwrap_or(u32::MAX))
}
