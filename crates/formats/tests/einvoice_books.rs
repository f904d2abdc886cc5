//! Every e-invoice fixture (../shared/fixtures/einvoice) turned into the books' customer and
//! invoice, with the values asserted as read by hand from the files; then the fallbacks (terms
//! from a note, from due dates, from the law), instalments that do not add up, bad tax rates and
//! customer codes on hand-edited copies.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::NaiveDate;
use overdue_core::customer::{Contact, ContactRole};
use overdue_core::ids::{Country, Email, Language};
use overdue_core::invoice::{InvoiceKind, InvoiceLine, InvoiceStatus};
use overdue_core::quantity::Quantity;
use overdue_core::terms::{EndOfMonthConvention, PaymentTerms};
use overdue_formats::einvoice::books::{AgreedBy, ForBooks, for_books, for_books_with};
use overdue_formats::einvoice::{self, DocumentKind, EInvoice, Rejected};
use std::path::PathBuf;

fn fixture(path: &str) -> Vec<u8> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/einvoice").join(path);
    std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn read_one(bytes: &[u8]) -> EInvoice {
    let (_, mut invoices) = einvoice::read(bytes).unwrap();
    assert_eq!(invoices.len(), 1);
    invoices.remove(0).unwrap()
}

fn one(path: &str) -> EInvoice {
    read_one(&fixture(path))
}

fn country(code: &str) -> Country {
    Country::parse(code).unwrap()
}

/// Converted with Spain as the fallback country (none of the fixtures needs it). The terms must
/// survive the store, which keeps them as text.
fn books(e: &EInvoice) -> ForBooks {
    let b = for_books(e, country("ES")).unwrap_or_else(|e| panic!("{e}"));
    let terms = &b.invoice.terms;
    assert_eq!(&PaymentTerms::parse(&terms.to_string()).unwrap(), terms, "{terms} prints and parses back");
    b
}

fn refused(e: &EInvoice) -> String {
    for_books(e, country("ES")).unwrap_err().to_string()
}

/// The first `from` after `anchor` replaced by `to`.
fn edited_after(path: &str, anchor: &str, from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(fixture(path)).unwrap();
    let start = text.find(anchor).unwrap_or_else(|| panic!("{anchor}"));
    let at = start + text[start..].find(from).unwrap_or_else(|| panic!("{from}"));
    format!("{}{to}{}", &text[..at], &text[at + from.len()..]).into_bytes()
}

fn edited(path: &str, from: &str, to: &str) -> Vec<u8> {
    edited_after(path, "<", from, to)
}

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Net, tax and gross as decimal text.
fn totals(b: &ForBooks) -> [String; 3] {
    let t = b.invoice.totals;
    [t.net, t.tax, t.gross].map(|m| m.to_decimal_string())
}

/// Each instalment as (due date, amount).
fn instalments(b: &ForBooks) -> Vec<(String, String)> {
    b.invoice.instalments.iter().map(|i| (i.due_date.to_string(), i.amount.to_decimal_string())).collect()
}

/// Each line as (description, quantity, unit price in minor units, tax rate in basis points).
fn lines(b: &ForBooks) -> Vec<(String, String, i64, u32)> {
    b.invoice
        .lines
        .iter()
        .map(|l| (l.description.clone(), l.quantity.to_string(), l.unit_price_minor, l.tax_rate_basis_points))
        .collect()
}

fn line(description: &str, quantity: &str, unit_price_minor: i64, rate: u32) -> (String, String, i64, u32) {
    (description.to_owned(), quantity.to_owned(), unit_price_minor, rate)
}

fn pair(date: &str, amount: &str) -> (String, String) {
    (date.to_owned(), amount.to_owned())
}

/// The lines add up to the net total, whatever else happened.
fn assert_lines_add_up(b: &ForBooks) {
    let sum: i64 = b.invoice.lines.iter().map(|l| InvoiceLine::net_minor(l).unwrap()).sum();
    assert_eq!(sum, b.invoice.totals.net.amount_minor(), "{:?}", b.invoice.lines);
}

