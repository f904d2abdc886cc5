//! The words of the engine: the sentence that explains each action to the person doing it, and
//! the questions to ask on a call.

use super::{ActionInvoice, CustomerFacts, OpenInvoice, PlannedAction, Reason};
use crate::policy::{Anchor, Policy, Step, StepChannel};
use crate::promise::{PromiseState, PromiseToPay};
use chrono::NaiveDate;

/// The purpose of a step, from where it sits in the life of an invoice.
pub(super) fn step_reason(step: &Step) -> Reason {
    match step.anchor {
        Anchor::Sent => Reason::ReceiptCheck,
        Anchor::DueDate if step.offset_days < 0 => Reason::PreDue,
        _ => Reason::Overdue,
    }
}

/// What to ask on a call, so the answers can be recorded as structured fields.
pub(super) fn questions(reason: Reason, channel: StepChannel) -> Vec<String> {
    let list: &[&str] = match (reason, channel) {
        (Reason::ReceiptCheck, _) => &[
            "Did the goods or services arrive?",
            "Are you satisfied with the quality and the quantity?",
            "Did you receive the invoice?",
            "Has it been approved and passed to accounts payable?",
            "On what date is it scheduled for payment?",
        ],
        (Reason::PreDue, _) => {
            &["Are you satisfied with what was delivered?", "Is the payment on its way for the due date?"]
        }
        (Reason::PlanBroken, _) => &[
            "An instalment of the payment plan was missed: what happened?",
            "Can the missed instalment be paid now, and on what exact date?",
            "Who approves the payment, and can we speak to them?",
        ],
        (Reason::PromiseBroken | Reason::PromisePartlyKept, _) => &[
            "You promised this payment: what happened?",
            "On what exact date will it be paid, how much, and by what method?",
            "Who approves the payment, and can we speak to them?",
        ],
        (Reason::NoContact, _) => &[
            "Is there any problem with these invoices (delivery, quality, price, paperwork)?",
            "When will they be paid?",
            "Who approves invoices for payment?",
        ],
        (_, StepChannel::ApproverEscalation) => &[
            "Are these invoices approved for payment?",
            "What is holding them up, and who can release them?",
            "On what date will they be paid?",
        ],
        (_, StepChannel::CallTask) => &[
            "Why has it not been paid? (record the reason)",
            "Who approves invoices, and has this one been approved?",
            "When will it be paid, how much, and by what method? (record the promise)",
        ],
        _ => &[],
    };
    list.iter().map(|q| (*q).to_owned()).collect()
}

fn numbers(invoices: &[ActionInvoice]) -> String {
    listing(&invoices.iter().map(|i| format!("{} ({})", i.number, i.open)).collect::<Vec<_>>())
}

/// At most five items, then how many more (the action lists them all).
fn listing(texts: &[String]) -> String {
    const SHOWN: usize = 5;
    match texts.len() {
        n if n <= SHOWN => texts.join(", "),
        n => format!("{} and {} more", texts[..SHOWN].join(", "), n - SHOWN),
    }
}

pub(super) fn send_sentence(as_of: NaiveDate, all: &[&OpenInvoice], unsent: &[ActionInvoice]) -> String {
    let oldest = unsent
        .iter()
        .filter_map(|u| all.iter().find(|i| i.number == u.number))
        .map(|i| (as_of - i.issue_date).num_days())
        .max()
        .unwrap_or(0);
    let lag = if oldest > 0 { format!(" (issued up to {oldest} days ago)") } else { String::new() };
    format!("Issued but not sent{lag}: send {} today — an invoice not received is not paid.", numbers(unsent))
}

