//! E-invoices as overdue reads them, whatever their format (UBL 2.1 / Peppol BIS 3, UN/CEFACT
//! CII as XRechnung and Factur-X/ZUGFeRD write it, FatturaPA, Facturae): who sold to whom, the
//! lines, the totals as declared and checked, the due dates and amounts, the payment means
//! (IBAN), and the buyer's references. The format is detected from the document's root element
//! and namespace, never from the file name.

pub mod books;
pub mod cii;
pub mod facturae;
pub mod fatturapa;
pub mod pdf;
pub mod ubl;

use crate::xml::{self, Element, XmlError};
use chrono::NaiveDate;
use overdue_core::Currency;
use overdue_core::money::Money;

/// The e-invoice formats overdue reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// OASIS UBL 2.1 Invoice or CreditNote, including Peppol BIS Billing 3.0.
    Ubl,
    /// UN/CEFACT Cross Industry Invoice D16B as used by XRechnung and Factur-X/ZUGFeRD 2.
    Cii,
    /// FatturaPA 1.2.x (FPA12, FPR12), one or more bodies.
    FatturaPa,
    /// Facturae 3.2, 3.2.1 and 3.2.2, one invoice or a batch; the signature is ignored.
    Facturae,
}

/// Invoice or credit note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    Invoice,
    CreditNote,
}

/// A seller or a buyer as the document names them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Party {
    pub name: String,
    /// VAT number or other tax id.
    pub tax_id: Option<String>,
    /// The party's own id in the document (Peppol endpoint, GLN, internal code).
    pub id: Option<String>,
    /// ISO 3166 country code.
    pub country: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub contact_name: Option<String>,
}

/// One invoice line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub id: String,
    pub description: String,
    /// As written in the document (e.g. "2.5").
    pub quantity: Option<String>,
    pub unit_code: Option<String>,
    /// The line's net amount.
    pub net: Money,
    /// VAT percentage as written ("21", "10.5").
    pub tax_percent: Option<String>,
}

/// The document totals, as declared (and checked against each other and the lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub lines: Money,
    pub allowances: Money,
    pub charges: Money,
    pub tax_exclusive: Money,
    pub tax: Money,
    pub tax_inclusive: Money,
    /// Paid already, or paid by the buyer to someone else (FatturaPA: withholding tax and
    /// split-payment VAT).
    pub prepaid: Money,
    pub rounding: Money,
    /// What the buyer must pay.
    pub payable: Money,
}

/// A due date and, where the document says, the amount due on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueInstalment {
    pub due_date: NaiveDate,
    pub amount: Option<Money>,
}

/// An early-payment (cash) discount the document offers: `discount_basis_points` off the amount
/// due when paid by `until` (CII `SpecifiedTradePaymentTerms` with
/// `ApplicableTradePaymentDiscountTerms`, or a payment term whose description names a discount
/// percentage, such as ZUGFeRD's "Zahlbar mit 2% Skonto bis" with its date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CashDiscount {
    pub until: NaiveDate,
    pub discount_basis_points: u16,
}

/// How the seller asks to be paid.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PaymentMeans {
    /// The format's own code (UNCL 4461 for UBL: 30/58 credit transfer, 49/59 direct debit, …).
    pub code: String,
    pub iban: Option<String>,
    pub bic: Option<String>,
    /// The reference the payer should quote (structured creditor reference, invoice number).
    pub reference: Option<String>,
}

/// One e-invoice, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EInvoice {
    pub format: Format,
    pub kind: DocumentKind,
    pub number: String,
    pub issue_date: NaiveDate,
    pub currency: Currency,
    pub seller: Party,
    pub buyer: Party,
    pub lines: Vec<Line>,
    pub totals: Totals,
    pub due_dates: Vec<DueInstalment>,
    /// Early-payment discounts offered by the document, earliest deadline first.
    pub cash_discounts: Vec<CashDiscount>,
    /// The payment terms as written (free text in UBL: "Net 30", "2% 10 days").
    pub terms_note: Option<String>,
    pub payment_means: Vec<PaymentMeans>,
    pub buyer_reference: Option<String>,
    pub order_reference: Option<String>,
    /// The number of the invoice a credit note corrects, when the document names it (UBL
    /// `BillingReference/InvoiceDocumentReference/ID`, CII `InvoiceReferencedDocument/
    /// IssuerAssignedID`, FatturaPA `DatiFattureCollegate/IdDocumento`, Facturae
    /// `Corrective/InvoiceSeriesCode` + `InvoiceNumber`).
    pub corrects: Option<String>,
    pub supply_from: Option<NaiveDate>,
    pub supply_to: Option<NaiveDate>,
    pub delivery_date: Option<NaiveDate>,
    pub delivery_place: Option<String>,
    /// Differences the document's own figures show within the format's tolerance (a cent of
    /// rounding in a tax subtotal): imported, and said.
    pub warnings: Vec<String>,
}

/// Why one invoice of a file is refused: where in the XML, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct Rejected {
    /// The XML path, e.g. `/Invoice/LegalMonetaryTotal/PayableAmount`.
    pub path: String,
    pub reason: String,
}

/// Why a file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Xml(#[from] XmlError),
    #[error(
        "<{root}> in namespace {namespace:?} is not an e-invoice overdue reads (UBL 2.1 Invoice, CreditNote, DebitNote or FreightInvoice, \
         UN/CEFACT CII as in XRechnung and Factur-X/ZUGFeRD, FatturaPA, Facturae)"
    )]
    UnknownFormat { root: String, namespace: String },
    #[error(transparent)]
    Signed(#[from] crate::p7m::P7mError),
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
}

