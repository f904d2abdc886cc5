//! `overdue import-bank FILE…` and `overdue matches`: bank statements in, money received matched
//! to open invoices, and the uncertain lines worked by a person.

use crate::args::{ImportBankArgs, MatchDecision, MatchesArgs};
use crate::setup::open_books;
use crate::work::day_or_today;
use crate::work::user;
use anyhow::Context;
use overdue_app::bank::{CsvOptions, FileRead, Imported};
use overdue_core::bank::BankLine;
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
    let today = day_or_today(None, "today", &organisation)?;
    let (mut clean, mut waiting, mut imported_any) = (true, 0, false);
    // each file on its own: one that cannot be read leaves the others to be imported
    for file in &args.files {
        let imported = std::fs::read(file)
            .with_context(|| format!("cannot read {file}"))
            .and_then(|bytes| Ok(overdue_app::bank::read(&bytes, &csv)?))
            .and_then(|read| {
                let imported =
                    overdue_app::bank::import(store.as_mut(), organisation.id, (file, today), &read, args.strict)?;
                Ok((read, imported))
            });
        match imported {
            Ok((read, imported)) => {
                imported_any = true;
                print_report(file, &read, &imported)?;
                clean &= read.rejected.is_empty() && imported.future.is_empty();
                let report = &imported.report;
                waiting += report.to_review + report.unmatched + report.returns_untraced;
            }
            Err(error) => {
                eprintln!("error: {file} was not imported (nothing of it was written)");
                for cause in error.chain() {
                    eprintln!("  because: {cause}");
                }
                clean = false;
            }
        }
    }
    if waiting > 0 {
        outln!("{}: `overdue matches` lists them with what was found.", count(waiting, "line waits", "lines wait"))?;
    }
    // 2: nothing was imported at all; 1: something was, with rejections or files left out
    Ok(if !imported_any {
        ExitCode::from(2)
    } else if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// "1 line waits", "3 lines wait".
fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

fn print_report(file: &str, read: &FileRead, imported: &Imported) -> std::io::Result<()> {
    let report = &imported.report;
    outln!(
        "{file} ({}): {}, {} already imported, {} rejected; {} recorded, {} to review, {} unmatched, {} money out",
        read.kind,
        count(report.new_lines, "new line", "new lines"),
        report.known_lines,
        read.rejected.len() + imported.future.len(),
        count(report.applied, "payment", "payments"),
        report.to_review,
        report.unmatched,
        report.debits
    )?;
    let rejected: Vec<&String> = read.rejected.iter().chain(&imported.future).collect();
    for rejection in rejected.iter().take(REJECTIONS_SHOWN) {
        outln!("  rejected {file}, {rejection}")?;
    }
    if rejected.len() > REJECTIONS_SHOWN {
        outln!("  … and {} more rejected lines", rejected.len() - REJECTIONS_SHOWN)?;
    }
    if read.not_booked > 0 {
        outln!(
            "  {} not booked yet (pending, expected or for information only): left out until a statement books them",
            count(read.not_booked as u64, "entry", "entries")
        )?;
    }
    print_balances(read, report)?;
    print_returns(report)
}

fn print_balances(read: &FileRead, report: &BankImportReport) -> std::io::Result<()> {
    for m in &read.mismatches {
        outln!("  warning: statement {} of account {} does not add up: {}", m.statement, m.account, m.mismatch)?;
    }
    for (statement, why) in &read.unchecked {
        outln!("  note: the balances of statement {statement} were not checked: {why}")?;
    }
    for b in &report.breaks {
        outln!("  warning: {b}")?;
    }
    Ok(())
}

fn print_returns(report: &BankImportReport) -> std::io::Result<()> {
    for r in &report.reversed {
        let invoices = if r.invoices.is_empty() { "none".to_owned() } else { r.invoices.join(", ") };
        outln!(
            "  returned: {} of {} ({}) taken back on {} — {}; open again: {invoices}; a call to {} is on the work list",
            r.amount,
            r.customer,
            r.payment,
            r.on,
            r.reversal.describe(),
            r.customer
        )?;
    }
    if report.returns_untraced > 0 {
        outln!(
            "  {} no payment in the books: see `overdue matches`",
            count(report.returns_untraced, "returned payment names", "returned payments name")
        )?;
    }
    if report.own_payments_returned > 0 {
        outln!(
            "  {} came back (not customer payments): set aside",
            count(report.own_payments_returned, "of your own payments", "of your own payments")
        )?;
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
    let before = store.bank_line(organisation.id, id)?.status;
    let decided = store.decide_bank_line(organisation.id, id, &decision, &by)?;
    store.settle_credits(organisation.id)?;
    match &decided.payment {
        Some(payment) => {
            outln!("Line {id} recorded as payment {payment} of {}:", decided.customer.as_deref().unwrap_or("?"))?;
            let allocated: i64 = decided.proposal.iter().map(|a| a.amount_minor).sum();
            for allocation in &decided.proposal {
                outln!("  {} {}", allocation.number, amount(&decided.line, allocation.amount_minor))?;
            }
            let credit = decided.line.amount.amount_minor() - allocated;
            if credit > 0 {
                outln!(
                    "  {} kept as the customer's credit (used on what they owe next)",
                    amount(&decided.line, credit)
                )?;
            }
        }
        None if before == overdue_store::BankLineStatus::Applied => outln!(
            "Line {id} undone ({}): the invoices it paid are open again; it waits in `overdue matches`",
            decided.note.as_deref().unwrap_or("")
        )?,
        None if before == overdue_store::BankLineStatus::Ignored => outln!(
            "Line {id} is no longer set aside ({}): it waits in `overdue matches`",
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
        Some(customer) if stored.confidence > 0 => {
            let invoices: Vec<String> =
                stored.proposal.iter().map(|a| format!("{} {}", a.number, amount(line, a.amount_minor))).collect();
            let pays = if invoices.is_empty() { "credit on account".to_owned() } else { invoices.join(", ") };
            outln!(
                "     proposed ({}%): {customer}: {pays}   → overdue matches accept {}",
                stored.confidence,
                stored.id
            )?;
        }
        _ => outln!("     nothing proposed   → overdue matches assign {} CUSTOMER [--invoice N]", stored.id)?,
    }
    let why = if stored.evidence.is_empty() {
        stored.note.clone().unwrap_or_default()
    } else {
        stored.evidence.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    };
    outln!("     why: {why}")
}
