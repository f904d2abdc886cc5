//! What one e-invoice becomes in the books: the buyer as a [`Customer`] and the document as an
//! issued [`Invoice`] (or credit note) with its terms and instalments, plus notes on every
//! decision a person should know about. Pure: an [`EInvoice`] in, core values or a [`Rejected`]
//! naming the document's own XML path out.
//!
//! Decisions:
//! - **Customer code**: the buyer's tax id in upper case without spaces or punctuation, with the
//!   buyer's country prefixed when the document states a valid country and the id lacks it
//!   (`B12345674` in Spain → `ESB12345674`; Greece's VAT prefix is `EL`). An id that already
//!   starts with another country's code followed by a digit (`NL123…`) is taken as prefixed.
//!   Without a tax id, the buyer's own id (Peppol endpoint, codice fiscale, Facturae party id)
//!   as written; without either, its name in upper case with `-` between words (with a note). The
//!   customer's `tax_id` keeps the tax id as written.
//! - **Country**: the buyer's when it is an ISO code, else the caller's fallback, with a note.
//!   Language from the country (es for ES, it for IT, SM and VA, en elsewhere, as the customers
//!   CSV does). One billing contact from the buyer's contact name, e-mail and phone (named after
//!   the buyer when the document gives no person); an invalid e-mail is left out with a note.
//!   Agreement and credit profile stay empty: an e-invoice agrees nothing.
//! - **Lines**: one per document line with its exact net: quantity × unit price when the quantity
//!   is a [`Quantity`] and some unit price reproduces the net exactly (after the books' one
//!   rounding), else quantity 1 at the net. A line without a tax rate gets 0 % (with a note
//!   when the document declares tax). Document-level allowances and charges become "Discount"
//!   and "Charge" lines, and any difference left (FatturaPA's tolerance, Facturae's per-line
//!   rounding) a "Rounding" line, so the lines add up to the tax-exclusive total; these lines
//!   carry the document's single tax rate, or 0 % (with a note) when its lines have several.
//! - **Sent**: an e-invoice counts as sent on its issue date (it was exchanged electronically).
//! - **Totals** are the document's, not recomputed: net = tax-exclusive, tax = declared tax,
//!   gross = what the buyer must pay (after prepaid amounts, withholding, split payment), with a
//!   note when that differs from the tax-inclusive total. The invoice still passes the checks
//!   [`InvoiceDraft::issue`] makes (lines, supply period, negative total).
//! - **Credit notes** are recorded with positive amounts (the books negate a credit note's gross
//!   in `amount_due`); one written with negative amounts (a Facturae rectificativa) is turned
//!   positive with a note. The follow-up only ever chases invoices, so a credit note's terms
//!   only date the credit. An invoice whose payable amount is negative is refused.
//! - **Terms**: the document's terms note when it parses; else from its due dates (one date:
//!   Net *days after issue*, a date before the issue date counting as Net 0 with a note;
//!   several: instalments at those days); else the statutory default of the customer's country,
//!   else Net 30, with a note either way. A due date more than [`TERM_DAYS_MAX`] days after
//!   issue is refused.
//! - **Instalments** always keep the document's due dates when it has any: amounts stated are
//!   used exactly; what the stated amounts leave of the payable amount is split equally over the
//!   dates without an amount (core's split: the leftover minor unit to the first). Stated amounts
//!   that do not add up to the payable amount are refused at the due dates element with both
//!   numbers. Without due dates, the terms' schedule from the issue date (and delivery date, for
//!   cash on delivery).
//! - **Paths** in rejections follow the format's XML but cannot say which FatturaPA body or
//!   Facturae invoice of a batch (the [`EInvoice`] does not know): they name the element
//!   generically, e.g. `/FatturaElettronica/FatturaElettronicaBody/DatiPagamento`.

use super::{DocumentKind, EInvoice, Format, Line, Party, Rejected};
use chrono::NaiveDate;
use overdue_core::customer::{Agreement, Contact, ContactRole, CreditProfile, Customer};
use overdue_core::ids::{Country, CustomerCode, Email, InvoiceNumber, Language};
use overdue_core::invoice::{Invoice, InvoiceDraft, InvoiceKind, InvoiceLine, IssueError, Totals};
use overdue_core::legal::statutory_default_terms;
use overdue_core::money::Money;
use overdue_core::quantity::{Quantity, round_half_up_div};
use overdue_core::terms::{Instalment, PaymentTerms, TERM_DAYS_MAX};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// What one e-invoice becomes in the books.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForBooks {
    pub customer: Customer,
    pub invoice: Invoice,
    /// Decisions a person should know, e.g. "no due date or terms in the document: statutory
    /// Net 30 applied".
    pub notes: Vec<String>,
}

