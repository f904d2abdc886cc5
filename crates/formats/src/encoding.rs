//! The characters of a file, whatever encoding it came in: a byte-order mark (UTF-8, UTF-16 LE
//! or BE) decides first; an XML document's declaration (`encoding="ISO-8859-1"`) next; text
//! files without either are UTF-8 or, failing that, Windows-1252 — the superset of Latin-1 that
//! Western European banks' exports and MT940 files use. Decoding is `encoding_rs`, the WHATWG
//! Encoding Standard's labels and tables.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::borrow::Cow;

/// Why a document's bytes are not the text its encoding says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodingError {
    #[error("the XML declaration names the encoding {0:?}, which overdue does not know")]
    UnknownEncoding(String),
    #[error("the file is not valid {encoding} (byte {position}): its characters cannot be read")]
    Invalid { encoding: &'static str, position: usize },
}

/// A text file's characters: by its byte-order mark, else UTF-8, else Windows-1252. Never fails:
/// every byte is a Windows-1252 character (the five unassigned ones stay control characters,
/// which the text rule then refuses where they land).
pub fn decode_text(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// An XML document's characters: by its byte-order mark, else by the encoding its declaration
/// names (XML 1.0 §4.3.3, labels as the WHATWG Encoding Standard reads them: `ISO-8859-1` is
/// decoded as Windows-1252, its superset), else UTF-8. UTF-16 without a mark is recognised by its
/// first `<`. Bytes the encoding cannot hold are an error naming their position.
pub fn decode_xml(bytes: &[u8]) -> Result<Cow<'_, str>, EncodingError> {
    let (encoding, start) = match Encoding::for_bom(bytes) {
        Some(found) => found,
        None if bytes.starts_with(b"<\0") => (UTF_16LE, 0),
        None if bytes.starts_with(b"\0<") => (UTF_16BE, 0),
        None => match declared(bytes) {
            Some(label) => {
                let encoding = Encoding::for_label(label.as_bytes())
                    .ok_or_else(|| EncodingError::UnknownEncoding(label.clone()))?;
                (encoding, 0)
            }
            None => (UTF_8, 0),
        },
    };
    let body = &bytes[start..];
    // a UTF-16 declaration in a file read as ASCII means the file was converted: read it as UTF-8
    let encoding = if encoding == UTF_16LE || encoding == UTF_16BE { utf16_or_utf8(encoding, body) } else { encoding };
    if encoding == UTF_8 {
        return std::str::from_utf8(body)
            .map(Cow::Borrowed)
            .map_err(|e| EncodingError::Invalid { encoding: "UTF-8", position: start + e.valid_up_to() });
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(body)
        .ok_or_else(|| EncodingError::Invalid { encoding: encoding.name(), position: first_invalid(encoding, body) })
}

/// UTF-16 when the bytes are (a NUL in the first two), else UTF-8.
fn utf16_or_utf8(encoding: &'static Encoding, body: &[u8]) -> &'static Encoding {
    if body.iter().take(2).any(|&b| b == 0) { encoding } else { UTF_8 }
}

/// Where decoding first fails, for the error message.
fn first_invalid(encoding: &'static Encoding, body: &[u8]) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(body.len() * 3 + 16);
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(bad, _) => read.saturating_sub(usize::from(bad)),
        _ => body.len(),
    }
}

/// The encoding named in an XML declaration (`<?xml version="1.0" encoding="ISO-8859-1"?>`),
/// read from the ASCII prolog.
fn declared(bytes: &[u8]) -> Option<String> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let prolog = bytes.get(start..)?.strip_prefix(b"<?xml")?;
    let end = prolog.windows(2).position(|w| w == b"?>")?;
    let declaration = std::str::from_utf8(&prolog[..end]).ok()?;
    let after = declaration.split_once("encoding")?.1.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = after[1..].split(quote).next()?;
    Some(value.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_declared_is_read_as_declared() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>J\xfcrgen Wei\xdf</a>";
        assert_eq!(decode_xml(bytes).unwrap(), "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Jürgen Weiß</a>");
        let single = b"<?xml  version='1.0' encoding='windows-1252'?><a>\x80</a>";
        assert!(decode_xml(single).unwrap().contains('€'));
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_read() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>Köhler</a>";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode_xml(&le).unwrap(), text);
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode_xml(&be).unwrap(), text);
    }

    #[test]
    fn bytes_the_declared_encoding_cannot_hold_are_an_error() {
        assert_eq!(decode_xml(b"<a>\xfc</a>"), Err(EncodingError::Invalid { encoding: "UTF-8", position: 3 }));
        let unknown = decode_xml(b"<?xml version=\"1.0\" encoding=\"klingon\"?><a/>").unwrap_err();
        assert_eq!(unknown, EncodingError::UnknownEncoding("klingon".into()));
    }

    #[test]
    fn text_files_fall_back_to_windows_1252() {
        assert_eq!(decode_text(b"caf\xe9 \x80"), "café €");
        assert_eq!(decode_text("café".as_bytes()), "café");
        assert_eq!(decode_text(b"\xEF\xBB\xBFcaf\xc3\xa9"), "café");
    }
}
