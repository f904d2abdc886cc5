//! Where one invoice stands on the dunning ladder on a given day: the next step and its date,
//! or why nothing is due (not sent, disputed, paused by a promise, ladder finished).

use super::{OpenInvoice, StepContext};
use crate::calendar::BusinessCalendar;
use crate::date::add_days;
use crate::policy::{Anchor, Offender, Policy, Step};
use chrono::NaiveDate;

/// One invoice's position on the ladder on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LadderState {
    /// Issued but not sent: it must go out before anything else.
    NotSent,
    /// An open dispute pauses this invoice (and only this one).
    Disputed { since: NaiveDate },
    /// A promise to pay covers it until `until` (its date plus grace).
    Paused { until: NaiveDate },
    /// A payment plan kept so far covers it; its next instalment falls due on `next`.
    InPlan { plan: i64, next: Option<NaiveDate> },
    /// The customer said on `since` that it is paid: it waits until `until` while the money is
    /// looked for ([`crate::payment_claim::CLAIM_PAUSE_DAYS`]).
    SaidPaid { since: NaiveDate, until: NaiveDate },
    /// Step `index` falls due on `on` (on or before the day asked about: take it today).
    Due { index: usize, on: NaiveDate },
    /// Step `index` comes on `on` if nothing changes.
    Waiting { index: usize, on: NaiveDate },
    /// Every step has been taken or does not apply.
    Finished,
}

impl LadderState {
    /// The step to take today, if any.
    pub fn due_step(&self) -> Option<usize> {
        match self {
            Self::Due { index, .. } => Some(*index),
            _ => None,
        }
    }
}

/// The ladder state of `invoice` on `as_of` under `policy`.
pub fn position(
    as_of: NaiveDate,
    policy: &Policy,
    context: &StepContext,
    invoice: &OpenInvoice,
    calendar: &BusinessCalendar,
) -> LadderState {
    let Some(sent_on) = invoice.sent_on.filter(|sent| *sent <= as_of) else { return LadderState::NotSent };
    if let Some(since) = context.dispute_since(invoice) {
        return LadderState::Disputed { since };
    }
    if let Some((plan, next)) = context.plan_kept(invoice) {
        return LadderState::InPlan { plan, next };
    }
    if let Some((since, until)) = context.claim_pause(invoice, as_of) {
        return LadderState::SaidPaid { since, until };
    }
    let pause_until = context.promise_deadline(invoice);
    if let Some(until) = pause_until.filter(|until| *until >= as_of) {
        return LadderState::Paused { until };
    }
    let start = match &invoice.last_step {
        None => 0,
        Some(taken) => match policy.steps.iter().position(|s| s.name == taken.name) {
            Some(i) => after_alternatives(policy, i),
            None => return LadderState::Finished,
        },
    };
    let taken_today = invoice.last_step.as_ref().is_some_and(|taken| taken.on >= as_of);
    let candidates = policy
        .steps
        .iter()
        .enumerate()
        .skip(start)
        .filter(|(_, step)| applies(step, context, invoice) && !before_due_window_passed(step, as_of, invoice))
        .map(|(index, step)| {
            let on = scheduled(step, sent_on, invoice, calendar);
            (index, pause_until.map_or(on, |until| on.max(add_days(until, 1))), is_before_due(step))
        });
    // of several steps before the due date that fell due while nobody ran, only the latest is taken
    let mut due_before: Option<(usize, NaiveDate)> = None;
    for (index, on, before_due) in candidates {
        if on <= as_of && before_due && !taken_today {
            due_before = Some((index, on));
            continue;
        }
        if let Some((index, on)) = due_before {
            return LadderState::Due { index, on };
        }
        return match on <= as_of && !taken_today {
            true => LadderState::Due { index, on },
            // one step per invoice per day
            false => LadderState::Waiting { index, on: on.max(add_days(as_of, i64::from(taken_today))) },
        };
    }
    due_before.map_or(LadderState::Finished, |(index, on)| LadderState::Due { index, on })
}

/// The step after `taken`, passing over the adjacent steps that are its alternatives (one for
/// first lapses, the other for repeat offenders: a customer takes only one of them).
fn after_alternatives(policy: &Policy, taken: usize) -> usize {
    let offender = policy.steps[taken].conditions.offender;
    let mut next = taken + 1;
    while offender != Offender::Any
        && policy
            .steps
            .get(next)
            .is_some_and(|s| s.conditions.offender != Offender::Any && s.conditions.offender != offender)
    {
        next += 1;
    }
    next
}

/// Conditions: segment, first lapse or repeat offender, minimum owed.
fn applies(step: &Step, context: &StepContext, invoice: &OpenInvoice) -> bool {
    // a monthly statement speaks instead of the e-mail reminders
    if context.monthly_statement && step.channel == crate::policy::StepChannel::Email {
        return false;
    }
    let conditions = &step.conditions;
    let segment_ok = conditions.segments.is_empty()
        || context.segment.as_ref().is_some_and(|segment| conditions.segments.contains(segment));
    let offender_ok = match conditions.offender {
        Offender::Any => true,
        Offender::FirstLapse => !context.repeat_offender,
        Offender::RepeatOffender => context.repeat_offender,
    };
    segment_ok && offender_ok && conditions.amount_reached(context.owed(invoice.open.currency()))
}

/// Days after its date a receipt check still makes sense.
const RECEIPT_CHECK_WINDOW_DAYS: i64 = 7;

/// Steps meant for before the due date are pointless once it comes: a pre-due note asks to pay
/// *before* the date, so not on the day itself; a receipt check still makes sense on the due
/// date but not after it, nor more than a week late.
fn before_due_window_passed(step: &Step, as_of: NaiveDate, invoice: &OpenInvoice) -> bool {
    let stale_check = step.anchor == Anchor::Sent
        && invoice
            .sent_on
            .is_some_and(|sent| as_of > add_days(sent, i64::from(step.offset_days.max(0)) + RECEIPT_CHECK_WINDOW_DAYS));
    match step.anchor {
        Anchor::DueDate if step.offset_days < 0 => as_of >= invoice.due_date,
        Anchor::Sent => as_of > invoice.due_date || stale_check,
        _ => false,
    }
}

fn is_before_due(step: &Step) -> bool {
    step.anchor == Anchor::Sent || (step.anchor == Anchor::DueDate && step.offset_days < 0)
}

/// The day a step falls on, rolled to a business day. Steps after the due date never fall
/// before it.
fn scheduled(step: &Step, sent_on: NaiveDate, invoice: &OpenInvoice, calendar: &BusinessCalendar) -> NaiveDate {
    let offset = i64::from(step.offset_days);
    let on = match step.anchor {
        Anchor::Sent => return calendar.add_business_days(sent_on, step.offset_days.max(0).unsigned_abs()),
        Anchor::DueDate => add_days(invoice.due_date, offset),
        Anchor::PreviousStep => {
            let previous = invoice.last_step.as_ref().map_or(invoice.due_date, |taken| taken.on);
            // never before the day after the deadline the previous message gave
            let deadline = invoice.last_step.as_ref().and_then(|taken| taken.deadline);
            let after_deadline = deadline.map_or(invoice.due_date, |d| d).max(invoice.due_date);
            add_days(previous, offset).max(add_days(after_deadline, 1))
        }
    };
    calendar.on_or_after(on)
}
