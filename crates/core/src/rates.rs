//! Reference interest rates by half-year (the ECB main refinancing rate, the Bank of England base
//! rate), read from a data file: the one shipped with overdue, extended by the user's own when a
//! new rate is published. A half-year with no row has no verified rate, and interest over it is
//! refused, never guessed.

use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::fmt;

/// The rates shipped with the program (`crates/core/data/interest-rates.csv`).
pub const SHIPPED_RATES: &str = include_str!("../data/interest-rates.csv");

/// An annual interest rate in hundredths of a percent: `1250` is 12.50 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(pub u32);

impl Rate {
    /// Parses a percentage with at most two decimals ("12.5", "0.05", "18").
    pub fn parse_percent(text: &str) -> Option<Rate> {
        let text = text.trim().trim_end_matches('%').trim();
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() || fraction.len() > 2 || whole.len() > 3 {
            return None;
        }
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !digits(fraction) {
            return None;
        }
        let whole: u32 = whole.parse().ok()?;
        let fraction: u32 = format!("{fraction:0<2}").parse().ok()?;
        Some(Rate(whole * 100 + fraction))
    }

    /// The rate plus a margin in whole percentage points.
    pub fn plus_points(self, points: u32) -> Rate {
        Rate(self.0 + points * 100)
    }
}

impl Rate {
    /// The yearly rate in percent with two decimals and no sign, e.g. `"2.15"`.
    pub fn percent(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02} %", self.0 / 100, self.0 % 100)
    }
}

/// A published reference rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reference {
    /// The ECB main refinancing operations rate, by the half-year of each day.
    EcbMro,
    /// The Bank of England base rate, by the half-year in which a debt became late.
    BoeBase,
}

impl Reference {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EcbMro => "ecb_mro",
            Self::BoeBase => "boe_base",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "ecb_mro" => Some(Self::EcbMro),
            "boe_base" => Some(Self::BoeBase),
            _ => None,
        }
    }
}

/// One row of a rate file: a reference rate over whole half-years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatePeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rate: Rate,
}

/// Why a rate file cannot be used; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateFileError {
    #[error("{source_name}, line {line}: {reason}")]
    BadLine { source_name: String, line: usize, reason: String },
    #[error(
        "{source_name}, line {line}: {reference} {from} to {to} overlaps the period {other_from} to {other_to} already given"
    )]
    Overlap {
        source_name: String,
        line: usize,
        reference: &'static str,
        from: NaiveDate,
        to: NaiveDate,
        other_from: NaiveDate,
        other_to: NaiveDate,
    },
}

/// The known reference rates.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RateTable {
    series: BTreeMap<Reference, Vec<RatePeriod>>,
}

/// The first day of the half-year `day` is in.
pub fn half_year_start(day: NaiveDate) -> NaiveDate {
    let month = if day.month() <= 6 { 1 } else { 7 };
    NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day)
}

/// The last day of the half-year `day` is in.
pub fn half_year_end(day: NaiveDate) -> NaiveDate {
    let (month, last) = if day.month() <= 6 { (6, 30) } else { (12, 31) };
    NaiveDate::from_ymd_opt(day.year(), month, last).unwrap_or(day)
}

/// "2026 H2".
pub fn half_year_name(day: NaiveDate) -> String {
    format!("{} H{}", day.year(), if day.month() <= 6 { 1 } else { 2 })
}

impl RateTable {
    /// The shipped rates.
    pub fn shipped() -> Result<RateTable, RateFileError> {
        let mut table = RateTable::default();
        table.add_file("the shipped rate file", SHIPPED_RATES)?;
        Ok(table)
    }

    /// Adds the rows of a rate file. A row for exactly the same period as a known one replaces
    /// it (a correction); a row overlapping a known period otherwise is an error. A file with an
    /// error adds nothing.
    pub fn add_file(&mut self, source_name: &str, text: &str) -> Result<(), RateFileError> {
        let mut updated = self.clone();
        updated.add_rows(source_name, text)?;
        *self = updated;
        Ok(())
    }

    fn add_rows(&mut self, source_name: &str, text: &str) -> Result<(), RateFileError> {
        let mut header_seen = false;
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if !header_seen && line.starts_with("reference") {
                header_seen = true;
                continue;
            }
            let bad = |reason: String| RateFileError::BadLine {
                source_name: source_name.to_owned(),
                line: index + 1,
                reason,
            };
            let (reference, period) = parse_row(line).map_err(bad)?;
            self.insert(reference, period).map_err(|(other_from, other_to, period)| RateFileError::Overlap {
                source_name: source_name.to_owned(),
                line: index + 1,
                reference: reference.as_str(),
                from: period.from,
                to: period.to,
                other_from,
                other_to,
            })?;
        }
        Ok(())
    }

    #[allow(clippy::type_complexity)]
    fn insert(&mut self, reference: Reference, period: RatePeriod) -> Result<(), (NaiveDate, NaiveDate, RatePeriod)> {
        let periods = self.series.entry(reference).or_default();
        if let Some(same) = periods.iter_mut().find(|p| p.from == period.from && p.to == period.to) {
            same.rate = period.rate;
            return Ok(());
        }
        if let Some(other) = periods.iter().find(|p| p.from <= period.to && period.from <= p.to) {
            return Err((other.from, other.to, period));
        }
        periods.push(period);
        periods.sort_by_key(|p| p.from);
        Ok(())
    }

    /// The reference rate of the half-year that `day` is in, if known.
    pub fn rate_on(&self, reference: Reference, day: NaiveDate) -> Option<Rate> {
        let periods = self.series.get(&reference)?;
        let index = periods.partition_point(|p| p.from <= day);
        let period = periods.get(index.checked_sub(1)?)?;
        (day <= period.to).then_some(period.rate)
    }

    /// Every known period of every reference rate, by reference and then in date order.
    pub fn periods(&self) -> impl Iterator<Item = (Reference, &RatePeriod)> {
        self.series.iter().flat_map(|(reference, periods)| periods.iter().map(move |p| (*reference, p)))
    }

    /// Every row, in file form, for showing or copying into a user's own file.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("reference,from,to,rate_percent\n");
        for (reference, p) in self.periods() {
            out.push_str(&format!("{},{},{},{}\n", reference.as_str(), p.from, p.to, p.rate.percent()));
        }
        out
    }
}

