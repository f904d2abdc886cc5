//! Promises to pay: "we will pay 1,200 EUR by transfer on the 15th". A promise pauses the
//! dunning ladder until its date plus a grace; whether it was kept is never typed in by hand but
//! computed from the payments that arrived.

use crate::ids::InvoiceNumber;
use crate::money::Money;
use crate::payment::PaymentMethod;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A promise as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromiseToPay {
    pub made_on: NaiveDate,
    pub promised_date: NaiveDate,
    pub amount: Money,
    pub method: Option<PaymentMethod>,
    /// Who at the customer promised.
    pub promised_by: Option<String>,
    /// The invoices it covers (none: the account's oldest debts).
    pub invoices: Vec<InvoiceNumber>,
}

/// Where a promise stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum PromiseState {
    /// Its date (plus grace) has not passed and it is not yet paid in full.
    Pending,
    Kept,
    /// The deadline passed with some but not all of the amount paid.
    PartlyKept {
        paid: Money,
    },
    /// The deadline passed with nothing paid.
    Broken,
}

impl PromiseState {
    /// Broken or only partly kept: the customer did not do what they said.
    pub fn is_broken(self) -> bool {
        matches!(self, Self::Broken | Self::PartlyKept { .. })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Kept => "kept",
            Self::PartlyKept { .. } => "partly_kept",
            Self::Broken => "broken",
        }
    }
}

impl PromiseToPay {
    /// The last day a payment still counts as keeping the promise.
    pub fn deadline(&self, grace_days: u32) -> NaiveDate {
        crate::date::add_days(self.promised_date, i64::from(grace_days))
    }

    /// The promise's state on `as_of`, from the customer's payments (date, amount). Payments
    /// from the day it was made to its deadline count; other currencies do not.
    pub fn state(&self, as_of: NaiveDate, grace_days: u32, payments: &[(NaiveDate, Money)]) -> PromiseState {
        let deadline = self.deadline(grace_days);
        let paid_minor = self.paid(deadline.min(as_of), payments).amount_minor();
        if paid_minor >= self.amount.amount_minor() {
            PromiseState::Kept
        } else if as_of <= deadline {
            PromiseState::Pending
        } else if paid_minor > 0 {
            PromiseState::PartlyKept { paid: Money::new(paid_minor, self.amount.currency()) }
        } else {
            PromiseState::Broken
        }
    }

    /// What the customer paid towards it by `until`: payments in its currency dated from the day it
    /// was made.
    pub fn paid(&self, until: NaiveDate, payments: &[(NaiveDate, Money)]) -> Money {
        let minor = payments
            .iter()
            .filter(|(date, amount)| {
                *date >= self.made_on && *date <= until && amount.currency() == self.amount.currency()
            })
            .map(|(_, amount)| amount.amount_minor())
            .sum();
        Money::new(minor, self.amount.currency())
    }

    /// What is still to come on a promise pending on `as_of` (the amount less what was paid
    /// towards it); `None` when it is kept, broken or partly kept.
    pub fn remaining(&self, as_of: NaiveDate, grace_days: u32, payments: &[(NaiveDate, Money)]) -> Option<Money> {
        (self.state(as_of, grace_days, payments) == PromiseState::Pending).then(|| {
            let paid = self.paid(as_of, payments).amount_minor();
            Money::new(self.amount.amount_minor().saturating_sub(paid), self.amount.currency())
        })
    }

    /// Whether it speaks for `invoice` (a promise naming no invoice covers the whole account).
    pub fn covers(&self, invoice: &InvoiceNumber) -> bool {
        self.invoices.is_empty() || self.invoices.contains(invoice)
    }
}

/// The invoices a promise of `amount` speaks for, among `open` ones (number, due date, what is
/// open, all in the promise's currency): the oldest due first, as many as the amount reaches —
/// the last one it reaches included, even in part. A promise of the first invoice's amount does
/// not pause the chasing of the others.
pub fn covered_invoices(amount: Money, open: &[(InvoiceNumber, NaiveDate, Money)]) -> Vec<InvoiceNumber> {
    let mut oldest_first: Vec<&(InvoiceNumber, NaiveDate, Money)> = open.iter().collect();
    oldest_first.sort_by_key(|(_, due, _)| *due);
    let mut left = amount.amount_minor();
    let mut covered = Vec::new();
    for (number, _, owed) in oldest_first {
        if left <= 0 {
            break;
        }
        covered.push(number.clone());
        left -= owed.amount_minor();
    }
    covered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::currency::Currency;
    const EUR: Currency = Currency::EUR;

    #[test]
    fn a_promise_speaks_for_the_oldest_invoices_its_amount_reaches() {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let n = |s: &str| InvoiceNumber::parse(s).unwrap();
        let open = [
            (n("A-207"), day("2026-12-31"), Money::new(500_00, EUR)),
            (n("A-201"), day("2026-10-31"), Money::new(1452_00, EUR)),
            (n("A-202"), day("2026-11-01"), Money::new(924_44, EUR)),
        ];
        assert_eq!(covered_invoices(Money::new(1452_00, EUR), &open), [n("A-201")], "exactly the oldest");
        assert_eq!(covered_invoices(Money::new(1000_00, EUR), &open), [n("A-201")], "part of the oldest");
        assert_eq!(covered_invoices(Money::new(1500_00, EUR), &open), [n("A-201"), n("A-202")], "into the next");
        assert_eq!(covered_invoices(Money::new(2876_44, EUR), &open).len(), 3, "the whole account");
    }

    fn day(text: &str) -> NaiveDate {
        crate::date::parse_iso(text).unwrap()
    }

    fn promise() -> PromiseToPay {
        PromiseToPay {
            made_on: day("2026-03-10"),
            promised_date: day("2026-03-20"),
            amount: Money::new(1000_00, EUR),
            method: Some(PaymentMethod::Transfer),
            promised_by: Some("Marta".into()),
            invoices: vec![],
        }
    }

    #[test]
    fn a_promise_is_pending_until_its_deadline_then_kept_or_broken() {
        let p = promise();
        let paid = |d: &str, minor| vec![(day(d), Money::new(minor, EUR))];
        assert_eq!(p.state(day("2026-03-15"), 3, &[]), PromiseState::Pending);
        assert_eq!(p.state(day("2026-03-23"), 3, &[]), PromiseState::Pending, "last day of grace");
        assert_eq!(p.state(day("2026-03-24"), 3, &[]), PromiseState::Broken);
        assert_eq!(p.state(day("2026-03-24"), 3, &paid("2026-03-19", 1000_00)), PromiseState::Kept);
        assert_eq!(p.state(day("2026-03-12"), 3, &paid("2026-03-11", 1000_00)), PromiseState::Kept, "kept early");
        assert_eq!(
            p.state(day("2026-04-01"), 3, &paid("2026-03-19", 400_00)),
            PromiseState::PartlyKept { paid: Money::new(400_00, EUR) }
        );
        assert_eq!(p.state(day("2026-04-01"), 3, &paid("2026-03-30", 1000_00)), PromiseState::Broken, "paid too late");
        assert_eq!(p.state(day("2026-04-01"), 3, &paid("2026-03-01", 1000_00)), PromiseState::Broken, "before it");
    }

    #[test]
    fn replaying_an_earlier_day_ignores_later_payments() {
        let p = promise();
        let payments = [(day("2026-03-19"), Money::new(1000_00, EUR))];
        assert_eq!(p.state(day("2026-03-18"), 3, &payments), PromiseState::Pending);
    }
}
