//! `overdue preview`, `overdue send`, `overdue outbox`, `overdue letterhead`, `overdue
//! templates`: the messages that go out. `send` drains the outbox one message at a time: the
//! claim is committed before the message is handed to the SMTP server, the outcome after, so a
//! stop at any point never sends a message twice without a person deciding.

use crate::args::{
    LetterArgs, LetterheadArgs, OutboxArgs, OutboxCommand, PreviewArgs, SendArgs, TemplatesArgs, TemplatesCommand,
};
use crate::interest::rate_table;
use crate::setup::open_books;
use crate::work::day_or_today;
use anyhow::Context;
use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use overdue_app::messages::{Prepared, invoice_pdf};
use overdue_app::outbox::{Drain, Sender, Verdict, action_letter, drain, for_sending};
use overdue_notify::{Mailer, Templates};
use overdue_store::{OutboxDecision, OutboxEntry, Store};
use std::path::Path;
use std::process::ExitCode;

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
    let (mut store, organisation) = open_books(database, organisation)?;
    let today = day_or_today(args.as_of.as_ref(), "--as-of", &organisation)?;
    let action = store.action(organisation.id, args.action)?;
    let (templates, rates) = (templates(templates_folder)?, rate_table(rates_file)?);
    let sender = Sender { organisation: &organisation, templates: &templates, rates: &rates };
    let shown = overdue_app::outbox::preview(store.as_mut(), &sender, &action, today)?;
    let why = shown.why.unwrap_or_default();
    match shown.verdict {
        "withdraw" => outln!("On {today} this message would be withdrawn, not sent: {why}.")?,
        "hold" => outln!("Held for a person: {why}")?,
        "send" => {}
        _ => outln!("It would not go: {why}")?,
    }
    if let Some(prepared) = &shown.prepared {
        print_message(prepared)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn letter(
    database: &str,
    organisation: Option<i64>,
    folders: (Option<&String>, Option<&String>),
    args: &LetterArgs,
) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let today = day_or_today(args.as_of.as_ref(), "--as-of", &organisation)?;
    let templates = templates(folders.0)?;
    let (title, pdf) = match (args.action, &args.invoice) {
        (_, Some(number)) => invoice_pdf(store.as_mut(), &organisation, &templates, number, today)?,
        (Some(id), None) => {
            let rates = rate_table(folders.1)?;
            let sender = Sender { organisation: &organisation, templates: &templates, rates: &rates };
            action_letter(store.as_mut(), &sender, id, today)?
        }
        (None, None) => anyhow::bail!("say which action (or --invoice NUMBER) to print"),
    };
    std::fs::write(&args.out, &pdf).with_context(|| format!("cannot write {}", args.out))?;
    outln!("{}: \"{title}\" ({} bytes)", args.out, pdf.len())?;
    Ok(ExitCode::SUCCESS)
}

