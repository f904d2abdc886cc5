//! National public holidays, computed for any year from their rules (fixed dates, Easter-based
//! feasts, "the last Monday of May", substitute days) rather than listed per year, for the
//! countries overdue ships calendars for: Spain, Italy, the United Kingdom (England and Wales),
//! the United States (federal), Germany and France. Regional holidays (a Spanish community, a
//! German Land, a US state) are not national: the organisation adds its own as closing days.
//!
//! Also: whether a due date that falls on a non-working day moves, and where to.

use crate::ids::Country;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Easter Sunday in the Gregorian calendar (the anonymous algorithm of Meeus, Jones and Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let (b, c) = (year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

/// The national public holidays of `country` in `year`, sorted; `None` for a country without a
/// calendar here (its organisation lists its holidays as closing days).
pub fn public_holidays(country: Country, year: i32) -> Option<Vec<NaiveDate>> {
    let easter = easter_sunday(year);
    let after_easter = |days: i64| easter + chrono::Duration::days(days);
    let fixed = |dates: &[(u32, u32)]| dates.iter().map(|&(m, d)| ymd(year, m, d)).collect::<Vec<_>>();
    let mut days = match country.as_str() {
        "ES" => {
            let mut days = fixed(&[(1, 1), (1, 6), (5, 1), (8, 15), (10, 12), (11, 1), (12, 6), (12, 8), (12, 25)]);
            days.push(after_easter(-2));
            days
        }
        "IT" => {
            let mut days =
                fixed(&[(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26)]);
            days.extend([easter, after_easter(1)]);
            // Saint Francis of Assisi, a national holiday again from 2026 (Law 151/2025)
            if year >= 2026 {
                days.push(ymd(year, 10, 4));
            }
            days
        }
        "DE" => {
            let mut days = fixed(&[(1, 1), (5, 1), (10, 3), (12, 25), (12, 26)]);
            days.extend([after_easter(-2), after_easter(1), after_easter(39), after_easter(50)]);
            if year == 2017 {
                days.push(ymd(2017, 10, 31)); // 500 years of the Reformation, nationwide once
            }
            days
        }
        "FR" => {
            let mut days = fixed(&[(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]);
            days.extend([after_easter(1), after_easter(39), after_easter(50)]);
            days
        }
        "GB" => england_and_wales(year, easter),
        "US" => united_states_federal(year),
        _ => return None,
    };
    days.sort_unstable();
    days.dedup();
    Some(days)
}

/// Bank holidays in England and Wales: substitute days for those falling on a weekend, and the
/// one-off holidays proclaimed for royal events (they are data, not rules).
fn england_and_wales(year: i32, easter: NaiveDate) -> Vec<NaiveDate> {
    let mut days =
        vec![substitute(ymd(year, 1, 1)), easter - chrono::Duration::days(2), easter + chrono::Duration::days(1)];
    days.push(match year {
        1995 => ymd(1995, 5, 8),
        2020 => ymd(2020, 5, 8),
        _ => nth_weekday(year, 5, Weekday::Mon, 1),
    });
    days.push(match year {
        2002 => ymd(2002, 6, 4),
        2012 => ymd(2012, 6, 4),
        2022 => ymd(2022, 6, 2),
        _ => last_weekday(year, 5, Weekday::Mon),
    });
    days.push(last_weekday(year, 8, Weekday::Mon));
    let christmas = ymd(year, 12, 25);
    let (christmas_off, boxing_off) = match christmas.weekday() {
        Weekday::Fri => (christmas, ymd(year, 12, 28)),
        Weekday::Sat => (ymd(year, 12, 27), ymd(year, 12, 28)),
        Weekday::Sun => (ymd(year, 12, 27), ymd(year, 12, 26)),
        _ => (christmas, ymd(year, 12, 26)),
    };
    days.extend([christmas_off, boxing_off]);
    let one_offs: &[(i32, u32, u32)] =
        &[(2002, 6, 3), (2011, 4, 29), (2012, 6, 5), (2022, 6, 3), (2022, 9, 19), (2023, 5, 8)];
    days.extend(one_offs.iter().filter(|(y, _, _)| *y == year).map(|&(y, m, d)| ymd(y, m, d)));
    days
}

/// US federal holidays, each observed on the Friday before when it falls on a Saturday and the
/// Monday after when on a Sunday.
fn united_states_federal(year: i32) -> Vec<NaiveDate> {
    let mut days = vec![
        observed(ymd(year, 1, 1)),
        nth_weekday(year, 1, Weekday::Mon, 3),
        nth_weekday(year, 2, Weekday::Mon, 3),
        last_weekday(year, 5, Weekday::Mon),
        observed(ymd(year, 7, 4)),
        nth_weekday(year, 9, Weekday::Mon, 1),
        nth_weekday(year, 10, Weekday::Mon, 2),
        observed(ymd(year, 11, 11)),
        nth_weekday(year, 11, Weekday::Thu, 4),
        observed(ymd(year, 12, 25)),
    ];
    if year >= 2021 {
        days.push(observed(ymd(year, 6, 19)));
    }
    days
}

/// A weekend holiday's substitute: the following Monday.
fn substitute(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day + chrono::Duration::days(2),
        Weekday::Sun => day + chrono::Duration::days(1),
        _ => day,
    }
}

/// US observance: Saturday → Friday, Sunday → Monday.
fn observed(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day - chrono::Duration::days(1),
        Weekday::Sun => day + chrono::Duration::days(1),
        _ => day,
    }
}

fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n).unwrap_or_else(|| ymd(year, month, 1))
}

