//! Importing an e-invoice file (UBL 2.1 / Peppol, CII / XRechnung, Factur-X and ZUGFeRD PDFs,
//! FatturaPA, Facturae) into the books, for `overdue import FILE` and `POST /api/v1/imports`.
//! Each invoice of the file becomes an issued invoice; its buyer a customer, unless the books
//! already know one with the same tax id (with or without the country prefix), whose own code is
//! then used. The original file is kept with each invoice, for reminders and agency case files.
//! Importing the same file again changes nothing.

use crate::AppError;
use overdue_core::customer::Customer;
use overdue_core::ids::{Country, CustomerCode};
use overdue_core::import::{Located, Rejection};
use overdue_core::terms::PaymentTerms;
use overdue_formats::einvoice::{self, Format, books};
use overdue_store::{ImportOptions, InvoiceDocument, Organisation, Store};
use std::collections::HashMap;

/// What importing one e-invoice file did.
#[derive(Debug, Clone, Default)]
pub struct EInvoiceImport {
    /// UBL, CII, FatturaPA or Facturae.
    pub format: &'static str,
    pub created: u64,
    pub unchanged: u64,
    /// The invoices of the file not imported, by their position in it, and why.
    pub rejected: Vec<Rejection>,
    /// The codes of the customers the file's buyers became.
    pub new_customers: Vec<String>,
    /// What was noted of each invoice imported (a rounding, a term not understood…), by number.
    pub notes: Vec<(String, String)>,
}

/// Imports the invoices of one e-invoice file named `file`. A buyer is created only for an
/// invoice that is imported; with `all_or_nothing`, a file with any invoice rejected changes
/// nothing at all. Terms `agreed` apply to a document with no due date nor readable terms whose
/// customer has none on file.
///
/// Errors: [`AppError::Refused`] for a file that is not an e-invoice overdue reads (saying what it
/// looks like and why), or whose buyers cannot be created; store errors.
pub fn import(
    store: &mut dyn Store,
    organisation: &Organisation,
    (file, bytes): (&str, &[u8]),
    (options, agreed): (ImportOptions, Option<&PaymentTerms>),
) -> Result<EInvoiceImport, AppError> {
    let not_imported = |why: String| AppError::Refused(format!("{file} was not imported: {why}").into());
    let (format, documents) = einvoice::read(bytes).map_err(|e| not_imported(e.to_string()))?;
    let known = known_tax_ids(store.customer_tax_ids(organisation.id)?);
    let own_tax_id = store.letterhead(organisation.id)?.tax_id;
    let mut converted = Vec::new();
    let mut rejected = Vec::new();
    for (position, document) in documents.into_iter().enumerate() {
        let line = position as u64 + 1;
        let unverified = match (&document, own_tax_id.as_deref()) {
            (Ok(e), None) => unverified_seller(e, organisation),
            _ => None,
        };
        let document = document.and_then(|e| match not_ours(&e, organisation, own_tax_id.as_deref()) {
            Some(reason) => Err(einvoice::Rejected { path: "seller".into(), reason }),
            None => Ok(e),
        });
        let on_file = match document.as_ref().ok().and_then(|e| e.buyer.tax_id.as_deref()) {
            Some(tax_id) => terms_on_file(store, organisation.id, &known, tax_id)?,
            None => None,
        };
        let agreed = match (&on_file, agreed) {
            (Some(terms), _) => Some((terms, books::AgreedBy::CustomerOnFile)),
            (None, Some(terms)) => Some((terms, books::AgreedBy::ImportTerms)),
            (None, None) => None,
        };
        match document.and_then(|e| books::for_books_with(&e, organisation.country, agreed)) {
            Ok(mut read) => {
                if let Some(code) = read.customer.tax_id.as_deref().and_then(|t| known_customer(&known, t)) {
                    read.invoice.customer = code;
                }
                read.notes.extend(unverified.clone());
                converted.push((line, read));
            }
            Err(why) => rejected.push(Rejection::new(line, None, why)),
        }
    }
    converted = without_conflicts(store, organisation.id, converted, &mut rejected)?;
    if options.all_or_nothing && !rejected.is_empty() {
        converted.clear();
    }
    let new_customers =
        create_customers(store, organisation.id, &converted).map_err(|e| not_imported(e.to_string()))?;
    let rows = converted.iter().map(|(line, read)| Ok(Located { line: *line, value: read.invoice.clone() }));
    let report = store.import_invoices(organisation.id, &mut rows.collect::<Vec<_>>().into_iter(), options)?;
    rejected.extend(report.rejected.iter().cloned());
    keep_documents(store, organisation.id, file, format, bytes, &converted, &rejected)?;
    let notes = converted
        .iter()
        .flat_map(|(_, read)| read.notes.iter().map(|note| (read.invoice.number.to_string(), note.clone())))
        .collect();
    Ok(EInvoiceImport {
        format: format_name(format),
        created: report.created,
        unchanged: report.unchanged,
        rejected,
        new_customers,
        notes,
    })
}

