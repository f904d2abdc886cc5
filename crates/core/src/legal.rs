//! Legal checks on credit terms: a term longer than the law allows (Spain: never more than 60
//! days from delivery, even by agreement; elsewhere in the EU: more than 60 days only when
//! expressly agreed), and the terms the law supplies when none were agreed (30 days).

use crate::ids::Country;
use crate::terms::PaymentTerms;
use chrono::NaiveDate;
use std::fmt;

/// The longest B2B term without an express agreement under the EU directive, and the longest at
/// all in Spain.
pub const SIXTY_DAYS: i64 = 60;

/// Member states of the European Union (ISO codes; Greece is GR).
const EU: [&str; 27] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT",
    "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

pub fn in_eu(country: Country) -> bool {
    EU.contains(&country.as_str())
}

/// What the check found about an invoice's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermsFinding {
    /// Spain: the due date is more than 60 days after delivery, which no agreement can allow.
    Unlawful { days: i64, from: NaiveDate, due: NaiveDate },
    /// EU: more than 60 days after delivery without an express agreement.
    NeedsExpressAgreement { days: i64, from: NaiveDate, due: NaiveDate },
}

impl fmt::Display for TermsFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unlawful { days, from, due } => write!(
                f,
                "due {due} is {days} days after delivery on {from}: Spanish law allows at most {SIXTY_DAYS} days, \
                 even by agreement (Ley 3/2004, art. 4)"
            ),
            Self::NeedsExpressAgreement { days, from, due } => write!(
                f,
                "due {due} is {days} days after delivery on {from}: more than {SIXTY_DAYS} days is lawful only if \
                 expressly agreed and not grossly unfair (Directive 2011/7/EU, art. 3); record the agreement's terms \
                 on the customer"
            ),
        }
    }
}

/// Checks the last due date of an invoice against the law of the creditor's `country`.
/// `delivered` is when the goods or services were received (the invoice date when unknown);
/// `expressly_agreed` says the customer's written agreement states the terms.
pub fn check_terms(
    country: Country,
    delivered: NaiveDate,
    last_due: NaiveDate,
    expressly_agreed: bool,
) -> Option<TermsFinding> {
    let days = (last_due - delivered).num_days();
    if days <= SIXTY_DAYS {
        return None;
    }
    let (from, due) = (delivered, last_due);
    match country.as_str() {
        "ES" => Some(TermsFinding::Unlawful { days, from, due }),
        _ if in_eu(country) && !expressly_agreed => Some(TermsFinding::NeedsExpressAgreement { days, from, due }),
        _ => None,
    }
}

/// The terms the law supplies when none were agreed: 30 days (EU directive, art. 3(3); UK Late
/// Payment Act, s. 4). `None` where overdue knows no statutory default (the contract decides).
pub fn statutory_default_terms(country: Country) -> Option<PaymentTerms> {
    (in_eu(country) || country.as_str() == "GB").then_some(PaymentTerms::Net { days: 30 })
}

/// The days a final demand gives the customer to pay, from its date: Spain 10 (a requerimiento
/// de pago gives 5 to 15 in practice), Italy 15 (a messa in mora, art. 1219 c.c.) and 20 for a
/// diffida ad adempiere (art. 1454 c.c.: at least 15 from receipt, and a registered letter takes
/// days), the UK 30 (the Pre-Action Protocol for Debt Claims), elsewhere 14.
pub fn demand_deadline_days(country: Country, template: &str) -> u32 {
    match (country.as_str(), template) {
        (_, "final_demand_diffida") => 20,
        ("IT", _) => 15,
        ("ES", _) => 10,
        ("GB", _) => 30,
        _ => 14,
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

    #[test]
    fn example_6_spain_flags_more_than_sixty_days_from_delivery_even_when_agreed() {
        let finding = check_terms(country("ES"), d("2026-03-01"), d("2026-05-30"), true).unwrap();
        assert_eq!(finding, TermsFinding::Unlawful { days: 90, from: d("2026-03-01"), due: d("2026-05-30") });
        assert!(finding.to_string().contains("at most 60 days, even by agreement"), "{finding}");
        assert_eq!(check_terms(country("ES"), d("2026-03-01"), d("2026-04-30"), false), None, "60 days is fine");
    }

    #[test]
    fn elsewhere_in_the_eu_sixty_days_need_an_express_agreement() {
        let italy = country("IT");
        assert!(matches!(
            check_terms(italy, d("2026-03-01"), d("2026-05-30"), false),
            Some(TermsFinding::NeedsExpressAgreement { days: 90, .. })
        ));
        assert_eq!(check_terms(italy, d("2026-03-01"), d("2026-05-30"), true), None);
        assert_eq!(check_terms(country("US"), d("2026-03-01"), d("2026-12-30"), false), None);
    }

    #[test]
    fn without_agreed_terms_the_law_gives_thirty_days() {
        assert_eq!(statutory_default_terms(country("IT")), Some(PaymentTerms::Net { days: 30 }));
        assert_eq!(statutory_default_terms(country("GB")), Some(PaymentTerms::Net { days: 30 }));
        assert_eq!(statutory_default_terms(country("US")), None);
    }
}
