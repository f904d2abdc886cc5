//! What the business puts at the top and bottom of every message and letter: its letterhead
//! (address, tax id, who signs) and every way it accepts payment (bank transfer with IBAN, a card
//! or online payment link, cheques, direct debit), so each reminder tells the customer how to pay.

use serde::{Deserialize, Serialize};

/// The business's letterhead and payment options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Letterhead {
    /// Postal address, lines separated by commas or new lines.
    pub address: Option<String>,
    pub tax_id: Option<String>,
    /// The address messages are sent from and replies go to.
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Who signs letters (a person or a department: "Credit control").
    pub signed_by: Option<String>,
    pub payment: PaymentOptions,
    /// The address customers reach overdue's server at (`https://pay.example.com`): each message
    /// then carries a private link to the customer's own page under it.
    pub public_url: Option<String>,
    /// The most monthly instalments a customer may choose on their own page to pay what is
    /// overdue as a payment plan (`None`: no plan is offered there).
    pub page_plan_instalments: Option<u8>,
}

/// The ways the business accepts payment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PaymentOptions {
    /// Bank transfer to this account.
    pub iban: Option<String>,
    pub bic: Option<String>,
    /// Card or online payment: a link, where `{invoice}` is replaced by the invoice number.
    pub payment_link: Option<String>,
    /// Cheques accepted, made out to this name.
    pub cheque_payable_to: Option<String>,
    /// Direct debit offered (SEPA mandate).
    pub direct_debit: bool,
    /// The structured reference scheme messages print for an invoice that has no reference of its
    /// own (see `structured_reference`): `rf` (ISO 11649, the default), `be`, `fi`, `ch_qrr`,
    /// `no_kid`. Payments quoting it are matched to the invoice.
    pub reference_scheme: Option<crate::structured_reference::Scheme>,
}

impl PaymentOptions {
    /// Whether the business has said how it wants to be paid at all.
    pub fn is_empty(&self) -> bool {
        self.iban.is_none() && self.payment_link.is_none() && self.cheque_payable_to.is_none() && !self.direct_debit
    }
}

/// Why a letterhead setting cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LetterheadError {
    #[error(
        "{0:?} is not a letterhead setting: use address, tax_id, email, phone, signed_by, iban, bic, payment_link, cheque_payable_to, direct_debit, reference_scheme, public_url or page_plan_instalments"
    )]
    UnknownSetting(String),
    #[error("{key}: {reason}")]
    BadValue { key: String, reason: String },
}

/// Every letterhead setting by name, in the order a form lists them.
pub const KEYS: [&str; 13] = [
    "address",
    "tax_id",
    "email",
    "phone",
    "signed_by",
    "iban",
    "bic",
    "payment_link",
    "cheque_payable_to",
    "direct_debit",
    "reference_scheme",
    "public_url",
    "page_plan_instalments",
];

impl Letterhead {
    /// One setting's value as text (empty when not set; `direct_debit` is `yes` or `no`), as
    /// [`Letterhead::set`] reads it back; `None` for a name that is not a setting.
    pub fn value(&self, key: &str) -> Option<String> {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        Some(match key {
            "address" => text(&self.address),
            "tax_id" => text(&self.tax_id),
            "email" => text(&self.email),
            "phone" => text(&self.phone),
            "signed_by" => text(&self.signed_by),
            "iban" => text(&self.payment.iban),
            "bic" => text(&self.payment.bic),
            "payment_link" => text(&self.payment.payment_link),
            "cheque_payable_to" => text(&self.payment.cheque_payable_to),
            "direct_debit" => (if self.payment.direct_debit { "yes" } else { "no" }).to_owned(),
            "reference_scheme" => self.payment.reference_scheme.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            "public_url" => text(&self.public_url),
            "page_plan_instalments" => self.page_plan_instalments.map(|n| n.to_string()).unwrap_or_default(),
            _ => return None,
        })
    }

