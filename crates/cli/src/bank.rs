//! `overdue import-bank FILE…` and `overdue matches`: bank statements in, money received matched
//! to open invoices, and the uncertain lines worked by a person.

use crate::args::{ImportBankArgs, MatchDecision, MatchesArgs};
use crate::setup::open_books;
use crate::work::user;
use anyhow::Context;
use overdue_app::bank::{CsvOptions, FileRead};
use overdue_core::bank::{BankLine, Continuity};
use overdue_core::money::Money;
use overdue_formats::bank::csv::CsvMapping;
use overdue_store::{BankDecision, BankImportReport, StoredBankLine};
use std::process::ExitCode;

/// Rejected lines printed per file; the rest are counted.
const REJECTIONS_SHOWN: usize = 50;

pub fn import(database: &str, organisation: Option<i64>, args: &ImportBankArgs) -> anyhow::Result<ExitCode> {
    let mapping = match &args.map {
        Some(spec) => CsvMapping::parse_spec(spec).context("--map")?,
        None => CsvMapping::default(),
    };
    let csv = CsvOptions { mapping, account: args.account.clone(), statement: args.statement.clone() };
    let (mut store, organisation) = open_books(database, organisation)?;
    let mut clean = true;
    let mut waiting = 0;
    for file in &args.files {
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {file}"))?;
        let read = overdue_app::bank::read(&bytes, &csv).with_context(|| format!("{file} was not imported"))?;
        let report = overdue_app::bank::import(store.as_mut(), organisation.id, file, &read, args.strict)
            .with_context(|| format!("{file} was not imported"))?;
        print_report(file, &read, &report)?;
        clean &= read.rejected.is_empty();
        waiting += report.to_review + report.unmatched + report.returns_untraced;
    }
    if waiting > 0 {
        outln!("{waiting} lines wait for you: `overdue matches` lists them with what was found.")?;
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn print_report(file: &str, read: &FileRead, report: &BankImportReport) -> std::io::Result<()> {
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
    for m in &read.mismatches {
        outln!("  warning: statement {} of account {} does not add up: {}", m.statement, m.account, m.mismatch)?;
    }
    for (statement, why) in &read.unchecked {
        outln!("  note: the balances of statement {statement} were not checked: {why}")?;
    }
    for b in &report.breaks {
        let what = match b.kind {
            Continuity::Overlap => "it overlaps statements already imported (or came out of order)",
            _ => "a statement between them is missing",
        };
        outln!(
            "  warning: statement {} of account {} opens at {} on {}, but the last one imported ({}) closed at {} on {}: {what}",
            b.statement,
            b.account,
            b.opening.amount,
            b.opening.date,
            b.previous_statement,
            b.previous_closing.amount,
            b.previous_closing.date
        )?;
    }
    for r in &report.reversed {
        let invoices = if r.invoices.is_empty() { "no invoice".to_owned() } else { r.invoices.join(", ") };
        outln!(
            "  returned: {} of {} ({}) taken back on {} — {}; open again: {invoices}; a call is on today's work list",
            r.amount,
            r.customer,
            r.payment,
            r.on,
            r.reversal.describe()
        )?;
    }
    if report.returns_untraced > 0 {
        outln!("  {} returned payments name no credit in the books: see `overdue matches`", report.returns_untraced)?;
    }
    if report.own_payments_returned > 0 {
        outln!("  {} of your own payments came back (not customer payments): set aside", report.own_payments_returned)?;
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
        Some(MatchDecision::Undo { line, reason }) => (*line, BankDecision::Undo { reason: reason.clone() }),
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
        None if decided.status == overdue_store::BankLineStatus::Review => outln!(
            "Line {id} undone ({}): the invoices it paid are open again; it waits in `overdue matches`",
            decided.note.as_deref().unwrap_or("")
        )?,
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
    if line.reverses_a_credit() {
        outln!("     money taken back: {}", stored.note.as_deref().unwrap_or("returned by the bank"))?;
        return outln!(
            "     → find the payment it returns (`overdue matches undo LINE` if overdue applied it), then \
             `overdue matches ignore {} --reason \"…\"`",
            stored.id
        );
    }
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