fn parse_row(line: &str) -> Result<(Reference, RatePeriod), String> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    if fields.len() < 4 {
        return Err(format!("expected reference,from,to,rate_percent but found {} field(s)", fields.len()));
    }
    let reference = Reference::parse(fields[0])
        .ok_or_else(|| format!("reference {:?} is unknown: use ecb_mro or boe_base", fields[0]))?;
    let date = |text: &str, what: &str| crate::date::parse_iso(text).map_err(|e| format!("{what}: {e}"));
    let (from, to) = (date(fields[1], "from")?, date(fields[2], "to")?);
    if from != half_year_start(from) || to != half_year_end(to) || to < from {
        return Err(format!(
            "the period {from} to {to} is not whole half-years: it must start on 1 January or 1 July and end on \
             30 June or 31 December"
        ));
    }
    let rate = Rate::parse_percent(fields[3])
        .ok_or_else(|| format!("rate {:?} is not a percentage such as 4.25 (at most two decimals)", fields[3]))?;
    Ok((reference, RatePeriod { from, to, rate }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        crate::date::parse_iso(text).unwrap()
    }

    #[test]
    fn the_shipped_table_has_the_published_rates() {
        let table = RateTable::shipped().unwrap();
        assert_eq!(table.rate_on(Reference::EcbMro, d("2024-06-15")), Some(Rate(450)));
        assert_eq!(table.rate_on(Reference::EcbMro, d("2019-03-01")), Some(Rate(0)));
        assert_eq!(table.rate_on(Reference::EcbMro, d("2016-01-01")), Some(Rate(5)));
        assert_eq!(table.rate_on(Reference::EcbMro, d("2026-06-30")), Some(Rate(215)));
        assert_eq!(table.rate_on(Reference::EcbMro, d("2026-07-01")), None, "2026 H2 is unverified");
        assert_eq!(table.rate_on(Reference::EcbMro, d("2012-12-31")), None);
        assert_eq!(table.rate_on(Reference::BoeBase, d("2023-12-21")), Some(Rate(500)));
        assert_eq!(table.rate_on(Reference::BoeBase, d("2024-07-01")), None);
    }

    #[test]
    fn a_user_file_adds_a_new_half_year_and_corrects_an_old_one() {
        let mut table = RateTable::shipped().unwrap();
        table.add_file("mine.csv", "reference,from,to,rate_percent\necb_mro,2026-07-01,2026-12-31,2.15\n").unwrap();
        assert_eq!(table.rate_on(Reference::EcbMro, d("2026-11-23")), Some(Rate(215)));
        table.add_file("mine.csv", "ecb_mro,2026-07-01,2026-12-31,2.40").unwrap();
        assert_eq!(table.rate_on(Reference::EcbMro, d("2026-11-23")), Some(Rate(240)));
        let reloaded = {
            let mut t = RateTable::default();
            t.add_file("shown", &table.to_csv()).unwrap();
            t
        };
        assert_eq!(reloaded, table, "what is shown can be loaded back");
    }

    #[test]
    fn bad_rows_name_the_line_and_the_reason() {
        let mut table = RateTable::shipped().unwrap();
        let err = table.add_file("mine.csv", "# new\necb_mro,2026-07-01,2026-11-30,2.15").unwrap_err();
        assert!(err.to_string().starts_with("mine.csv, line 2: the period 2026-07-01 to 2026-11-30"), "{err}");
        let err = table.add_file("mine.csv", "ecb_mro,2026-01-01,2026-12-31,2.15").unwrap_err();
        assert!(err.to_string().contains("overlaps the period 2026-01-01 to 2026-06-30"), "{err}");
        let err = table.add_file("mine.csv", "fed_funds,2026-07-01,2026-12-31,4").unwrap_err();
        assert!(err.to_string().contains("\"fed_funds\" is unknown"), "{err}");
        let err = table.add_file("mine.csv", "ecb_mro,2026-07-01,2026-12-31,2.155").unwrap_err();
        assert!(err.to_string().contains("at most two decimals"), "{err}");
        assert_eq!(table.rate_on(Reference::EcbMro, d("2026-07-01")), None, "nothing was added");
    }

    #[test]
    fn rates_print_as_percentages() {
        assert_eq!(Rate::parse_percent("12.5"), Some(Rate(1250)));
        assert_eq!(Rate::parse_percent("0.05%"), Some(Rate(5)));
        assert_eq!(Rate(1225).to_string(), "12.25 %");
        assert_eq!(Rate::parse_percent("-1"), None);
    }
}
