//! Review before sending: which messages a person must approve before they go out. SAP's
//! dunning proposal and Dynamics 365's collection letters let a person see the run before
//! anything is printed or sent; overdue asks for it where a message commits the business.
//! Shipped default: the final demand, the prepayment notice (it changes the customer's terms),
//! and any message to a customer with an open dispute; a policy step can ask for approval
//! (`"approval": true`) or waive it (`"approval": false`).

use super::{ActionKind, PlannedAction};
use crate::policy::{Policy, StepChannel};

/// The reason a message to a customer with an open dispute waits for approval (it no longer
/// does once the customer has none).
pub const OPEN_DISPUTE: &str = "the customer has an invoice in dispute";

/// Why `action` needs a person's approval before its message goes out, or `None`.
/// `open_dispute`: the customer has an invoice in dispute on the day.
pub fn approval_reason(action: &PlannedAction, policy: &Policy, open_dispute: bool) -> Option<String> {
    let step = action.step.as_deref().and_then(|name| policy.steps.iter().find(|s| s.name == name));
    if let Some(asked) = step.and_then(|s| s.approval) {
        return asked.then(|| format!("step {:?} asks for approval", action.step.as_deref().unwrap_or("")));
    }
    if open_dispute {
        return Some(OPEN_DISPUTE.to_owned());
    }
    match (action.kind, action.channel) {
        (ActionKind::Step, Some(StepChannel::FinalDemand)) => Some("a final demand commits the business".to_owned()),
        (ActionKind::Step, Some(StepChannel::AgencyHandOff)) => Some("an agency hand-off".to_owned()),
        (ActionKind::Prepayment, _) => Some("a prepayment notice changes the customer's terms".to_owned()),
        _ => None,
    }
}
