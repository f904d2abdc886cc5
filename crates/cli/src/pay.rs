//! `overdue pay INVOICE AMOUNT --date D`: record money received against an invoice.

use crate::args::PayArgs;
use crate::setup::open_books;
use anyhow::Context;
use overdue_app::AppError;
use overdue_app::payments::{self, PaymentReceived};
use overdue_core::date::parse_iso;
use std::process::ExitCode;

pub fn run(database: &str, organisation: Option<i64>, args: &PayArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let received = PaymentReceived {
        invoice: args.invoice.clone(),
        amount: args.amount.clone(),
        date: parse_iso(&args.date).context("--date")?,
        method: args.method.clone(),
        reference: args.reference.clone(),
    };
    let recorded = payments::record(store.as_mut(), &organisation, &received).map_err(|e| match e {
        // the fields given as flags are named as the flags
        AppError::Invalid { field: field @ ("method" | "reference"), reason } => anyhow::anyhow!("--{field} {reason}"),
        other => other.into(),
    })?;
    if !recorded.created {
        outln!(
            "This payment ({}) was already recorded: nothing changed. Give --reference to record another.",
            recorded.reference
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "Recorded {} from {} on {} against {}. Still owed: {}.",
        recorded.amount,
        recorded.customer_name,
        recorded.date,
        recorded.invoice,
        recorded.still_owed
    )?;
    if recorded.discount.is_positive() {
        outln!("The early-payment discount of {} was taken in time: written off.", recorded.discount)?;
    }
    let excess = recorded.excess;
    match recorded.credit_kept {
        _ if !excess.is_positive() => {}
        Some(kept) if kept == excess => outln!("{excess} more than was owed is kept as the customer's credit.")?,
        Some(kept) => outln!(
            "{excess} more than was owed went to the customer's other open invoices in {} (oldest first); {kept} of \
             it is kept as credit.",
            excess.currency()
        )?,
        None => outln!(
            "{excess} more than was owed went to the customer's other open invoices in {} (oldest first).",
            excess.currency()
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn undo(database: &str, organisation: Option<i64>, args: &crate::args::UnpayArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let today = overdue_app::clock::today(&organisation, chrono::Utc::now());
    let by = crate::work::user(args.by.as_ref());
    let reopened = payments::reverse(store.as_mut(), &organisation, &args.reference, (today, &by, &args.reason))?;
    outln!("Payment {} undone: {}.", args.reference, args.reason.trim())?;
    if !reopened.is_empty() {
        outln!("Open again: {}.", reopened.join(", "))?;
    }
    Ok(ExitCode::SUCCESS)
}
