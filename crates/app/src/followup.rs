//! Recording the work with a customer, as the command line and the API both do: a promise to pay,
//! a dispute opened or resolved, a conversation, an action done. Each checks what it is given
//! and says which field is wrong; the store keeps the fact and the engine reads it on the next run.

use crate::AppError;
use chrono::NaiveDate;
use overdue_core::contact::{Interaction, NonPaymentReason};
use overdue_core::currency::Currency;
use overdue_core::customer::Customer;
use overdue_core::dispute::Dispute;
use overdue_core::ids::InvoiceNumber;
use overdue_core::money::Money;
use overdue_core::payment::PaymentMethod;
use overdue_core::promise::PromiseToPay;
use overdue_core::refusal::{Ask, Refusal};
use overdue_store::{Organisation, Store, StoredAction};

/// How far ahead a promise may be, in days from when it is made.
pub const PROMISE_DAYS_MAX: i64 = 366;

/// A promise to pay as a person states it.
#[derive(Debug, Clone, Default)]
pub struct PromiseStated {
    pub customer: String,
    /// Written with its decimals, e.g. `"1500.00"`.
    pub amount: String,
    /// The day the customer said the money will arrive.
    pub promised_date: NaiveDate,
    /// The day the promise was made.
    pub made_on: NaiveDate,
    pub method: Option<String>,
    pub promised_by: Option<String>,
    /// The invoices it covers (none: the account's oldest debts).
    pub invoices: Vec<String>,
    /// The currency, when the invoices named do not say it (else the customer's).
    pub currency: Option<String>,
    /// This promise and those still pending may not together promise more than is owed (the
    /// customer's own page: a change of mind is made with a person).
    pub within_pending: bool,
}

/// A promise recorded: its id, the promise and the customer it is from.
#[derive(Debug, Clone)]
pub struct PromiseRecorded {
    pub id: i64,
    pub promise: PromiseToPay,
    pub customer_name: String,
}

/// Records a promise to pay; the ladder pauses for the invoices it covers until its date.
///
/// Errors: [`AppError::NotFound`] for an unknown customer; [`AppError::Invalid`] for an amount that
/// is not positive money, a date before the promise was made, an unknown method, invoice number
/// or currency, invoices in several currencies; store refusals (an invoice of another customer).
pub fn record_promise(
    store: &mut dyn Store,
    organisation: &Organisation,
    stated: &PromiseStated,
    by: &str,
) -> Result<PromiseRecorded, AppError> {
    let customer = store
        .customer(organisation.id, &stated.customer)?
        .ok_or_else(|| AppError::NotFound { what: "customer", key: stated.customer.clone() })?;
    crate::day("date", stated.promised_date)?;
    crate::past_day("made_on", stated.made_on, organisation)?;
    if (stated.promised_date - stated.made_on).num_days() > PROMISE_DAYS_MAX {
        return Err(AppError::Invalid {
            field: "date",
            reason: Refusal::PromiseTooFar { promised_date: stated.promised_date },
        });
    }
    if let Some(who) = &stated.promised_by {
        crate::text("promised_by", who)?;
    }
    let currency = promise_currency(store, organisation, &customer, stated)?;
    let invalid = |field: &'static str, reason: Refusal| AppError::Invalid { field, reason };
    // a promise pauses the chasing of what is owed in its currency: it must be owed
    let state = store.customer_state(organisation.id, &stated.customer, stated.made_on)?;
    let owed: Vec<&str> = state
        .invoices
        .iter()
        .filter(|i| i.open.is_positive() && i.open.currency() == currency)
        .map(|i| i.number.as_str())
        .collect();
    if owed.is_empty() {
        return Err(invalid(
            "currency",
            Refusal::OwesNothingIn { customer: customer.legal_name.clone(), currency, on: stated.made_on },
        ));
    }
    if let Some(other) = stated.invoices.iter().find(|n| !owed.contains(&n.as_str())) {
        return Err(invalid(
            "invoices",
            format!("{other} is not open in {currency} for {} on {}", stated.customer, stated.made_on).into(),
        ));
    }
    let amount = Money::parse(&stated.amount, currency).map_err(|e| invalid("amount", e.to_string().into()))?;
    if !amount.is_positive() {
        return Err(invalid("amount", Refusal::PromiseOfNothing { amount }));
    }
    // a promise of more than is owed is a typing slip, not a promise: what it covers owes less
    let covered = state.invoices.iter().filter(|i| {
        i.open.currency() == currency
            && (stated.invoices.is_empty() || stated.invoices.iter().any(|n| n.as_str() == i.number.as_str()))
    });
    let owed_minor: i64 = covered.map(|i| i.open.amount_minor()).sum();
    if amount.amount_minor() > owed_minor {
        let owed_total = Money::new(owed_minor, currency);
        return Err(invalid(
            "amount",
            Refusal::PromiseAboveOwed {
                amount,
                owed: owed_total,
                customer: customer.legal_name.clone(),
                on: stated.made_on,
                invoices: stated.invoices.iter().map(ToString::to_string).collect(),
            },
        ));
    }
    if stated.promised_date < stated.made_on {
        return Err(invalid("date", Refusal::PromiseBeforeMade { promised_date: stated.promised_date }));
    }
    // the same promise made twice the same day (a form sent twice) is kept once
    let same = state.promises.iter().find(|p| {
        let p = &p.promise;
        (p.made_on, p.promised_date, p.amount) == (stated.made_on, stated.promised_date, amount)
            && p.promised_by == stated.promised_by
    });
    if let Some(same) = same {
        return Ok(PromiseRecorded { id: same.id, promise: same.promise.clone(), customer_name: customer.legal_name });
    }
    if stated.within_pending {
        within_pending(store, organisation, &state, (amount, owed_minor, stated.made_on))?;
    }
    let method = match &stated.method {
        Some(text) => Some(PaymentMethod::parse(text).ok_or_else(|| {
            invalid(
                "method",
                format!("{text:?} is not a payment method: transfer, card, cheque, cash, direct_debit or other").into(),
            )
        })?),
        None => None,
    };
    // it speaks for the oldest of those invoices its amount reaches, not for every one named; a
    // promise naming none is for what is not in dispute
    let disputed =
        |number: &InvoiceNumber| state.disputes.iter().any(|d| &d.invoice == number && d.is_open(stated.made_on));
    let candidates: Vec<(InvoiceNumber, NaiveDate, Money)> = state
        .invoices
        .iter()
        .filter(|i| i.open.is_positive() && i.open.currency() == currency)
        .filter(|i| {
            if stated.invoices.is_empty() {
                !disputed(&i.number)
            } else {
                stated.invoices.iter().any(|n| n.as_str() == i.number.as_str())
            }
        })
        .map(|i| (i.number.clone(), i.due_date, i.open))
        .collect();
    let promise = PromiseToPay {
        made_on: stated.made_on,
        promised_date: stated.promised_date,
        amount,
        method,
        promised_by: stated.promised_by.clone(),
        invoices: overdue_core::promise::covered_invoices(amount, &candidates),
    };
    let id = store.record_promise(organisation.id, &stated.customer, &promise, by)?;
    Ok(PromiseRecorded { id, promise, customer_name: customer.legal_name })
}

