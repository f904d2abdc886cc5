//! Signed e-invoices (`.xml.p7m`, CAdES): the XML inside a CMS / PKCS#7 SignedData envelope, as
//! Italian invoices from the SdI usually arrive. The envelope is opened, not verified (the SdI
//! checked the signature); binary DER and its Base64 text form are both read, with definite or
//! indefinite lengths and the content split in chunks or not. Hostile input gets a clean error.

/// Why a file is not a signed document whose content can be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum P7mError {
    #[error("not a signed (.p7m) document: {0}")]
    NotSigned(String),
    #[error("the signed document is damaged at byte {at}: {why}")]
    Damaged { at: usize, why: String },
}

/// Whether the bytes look like a signed envelope (DER, or Base64 of DER) rather than XML or CSV.
pub fn looks_signed(bytes: &[u8]) -> bool {
    bytes.first() == Some(&0x30) || bytes.starts_with(b"MII") || bytes.starts_with(b"-----BEGIN")
}

/// The signed content (the XML) of a `.p7m` file.
pub fn unwrap(bytes: &[u8]) -> Result<Vec<u8>, P7mError> {
    let der = if bytes.first() == Some(&0x30) { bytes.to_vec() } else { base64(bytes)? };
    let mut reader = Der { bytes: &der, at: 0, depth: 0 };
    let content_info = reader.element(0x30)?;
    let mut inside = reader.enter(content_info);
    let signed_data_oid = inside.element(0x06)?;
    if inside.slice(signed_data_oid) != SIGNED_DATA {
        return Err(P7mError::NotSigned("the envelope is not CMS SignedData".into()));
    }
    let explicit = inside.element(0xA0)?;
    let mut signed = inside.enter(explicit);
    let signed_data = signed.element(0x30)?;
    let mut fields = signed.enter(signed_data);
    fields.element(0x02)?; // version
    fields.element(0x31)?; // digest algorithms
    let encapsulated = fields.element(0x30)?;
    let mut content = fields.enter(encapsulated);
    content.element(0x06)?; // content type: data
    let wrapper =
        content.element(0xA0).map_err(|_| P7mError::NotSigned("the signature is detached: no content".into()))?;
    let mut octets = content.enter(wrapper);
    octets.octet_string()
}

/// The OID 1.2.840.113549.1.7.2 (signedData), DER-encoded.
const SIGNED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];

/// How deep constructed strings may nest.
const DEPTH_MAX: usize = 16;

/// An element's content: where it starts and how long it is (`None`: indefinite, up to 00 00).
#[derive(Debug, Clone, Copy)]
struct Span {
    tag: u8,
    start: usize,
    length: Option<usize>,
}

struct Der<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl<'a> Der<'a> {
    fn damaged(&self, why: &str) -> P7mError {
        P7mError::Damaged { at: self.at, why: why.into() }
    }

    fn byte(&mut self) -> Result<u8, P7mError> {
        let byte = *self.bytes.get(self.at).ok_or_else(|| self.damaged("it ends too early"))?;
        self.at += 1;
        Ok(byte)
    }

    /// The next element's header, which must have tag `tag`; its content is skipped over.
    fn element(&mut self, tag: u8) -> Result<Span, P7mError> {
        let span = self.header()?;
        if span.tag != tag {
            return Err(self.damaged(&format!("expected tag {tag:#04x}, found {:#04x}", span.tag)));
        }
        self.skip(span)?;
        Ok(span)
    }

    fn header(&mut self) -> Result<Span, P7mError> {
        let tag = self.byte()?;
        if tag & 0x1F == 0x1F {
            return Err(self.damaged("multi-byte tags are not used in a signed invoice"));
        }
        let first = self.byte()?;
        let length = match first {
            0x80 => None,
            short if short < 0x80 => Some(usize::from(short)),
            long => {
                let count = usize::from(long & 0x7F);
                if count > 4 {
                    return Err(self.damaged("a length of more than 4 bytes"));
                }
                let mut value = 0usize;
                for _ in 0..count {
                    value = (value << 8) | usize::from(self.byte()?);
                }
                Some(value)
            }
        };
        if length.is_some_and(|l| self.at + l > self.bytes.len()) {
            return Err(self.damaged("a length beyond the end of the file"));
        }
        Ok(Span { tag, start: self.at, length })
    }

    /// Moves past an element's content (an indefinite one by reading its children).
    fn skip(&mut self, span: Span) -> Result<(), P7mError> {
        match span.length {
            Some(length) => self.at = span.start + length,
            None => {
                self.depth += 1;
                if self.depth > DEPTH_MAX {
                    return Err(self.damaged("nested too deep"));
                }
                while self.bytes.get(self.at..self.at + 2) != Some(&[0, 0]) {
                    let child = self.header()?;
                    self.skip(child)?;
                }
                self.at += 2;
                self.depth -= 1;
            }
        }
        Ok(())
    }