/// The invoices of one file (one, or several in a batch), each read or refused. A signed file
/// (`.xml.p7m`) is opened first; a Factur-X / ZUGFeRD PDF gives its embedded XML.
pub fn read(bytes: &[u8]) -> Result<(Format, Vec<Result<EInvoice, Rejected>>), ReadError> {
    let opened;
    let bytes = if crate::p7m::looks_signed(bytes) {
        opened = crate::p7m::unwrap(bytes)?;
        opened.as_slice()
    } else if pdf::is_pdf(bytes) {
        opened = pdf::embedded_invoice(bytes)?.1;
        opened.as_slice()
    } else {
        bytes
    };
    let root = xml::parse(bytes)?;
    match (root.name.as_str(), root.namespace.as_str()) {
        (name, ns) if ubl::DOCUMENTS.contains(&(name, ns)) => Ok((Format::Ubl, vec![ubl::read(&root)])),
        ("CrossIndustryInvoice", cii::NAMESPACE) => Ok((Format::Cii, vec![cii::read(&root)])),
        ("CrossIndustryDocument", cii::ZUGFERD_1_NAMESPACE) => {
            Ok((Format::Cii, vec![cii::read(&cii::from_zugferd_1(&root))]))
        }
        ("FatturaElettronica", fatturapa::NAMESPACE) => Ok((Format::FatturaPa, fatturapa::read(&root))),
        ("Facturae", ns) if facturae::is_namespace(ns) => Ok((Format::Facturae, facturae::read(&root))),
        _ => Err(ReadError::UnknownFormat { root: root.name, namespace: root.namespace }),
    }
}

/// Helpers the format readers share: required and optional values with the path in errors.
pub(crate) struct Reader<'a> {
    pub root: &'a Element,
    pub root_path: String,
}

impl<'a> Reader<'a> {
    pub fn new(root: &'a Element) -> Self {
        Reader { root, root_path: format!("/{}", root.name) }
    }

    pub fn path(&self, path: &[&str]) -> String {
        format!("{}/{}", self.root_path, path.join("/"))
    }

    pub fn reject(&self, path: &[&str], reason: impl Into<String>) -> Rejected {
        Rejected { path: self.path(path), reason: reason.into() }
    }

    pub fn required(&self, path: &[&str]) -> Result<&'a str, Rejected> {
        self.root.text_at(path).ok_or_else(|| self.reject(path, "is missing or empty"))
    }

    pub fn date(&self, path: &[&str]) -> Result<Option<NaiveDate>, Rejected> {
        self.root
            .text_at(path)
            .map(|text| overdue_core::date::parse_iso(text).map_err(|e| self.reject(path, e.to_string())))
            .transpose()
    }

    pub fn amount(&self, path: &[&str], currency: Currency) -> Result<Option<Money>, Rejected> {
        self.root.text_at(path).map(|text| money(text, currency).map_err(|e| self.reject(path, e))).transpose()
    }
}

/// An amount in the document's currency ("1436.5", "-3.96"); more decimals than the currency has
/// or a number too large for it is refused, with the text.
pub(crate) fn money(text: &str, currency: Currency) -> Result<Money, String> {
    Money::parse(text, currency).map_err(|e| e.to_string())
}

/// Checks that two amounts agree, else says which and shows both.
pub(crate) fn agree(what: &str, declared: Money, computed: Money, from: &str) -> Result<(), String> {
    if declared == computed {
        Ok(())
    } else {
        Err(format!("{what} is {} but {from} gives {}", declared.to_decimal_string(), computed.to_decimal_string()))
    }
}

/// Like [`agree`] for a subtotal (a VAT breakdown): a difference of at most `cents` minor units
/// — rounding done per rate — is a warning (`Ok(Some(words))`), not a refusal; the chain of
/// totals is checked on its own, hard.
pub(crate) fn agree_within(
    what: &str,
    (declared, computed): (Money, Money),
    from: &str,
    cents: i64,
) -> Result<Option<String>, String> {
    let difference = declared.amount_minor() - computed.amount_minor();
    match difference {
        0 => Ok(None),
        d if d.abs() <= cents => Ok(Some(format!(
            "{what} is {} and {from} gives {}: a rounding of {}, the stated amount kept",
            declared.to_decimal_string(),
            computed.to_decimal_string(),
            Money::new(difference, declared.currency()).to_decimal_string()
        ))),
        _ => agree(what, declared, computed, from).map(|()| None),
    }
}

/// An amount written with up to 8 decimals (FatturaPA and Facturae line totals), rounded half-up
/// to the currency's minor unit.
pub(crate) fn rounded(r: &Reader, path: &[&str], text: &str, currency: Currency) -> Result<Money, Rejected> {
    let scaled = overdue_core::money::parse_scaled(text, 8)
        .ok_or_else(|| r.reject(path, format!("{text:?} is not an amount such as 1234.50")))?;
    Ok(Money::new(round_scaled(scaled, currency), currency))
}

/// A value scaled by 10^8 rounded half-up (away from zero) to the currency's minor unit.
pub(crate) fn round_scaled(scaled: i64, currency: Currency) -> i64 {
    let divisor = 10i64.pow(u32::from(8 - currency.exponent().min(8)));
    let half = divisor / 2;
    if scaled >= 0 { (scaled + half) / divisor } else { (scaled - half) / divisor }
}

/// Text on one line: runs of spaces and line breaks (as XML pretty-printing leaves them) become
/// one space.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A quantity element's value and its `unitCode`, each if present.
pub(crate) fn quantity(element: Option<&Element>) -> (Option<String>, Option<String>) {
    let value = element.map(|q| q.text.clone()).filter(|q| !q.is_empty());
    let unit = element.and_then(|q| q.attribute("unitCode")).map(str::to_owned);
    (value, unit)
}
