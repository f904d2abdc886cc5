//! `overdue export aging|open-items|case CUSTOMER`: reports as CSV, and the case file a
//! collection agency needs to take a customer over. The case folder is written whole or not at
//! all: it is built beside its final name and renamed when complete.

use crate::args::{ExportArgs, ExportWhat};
use crate::interest::rate_table;
use crate::setup::open_books;
use crate::work::day_or_today;
use anyhow::{Context, bail};
use chrono::NaiveDate;
use overdue_app::reports::{open_amounts, open_invoices};
use overdue_core::interest::InterestStatement;
use overdue_core::money::Money;
use overdue_core::rates::RateTable;
use overdue_formats::exports::{self, OpenItem};
use overdue_store::{InvoiceSummary, Organisation, Store};
use serde_json::{Value, json};
use std::collections::BTreeMap;
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
            let invoices = open_invoices(store.as_mut(), &organisation, customer.clone(), as_of)?;
            let items = open_items(store.as_mut(), &organisation, &invoices)?;
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

/// The open items, each dated by its earliest unpaid instalment (an invoice paid in instalments
/// is overdue from the instalment it has not paid, not from its first).
fn open_items(
    store: &mut dyn Store,
    organisation: &Organisation,
    invoices: &[InvoiceSummary],
) -> anyhow::Result<Vec<OpenItem>> {
    let mut items = Vec::with_capacity(invoices.len());
    for invoice in invoices {
        let earliest = open_amounts(store, organisation, invoice)?.iter().map(|a| a.due_date).min();
        items.push(OpenItem { due_date: earliest.unwrap_or(invoice.due_date), ..open_item(invoice) });
    }
    Ok(items)
}

fn open_item(invoice: &InvoiceSummary) -> OpenItem {
    OpenItem {
        number: invoice.number.clone(),
        customer: invoice.customer_code.clone(),
        name: invoice.customer_name.clone(),
        kind: invoice.kind.as_str().to_owned(),
        issue_date: invoice.issue_date,
        due_date: invoice.due_date,
        terms: invoice.terms.clone(),
        total: invoice.gross,
        open: invoice.open,
    }
}

