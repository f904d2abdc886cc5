//! Identifiers and small validated values: customer codes, invoice numbers, countries,
//! languages and e-mail addresses. Each can only be built valid ("parse, don't validate").

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a field's text is not a valid identifier or code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("{what} is empty")]
    Empty { what: &'static str },
    #[error("{what} {text:?} is longer than {max} characters")]
    TooLong { what: &'static str, text: String, max: usize },
    #[error("{what} {text:?} contains a control character")]
    ControlCharacter { what: &'static str, text: String },
    #[error("country {0:?} is not an ISO 3166 two-letter code such as ES, IT or GB")]
    UnknownCountry(String),
    #[error("language {0:?} is not an ISO 639-1 two-letter code such as es, it or en")]
    BadLanguage(String),
    #[error("e-mail address {0:?} is not valid: expected name@example.com")]
    BadEmail(String),
}

fn checked_text(text: &str, what: &'static str, max: usize) -> Result<String, IdError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(IdError::Empty { what });
    }
    if text.chars().count() > max {
        return Err(IdError::TooLong { what, text: text.to_owned(), max });
    }
    if text.chars().any(char::is_control) {
        return Err(IdError::ControlCharacter { what, text: text.to_owned() });
    }
    Ok(text.to_owned())
}

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident, $what:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(text: &str) -> Result<Self, IdError> {
                checked_text(text, $what, $max).map(Self)
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(text: String) -> Result<Self, IdError> {
                Self::parse(&text)
            }
        }
        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }
    };
}

text_id!(
    /// The business's own code for a customer (account number in the ERP), unique per organisation.
    CustomerCode, "customer code", 64
);
text_id!(
    /// An invoice or credit note number as printed on it, unique per organisation.
    InvoiceNumber, "invoice number", 64
);
text_id!(
    /// A payment's own reference (bank entry reference, ERP payment id): what makes a re-import
    /// of the same payment recognisable.
    PaymentReference, "payment reference", 140
);

const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL \
BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM \
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC \
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE \
NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD \
SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA \
UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

/// An ISO 3166-1 alpha-2 country code (`XK` for Kosovo is accepted too).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country([u8; 2]);

impl Country {
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let upper = text.trim().to_ascii_uppercase();
        let known = upper.len() == 2 && COUNTRIES.split(' ').any(|code| code == upper);
        let bytes = upper.as_bytes();
        if known { Ok(Self([bytes[0], bytes[1]])) } else { Err(IdError::UnknownCountry(text.to_owned())) }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

/// An ISO 639-1 language code, lower case: the language the customer is written to in.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Language([u8; 2]);

impl Language {
    pub const EN: Language = Language(*b"en");
    pub const ES: Language = Language(*b"es");
    pub const IT: Language = Language(*b"it");
    pub const DE: Language = Language(*b"de");
    pub const FR: Language = Language(*b"fr");

    /// The language a customer in `country` is written to in when nothing says otherwise: the
    /// country's own where overdue has its messages (es, it, de, fr), else English.
    pub fn usual_in(country: Country) -> Self {
        match country.as_str() {
            "ES" => Self::ES,
            "IT" | "SM" | "VA" => Self::IT,
            "DE" | "AT" | "LI" => Self::DE,
            "FR" | "MC" => Self::FR,
            _ => Self::EN,
        }
    }

    pub fn parse(text: &str) -> Result<Self, IdError> {
        let lower = text.trim().to_ascii_lowercase();
        let bytes = lower.as_bytes();
        if bytes.len() == 2 && bytes.iter().all(u8::is_ascii_lowercase) {
            Ok(Self([bytes[0], bytes[1]]))
        } else {
            Err(IdError::BadLanguage(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

/// An e-mail address, checked for shape (one `@`, a dotted domain, no spaces), not deliverability.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let text = text.trim();
        let bad = || IdError::BadEmail(text.to_owned());
        let (local, domain) = text.split_once('@').ok_or_else(bad)?;
        let shape_ok = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && text.len() <= 254
            && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        if shape_ok { Ok(Self(text.to_owned())) } else { Err(bad()) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_conversions {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(text: String) -> Result<Self, IdError> {
                Self::parse(&text)
            }
        }
        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_owned()
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.as_str())
            }
        }
    };
}

string_conversions!(Country);
string_conversions!(Language);
string_conversions!(Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_numbers_are_trimmed_and_bounded() {
        assert_eq!(InvoiceNumber::parse(" F-2026/001 ").unwrap().as_str(), "F-2026/001");
        assert!(matches!(InvoiceNumber::parse("  "), Err(IdError::Empty { .. })));
        assert!(matches!(CustomerCode::parse(&"x".repeat(65)), Err(IdError::TooLong { .. })));
        assert!(CustomerCode::parse("a\u{7}b").is_err());
    }

    #[test]
    fn countries_must_be_real_iso_codes() {
        assert_eq!(Country::parse("es").unwrap().as_str(), "ES");
        assert!(Country::parse("XX").is_err());
        assert!(Country::parse("ESP").is_err());
    }

    #[test]
    fn languages_and_emails_are_checked_for_shape() {
        assert_eq!(Language::parse("IT").unwrap(), Language::IT);
        assert!(Language::parse("ita").is_err());
        assert!(Email::parse("pagos@cliente.es").is_ok());
        for bad in ["no-at.example.com", "a@b", "a b@c.com", "@c.com", "a@.com", "a@b@c.com"] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }
}
