//! The daily work: `overdue run` plans the day, `overdue today` lists what to do, `overdue
//! explain` says why, `overdue timeline` tells a customer's story.

use crate::args::{ExplainArgs, RunArgs, TimelineArgs, TodayArgs};
use crate::setup::open_books;
use anyhow::Context;
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use overdue_app::work::WorkSection;
use overdue_core::calendar::BusinessCalendar;
use overdue_store::{Organisation, Store, StoredAction};
use std::process::ExitCode;

/// `--as-of`/`--on` or, without one, today for the organisation (in its time zone): `run`,
/// `today`, `preview` and `send` all agree on what today is.
pub fn day_or_today(text: Option<&String>, flag: &str, organisation: &Organisation) -> anyhow::Result<NaiveDate> {
    match text {
        Some(text) => overdue_core::date::parse_iso(text).with_context(|| flag.to_owned()),
        None => Ok(overdue_app::clock::today(organisation, chrono::Utc::now())),
    }
}

/// Who is recording: `--by`, else the login name.
pub fn user(by: Option<&String>) -> String {
    by.cloned()
        .or_else(|| std::env::var("USER").ok())
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "overdue".to_owned())
}

fn calendar(store: &mut dyn Store, organisation: &Organisation, as_of: NaiveDate) -> anyhow::Result<BusinessCalendar> {
    Ok(overdue_app::day::calendar(store, organisation, as_of)?)
}

pub fn run(database: &str, organisation: Option<i64>, args: &RunArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let as_of = day_or_today(args.as_of.as_ref(), "--as-of", &organisation)?;
    let report = run_day(store.as_mut(), &organisation, as_of, args.quiet)?;
    outln!(
        "Planned {} for {}: {} customers, {} open invoices looked at; {} actions due, {} new ({} already planned).",
        as_of,
        organisation.name,
        report.customers,
        report.invoices,
        report.planned,
        report.created,
        report.planned - report.created
    )?;
    let calendar = calendar(store.as_mut(), &organisation, as_of)?;
    if !calendar.is_business_day(as_of) {
        outln!(
            "{as_of} is not a working day (weekend, public holiday or closing day): nothing is planned on it; \
             {} catches up.",
            calendar.on_or_after(as_of)
        )?;
    }
    outln!("Next: overdue today{}", args.as_of.as_ref().map_or(String::new(), |d| format!(" --as-of {d}")))?;
    Ok(ExitCode::SUCCESS)
}

/// Plans `as_of` for every customer and saves the actions.
pub fn run_day(
    store: &mut dyn Store,
    organisation: &Organisation,
    as_of: NaiveDate,
    quiet: bool,
) -> anyhow::Result<overdue_store::RunReport> {
    let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new_spinner() };
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    let mut progress = |r: &overdue_store::RunReport| {
        bar.set_message(format!("{} customers, {} actions", r.customers, r.planned));
        bar.tick();
    };
    let report = overdue_app::day::run(store, organisation, as_of, &mut progress)?;
    bar.finish_and_clear();
    Ok(report)
}

/// The heading of each section of the work list.
fn heading(section: WorkSection) -> &'static str {
    match section {
        WorkSection::Alarms => "ALARMS — open 60+ days with no contact",
        WorkSection::ReturnedPayments => "Returned payments — the bank took the money back: call today",
        WorkSection::BrokenPromises => "Broken promises and payment plans — follow up today",
        WorkSection::CustomerAnswers => "Answers on customers' own pages — read and act",
        WorkSection::Calls => "Calls to make",
        WorkSection::Messages => "Messages and letters to send",
        WorkSection::SaidPaid => "Said paid — the customer says they paid: find the money",
        WorkSection::PromisesDue => "Promises due — check the money arrived",
        WorkSection::Flags => "Flags — prepayment, credit limit, agency",
    }
}

pub fn today(database: &str, organisation: Option<i64>, args: &TodayArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let as_of = day_or_today(args.as_of.as_ref(), "--as-of", &organisation)?;
    let limit = if args.limit == 0 { i64::MAX } else { i64::from(args.limit) };
    let actions = overdue_app::work::today(store.as_mut(), &organisation, as_of, limit)?;
    print_work_list(&organisation.name, as_of, &actions)?;
    if actions.len() as i64 == limit {
        outln!("(first {limit} shown: --limit 0 for all)")?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn print_work_list(name: &str, as_of: NaiveDate, actions: &[StoredAction]) -> std::io::Result<()> {
    outln!("Work list for {name} on {as_of}: {} open actions", actions.len())?;
    if actions.is_empty() {
        outln!("Nothing to do. (Has `overdue run` been run today?)")?;
    }
    for section in WorkSection::ALL {
        let items: Vec<&StoredAction> = actions.iter().filter(|a| WorkSection::of(a) == section).collect();
        if items.is_empty() {
            continue;
        }
        outln!("\n{} ({})", heading(section), items.len())?;
        for action in items {
            print_action(action, as_of)?;
        }
    }
    Ok(())
}

fn print_action(action: &StoredAction, as_of: NaiveDate) -> std::io::Result<()> {
    let late = (as_of - action.due_on).num_days();
    let since = if late > 0 { format!(" [due {}, {late} days ago]", action.due_on) } else { String::new() };
    let tone = action.tone.as_deref().map_or(String::new(), |t| format!(" ({t})"));
    let to = match action.address_to.as_str() {
        "invoice_approver" => " → invoice approver",
        "decision_maker" => " → decision maker",
        _ => "",
    };
    outln!("  #{} {} — {}{tone}{to}{since}", action.id, action.customer_code, action.customer_name)?;
    outln!("      {}", action.explanation)?;
    for question in &action.questions {
        outln!("      ? {question}")?;
    }
    Ok(())
}

pub fn explain(database: &str, organisation: Option<i64>, args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let as_of = day_or_today(args.as_of.as_ref(), "--as-of", &organisation)?;
    let Some(explanation) = overdue_app::work::explain(store.as_mut(), &organisation, &args.invoice, as_of)? else {
        outln!("{} is not open on {as_of}: nothing to chase (paid, credited, or not yet issued).", args.invoice)?;
        return Ok(ExitCode::SUCCESS);
    };
    outln!("{}", explanation.now)?;
    if let Some(why) = &explanation.repeat_offender {
        outln!("{why}")?;
    }
    if explanation.today.is_empty() {
        outln!("Today ({as_of}): nothing for this invoice.")?;
    }
    for action in &explanation.today {
        outln!("Today ({as_of}): [{} / {}] {}", action.kind, action.reason, action.explanation)?;
    }
    match &explanation.next {
        Some((step, on)) => outln!("Next, if nothing changes: step {step:?} on {on}.")?,
        None => outln!("Next: no further step on the ladder.")?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn timeline(database: &str, organisation: Option<i64>, args: &TimelineArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let entries = store.timeline(organisation.id, &args.customer)?;
    outln!("Timeline of {} ({} events)", args.customer, entries.len())?;
    for entry in entries {
        let time = entry.time.map_or("     ".to_owned(), |t| t);
        outln!("{} {time}  {:<13} {}", entry.on, entry.kind, entry.text)?;
    }
    Ok(ExitCode::SUCCESS)
}
