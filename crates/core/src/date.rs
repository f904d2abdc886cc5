//! Calendar dates as credit control uses them: strict ISO 8601 text (`2026-11-23`), month ends,
//! and adding days or months without surprises.

use chrono::{Datelike, Days, Months, NaiveDate};

/// Why text is not a calendar date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a date: expected YYYY-MM-DD between 1900 and 2999, e.g. 2026-01-31")]
pub struct BadDate {
    pub text: String,
}

/// Years a business date can have: anything else is a typo ("0026-05-01").
pub const YEAR_MIN: u32 = 1900;
pub const YEAR_MAX: u32 = 2999;

/// Parses exactly `YYYY-MM-DD` (a real calendar day, so `2026-02-30` is refused).
/// Hand-rolled because it runs once per imported row.
pub fn parse_iso(text: &str) -> Result<NaiveDate, BadDate> {
    let bad = || BadDate { text: text.to_owned() };
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    let (year, month, day) = match (number(0..4), number(5..7), number(8..10)) {
        (Some(y), Some(m), Some(d)) => (y, m, d),
        _ => return Err(bad()),
    };
    if !(YEAR_MIN..=YEAR_MAX).contains(&year) {
        return Err(bad());
    }
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(bad)
}

/// A day already read (from JSON, a form) checked to be within the years a business date can have.
///
/// Errors: [`BadDate`] naming the day.
pub fn within_years(day: NaiveDate) -> Result<NaiveDate, BadDate> {
    let year = u32::try_from(day.year()).unwrap_or(0);
    if (YEAR_MIN..=YEAR_MAX).contains(&year) { Ok(day) } else { Err(BadDate { text: day.to_string() }) }
}

/// The last day of the month that `date` is in.
pub fn end_of_month(date: NaiveDate) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    first.checked_add_months(Months::new(1)).and_then(|next| next.pred_opt()).unwrap_or(date)
}

/// `date` plus `days` (negative goes back); saturates at chrono's limits instead of panicking.
pub fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    let magnitude = Days::new(days.unsigned_abs());
    let moved = if days >= 0 { date.checked_add_days(magnitude) } else { date.checked_sub_days(magnitude) };
    moved.unwrap_or(date)
}

/// `day` of the month after `date`, clamped to that month's length (the 31st of February is
/// its last day).
pub fn day_of_next_month(date: NaiveDate, day: u32) -> NaiveDate {
    let next = date.with_day(1).and_then(|d| d.checked_add_months(Months::new(1))).unwrap_or(date);
    let last = end_of_month(next).day();
    next.with_day(day.clamp(1, last)).unwrap_or(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_only_real_iso_dates() {
        assert_eq!(parse_iso("2026-01-31").unwrap(), d(2026, 1, 31));
        assert_eq!(parse_iso("2024-02-29").unwrap(), d(2024, 2, 29));
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "26-01-01",
            "2026/01/01",
            "2026-1-01",
            "2026-13-01",
            "",
            "2026-01-3a",
            "0026-05-01",
            "3026-05-01",
        ] {
            assert!(parse_iso(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn month_ends_know_leap_years() {
        assert_eq!(end_of_month(d(2024, 2, 10)), d(2024, 2, 29));
        assert_eq!(end_of_month(d(2025, 2, 1)), d(2025, 2, 28));
        assert_eq!(end_of_month(d(2025, 12, 31)), d(2025, 12, 31));
    }

    #[test]
    fn a_day_of_next_month_is_clamped_to_its_length() {
        assert_eq!(day_of_next_month(d(2026, 1, 31), 31), d(2026, 2, 28));
        assert_eq!(day_of_next_month(d(2026, 12, 5), 21), d(2027, 1, 21));
    }
}