/// The buyer as a customer and the document as an issued invoice or credit note.
/// `fallback_country` is the buyer's country when the document does not state a valid one.
pub fn for_books(e: &EInvoice, fallback_country: Country) -> Result<ForBooks, Rejected> {
    for_books_with(e, fallback_country, None)
}

/// Where terms agreed outside the document come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreedBy {
    /// The customer's agreement on file (`customer set CODE terms=…`, the customers file).
    CustomerOnFile,
    /// Said for the whole import (`import --terms`).
    ImportTerms,
}

/// As [`for_books`], with the terms the business says were agreed and where that comes from: used
/// for a document that gives no due date and whose own terms cannot be read, instead of the
/// statutory default.
pub fn for_books_with(
    e: &EInvoice,
    fallback_country: Country,
    agreed: Option<(&PaymentTerms, AgreedBy)>,
) -> Result<ForBooks, Rejected> {
    let mut notes = e.warnings.clone();
    let positive = positive_amounts(e, &mut notes)?;
    let e = &positive;
    let customer = customer(e, fallback_country, &mut notes)?;
    let invoice = invoice(e, (&customer, agreed), &mut notes)?;
    Ok(ForBooks { customer, invoice, notes })
}

/// Where in the document something is, for rejections.
#[derive(Debug, Clone, Copy)]
enum At {
    Buyer,
    BuyerTaxId,
    BuyerId,
    Number,
    Lines,
    /// The tax rate of the line at this 1-based position.
    LineTax(usize),
    SupplyPeriod,
    DueDates,
    Payable,
}

fn reject(e: &EInvoice, at: At, reason: impl Into<String>) -> Rejected {
    Rejected { path: path(e, at), reason: reason.into() }
}

fn path(e: &EInvoice, at: At) -> String {
    match e.format {
        Format::Ubl => ubl_path(e.kind, at),
        Format::Cii => cii_path(at),
        Format::FatturaPa => fatturapa_path(at),
        Format::Facturae => facturae_path(at),
    }
}

fn ubl_path(kind: DocumentKind, at: At) -> String {
    let (root, line) = match kind {
        DocumentKind::Invoice => ("/Invoice", "InvoiceLine"),
        DocumentKind::CreditNote => ("/CreditNote", "CreditNoteLine"),
    };
    let buyer = format!("{root}/AccountingCustomerParty");
    match at {
        At::Buyer => buyer,
        At::BuyerTaxId => format!("{buyer}/Party/PartyTaxScheme/CompanyID"),
        At::BuyerId => format!("{buyer}/Party/EndpointID"),
        At::Number => format!("{root}/ID"),
        At::Lines => format!("{root}/{line}"),
        At::LineTax(n) => format!("{root}/{line}[{n}]/Item/ClassifiedTaxCategory/Percent"),
        At::SupplyPeriod => format!("{root}/InvoicePeriod"),
        At::DueDates => format!("{root}/PaymentTerms"),
        At::Payable => format!("{root}/LegalMonetaryTotal/PayableAmount"),
    }
}

fn cii_path(at: At) -> String {
    let transaction = "/CrossIndustryInvoice/SupplyChainTradeTransaction";
    let buyer = format!("{transaction}/ApplicableHeaderTradeAgreement/BuyerTradeParty");
    let settlement = format!("{transaction}/ApplicableHeaderTradeSettlement");
    let line = format!("{transaction}/IncludedSupplyChainTradeLineItem");
    match at {
        At::Buyer => buyer,
        At::BuyerTaxId => format!("{buyer}/SpecifiedTaxRegistration/ID"),
        At::BuyerId => format!("{buyer}/ID"),
        At::Number => "/CrossIndustryInvoice/ExchangedDocument/ID".to_owned(),
        At::Lines => line,
        At::LineTax(n) => format!("{line}[{n}]/SpecifiedLineTradeSettlement/ApplicableTradeTax/RateApplicablePercent"),
        At::SupplyPeriod => format!("{settlement}/BillingSpecifiedPeriod"),
        At::DueDates => format!("{settlement}/SpecifiedTradePaymentTerms"),
        At::Payable => format!("{settlement}/SpecifiedTradeSettlementHeaderMonetarySummation/DuePayableAmount"),
    }
}

