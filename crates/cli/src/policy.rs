//! `overdue policy …` and `overdue closing-day`: the ladder of reminders as data, and the days
//! nobody is called.

use crate::args::{ClosingDayArgs, PolicyArgs, PolicyWhat};
use crate::setup::open_books;
use anyhow::Context;
use overdue_core::policy::PolicyBook;
use std::process::ExitCode;

pub fn run(
    database: &str,
    organisation: Option<i64>,
    templates_folder: Option<&String>,
    args: &PolicyArgs,
) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    match &args.what {
        PolicyWhat::Show => {
            let book = store.policy_book(organisation.id)?;
            outln!("{}", serde_json::to_string_pretty(&book)?)?;
        }
        PolicyWhat::Load { file } => {
            let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {file}"))?;
            let book: PolicyBook =
                serde_json::from_str(&text).with_context(|| format!("{file} is not a policy book"))?;
            let templates = crate::send::templates(templates_folder)?;
            overdue_app::settings::load_policy(store.as_mut(), &organisation, &book, &templates)
                .with_context(|| format!("{file} was not loaded"))?;
            let steps: usize = book.policies.iter().map(|p| p.steps.len()).sum();
            outln!(
                "Loaded {} policies ({steps} steps) from {file}; default: {}.",
                book.policies.len(),
                book.default_policy
            )?;
        }
        PolicyWhat::Assign { customer, segment, policy } => {
            let assigned = (segment.as_deref(), policy.as_deref());
            overdue_app::settings::assign_policy(store.as_mut(), &organisation, customer, assigned)?;
            outln!(
                "{customer}: segment {}, policy {}.",
                segment.as_deref().unwrap_or("(none)"),
                policy.as_deref().unwrap_or("(by segment or default)")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn closing_day(database: &str, organisation: Option<i64>, args: &ClosingDayArgs) -> anyhow::Result<ExitCode> {
    let day = overdue_core::date::parse_iso(&args.day)?;
    let (mut store, organisation) = open_books(database, organisation)?;
    overdue_app::settings::add_closing_day(store.as_mut(), &organisation, (day, &args.name))?;
    outln!("{day} ({}) is a closing day: no calls or messages are planned for it.", args.name.trim())?;
    Ok(ExitCode::SUCCESS)
}
