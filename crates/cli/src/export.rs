//! `overdue export aging|open-items|case CUSTOMER`: reports as CSV, and the case file a
//! collection agency needs to take a customer over. The case folder is written whole or not at
//! all: it is built beside its final name and renamed when complete.

use crate::args::{ExportArgs, ExportWhat};
use crate::interest::rate_table;
use crate::setup::open_books;
use crate::work::day_or_today;
use anyhow::{Context, bail};
use chrono::NaiveDate;
use overdue_app::case::{case_file, items_of, open_items};
use overdue_app::reports::open_invoices;
use overdue_core::rates::RateTable;
use overdue_formats::exports;
use overdue_store::{InvoiceSummary, Organisation, Store};
use std::path::Path;
use std::process::ExitCode;

pub fn run(
    database: &str,
    organisation: Option<i64>,
    rates: Option<&String>,
    args: &ExportArgs,
) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    match &args.what {
        ExportWhat::Aging { as_of, out } => {
            let as_of = day_or_today(as_of.as_ref(), "--as-of", &organisation)?;
            let rows = overdue_app::reports::aging(store.as_mut(), &organisation, as_of)?;
            write(out.as_deref(), &exports::aging_csv(&rows)?)?;
        }
        ExportWhat::OpenItems { customer, as_of, out } => {
            let as_of = day_or_today(as_of.as_ref(), "--as-of", &organisation)?;
            let items = open_items(store.as_mut(), &organisation, customer.clone(), as_of)?;
            write(out.as_deref(), &exports::open_items_csv(&items, as_of)?)?;
        }
        ExportWhat::Case { customer, as_of, out } => {
            let as_of = day_or_today(as_of.as_ref(), "--as-of", &organisation)?;
            let folder = out.clone().unwrap_or_else(|| format!("case-{customer}-{as_of}"));
            let table = rate_table(rates)?;
            write_case(store.as_mut(), &organisation, customer, as_of, &table, Path::new(&folder))?;
            outln!("Case file for {customer} written to {folder}/ (case.json, invoices.csv).")?;
            outln!("When the agency takes it: `overdue done` on the hand-off action stops the reminders.")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// To the file named, or to the screen.
pub(crate) fn write(out: Option<&str>, bytes: &[u8]) -> anyhow::Result<()> {
    match out {
        Some(path) => std::fs::write(path, bytes).with_context(|| format!("cannot write {path}")),
        None => {
            use std::io::Write as _;
            std::io::stdout().write_all(bytes).context("cannot write the report")
        }
    }
}

fn write_case(
    store: &mut dyn Store,
    organisation: &Organisation,
    code: &str,
    as_of: NaiveDate,
    rates: &RateTable,
    folder: &Path,
) -> anyhow::Result<()> {
    if folder.exists() {
        bail!("{} already exists: choose another folder with --out", folder.display());
    }
    let case = case_file(store, organisation, code, as_of, rates)?;
    let invoices = open_invoices(store, organisation, Some(code.to_owned()), as_of)?;
    let items = items_of(store, organisation, &invoices)?;
    let partial = folder.with_extension("partial");
    if partial.exists() {
        std::fs::remove_dir_all(&partial).with_context(|| format!("cannot clear {}", partial.display()))?;
    }
    std::fs::create_dir_all(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
    std::fs::write(partial.join("case.json"), serde_json::to_vec_pretty(&case)?)?;
    for invoice in case["invoices"].as_array().into_iter().flatten() {
        if let Some(why) = invoice["interest"]["not_computed"].as_str().filter(|why| *why != "nothing overdue") {
            outln!("warning: no interest claimed on {}: {why}", invoice["number"].as_str().unwrap_or("?"))?;
        }
    }
    std::fs::write(partial.join("invoices.csv"), exports::open_items_csv(&items, as_of)?)?;
    copy_documents(store, organisation.id, &invoices, &partial)?;
    std::fs::rename(&partial, folder).with_context(|| format!("cannot create {}", folder.display()))?;
    Ok(())
}

/// The original invoice documents the books keep, in `documents/`, named after the invoice.
fn copy_documents(
    store: &mut dyn Store,
    tenant: i64,
    invoices: &[InvoiceSummary],
    folder: &Path,
) -> anyhow::Result<()> {
    for invoice in invoices {
        let Some(document) = store.invoice_document(tenant, &invoice.number)? else { continue };
        let documents = folder.join("documents");
        std::fs::create_dir_all(&documents)?;
        let safe: String =
            invoice.number.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' }).collect();
        std::fs::write(documents.join(format!("{safe}-{}", document.file_name)), document.content)?;
    }
    Ok(())
}