fn fatturapa_path(at: At) -> String {
    let buyer = "/FatturaElettronica/FatturaElettronicaHeader/CessionarioCommittente";
    let body = "/FatturaElettronica/FatturaElettronicaBody";
    match at {
        At::Buyer => buyer.to_owned(),
        At::BuyerTaxId => format!("{buyer}/DatiAnagrafici/IdFiscaleIVA"),
        At::BuyerId => format!("{buyer}/DatiAnagrafici/CodiceFiscale"),
        At::Number => format!("{body}/DatiGenerali/DatiGeneraliDocumento/Numero"),
        At::Lines => format!("{body}/DatiBeniServizi/DettaglioLinee"),
        At::LineTax(n) => format!("{body}/DatiBeniServizi/DettaglioLinee[{n}]/AliquotaIVA"),
        At::SupplyPeriod => format!("{body}/DatiGenerali"),
        At::DueDates => format!("{body}/DatiPagamento"),
        At::Payable => format!("{body}/DatiGenerali/DatiGeneraliDocumento/ImportoTotaleDocumento"),
    }
}

fn facturae_path(at: At) -> String {
    let buyer = "/Facturae/Parties/BuyerParty";
    let invoice = "/Facturae/Invoices/Invoice";
    match at {
        At::Buyer => buyer.to_owned(),
        At::BuyerTaxId => format!("{buyer}/TaxIdentification/TaxIdentificationNumber"),
        At::BuyerId => format!("{buyer}/PartyIdentification"),
        At::Number => format!("{invoice}/InvoiceHeader/InvoiceNumber"),
        At::Lines => format!("{invoice}/Items/InvoiceLine"),
        At::LineTax(n) => format!("{invoice}/Items/InvoiceLine[{n}]/TaxesOutputs/Tax/TaxRate"),
        At::SupplyPeriod => format!("{invoice}/InvoiceIssueData/InvoicingPeriod"),
        At::DueDates => format!("{invoice}/PaymentDetails"),
        At::Payable => format!("{invoice}/InvoiceTotals/TotalExecutableAmount"),
    }
}

/// The document with positive amounts: a credit note written with negative amounts is turned
/// round (the books tell a credit from a debit by the kind), and so is an invoice with a negative
/// total (Peppol BIS 3.0 allows an invoice, type 380, that credits: it is recorded as a credit
/// note, linked to the invoice its billing reference names).
fn positive_amounts<'a>(e: &'a EInvoice, notes: &mut Vec<String>) -> Result<Cow<'a, EInvoice>, Rejected> {
    if !e.totals.payable.is_negative() {
        return Ok(Cow::Borrowed(e));
    }
    let mut turned = e.clone();
    if e.kind == DocumentKind::Invoice {
        turned.kind = DocumentKind::CreditNote;
        notes.push(format!(
            "an invoice with a negative total ({}) gives money back: recorded as a credit note",
            e.totals.payable.to_decimal_string()
        ));
    }
    let t = &mut turned.totals;
    for amount in [
        &mut t.lines,
        &mut t.allowances,
        &mut t.charges,
        &mut t.tax_exclusive,
        &mut t.tax,
        &mut t.tax_inclusive,
        &mut t.prepaid,
        &mut t.rounding,
        &mut t.payable,
    ] {
        *amount = amount.negate();
    }
    for line in &mut turned.lines {
        line.net = line.net.negate();
    }
    for due in &mut turned.due_dates {
        due.amount = due.amount.map(Money::negate);
    }
    if e.kind == DocumentKind::CreditNote {
        notes.push(format!(
            "credit note written with negative amounts: recorded as a credit of {}",
            turned.totals.payable.to_decimal_string()
        ));
    }
    Ok(Cow::Owned(turned))
}

