//! Recording the work: `overdue log`, `overdue promise`, `overdue dispute`, `overdue done`.

use crate::args::{DisputeArgs, DisputeWhat, DoneArgs, LogArgs, LogChannel, PromiseArgs, YesNo};
use crate::setup::open_books;
use crate::work::{day_or_today, user};
use anyhow::{Context, bail};
use chrono::NaiveDateTime;
use overdue_app::followup::{PromiseStated, record_promise};
use overdue_core::contact::{Channel, Direction, Interaction, NonPaymentReason, ReceiptCheck};
use overdue_core::ids::InvoiceNumber;
use std::process::ExitCode;

fn reason(text: &str) -> anyhow::Result<NonPaymentReason> {
    overdue_app::followup::reason(text).map_err(|e| anyhow::anyhow!("--{e}"))
}

fn numbers(texts: &[String]) -> anyhow::Result<Vec<InvoiceNumber>> {
    overdue_app::followup::numbers(texts).map_err(|e| anyhow::anyhow!("--{e}"))
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
    let id = overdue_app::followup::record_conversation(store.as_mut(), &organisation, &args.customer, &interaction)?;
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

pub fn promise(database: &str, organisation: Option<i64>, args: &PromiseArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let stated = PromiseStated {
        customer: args.customer.clone(),
        amount: args.amount.clone(),
        promised_date: overdue_core::date::parse_iso(&args.date).context("--date")?,
        made_on: day_or_today(args.made_on.as_ref(), "--made-on", &organisation)?,
        method: args.method.clone(),
        promised_by: args.promised_by.clone(),
        invoices: args.invoices.clone(),
        currency: args.currency.clone(),
        within_pending: false,
    };
    let recorded = record_promise(store.as_mut(), &organisation, &stated, &user(args.by.as_ref()))?;
    outln!(
        "Promise #{}: {} to pay {} by {}. The reminders wait until then; if it does not arrive, the next run follows up.",
        recorded.id,
        recorded.customer_name,
        recorded.promise.amount,
        recorded.promise.promised_date
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn dispute(database: &str, organisation: Option<i64>, args: &DisputeArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    match &args.what {
        DisputeWhat::Open { invoice, reason: why, note, on, by } => {
            let opened_on = day_or_today(on.as_ref(), "--on", &organisation)?;
            let stated = (invoice.as_str(), why.as_str(), note.clone());
            let dispute = overdue_app::followup::open_dispute(
                store.as_mut(),
                &organisation,
                stated,
                opened_on,
                &user(by.as_ref()),
            )?;
            outln!("{invoice} is in dispute ({}): it is not chased until resolved.", dispute.reason)?;
        }
        DisputeWhat::Resolve { invoice, resolution, on } => {
            let on = day_or_today(on.as_ref(), "--on", &organisation)?;
            overdue_app::followup::resolve_dispute(store.as_mut(), &organisation, (invoice, resolution), on)?;
            outln!("Dispute on {invoice} resolved on {on}: what is still owed is chased again.")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn done(database: &str, organisation: Option<i64>, args: &DoneArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let on = day_or_today(args.on.as_ref(), "--on", &organisation)?;
    let by = user(args.by.as_ref());
    if let Some(reason) = &args.skip {
        let skipped = (on, by.as_str(), reason.as_str());
        let action = overdue_app::followup::skip_action(store.as_mut(), &organisation, args.action, skipped)?;
        outln!("Skipped #{} for {} on {on}: {} ({reason})", action.id, action.customer_code, action.explanation)?;
        return Ok(ExitCode::SUCCESS);
    }
    let done = (on, by.as_str(), args.note.as_deref());
    let action = overdue_app::followup::complete_action(store.as_mut(), &organisation, args.action, done)?;
    outln!("Done #{} for {} on {on}: {}", action.id, action.customer_code, action.explanation)?;
    Ok(ExitCode::SUCCESS)
}
