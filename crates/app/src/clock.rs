//! What day it is for an organisation: the date on the clock of its time zone (a setting of the
//! organisation; by default the usual zone of its country), so that a run late in the evening
//! in Madrid and a server in UTC agree on "today".

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use overdue_store::Organisation;

/// The organisation's time zone: its own setting, else its country's usual zone, else UTC.
pub fn time_zone(organisation: &Organisation) -> Tz {
    organisation
        .time_zone
        .as_deref()
        .and_then(|name| name.parse::<Tz>().ok())
        .unwrap_or_else(|| country_zone(organisation.country.as_str()))
}

/// The usual time zone of a country (where it has one; UTC otherwise).
fn country_zone(country: &str) -> Tz {
    match country {
        "ES" => Tz::Europe__Madrid,
        "IT" | "SM" | "VA" => Tz::Europe__Rome,
        "GB" => Tz::Europe__London,
        "IE" => Tz::Europe__Dublin,
        "PT" => Tz::Europe__Lisbon,
        "FR" | "MC" => Tz::Europe__Paris,
        "DE" => Tz::Europe__Berlin,
        "NL" => Tz::Europe__Amsterdam,
        "BE" => Tz::Europe__Brussels,
        "AT" => Tz::Europe__Vienna,
        "CH" => Tz::Europe__Zurich,
        "PL" => Tz::Europe__Warsaw,
        _ => Tz::UTC,
    }
}

/// Today for `organisation` at the instant `now`.
pub fn today(organisation: &Organisation, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&time_zone(organisation)).date_naive()
}

/// Checks a time zone name (IANA, e.g. `Europe/Rome`).
///
/// Errors: the name is not in the time zone database, with a hint.
pub fn parse_time_zone(name: &str) -> Result<Tz, crate::AppError> {
    name.trim().parse::<Tz>().map_err(|_| {
        crate::AppError::Refused(
            format!(
                "{name:?} is not a time zone: use an IANA name such as Europe/Madrid, Europe/Rome or Europe/London"
            )
            .into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use overdue_core::currency::Currency;
    use overdue_core::ids::Country;

    fn organisation(country: &str, zone: Option<&str>) -> Organisation {
        Organisation {
            id: 1,
            name: "Acme".into(),
            country: Country::parse(country).unwrap_or_else(|_| unreachable!()),
            currency: Currency::EUR,
            time_zone: zone.map(str::to_owned),
        }
    }

    #[test]
    fn late_in_the_evening_it_is_already_tomorrow_in_rome_but_not_in_new_york() {
        let utc = DateTime::parse_from_rfc3339("2026-11-30T23:30:00Z").unwrap_or_else(|_| unreachable!()).to_utc();
        let day = |text| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|_| unreachable!());
        assert_eq!(today(&organisation("IT", None), utc), day("2026-12-01"));
        assert_eq!(today(&organisation("IT", Some("America/New_York")), utc), day("2026-11-30"));
        assert_eq!(today(&organisation("US", None), utc), day("2026-11-30"), "no usual zone: UTC");
        assert!(parse_time_zone("Europe/Atlantis").is_err());
    }
}
