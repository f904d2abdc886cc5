//! Bank statements as overdue reads them, so money received can be matched to open invoices:
//! ISO 20022 camt.053 statements and camt.054 debit/credit notifications (versions 001.02 to
//! 001.08), and banks' CSV exports read through a column mapping. Every booked movement becomes a
//! [`BankLine`], or a rejection saying where and why. An XML file's format and version come from
//! its namespace, never from the file name.

pub mod camt;
pub mod csv;

use crate::einvoice::Rejected;
use crate::xml::{self, XmlError};
use overdue_core::bank::BankLine;

/// The statement formats overdue reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatementFormat {
    /// ISO 20022 camt.053, BankToCustomerStatement: the end-of-day statement of an account.
    Camt053,
    /// ISO 20022 camt.054, BankToCustomerDebitCreditNotification: single movements as notified.
    Camt054,
    /// A bank's CSV export, read with a [`csv::CsvMapping`].
    Csv,
}

/// The lines of one statement file: every booked entry of every statement in it, read or
/// refused. Entries not booked (pending, for information) are not lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankFile {
    pub format: StatementFormat,
    /// The message version from the namespace, e.g. `camt.053.001.02`.
    pub version: String,
    pub lines: Vec<Result<BankLine, Rejected>>,
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
}

/// What [`read_xml`] accepts, for error messages.
pub const SUPPORTED: &str = "ISO 20022 camt.053 statements and camt.054 notifications, versions 001.02 to 001.08";

/// The namespace of an ISO 20022 message, up to its name (`camt.053.001.02`).
const ISO_NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:";

/// The `NN` of `camt.05x.001.NN` read here: the structure of entries is the same in all of them.
const VERSIONS: [&str; 7] = ["02", "03", "04", "05", "06", "07", "08"];

/// Reads a camt.053 or camt.054 document: the lines of every statement (or notification) in it.
pub fn read_xml(bytes: &[u8]) -> Result<BankFile, BankReadError> {
    let root = xml::parse(bytes)?;
    let unknown = || BankReadError::UnknownFormat { root: root.name.clone(), namespace: root.namespace.clone() };
    let version = root.namespace.strip_prefix(ISO_NAMESPACE).ok_or_else(unknown)?;
    let (format, number) = match version.split_once(".001.") {
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
        StatementFormat::Camt054 => ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
        _ => ("BkToCstmrStmt", "Stmt"),
    };
    let message_path = format!("/{}/{message_name}", root.name);
    let message =
        root.child(message_name).ok_or_else(|| BankReadError::MissingElement { path: message_path.clone() })?;
    if message.child(statement_name).is_none() {
        return Err(BankReadError::MissingElement { path: format!("{message_path}/{statement_name}") });
    }
    let lines = camt::read(message, &message_path, statement_name);
    Ok(BankFile { format, version: version.to_owned(), lines })
}