#[test]
fn the_ubl_example_becomes_a_belgian_customer_and_an_invoice_due_in_16_days() {
    let b = books(&one("ubl/UBL-Invoice-2.1-Example.xml"));
    let c = &b.customer;
    assert_eq!((c.code.as_str(), c.legal_name.as_str()), ("BE54321", "The buyercompany inc."));
    assert_eq!((c.country.as_str(), c.language, c.currency.code()), ("BE", Language::EN, "EUR"));
    assert_eq!(c.tax_id.as_deref(), Some("BE54321"));
    assert_eq!(c.address.as_deref(), Some("Anystreet 8, Back door, 101 Anytown"));
    assert_eq!(
        c.contacts,
        [Contact {
            name: "John X".into(),
            role: ContactRole::Billing,
            email: Some(Email::parse("john@buyercompany.eu").unwrap()),
            phone: Some("5121230".into()),
        }]
    );
    let i = &b.invoice;
    assert_eq!((i.number.as_str(), i.customer.as_str(), i.kind), ("TOSL108", "BE54321", InvoiceKind::Invoice));
    assert_eq!(
        (i.issue_date, i.supply_from, i.supply_to),
        (d("2009-12-15"), Some(d("2009-11-01")), Some(d("2009-11-30")))
    );
    assert_eq!(i.delivery_place.as_deref(), Some("Deliverystreet 12, Side door, 523427 DeliveryCity"));
    assert_eq!((i.status, i.sent_on), (InvoiceStatus::Sent, Some(i.issue_date)), "exchanged when issued");
    // the payable amount is after 1000.00 prepaid: the books track what is owed
    assert_eq!(totals(&b), ["1436.50", "292.20", "729.00"]);
    assert_eq!(
        lines(&b),
        [
            line("Labtop computer", "1", 1273_00, 2000),
            line("Returned \"Advanced computing\" book", "1", -3_96, 1000), // quantity -1: 1 × net
            line("\"Computing for dummies\" book", "2", 2_48, 1000),
            line("Returned IBM 5150 desktop", "1", -25_00, 0),
            line("Network cable", "250", 75, 2000),
            line("Discount", "1", -100_00, 0),
            line("Charge", "1", 100_00, 0),
        ]
    );
    assert_lines_add_up(&b);
    // "Penalty percentage 10% from due date" is no terms; the due date 2009-12-31 is
    assert_eq!(i.terms, PaymentTerms::Net { days: 16 });
    assert_eq!(instalments(&b), [pair("2009-12-31", "729.00")]);
    assert_eq!(b.notes.len(), 2, "{:?}", b.notes);
    assert_eq!(
        b.notes[1],
        "the amount payable 729.00 is not the tax-inclusive total 1729.00 (prepaid or withheld 1000.00, rounding \
         0.30): the books record what the buyer must pay"
    );
    assert!(b.notes[0].contains("at 0 % tax (the lines have several rates)"), "{}", b.notes[0]);
}

#[test]
fn the_ubl_credit_note_gets_statutory_terms_and_credits_the_customer() {
    let b = books(&one("ubl/UBL-CreditNote-2.1-Example.xml"));
    assert_eq!((b.customer.code.as_str(), b.customer.legal_name.as_str()), ("BE54321", "The buyercompany inc."));
    assert_eq!(b.customer.country.as_str(), "BE");
    let i = &b.invoice;
    assert_eq!((i.number.as_str(), i.kind), ("TOSL108", InvoiceKind::CreditNote));
    assert_eq!(totals(&b), ["1436.50", "292.20", "729.00"]);
    assert_eq!(i.amount_due().to_decimal_string(), "-729.00", "a credit in the customer's favour");
    assert_eq!(i.lines.len(), 7);
    assert_lines_add_up(&b);
    assert_eq!(i.terms, PaymentTerms::Net { days: 30 });
    assert_eq!(instalments(&b), [pair("2010-01-14", "729.00")]);
    assert!(
        b.notes.contains(
            &"no due date or terms in the document: statutory Net 30 (BE) applied (a credit note is never chased)"
                .to_owned()
        ),
        "{:?}",
        b.notes
    );
}

#[test]
fn the_trivial_ubl_invoice_knows_its_buyer_only_by_name() {
    let trivial = for_books(&one("ubl/UBL-Invoice-2.1-Example-Trivial.xml"), country("CA")).unwrap();
    assert_eq!(trivial.customer.code.as_str(), "NORTH-AMERICAN-VEEBLEFETZER");
    assert!(trivial.notes.iter().any(|n| n.contains("known by its name")), "{:?}", trivial.notes);
}