fn last_weekday(year: i32, month: u32, weekday: Weekday) -> NaiveDate {
    let last = crate::date::end_of_month(ymd(year, month, 1));
    let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    last - chrono::Duration::days(i64::from(back))
}

/// A date of a holiday rule; the rules only build real dates, and `year` is a business year.
fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// Whether a due date that falls on a non-working day moves, and to where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueDateShift {
    /// The due date stays where the terms put it.
    Stay,
    /// A Sunday or a public holiday moves to the next day that is neither; a Saturday stays
    /// (Italy, by law: c.c. 1187 and 2963).
    PastSundaysAndHolidays,
    /// Any weekend day or public holiday moves to the next business day (when a contract says so).
    NextBusinessDay,
}

impl DueDateShift {
    pub const ALL: [DueDateShift; 3] = [Self::Stay, Self::PastSundaysAndHolidays, Self::NextBusinessDay];

    /// What the law of `country` says when the contract says nothing.
    pub fn by_law(country: Country) -> Self {
        if country.as_str() == "IT" { Self::PastSundaysAndHolidays } else { Self::Stay }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stay => "stay",
            Self::PastSundaysAndHolidays => "past_sundays_and_holidays",
            Self::NextBusinessDay => "next_business_day",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|shift| shift.as_str() == text.trim())
    }

    /// The due date `due` falls on after applying the rule with the holidays of `country`.
    pub fn apply(self, due: NaiveDate, country: Country) -> NaiveDate {
        let mut day = due;
        let mut holidays = public_holidays(country, day.year()).unwrap_or_default();
        for _ in 0..31 {
            if day.year() != holidays.first().map_or(day.year(), NaiveDate::year) {
                holidays = public_holidays(country, day.year()).unwrap_or_default();
            }
            let holiday = holidays.binary_search(&day).is_ok();
            let closed = match self {
                Self::Stay => false,
                Self::PastSundaysAndHolidays => holiday || day.weekday() == Weekday::Sun,
                Self::NextBusinessDay => holiday || matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
            };
            if !closed {
                return day;
            }
            day = day.succ_opt().unwrap_or(day);
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        crate::date::parse_iso(text).unwrap()
    }

    fn country(code: &str) -> Country {
        Country::parse(code).unwrap()
    }

    fn holidays(code: &str, year: i32) -> Vec<String> {
        public_holidays(country(code), year).unwrap().iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn easter_is_computed_for_any_year() {
        for (year, easter) in [
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2011, "2011-04-24"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter_sunday(year), d(easter), "{year}");
        }
    }

    #[test]
    fn italy_2024() {
        assert_eq!(
            holidays("IT", 2024),
            [
                "2024-01-01",
                "2024-01-06",
                "2024-03-31",
                "2024-04-01",
                "2024-04-25",
                "2024-05-01",
                "2024-06-02",
                "2024-08-15",
                "2024-11-01",
                "2024-12-08",
                "2024-12-25",
                "2024-12-26"
            ]
        );
        assert!(holidays("IT", 2026).contains(&"2026-10-04".to_owned()));
        assert!(!holidays("IT", 2025).contains(&"2025-10-04".to_owned()));
    }

    #[test]
    fn spain_has_good_friday_and_its_national_days() {
        let spain = holidays("ES", 2025);
        for day in ["2025-01-06", "2025-04-18", "2025-10-12", "2025-12-06", "2025-12-08"] {
            assert!(spain.contains(&day.to_owned()), "{day}");
        }
        assert_eq!(spain.len(), 10);
    }

    #[test]
    fn england_moves_weekend_holidays_to_weekdays() {
        // 2021: Christmas on a Saturday, Boxing Day on a Sunday → 27 and 28 December
        let gb = holidays("GB", 2021);
        assert!(gb.contains(&"2021-12-27".to_owned()) && gb.contains(&"2021-12-28".to_owned()));
        assert!(gb.contains(&"2021-05-03".to_owned()) && gb.contains(&"2021-05-31".to_owned()));
        assert!(gb.contains(&"2021-08-30".to_owned()));
        // 2022: New Year on a Saturday → Monday 3 January; the Jubilee and the Queen's funeral
        let gb = holidays("GB", 2022);
        for day in ["2022-01-03", "2022-06-02", "2022-06-03", "2022-09-19", "2022-12-26", "2022-12-27"] {
            assert!(gb.contains(&day.to_owned()), "{day}");
        }
    }

    #[test]
    fn united_states_federal_holidays_are_observed_on_weekdays() {
        let us = holidays("US", 2026);
        for day in [
            "2026-01-01",
            "2026-01-19",
            "2026-02-16",
            "2026-05-25",
            "2026-06-19",
            "2026-07-03",
            "2026-09-07",
            "2026-10-12",
            "2026-11-11",
            "2026-11-26",
            "2026-12-25",
        ] {
            assert!(us.contains(&day.to_owned()), "{day}");
        }
        assert_eq!(us.len(), 11);
    }

    #[test]
    fn germany_and_france_follow_easter() {
        let de = holidays("DE", 2025);
        for day in ["2025-04-18", "2025-04-21", "2025-05-29", "2025-06-09", "2025-10-03"] {
            assert!(de.contains(&day.to_owned()), "{day}");
        }
        let fr = holidays("FR", 2025);
        for day in ["2025-04-21", "2025-05-08", "2025-05-29", "2025-06-09", "2025-07-14", "2025-11-11"] {
            assert!(fr.contains(&day.to_owned()), "{day}");
        }
        assert!(public_holidays(country("PT"), 2025).is_none());
    }

    #[test]
    fn an_italian_due_date_on_easter_monday_or_a_sunday_moves_but_a_saturday_does_not() {
        let italy = country("IT");
        let rule = DueDateShift::by_law(italy);
        assert_eq!(rule.apply(d("2024-04-01"), italy), d("2024-04-02"), "Easter Monday");
        assert_eq!(rule.apply(d("2024-03-31"), italy), d("2024-04-02"), "Easter Sunday, then Easter Monday");
        assert_eq!(rule.apply(d("2024-06-15"), italy), d("2024-06-15"), "a Saturday stays");
        assert_eq!(rule.apply(d("2024-06-16"), italy), d("2024-06-17"), "a Sunday moves");
        assert_eq!(rule.apply(d("2026-12-25"), italy), d("2026-12-28"), "Christmas, St Stephen, Sunday");
        assert_eq!(DueDateShift::by_law(country("ES")).apply(d("2024-06-16"), country("ES")), d("2024-06-16"));
        let contract = DueDateShift::NextBusinessDay;
        assert_eq!(contract.apply(d("2024-06-15"), country("ES")), d("2024-06-17"));
        assert_eq!(contract.apply(d("2025-12-31"), country("GB")), d("2025-12-31"));
        assert_eq!(contract.apply(d("2026-01-01"), country("GB")), d("2026-01-02"), "across the new year");
    }
}
