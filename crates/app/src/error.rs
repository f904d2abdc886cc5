//! The one error of the use cases: what went wrong, in words a person can act on.

use overdue_core::interest::InterestError;
use overdue_core::refusal::Refusal;
use overdue_notify::TemplateError;
use overdue_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Pdf(#[from] overdue_notify::pdf::PdfError),
    /// The interest on an invoice cannot be computed (said once: `reason` is not a source).
    #[error("invoice {invoice}: {reason}")]
    Interest { invoice: String, reason: InterestError },
    /// Something named that the books do not hold.
    #[error("no {what} {key:?} in the books")]
    NotFound { what: &'static str, key: String },
    /// One field of a request is not acceptable: which, and why.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: Refusal },
    /// A request that cannot be done as asked, and why.
    #[error("{0}")]
    Refused(Refusal),
}
