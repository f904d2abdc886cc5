//! Actions planned outside the ladder's daily run, one at a time: asked for by a person (a
//! statement of account sent now) or by what the customer said on their own page (an answer to
//! read, money said paid to look for). Each has a key of its own, so asking twice plans once.

use super::{ActionInvoice, ActionKind, CustomerFacts, OpenInvoice, PlannedAction, Reason, talk};
use crate::customer::ContactRole;
use crate::ids::CustomerCode;
use crate::payment_claim::PaymentClaim;
use crate::policy::StepChannel;
use chrono::NaiveDate;

impl PlannedAction {
    /// An action of `kind` for `reason` for `customer` on `on`, keyed `customer:kind:key_part`,
    /// with nothing else said yet (no channel, template, invoices or sentence).
    pub fn new(customer: &CustomerCode, on: NaiveDate, (kind, reason): (ActionKind, Reason), key_part: &str) -> Self {
        PlannedAction {
            key: format!("{customer}:{}:{key_part}", kind.as_str()),
            customer: customer.clone(),
            on,
            kind,
            reason,
            explanation: String::new(),
            channel: None,
            tone: None,
            template: None,
            step: None,
            address_to: ContactRole::Billing,
            questions: Vec::new(),
            invoices: Vec::new(),
            promise_id: None,
            approval: None,
            deadline: None,
        }
    }
}

/// The task, on `on`, to look for the money the customer says they paid on `invoice` (`claim`):
/// planned once per claim (its key is the claim's), by the run or as soon as the claim is made.
pub fn claim_task(
    customer: &CustomerFacts,
    claim: &PaymentClaim,
    invoice: &OpenInvoice,
    on: NaiveDate,
) -> PlannedAction {
    let kind = (ActionKind::CheckClaimedPayment, Reason::CustomerSaysPaid);
    PlannedAction {
        explanation: talk::claim_sentence(customer, claim),
        invoices: vec![ActionInvoice {
            number: invoice.number.clone(),
            open: invoice.open,
            due_date: invoice.due_date,
            days_overdue: (on - invoice.due_date).num_days(),
            step: None,
            fee: None,
        }],
        ..PlannedAction::new(&customer.code, on, kind, &format!("claim-{}", claim.id))
    }
}

/// Something the customer said on their own page on `on` (a date they will pay by, a dispute,
/// who approves invoices, a plan), for a person to read and act on: `key_part` makes it once per
/// answer, `explanation` says what they said.
pub fn customer_answered(customer: &CustomerCode, on: NaiveDate, key_part: &str, explanation: String) -> PlannedAction {
    let kind = (ActionKind::CustomerAnswered, Reason::OnTheirPage);
    PlannedAction { explanation, ..PlannedAction::new(customer, on, kind, key_part) }
}

/// A statement of account asked for by a person on `on`, for `customer` with the invoices
/// `open` on the day: an e-mail planned once a day (its key is the day's).
pub fn statement_asked(customer: &CustomerCode, on: NaiveDate, open: Vec<ActionInvoice>) -> PlannedAction {
    let kind = (ActionKind::Statement, Reason::StatementAsked);
    PlannedAction {
        explanation: format!("A statement of account asked for on {on}, with {} open invoice(s).", open.len()),
        channel: Some(StepChannel::Email),
        template: Some("statement".into()),
        invoices: open,
        ..PlannedAction::new(customer, on, kind, &on.to_string())
    }
}