    /// A reader of an element's content.
    fn enter(&self, span: Span) -> Der<'a> {
        let end = span.length.map_or(self.bytes.len(), |l| span.start + l);
        Der { bytes: &self.bytes[..end], at: span.start, depth: self.depth }
    }

    fn slice(&self, span: Span) -> &'a [u8] {
        &self.bytes[span.start..span.start + span.length.unwrap_or(0)]
    }

    /// An OCTET STRING, primitive or constructed from chunks (which may nest).
    fn octet_string(&mut self) -> Result<Vec<u8>, P7mError> {
        let span = self.header()?;
        match span.tag {
            0x04 => {
                let length = span.length.ok_or_else(|| self.damaged("a primitive string of indefinite length"))?;
                self.at = span.start + length;
                Ok(self.bytes[span.start..span.start + length].to_vec())
            }
            0x24 => {
                self.depth += 1;
                if self.depth > DEPTH_MAX {
                    return Err(self.damaged("nested too deep"));
                }
                let end = span.length.map(|l| span.start + l);
                let mut out = Vec::new();
                loop {
                    match end {
                        Some(end) if self.at >= end => break,
                        None if self.bytes.get(self.at..self.at + 2) == Some(&[0, 0]) => {
                            self.at += 2;
                            break;
                        }
                        _ => out.extend(self.octet_string()?),
                    }
                }
                self.depth -= 1;
                Ok(out)
            }
            other => Err(self.damaged(&format!("expected the content, found tag {other:#04x}"))),
        }
    }
}

/// Base64 text (PEM armour and line breaks allowed) to bytes.
fn base64(text: &[u8]) -> Result<Vec<u8>, P7mError> {
    let body: Vec<u8> = std::str::from_utf8(text)
        .map_err(|_| P7mError::NotSigned("neither DER nor Base64 text".into()))?
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .flat_map(|line| line.trim().bytes())
        .filter(|b| *b != b'=')
        .collect();
    let value = |c: u8| -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        }))
    };
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.chunks(4) {
        let mut bits = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            let v = value(c).ok_or_else(|| P7mError::NotSigned(format!("{:?} is not Base64", c as char)))?;
            bits |= v << (18 - 6 * i);
        }
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn der(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        if content.len() < 0x80 {
            out.push(content.len() as u8);
        } else {
            out.extend([0x82, (content.len() >> 8) as u8, content.len() as u8]);
        }
        out.extend_from_slice(content);
        out
    }

    /// A SignedData envelope around `content` (already encoded as the eContent element).
    fn envelope(econtent: &[u8]) -> Vec<u8> {
        let data_oid = der(0x06, &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01]);
        let encapsulated = der(0x30, &[data_oid, der(0xA0, econtent)].concat());
        let signed = der(0x30, &[der(0x02, &[1]), der(0x31, &[]), encapsulated, der(0x31, &[])].concat());
        der(0x30, &[der(0x06, SIGNED_DATA), der(0xA0, &signed)].concat())
    }

    #[test]
    fn the_xml_comes_out_of_der_chunked_and_base64_envelopes() {
        let xml = b"<FatturaElettronica>ok</FatturaElettronica>";
        assert_eq!(unwrap(&envelope(&der(0x04, xml))).unwrap(), xml);
        let chunked = der(0x24, &[der(0x04, &xml[..10]), der(0x04, &xml[10..])].concat());
        assert_eq!(unwrap(&envelope(&chunked)).unwrap(), xml);
        let indefinite = [&[0x24, 0x80][..], &der(0x04, &xml[..5]), &der(0x04, &xml[5..]), &[0, 0]].concat();
        assert_eq!(unwrap(&envelope(&indefinite)).unwrap(), xml);
        let text = encode(&envelope(&der(0x04, xml)));
        assert_eq!(unwrap(text.as_bytes()).unwrap(), xml);
    }

    #[test]
    fn damaged_and_foreign_files_get_clean_errors() {
        let whole = envelope(&der(0x04, b"<x/>"));
        for cut in 1..whole.len() {
            assert!(unwrap(&whole[..cut]).is_err(), "cut at {cut}");
        }
        assert!(matches!(unwrap(b"MII!!"), Err(P7mError::NotSigned(_))));
        let nested = [&[0x24u8, 0x80][..]].repeat(40).concat();
        assert!(unwrap(&envelope(&nested)).is_err());
    }

    fn encode(bytes: &[u8]) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..=chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = unwrap(&bytes);
        }
    }
}