pub fn print_message(prepared: &Prepared) -> std::io::Result<()> {
    outln!("To: {}", prepared.to.as_deref().unwrap_or("(no e-mail address: it cannot be sent by e-mail)"))?;
    outln!("Subject: {}", prepared.rendered.subject)?;
    outln!("Language: {}", prepared.language)?;
    for file in &prepared.attachments {
        outln!("Attached: {} ({} bytes)", file.file_name, file.content.len())?;
    }
    outln!()?;
    out!("{}", prepared.rendered.body)
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
    let today = day_or_today(args.as_of.as_ref(), "--as-of", &organisation)?;
    let sender = Sender { organisation: &organisation, templates: &templates, rates: &rates };
    if args.dry_run {
        return dry_run(store.as_mut(), &sender, today, args);
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
    // a replayed day (--as-of) is the sender's day: what it records is dated then
    let replay = args.as_of.as_ref().map(|_| today);
    let clock = move || replay.map_or_else(now, |day| day.and_time(now().time()));
    let started = now();
    let stale = store.flag_stale_messages(organisation.id, started - TimeDelta::seconds(args.stale_after as i64))?;
    if stale > 0 {
        outln!("{stale} messages were being sent when a sender stopped: marked uncertain (see `overdue outbox`).")?;
    }
    let worker = format!("{}:{}", hostname(), std::process::id());
    let pause = (args.rate > 0.0).then(|| std::time::Duration::from_secs_f64(1.0 / args.rate));
    let how = Drain { today, clock: &clock, wall_clock: &now, worker: &worker, limit: u64::from(args.limit), pause };
    let tally = drain(store.as_mut(), &sender, &mut mailer, &how)?;
    outln!(
        "{} sent, {} withdrawn (nothing left to ask), {} held for approval, {} to try again later, {} failed (see \
         `overdue outbox`).",
        tally.sent,
        tally.withdrawn,
        tally.held,
        tally.later,
        tally.failed
    )?;
    // a scheduler should hear about anything that did not go
    Ok(if tally.failed > 0 || tally.later > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn dry_run(store: &mut dyn Store, sender: &Sender<'_>, today: NaiveDate, args: &SendArgs) -> anyhow::Result<ExitCode> {
    let tenant = sender.organisation.id;
    let due: Vec<OutboxEntry> = store
        .outbox(tenant, false, i64::from(args.limit))?
        .into_iter()
        .filter(|m| m.status == overdue_store::OutboxStatus::Queued && m.due_on <= today)
        .collect();
    let (mut sendable, mut withdrawn, mut waiting) = (0, 0, 0);
    for message in due.iter().rev() {
        let action = store.action(tenant, message.action_id)?;
        outln!("---- message {} (action {}, {})", message.id, action.id, action.customer_code)?;
        let waits = message.awaits_approval().then(|| message.approval.clone().unwrap_or_default());
        let page = overdue_app::messages::PageLink::Placeholder;
        match for_sending(store, sender, &action, (today, message.approved_by.is_some(), &page)) {
            Ok(Verdict::Withdraw(reason)) => {
                withdrawn += 1;
                outln!("would be withdrawn, not sent: {reason}")?;
            }
            Ok(Verdict::Send(prepared) | Verdict::Hold(prepared, _)) if waits.is_some() => {
                waiting += 1;
                let why = waits.unwrap_or_default();
                outln!("waits for approval, not sent: {why} (`overdue outbox approve {}`)", message.id)?;
                print_message(&prepared)?;
            }
            Ok(Verdict::Send(prepared)) => {
                sendable += usize::from(prepared.to.is_some());
                print_message(&prepared)?;
            }
            Ok(Verdict::Hold(prepared, why)) => {
                waiting += 1;
                outln!("would be held for approval, not sent: {why}")?;
                print_message(&prepared)?;
            }
            Err(error) => outln!("cannot be sent: {error:#}")?,
        }
    }
    outln!(
        "---- {sendable} messages would be sent, {withdrawn} withdrawn, {waiting} wait for approval, {} could not be \
         (see above); nothing was sent (--dry-run).",
        due.len() - sendable - withdrawn - waiting
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn outbox(database: &str, organisation: Option<i64>, args: &OutboxArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let (id, decision) = match &args.decision {
        None => {
            let rows: Vec<Vec<String>> =
                store.outbox(organisation.id, args.all, args.limit)?.iter().map(outbox_row).collect();
            crate::table::print(&["#", "STATUS", "CUSTOMER", "TO", "SUBJECT OR ACTION", "TRIES", "NOTE"], &rows, &[5])?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(OutboxCommand::Retry { message }) => (*message, OutboxDecision::Retry),
        Some(OutboxCommand::Cancel { message }) => (*message, OutboxDecision::Cancel),
        Some(OutboxCommand::Approve { messages, all, by }) => {
            return approve(store.as_mut(), organisation.id, (messages.clone(), *all), &crate::work::user(by.as_ref()));
        }
        Some(OutboxCommand::Reject { message, reason, by }) => {
            let by = crate::work::user(by.as_ref());
            let today = overdue_app::clock::today(&organisation, chrono::Utc::now());
            let rejected = store.reject_message(organisation.id, *message, &by, reason, today)?;
            outln!("Message {} rejected: {}.", rejected.id, rejected.last_error.unwrap_or_default())?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    let by = crate::work::user(None);
    let decided = overdue_app::outbox::decide(store.as_mut(), &organisation, id, (decision, &by, now()))?;
    outln!("Message {id} is now {}.", decided.status.as_str())?;
    Ok(ExitCode::SUCCESS)
}

/// Approves the messages named, or (`all`) every message waiting for approval.
fn approve(store: &mut dyn Store, tenant: i64, (ids, all): (Vec<i64>, bool), by: &str) -> anyhow::Result<ExitCode> {
    let ids = if all {
        store.outbox(tenant, false, i64::MAX)?.iter().filter(|m| m.awaits_approval()).map(|m| m.id).collect()
    } else {
        ids
    };
    if ids.is_empty() {
        outln!("No message waits for approval.")?;
    }
    for id in ids {
        let approved = store.approve_message(tenant, id, by, now())?;
        outln!(
            "Message {} to {} approved by {by}: it goes with the next `overdue send`.",
            approved.id,
            approved.customer
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn outbox_row(message: &OutboxEntry) -> Vec<String> {
    let note = match (&message.last_error, message.sent_at) {
        _ if message.awaits_approval() => {
            format!("waits for approval: {}", message.approval.as_deref().unwrap_or_default())
        }
        (_, Some(at)) => format!("sent {}", at.format("%Y-%m-%d %H:%M")),
        (Some(error), None) => error.clone(),
        (None, None) => format!("due {}", message.due_on),
    };
    vec![
        message.id.to_string(),
        message.status.as_str().to_owned(),
        message.customer.clone(),
        message.recipient.clone().unwrap_or_default(),
        message.subject.clone().unwrap_or_else(|| message.what.clone()),
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
