//! Importing a bank statement file: what kind of file it is (camt.052/053/054, MT940/MT942, a CSV
//! export — or something overdue does not read, named), its lines and each statement's balances
//! checked (opening + credits − debits = closing), then the lines into the books: returned
//! payments undone, credits matched. A file whose balances do not add up imports with the
//! mismatch reported, or is refused when the import is strict; a file that cannot be read
//! changes nothing.

use crate::AppError;
use chrono::NaiveDate;
use overdue_core::bank::{BalanceMismatch, BankLine};
use overdue_formats::bank::csv::CsvMapping;
use overdue_formats::bank::{self, BankFile, FileKind};
use overdue_store::{BankImportReport, StatementRecord, Store, TenantId};

/// How to read a CSV export (other formats carry their own account and statement ids).
#[derive(Debug, Clone, Default)]
pub struct CsvOptions {
    pub mapping: CsvMapping,
    /// The account the export is of (required: the same export under two accounts would count twice).
    pub account: Option<String>,
    /// The statement id to file the rows under (`csv` when not given).
    pub statement: Option<String>,
}

/// A statement whose balances do not agree with its entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub account: String,
    pub statement: String,
    pub mismatch: BalanceMismatch,
}

/// One file read, before anything is written.
#[derive(Debug, Clone)]
pub struct FileRead {
    /// What the file is: `camt.053.001.02`, `MT940`, `CSV`.
    pub kind: String,
    pub lines: Vec<BankLine>,
    /// Lines refused, as `where: why`.
    pub rejected: Vec<String>,
    pub statements: Vec<StatementRecord>,
    pub mismatches: Vec<Mismatch>,
    /// Statements whose balances could not be checked, and why.
    pub unchecked: Vec<(String, &'static str)>,
    /// Entries left out as not booked (pending, expected, for information only).
    pub not_booked: usize,
}

/// Reads a bank file of any kind overdue knows. Errors: a file that is not a bank statement
/// overdue reads (named for what it looks like), or one unreadable as a whole (malformed XML,
/// a CSV without the mapped columns).
pub fn read(bytes: &[u8], csv: &CsvOptions) -> Result<FileRead, AppError> {
    let file = match bank::sniff(bytes) {
        FileKind::Xml => bank::read_xml(bytes).map_err(|e| AppError::Refused(e.to_string().into()))?,
        FileKind::Mt940 => bank::mt940::read(bytes).map_err(|e| AppError::Refused(e.to_string().into()))?,
        FileKind::Csv => return read_csv(bytes, csv),
        FileKind::Unreadable { looks_like, why } => {
            return Err(AppError::Refused(
                format!("this file looks like {looks_like}, not a bank statement overdue reads: {why}").into(),
            ));
        }
    };
    Ok(from_bank_file(&file))
}

fn from_bank_file(file: &BankFile) -> FileRead {
    let (mut lines, mut rejected) = (Vec::new(), Vec::new());
    for line in &file.lines {
        match line {
            Ok(line) => lines.push(line.clone()),
            Err(rejection) => rejected.push(rejection.to_string()),
        }
    }
    let statements = file
        .statements
        .iter()
        .map(|s| StatementRecord {
            account: s.account.clone(),
            statement: s.id.clone(),
            opening: s.opening,
            closing: s.closing,
        })
        .collect();
    let mismatches = file
        .balance_mismatches()
        .into_iter()
        .map(|(s, mismatch)| Mismatch { account: s.account.clone(), statement: s.id.clone(), mismatch })
        .collect();
    let unchecked = file.unchecked().into_iter().map(|(s, why)| (s.id.clone(), why)).collect();
    FileRead {
        kind: file.version.clone(),
        lines,
        rejected,
        statements,
        mismatches,
        unchecked,
        not_booked: file.not_booked,
    }
}

fn read_csv(bytes: &[u8], csv: &CsvOptions) -> Result<FileRead, AppError> {
    let statement = csv.statement.as_deref().unwrap_or("csv");
    // the same export imported under two accounts would count every line twice
    let Some(account) = csv.account.as_deref() else {
        return Err(AppError::Refused(
            "a bank's CSV export does not say which account it is of: name it with --account (its IBAN)".into(),
        ));
    };
    // one account however it is typed (spaces, small letters), and an IBAN with a typo refused
    let account = if overdue_core::iban::looks_like_one(account) {
        overdue_core::iban::check(account)
            .map_err(|e| AppError::Invalid { field: "account", reason: e.to_string().into() })?
    } else {
        account.trim().to_owned()
    };
    let account = account.as_str();
    let rows = bank::csv::read(bytes, account, statement, &csv.mapping)
        .map_err(|e| AppError::Refused(e.to_string().into()))?;
    let (mut lines, mut rejected) = (Vec::new(), Vec::new());
    for row in rows {
        match row {
            Ok(located) => lines.push(located.value),
            Err(rejection) => rejected.push(rejection.to_string()),
        }
    }
    Ok(FileRead {
        kind: "CSV".into(),
        lines,
        rejected,
        statements: Vec::new(),
        mismatches: Vec::new(),
        unchecked: Vec::new(),
        not_booked: 0,
    })
}

/// What an import did: the store's report, and the lines refused as booked after `today` (a
/// statement cannot hold tomorrow's bookings: the computer's date or the file is wrong).
#[derive(Debug, Clone)]
pub struct Imported {
    pub report: BankImportReport,
    pub future: Vec<String>,
}

/// Imports a file read by [`read`] under the name `source` on `today` (the organisation's day),
/// then applies any credit the lines left (over-payments) to what the customers owe. Lines booked
/// after `today` are refused. With `strict`, a file whose balances do not add up is refused
/// before anything is written.
pub fn import(
    store: &mut dyn Store,
    tenant: TenantId,
    (source, today): (&str, NaiveDate),
    file: &FileRead,
    strict: bool,
) -> Result<Imported, AppError> {
    if strict && let Some(first) = file.mismatches.first() {
        return Err(AppError::Refused(
            format!(
                "statement {} of account {}: {} — refused (--strict); nothing was imported",
                first.statement, first.account, first.mismatch
            )
            .into(),
        ));
    }
    let (lines, future): (Vec<BankLine>, Vec<BankLine>) =
        file.lines.iter().cloned().partition(|l| l.booking_date <= today);
    let future = future
        .iter()
        .map(|l| {
            format!(
                "statement {}, entry {}: booked on {}, after today ({today}): is the computer's date right? not imported",
                l.statement, l.entry, l.booking_date
            )
        })
        .collect();
    let report = store.import_bank_lines(tenant, &lines, &file.statements, source, today)?;
    store.settle_credits(tenant)?;
    Ok(Imported { report, future })
}