pub(super) fn step_sentence(
    as_of: NaiveDate,
    policy: &Policy,
    customer: &CustomerFacts,
    items: &[(usize, &OpenInvoice)],
    action: &PlannedAction,
) -> String {
    let mut by_step: Vec<(usize, Vec<String>)> = Vec::new();
    for (index, invoice) in items {
        let late = (as_of - invoice.due_date).num_days();
        let when = match late {
            d if d < 0 => format!("due in {}", days(-d)),
            0 => "due today".to_owned(),
            d => format!("{} overdue", days(d)),
        };
        // an invoice in instalments says what part is late, not its whole amount as late
        let text = match invoice.overdue_part {
            Some(part) if late > 0 && part != invoice.open => {
                format!("{} ({part} {when}, {} due in all)", invoice.number, invoice.open)
            }
            _ => format!("{} ({}, {when})", invoice.number, invoice.open),
        };
        match by_step.iter_mut().find(|(i, _)| i == index) {
            Some((_, texts)) => texts.push(text),
            None => by_step.push((*index, vec![text])),
        }
    }
    let list: Vec<String> = by_step
        .iter()
        .map(|(index, texts)| {
            let step = &policy.steps[*index];
            format!(
                "{} reach{} step {:?}{}",
                listing(texts),
                if texts.len() == 1 { "es" } else { "" },
                step.name,
                anchor_words(step)
            )
        })
        .collect();
    let tone = action.tone.map_or(String::new(), |t| format!("{t} "));
    let what = match action.channel {
        Some(StepChannel::Email) => format!("send a {tone}e-mail"),
        Some(StepChannel::CallTask) => format!("make a {tone}call"),
        Some(StepChannel::Letter) => format!("send a {tone}letter"),
        Some(StepChannel::ApproverEscalation) => match &customer.invoice_approver {
            Some(name) => format!("write to {name}, who approves invoices at {}", customer.name),
            None => format!("find out who approves invoices at {} and write to them", customer.name),
        },
        Some(StepChannel::FinalDemand) => "send the formal final demand, with interest and fees".to_owned(),
        Some(StepChannel::AgencyHandOff) => "hand the case to the collection agency; reminders then stop".to_owned(),
        None => "follow up".to_owned(),
    };
    format!("{}: {what}.", list.join("; "))
}

fn anchor_words(step: &Step) -> String {
    match step.anchor {
        Anchor::Sent => format!(" ({} business day(s) after sending)", step.offset_days),
        Anchor::DueDate if step.offset_days < 0 => {
            format!(" ({} before the due date)", days(i64::from(-step.offset_days)))
        }
        Anchor::DueDate => format!(" ({} after the due date)", days(i64::from(step.offset_days))),
        Anchor::PreviousStep => format!(" ({} after the previous step)", days(i64::from(step.offset_days))),
    }
}

/// Why a plan's instalment is reminded.
pub(super) fn plan_instalment_sentence(
    customer: &CustomerFacts,
    plan: &crate::payment_plan::PaymentPlan,
    next: &crate::payment_plan::PlanInstalment,
) -> String {
    let numbers: Vec<&str> = plan.invoices.iter().map(|n| n.as_str()).collect();
    format!(
        "Payment plan {} of {} ({}): the instalment of {} falls due on {}; a reminder goes before it.",
        plan.id,
        customer.name,
        numbers.join(", "),
        next.amount,
        next.due_date
    )
}

/// Why a broken plan is followed up.
pub(super) fn plan_broken_sentence(
    customer: &CustomerFacts,
    plan: &crate::payment_plan::PaymentPlan,
    missed: &crate::payment_plan::PlanInstalment,
) -> String {
    format!(
        "{} missed the instalment of {} due on {} under payment plan {}: the plan is broken; call today, and the reminders resume, firmer.",
        customer.name, missed.amount, missed.due_date, plan.id
    )
}

/// Why a monthly statement goes: the month and what is open.
pub(super) fn statement_sentence(customer: &CustomerFacts, open: &[&OpenInvoice], month: &str) -> String {
    let owed: crate::money::Amounts = open.iter().map(|i| i.open).collect();
    let owed: Vec<String> = owed.iter().map(|m| m.to_string()).collect();
    format!(
        "The monthly statement of account for {month}: {} has {} open invoice(s), {} in all; it goes instead of an e-mail reminder per invoice.",
        customer.name,
        open.len(),
        owed.join(" + ")
    )
}

/// Why someone must look for a payment the customer says they made.
pub(super) fn claim_sentence(customer: &CustomerFacts, claim: &crate::payment_claim::PaymentClaim) -> String {
    let reference = claim.reference.as_deref().map_or(String::new(), |r| format!(", reference {r:?}"));
    format!(
        "{} says {} is paid: {} on {}{reference}. Look for it among the payments and the bank lines; \
         the invoice is not chased until {}.",
        customer.name,
        claim.invoice,
        claim.amount,
        claim.paid_on,
        claim.pauses_until()
    )
}

