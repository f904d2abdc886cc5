//! `overdue plan`: payment plans agreed, shown with where each stands, and cancelled.

use crate::args::{PlanArgs, PlanWhat};
use crate::setup::open_books;
use crate::work::{day_or_today, user};
use anyhow::Context;
use overdue_app::plans::{PlanStated, Schedule};
use overdue_core::payment_plan::PlanState;
use std::process::ExitCode;

pub fn plan(database: &str, organisation: Option<i64>, args: &PlanArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    match &args.what {
        PlanWhat::Create { customer, invoices, instalments, split, first, on, by } => {
            let agreed_on = day_or_today(on.as_ref(), "--on", &organisation)?;
            let schedule = match (split, first) {
                (Some(count), Some(first)) => {
                    Schedule::Monthly { count: *count, first: overdue_core::date::parse_iso(first).context("--first")? }
                }
                _ => Schedule::Dated(instalments.iter().map(|i| dated(i)).collect::<anyhow::Result<_>>()?),
            };
            let stated = PlanStated { customer: customer.clone(), invoices: invoices.clone(), schedule, agreed_on };
            let now = chrono::Utc::now().naive_utc();
            let plan = overdue_app::plans::create(store.as_mut(), &organisation, &stated, (&user(by.as_ref()), now))?;
            let numbers: Vec<&str> = plan.invoices.iter().map(|n| n.as_str()).collect();
            outln!("Payment plan {} agreed for {customer}: {} ({}).", plan.id, plan.principal, numbers.join(", "))?;
            for instalment in &plan.instalments {
                outln!("  {}  {}", instalment.due_date, instalment.amount)?;
            }
            outln!(
                "Its invoices are not chased while it is kept; each instalment is reminded 3 days before its date."
            )?;
        }
        PlanWhat::Show { customer, as_of } => {
            let as_of = day_or_today(as_of.as_ref(), "--as-of", &organisation)?;
            let plans = overdue_app::plans::list(store.as_mut(), &organisation, customer, as_of)?;
            if plans.is_empty() {
                outln!("{customer} has no payment plan.")?;
            }
            let state = store.customer_state(organisation.id, customer, as_of)?;
            for (plan, judged) in plans {
                let numbers: Vec<&str> = plan.invoices.iter().map(|n| n.as_str()).collect();
                outln!(
                    "Plan {} agreed {}: {} for {} — {}",
                    plan.id,
                    plan.agreed_on,
                    plan.principal,
                    numbers.join(", "),
                    said(judged)
                )?;
                let open = overdue_app::plans::open_of(&state, &plan);
                for instalment in &plan.instalments {
                    let left = plan.left_of(instalment.due_date, open);
                    let paid = if left.is_positive() { format!("{left} to pay") } else { "paid".to_owned() };
                    outln!("  {}  {}  {paid}", instalment.due_date, instalment.amount)?;
                }
            }
        }
        PlanWhat::Cancel { id, reason, by } => {
            let today = overdue_app::clock::today(&organisation, chrono::Utc::now());
            let customer =
                overdue_app::plans::cancel(store.as_mut(), &organisation, *id, (reason, &user(by.as_ref())), today)?;
            outln!("Payment plan {id} of {customer} cancelled: its invoices are chased again from the next run.")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `DATE=AMOUNT` as an instalment.
fn dated(text: &str) -> anyhow::Result<(chrono::NaiveDate, String)> {
    let (day, amount) = text.split_once('=').with_context(|| format!("--instalment {text:?}: write DATE=AMOUNT"))?;
    let day = overdue_core::date::parse_iso(day.trim()).with_context(|| format!("--instalment {text:?}: the date"))?;
    Ok((day, amount.trim().to_owned()))
}

/// Where a plan stands, in a few words.
fn said(state: PlanState) -> String {
    match state {
        PlanState::Kept { next: Some(next) } => format!("kept; next instalment {} on {}", next.amount, next.due_date),
        PlanState::Kept { next: None } => "kept".to_owned(),
        PlanState::Completed => "completed: its invoices are paid".to_owned(),
        PlanState::Broken { missed } => {
            format!("BROKEN: the instalment of {} due on {} was missed", missed.amount, missed.due_date)
        }
        PlanState::Cancelled => "cancelled".to_owned(),
        PlanState::NotYetAgreed => "agreed after that day".to_owned(),
    }
}