#[test]
fn with_a_tax_id_the_trivial_invoice_takes_the_fallback_country_and_net_30() {
    let bytes = edited_after(
        "ubl/UBL-Invoice-2.1-Example-Trivial.xml",
        "<cac:AccountingCustomerParty>",
        "<cac:Party>",
        "<cac:Party><cac:PartyTaxScheme><cbc:CompanyID>ca 123456789-rt0001</cbc:CompanyID></cac:PartyTaxScheme>",
    );
    let b = for_books(&read_one(&bytes), country("CA")).unwrap();
    assert_eq!(b.customer.code.as_str(), "CA123456789RT0001", "normalised; no country stated, no prefix added");
    assert_eq!((b.customer.legal_name.as_str(), b.customer.country.as_str()), ("North American Veeblefetzer", "CA"));
    assert_eq!((b.customer.language, b.customer.currency.code()), (Language::EN, "CAD"));
    assert!(b.customer.contacts.is_empty());
    assert_eq!(b.invoice.number.as_str(), "123");
    assert_eq!(totals(&b), ["100.00", "0.00", "100.00"]);
    assert_eq!(lines(&b), [line("Cotter pin, MIL-SPEC", "1", 100_00, 0)]);
    assert_eq!(b.invoice.terms, PaymentTerms::Net { days: 30 });
    assert_eq!(instalments(&b), [pair("2011-10-22", "100.00")]);
    assert_eq!(
        b.notes,
        [
            "the document states no country for the buyer: CA assumed",
            "no due date or terms in the document: no statutory default known for CA: Net 30 applied; say what was \
             agreed with `import --terms \"…\"`",
        ]
    );
}

#[test]
fn the_fatturapa_examples_become_italian_customers_with_the_due_date_as_terms() {
    let b = books(&one("fatturapa/IT01234567890_FPA01.xml"));
    let c = &b.customer;
    assert_eq!((c.code.as_str(), c.legal_name.as_str()), ("IT09876543210", "AMMINISTRAZIONE BETA"));
    assert_eq!((c.country.as_str(), c.language, c.tax_id.as_deref()), ("IT", Language::IT, Some("09876543210")));
    assert_eq!(c.address.as_deref(), Some("VIA TORINO 38-B 00145 ROMA"));
    assert!(c.contacts.is_empty());
    let i = &b.invoice;
    assert_eq!((i.number.as_str(), i.kind, i.issue_date), ("123", InvoiceKind::Invoice, d("2017-01-18")));
    assert_eq!((i.supply_from, i.supply_to), (Some(d("2017-01-10")), Some(d("2017-01-10"))), "the delivery date");
    assert_eq!(totals(&b), ["5.00", "1.10", "6.10"]);
    assert_eq!(lines(&b), [line("DESCRIZIONE DELLA FORNITURA", "5", 1_00, 2200)]);
    assert_eq!(i.terms, PaymentTerms::Net { days: 31 });
    assert_eq!(instalments(&b), [pair("2017-02-18", "6.10")]);
    assert!(b.notes.is_empty(), "{:?}", b.notes);

    let b = books(&one("fatturapa/IT01234567890_FPR01.xml"));
    assert_eq!((b.customer.code.as_str(), b.customer.legal_name.as_str()), ("IT09876543210", "DITTA BETA"));
    assert_eq!((b.invoice.number.as_str(), b.invoice.issue_date), ("123", d("2014-12-18")));
    assert_eq!(b.invoice.supply_from, Some(d("2012-10-22")));
    assert_eq!(totals(&b), ["5.00", "1.10", "6.10"]);
    assert_eq!(b.invoice.terms, PaymentTerms::Net { days: 43 });
    assert_eq!(instalments(&b), [pair("2015-01-30", "6.10")]);

    // FPR02's VAT summary is 2.00 off its lines: the reader refuses it before the books see it
    let (_, fpr02) = einvoice::read(&fixture("fatturapa/IT01234567890_FPR02.xml")).unwrap();
    assert!(fpr02[0].is_err());
}

