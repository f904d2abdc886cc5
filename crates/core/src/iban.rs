//! International bank account numbers (ISO 13616): written with or without spaces, in any case,
//! one account; checked by their check digits (MOD 97-10, ISO 7064) before they are trusted.

/// Why text is not an IBAN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IbanError {
    #[error("{0:?} is not an IBAN (2 letters, 2 check digits, then up to 30 letters and digits)")]
    NotAnIban(String),
    #[error("{0:?} has wrong check digits: check it against the bank's documents")]
    CheckDigits(String),
}

/// The account without spaces, in capitals: `es91 2100 0418…` → `ES912100 0418…` compacted.
pub fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect()
}

/// Whether text is written like an IBAN (a country's two letters, then two digits): what should
/// then be checked as one.
pub fn looks_like_one(text: &str) -> bool {
    let compact = compact(text);
    let bytes = compact.as_bytes();
    bytes.len() >= 4 && bytes[..2].iter().all(u8::is_ascii_alphabetic) && bytes[2..4].iter().all(u8::is_ascii_digit)
}

/// The IBAN in its compact form, once its length, characters and check digits are right.
///
/// Errors: [`IbanError::NotAnIban`] for text of another shape, [`IbanError::CheckDigits`] for an
/// IBAN whose check digits do not match (a typing error).
pub fn check(text: &str) -> Result<String, IbanError> {
    let compact = compact(text);
    if compact.len() < 15 || compact.len() > 34 || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(IbanError::NotAnIban(text.to_owned()));
    }
    let (head, tail) = compact.split_at(4);
    let mut remainder = 0u32;
    for c in tail.chars().chain(head.chars()) {
        let value = c.to_digit(36).ok_or_else(|| IbanError::NotAnIban(text.to_owned()))?;
        remainder = if value < 10 { (remainder * 10 + value) % 97 } else { (remainder * 100 + value) % 97 };
    }
    if remainder != 1 {
        return Err(IbanError::CheckDigits(text.to_owned()));
    }
    Ok(compact)
}

/// The IBAN printed in groups of four, as people read it: `ES91 2100 0418 4502 0005 1332`.
pub fn grouped(compact: &str) -> String {
    compact.as_bytes().chunks(4).map(|g| String::from_utf8_lossy(g).into_owned()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iban_is_one_account_however_it_is_written_and_a_typo_is_caught() {
        assert_eq!(check("es91 2100 0418 4502 0005 1332").unwrap(), "ES9121000418450200051332");
        assert_eq!(check("ES9121000418450200051332").unwrap(), "ES9121000418450200051332");
        assert!(matches!(check("ES91 2100 0418 4502 0005 1333"), Err(IbanError::CheckDigits(_))));
        assert!(matches!(check("not an iban"), Err(IbanError::NotAnIban(_))));
        assert!(looks_like_one("es91 2100") && !looks_like_one("caja") && !looks_like_one("1234"));
        assert_eq!(grouped("ES9121000418450200051332"), "ES91 2100 0418 4502 0005 1332");
    }
}