/// To the file named, or to the screen.
fn write(out: Option<&str>, bytes: &[u8]) -> anyhow::Result<()> {
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
    let case = case_json(store, organisation, code, as_of, rates)?;
    let invoices = open_invoices(store, organisation, Some(code.to_owned()), as_of)?;
    let items = open_items(store, organisation, &invoices)?;
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

/// Everything the agency needs, as one JSON document.
fn case_json(
    store: &mut dyn Store,
    organisation: &Organisation,
    code: &str,
    as_of: NaiveDate,
    rates: &RateTable,
) -> anyhow::Result<Value> {
    let customer = store
        .customer(organisation.id, code)?
        .with_context(|| format!("no customer {code:?} in the books of {}", organisation.name))?;
    let state = store.customer_state(organisation.id, code, as_of)?;
    let mut totals: BTreeMap<String, [i64; 5]> = BTreeMap::new();
    let mut invoices = Vec::new();
    for summary in open_invoices(store, organisation, Some(code.to_owned()), as_of)? {
        invoices.push(case_invoice(store, organisation, &summary, as_of, rates, &mut totals)?);
    }
    let promises: Vec<Value> = state
        .promises
        .iter()
        .map(|p| json!({ "promise": p.promise, "state": p.promise.state(as_of, 3, &state.payments) }))
        .collect();
    let history: Vec<Value> = store
        .timeline(organisation.id, code)?
        .into_iter()
        .map(|e| json!({ "on": e.on, "time": e.time, "kind": e.kind, "text": e.text }))
        .collect();
    Ok(json!({
        "prepared_on": as_of,
        "creditor": creditor(store, organisation)?,
        "debtor": customer,
        "totals": totals_json(&totals),
        "invoices": invoices,
        "promises": promises,
        "disputes": state.disputes,
        "history": history,
    }))
}

/// The business handing the case over: name, country and its letterhead (address, tax id,
/// contact, bank account).
fn creditor(store: &mut dyn Store, organisation: &Organisation) -> anyhow::Result<Value> {
    let letterhead = store.letterhead(organisation.id)?;
    Ok(json!({
        "name": organisation.name,
        "country": organisation.country.as_str(),
        "address": letterhead.address,
        "tax_id": letterhead.tax_id,
        "email": letterhead.email,
        "phone": letterhead.phone,
        "iban": letterhead.payment.iban,
        "bic": letterhead.payment.bic,
    }))
}

/// One open invoice with its payments, the interest and compensation to the day, and what was
/// charged or waived; adds principal, interest, compensation and fees to `totals` by currency.
fn case_invoice(
    store: &mut dyn Store,
    organisation: &Organisation,
    summary: &InvoiceSummary,
    as_of: NaiveDate,
    rates: &RateTable,
    totals: &mut BTreeMap<String, [i64; 5]>,
) -> anyhow::Result<Value> {
    let detail = store.invoice(organisation.id, &summary.number)?.context("invoice vanished")?;
    let charges = store.charges(organisation.id, &summary.number)?;
    let fees: i64 = charges
        .iter()
        .filter(|c| c.kind == overdue_store::ChargeKind::StepFee && c.status == overdue_store::ChargeStatus::Charged)
        .map(|c| c.amount.amount_minor())
        .sum();
    let interest = if summary.open.is_positive() && summary.kind == overdue_core::invoice::InvoiceKind::Invoice {
        overdue_app::claim::compute(store, organisation, &summary.number, &Default::default(), rates, as_of)
            .map(|computed| computed.statement)
            .map_err(|e| e.to_string())
    } else {
        Err("nothing overdue".to_owned())
    };
    let (interest_minor, compensation, missing) = match &interest {
        Ok(s) => (s.interest.amount_minor(), s.compensation, 0),
        Err(why) if why == "nothing overdue" => (0, None, 0),
        // the compensation needs no rate: still claimed, the interest marked as not computed
        Err(_) => {
            let claim =
                overdue_app::claim::for_invoices(store, organisation, rates, &[summary.number.as_str()], as_of)?;
            (0, claim.compensation.iter().next(), 1)
        }
    };
    let total = totals.entry(summary.open.currency().code().to_owned()).or_default();
    for (slot, amount) in total.iter_mut().zip([summary.open.amount_minor(), interest_minor, 0, fees, missing]) {
        *slot += amount;
    }
    // the compensation keeps the currency the law sets (EUR 40 also on a pound invoice)
    if let Some(compensation) = compensation {
        totals.entry(compensation.currency().code().to_owned()).or_default()[2] += compensation.amount_minor();
    }
    Ok(json!({
        "number": summary.number,
        "kind": summary.kind.as_str(),
        "issue_date": summary.issue_date,
        "terms": summary.terms,
        "currency": summary.open.currency().code(),
        "total": summary.gross.to_decimal_string(),
        "open": summary.open.to_decimal_string(),
        "days_overdue": (as_of - summary.due_date).num_days().max(0),
        "instalments": detail.invoice.instalments.iter()
            .map(|i| json!({ "due_date": i.due_date, "amount": i.amount.to_decimal_string() })).collect::<Vec<_>>(),
        "payments": detail.payments.iter()
            .map(|p| json!({ "reference": p.reference, "date": p.date, "method": p.method, "amount": p.amount.to_decimal_string() }))
            .collect::<Vec<_>>(),
        "interest": interest_json(&interest),
        "charges": charges,
    }))
}

fn interest_json(interest: &Result<InterestStatement, String>) -> Value {
    match interest {
        Ok(s) => json!({
            "regime": s.regime.to_string(),
            "to": s.as_of,
            "interest": s.interest.to_decimal_string(),
            "compensation": s.compensation.map(Money::to_decimal_string),
            "lines": s.lines.iter().map(|l| json!({
                "from": l.from, "to": l.to, "days": l.days, "outstanding": l.outstanding.to_decimal_string(),
                "rate_percent": l.rate.to_string(), "interest": l.interest.to_decimal_string(),
            })).collect::<Vec<_>>(),
        }),
        Err(why) => json!({ "not_computed": why }),
    }
}

fn totals_json(totals: &BTreeMap<String, [i64; 5]>) -> Vec<Value> {
    totals
        .iter()
        .filter_map(|(code, [principal, interest, compensation, fees, missing])| {
            let currency = overdue_core::Currency::from_code(code).ok()?;
            let text = |minor: i64| Money::new(minor, currency).to_decimal_string();
            // never a 0.00 for interest that could not be computed
            let interest_text = if *missing > 0 {
                json!(format!(
                    "not computed on {missing} invoices (a reference rate is not known): claim it separately"
                ))
            } else {
                json!(text(*interest))
            };
            Some(json!({
                "currency": code,
                "principal": text(*principal),
                "interest": interest_text,
                "compensation": text(*compensation),
                "fees": text(*fees),
                "total": text(principal + interest + compensation + fees),
            }))
        })
        .collect()
}
