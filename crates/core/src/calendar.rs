//! Business days: which days a person can be called or a message sent. Weekends and the
//! organisation's own closing days (its holidays) are not business days. Public holidays per
//! country come from the calendars of the interest-and-terms work; here they arrive as closing
//! days, so the engine never depends on where they came from.

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// The days the organisation works.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BusinessCalendar {
    closing_days: BTreeSet<NaiveDate>,
}

impl BusinessCalendar {
    /// Monday to Friday, closed on `closing_days`.
    pub fn new(closing_days: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self { closing_days: closing_days.into_iter().collect() }
    }

    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.closing_days.contains(&date)
    }

    /// `date` itself if it is a business day, else the next one.
    pub fn on_or_after(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        // a year of closing days is the most a real calendar holds; stop there rather than loop
        for _ in 0..400 {
            if self.is_business_day(day) {
                return day;
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => return day,
            }
        }
        day
    }

    /// The `n`th business day after `date` (`n = 0` is [`Self::on_or_after`]).
    pub fn add_business_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = self.on_or_after(date);
        for _ in 0..n {
            day = self.on_or_after(day.succ_opt().unwrap_or(day));
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        crate::date::parse_iso(text).unwrap()
    }

    #[test]
    fn weekends_and_closing_days_are_skipped() {
        let calendar = BusinessCalendar::new([day("2026-12-25")]);
        assert!(calendar.is_business_day(day("2026-11-23")), "a Monday");
        assert!(!calendar.is_business_day(day("2026-11-28")), "a Saturday");
        assert_eq!(calendar.on_or_after(day("2026-11-28")), day("2026-11-30"));
        assert_eq!(calendar.on_or_after(day("2026-12-25")), day("2026-12-28"), "Friday holiday then weekend");
        assert_eq!(calendar.add_business_days(day("2026-11-27"), 1), day("2026-11-30"));
        assert_eq!(calendar.add_business_days(day("2026-12-24"), 2), day("2026-12-29"));
    }
}