#[test]
fn the_facturae_examples_become_spanish_customers_owing_what_is_executable() {
    let b = books(&one("facturae/omeuid-viewer__Facturae-3.2.2-valid.xml"));
    let c = &b.customer;
    assert_eq!((c.code.as_str(), c.legal_name.as_str()), ("ESB12345674", "Comercial de Ejemplo, S.A."));
    assert_eq!((c.country.as_str(), c.language, c.tax_id.as_deref()), ("ES", Language::ES, Some("B12345674")));
    assert_eq!(c.address.as_deref(), Some("Avda. de los Ejemplos, 15, 08000, Barcelona"));
    let i = &b.invoice;
    assert_eq!((i.number.as_str(), i.issue_date, i.supply_from), ("A1", d("2013-04-30"), None));
    // 68.42 with taxes, less 2.39 withheld: 66.03 executable
    assert_eq!(totals(&b), ["59.75", "8.67", "66.03"]);
    assert_eq!(lines(&b), [line("Flores de jara y brezo", "1", 33_75, 1600), line("Mate de erizo", "2", 13_00, 1600)]);
    assert_eq!(i.terms, PaymentTerms::Net { days: 30 });
    assert_eq!(instalments(&b), [pair("2013-05-30", "66.03")]);
    assert_eq!(
        b.notes,
        ["the amount payable 66.03 is not the tax-inclusive total 68.42 (prepaid or withheld 2.39): the books \
          record what the buyer must pay"]
    );

    let b = books(&one("facturae/fawno__factura_ejemplo.xml"));
    let c = &b.customer;
    assert_eq!((c.code.as_str(), c.legal_name.as_str()), ("ESP4800000D", "DIPUTACION FORAL DE BIZKAIA"));
    assert_eq!(
        c.contacts,
        [Contact {
            name: "DIPUTACION FORAL DE BIZKAIA".into(),
            role: ContactRole::Billing,
            email: Some(Email::parse("info@bizkaia.net").unwrap()),
            phone: None,
        }]
    );
    let i = &b.invoice;
    assert_eq!((i.number.as_str(), i.issue_date), ("201401256623570", d("2022-05-11")));
    assert_eq!((i.supply_from, i.supply_to), (Some(d("2022-05-11")), Some(d("2022-05-11"))));
    assert_eq!(totals(&b), ["51.30", "10.77", "62.07"]);
    assert_eq!(lines(&b), [line("Concepto Genérico", "2", 25_65, 2100)]);
    assert_eq!(i.terms, PaymentTerms::Net { days: 0 }, "due on the issue date");
    assert_eq!(instalments(&b), [pair("2022-05-11", "62.07")]);
    assert!(b.notes.is_empty(), "{:?}", b.notes);
}

#[test]
fn without_a_due_date_the_statutory_terms_apply() {
    let bytes =
        edited("fatturapa/IT01234567890_FPA01.xml", "<DataScadenzaPagamento>2017-02-18</DataScadenzaPagamento>", "");
    let b = books(&read_one(&bytes));
    assert_eq!(b.invoice.terms, PaymentTerms::Net { days: 30 });
    assert_eq!(instalments(&b), [pair("2017-02-17", "6.10")]);
    assert_eq!(
        b.notes,
        ["no due date or terms in the document: statutory Net 30 (IT) applied; say what was agreed with `import \
          --terms \"…\"`"]
    );
    let agreed = PaymentTerms::parse("Net 60").unwrap();
    let with = for_books_with(&read_one(&bytes), country("ES"), Some((&agreed, AgreedBy::ImportTerms))).unwrap();
    assert_eq!(with.invoice.terms, agreed);
    assert_eq!(with.notes, ["no due date or terms in the document: Net 60 applied, as agreed (--terms)"]);
    let on_file = for_books_with(&read_one(&bytes), country("ES"), Some((&agreed, AgreedBy::CustomerOnFile))).unwrap();
    assert_eq!(on_file.notes, ["no due date or terms in the document: Net 60 applied, the customer's terms on file"]);
}

const UBL: &str = "ubl/UBL-Invoice-2.1-Example.xml";
const UBL_NOTE: &str = "<cbc:Note>Penalty percentage 10% from due date</cbc:Note>";

#[test]
fn a_terms_note_that_parses_gives_the_terms_and_the_due_date_stays() {
    let b = books(&read_one(&edited(UBL, UBL_NOTE, "<cbc:Note>2/10 Net 30</cbc:Note>")));
    assert_eq!(
        b.invoice.terms,
        PaymentTerms::EarlyPaymentDiscount { discount_basis_points: 200, discount_days: 10, net_days: 30 }
    );
    assert_eq!(instalments(&b), [pair("2009-12-31", "729.00")], "the document's own due date");

    let text = String::from_utf8(edited(UBL, UBL_NOTE, "<cbc:Note>30 EOM</cbc:Note>")).unwrap();
    let no_due_date = text.replace("<cbc:PaymentDueDate>2009-12-31</cbc:PaymentDueDate>", "");
    let b = books(&read_one(no_due_date.as_bytes()));
    let eom = PaymentTerms::DaysEndOfMonth { days: 30, convention: EndOfMonthConvention::AddDaysThenMonthEnd };
    assert_eq!(b.invoice.terms, eom);
    assert_eq!(instalments(&b), [pair("2010-01-31", "729.00")], "15 Dec + 30 days, then to the month's end");
}