fn customer(e: &EInvoice, fallback_country: Country, notes: &mut Vec<String>) -> Result<Customer, Rejected> {
    let buyer = &e.buyer;
    let stated = buyer.country.as_deref().and_then(|text| Country::parse(text).ok());
    let country = match (stated, buyer.country.as_deref()) {
        (Some(country), _) => country,
        (None, Some(text)) => {
            notes.push(format!("the buyer's country {text:?} is not an ISO code: {fallback_country} assumed"));
            fallback_country
        }
        (None, None) => {
            notes.push(format!("the document states no country for the buyer: {fallback_country} assumed"));
            fallback_country
        }
    };
    let code = customer_code(e, stated, notes)?;
    let legal_name = buyer.name.trim();
    if legal_name.is_empty() {
        return Err(reject(e, At::Buyer, "the buyer has no name"));
    }
    Ok(Customer {
        code,
        legal_name: legal_name.to_owned(),
        tax_id: non_empty(buyer.tax_id.as_deref()),
        country,
        language: language_of(country),
        currency: e.currency,
        address: non_empty(buyer.address.as_deref()),
        contacts: billing_contact(buyer, legal_name, notes).into_iter().collect(),
        agreement: Agreement::default(),
        credit: CreditProfile::default(),
    })
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned)
}

/// The language a customer in `country` is written to in.
fn language_of(country: Country) -> Language {
    match country.as_str() {
        "ES" => Language::ES,
        "IT" | "SM" | "VA" => Language::IT,
        _ => Language::EN,
    }
}

/// The buyer's normalised tax id (with its country prefix), else its own id, else its name
/// (upper case, words joined by `-`), with a note: a name is the weakest way to know a customer.
fn customer_code(e: &EInvoice, country: Option<Country>, notes: &mut Vec<String>) -> Result<CustomerCode, Rejected> {
    let tax_id = e.buyer.tax_id.as_deref().map(normalised_tax_id).filter(|id| !id.is_empty());
    if let Some(tax_id) = tax_id {
        let code = with_country_prefix(tax_id, country);
        return CustomerCode::parse(&code).map_err(|err| reject(e, At::BuyerTaxId, err.to_string()));
    }
    if let Some(id) = non_empty(e.buyer.id.as_deref()) {
        return CustomerCode::parse(&id).map_err(|err| reject(e, At::BuyerId, err.to_string()));
    }
    let words: Vec<String> = e
        .buyer
        .name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_uppercase())
        .collect();
    let code: String = words.join("-").chars().take(64).collect();
    if code.is_empty() {
        return Err(reject(
            e,
            At::BuyerTaxId,
            "the buyer has no tax id, no id of its own and no name: the customer cannot be identified in the books",
        ));
    }
    notes.push(format!(
        "the buyer has no tax id and no id of its own: it is customer {code}, known by its name (add its tax id to be sure)"
    ));
    CustomerCode::parse(&code).map_err(|err| reject(e, At::Buyer, err.to_string()))
}

/// Upper case, letters and digits only: " es-b.1234 5674" → "ESB12345674".
fn normalised_tax_id(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect()
}

fn with_country_prefix(tax_id: String, country: Option<Country>) -> String {
    let Some(country) = country else { return tax_id };
    // the VAT prefix is the ISO code, except Greece's
    let prefix = if country.as_str() == "GR" { "EL" } else { country.as_str() };
    if tax_id.starts_with(prefix) || tax_id.starts_with(country.as_str()) || foreign_prefix(&tax_id) {
        tax_id
    } else {
        format!("{prefix}{tax_id}")
    }
}

/// Starts with another country's code and a digit ("NL123456789B01"): already prefixed.
/// A letter after the two ("RSSMRA85…", an Italian codice fiscale) is not a prefix.
fn foreign_prefix(tax_id: &str) -> bool {
    let bytes = tax_id.as_bytes();
    bytes.len() > 2
        && bytes[2].is_ascii_digit()
        && tax_id.get(..2).is_some_and(|head| head == "EL" || Country::parse(head).is_ok())
}

/// One billing contact from the buyer's contact details, if the document gives any.
fn billing_contact(buyer: &Party, legal_name: &str, notes: &mut Vec<String>) -> Option<Contact> {
    let email = non_empty(buyer.email.as_deref()).and_then(|text| match Email::parse(&text) {
        Ok(email) => Some(email),
        Err(err) => {
            notes.push(format!("the buyer's e-mail is left out: {err}"));
            None
        }
    });
    let name = non_empty(buyer.contact_name.as_deref());
    let phone = non_empty(buyer.phone.as_deref());
    if name.is_none() && email.is_none() && phone.is_none() {
        return None;
    }
    Some(Contact { name: name.unwrap_or_else(|| legal_name.to_owned()), role: ContactRole::Billing, email, phone })
}

