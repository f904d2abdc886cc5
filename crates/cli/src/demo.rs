//! `overdue demo`: a first look at overdue in one command, on a throw-away demo database: the
//! example files that ship with the program plus a generated history, the engine run for today,
//! and today's work list.

use crate::args::{DemoArgs, GenArgs, ImportKind};
use crate::generate;
use crate::import::{import_file, print_report};
use anyhow::{Context, bail};
use overdue_core::currency::Currency;
use overdue_core::ids::Country;
use overdue_store::{ImportOptions, NewOrganisation};
use std::process::ExitCode;

const DEMO_NAME: &str = "Demo Distribuciones S.L.";
const EXAMPLES: [(ImportKind, &str, &str); 3] = [
    (ImportKind::Customers, "examples/customers.csv", include_str!("../../../examples/customers.csv")),
    (ImportKind::Invoices, "examples/invoices.csv", include_str!("../../../examples/invoices.csv")),
    (ImportKind::Payments, "examples/payments.csv", include_str!("../../../examples/payments.csv")),
];

pub fn run(args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let database = args.demo_database.as_str();
    replace_demo_database(database)?;
    let mut store = overdue_store::open(database).with_context(|| format!("cannot create {database}"))?;
    let country = Country::parse("ES")?;
    let organisation =
        store.create_organisation(&NewOrganisation { name: DEMO_NAME.to_owned(), country, currency: Currency::EUR })?;
    outln!("Demo books for {DEMO_NAME} in {database}\n")?;
    for (kind, name, content) in EXAMPLES {
        let started = std::time::Instant::now();
        let report = import_file(
            store.as_mut(),
            organisation.id,
            kind,
            std::io::Cursor::new(content),
            ImportOptions::default(),
        )?;
        print_report(name, &report, started.elapsed().as_secs_f64())?;
    }
    drop(store);
    let as_of = overdue_app::clock::today(&organisation, chrono::Utc::now());
    outln!("\nA year and a half of history for 300 more customers (generated, the same every time):")?;
    let history = GenArgs {
        customers: 300,
        invoices: 4000,
        interactions: 2500,
        seed: 7,
        as_of: Some(as_of.to_string()),
        out: None,
        into_store: true,
    };
    generate::run(database, None, &history)?;
    // Nothing is planned on a weekend: the demo shows the next working day's list instead.
    let today = as_of;
    let as_of = overdue_core::calendar::BusinessCalendar::new([]).on_or_after(today);
    if as_of != today {
        outln!("\nToday ({today}) is not a working day: here is the plan for {as_of}.")?;
    }
    let (mut store, organisation) = crate::setup::open_books(database, None)?;
    let report = crate::work::run_day(store.as_mut(), &organisation, as_of, true)?;
    outln!(
        "\nThe engine planned {as_of}: {} customers, {} open invoices, {} actions.\n",
        report.customers,
        report.invoices,
        report.planned
    )?;
    let actions = store.work_list(organisation.id, as_of, 40)?;
    crate::work::print_work_list(&organisation.name, as_of, &actions)?;
    outln!("\n(first 40 actions shown) Try, on {database}:")?;
    outln!("  overdue --database {database} today --limit 0")?;
    outln!("  overdue --database {database} explain F2026-0003")?;
    outln!("  overdue --database {database} timeline C003")?;
    outln!("  overdue --database {database} log call C003 --summary \"Awaiting approval\" --reason awaiting_approval")?;
    Ok(ExitCode::SUCCESS)
}

/// Removes an earlier demo database, but never a file that holds real books.
fn replace_demo_database(database: &str) -> anyhow::Result<()> {
    if !std::path::Path::new(database).exists() {
        return Ok(());
    }
    let names: Vec<String> = overdue_store::open(database)?.organisations()?.into_iter().map(|o| o.name).collect();
    if names.iter().any(|name| name != DEMO_NAME) {
        bail!("{database} holds other books ({}): not replacing it; pass --demo-database another.db", names.join(", "));
    }
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{database}{suffix}");
        if std::path::Path::new(&path).exists() {
            std::fs::remove_file(&path).with_context(|| format!("cannot remove {path}"))?;
        }
    }
    Ok(())
}