/// Why an invoice issued by someone else is not one of ours to follow up, when the letterhead
/// says who we are.
fn not_ours(e: &einvoice::EInvoice, organisation: &Organisation, own: Option<&str>) -> Option<String> {
    let own = own?;
    let Some(seller) = e.seller.tax_id.as_deref() else {
        let same_name = e.seller.name.trim().eq_ignore_ascii_case(organisation.name.trim());
        return (!same_name).then(|| {
            format!(
                "issued by {} with no tax id, so it cannot be told to be yours (tax id {own}): only your own invoices \
                 are followed up",
                e.seller.name
            )
        });
    };
    let ours = tax_id_keys(own);
    if tax_id_keys(seller).iter().any(|key| ours.contains(key)) {
        return None;
    }
    Some(format!(
        "issued by {} (tax id {seller}), not by {} (tax id {own}): only your own invoices are followed up",
        e.seller.name, organisation.name
    ))
}

/// Why an invoice cannot be told to be ours when the letterhead has no tax id: said when its
/// seller's name is not the organisation's (an invoice of another firm, or of another year's
/// name, would otherwise be chased as ours without a word).
fn unverified_seller(e: &einvoice::EInvoice, organisation: &Organisation) -> Option<String> {
    let same_name = e.seller.name.trim().eq_ignore_ascii_case(organisation.name.trim());
    (!same_name).then(|| {
        let tax_id = e.seller.tax_id.as_deref().map(|t| format!(", tax id {t}")).unwrap_or_default();
        format!(
            "issued by {}{tax_id}: the letterhead has no tax id, so overdue cannot check this invoice is yours \
             (set it: `overdue letterhead tax_id=…` or the settings page)",
            e.seller.name
        )
    })
}

pub fn format_name(format: Format) -> &'static str {
    match format {
        Format::Ubl => "UBL",
        Format::Cii => "CII",
        Format::FatturaPa => "FatturaPA",
        Format::Facturae => "Facturae",
    }
}

/// Tax ids as letters and digits in upper case, each also without a country prefix, → code.
fn known_tax_ids(customers: Vec<(String, String)>) -> HashMap<String, String> {
    let mut known = HashMap::new();
    for (code, tax_id) in customers {
        for key in tax_id_keys(&tax_id) {
            known.entry(key).or_insert_with(|| code.clone());
        }
    }
    known
}

fn tax_id_keys(tax_id: &str) -> Vec<String> {
    let full: String = tax_id.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect();
    let stripped =
        full.get(..2).filter(|prefix| Country::parse(prefix).is_ok() || *prefix == "EL").and_then(|_| full.get(2..));
    let stripped = stripped.filter(|rest| rest.len() >= 5).map(str::to_owned);
    std::iter::once(full).chain(stripped).collect()
}

/// The payment terms agreed with the customer the books know by this tax id, if any.
fn terms_on_file(
    store: &mut dyn Store,
    tenant: i64,
    known: &HashMap<String, String>,
    tax_id: &str,
) -> Result<Option<PaymentTerms>, AppError> {
    let Some(code) = known_customer(known, tax_id) else { return Ok(None) };
    Ok(store.customer(tenant, code.as_str())?.and_then(|c| c.agreement.payment_terms))
}