fn invoice(
    e: &EInvoice,
    (customer, agreed): (&Customer, Option<(&PaymentTerms, AgreedBy)>),
    notes: &mut Vec<String>,
) -> Result<Invoice, Rejected> {
    let number = InvoiceNumber::parse(&e.number).map_err(|err| reject(e, At::Number, err.to_string()))?;
    let terms = terms(e, (customer.country, agreed), notes)?;
    let instalments = instalments(e, &terms, notes)?;
    let (supply_from, supply_to) = match (e.supply_from, e.supply_to) {
        (None, None) => (e.delivery_date, e.delivery_date),
        period => period,
    };
    let draft = InvoiceDraft {
        number,
        customer: customer.code.clone(),
        kind: match e.kind {
            DocumentKind::Invoice => InvoiceKind::Invoice,
            DocumentKind::CreditNote => InvoiceKind::CreditNote,
        },
        issue_date: e.issue_date,
        supply_from,
        supply_to,
        delivery_place: non_empty(e.delivery_place.as_deref()),
        currency: e.currency,
        lines: lines(e, notes)?,
        terms: Some(terms),
        // an e-invoice reached its buyer through the exchange network (SdI, Peppol, FACe) when
        // it was issued: it is not waiting to be sent
        sent_on: Some(e.issue_date),
    };
    // issued as core issues any invoice (same checks), then with the document's own totals and
    // due dates rather than recomputed ones
    let mut invoice = draft.issue().map_err(|err| issue_rejected(e, &err))?;
    invoice.totals = totals(e, notes);
    invoice.instalments = instalments;
    if invoice.kind == InvoiceKind::CreditNote {
        invoice.corrects = e.corrects.as_deref().and_then(|n| InvoiceNumber::parse(n).ok());
    }
    // only a reference with valid check digits: a free payment id may be any text
    invoice.payment_reference = e
        .payment_means
        .iter()
        .filter_map(|means| means.reference.as_deref())
        .find(|reference| overdue_core::structured_reference::recognise(reference).is_some())
        .map(str::to_owned);
    Ok(invoice)
}

fn issue_rejected(e: &EInvoice, err: &IssueError) -> Rejected {
    let at = match err {
        IssueError::SupplyPeriodReversed { .. } => At::SupplyPeriod,
        IssueError::NegativeTotal { .. } => At::Payable,
        IssueError::MissingTerms { .. } | IssueError::SentBeforeIssued { .. } => At::DueDates,
        IssueError::NoLines { .. } | IssueError::Overflow { .. } => At::Lines,
    };
    reject(e, at, err.to_string())
}

/// Net, tax and what the buyer must pay, as the document declares them.
fn totals(e: &EInvoice, notes: &mut Vec<String>) -> Totals {
    let t = &e.totals;
    if t.payable != t.tax_inclusive {
        let rounding =
            if t.rounding.is_zero() { String::new() } else { format!(", rounding {}", t.rounding.to_decimal_string()) };
        notes.push(format!(
            "the amount payable {} is not the tax-inclusive total {} (prepaid or withheld {}{rounding}): \
             the books record what the buyer must pay",
            t.payable.to_decimal_string(),
            t.tax_inclusive.to_decimal_string(),
            t.prepaid.to_decimal_string(),
        ));
    }
    Totals { net: t.tax_exclusive, tax: t.tax, gross: t.payable }
}

const MIXED_RATES: &str = "the document-level discount, charge or rounding lines are at 0 % tax (the lines have \
                           several rates); the document's tax total is kept as declared";

