//! `overdue preview`, `overdue send`, `overdue outbox`, `overdue letterhead`, `overdue
//! templates`: the messages that go out. `send` drains the outbox one message at a time: the
//! claim is committed before the message is handed to the SMTP server, the outcome after, so a
//! stop at any point never sends a message twice without a person deciding.

use crate::args::{
    LetterArgs, LetterheadArgs, OutboxArgs, OutboxCommand, PreviewArgs, SendArgs, TemplatesArgs, TemplatesCommand,
};
use crate::interest::rate_table;
use crate::messages::{Prepared, invoice_pdf, letter_pdf, prepare};
use crate::setup::open_books;
use crate::work::day_or_today;
use anyhow::Context;
use chrono::{NaiveDateTime, TimeDelta, Timelike};
use overdue_core::rates::RateTable;
use overdue_notify::{Mailer, Outgoing, SendError, Templates};
use overdue_store::{Organisation, OutboxDecision, OutboxEntry, Store};
use std::path::Path;
use std::process::ExitCode;

/// Attempts before a temporary failure counts as permanent.
const ATTEMPTS_MAX: i64 = 6;

/// The business's templates folder, else the shipped templates.
pub fn templates(folder: Option<&String>) -> anyhow::Result<Templates> {
    Ok(match folder {
        Some(folder) => Templates::with_folder(Path::new(folder))?,
        None => Templates::shipped()?,
    })
}

pub fn preview(
    database: &str,
    organisation: Option<i64>,
    folders: (Option<&String>, Option<&String>),
    args: &PreviewArgs,
) -> anyhow::Result<ExitCode> {
    let (templates_folder, rates_file) = folders;
    let today = day_or_today(args.as_of.as_ref(), "--as-of")?;
    let (mut store, organisation) = open_books(database, organisation)?;
    let action = store.action(organisation.id, args.action)?;
    let prepared = prepare(
        store.as_mut(),
        &organisation,
        &templates(templates_folder)?,
        &rate_table(rates_file)?,
        &action,
        today,
    )?;
    print_message(&prepared)?;
    Ok(ExitCode::SUCCESS)
}

pub fn letter(
    database: &str,
    organisation: Option<i64>,
    folders: (Option<&String>, Option<&String>),
    args: &LetterArgs,
) -> anyhow::Result<ExitCode> {
    let today = day_or_today(args.as_of.as_ref(), "--as-of")?;
    let (mut store, organisation) = open_books(database, organisation)?;
    let templates = templates(folders.0)?;
    let (title, pdf) = match (args.action, &args.invoice) {
        (_, Some(number)) => invoice_pdf(store.as_mut(), &organisation, &templates, number, today)?,
        (Some(id), None) => {
            let action = store.action(organisation.id, id)?;
            let prepared = prepare(store.as_mut(), &organisation, &templates, &rate_table(folders.1)?, &action, today)?;
            let letterhead = store.letterhead(organisation.id)?;
            (prepared.rendered.subject.clone(), letter_pdf(&organisation, &letterhead, &prepared.rendered))
        }
        (None, None) => anyhow::bail!("say which action (or --invoice NUMBER) to print"),
    };
    std::fs::write(&args.out, &pdf).with_context(|| format!("cannot write {}", args.out))?;
    outln!("{}: \"{title}\" ({} bytes)", args.out, pdf.len())?;
    Ok(ExitCode::SUCCESS)
}

fn print_message(prepared: &Prepared) -> std::io::Result<()> {
    outln!("To: {}", prepared.to.as_deref().unwrap_or("(no e-mail address: it cannot be sent by e-mail)"))?;
    outln!("Subject: {}", prepared.rendered.subject)?;
    outln!("Language: {}", prepared.language)?;
    for file in &prepared.attachments {
        outln!("Attached: {} ({} bytes)", file.file_name, file.content.len())?;
    }
    outln!()?;
    out!("{}", prepared.rendered.body)
}

