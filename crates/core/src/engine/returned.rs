//! A customer's payment the bank took back (a returned SEPA direct debit, a Ri.Ba. or bill that
//! came back unpaid, a reversed transfer) is a broken payment: the invoices it paid are open
//! again, and the credit controller calls the customer today — firmly, as after a broken promise.

use super::{ActionInvoice, ActionKind, PlannedAction, Reason};
use crate::customer::ContactRole;
use crate::ids::CustomerCode;
use crate::money::Money;
use crate::policy::{StepChannel, Tone};
use chrono::NaiveDate;

/// The task for a payment returned on `on`: call the customer about `invoices` (open again),
/// saying `why` (the bank's reason). Keyed by `payment` (its reference), so the same return
/// imported twice plans one task.
pub fn returned_payment(
    customer: CustomerCode,
    on: NaiveDate,
    payment: &str,
    amount: Money,
    why: &str,
    invoices: Vec<ActionInvoice>,
) -> PlannedAction {
    let numbers: Vec<&str> = invoices.iter().map(|i| i.number.as_str()).collect();
    let paid = if numbers.is_empty() { String::new() } else { format!(" for {}", numbers.join(", ")) };
    PlannedAction {
        key: format!("{customer}:{}:{payment}", ActionKind::ReturnedPayment.as_str()),
        customer,
        on,
        kind: ActionKind::ReturnedPayment,
        reason: Reason::PaymentReturned,
        explanation: format!("The payment of {amount}{paid} was {why}: the invoices are open again."),
        channel: Some(StepChannel::CallTask),
        tone: Some(Tone::Firm),
        template: None,
        step: None,
        address_to: ContactRole::Billing,
        questions: vec![
            "The bank returned your payment: do you know why?".into(),
            "On which day will you pay again, and by transfer?".into(),
            "Are the account and the direct debit mandate we hold still valid?".into(),
        ],
        invoices,
        promise_id: None,
        approval: None,
        deadline: None,
    }
}
