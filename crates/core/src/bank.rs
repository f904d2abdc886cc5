//! Lines of a bank statement as overdue sees them, whatever file they came from (camt.053,
//! camt.054, a bank's CSV export): money in or out of one of the business's accounts, with what
//! the payer wrote, so payments can be matched to open invoices.

use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Money in (a credit to the business's account) or out (a debit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Credit,
    Debit,
}

/// One booked movement on an account: a camt entry, or one transaction detail of an entry that
/// batches several, or one row of a CSV export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankLine {
    /// The account the statement is for (IBAN, or the bank's own account id).
    pub account: String,
    /// The statement's id (camt `Stmt/Id`, or the file's own when a CSV has none).
    pub statement: String,
    /// The entry's reference, unique within the account and statement (bank's reference, entry
    /// reference, or the position when the file gives none): with `account` and `statement` it
    /// is what makes a re-import of the same line recognisable.
    pub entry: String,
    pub booking_date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    /// Always positive; `direction` says which way it went.
    pub amount: Money,
    pub direction: Direction,
    /// Who paid (for a credit) or was paid (for a debit), as the bank reports them.
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    /// A structured creditor reference (ISO 11649 `RF…`, or a national one) if the payer gave one.
    pub creditor_reference: Option<String>,
    /// The free remittance text, lines joined with a space.
    pub remittance: Option<String>,
    /// The payer's end-to-end id, when not `NOTPROVIDED`.
    pub end_to_end_id: Option<String>,
}

impl BankLine {
    /// The day the money was the creditor's, which says whether it came late: the value date when
    /// the bank gives one (ISO 20022 `ValDt`, MT940 `:61:` value date), else the booking date.
    pub fn paid_on(&self) -> NaiveDate {
        self.value_date.unwrap_or(self.booking_date)
    }

    /// The idempotency key of the line: account, statement and entry.
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.account, self.statement, self.entry)
    }
}