    /// Sets one setting by name; an empty value clears it.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), LetterheadError> {
        let text = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        match key.trim() {
            "address" => self.address = text,
            "tax_id" => self.tax_id = text,
            "email" => self.email = text.map(|t| email(key, &t)).transpose()?,
            "phone" => self.phone = text,
            "signed_by" => self.signed_by = text,
            "iban" => self.payment.iban = text.map(|t| iban(key, &t)).transpose()?,
            "bic" => self.payment.bic = text.map(|t| bic(key, &t)).transpose()?,
            "payment_link" => self.payment.payment_link = text.map(|t| link(key, &t)).transpose()?,
            "cheque_payable_to" => self.payment.cheque_payable_to = text,
            "direct_debit" => self.payment.direct_debit = yes(key, value)?,
            "reference_scheme" => {
                let scheme = text.map(|t| crate::structured_reference::Scheme::parse(&t).ok_or(t));
                self.payment.reference_scheme = scheme
                    .transpose()
                    .map_err(|t| bad(key, format!("{t:?} is not a reference scheme: rf, be, fi, ch_qrr or no_kid")))?;
            }
            "public_url" => {
                self.public_url =
                    text.map(|t| link(key, &t).map(|u| u.trim_end_matches('/').to_owned())).transpose()?;
            }
            "page_plan_instalments" => {
                let count = text.map(|t| t.parse::<u8>().ok().filter(|n| (2..=12).contains(n)).ok_or(t)).transpose();
                self.page_plan_instalments = count.map_err(|t| {
                    bad(
                        key,
                        format!("{t:?}: say how many monthly instalments a customer may choose, 2 to 12 (empty: none)"),
                    )
                })?;
            }
            other => return Err(LetterheadError::UnknownSetting(other.to_owned())),
        }
        Ok(())
    }
}

fn bad(key: &str, reason: String) -> LetterheadError {
    LetterheadError::BadValue { key: key.into(), reason }
}

fn email(key: &str, text: &str) -> Result<String, LetterheadError> {
    crate::ids::Email::parse(text).map(|e| e.as_str().to_owned()).map_err(|e| bad(key, e.to_string()))
}

/// A BIC (ISO 9362): 8 or 11 letters and digits, the country in places 5 and 6.
fn bic(key: &str, text: &str) -> Result<String, LetterheadError> {
    let code: String = text.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    let country = code.get(4..6).is_some_and(|c| crate::ids::Country::parse(c).is_ok());
    if (code.len() == 8 || code.len() == 11) && code.chars().all(|c| c.is_ascii_alphanumeric()) && country {
        Ok(code)
    } else {
        Err(bad(key, format!("{text:?} is not a BIC (8 or 11 letters and digits, such as CAIXESBBXXX)")))
    }
}

/// A payment link customers can open: an https (or http) address.
fn link(key: &str, text: &str) -> Result<String, LetterheadError> {
    if (text.starts_with("https://") || text.starts_with("http://")) && !text.contains(char::is_whitespace) {
        Ok(text.to_owned())
    } else {
        Err(bad(key, format!("{text:?} is not a web address: write it in full, https://…")))
    }
}

fn yes(key: &str, value: &str) -> Result<bool, LetterheadError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" | "1" | "on" => Ok(true),
        "no" | "false" | "0" | "off" | "" => Ok(false),
        _ => Err(LetterheadError::BadValue { key: key.into(), reason: format!("{value:?} is not yes or no") }),
    }
}

/// An IBAN checked by its ISO 13616 check digits, printed in groups of four.
fn iban(key: &str, text: &str) -> Result<String, LetterheadError> {
    crate::iban::check(text).map(|compact| crate::iban::grouped(&compact)).map_err(|e| bad(key, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_and_an_iban_is_grouped() {
        let mut letterhead = Letterhead::default();
        letterhead.set("iban", "es9121000418450200051332").unwrap();
        assert_eq!(letterhead.payment.iban.as_deref(), Some("ES91 2100 0418 4502 0005 1332"));
        assert!(letterhead.set("iban", "ES9221000418450200051332").is_err(), "check digits");
        letterhead.set("direct_debit", "yes").unwrap();
        assert!(letterhead.payment.direct_debit);
        assert!(matches!(letterhead.set("colour", "red"), Err(LetterheadError::UnknownSetting(_))));
        assert!(letterhead.set("email", "notanemail").is_err());
        assert!(letterhead.set("bic", "XXXX").is_err());
        letterhead.set("bic", "caixesbbxxx").unwrap();
        assert_eq!(letterhead.payment.bic.as_deref(), Some("CAIXESBBXXX"));
        assert!(letterhead.set("payment_link", "pay.example").is_err());
        letterhead.set("payment_link", "https://pay.example/{invoice}").unwrap();
        letterhead.set("signed_by", "  ").unwrap();
        assert_eq!(letterhead.signed_by, None);
    }
}