/// The document's lines, then its discounts, charges and any rounding, adding up to the
/// tax-exclusive total.
fn lines(e: &EInvoice, notes: &mut Vec<String>) -> Result<Vec<InvoiceLine>, Rejected> {
    let mut lines = Vec::with_capacity(e.lines.len() + 3);
    for (index, line) in e.lines.iter().enumerate() {
        lines.push(book_line(e, index + 1, line, notes)?);
    }
    let rates: BTreeSet<u32> = lines.iter().map(|line| line.tax_rate_basis_points).collect();
    let rate = if rates.len() == 1 { rates.first().copied().unwrap_or(0) } else { 0 };
    let overflow = || reject(e, At::Lines, "the line amounts are too large to add up");
    let sum = lines.iter().try_fold(0i64, |sum, line| line.net_minor().and_then(|net| sum.checked_add(net)));
    let sum = sum.ok_or_else(overflow)?;
    let t = &e.totals;
    let rounding = t.tax_exclusive.amount_minor().checked_sub(sum).ok_or_else(overflow)?;
    let rounding = rounding
        .checked_sub(t.charges.amount_minor())
        .and_then(|r| r.checked_add(t.allowances.amount_minor()))
        .ok_or_else(overflow)?;
    let extras = [("Discount", t.allowances.amount_minor().saturating_neg()), ("Charge", t.charges.amount_minor())];
    let before = lines.len();
    for (description, amount_minor) in extras.into_iter().chain([("Rounding", rounding)]) {
        if amount_minor != 0 {
            lines.push(InvoiceLine {
                description: description.to_owned(),
                quantity: Quantity::ONE,
                unit_price_minor: amount_minor,
                tax_rate_basis_points: rate,
            });
        }
    }
    if rounding != 0 {
        let difference = Money::new(rounding, e.currency).to_decimal_string();
        notes.push(format!("the lines differ from the tax-exclusive total by {difference}: a Rounding line adds it"));
    }
    if lines.len() > before && rates.len() > 1 {
        notes.push(MIXED_RATES.to_owned());
    }
    Ok(lines)
}

/// One document line with its exact net and its tax rate.
fn book_line(e: &EInvoice, position: usize, line: &Line, notes: &mut Vec<String>) -> Result<InvoiceLine, Rejected> {
    let tax_rate_basis_points = match line.tax_percent.as_deref() {
        Some(text) => tax_rate(text).ok_or_else(|| {
            let reason =
                format!("line {}: tax percentage {text:?} is not a rate from 0 to 100 such as 21 or 10.5", line.id);
            reject(e, At::LineTax(position), reason)
        })?,
        None => {
            if !e.totals.tax.is_zero() {
                notes.push(format!("line {} states no tax rate: 0 % recorded", line.id));
            }
            0
        }
    };
    let (quantity, unit_price_minor) = quantity_and_price(line);
    let description = match line.description.trim() {
        "" => format!("Line {}", line.id),
        text => text.to_owned(),
    };
    Ok(InvoiceLine { description, quantity, unit_price_minor, tax_rate_basis_points })
}

/// "21" → 2100, "10.5" → 1050, "21.000" → 2100; `None` for anything else or above 100 %.
fn tax_rate(text: &str) -> Option<u32> {
    // "21.000" (Facturae writes rates with more decimals) is 21: zeros past the second go
    let text = text.trim();
    let text = match text.split_once('.') {
        Some((whole, fraction)) if fraction.len() > 2 && fraction[2..].bytes().all(|b| b == b'0') => {
            &text[..whole.len() + 3]
        }
        _ => text,
    };
    let basis_points = overdue_core::money::parse_scaled(text, 2)?;
    u32::try_from(basis_points).ok().filter(|bp| *bp <= 10_000)
}

/// The document's quantity and a unit price that reproduce the net exactly, else 1 × net.
fn quantity_and_price(line: &Line) -> (Quantity, i64) {
    let net = line.net.amount_minor();
    let exact = line
        .quantity
        .as_deref()
        .and_then(|text| Quantity::parse(text.trim()).ok())
        .filter(|quantity| quantity.milli() > 0)
        .and_then(|quantity| {
            let scaled = i128::from(net) * i128::from(Quantity::ONE.milli());
            let price = i64::try_from(round_half_up_div(scaled, i128::from(quantity.milli()))).ok()?;
            (quantity.times_minor(price) == Some(net)).then_some((quantity, price))
        });
    exact.unwrap_or((Quantity::ONE, net))
}

