//! Bank statements as overdue reads them, so money received can be matched to open invoices:
//! ISO 20022 camt.052 account reports, camt.053 statements and camt.054 debit/credit
//! notifications (versions 001.02 to 001.13), SWIFT MT940 statements and MT942 intraday reports,
//! and banks' CSV exports read through a column mapping. Every booked movement becomes a
//! [`BankLine`], or a rejection saying where and why; each statement keeps the balances it states
//! so they can be checked. An XML file's format and version come from its namespace, never from
//! the file name; [`sniff`] says what any other file looks like.

pub mod camt;
pub mod csv;
pub mod mt940;
pub mod sniff;

pub use sniff::{FileKind, sniff};

use crate::einvoice::Rejected;
use crate::xml::{self, XmlError};
use overdue_core::bank::{Balance, BalanceMismatch, BankLine, check_balances};

/// The statement formats overdue reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatementFormat {
    /// ISO 20022 camt.052, BankToCustomerAccountReport: intraday movements (booked ones read).
    Camt052,
    /// ISO 20022 camt.053, BankToCustomerStatement: the end-of-day statement of an account.
    Camt053,
    /// ISO 20022 camt.054, BankToCustomerDebitCreditNotification: single movements as notified.
    Camt054,
    /// SWIFT MT940, Customer Statement Message (and the German, Dutch, Polish banks' variants).
    Mt940,
    /// SWIFT MT942, Interim Transaction Report: intraday movements, without closing balance.
    Mt942,
    /// A bank's CSV export, read with a [`csv::CsvMapping`].
    Csv,
}

/// The lines of one statement file: every booked entry of every statement in it, read or
/// refused, and each statement's balances. Entries not booked (pending, for information) are not
/// lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankFile {
    pub format: StatementFormat,
    /// The message version: `camt.053.001.02` from the namespace, `MT940`, `MT942`.
    pub version: String,
    pub lines: Vec<Result<BankLine, Rejected>>,
    /// The statements of the file in order; each names the range of `lines` that is its own.
    pub statements: Vec<StatementBalances>,
    /// Entries left out as not booked: pending (`PDNG`), future (`FUTR`), for information
    /// (`INFO`), an MT942's expected entries (`EC`/`ED`).
    pub not_booked: usize,
}

/// One statement of a file: its account and id, the balances it states, and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementBalances {
    pub account: String,
    pub id: String,
    /// Opening booked balance: camt `OPBD` (or `PRCD`, the previous closing), MT940 `:60F:`/`:60M:`.
    pub opening: Option<Balance>,
    /// Closing booked balance: camt `CLBD`, MT940 `:62F:`/`:62M:`.
    pub closing: Option<Balance>,
    /// Positions in [`BankFile::lines`] (and rejections) of this statement's entries.
    pub lines: std::ops::Range<usize>,
}

impl BankFile {
    /// Every line read, leaving out the rejections.
    pub fn read_lines(&self) -> impl Iterator<Item = &BankLine> {
        self.lines.iter().filter_map(|line| line.as_ref().ok())
    }

    /// Statements whose balances do not agree with their entries, each with the figures. A
    /// statement with a rejected entry, or without an opening or closing balance, is not checked
    /// (see [`BankFile::unchecked`]).
    pub fn balance_mismatches(&self) -> Vec<(&StatementBalances, BalanceMismatch)> {
        let mut found = Vec::new();
        for statement in &self.statements {
            let (Some(opening), Some(closing)) = (statement.opening, statement.closing) else { continue };
            let lines = &self.lines[statement.lines.clone()];
            if lines.iter().any(Result::is_err) || opening.amount.currency() != closing.amount.currency() {
                continue;
            }
            let read: Vec<&BankLine> = lines.iter().filter_map(|l| l.as_ref().ok()).collect();
            if let Err(mismatch) = check_balances(opening.amount, closing.amount, &read) {
                found.push((statement, mismatch));
            }
        }
        found
    }

    /// Statements whose balances cannot be checked, and why.
    pub fn unchecked(&self) -> Vec<(&StatementBalances, &'static str)> {
        let mut found = Vec::new();
        for statement in &self.statements {
            let why = if statement.opening.is_none() || statement.closing.is_none() {
                if matches!(self.format, StatementFormat::Csv | StatementFormat::Mt942 | StatementFormat::Camt054) {
                    continue; // these state no balances to check
                }
                "it states no opening or no closing balance"
            } else if self.lines[statement.lines.clone()].iter().any(Result::is_err) {
                "some of its entries were rejected"
            } else if statement.opening.map(|b| b.amount.currency()) != statement.closing.map(|b| b.amount.currency()) {
                "its opening and closing balances are in different currencies"
            } else {
                continue;
            };
            found.push((statement, why));
        }
        found
    }
}

/// Why a statement file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankReadError {
    #[error(transparent)]
    Xml(#[from] XmlError),
    #[error("<{root}> in namespace {namespace:?} is not a bank statement overdue reads ({SUPPORTED})")]
    UnknownFormat { root: String, namespace: String },
    #[error("{version} is a version overdue does not read ({SUPPORTED})")]
    UnsupportedVersion { version: String },
    #[error("{path} is missing: the document holds nothing to read")]
    MissingElement { path: String },
    #[error("not an MT940 or MT942 file: {reason}")]
    NotMt940 { reason: String },
}

/// What [`read_xml`] accepts, for error messages.
pub const SUPPORTED: &str =
    "ISO 20022 camt.052 reports, camt.053 statements and camt.054 notifications, versions 001.02 to 001.13";

/// The namespace of an ISO 20022 message, up to its name (`camt.053.001.02`).
const ISO_NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:";

/// The `NN` of `camt.05x.001.NN` read here: the entries (`Ntry`) keep one structure across them,
/// the differences (status as text or code, party names under `Pty`) handled in [`camt`].
const VERSIONS: [&str; 12] = ["02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13"];

/// Reads a camt.052, camt.053 or camt.054 document: the lines of every statement (report,
/// notification) in it.
pub fn read_xml(bytes: &[u8]) -> Result<BankFile, BankReadError> {
    let root = xml::parse(bytes)?;
    let unknown = || BankReadError::UnknownFormat { root: root.name.clone(), namespace: root.namespace.clone() };
    let version = root.namespace.strip_prefix(ISO_NAMESPACE).ok_or_else(unknown)?;
    let (format, number) = match version.split_once(".001.") {
        Some(("camt.052", number)) => (StatementFormat::Camt052, number),
        Some(("camt.053", number)) => (StatementFormat::Camt053, number),
        Some(("camt.054", number)) => (StatementFormat::Camt054, number),
        _ => return Err(unknown()),
    };
    if root.name != "Document" {
        return Err(unknown());
    }
    if !VERSIONS.contains(&number) {
        return Err(BankReadError::UnsupportedVersion { version: version.to_owned() });
    }
    let (message_name, statement_name) = match format {
        StatementFormat::Camt052 => ("BkToCstmrAcctRpt", "Rpt"),
        StatementFormat::Camt054 => ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
        _ => ("BkToCstmrStmt", "Stmt"),
    };
    let message_path = format!("/{}/{message_name}", root.name);
    let message =
        root.child(message_name).ok_or_else(|| BankReadError::MissingElement { path: message_path.clone() })?;
    if message.child(statement_name).is_none() {
        return Err(BankReadError::MissingElement { path: format!("{message_path}/{statement_name}") });
    }
    let (lines, statements, not_booked) = camt::read(message, &message_path, statement_name, format);
    Ok(BankFile { format, version: version.to_owned(), lines, statements, not_booked })
}
