//! `overdue statement`: a customer's statement of account printed, written as a PDF letter, or
//! queued to go by e-mail.

use crate::args::StatementArgs;
use crate::send::{print_message, templates};
use crate::setup::open_books;
use crate::work::day_or_today;
use anyhow::Context;
use overdue_app::messages::{PageLink, statement_message};
use std::process::ExitCode;

pub fn statement(
    database: &str,
    organisation: Option<i64>,
    templates_folder: Option<&String>,
    args: &StatementArgs,
) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let to = day_or_today(args.to.as_ref(), "--to", &organisation)?;
    let from = match &args.from {
        Some(text) => overdue_core::date::parse_iso(text).context("--from")?,
        None => overdue_app::statement::default_from(to),
    };
    let templates = templates(templates_folder)?;
    let prepared =
        statement_message(store.as_mut(), &organisation, &templates, &args.customer, ((from, to), &PageLink::None))?;
    if let Some(path) = &args.pdf {
        let pdf = prepared.attachments.first().context("the statement has no PDF")?;
        std::fs::write(path, &pdf.content).with_context(|| format!("cannot write {path}"))?;
        outln!("{path}: \"{}\" ({} bytes)", prepared.rendered.subject, pdf.content.len())?;
    } else {
        print_message(&prepared)?;
    }
    if args.send {
        match overdue_app::statement::queue(store.as_mut(), &organisation, &args.customer, to)? {
            true => outln!(
                "\nQueued: `overdue send` e-mails it to {}.",
                prepared.to.as_deref().unwrap_or("(no e-mail address)")
            )?,
            false => outln!("\nA statement for {} was already queued on {to}: nothing more is queued.", args.customer)?,
        }
    }
    Ok(ExitCode::SUCCESS)
}