/// Checks that `amount` and what the promises still pending on `on` in its currency have left to
/// come do not exceed `owed_minor`.
///
/// Errors: [`AppError::Invalid`] with [`Refusal::PromisedAlready`]; store errors.
fn within_pending(
    store: &mut dyn Store,
    organisation: &Organisation,
    state: &overdue_core::engine::CustomerState,
    (amount, owed_minor, on): (Money, i64, NaiveDate),
) -> Result<(), AppError> {
    let grace = state.policy(&store.policy_book(organisation.id)?).promise_grace_days;
    let currency = amount.currency();
    let pending: Vec<(NaiveDate, Money)> = state
        .promises
        .iter()
        .filter(|p| p.promise.amount.currency() == currency)
        .filter_map(|p| Some((p.promise.promised_date, p.promise.remaining(on, grace, &state.payments)?)))
        .collect();
    let promised_minor: i64 = pending.iter().map(|(_, left)| left.amount_minor()).sum();
    match pending.iter().map(|(by, _)| *by).max() {
        Some(by) if promised_minor.saturating_add(amount.amount_minor()) > owed_minor => Err(AppError::Invalid {
            field: "amount",
            reason: Refusal::PromisedAlready {
                amount,
                promised: Money::new(promised_minor, currency),
                by,
                owed: Money::new(owed_minor, currency),
            },
        }),
        _ => Ok(()),
    }
}

/// The currency of a promise: the one stated, else the one currency of the invoices it names,
/// else the customer's.
fn promise_currency(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &Customer,
    stated: &PromiseStated,
) -> Result<Currency, AppError> {
    if let Some(code) = &stated.currency {
        return Currency::from_code(code)
            .map_err(|e| AppError::Invalid { field: "currency", reason: e.to_string().into() });
    }
    let mut currencies = Vec::new();
    for number in &stated.invoices {
        if let Some(detail) = store.invoice(organisation.id, number)? {
            currencies.push(detail.invoice.currency);
        }
    }
    currencies.dedup();
    match currencies.as_slice() {
        [] => Ok(customer.currency),
        [one] => Ok(*one),
        _ => Err(AppError::Invalid {
            field: "invoices",
            reason: "the invoices named are in several currencies: record one promise per currency".into(),
        }),
    }
}

/// Invoice numbers as given.
///
/// Errors: [`AppError::Invalid`] naming the first that is not an invoice number.
pub fn numbers(texts: &[String]) -> Result<Vec<InvoiceNumber>, AppError> {
    texts
        .iter()
        .map(|t| {
            InvoiceNumber::parse(t).map_err(|e| AppError::Invalid { field: "invoices", reason: e.to_string().into() })
        })
        .collect()
}