/// The UBL example with two instalment `PaymentTerms`, the first with `first` inside.
fn ubl_two_due_dates(first: &str, second: &str) -> EInvoice {
    let terms = format!(
        "<cbc:PaymentDueDate>2010-01-14</cbc:PaymentDueDate>{first}</cac:PaymentTerms>\
         <cac:PaymentTerms><cbc:PaymentDueDate>2010-02-13</cbc:PaymentDueDate>{second}"
    );
    read_one(&edited(UBL, UBL_NOTE, &terms))
}

#[test]
fn several_due_dates_become_instalment_terms_with_the_documents_dates() {
    let b = books(&ubl_two_due_dates("", ""));
    assert_eq!(b.invoice.terms, PaymentTerms::Instalments { days: vec![30, 60] });
    assert_eq!(instalments(&b), [pair("2010-01-14", "364.50"), pair("2010-02-13", "364.50")]);

    let b = books(&ubl_two_due_dates("<cbc:Amount currencyID=\"EUR\">100</cbc:Amount>", ""));
    assert_eq!(instalments(&b), [pair("2010-01-14", "100.00"), pair("2010-02-13", "629.00")], "the rest");

    let b = books(&ubl_two_due_dates(
        "<cbc:Amount currencyID=\"EUR\">729</cbc:Amount>",
        "<cbc:Amount currencyID=\"EUR\">0</cbc:Amount>",
    ));
    assert_eq!(instalments(&b), [pair("2010-01-14", "729.00"), pair("2010-02-13", "0.00")], "exactly as stated");

    let facturae = "facturae/omeuid-viewer__Facturae-3.2.2-valid.xml";
    let text = String::from_utf8(fixture(facturae)).unwrap().replace(
        "</Installment>",
        "</Installment><Installment><InstallmentDueDate>2013-06-29</InstallmentDueDate>\
         <InstallmentAmount>33.03</InstallmentAmount></Installment>",
    );
    let b = books(&read_one(text.replace("<InstallmentAmount>66.03", "<InstallmentAmount>33.00").as_bytes()));
    assert_eq!(b.invoice.terms, PaymentTerms::Instalments { days: vec![30, 60] });
    assert_eq!(instalments(&b), [pair("2013-05-30", "33.00"), pair("2013-06-29", "33.03")]);
}

#[test]
fn instalments_beyond_what_is_payable_are_refused_and_a_shortfall_falls_on_the_last_date() {
    let e = ubl_two_due_dates("<cbc:Amount currencyID=\"EUR\">800</cbc:Amount>", "");
    assert_eq!(refused(&e), "/Invoice/PaymentTerms: the instalments add up to 800.00 but the amount payable is 729.00");
    // the whole invoice is owed: what the schedule leaves out is due with its last instalment
    let e = ubl_two_due_dates(
        "<cbc:Amount currencyID=\"EUR\">300</cbc:Amount>",
        "<cbc:Amount currencyID=\"EUR\">400</cbc:Amount>",
    );
    let b = books(&e);
    assert_eq!(instalments(&b), [pair("2010-01-14", "300.00"), pair("2010-02-13", "429.00")]);
    assert!(
        b.notes[0].starts_with("the payment schedule covers 700.00 of the 729.00 payable: the other 29.00"),
        "{:?}",
        b.notes
    );
    let bytes = edited("fatturapa/IT01234567890_FPA01.xml", "<ImportoPagamento>6.10", "<ImportoPagamento>6.00");
    assert_eq!(instalments(&books(&read_one(&bytes))), [pair("2017-02-18", "6.10")]);
}