/// What one run of the sender did.
#[derive(Default)]
struct Tally {
    sent: u64,
    later: u64,
    failed: u64,
}

pub fn send(
    database: &str,
    organisation: Option<i64>,
    folders: (Option<&String>, Option<&String>),
    args: &SendArgs,
) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let templates = templates(folders.0)?;
    let rates = rate_table(folders.1)?;
    if args.dry_run {
        return dry_run(store.as_mut(), &organisation, &templates, &rates, args);
    }
    let url = args.smtp.as_deref().context("say which SMTP server sends the mail: --smtp URL or OVERDUE_SMTP_URL")?;
    let from = match &args.from {
        Some(from) => from.clone(),
        None => store
            .letterhead(organisation.id)?
            .email
            .map(|email| format!("{} <{email}>", organisation.name))
            .context("say who the mail is from: --from ADDRESS, or `overdue letterhead email=ADDRESS`")?,
    };
    let mut mailer = Mailer::new(url, &from)?;
    let started = now();
    let stale = store.flag_stale_messages(organisation.id, started - TimeDelta::seconds(args.stale_after as i64))?;
    if stale > 0 {
        outln!("{stale} messages were being sent when a sender stopped: marked uncertain (see `overdue outbox`).")?;
    }
    let worker = format!("{}:{}", hostname(), std::process::id());
    let mut tally = Tally::default();
    let pause = (args.rate > 0.0).then(|| std::time::Duration::from_secs_f64(1.0 / args.rate));
    for _ in 0..args.limit {
        let Some(message) = store.claim_message(organisation.id, now(), &worker)? else { break };
        deliver(store.as_mut(), &organisation, &templates, &rates, &mut mailer, &message, &mut tally)?;
        if let Some(pause) = pause {
            std::thread::sleep(pause);
        }
    }
    outln!("{} sent, {} to try again later, {} failed (see `overdue outbox`).", tally.sent, tally.later, tally.failed)?;
    // a scheduler should hear about anything that did not go
    Ok(if tally.failed > 0 || tally.later > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Sends one claimed message and records what happened.
fn deliver(
    store: &mut dyn Store,
    organisation: &Organisation,
    templates: &Templates,
    rates: &RateTable,
    mailer: &mut Mailer,
    message: &OutboxEntry,
    tally: &mut Tally,
) -> anyhow::Result<()> {
    let tenant = organisation.id;
    let action = store.action(tenant, message.action_id)?;
    let outcome = match prepare(store, organisation, templates, rates, &action, now().date()) {
        Err(error) => Err(SendError::Permanent(format!("{error:#}"))),
        Ok(Prepared { to: None, .. }) => Err(SendError::Permanent(format!(
            "customer {} has no e-mail address for its {} contact: add one, then `overdue outbox retry {}`",
            action.customer_code,
            action.address_to.replace('_', " "),
            message.id
        ))),
        Ok(Prepared { to: Some(to), language, rendered, attachments }) => {
            let message_id = format!("overdue.{tenant}.{}.{}@{}", message.id, message.attempts, mailer.domain());
            store.prepare_message(tenant, message.id, &to, &rendered.subject, &format!("<{message_id}>"))?;
            let outgoing = Outgoing {
                to: &to,
                message: &rendered,
                message_id: &message_id,
                language: &language,
                attachments: &attachments,
            };
            mailer.send(&outgoing)
        }
    };
    match outcome {
        Ok(()) => {
            store.message_delivered(tenant, message.id, now())?;
            tally.sent += 1;
        }
        Err(SendError::Temporary(error)) if message.attempts < ATTEMPTS_MAX => {
            store.message_failed(tenant, message.id, &error, Some(now() + backoff(message.attempts)), now())?;
            tally.later += 1;
        }
        Err(error) => {
            store.message_failed(tenant, message.id, &error.to_string(), None, now())?;
            tally.failed += 1;
        }
    }
    Ok(())
}

/// 1 minute, 5, 25, 2 hours, 10 hours.
fn backoff(attempts: i64) -> TimeDelta {
    TimeDelta::minutes(5i64.pow(u32::try_from(attempts.clamp(1, 5) - 1).unwrap_or(0)))
}

fn dry_run(
    store: &mut dyn Store,
    organisation: &Organisation,
    templates: &Templates,
    rates: &RateTable,
    args: &SendArgs,
) -> anyhow::Result<ExitCode> {
    let today = now().date();
    let due: Vec<OutboxEntry> = store
        .outbox(organisation.id, false, i64::from(args.limit))?
        .into_iter()
        .filter(|m| m.status == overdue_store::OutboxStatus::Queued && m.due_on <= today)
        .collect();
    let mut sendable = 0;
    for message in due.iter().rev() {
        let action = store.action(organisation.id, message.action_id)?;
        outln!("---- message {} (action {}, {})", message.id, action.id, action.customer_code)?;
        match prepare(store, organisation, templates, rates, &action, today) {
            Ok(prepared) => {
                sendable += usize::from(prepared.to.is_some());
                print_message(&prepared)?;
            }
            Err(error) => outln!("cannot be sent: {error:#}")?,
        }
    }
    outln!(
        "---- {sendable} messages would be sent, {} could not be (see above); nothing was sent (--dry-run).",
        due.len() - sendable
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn outbox(database: &str, organisation: Option<i64>, args: &OutboxArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let (id, decision) = match args.decision {
        None => {
            let rows: Vec<Vec<String>> =
                store.outbox(organisation.id, args.all, args.limit)?.iter().map(outbox_row).collect();
            crate::table::print(&["#", "STATUS", "CUSTOMER", "TO", "SUBJECT", "TRIES", "NOTE"], &rows, &[5])?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(OutboxCommand::Retry { message }) => (message, OutboxDecision::Retry),
        Some(OutboxCommand::Cancel { message }) => (message, OutboxDecision::Cancel),
    };
    let decided = store.decide_message(organisation.id, id, decision, now())?;
    outln!("Message {id} is now {}.", decided.status.as_str())?;
    Ok(ExitCode::SUCCESS)
}

fn outbox_row(message: &OutboxEntry) -> Vec<String> {
    let note = match (&message.last_error, message.sent_at) {
        (_, Some(at)) => format!("sent {}", at.format("%Y-%m-%d %H:%M")),
        (Some(error), None) => error.clone(),
        (None, None) => format!("due {}", message.due_on),
    };
    vec![
        message.id.to_string(),
        message.status.as_str().to_owned(),
        message.customer.clone(),
        message.recipient.clone().unwrap_or_default(),
        message.subject.clone().unwrap_or_default(),
        message.attempts.to_string(),
        note,
    ]
}

pub fn letterhead(database: &str, organisation: Option<i64>, args: &LetterheadArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let mut letterhead = store.letterhead(organisation.id)?;
    for setting in &args.settings {
        let (key, value) = setting.split_once('=').with_context(|| format!("{setting:?}: write key=value"))?;
        letterhead.set(key, value)?;
    }
    if !args.settings.is_empty() {
        store.set_letterhead(organisation.id, &letterhead)?;
    }
    outln!("{}", serde_json::to_string_pretty(&letterhead)?)?;
    Ok(ExitCode::SUCCESS)
}

pub fn templates_command(folder: Option<&String>, args: &TemplatesArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        TemplatesCommand::Init { folder } => {
            let written = overdue_notify::templates::write_defaults(Path::new(folder))
                .with_context(|| format!("cannot write the templates into {folder}"))?;
            outln!("{} templates written to {folder}/ (files already there were kept).", written.len())?;
            outln!("Edit them, then use them with --templates {folder} or OVERDUE_TEMPLATES={folder}.")?;
        }
        TemplatesCommand::Check => {
            templates(folder)?;
            outln!("The templates load, and every one renders in every tone.")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Now, in UTC, to the second.
fn now() -> NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    now.with_nanosecond(0).unwrap_or(now)
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_else(|_| "localhost".into())
}
