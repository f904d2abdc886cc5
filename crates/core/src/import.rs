//! What an import reports: rows created, updated or unchanged, and every rejected row with the
//! file line, the column and the reason, so a person can fix the file and import it again.

use serde::Serialize;
use std::fmt;

/// A value read from line `line` of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub line: u64,
    pub value: T,
}

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub line: u64,
    /// The column at fault, when one column is.
    pub column: Option<String>,
    pub reason: String,
}

impl Rejection {
    pub fn new(line: u64, column: Option<&str>, reason: impl fmt::Display) -> Self {
        Self { line, column: column.map(str::to_owned), reason: reason.to_string() }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, column {column}: {}", self.line, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}

/// One row of an import, as read: a value, or why it could not be read.
pub type ImportRow<T> = Result<Located<T>, Rejection>;

/// Counts and rejections of one import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: Vec<Rejection>,
    /// True when nothing was applied (`--all-or-nothing` with at least one rejection).
    pub rolled_back: bool,
}

impl ImportReport {
    pub fn applied(&self) -> u64 {
        if self.rolled_back { 0 } else { self.created + self.updated }
    }
}