#[test]
fn a_tax_percentage_that_is_no_rate_is_refused_naming_the_line() {
    let bytes = edited_after(UBL, "<cbc:Name>Labtop computer</cbc:Name>", "<cbc:Percent>20<", "<cbc:Percent>twenty<");
    assert_eq!(
        refused(&read_one(&bytes)),
        "/Invoice/InvoiceLine[1]/Item/ClassifiedTaxCategory/Percent: line 1: tax percentage \"twenty\" is not a rate \
         from 0 to 100 such as 21 or 10.5"
    );
    let bytes = edited_after(UBL, "Returned \"Advanced computing\" book", "<cbc:Percent>10<", "<cbc:Percent>10.5<");
    assert_eq!(books(&read_one(&bytes)).invoice.lines[1].tax_rate_basis_points, 1050);
    let credit = "ubl/UBL-CreditNote-2.1-Example.xml";
    let bytes = edited_after(credit, "<cac:CreditNoteLine>", "<cbc:Percent>20<", "<cbc:Percent>-20<");
    assert!(
        refused(&read_one(&bytes)).starts_with("/CreditNote/CreditNoteLine[1]/Item/ClassifiedTaxCategory/Percent: "),
        "{}",
        refused(&read_one(&bytes))
    );
}

#[test]
fn an_invalid_buyer_email_is_left_out_with_a_note() {
    let bytes = edited(UBL, "john@buyercompany.eu", "john(at)buyercompany.eu");
    let b = books(&read_one(&bytes));
    let contact = &b.customer.contacts[0];
    assert_eq!(
        (contact.name.as_str(), contact.email.as_ref(), contact.phone.as_deref()),
        ("John X", None, Some("5121230"))
    );
    assert!(b.notes.iter().any(|n| n.starts_with("the buyer's e-mail is left out: ")), "{:?}", b.notes);
}

#[test]
fn customer_codes_are_normalised_tax_ids_with_the_country_prefix() {
    let code = |tax_id: Option<&str>, id: Option<&str>, buyer_country: Option<&str>| {
        let mut e = one(UBL);
        e.buyer.tax_id = tax_id.map(str::to_owned);
        e.buyer.id = id.map(str::to_owned);
        e.buyer.country = buyer_country.map(str::to_owned);
        for_books(&e, country("ES")).map(|b| (b.customer.code.to_string(), b.customer.country.to_string()))
    };
    let ok = |code: &str, country: &str| Ok::<_, Rejected>((code.to_owned(), country.to_owned()));
    assert_eq!(code(Some(" be 0123.456.789 "), None, Some("BE")), ok("BE0123456789", "BE"));
    assert_eq!(code(Some("0123456789"), None, Some("BE")), ok("BE0123456789", "BE"));
    assert_eq!(code(Some("NL123456789B01"), None, Some("BE")), ok("NL123456789B01", "BE"), "another country's VAT");
    assert_eq!(code(Some("RSSMRA85T10A562S"), None, Some("IT")), ok("ITRSSMRA85T10A562S", "IT"), "a codice fiscale");
    assert_eq!(code(Some("094259216"), None, Some("GR")), ok("EL094259216", "GR"), "Greece's VAT prefix");
    assert_eq!(code(Some("094259216"), None, Some("XX")), ok("094259216", "ES"), "no known country, no prefix");
    assert_eq!(code(Some(" - "), Some("0088:1234567987654"), Some("BE")), ok("0088:1234567987654", "BE"));
    assert_eq!(code(None, Some("1234567987654"), None), ok("1234567987654", "ES"));
    let long = "1".repeat(65);
    let err = code(None, Some(&long), Some("BE")).unwrap_err();
    assert_eq!(err.path, "/Invoice/AccountingCustomerParty/Party/EndpointID");
    assert!(err.reason.contains("longer than 64"), "{}", err.reason);
    let err = code(Some(&long), None, Some("BE")).unwrap_err();
    assert_eq!(err.path, "/Invoice/AccountingCustomerParty/Party/PartyTaxScheme/CompanyID");

    let mut e = one(UBL);
    e.buyer.country = Some("XX".into());
    let b = for_books(&e, country("FR")).unwrap();
    assert_eq!(b.customer.country.as_str(), "FR");
    assert!(b.notes.contains(&"the buyer's country \"XX\" is not an ISO code: FR assumed".to_owned()), "{:?}", b.notes);
}

