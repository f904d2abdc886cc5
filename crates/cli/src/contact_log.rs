//! Recording the work: `overdue log`, `overdue promise`, `overdue dispute`, `overdue done`.

use crate::args::{DisputeArgs, DisputeWhat, DoneArgs, LogArgs, LogChannel, PromiseArgs, YesNo};
use crate::setup::open_books;
use crate::work::{day_or_today, user};
use anyhow::{Context, bail};
use chrono::NaiveDateTime;
use overdue_core::contact::{Channel, Direction, Interaction, NonPaymentReason, ReceiptCheck};
use overdue_core::dispute::Dispute;
use overdue_core::ids::InvoiceNumber;
use overdue_core::money::Money;
use overdue_core::payment::PaymentMethod;
use overdue_core::promise::PromiseToPay;
use std::process::ExitCode;

fn reason(text: &str) -> anyhow::Result<NonPaymentReason> {
    NonPaymentReason::parse(text)
        .with_context(|| format!("--reason {text:?} is not one of: {}", NonPaymentReason::names()))
}

fn numbers(texts: &[String]) -> anyhow::Result<Vec<InvoiceNumber>> {
    texts.iter().map(|t| InvoiceNumber::parse(t).with_context(|| format!("--invoice {t:?}"))).collect()
}

fn receipt_check(args: &LogArgs) -> anyhow::Result<Option<ReceiptCheck>> {
    let yes = |answer: Option<YesNo>| answer.map(|a| a == YesNo::Yes);
    let check = ReceiptCheck {
        goods_arrived: yes(args.goods_arrived),
        quality_ok: yes(args.quality_ok),
        quantity_ok: yes(args.quantity_ok),
        invoice_received: yes(args.invoice_received),
        approved_for_payment: yes(args.approved),
        scheduled_payment_on: args
            .scheduled
            .as_deref()
            .map(overdue_core::date::parse_iso)
            .transpose()
            .context("--scheduled")?,
    };
    Ok((check != ReceiptCheck::default()).then_some(check))
}

