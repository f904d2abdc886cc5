//! One rule for all text that enters the books, whatever brings it (a CSV file, an e-invoice, a
//! bank statement, a command's flag): no control characters (NUL, escape sequences and the like,
//! which no real field holds, some databases cannot store and a terminal would obey), line
//! breaks and tabs excepted; and at most [`TEXT_CHARS_MAX`] characters, so that no field can
//! swamp a listing, a letter or a database page. And one rule for text that leaves for a
//! terminal: [`printable`].

use std::borrow::Cow;

/// The most characters one field may hold (a long remittance text or line description fits).
pub const TEXT_CHARS_MAX: usize = 4000;

/// Why a text is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("contains a control character (U+{code:04X}) at character {position}: text cannot hold it")]
    ControlCharacter { code: u32, position: usize },
    #[error("is {chars} characters long: at most {TEXT_CHARS_MAX} are accepted")]
    TooLong { chars: usize },
}

/// Checks one field of text against the rule.
pub fn check(text: &str) -> Result<(), TextError> {
    check_characters(text)?;
    let chars = text.chars().count();
    if chars > TEXT_CHARS_MAX {
        return Err(TextError::TooLong { chars });
    }
    Ok(())
}

/// Checks only for control characters: for content that is not a field of the books (an
/// embedded document in Base64), where length is bounded by the file's own limit.
pub fn check_characters(text: &str) -> Result<(), TextError> {
    for (position, c) in text.chars().enumerate() {
        // the bidirectional overrides and isolates make text read otherwise than it is stored
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || bidi {
            return Err(TextError::ControlCharacter { code: u32::from(c), position: position + 1 });
        }
    }
    Ok(())
}

/// Text as a terminal may show it: control characters (line breaks and tabs too, which would
/// break a table's row) shown as `?`.
pub fn printable(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        Cow::Owned(text.chars().map(|c| if c.is_control() { '?' } else { c }).collect())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_overlong_text_are_refused_with_where_and_why() {
        assert_eq!(check("Pago F2026-0009\nsegunda línea\tok"), Ok(()));
        assert_eq!(check("abc\u{1b}[2J"), Err(TextError::ControlCharacter { code: 0x1b, position: 4 }));
        assert_eq!(check("\0"), Err(TextError::ControlCharacter { code: 0, position: 1 }));
        assert_eq!(check(&"x".repeat(TEXT_CHARS_MAX)), Ok(()));
        assert_eq!(check(&"é".repeat(TEXT_CHARS_MAX + 1)), Err(TextError::TooLong { chars: TEXT_CHARS_MAX + 1 }));
        assert_eq!(printable("a\u{1b}b\nc"), "a?b?c");
    }
}