/// The terms note if it parses, else the due dates' terms, else the statutory default.
fn terms(
    e: &EInvoice,
    (country, agreed): (Country, Option<(&PaymentTerms, AgreedBy)>),
    notes: &mut Vec<String>,
) -> Result<PaymentTerms, Rejected> {
    if let Some(terms) = skonto_terms(e, notes)? {
        return Ok(terms);
    }
    if let Some(terms) = e.terms_note.as_deref().and_then(|note| PaymentTerms::parse(note).ok()) {
        return Ok(terms);
    }
    if let Some(terms) = terms_from_due_dates(e, notes)? {
        return Ok(terms);
    }
    let missing = match e.terms_note.as_deref() {
        Some(note) => format!("no due date in the document and its terms {note:?} are not recognised"),
        None => "no due date or terms in the document".to_owned(),
    };
    if let Some((agreed, by)) = agreed {
        let source = match by {
            AgreedBy::CustomerOnFile => "the customer's terms on file",
            AgreedBy::ImportTerms => "as agreed (--terms)",
        };
        notes.push(format!("{missing}: {agreed} applied, {source}"));
        return Ok(agreed.clone());
    }
    let (terms, applied) = match statutory_default_terms(country) {
        Some(terms) => {
            let applied = format!("statutory {terms} ({country}) applied");
            (terms, applied)
        }
        None => (PaymentTerms::Net { days: 30 }, format!("no statutory default known for {country}: Net 30 applied")),
    };
    let credit = if e.kind == DocumentKind::CreditNote { " (a credit note is never chased)" } else { "" };
    let hint = if credit.is_empty() { "; say what was agreed with `import --terms \"…\"`" } else { "" };
    notes.push(format!("{missing}: {applied}{credit}{hint}"));
    Ok(terms)
}

/// The document's cash discount — XRechnung's `#SKONTO#TAGE=10#PROZENT=2.00#` in the payment terms
/// (BT-20), else the discounts its payment terms offer (CII, `EInvoice::cash_discounts`): early-payment
/// terms of its shortest tier, net at the document's due date (else at the end of the longest
/// tier). Further tiers are noted: the matcher knows one discount per invoice.
fn skonto_terms(e: &EInvoice, notes: &mut Vec<String>) -> Result<Option<PaymentTerms>, Rejected> {
    let mut tiers = e.terms_note.as_deref().map(overdue_core::terms::skonto_tiers).unwrap_or_default();
    if tiers.is_empty() {
        tiers = e
            .cash_discounts
            .iter()
            .filter_map(|d| {
                let days = u16::try_from((d.until - e.issue_date).num_days()).ok()?;
                Some(overdue_core::terms::SkontoTier { days, discount_basis_points: d.discount_basis_points })
            })
            .collect();
    }
    let (Some(first), Some(last)) = (tiers.first(), tiers.last()) else { return Ok(None) };
    let net_days = match terms_from_due_dates(e, notes)? {
        Some(PaymentTerms::Net { days }) => days,
        _ => last.days,
    };
    if tiers.len() > 1 {
        let others: Vec<String> = tiers[1..]
            .iter()
            .map(|t| {
                format!(
                    "{}.{:02} % within {} days",
                    t.discount_basis_points / 100,
                    t.discount_basis_points % 100,
                    t.days
                )
            })
            .collect();
        notes.push(format!("further cash discount tiers not applied by the matcher: {}", others.join(", ")));
    }
    let terms = PaymentTerms::EarlyPaymentDiscount {
        discount_basis_points: first.discount_basis_points,
        discount_days: first.days,
        net_days: net_days.max(first.days),
    };
    Ok(Some(terms))
}

/// Net *days* for one due date, instalments at the days of several; `None` without due dates.
fn terms_from_due_dates(e: &EInvoice, notes: &mut Vec<String>) -> Result<Option<PaymentTerms>, Rejected> {
    let mut days = Vec::with_capacity(e.due_dates.len());
    for due in &e.due_dates {
        let after_issue = (due.due_date - e.issue_date).num_days();
        if after_issue < 0 {
            notes
                .push(format!("due date {} is before the issue date {}: counted as Net 0", due.due_date, e.issue_date));
        }
        let day = u16::try_from(after_issue.max(0)).ok().filter(|day| *day <= TERM_DAYS_MAX).ok_or_else(|| {
            let reason = format!(
                "due date {} is {after_issue} days after the issue date {}: more than {TERM_DAYS_MAX} days is not a \
                 credit term",
                due.due_date, e.issue_date
            );
            reject(e, At::DueDates, reason)
        })?;
        days.push(day);
    }
    days.sort_unstable();
    days.dedup();
    if let Some(terms) = end_of_month_terms(e, &days) {
        return Ok(Some(terms));
    }
    Ok(match days.as_slice() {
        [] => None,
        [days] => Some(PaymentTerms::Net { days: *days }),
        _ => Some(PaymentTerms::Instalments { days }),
    })
}