fn known_customer(known: &HashMap<String, String>, tax_id: &str) -> Option<CustomerCode> {
    tax_id_keys(tax_id).iter().find_map(|key| known.get(key)).and_then(|code| CustomerCode::parse(code).ok())
}

/// The invoices the books can take: one whose number the books already hold with other content
/// is rejected here, before its buyer is created.
fn without_conflicts(
    store: &mut dyn Store,
    tenant: i64,
    converted: Vec<(u64, books::ForBooks)>,
    rejected: &mut Vec<Rejection>,
) -> Result<Vec<(u64, books::ForBooks)>, AppError> {
    let mut kept = Vec::with_capacity(converted.len());
    for (line, read) in converted {
        let stored = store.invoice(tenant, read.invoice.number.as_str())?;
        match stored {
            Some(stored) if stored.invoice.fingerprint() != read.invoice.fingerprint() => {
                let reason = overdue_core::invoice::number_taken_reason(&read.invoice, Some(&stored.invoice));
                rejected.push(Rejection::new(line, Some("number"), reason));
            }
            _ => kept.push((line, read)),
        }
    }
    Ok(kept)
}

/// Creates the buyers the books do not know yet; their codes.
fn create_customers(
    store: &mut dyn Store,
    tenant: i64,
    converted: &[(u64, books::ForBooks)],
) -> Result<Vec<String>, AppError> {
    let mut new: Vec<Customer> = Vec::new();
    for (_, read) in converted {
        let code = read.invoice.customer.as_str();
        if new.iter().any(|c| c.code.as_str() == code) || store.customer(tenant, code)?.is_some() {
            continue;
        }
        new.push(read.customer.clone());
    }
    let codes: Vec<String> = new.iter().map(|c| c.code.to_string()).collect();
    let mut rows = new.into_iter().enumerate().map(|(i, value)| Ok(Located { line: i as u64 + 1, value }));
    let report = store.import_customers(tenant, &mut rows, ImportOptions { all_or_nothing: true })?;
    if let Some(rejection) = report.rejected.first() {
        return Err(AppError::Refused(format!("customer not created: {}", rejection.reason).into()));
    }
    Ok(codes)
}

/// Keeps the file with each invoice it brought in (the first file kept for an invoice stays).
fn keep_documents(
    store: &mut dyn Store,
    tenant: i64,
    file: &str,
    format: Format,
    bytes: &[u8],
    converted: &[(u64, books::ForBooks)],
    rejected: &[Rejection],
) -> Result<(), AppError> {
    let name =
        std::path::Path::new(file).file_name().map_or_else(|| file.to_owned(), |n| n.to_string_lossy().into_owned());
    // a signed file is kept as the XML it signs, a Factur-X PDF as the XML it carries (the books
    // keep text; the SdI and the sender hold the originals)
    let (file_name, content) = if overdue_formats::p7m::looks_signed(bytes) {
        let xml = overdue_formats::p7m::unwrap(bytes).map_err(|e| AppError::Refused(e.to_string().into()))?;
        (name.trim_end_matches(".p7m").to_owned(), xml)
    } else if overdue_formats::einvoice::pdf::is_pdf(bytes) {
        let (embedded, xml) = overdue_formats::einvoice::pdf::embedded_invoice(bytes)
            .map_err(|e| AppError::Refused(e.to_string().into()))?;
        (format!("{name} ({embedded})"), xml)
    } else {
        (name, bytes.to_vec())
    };
    let content = match overdue_formats::encoding::decode_xml(&content) {
        Ok(text) => text.into_owned(),
        Err(_) => String::from_utf8_lossy(&content).into_owned(),
    };
    let document = InvoiceDocument { file_name, format: format_name(format).to_owned(), content };
    let kept: Vec<&str> = converted
        .iter()
        .filter(|(line, _)| rejected.iter().all(|r| r.line != *line))
        .map(|(_, read)| read.invoice.number.as_str())
        .collect();
    store.attach_invoice_documents(tenant, &kept, &document)?;
    Ok(())
}
