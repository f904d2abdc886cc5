//! The work list: the open actions due by a day, less those whose invoices were all paid or
//! settled since they were planned (a call about an invoice paid yesterday is no work).

use crate::AppError;
use chrono::NaiveDate;
use overdue_store::{Organisation, Store, StoredAction};
use std::collections::HashMap;

/// The kinds of action that are about their invoices (and end when those are settled).
const ABOUT_INVOICES: [&str; 8] = [
    "step",
    "broken_promise",
    "sixty_day_alarm",
    "promise_due",
    "returned_payment",
    "check_claimed_payment",
    "broken_plan",
    "plan_instalment_due",
];

/// The sections of the work list, in the order a credit controller works them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkSection {
    /// Open 60+ days with no contact.
    Alarms,
    /// The bank took a payment back: call today.
    ReturnedPayments,
    /// A promise to pay was not kept: follow up today.
    BrokenPromises,
    /// What customers said on their own page: read it and act.
    CustomerAnswers,
    /// Calls to make (and escalations to the person who approves invoices).
    Calls,
    /// E-mails and letters to send, invoices to send, final demands.
    Messages,
    /// The customer says they paid: look for the money.
    SaidPaid,
    /// A promise falls due: check the money arrived.
    PromisesDue,
    /// Prepayment, credit limit, hand-off to an agency, and anything else.
    Flags,
}

impl WorkSection {
    pub const ALL: [WorkSection; 9] = [
        Self::Alarms,
        Self::ReturnedPayments,
        Self::BrokenPromises,
        Self::CustomerAnswers,
        Self::Calls,
        Self::Messages,
        Self::SaidPaid,
        Self::PromisesDue,
        Self::Flags,
    ];

    /// The section an action is worked in, from its kind and (for a ladder step) its channel.
    pub fn of(action: &StoredAction) -> WorkSection {
        match (action.kind.as_str(), action.channel.as_deref()) {
            ("sixty_day_alarm", _) => Self::Alarms,
            ("returned_payment", _) => Self::ReturnedPayments,
            ("broken_promise" | "broken_plan", _) => Self::BrokenPromises,
            ("customer_answered", _) => Self::CustomerAnswers,
            ("step", Some("call" | "approver_escalation")) => Self::Calls,
            ("send_invoice" | "statement" | "plan_instalment_due", _)
            | ("step", Some("email" | "letter" | "final_demand")) => Self::Messages,
            ("check_claimed_payment", _) => Self::SaidPaid,
            ("promise_due", _) => Self::PromisesDue,
            _ => Self::Flags,
        }
    }

    /// A stable name, e.g. `broken_promises`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Alarms => "alarms",
            Self::ReturnedPayments => "returned_payments",
            Self::BrokenPromises => "broken_promises",
            Self::CustomerAnswers => "customer_answers",
            Self::Calls => "calls",
            Self::Messages => "messages",
            Self::SaidPaid => "said_paid",
            Self::PromisesDue => "promises_due",
            Self::Flags => "flags",
        }
    }
}

/// Open actions due on or before `as_of`, oldest first, at most `limit`, without those whose
/// invoices are all settled or in dispute on `as_of`; each invoice still chased listed with what
/// it owes on `as_of` and how late it is then (the explanation is the sentence written when the
/// action was planned).
pub fn today(
    store: &mut dyn Store,
    organisation: &Organisation,
    as_of: NaiveDate,
    limit: i64,
) -> Result<Vec<StoredAction>, AppError> {
    let actions = store.work_list(organisation.id, as_of, limit)?;
    let numbers: Vec<&str> = actions
        .iter()
        .filter(|a| ABOUT_INVOICES.contains(&a.kind.as_str()))
        .flat_map(|a| a.invoices.iter().map(|i| i.number.as_str()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    // an invoice in dispute that day is not chased: as the message leaves it out, so does the list
    let disputed: std::collections::HashSet<String> = store
        .invoice_disputes(organisation.id, &numbers)?
        .into_iter()
        .filter(|d| d.is_open(as_of))
        .map(|d| d.invoice.to_string())
        .collect();
    let open: HashMap<String, overdue_core::money::Money> = store
        .invoices_open_on(organisation.id, &numbers, as_of)?
        .into_iter()
        .filter(|(number, open)| open.is_positive() && !disputed.contains(number))
        .collect();
    let mut kept = Vec::with_capacity(actions.len());
    for mut action in actions {
        if !ABOUT_INVOICES.contains(&action.kind.as_str()) || action.invoices.is_empty() {
            kept.push(action);
            continue;
        }
        if action.invoices.iter().any(|i| open.contains_key(i.number.as_str())) {
            // what each invoice owes now and how late it is today, not when the action was planned;
            // those settled or in dispute since are no longer listed
            action.invoices.retain(|i| open.contains_key(i.number.as_str()));
            for invoice in &mut action.invoices {
                if let Some(now) = open.get(invoice.number.as_str()) {
                    invoice.open = *now;
                }
                invoice.days_overdue = (as_of - invoice.due_date).num_days();
            }
            kept.push(action);
        }
    }
    Ok(kept)
}

/// Where invoice `number` stands on `as_of` under the organisation's policy and calendar: today's
/// actions about it and the next step if nothing changes; `None` when it is not open that day.
///
/// Errors: [`AppError::Invalid`] for a number that is not one; store errors (an unknown invoice).
pub fn explain(
    store: &mut dyn Store,
    organisation: &Organisation,
    number: &str,
    as_of: NaiveDate,
) -> Result<Option<overdue_core::engine::Explanation>, AppError> {
    crate::day("as_of", as_of)?;
    let invoice = overdue_core::ids::InvoiceNumber::parse(number)
        .map_err(|e| AppError::Invalid { field: "invoice", reason: e.to_string().into() })?;
    let code = store.invoice_customer_code(organisation.id, number)?;
    let state = store.customer_state(organisation.id, &code, as_of)?;
    let book = store.policy_book(organisation.id)?;
    let calendar = crate::day::calendar(store, organisation, as_of)?;
    Ok(overdue_core::engine::explain(as_of, &state, &book, &calendar, &invoice))
}
