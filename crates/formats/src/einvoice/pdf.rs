//! Factur-X and ZUGFeRD: an invoice printed as PDF/A-3 that carries its e-invoice as an embedded
//! file (Factur-X 1.0 / ZUGFeRD 2.x: `factur-x.xml`, `zugferd-invoice.xml`, `xrechnung.xml`;
//! ZUGFeRD 1.0: `ZUGFeRD-invoice.xml`). The file is found in the document catalogue's
//! `Names/EmbeddedFiles` name tree (ISO 32000-1 §7.11.4, §7.7.4) or its associated files (`AF`,
//! PDF/A-3), and read as the XML it is. The PDF itself is parsed by `lopdf`, with a bound on
//! decompressed sizes: a hostile PDF gets an error, never a blow-up.

use lopdf::{Dictionary, Document, Object};

/// Largest embedded file read (an invoice's XML is a few hundred kilobytes at most).
const EMBEDDED_MAX_BYTES: usize = 16 * 1024 * 1024;
/// Deepest name tree followed.
const NAME_TREE_DEPTH_MAX: usize = 16;

/// Why no e-invoice could be taken from a PDF.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF cannot be read: {0}")]
    Unreadable(String),
    #[error(
        "the PDF carries no embedded e-invoice (no factur-x.xml, zugferd-invoice.xml or other XML file): a plain \
         PDF invoice has no machine-readable figures — import its e-invoice (UBL, CII, FatturaPA, Facturae) instead"
    )]
    NoInvoice,
}

/// Whether the bytes are a PDF.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// The embedded e-invoice of a Factur-X / ZUGFeRD PDF: its file name and its XML bytes. Files
/// named as the standards name them come first; else any embedded `.xml` file.
pub fn embedded_invoice(bytes: &[u8]) -> Result<(String, Vec<u8>), PdfError> {
    let options = lopdf::LoadOptions { max_decompressed_size: Some(EMBEDDED_MAX_BYTES), ..Default::default() };
    let document = Document::load_mem_with_options(bytes, options).map_err(|e| PdfError::Unreadable(e.to_string()))?;
    let mut files = Vec::new();
    if let Ok(catalog) = document.catalog() {
        if let Some(tree) = lookup(&document, catalog, b"Names").and_then(|n| lookup(&document, n, b"EmbeddedFiles")) {
            collect_tree(&document, tree, 0, &mut files);
        }
        if let Ok(associated) =
            catalog.get(b"AF").and_then(|af| document.dereference(af)).and_then(|(_, o)| o.as_array())
        {
            for spec in associated {
                if let Some(file) = file_spec(&document, spec) {
                    files.push(file);
                }
            }
        }
    }
    const STANDARD: [&str; 3] = ["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"];
    let named = files.iter().position(|(name, _)| STANDARD.iter().any(|s| name.eq_ignore_ascii_case(s)));
    let any_xml = files.iter().position(|(name, _)| name.to_ascii_lowercase().ends_with(".xml"));
    let at = named.or(any_xml).ok_or(PdfError::NoInvoice)?;
    Ok(files.swap_remove(at))
}

/// A dictionary entry, followed through references.
fn lookup<'a>(document: &'a Document, dictionary: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    let object = dictionary.get(key).ok()?;
    document.dereference(object).ok()?.1.as_dict().ok()
}

/// Every file of a name tree: `Names` holds [name, file specification, …] pairs; `Kids` more
/// nodes.
fn collect_tree(document: &Document, node: &Dictionary, depth: usize, files: &mut Vec<(String, Vec<u8>)>) {
    if depth > NAME_TREE_DEPTH_MAX {
        return;
    }
    if let Some(names) =
        node.get(b"Names").ok().and_then(|n| document.dereference(n).ok()).and_then(|(_, o)| o.as_array().ok())
    {
        for pair in names.chunks(2) {
            if let Some(file) = pair.get(1).and_then(|spec| file_spec(document, spec)) {
                files.push(file);
            }
        }
    }
    if let Some(kids) =
        node.get(b"Kids").ok().and_then(|k| document.dereference(k).ok()).and_then(|(_, o)| o.as_array().ok())
    {
        for kid in kids {
            if let Some(kid) = document.dereference(kid).ok().and_then(|(_, o)| o.as_dict().ok()) {
                collect_tree(document, kid, depth + 1, files);
            }
        }
    }
}

/// A file specification's name (`UF`, else `F`) and its embedded file's content (`EF/F`).
fn file_spec(document: &Document, spec: &Object) -> Option<(String, Vec<u8>)> {
    let spec = document.dereference(spec).ok()?.1.as_dict().ok()?;
    let name = [b"UF".as_slice(), b"F"].iter().find_map(|key| lopdf::decode_text_string(spec.get(key).ok()?).ok())?;
    let embedded = lookup(document, spec, b"EF")?.get(b"F").ok()?;
    let stream = document.dereference(embedded).ok()?.1.as_stream().ok()?;
    let content = stream.decompressed_content_with_limit(EMBEDDED_MAX_BYTES).ok()?;
    Some((name, content))
}
