//! Send-time truth: what a message planned earlier may still ask on the day it goes out. Each
//! invoice it lists is looked at again in the customer's state of the sending day: one paid or
//! settled by a credit since, disputed, covered by a promise to pay not yet due, or a customer
//! handed to the agency, is left out; the others are asked for with their amounts and days
//! overdue of the sending day. A message left with nothing to ask is withdrawn.

use super::{ActionInvoice, CustomerState};
use crate::ids::InvoiceNumber;
use crate::policy::PolicyBook;
use chrono::NaiveDate;
use std::fmt;

/// Why an invoice a message listed is no longer asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    /// Paid, or settled by a credit note or credit, since the message was planned.
    Settled,
    /// An open dispute pauses it.
    Disputed,
    /// A promise to pay covers it until this day (its date plus the policy's grace).
    Promised { until: NaiveDate },
    /// The customer was handed to the collection agency.
    HandedOver,
    /// The customer said it is paid: it waits until this day while the money is looked for.
    SaidPaid { until: NaiveDate },
    /// A payment plan kept so far covers it.
    InPlan { plan: i64 },
}

impl fmt::Display for LeftOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Settled => write!(f, "paid or settled by a credit"),
            Self::Disputed => write!(f, "disputed"),
            Self::Promised { until } => write!(f, "promised (paused until {until})"),
            Self::HandedOver => write!(f, "handed over to the collection agency"),
            Self::SaidPaid { until } => write!(f, "said paid by the customer (waits until {until})"),
            Self::InPlan { plan } => write!(f, "in payment plan {plan}"),
        }
    }
}

/// What a message may still ask on the sending day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recheck {
    /// The invoices still asked for, with what is open and how late on the sending day.
    pub kept: Vec<ActionInvoice>,
    /// The invoices left out, and why.
    pub left_out: Vec<(InvoiceNumber, LeftOut)>,
}

impl Recheck {
    /// Nothing is left to ask: the message is withdrawn.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// Why the invoices left out are, in a sentence without their numbers (`2 paid or settled
    /// by a credit, 1 disputed`).
    pub fn reasons(&self) -> String {
        self.counted().iter().map(|(why, n)| format!("{n} {why}")).collect::<Vec<_>>().join(", ")
    }

    /// Each reason an invoice is left out for, with how many invoices it leaves out, in the
    /// order first met.
    pub fn counted(&self) -> Vec<(LeftOut, usize)> {
        let mut counted: Vec<(LeftOut, usize)> = Vec::new();
        for (_, why) in &self.left_out {
            match counted.iter_mut().find(|(w, _)| w == why) {
                Some((_, n)) => *n += 1,
                None => counted.push((*why, 1)),
            }
        }
        counted
    }
}

/// The last day a claim that `number` is paid pauses it on `as_of`, if one does.
fn said_paid_until(state: &CustomerState, number: &InvoiceNumber, as_of: NaiveDate) -> Option<NaiveDate> {
    state.claims.iter().filter(|c| c.invoice == *number && c.pauses_on(as_of)).map(|c| c.pauses_until()).max()
}

/// The plan kept so far on `as_of` that covers `number`, if one does.
fn in_plan(
    as_of: NaiveDate,
    state: &CustomerState,
    policy: &crate::policy::Policy,
    number: &InvoiceNumber,
) -> Option<i64> {
    super::plans::judged(as_of, state, policy)
        .into_iter()
        .find(|(plan, judged)| plan.covers(number) && matches!(judged, crate::payment_plan::PlanState::Kept { .. }))
        .map(|(plan, _)| plan.id)
}

/// Looks again at the invoices `listed` by a message planned earlier, in `state` as it is on
/// `as_of` (the sending day), under the customer's policy from `book` (for the promise grace).
pub fn recheck(as_of: NaiveDate, state: &CustomerState, book: &PolicyBook, listed: &[ActionInvoice]) -> Recheck {
    let policy = state.policy(book);
    let mut recheck = Recheck { kept: Vec::new(), left_out: Vec::new() };
    for item in listed {
        let open = state.invoices.iter().find(|i| i.number == item.number && i.open.is_positive());
        let promised_until = state
            .promises
            .iter()
            .filter(|p| p.promise.made_on <= as_of && p.promise.covers(&item.number))
            .map(|p| p.promise.deadline(policy.promise_grace_days))
            .filter(|until| *until >= as_of)
            .max();
        let left_out = if state.customer.in_collection {
            Some(LeftOut::HandedOver)
        } else if open.is_none() {
            Some(LeftOut::Settled)
        } else if state.disputes.iter().any(|d| d.invoice == item.number && d.is_open(as_of)) {
            Some(LeftOut::Disputed)
        } else if let Some(until) = said_paid_until(state, &item.number, as_of) {
            Some(LeftOut::SaidPaid { until })
        } else if let Some(plan) = in_plan(as_of, state, policy, &item.number) {
            Some(LeftOut::InPlan { plan })
        } else {
            promised_until.map(|until| LeftOut::Promised { until })
        };
        match (left_out, open) {
            (None, Some(invoice)) => recheck.kept.push(ActionInvoice {
                open: invoice.open,
                due_date: invoice.due_date,
                days_overdue: (as_of - invoice.due_date).num_days(),
                ..item.clone()
            }),
            (why, _) => recheck.left_out.push((item.number.clone(), why.unwrap_or(LeftOut::Settled))),
        }
    }
    recheck
}
