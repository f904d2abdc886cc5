//! `overdue interest`, `overdue waive`, `overdue rates`: late-payment interest and recovery costs
//! on an invoice, shown day-range by day-range so a customer or a judge can check them; what was
//! charged or waived is recorded in the books.

use crate::args::{InterestArgs, WaiveArgs, WaiveWhat};
use crate::setup::open_books;
use crate::table;
use crate::work::{day_or_today, user};
use anyhow::{Context, bail};
use chrono::NaiveDate;
use overdue_app::claim::{self, Computed, InterestOptions};
use overdue_core::legal::check_terms;
use overdue_core::rates::RateTable;
use overdue_store::{ChargeKind, ChargeStatus, NewCharge, Organisation, Store};
use std::process::ExitCode;

/// The shipped rates plus the user's own file (`--rates` / `OVERDUE_RATES`), if given.
pub fn rate_table(user_file: Option<&String>) -> anyhow::Result<RateTable> {
    let mut table = RateTable::shipped()?;
    if let Some(path) = user_file {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the rate file {path}"))?;
        table.add_file(path, &text)?;
    }
    Ok(table)
}

pub fn rates(user_file: Option<&String>) -> anyhow::Result<ExitCode> {
    let table = rate_table(user_file)?;
    outln!(
        "# reference rates in use (shipped{}); add a new half-year in your own file, OVERDUE_RATES=FILE",
        user_file.map(|f| format!(" + {f}")).unwrap_or_default()
    )?;
    out!("{}", table.to_csv())?;
    Ok(ExitCode::SUCCESS)
}

fn options(args: &InterestArgs) -> InterestOptions {
    InterestOptions {
        regime: args.regime.clone(),
        legal_order: args.legal_order,
        due_date_shift: args.due_date_shift.clone(),
    }
}

fn compute(
    store: &mut dyn Store,
    organisation: &Organisation,
    args: &InterestArgs,
    rates: &RateTable,
    as_of: NaiveDate,
) -> anyhow::Result<Computed> {
    Ok(claim::compute(store, organisation, &args.invoice, &options(args), rates, as_of)?)
}

pub fn run(
    database: &str,
    organisation: Option<i64>,
    rates: Option<&String>,
    args: &InterestArgs,
) -> anyhow::Result<ExitCode> {
    let table = rate_table(rates)?;
    let (mut store, organisation) = open_books(database, organisation)?;
    let as_of = day_or_today(args.as_of.as_ref(), "--as-of", &organisation)?;
    let computed = compute(store.as_mut(), &organisation, args, &table, as_of)?;
    print_statement(&computed, &organisation)?;
    if args.charge {
        record(store.as_mut(), &organisation, &computed, &user(args.by.as_ref()), as_of)?;
    }
    print_recorded(store.as_mut(), &organisation, &args.invoice)?;
    Ok(ExitCode::SUCCESS)
}

