//! Structured payment references — the number a business asks its customers to quote on a
//! transfer, with check digits so a typing error is caught — in the schemes banks carry:
//! ISO 11649 creditor references (`RF18 5390 0754 7034`), the Belgian structured communication
//! (`+++441/7283/09191+++`, mod 97), the Finnish reference (*viitenumero*, 7-3-1 weights), the
//! Swiss QR reference (27 digits, mod 10 recursive) and the Norwegian KID (mod 10 Luhn or mod 11).
//! Each is recognised only with valid check digits; a reference can also be built for an invoice
//! in the scheme an organisation chooses.

use crate::creditor_reference;
use serde::{Deserialize, Serialize};

/// A structured reference scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// ISO 11649 `RF` creditor reference (SEPA's structured creditor reference, SCOR).
    Rf,
    /// Belgian *gestructureerde mededeling* / *communication structurée* (OGM/VCS): 10 digits and
    /// 2 check digits (the first 10 modulo 97, 97 for 0), written `+++ddd/dddd/ddddd+++`.
    Belgian,
    /// Finnish national reference (*viitenumero*): 4–20 digits, the last a check digit from
    /// weights 7, 3, 1 repeated from the right (Finance Finland's standard).
    Finnish,
    /// Swiss QR reference (QRR, ISR/ESR): 27 digits, the last a mod 10 recursive check digit
    /// (SIX Swiss Payment Standards, QR-bill implementation guidelines).
    SwissQr,
    /// Norwegian KID (*kundeidentifikasjon*): 2–25 digits with a mod 10 (Luhn) or mod 11 check
    /// digit (`-` for a remainder of 10), per Nets' KID specification.
    Kid,
}

impl Scheme {
    /// Every scheme, in the order a reference is tried against them.
    pub const ALL: [Scheme; 5] = [Scheme::Rf, Scheme::Belgian, Scheme::SwissQr, Scheme::Finnish, Scheme::Kid];

    /// The name used in settings and messages: `rf`, `be`, `fi`, `ch_qrr`, `no_kid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Rf => "rf",
            Scheme::Belgian => "be",
            Scheme::Finnish => "fi",
            Scheme::SwissQr => "ch_qrr",
            Scheme::Kid => "no_kid",
        }
    }

    /// The scheme named `text` (see [`Scheme::as_str`]), if any.
    pub fn parse(text: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|scheme| scheme.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// How people call a reference of this scheme.
    pub fn label(self) -> &'static str {
        match self {
            Scheme::Rf => "creditor reference (ISO 11649)",
            Scheme::Belgian => "structured communication",
            Scheme::Finnish => "Finnish reference",
            Scheme::SwissQr => "QR reference",
            Scheme::Kid => "KID",
        }
    }
}

/// A reference recognised in a text: its scheme and its key (digits, or for `RF` the payload),
/// the form two writings of one reference share.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Recognised {
    pub scheme: Scheme,
    pub key: String,
}

/// The key a reference is matched on: its letters and digits, upper case; an `RF` reference's
/// payload. `+++441/7283/09191+++` and `441728309191` share `441728309191`.
pub fn key(text: &str) -> String {
    creditor_reference::parse(text).unwrap_or_else(|| creditor_reference::normalise(text))
}

/// The scheme whose check digits `text` passes (spaces, `/`, `+`, `*`, `.` and `-` as
/// separators), first in [`Scheme::ALL`] order; `None` when none does. A short number that
/// happens to pass a mod 10 check is still only a number: KID and Finnish references need at
/// least 4 digits, and the Belgian form exactly 12.
pub fn recognise(text: &str) -> Option<Recognised> {
    if let Some(payload) = creditor_reference::parse(text) {
        return Some(Recognised { scheme: Scheme::Rf, key: payload });
    }
    let digits: String = text.chars().filter(|c| !" /+*.-".contains(*c)).collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let scheme = [Scheme::Belgian, Scheme::SwissQr, Scheme::Finnish, Scheme::Kid]
        .into_iter()
        .find(|&scheme| valid(scheme, &digits))?;
    Some(Recognised { scheme, key: digits })
}

/// Whether `digits` (digits only) is a valid reference of `scheme` (not `Rf`).
fn valid(scheme: Scheme, digits: &str) -> bool {
    let Some((body, check)) = digits.len().checked_sub(1).map(|at| digits.split_at(at)) else { return false };
    match scheme {
        Scheme::Rf => false,
        Scheme::Belgian => digits.len() == 12 && belgian_check(&digits[..10]).is_some_and(|c| c == digits[10..]),
        Scheme::SwissQr => digits.len() == 27 && mod10_recursive(body).to_string() == check,
        Scheme::Finnish => (4..=20).contains(&digits.len()) && finnish_check(body).to_string() == check,
        Scheme::Kid => {
            (4..=25).contains(&digits.len())
                && (luhn_check(body).to_string() == check || mod11_check(body).is_some_and(|c| c.to_string() == check))
        }
    }
}

/// The reference a customer is asked to quote when paying invoice `number`: the invoice's own
/// (`own`, as its e-invoice or CSV gave it), else one built in the organisation's `scheme`, else
/// an ISO 11649 creditor reference, else the number itself.
pub fn to_quote(own: Option<&str>, scheme: Option<Scheme>, number: &str) -> String {
    own.map(str::to_owned)
        .or_else(|| scheme.and_then(|scheme| for_invoice(scheme, number)))
        .or_else(|| creditor_reference::for_invoice(number))
        .unwrap_or_else(|| number.to_owned())
}

