//! What can go wrong in the store, in words that say what to do about it.

/// A failure of the database itself, or data in it that no longer makes sense.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("could not apply database migration {version} ({name}): {reason}")]
    Migration { version: i64, name: &'static str, reason: String },
    #[error(
        "the database was written by a newer overdue (schema version {found}, this program knows up to {known}): upgrade overdue"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("stored data is not valid ({what}): {reason}")]
    Corrupt { what: String, reason: String },
    #[error("no organisation with id {0}: run `overdue init` first")]
    UnknownOrganisation(i64),
    #[error("no {what} {key:?} in these books")]
    NotFound { what: &'static str, key: String },
    #[error("{0}")]
    Refused(overdue_core::refusal::Refusal),
    #[error("could not write to PostgreSQL: {0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    pub(crate) fn corrupt(what: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        Self::Corrupt { what: what.into(), reason: reason.to_string() }
    }
}