fn print_statement(computed: &Computed, organisation: &Organisation) -> std::io::Result<()> {
    let (invoice, statement) = (&computed.detail.invoice, &computed.statement);
    outln!(
        "Invoice {} — {} — {}, terms {}",
        invoice.number,
        computed.detail.customer_name,
        invoice.totals.gross,
        invoice.terms
    )?;
    outln!("Regime: {} (from {})", statement.regime, computed.regime_source)?;
    for due in &invoice.instalments {
        outln!("  due {}: {}", due.due_date, due.amount)?;
    }
    for moved in &statement.moved_due_dates {
        outln!(
            "  due date {} falls on a Sunday or holiday: moved to {} (no interest for the gap)",
            moved.agreed,
            moved.moved_to
        )?;
    }
    for payment in &computed.detail.payments {
        outln!("  paid {}: {} ({})", payment.date, payment.amount, payment.reference)?;
    }
    let delivered = invoice.supply_to.unwrap_or(invoice.issue_date);
    if let Some(last) = invoice.instalments.iter().map(|i| i.due_date).max()
        && let Some(finding) = check_terms(organisation.country, delivered, last, computed.terms_agreed)
    {
        outln!("  warning: {finding}")?;
    }
    outln!()?;
    if statement.lines.is_empty() {
        outln!("No day bears interest as of {}: nothing was late, or it was paid by its due date.", statement.as_of)?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = statement
        .lines
        .iter()
        .map(|l| {
            vec![
                l.from.to_string(),
                l.to.to_string(),
                l.days.to_string(),
                l.outstanding.to_decimal_string(),
                l.rate.to_string(),
                l.interest.to_decimal_string(),
            ]
        })
        .collect();
    table::print(&["from", "to", "days", "outstanding", "rate", "interest"], &rows, &[2, 3, 4, 5])?;
    outln!("Interest as of {} (actual/365, each line rounded half-up): {}", statement.as_of, statement.interest)?;
    if let Some(compensation) = statement.compensation {
        outln!("Fixed compensation for recovery costs: {compensation}")?;
    }
    if statement.paid_to_costs.is_positive() || statement.paid_to_interest.is_positive() {
        outln!(
            "Payments went first to costs ({}) and interest ({}), then to the principal.",
            statement.paid_to_costs,
            statement.paid_to_interest
        )?;
    }
    Ok(())
}

/// Records the interest (as of the day) and the compensation as charged.
fn record(
    store: &mut dyn Store,
    organisation: &Organisation,
    computed: &Computed,
    by: &str,
    as_of: NaiveDate,
) -> anyhow::Result<()> {
    let statement = &computed.statement;
    let number = computed.detail.invoice.number.as_str();
    let detail = statement
        .lines
        .iter()
        .map(|l| format!("{} to {}: {} days on {} at {} = {}", l.from, l.to, l.days, l.outstanding, l.rate, l.interest))
        .collect::<Vec<_>>()
        .join("\n");
    let charge = |kind, amount| NewCharge {
        kind,
        step: None,
        amount,
        computed_to: as_of,
        status: ChargeStatus::Charged,
        recorded_on: as_of,
        recorded_by: by.to_owned(),
        note: Some(statement.regime.to_string()),
        detail: Some(detail.clone()),
    };
    if statement.interest.is_positive() {
        let changed =
            store.record_charge(organisation.id, number, &charge(ChargeKind::Interest, statement.interest))?;
        outln!(
            "{}",
            if changed { "Interest recorded as charged." } else { "Interest was waived earlier: left as it was." }
        )?;
    }
    if let Some(compensation) = statement.compensation {
        let changed = store.record_charge(organisation.id, number, &charge(ChargeKind::Compensation, compensation))?;
        outln!("{}", if changed { "Compensation recorded as charged." } else { "Compensation was already recorded." })?;
    }
    Ok(())
}

fn print_recorded(store: &mut dyn Store, organisation: &Organisation, number: &str) -> anyhow::Result<()> {
    let charges = store.charges(organisation.id, number)?;
    if charges.is_empty() {
        return Ok(());
    }
    outln!()?;
    outln!("Recorded on this invoice:")?;
    for c in charges {
        let step = c.step.map(|s| format!(" ({s})")).unwrap_or_default();
        let note = c.note.map(|n| format!(" — {n}")).unwrap_or_default();
        let to = if c.kind == ChargeKind::Interest { format!(" to {}", c.computed_to) } else { String::new() };
        let (status, kind) = (c.status.as_str(), c.kind.as_str().replace('_', " "));
        outln!("  {status} {kind}{step}: {}{to}, on {} by {}{note}", c.amount, c.recorded_on, c.recorded_by)?;
    }
    Ok(())
}

pub fn waive(
    database: &str,
    organisation: Option<i64>,
    rates: Option<&String>,
    args: &WaiveArgs,
) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let as_of = day_or_today(args.as_of.as_ref(), "--as-of", &organisation)?;
    let by = user(args.by.as_ref());
    let what = match (args.what, &args.step) {
        (WaiveWhat::Fee, Some(step)) => claim::Waived::Fee(step),
        (WaiveWhat::Fee, None) => bail!("name the step whose late fee to waive: --step STEP"),
        (WaiveWhat::Interest, _) => claim::Waived::Interest,
        (WaiveWhat::Compensation, _) => claim::Waived::Compensation,
    };
    let table = rate_table(rates)?;
    let options = claim::InterestOptions { regime: args.regime.clone(), ..Default::default() };
    let today = overdue_app::clock::today(&organisation, chrono::Utc::now());
    let waived = (args.reason.as_str(), by.as_str(), as_of, today);
    let (amount, new) = claim::waive(store.as_mut(), &organisation, (&args.invoice, what), waived, (&options, &table))?;
    let name = match what {
        claim::Waived::Interest => "interest",
        claim::Waived::Compensation => "compensation",
        claim::Waived::Fee(_) => "step fee",
    };
    if new {
        outln!("Waived {name} {amount} on {}: {}", args.invoice, args.reason)?;
    } else {
        outln!("Already waived on {}: nothing changed.", args.invoice)?;
    }
    Ok(ExitCode::SUCCESS)
}