/// Builds the reference of `scheme` for an invoice number: its digits (letters dropped; for `RF`
/// its letters and digits) with the scheme's check digits. `None` when the number has no digits
/// or too many for the scheme (10 for Belgian, 19 for Finnish, 26 for QR, 24 for KID, 21
/// characters for `RF`).
pub fn for_invoice(scheme: Scheme, number: &str) -> Option<String> {
    if scheme == Scheme::Rf {
        return creditor_reference::for_invoice(number);
    }
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let body = digits.trim_start_matches('0');
    let body = if body.is_empty() { digits.get(digits.len().saturating_sub(1)..)? } else { body };
    if digits.is_empty() {
        return None;
    }
    match scheme {
        Scheme::Rf => None,
        Scheme::Belgian => {
            let body = format!("{body:0>10}");
            let check = belgian_check(body.get(..10).filter(|_| body.len() == 10)?)?;
            Some(format!("+++{}/{}/{}{check}+++", &body[..3], &body[3..7], &body[7..10]))
        }
        Scheme::Finnish => {
            let body = if body.len() < 3 { format!("{body:0>3}") } else { body.to_owned() };
            (body.len() <= 19).then(|| format!("{body}{}", finnish_check(&body)))
        }
        Scheme::SwissQr => (body.len() <= 26).then(|| {
            let body = format!("{body:0>26}");
            format!("{body}{}", mod10_recursive(&body))
        }),
        Scheme::Kid => {
            let body = if body.len() < 3 { format!("{body:0>3}") } else { body.to_owned() };
            (body.len() <= 24).then(|| format!("{body}{}", luhn_check(&body)))
        }
    }
}

/// The two Belgian check digits of 10 digits: their value modulo 97, 97 for 0.
fn belgian_check(ten: &str) -> Option<String> {
    let value: u64 = ten.parse().ok()?;
    let check = match value % 97 {
        0 => 97,
        rest => rest,
    };
    Some(format!("{check:02}"))
}

/// The Finnish check digit: weights 7, 3, 1 from the right; 10 minus the sum's last digit.
fn finnish_check(body: &str) -> u32 {
    let sum: u32 = digits_from_right(body).zip([7, 3, 1].into_iter().cycle()).map(|(d, w)| d * w).sum();
    (10 - sum % 10) % 10
}

/// The Luhn (mod 10) check digit.
fn luhn_check(body: &str) -> u32 {
    let sum: u32 = digits_from_right(body)
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { (d * 2) / 10 + (d * 2) % 10 } else { d })
        .sum();
    (10 - sum % 10) % 10
}

/// The mod 11 check digit (weights 2–7 from the right); `None` when it would be 10 (written
/// `-`, which a digits-only key cannot hold).
fn mod11_check(body: &str) -> Option<u32> {
    let sum: u32 = digits_from_right(body).zip((2..=7).cycle()).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        check => Some(check),
    }
}

/// The mod 10 recursive check digit of the Swiss ISR/QR reference.
fn mod10_recursive(body: &str) -> u32 {
    const TABLE: [u32; 10] = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];
    let carry = body.chars().filter_map(|c| c.to_digit(10)).fold(0u32, |carry, d| TABLE[((carry + d) % 10) as usize]);
    (10 - carry) % 10
}

fn digits_from_right(body: &str) -> impl Iterator<Item = u32> + '_ {
    body.chars().rev().filter_map(|c| c.to_digit(10))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme(text: &str) -> Option<Scheme> {
        recognise(text).map(|r| r.scheme)
    }

    #[test]
    fn published_examples_are_recognised() {
        // Belgian: 4417283091 mod 97 = 91.
        assert_eq!(scheme("+++441/7283/09191+++"), Some(Scheme::Belgian));
        assert_eq!(recognise("441728309191").map(|r| r.key).as_deref(), Some("441728309191"));
        // SIX's QR-bill example reference.
        assert_eq!(scheme("21 00000 00003 13947 14300 09017"), Some(Scheme::SwissQr));
        // Finance Finland's example: 1234567 with check digit 2.
        assert_eq!(scheme("1234 5672"), Some(Scheme::Finnish));
        // The Luhn example 7992739871 with check digit 3 (a KID).
        assert_eq!(scheme("79927398713"), Some(Scheme::Kid));
        assert_eq!(scheme("RF18 5390 0754 7034"), Some(Scheme::Rf));
    }

    #[test]
    fn wrong_check_digits_and_short_numbers_are_not_references() {
        assert_ne!(scheme("+++441/7283/09192+++"), Some(Scheme::Belgian));
        assert_ne!(scheme("210000000003139471430009018"), Some(Scheme::SwissQr));
        assert_eq!(scheme("12"), None);
        assert_eq!(scheme("123"), None);
        assert_eq!(scheme("ABC-12"), None);
        assert_eq!(scheme(""), None);
    }

    #[test]
    fn built_references_are_recognised_in_their_scheme() {
        for scheme_built in [Scheme::Belgian, Scheme::Finnish, Scheme::SwissQr, Scheme::Kid, Scheme::Rf] {
            for number in ["2026/0117", "F-7", "INV 000123456"] {
                let built = for_invoice(scheme_built, number).unwrap();
                let found = recognise(&built).unwrap_or_else(|| panic!("{scheme_built:?} {built}"));
                // a Finnish or KID number may pass another mod 10 check first: its key is what matters
                if !matches!(scheme_built, Scheme::Kid | Scheme::Finnish) {
                    assert_eq!(found.scheme, scheme_built, "{built}");
                }
                assert_eq!(key(&built), found.key, "{built}");
            }
        }
        // 0020260117 mod 97 = 18
        assert_eq!(for_invoice(Scheme::Belgian, "2026/0117").as_deref(), Some("+++002/0260/11718+++"));
        assert_eq!(for_invoice(Scheme::Belgian, "no digits"), None);
        assert_eq!(for_invoice(Scheme::Belgian, "12345678901"), None, "11 digits do not fit");
    }
}
