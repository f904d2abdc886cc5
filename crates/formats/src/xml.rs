//! A small, hardened XML tree for the e-invoice and bank-statement readers: the whole document
//! as elements with their namespace, attributes and text. Hostile input gets a clean error, never
//! a hang or a blow-up: no DTDs (so no entity expansion, no external entities), only the five
//! predefined entities and character references, bounded size and depth.

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};

/// Largest document accepted (an e-invoice batch or a month of bank statements fits easily).
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Deepest nesting accepted (real e-invoices stay under 15).
pub const MAX_DEPTH: usize = 64;

/// One element: namespace, local name, attributes (by local name) and its text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    pub namespace: String,
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The element's own text (not its children's), trimmed.
    pub text: String,
}

/// Why bytes are not a usable XML document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("the file is {0} bytes: more than the {MAX_BYTES} accepted for one document")]
    TooLarge(usize),
    #[error(transparent)]
    Encoding(#[from] crate::encoding::EncodingError),
    #[error("not well-formed XML at byte {position}: {reason}")]
    Malformed { position: u64, reason: String },
    #[error("the document declares a DTD (<!DOCTYPE …>): refused, as entity declarations can attack a reader")]
    Doctype,
    #[error("unknown entity &{0}; (only &amp; &lt; &gt; &quot; &apos; and character references are allowed)")]
    UnknownEntity(String),
    #[error("elements nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("the file holds no XML element")]
    Empty,
    /// An element's text or an attribute breaks the one rule for text (`overdue_core::text`).
    #[error("<{element}>: {reason}")]
    Text { element: String, reason: overdue_core::text::TextError },
}

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The descendant reached by following local names, e.g. `["PartyName", "Name"]`.
    pub fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |element, name| element.child(name))
    }

    /// The trimmed text of the descendant at `path`, if present and not empty.
    pub fn text_at(&self, path: &[&str]) -> Option<&str> {
        self.at(path).map(|e| e.text.as_str()).filter(|t| !t.is_empty())
    }

    /// An attribute by local name.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Parses a whole document into its root element.
pub fn parse(bytes: &[u8]) -> Result<Element, XmlError> {
    if bytes.len() > MAX_BYTES {
        return Err(XmlError::TooLarge(bytes.len()));
    }
    let text = crate::encoding::decode_xml(bytes)?;
    let mut reader = NsReader::from_str(&text);
    let mut stack: Vec<Element> = Vec::new();
    loop {
        let position = reader.buffer_position();
        let malformed = |e: quick_xml::Error| XmlError::Malformed { position, reason: e.to_string() };
        let (namespace, event) = reader.read_resolved_event().map_err(malformed)?;
        let namespace = match namespace {
            ResolveResult::Bound(ns) => ns.as_ref().to_owned(),
            _ => String::new(),
        };
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooDeep);
                }
                stack.push(element(&start, namespace).map_err(malformed)?);
            }
            Event::Empty(start) => {
                let empty = element(&start, namespace).map_err(malformed)?;
                checked(&empty)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(empty),
                    None => return Ok(empty),
                }
            }
            Event::End(_) => {
                let Some(mut done) = stack.pop() else { continue };
                done.text = done.text.trim().to_owned();
                checked(&done)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Text(text) => push_text(&mut stack, &text.xml10_content()),
            Event::CData(data) => push_text(&mut stack, &data.xml10_content()),
            Event::GeneralRef(reference) => push_text(&mut stack, &resolve(&reference)?.to_string()),
            Event::DocType(_) => return Err(XmlError::Doctype),
            Event::Eof => return Err(if stack.is_empty() { XmlError::Empty } else { unclosed(&reader, &stack) }),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
}