pub fn log(database: &str, organisation: Option<i64>, args: &LogArgs) -> anyhow::Result<ExitCode> {
    if args.summary.trim().is_empty() {
        bail!("--summary is empty: say in a sentence what was said");
    }
    let at = match &args.at {
        Some(text) => NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
            .ok()
            .filter(|at| overdue_core::date::parse_iso(&at.date().to_string()).is_ok())
            .with_context(|| {
                format!(
                    "--at {text:?} is not \"YYYY-MM-DD HH:MM\" with a year between {} and {}",
                    overdue_core::date::YEAR_MIN,
                    overdue_core::date::YEAR_MAX
                )
            })?,
        None => chrono::Utc::now().naive_utc(),
    };
    let interaction = Interaction {
        at,
        channel: match args.channel {
            LogChannel::Call => Channel::Call,
            LogChannel::Email => Channel::Email,
            LogChannel::Letter => Channel::Letter,
            LogChannel::Sms => Channel::Sms,
            LogChannel::Meeting => Channel::Meeting,
            LogChannel::Portal => Channel::Portal,
        },
        direction: if args.inbound { Direction::Inbound } else { Direction::Outbound },
        contact: args.contact.clone(),
        recorded_by: user(args.by.as_ref()),
        summary: args.summary.trim().to_owned(),
        outcome: args.outcome.clone(),
        reason: args.reason.as_deref().map(reason).transpose()?,
        reason_note: args.note.clone(),
        receipt_check: receipt_check(args)?,
        attachment: args.attachment.clone(),
        invoices: numbers(&args.invoices)?,
    };
    let (mut store, organisation) = open_books(database, organisation)?;
    let id = store.record_interaction(organisation.id, &args.customer, &interaction)?;
    outln!("Logged #{id}: {} {} with {} on {}.", interaction.direction, interaction.channel, args.customer, at.date())?;
    if interaction.reason.is_some_and(NonPaymentReason::is_dispute) && !interaction.invoices.is_empty() {
        outln!(
            "The reason is a dispute: open it with `overdue dispute open INVOICE --reason …` to pause the reminders."
        )?;
    }
    if interaction.receipt_check.as_ref().is_some_and(ReceiptCheck::has_problem) {
        outln!("The receipt check found a problem: sort it out now, before the due date.")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The currency of a promise: `--currency`, else the one currency of the invoices it names, else
/// the customer's.
fn promise_currency(
    store: &mut dyn overdue_store::Store,
    tenant: i64,
    customer: &overdue_core::customer::Customer,
    args: &PromiseArgs,
) -> anyhow::Result<overdue_core::Currency> {
    if let Some(code) = &args.currency {
        return overdue_core::Currency::from_code(code).map_err(|e| anyhow::anyhow!("--currency: {e}"));
    }
    let mut currencies = Vec::new();
    for number in &args.invoices {
        if let Some(detail) = store.invoice(tenant, number)? {
            currencies.push(detail.invoice.currency);
        }
    }
    currencies.dedup();
    match currencies.as_slice() {
        [] => Ok(customer.currency),
        [one] => Ok(*one),
        _ => bail!("the invoices named are in several currencies: record one promise per currency"),
    }
}

pub fn promise(database: &str, organisation: Option<i64>, args: &PromiseArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let Some(customer) = store.customer(organisation.id, &args.customer)? else {
        bail!("no customer {:?} in the books of {}", args.customer, organisation.name);
    };
    let currency = promise_currency(store.as_mut(), organisation.id, &customer, args)?;
    let amount = Money::parse(&args.amount, currency).context("the amount promised")?;
    if !amount.is_positive() {
        bail!("a promise to pay is for more than nothing: {amount}");
    }
    let method = match &args.method {
        Some(text) => {
            Some(PaymentMethod::parse(text).with_context(|| format!("--method {text:?} is not a payment method"))?)
        }
        None => None,
    };
    let promise = PromiseToPay {
        made_on: day_or_today(args.made_on.as_ref(), "--made-on", &organisation)?,
        promised_date: overdue_core::date::parse_iso(&args.date).context("--date")?,
        amount,
        method,
        promised_by: args.promised_by.clone(),
        invoices: numbers(&args.invoices)?,
    };
    let id = store.record_promise(organisation.id, &args.customer, &promise, &user(args.by.as_ref()))?;
    outln!(
        "Promise #{id}: {} to pay {amount} by {}. The reminders wait until then; if it does not arrive, the next run follows up.",
        customer.legal_name,
        promise.promised_date
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn dispute(database: &str, organisation: Option<i64>, args: &DisputeArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    match &args.what {
        DisputeWhat::Open { invoice, reason: why, note, on, by } => {
            let dispute = Dispute {
                invoice: InvoiceNumber::parse(invoice)?,
                reason: reason(why)?,
                note: note.clone(),
                opened_on: day_or_today(on.as_ref(), "--on", &organisation)?,
                resolved_on: None,
            };
            store.open_dispute(organisation.id, &dispute, &user(by.as_ref()))?;
            outln!("{invoice} is in dispute ({}): it is not chased until resolved.", dispute.reason)?;
        }
        DisputeWhat::Resolve { invoice, resolution, on } => {
            let on = day_or_today(on.as_ref(), "--on", &organisation)?;
            store.resolve_dispute(organisation.id, invoice, on, resolution)?;
            outln!("Dispute on {invoice} resolved on {on}: what is still owed is chased again.")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn done(database: &str, organisation: Option<i64>, args: &DoneArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let on = day_or_today(args.on.as_ref(), "--on", &organisation)?;
    let action =
        store.complete_action(organisation.id, args.action, on, &user(args.by.as_ref()), args.note.as_deref())?;
    outln!("Done #{} for {} on {on}: {}", action.id, action.customer_code, action.explanation)?;
    Ok(ExitCode::SUCCESS)
}