pub(super) fn promise_sentence(
    as_of: NaiveDate,
    customer: &CustomerFacts,
    promise: &PromiseToPay,
    state: PromiseState,
    policy: &Policy,
) -> String {
    let who = promise.promised_by.as_deref().unwrap_or(&customer.name);
    let method = promise.method.map_or(String::new(), |m| format!(" by {}", m.as_str().replace('_', " ")));
    let promised = format!("{who} promised {}{method} for {}", promise.amount, promise.promised_date);
    match state {
        PromiseState::Broken => format!(
            "{promised} and nothing arrived by the end of the {}-day grace: follow up today, more firmly.",
            policy.promise_grace_days
        ),
        PromiseState::PartlyKept { paid } => {
            format!("{promised} and only {paid} arrived: follow up today on the rest, more firmly.")
        }
        _ => format!(
            "{promised}: check on {} that it arrived; the ladder waits until {}.",
            as_of,
            promise.deadline(policy.promise_grace_days)
        ),
    }
}

pub(super) fn alarm_sentence(
    customer: &CustomerFacts,
    alarm_days: u32,
    last_contact: Option<NaiveDate>,
    invoices: &[ActionInvoice],
) -> String {
    let contact = last_contact.map_or("no conversation ever recorded".to_owned(), |d| format!("last conversation {d}"));
    if invoices.iter().all(|i| i.days_overdue <= 0) {
        return format!(
            "{} open {alarm_days}+ days after the invoice date with no conversation since ({contact}), though \
             nothing is overdue yet: call {} to check that all is well (goods, invoice received and approved, \
             payment date).",
            numbers(invoices),
            customer.name
        );
    }
    format!(
        "ALARM: {} still open {alarm_days}+ days after the invoice date with no conversation since ({contact}) — \
         a likely collection problem: call {} today.",
        numbers(invoices),
        customer.name
    )
}

/// Where one invoice stands, for `overdue explain`.
pub(super) fn ladder_sentence(
    as_of: NaiveDate,
    customer: &CustomerFacts,
    policy: &Policy,
    invoice: &OpenInvoice,
    ladder: &super::LadderState,
) -> String {
    use super::LadderState::*;
    let days_late = (as_of - invoice.due_date).num_days();
    let head = format!(
        "{} for {} ({} open, due {}, {}) follows policy {:?}",
        invoice.number,
        customer.name,
        invoice.open,
        invoice.due_date,
        if days_late > 0 { format!("{} overdue", days(days_late)) } else { format!("due in {}", days(-days_late)) },
        policy.name
    );
    let last = invoice
        .last_step
        .as_ref()
        .map_or(String::from("no step taken yet"), |t| format!("last step {:?} on {}", t.name, t.on));
    let state = match ladder {
        NotSent => "it has not been sent yet, so sending it comes first".to_owned(),
        Disputed { since } => format!("it is disputed since {since}: not chased until the dispute is resolved"),
        Paused { until } => format!("a promise to pay pauses the ladder until {until}"),
        InPlan { plan, next } => match next {
            Some(next) => format!(
                "payment plan {plan} covers it: not chased while it is kept; its next instalment falls due on {next}"
            ),
            None => format!("payment plan {plan} covers it: not chased while it is kept"),
        },
        SaidPaid { since, until } => {
            format!(
                "the customer said on {since} that it is paid: not chased until {until}, while the money is looked for"
            )
        }
        Due { index, on } => {
            let step = &policy.steps[*index];
            format!("step {:?}{} fell due on {on}: it is taken today", step.name, anchor_words(step))
        }
        Waiting { index, on } => format!("nothing today; step {:?} comes on {on}", policy.steps[*index].name),
        Finished => "every step of the ladder has been taken".to_owned(),
    };
    format!("{head}; {last}; {state}.")
}

/// `1 day`, `2 days`.
pub(crate) fn days(n: i64) -> String {
    if n == 1 { "1 day".to_owned() } else { format!("{n} days") }
}
