//! Collection performance indicators a credit controller reports each month: days sales
//! outstanding by the countback method (DSO) and the collection effectiveness index (CEI). Both
//! are computed per currency, from amounts in one currency only, and kept exact as tenths.

use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

/// A figure kept in tenths (DSO in tenths of a day, CEI in tenths of a percent), shown with one
/// decimal: `Tenths(345)` is "34.5".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Tenths(pub i64);

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::money::format_minor(self.0, 1))
    }
}

/// One calendar month's credit sales: invoices less credit notes issued in it, in one currency,
/// and how many of its days count (all of them, or up to the day of the report in its month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthSales {
    pub days: u32,
    pub sales: Money,
}

/// DSO by the countback method: the receivables on a day are matched against each month's credit
/// sales, newest month first; every month wholly absorbed adds its days, and the month where the
/// receivables run out adds the share of its days that the rest is of its sales.
///
/// `receivables` and every month's sales must be in one currency (amounts in another are
/// ignored). Returns tenths of a day, rounded half up; 0 when nothing is owed; `None` when the
/// receivables are larger than all the sales given (the history is too short to say).
///
/// Source: the countback (exhaustion) method as taught in credit management, e.g. the Credit
/// Research Foundation's "DSO countback" definition.
pub fn dso_countback(receivables: Money, months_newest_first: &[MonthSales]) -> Option<Tenths> {
    let currency = receivables.currency();
    let mut rest = i128::from(receivables.amount_minor());
    if rest <= 0 {
        return Some(Tenths(0));
    }
    let mut tenths: i128 = 0;
    for month in months_newest_first.iter().filter(|m| m.sales.currency() == currency) {
        let sales = i128::from(month.sales.amount_minor());
        let days_tenths = i128::from(month.days) * 10;
        if sales > 0 && rest <= sales {
            tenths += (rest * days_tenths * 2 + sales) / (sales * 2);
            return i64::try_from(tenths).ok().map(Tenths);
        }
        rest -= sales.max(0);
        tenths += days_tenths;
    }
    None
}

/// The receivables on the last day of a period, in one currency: everything owed, and the part
/// of it not yet due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receivables {
    pub total: Money,
    pub current: Money,
}

/// The collection effectiveness index of a period, in tenths of a percent: of what could have
/// been collected (the receivables at its start plus its credit sales, less what was not yet due
/// at its end), the share that was collected.
///
/// `(begin + sales − end.total) / (begin + sales − end.current) × 100`, rounded half up.
/// `None` when nothing could have been collected (the divisor is zero or less) or the amounts are
/// not all in one currency.
///
/// Source: the collection effectiveness index as defined by the Credit Research Foundation.
pub fn collection_effectiveness(begin: Money, sales: Money, end: Receivables) -> Option<Tenths> {
    let currency = begin.currency();
    if [sales, end.total, end.current].iter().any(|m| m.currency() != currency) {
        return None;
    }
    let available = i128::from(begin.amount_minor()) + i128::from(sales.amount_minor());
    let collected = available - i128::from(end.total.amount_minor());
    let collectable = available - i128::from(end.current.amount_minor());
    if collectable <= 0 {
        return None;
    }
    let tenths = (collected * 1000 * 2 + collectable).div_euclid(collectable * 2);
    i64::try_from(tenths).ok().map(Tenths)
}

/// One month of collection figures in one currency: credit sales issued in it, the receivables
/// at its end (or on the report's day, for the month it falls in), DSO by countback at that end
/// and the month's collection effectiveness index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthFigures {
    /// The first day of the month.
    pub month: NaiveDate,
    /// The day the receivables are taken: the month's last day, or the report's day.
    pub end: NaiveDate,
    /// Invoices less credit notes issued in the month (to `end`).
    pub sales: Money,
    /// Receivables at the end of the month before.
    pub begin: Money,
    /// What customers owed at `end` less the credit they held (an unapplied credit note or
    /// over-payment lowers it, as it lowers the sales).
    pub end_total: Money,
    /// The part of `end_total` not yet due at `end`.
    pub end_current: Money,
    /// Days sales outstanding at `end` by countback; `None` when the sales history is too short.
    pub dso: Option<Tenths>,
    /// Collection effectiveness in the month, in tenths of a percent; `None` when nothing was
    /// collectable.
    pub cei: Option<Tenths>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    fn month(days: u32, sales: i64) -> MonthSales {
        MonthSales { days, sales: eur(sales) }
    }

    #[test]
    fn countback_absorbs_whole_months_then_a_share_of_the_next() {
        // 150,000 owed; November sold 100,000 (30 days), October 100,000 (31 days):
        // all of November and half of October: 30 + 15.5 days
        let dso = dso_countback(eur(150_000_00), &[month(30, 100_000_00), month(31, 100_000_00)]);
        assert_eq!(dso, Some(Tenths(455)));
        assert_eq!(dso.unwrap().to_string(), "45.5");
    }

    #[test]
    fn countback_within_the_newest_month_and_with_nothing_owed() {
        assert_eq!(dso_countback(eur(25_00), &[month(30, 100_00)]), Some(Tenths(75)));
        assert_eq!(dso_countback(eur(0), &[month(30, 100_00)]), Some(Tenths(0)));
        assert_eq!(dso_countback(eur(-5_00), &[]), Some(Tenths(0)), "a customer in credit owes no days");
    }

    #[test]
    fn a_month_without_sales_counts_whole_and_too_short_a_history_says_so() {
        assert_eq!(dso_countback(eur(50_00), &[month(31, 0), month(30, 100_00)]), Some(Tenths(310 + 150)));
        assert_eq!(dso_countback(eur(500_00), &[month(30, 100_00), month(31, 100_00)]), None);
    }

    #[test]
    fn countback_ignores_sales_in_another_currency() {
        let pounds = MonthSales { days: 30, sales: Money::new(1_000_00, Currency::GBP) };
        assert_eq!(dso_countback(eur(50_00), &[pounds, month(31, 100_00)]), Some(Tenths(155)));
    }

    #[test]
    fn cei_is_the_share_collected_of_what_could_be() {
        // began 10,000, sold 5,000, ended owing 6,000 of which 4,000 not yet due:
        // collected 9,000 of 11,000 collectable = 81.8 %
        let end = Receivables { total: eur(6_000_00), current: eur(4_000_00) };
        assert_eq!(collection_effectiveness(eur(10_000_00), eur(5_000_00), end), Some(Tenths(818)));
        let all = Receivables { total: eur(4_000_00), current: eur(4_000_00) };
        assert_eq!(collection_effectiveness(eur(10_000_00), eur(5_000_00), all), Some(Tenths(1000)));
    }

    #[test]
    fn cei_without_anything_collectable_or_with_mixed_currencies_is_none() {
        let end = Receivables { total: eur(100_00), current: eur(100_00) };
        assert_eq!(collection_effectiveness(eur(0), eur(100_00), end), None);
        let pounds = Receivables { total: Money::new(1, Currency::GBP), current: Money::new(0, Currency::GBP) };
        assert_eq!(collection_effectiveness(eur(100_00), eur(0), pounds), None);
    }
}