/// A reason for not paying, by its name or a synonym.
///
/// Errors: [`AppError::Invalid`] listing the names.
pub fn reason(text: &str) -> Result<NonPaymentReason, AppError> {
    NonPaymentReason::parse(text)
        .ok_or_else(|| AppError::Invalid { field: "reason", reason: Refusal::NotAReason { reason: text.to_owned() } })
}

/// A reason a dispute may be opened for, by its name or a synonym
/// ([`NonPaymentReason::may_open_dispute`]).
///
/// Errors: [`AppError::Invalid`] for a name that is no reason, or a delay (cash flow, a date to
/// pay on, no answer).
pub fn dispute_reason(text: &str) -> Result<NonPaymentReason, AppError> {
    let why = reason(text)?;
    if !why.may_open_dispute() {
        return Err(AppError::Invalid {
            field: "reason",
            reason: Refusal::NotADispute { reason: why.as_str().to_owned() },
        });
    }
    Ok(why)
}

/// Opens a dispute on one invoice: only that invoice stops being chased until it is resolved.
///
/// Errors: [`AppError::Invalid`] for a number or reason that is not one; store refusals (an
/// unknown invoice, a dispute already open).
pub fn open_dispute(
    store: &mut dyn Store,
    organisation: &Organisation,
    (invoice, why, note): (&str, &str, Option<String>),
    opened_on: NaiveDate,
    by: &str,
) -> Result<Dispute, AppError> {
    crate::past_day("opened_on", opened_on, organisation)?;
    if let Some(note) = &note {
        crate::text("note", note)?;
    }
    let why = dispute_reason(why)?;
    let dispute = Dispute {
        invoice: InvoiceNumber::parse(invoice)
            .map_err(|e| AppError::Invalid { field: "invoice", reason: e.to_string().into() })?,
        reason: why,
        note,
        opened_on,
        resolved_on: None,
    };
    store.open_dispute(organisation.id, &dispute, by)?;
    Ok(dispute)
}

/// Resolves the open dispute on `invoice`: what is still owed is chased again.
///
/// Errors: [`AppError::Invalid`] for an empty resolution; store refusals (no open dispute).
pub fn resolve_dispute(
    store: &mut dyn Store,
    organisation: &Organisation,
    (invoice, resolution): (&str, &str),
    on: NaiveDate,
) -> Result<(), AppError> {
    crate::past_day("on", on, organisation)?;
    crate::text("resolution", resolution)?;
    if resolution.trim().is_empty() {
        return Err(AppError::Invalid { field: "resolution", reason: Refusal::Empty(Ask::HowDisputeResolved) });
    }
    store.resolve_dispute(organisation.id, invoice, on, resolution.trim())?;
    Ok(())
}

/// Records a conversation with a customer; its id.
///
/// Errors: [`AppError::Invalid`] for an empty summary; store refusals (an unknown customer or
/// invoice).
pub fn record_conversation(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &str,
    interaction: &Interaction,
) -> Result<i64, AppError> {
    // a day's slack: the time is UTC, the organisation's today is local
    crate::past_day("at", interaction.at.date().pred_opt().unwrap_or(interaction.at.date()), organisation)?;
    let fields = [
        ("summary", Some(&interaction.summary)),
        ("contact", interaction.contact.as_ref()),
        ("outcome", interaction.outcome.as_ref()),
        ("reason_note", interaction.reason_note.as_ref()),
        ("recorded_by", Some(&interaction.recorded_by)),
    ];
    for (field, value) in fields {
        if let Some(value) = value {
            crate::text(field, value)?;
        }
    }
    if interaction.summary.trim().is_empty() {
        return Err(AppError::Invalid { field: "summary", reason: Refusal::Empty(Ask::WhatWasSaid) });
    }
    Ok(store.record_interaction(organisation.id, customer, interaction)?)
}

/// Marks action `id` done on `on` by `by`, with an optional note.
///
/// Errors: store errors (no such open action).
pub fn complete_action(
    store: &mut dyn Store,
    organisation: &Organisation,
    id: i64,
    (on, by, note): (NaiveDate, &str, Option<&str>),
) -> Result<StoredAction, AppError> {
    crate::past_day("on", on, organisation)?;
    if let Some(note) = note {
        crate::text("note", note)?;
    }
    Ok(store.complete_action(organisation.id, id, on, by, note)?)
}

/// Closes action `id` without doing it, on `on`, by `by`, for `reason` (the timeline says it was
/// skipped and why; its message never goes; the ladder goes on to its next step).
///
/// Errors: [`AppError::Invalid`] for a day in the future or an empty reason; store refusals
/// (no such action, already closed, or not yet due on `on`).
pub fn skip_action(
    store: &mut dyn Store,
    organisation: &Organisation,
    id: i64,
    (on, by, reason): (NaiveDate, &str, &str),
) -> Result<StoredAction, AppError> {
    crate::past_day("on", on, organisation)?;
    crate::text("reason", reason)?;
    if reason.trim().is_empty() {
        return Err(AppError::Invalid { field: "reason", reason: Refusal::Empty(Ask::WhyActionSkipped) });
    }
    Ok(store.skip_action(organisation.id, id, (on, by, reason.trim()))?)
}
