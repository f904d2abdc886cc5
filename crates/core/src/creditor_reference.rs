//! ISO 11649 structured creditor references (`RF18 5390 0754 7034`): the reference a business
//! asks its customers to quote on a transfer, so the bank line names the invoice it pays. overdue
//! builds one from an invoice number and reads one back, checking its check digits.

/// Longest payload a creditor reference carries (25 characters in all, `RF` and two digits first).
pub const PAYLOAD_MAX: usize = 21;

/// The invoice number reduced to what a reference and a remittance text can carry: letters and
/// digits only, upper case (`F-2026/0003` → `F20260003`).
pub fn normalise(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// The creditor reference for an invoice number, e.g. `RF47F20260003`; `None` if the number has
/// no letters or digits, or more than [`PAYLOAD_MAX`] of them.
pub fn for_invoice(number: &str) -> Option<String> {
    let payload = normalise(number);
    if payload.is_empty() || payload.len() > PAYLOAD_MAX {
        return None;
    }
    let remainder = mod97(&format!("{payload}RF00"))?;
    Some(format!("RF{:02}{payload}", 98 - remainder))
}

/// The payload of a well-formed creditor reference (spaces allowed, any letter case); `None` if
/// the text is not one or its check digits are wrong.
pub fn parse(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    let rest = compact.strip_prefix("RF")?;
    if rest.len() < 3 || rest.len() > PAYLOAD_MAX + 2 || !rest.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (digits, payload) = rest.split_at(2);
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    (mod97(&format!("{payload}RF{digits}"))? == 1).then(|| payload.to_owned())
}

/// The text as a number (letters A=10 … Z=35) modulo 97, computed digit by digit.
fn mod97(text: &str) -> Option<u32> {
    let mut remainder = 0u32;
    for c in text.chars() {
        let value = c.to_digit(36)?;
        remainder = if value < 10 { (remainder * 10 + value) % 97 } else { (remainder * 100 + value) % 97 };
    }
    Some(remainder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standards_example_is_valid() {
        // ISO 11649's own example.
        assert_eq!(parse("RF18 5390 0754 7034").as_deref(), Some("539007547034"));
        assert_eq!(for_invoice("539007547034").as_deref(), Some("RF18539007547034"));
        assert_eq!(parse("RF19 5390 0754 7034"), None, "wrong check digits");
    }

    #[test]
    fn invoice_numbers_round_trip() {
        for number in ["F2026-0003", "A/1", "fattura 12/2026", "123456789012345678901"] {
            let reference = for_invoice(number).unwrap();
            assert_eq!(parse(&reference), Some(normalise(number)), "{reference}");
        }
        assert_eq!(for_invoice("---"), None);
        assert_eq!(for_invoice("1234567890123456789012"), None, "22 characters is too long");
    }

    #[test]
    fn other_text_is_not_a_reference() {
        for text in ["", "RF", "RF1", "RFAB123", "XX18539007547034", "RF18 5390-0754", "invoice 12"] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn every_built_reference_parses_back(number in "[A-Za-z0-9/ -]{1,30}") {
            if let Some(reference) = for_invoice(&number) {
                proptest::prop_assert_eq!(parse(&reference), Some(normalise(&number)));
            }
        }
    }
}
