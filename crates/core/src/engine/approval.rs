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

/// The reason a final demand waits for approval.
pub const FINAL_DEMAND: &str = "a final demand commits the business";
/// The reason an agency hand-off waits for approval.
pub const AGENCY_HAND_OFF: &str = "an agency hand-off";
/// The reason a prepayment notice waits for approval.
pub const PREPAYMENT: &str = "a prepayment notice changes the customer's terms";

/// The reason a step whose policy asks for approval waits: `step "name" asks for approval`.
pub fn step_asks(step: &str) -> String {
    format!("step {step:?} asks for approval")
}

/// The step named in a reason [`step_asks`] wrote, if it is one.
pub fn step_asking(reason: &str) -> Option<String> {
    let quoted = reason.strip_prefix("step ")?.strip_suffix(" asks for approval")?;
    quoted.strip_prefix('"')?.strip_suffix('"').map(str::to_owned)
}

/// Why `action` needs a person's approval before its message goes out, or `None`.
/// `open_dispute`: the customer has an invoice in dispute on the day.
pub fn approval_reason(action: &PlannedAction, policy: &Policy, open_dispute: bool) -> Option<String> {
    let step = action.step.as_deref().and_then(|name| policy.steps.iter().find(|s| s.name == name));
    if let Some(asked) = step.and_then(|s| s.approval) {
        return asked.then(|| step_asks(action.step.as_deref().unwrap_or("")));
    }
    if open_dispute {
        return Some(OPEN_DISPUTE.to_owned());
    }
    match (action.kind, action.channel) {
        (ActionKind::Step, Some(StepChannel::FinalDemand)) => Some(FINAL_DEMAND.to_owned()),
        (ActionKind::Step, Some(StepChannel::AgencyHandOff)) => Some(AGENCY_HAND_OFF.to_owned()),
        (ActionKind::Prepayment, _) => Some(PREPAYMENT.to_owned()),
        _ => None,
    }
}
