//! `overdue import-bank FILE…` and `overdue matches`: bank statements in, money received matched
//! to open invoices, and the uncertain lines worked by a person.

use crate::args::{ImportBankArgs, MatchDecision, MatchesArgs};
use crate::import::looks_like_xml;
use crate::setup::open_books;
use crate::work::user;
use anyhow::Context;
use overdue_core::bank::BankLine;
use overdue_core::money::Money;
use overdue_formats::bank::{self, csv::CsvMapping};
use overdue_store::{BankDecision, BankImportReport, StoredBankLine};
use std::process::ExitCode;

/// Rejected lines printed per file; the rest are counted.
const REJECTIONS_SHOWN: usize = 50;

/// One file read: its kind, the lines read, and the rejections as `where: why`.
struct ReadFile {
    kind: String,
    lines: Vec<BankLine>,
    rejected: Vec<String>,
}

pub fn import(database: &str, organisation: Option<i64>, args: &ImportBankArgs) -> anyhow::Result<ExitCode> {
    let mapping = match &args.map {
        Some(spec) => CsvMapping::parse_spec(spec).context("--map")?,
        None => CsvMapping::default(),
    };
    let (mut store, organisation) = open_books(database, organisation)?;
    let mut clean = true;
    let mut waiting = 0;
    for file in &args.files {
        let read = read_file(file, args, &mapping).with_context(|| format!("{file} was not imported"))?;
        let report = store
            .import_bank_lines(organisation.id, &read.lines, file)
            .with_context(|| format!("{file} was not imported"))?;
        print_report(file, &read, &report)?;
        clean &= read.rejected.is_empty();
        waiting += report.to_review + report.unmatched;
    }
    // money beyond what a line paid is the customer's credit: used on what they owe
    store.settle_credits(organisation.id)?;
    if waiting > 0 {
        outln!("{waiting} lines wait for you: `overdue matches` lists them with what was found.")?;
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn read_file(file: &str, args: &ImportBankArgs, mapping: &CsvMapping) -> anyhow::Result<ReadFile> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {file}"))?;
    if looks_like_xml(&bytes) {
        let read = bank::read_xml(&bytes)?;
        let (mut lines, mut rejected) = (Vec::new(), Vec::new());
        for line in read.lines {
            match line {
                Ok(line) => lines.push(line),
                Err(rejection) => rejected.push(rejection.to_string()),
            }
        }
        return Ok(ReadFile { kind: read.version, lines, rejected });
    }
    // the same export under another name (or overlapping the next) must not count twice
    let statement = args.statement.clone().unwrap_or_else(|| "csv".to_owned());
    let account = args.account.as_deref().unwrap_or("csv");
    let rows = bank::csv::read(&bytes, account, &statement, mapping)?;
    let (mut lines, mut rejected) = (Vec::new(), Vec::new());
    for row in rows {
        match row {
            Ok(located) => lines.push(located.value),
            Err(rejection) => rejected.push(rejection.to_string()),
        }
    }
    Ok(ReadFile { kind: "CSV".into(), lines, rejected })
}

fn print_report(file: &str, read: &ReadFile, report: &BankImportReport) -> std::io::Result<()> {
    outln!(
        "{file} ({}): {} new lines, {} already imported, {} rejected; {} payments recorded, {} to review, \
         {} unmatched, {} money out",
        read.kind,
        report.new_lines,
        report.known_lines,
        read.rejected.len(),
        report.applied,
        report.to_review,
        report.unmatched,
        report.debits
    )?;
    for rejection in read.rejected.iter().take(REJECTIONS_SHOWN) {
        outln!("  rejected {file}, {rejection}")?;
    }
    if read.rejected.len() > REJECTIONS_SHOWN {
        outln!("  … and {} more rejected lines", read.rejected.len() - REJECTIONS_SHOWN)?;
    }
    Ok(())
}

pub fn matches(database: &str, organisation: Option<i64>, args: &MatchesArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let by = user(args.by.as_ref());
    let (id, decision) = match &args.decision {
        None => {
            let lines = store.bank_lines_to_review(organisation.id, args.limit)?;
            if lines.is_empty() {
                outln!("No bank lines wait for review.")?;
            }
            for line in &lines {
                print_line(line)?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        Some(MatchDecision::Accept { line }) => (*line, BankDecision::Accept),
        Some(MatchDecision::Assign { line, customer, invoices }) => {
            (*line, BankDecision::Assign { customer: customer.clone(), invoices: invoices.clone() })
        }
        Some(MatchDecision::Ignore { line, reason }) => (*line, BankDecision::Ignore { reason: reason.clone() }),
    };
    let decided = store.decide_bank_line(organisation.id, id, &decision, &by)?;
    store.settle_credits(organisation.id)?;
    match &decided.payment {
        Some(payment) => {
            outln!("Line {id} recorded as payment {payment} of {}:", decided.customer.as_deref().unwrap_or("?"))?;
            for allocation in &decided.proposal {
                outln!("  {} {}", allocation.number, amount(&decided.line, allocation.amount_minor))?;
            }
        }
        None => outln!("Line {id} set aside: {}", decided.note.as_deref().unwrap_or(""))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn amount(line: &BankLine, minor: i64) -> String {
    Money::new(minor, line.amount.currency()).to_decimal_string()
}

fn print_line(stored: &StoredBankLine) -> std::io::Result<()> {
    let line = &stored.line;
    let payer = match (&line.counterparty_name, &line.counterparty_iban) {
        (Some(name), Some(iban)) => format!("from {name} ({iban})"),
        (Some(name), None) => format!("from {name}"),
        (None, Some(iban)) => format!("from {iban}"),
        (None, None) => "payer not given".to_owned(),
    };
    let text: Vec<&str> =
        [line.creditor_reference.as_deref(), line.remittance.as_deref()].into_iter().flatten().collect();
    outln!(
        "#{}  {}  {} {}  {payer}  \"{}\"",
        stored.id,
        line.booking_date,
        line.amount.currency(),
        line.amount.to_decimal_string(),
        text.join(" ")
    )?;
    match &stored.customer {
        Some(customer) => {
            let invoices: Vec<String> =
                stored.proposal.iter().map(|a| format!("{} {}", a.number, amount(line, a.amount_minor))).collect();
            let pays = if invoices.is_empty() { "credit on account".to_owned() } else { invoices.join(", ") };
            outln!(
                "     proposed ({}%): {customer}: {pays}   → overdue matches accept {}",
                stored.confidence,
                stored.id
            )?;
        }
        None => outln!("     nothing proposed   → overdue matches assign {} CUSTOMER [--invoice N]", stored.id)?,
    }
    outln!("     why: {}", stored.evidence.join("; "))
}