#[test]
fn a_credit_note_or_invoice_written_negative_is_recorded_as_a_positive_credit() {
    let mut e = one("facturae/omeuid-viewer__Facturae-3.2.2-valid.xml");
    let t = &mut e.totals;
    for amount in [&mut t.lines, &mut t.tax_exclusive, &mut t.tax, &mut t.tax_inclusive, &mut t.prepaid, &mut t.payable]
    {
        *amount = amount.negate();
    }
    for line in &mut e.lines {
        line.net = line.net.negate();
    }
    e.due_dates[0].amount = e.due_dates[0].amount.map(|a| a.negate());
    // an invoice with a negative total gives money back (Peppol BIS 3.0 allows it): a credit
    let invoice = books(&e);
    assert_eq!(invoice.invoice.kind, InvoiceKind::CreditNote);
    assert_eq!(totals(&invoice), ["59.75", "8.67", "66.03"]);
    assert_eq!(
        invoice.notes[0],
        "an invoice with a negative total (-66.03) gives money back: recorded as a credit note"
    );
    e.kind = DocumentKind::CreditNote;
    let b = books(&e);
    assert_eq!(b.invoice.kind, InvoiceKind::CreditNote);
    assert_eq!(totals(&b), ["59.75", "8.67", "66.03"]);
    assert_eq!(lines(&b)[0], line("Flores de jara y brezo", "1", 33_75, 1600));
    assert_eq!(instalments(&b), [pair("2013-05-30", "66.03")]);
    assert_eq!(b.notes[0], "credit note written with negative amounts: recorded as a credit of 66.03");
}

#[test]
fn due_dates_before_issue_count_as_net_0_and_beyond_999_days_are_refused() {
    let mut e = one("fatturapa/IT01234567890_FPA01.xml");
    e.due_dates[0].due_date = d("2017-01-10");
    let b = books(&e);
    assert_eq!(b.invoice.terms, PaymentTerms::Net { days: 0 });
    assert_eq!(instalments(&b), [pair("2017-01-10", "6.10")], "the document's date is kept");
    assert_eq!(b.notes, ["due date 2017-01-10 is before the issue date 2017-01-18: counted as Net 0"]);
    e.due_dates[0].due_date = d("2020-01-18");
    assert_eq!(
        refused(&e),
        "/FatturaElettronica/FatturaElettronicaBody/DatiPagamento: due date 2020-01-18 is 1095 days after the issue \
         date 2017-01-18: more than 999 days is not a credit term"
    );
}

#[test]
fn lines_that_differ_from_the_net_total_get_a_rounding_line() {
    // FatturaPA allows the VAT summary to differ from the lines by up to 1.00
    let mut e = one("fatturapa/IT01234567890_FPA01.xml");
    e.totals.tax_exclusive = overdue_core::Money::new(5_01, e.currency);
    let b = books(&e);
    assert_eq!(lines(&b), [line("DESCRIZIONE DELLA FORNITURA", "5", 1_00, 2200), line("Rounding", "1", 1, 2200)]);
    assert_lines_add_up(&b);
    assert_eq!(b.notes, ["the lines differ from the tax-exclusive total by 0.01: a Rounding line adds it"]);
}

#[test]
fn a_quantity_that_cannot_reproduce_the_net_becomes_one_at_the_net() {
    let mut e = one("fatturapa/IT01234567890_FPA01.xml");
    e.lines[0].quantity = Some("3".into()); // 5.00 / 3 is no price in cents
    assert_eq!(lines(&books(&e))[0], line("DESCRIZIONE DELLA FORNITURA", "1", 5_00, 2200));
    e.lines[0].quantity = Some("0.333".into()); // 0.333 × 15.02 = 5.00166 → 5.00
    let b = books(&e);
    assert_eq!(b.invoice.lines[0].quantity, Quantity::parse("0.333").unwrap());
    assert_eq!(b.invoice.lines[0].unit_price_minor, 15_02);
}

#[test]
fn due_dates_at_month_ends_read_as_end_of_month_terms() {
    // issued 18 January 2017: 28 February is the end of the month 30 days on (41 days)
    let bytes = edited(
        "fatturapa/IT01234567890_FPA01.xml",
        "<DataScadenzaPagamento>2017-02-18</DataScadenzaPagamento>",
        "<DataScadenzaPagamento>2017-02-28</DataScadenzaPagamento>",
    );
    let b = books(&read_one(&bytes));
    assert_eq!(b.invoice.terms.to_string(), "30 EOM");
    assert_eq!(instalments(&b), [pair("2017-02-28", "6.10")]);
}
