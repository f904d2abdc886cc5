//! A payment claim: the customer says an invoice is already paid (on a day, an amount, a
//! reference). It is not a payment — nothing is settled until the money is seen — but a task to
//! look for it in the bank, and it pauses the chasing of that invoice only, for a few days, so
//! that no reminder crosses a transfer on its way.

use crate::date::add_days;
use crate::ids::InvoiceNumber;
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How long a claim pauses its invoice, in calendar days from the day it was made: a SEPA credit
/// transfer arrives the next business day (EPC SCT Rulebook, D+1), a cross-border or non-euro one
/// within a few; a week covers a weekend and a bank holiday on the way.
pub const CLAIM_PAUSE_DAYS: i64 = 7;

/// One invoice the customer says is paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentClaim {
    /// The claim's id in the books (the key of the task to check it).
    pub id: i64,
    pub invoice: InvoiceNumber,
    /// The day they say they paid.
    pub paid_on: NaiveDate,
    /// How much they say they paid, in the invoice's currency.
    pub amount: Money,
    /// The reference they say they quoted, or their bank's transfer number.
    pub reference: Option<String>,
    /// The day they said it.
    pub made_on: NaiveDate,
}

impl PaymentClaim {
    /// The last day its invoice waits: [`CLAIM_PAUSE_DAYS`] after the day it was made.
    pub fn pauses_until(&self) -> NaiveDate {
        add_days(self.made_on, CLAIM_PAUSE_DAYS)
    }

    /// Whether it pauses its invoice on `as_of`: made by then, and not [`CLAIM_PAUSE_DAYS`] ago.
    pub fn pauses_on(&self, as_of: NaiveDate) -> bool {
        self.made_on <= as_of && as_of <= self.pauses_until()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
    }

    #[test]
    fn a_claim_pauses_its_invoice_for_a_week_from_the_day_it_was_made() {
        let claim = PaymentClaim {
            id: 1,
            invoice: InvoiceNumber::parse("F-1").expect("a number"),
            paid_on: day("2026-11-20"),
            amount: Money::new(12_100, Currency::from_code("EUR").expect("euros")),
            reference: None,
            made_on: day("2026-11-23"),
        };
        assert_eq!(claim.pauses_until(), day("2026-11-30"));
        assert!(!claim.pauses_on(day("2026-11-22")), "not before it was made");
        assert!(claim.pauses_on(day("2026-11-23")));
        assert!(claim.pauses_on(day("2026-11-30")));
        assert!(!claim.pauses_on(day("2026-12-01")), "the ladder resumes after a week");
    }
}