/// Due dates at month ends whose day counts are irregular (46/77/107 days from 15 January) are
/// the usual "N days, then the end of that month" terms ("Ri.Ba. 30/60/90 gg d.f.f.m."): those
/// terms, when every date is the end of the month N days (a multiple of 30) after the issue date.
fn end_of_month_terms(e: &EInvoice, days: &[u16]) -> Option<PaymentTerms> {
    use overdue_core::date::end_of_month;
    if days.is_empty() || days.iter().all(|d| d % 15 == 0) {
        return None;
    }
    let mut dates: Vec<chrono::NaiveDate> = e.due_dates.iter().map(|d| d.due_date).collect();
    dates.sort_unstable();
    dates.dedup();
    let counts: Option<Vec<u16>> = dates
        .iter()
        .map(|due| {
            (1..=12u16).map(|n| n * 30).find(|k| end_of_month(e.issue_date + chrono::Days::new(u64::from(*k))) == *due)
        })
        .collect();
    match counts?.as_slice() {
        [one] => Some(PaymentTerms::DaysEndOfMonth {
            days: *one,
            convention: overdue_core::terms::EndOfMonthConvention::AddDaysThenMonthEnd,
        }),
        several if several.windows(2).all(|w| w[0] < w[1]) => {
            Some(PaymentTerms::InstalmentsEndOfMonth { days: several.to_vec() })
        }
        _ => None,
    }
}

/// The document's due dates with their amounts (what is not stated is split equally over the
/// dates without an amount); without due dates, the terms' schedule.
fn instalments(e: &EInvoice, terms: &PaymentTerms, notes: &mut Vec<String>) -> Result<Vec<Instalment>, Rejected> {
    let payable = e.totals.payable;
    if e.due_dates.is_empty() {
        let delivery = e.delivery_date.or(e.supply_to).or(e.supply_from);
        return Ok(terms.schedule(e.issue_date, delivery, payable));
    }
    let stated: Vec<Money> = e.due_dates.iter().filter_map(|due| due.amount).collect();
    let stated_sum = overdue_core::money::sum(e.currency, stated.iter().copied())
        .map_err(|err| reject(e, At::DueDates, err.to_string()))?;
    let unstated = e.due_dates.len() - stated.len();
    let left = payable.checked_sub(stated_sum).map_err(|err| reject(e, At::DueDates, err.to_string()))?;
    if left.is_negative() {
        let reason = format!(
            "the instalments add up to {} but the amount payable is {}",
            stated_sum.to_decimal_string(),
            payable.to_decimal_string()
        );
        return Err(reject(e, At::DueDates, reason));
    }
    let mut shares = split_equally(left, unstated, e.issue_date).into_iter();
    let mut schedule: Vec<Instalment> = e
        .due_dates
        .iter()
        .map(|due| Instalment {
            due_date: due.due_date,
            amount: due.amount.or_else(|| shares.next()).unwrap_or(Money::zero(e.currency)),
        })
        .collect();
    if unstated == 0
        && left.is_positive()
        && let Some(last) = schedule.last_mut()
    {
        // the whole invoice is owed: what the schedule leaves out falls on its last date
        notes.push(format!(
            "the payment schedule covers {} of the {} payable: the other {} is due with the last instalment on {}",
            stated_sum.to_decimal_string(),
            payable.to_decimal_string(),
            left.to_decimal_string(),
            last.due_date
        ));
        last.amount = last.amount.checked_add(left).map_err(|err| reject(e, At::DueDates, err.to_string()))?;
    }
    Ok(schedule)
}

/// `total` in `count` equal shares, the leftover minor unit to the first: core's instalment
/// split, so the rounding is the one the books use everywhere (the days are irrelevant here).
fn split_equally(total: Money, count: usize, issue_date: NaiveDate) -> Vec<Money> {
    let days = (0..count).map(|day| u16::try_from(day).unwrap_or(u16::MAX)).collect();
    PaymentTerms::Instalments { days }.schedule(issue_date, None, total).into_iter().map(|i| i.amount).collect()
}