/// The element's text and attributes under the one rule for text. Embedded documents (UBL's
/// `EmbeddedDocumentBinaryObject`, CII's `AttachmentBinaryObject`, FatturaPA's and Facturae's
/// attachments: Base64 of a PDF) are not fields of the books: only their characters are checked.
fn checked(element: &Element) -> Result<(), XmlError> {
    let embedded = element.name.contains("Binary") || element.name.starts_with("Attachment");
    let text = if embedded { overdue_core::text::check_characters } else { overdue_core::text::check };
    let failed = std::iter::once(text(&element.text))
        .chain(element.attributes.iter().map(|(_, v)| overdue_core::text::check(v)))
        .find_map(Result::err);
    match failed {
        Some(reason) => Err(XmlError::Text { element: element.name.clone(), reason }),
        None => Ok(()),
    }
}

fn unclosed(reader: &NsReader<&[u8]>, stack: &[Element]) -> XmlError {
    let open = stack.last().map_or("", |e| e.name.as_str());
    XmlError::Malformed { position: reader.buffer_position(), reason: format!("the file ends inside <{open}>") }
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(current) = stack.last_mut() {
        current.text.push_str(text);
    }
}

fn element(start: &BytesStart, namespace: String) -> Result<Element, quick_xml::Error> {
    let name = start.local_name().as_ref().to_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(quick_xml::Error::from)?;
        let key = attribute.key.local_name().as_ref().to_owned();
        let value = attribute.normalized_value(XmlVersion::Implicit1_0)?.into_owned();
        attributes.push((key, value));
    }
    Ok(Element { namespace, name, attributes, children: Vec::new(), text: String::new() })
}

/// `&amp;`-style references: the five predefined entities and character references only.
fn resolve(reference: &BytesRef) -> Result<char, XmlError> {
    let name = reference.as_ref().to_owned();
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return Ok(c);
    }
    match name.as_str() {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        _ => Err(XmlError::UnknownEntity(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_keep_namespace_attributes_and_text() {
        let root = parse(
            br#"<?xml version="1.0"?><a:Doc xmlns:a="urn:x" xmlns:b="urn:y"><b:Amount currencyID="EUR"> 10.50 </b:Amount>
                <b:Name>Smith &amp; Sons &#8364;<![CDATA[<raw>]]></b:Name><b:Empty/></a:Doc>"#,
        )
        .unwrap();
        assert_eq!((root.namespace.as_str(), root.name.as_str()), ("urn:x", "Doc"));
        let amount = root.child("Amount").unwrap();
        assert_eq!((amount.namespace.as_str(), amount.text.as_str()), ("urn:y", "10.50"));
        assert_eq!(amount.attribute("currencyID"), Some("EUR"));
        assert_eq!(root.text_at(&["Name"]), Some("Smith & Sons €<raw>"));
        assert!(root.child("Empty").is_some() && root.text_at(&["Empty"]).is_none());
    }

    #[test]
    fn hostile_and_broken_documents_get_clean_errors() {
        let billion_laughs = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>"#;
        assert_eq!(parse(billion_laughs), Err(XmlError::Doctype));
        let external = br#"<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>"#;
        assert_eq!(parse(external), Err(XmlError::Doctype));
        assert_eq!(parse(b"<x>&nbsp;</x>"), Err(XmlError::UnknownEntity("nbsp".into())));
        assert!(matches!(parse(b"<a><b></a>"), Err(XmlError::Malformed { .. })));
        assert!(matches!(parse(b"<a><b>"), Err(XmlError::Malformed { .. })), "truncated");
        assert_eq!(parse(b"   "), Err(XmlError::Empty));
        assert_eq!(
            parse(b"<a>\xff</a>"),
            Err(XmlError::Encoding(crate::encoding::EncodingError::Invalid { encoding: "UTF-8", position: 3 }))
        );
        let escape = b"<a><Name>Evil &#27;[2J Ltd</Name></a>";
        assert!(matches!(parse(escape), Err(XmlError::Text { element, .. }) if element == "Name"));
        let long = format!("<a><Note>{}</Note></a>", "x".repeat(overdue_core::text::TEXT_CHARS_MAX + 1));
        assert!(matches!(parse(long.as_bytes()), Err(XmlError::Text { .. })));
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(deep.as_bytes()), Err(XmlError::TooDeep));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = parse(&bytes);
        }
    }
}
