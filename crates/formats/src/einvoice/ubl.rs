//! OASIS UBL 2.1 Invoice and CreditNote (and Peppol BIS Billing 3.0, which is UBL): parties,
//! lines, document allowances and charges, the monetary totals (checked as EN 16931 adds them
//! up), due dates from `DueDate`, `PaymentMeans/PaymentDueDate` or instalment `PaymentTerms`,
//! payment means with IBAN, and the buyer's references.

use super::{
    DocumentKind, DueInstalment, EInvoice, Format, Line, Party, PaymentMeans, Reader, Rejected, Totals, agree, money,
};
use crate::xml::Element;
use overdue_core::Currency;
use overdue_core::money::Money;

pub const INVOICE_NS: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
pub const CREDIT_NOTE_NS: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
/// A debit note asks for more money: a receivable, like an invoice.
pub const DEBIT_NOTE_NS: &str = "urn:oasis:names:specification:ubl:schema:xsd:DebitNote-2";
/// A freight invoice is an invoice for transport: a receivable.
pub const FREIGHT_INVOICE_NS: &str = "urn:oasis:names:specification:ubl:schema:xsd:FreightInvoice-2";

/// The root element and namespace of every UBL document read here.
pub const DOCUMENTS: [(&str, &str); 4] = [
    ("Invoice", INVOICE_NS),
    ("CreditNote", CREDIT_NOTE_NS),
    ("DebitNote", DEBIT_NOTE_NS),
    ("FreightInvoice", FREIGHT_INVOICE_NS),
];

/// Where a document's lines, their quantities and its totals are (UBL 2.1 schemas): the debit
/// note names its lines `DebitNoteLine` with `DebitedQuantity` and its totals
/// `RequestedMonetaryTotal`.
struct Layout {
    line: &'static str,
    quantity: &'static str,
    totals: &'static str,
}

fn layout(root: &str) -> Layout {
    match root {
        "CreditNote" => Layout { line: "CreditNoteLine", quantity: "CreditedQuantity", totals: "LegalMonetaryTotal" },
        "DebitNote" => Layout { line: "DebitNoteLine", quantity: "DebitedQuantity", totals: "RequestedMonetaryTotal" },
        _ => Layout { line: "InvoiceLine", quantity: "InvoicedQuantity", totals: "LegalMonetaryTotal" },
    }
}

/// Reads one UBL document.
pub fn read(root: &Element) -> Result<EInvoice, Rejected> {
    let r = Reader::new(root);
    let kind = if root.name == "CreditNote" { DocumentKind::CreditNote } else { DocumentKind::Invoice };
    let number = r.required(&["ID"])?.to_owned();
    let issue_date = r.date(&["IssueDate"])?.ok_or_else(|| r.reject(&["IssueDate"], "is missing"))?;
    let currency = currency(&r)?;
    let layout = layout(&root.name);
    let lines = lines(&r, &layout, currency)?;
    let totals = totals(&r, currency, &lines, layout.totals)?;
    Ok(EInvoice {
        format: Format::Ubl,
        kind,
        number,
        issue_date,
        currency,
        seller: party(root.at(&["AccountingSupplierParty", "Party"])),
        buyer: party(root.at(&["AccountingCustomerParty", "Party"])),
        lines,
        totals,
        due_dates: due_dates(&r, currency)?,
        cash_discounts: Vec::new(),
        terms_note: notes(root),
        payment_means: root.children_named("PaymentMeans").map(payment_means).collect(),
        buyer_reference: root.text_at(&["BuyerReference"]).map(str::to_owned),
        order_reference: root.text_at(&["OrderReference", "ID"]).map(str::to_owned),
        corrects: root.text_at(&["BillingReference", "InvoiceDocumentReference", "ID"]).map(str::to_owned),
        supply_from: r.date(&["InvoicePeriod", "StartDate"])?,
        supply_to: r.date(&["InvoicePeriod", "EndDate"])?,
        delivery_date: r.date(&["Delivery", "ActualDeliveryDate"])?,
        delivery_place: root.at(&["Delivery", "DeliveryLocation", "Address"]).and_then(address),
        warnings: Vec::new(),
    })
}

/// `DocumentCurrencyCode`, else the currency the payable amount is stated in.
fn currency(r: &Reader) -> Result<Currency, Rejected> {
    let (path, code): (&[&str], Option<&str>) = match r.root.text_at(&["DocumentCurrencyCode"]) {
        Some(code) => (&["DocumentCurrencyCode"], Some(code)),
        None => (
            &[layout(&r.root.name).totals, "PayableAmount"],
            r.root.at(&[layout(&r.root.name).totals, "PayableAmount"]).and_then(|e| e.attribute("currencyID")),
        ),
    };
    let code =
        code.ok_or_else(|| r.reject(&["DocumentCurrencyCode"], "is missing: the invoice's currency is unknown"))?;
    Currency::from_code(code).map_err(|e| r.reject(path, e.to_string()))
}

fn lines(r: &Reader, layout: &Layout, currency: Currency) -> Result<Vec<Line>, Rejected> {
    let (line_name, quantity_name) = (layout.line, layout.quantity);
    let mut lines = Vec::new();
    for (index, line) in r.root.children_named(line_name).enumerate() {
        let here = format!("{line_name}[{}]", index + 1);
        let reject = |field: &str, reason: String| Rejected { path: r.path(&[&here, field]), reason };
        let net_text =
            line.text_at(&["LineExtensionAmount"]).ok_or_else(|| reject("LineExtensionAmount", "is missing".into()))?;
        let net = money(net_text, currency).map_err(|e| reject("LineExtensionAmount", e))?;
        let (quantity, unit_code) = super::quantity(line.at(&[quantity_name]));
        lines.push(Line {
            id: line.text_at(&["ID"]).unwrap_or_default().to_owned(),
            description: super::one_line(
                line.text_at(&["Item", "Name"]).or_else(|| line.text_at(&["Item", "Description"])).unwrap_or_default(),
            ),
            quantity,
            unit_code,
            net,
            tax_percent: line.text_at(&["Item", "ClassifiedTaxCategory", "Percent"]).map(str::to_owned),
        });
    }
    if lines.is_empty() {
        return Err(r.reject(&[line_name], "the document has no lines"));
    }
    Ok(lines)
}

/// The document's own allowances (false) or charges (true), summed.
fn allowances_or_charges(r: &Reader, currency: Currency, charge: bool) -> Result<Money, Rejected> {
    let mut sum = Money::zero(currency);
    for (index, item) in r.root.children_named("AllowanceCharge").enumerate() {
        if (item.text_at(&["ChargeIndicator"]) == Some("true")) != charge {
            continue;
        }
        let here = format!("AllowanceCharge[{}]", index + 1);
        let amount = item.text_at(&["Amount"]).ok_or_else(|| r.reject(&[&here, "Amount"], "is missing"))?;
        let amount = money(amount, currency).map_err(|e| r.reject(&[&here, "Amount"], e))?;
        sum = sum.checked_add(amount).map_err(|e| r.reject(&[&here, "Amount"], e.to_string()))?;
    }
    Ok(sum)
}

/// The tax total in the document currency (a second `TaxTotal` may be in the tax currency).
fn tax(r: &Reader, currency: Currency) -> Result<Money, Rejected> {
    let path = ["TaxTotal", "TaxAmount"];
    let in_currency = r
        .root
        .children_named("TaxTotal")
        .filter_map(|t| t.child("TaxAmount"))
        .find(|amount| amount.attribute("currencyID").is_none_or(|code| code == currency.code()));
    match in_currency {
        Some(amount) => money(&amount.text, currency).map_err(|e| r.reject(&path, e)),
        None => Ok(Money::zero(currency)),
    }
}

/// The monetary totals, each checked: lines, allowances and charges, tax, prepaid and rounding
/// must add up to what is payable.
fn totals(r: &Reader, currency: Currency, lines: &[Line], group: &str) -> Result<Totals, Rejected> {
    let total = |field: &str| r.amount(&[group, field], currency);
    let overflow = |e: overdue_core::MoneyError| r.reject(&[group], e.to_string());
    let line_sum = overdue_core::money::sum(currency, lines.iter().map(|l| l.net)).map_err(overflow)?;
    let allowances = allowances_or_charges(r, currency, false)?;
    let charges = allowances_or_charges(r, currency, true)?;
    let tax = tax(r, currency)?;
    let check = |field: &str, declared: Option<Money>, computed: Money, from: &str| -> Result<Money, Rejected> {
        let declared = declared.unwrap_or(computed);
        agree(field, declared, computed, from).map_err(|reason| r.reject(&[group, field], reason))?;
        Ok(declared)
    };
    let lines_total = check("LineExtensionAmount", total("LineExtensionAmount")?, line_sum, "the sum of the lines")?;
    let allowances =
        check("AllowanceTotalAmount", total("AllowanceTotalAmount")?, allowances, "the sum of the allowances")?;
    let charges = check("ChargeTotalAmount", total("ChargeTotalAmount")?, charges, "the sum of the charges")?;
    let exclusive = add(add(lines_total, negate(allowances)), charges);
    let tax_exclusive =
        check("TaxExclusiveAmount", total("TaxExclusiveAmount")?, exclusive, "lines − allowances + charges")?;
    let prepaid = total("PrepaidAmount")?.unwrap_or(Money::zero(currency));
    let rounding = total("PayableRoundingAmount")?.unwrap_or(Money::zero(currency));
    let payable = total("PayableAmount")?.ok_or_else(|| r.reject(&[group, "PayableAmount"], "is missing"))?;
    let inclusive = add(tax_exclusive, tax);
    // EN 16931 adds the rounding to the payable amount; some senders (the OASIS examples among
    // them) put it in the tax-inclusive amount already: either adds up
    let rounded_inclusive = add(inclusive, rounding);
    let tax_inclusive = match total("TaxInclusiveAmount")? {
        Some(declared) if declared == rounded_inclusive && !rounding.is_zero() => declared,
        declared => check("TaxInclusiveAmount", declared, inclusive, "tax-exclusive amount + tax")?,
    };
    let rounding_in_inclusive = tax_inclusive != inclusive;
    let expected =
        add(add(tax_inclusive, negate(prepaid)), if rounding_in_inclusive { Money::zero(currency) } else { rounding });
    check("PayableAmount", Some(payable), expected, "tax-inclusive amount − prepaid + rounding")?;
    Ok(Totals {
        lines: lines_total,
        allowances,
        charges,
        tax_exclusive,
        tax,
        tax_inclusive,
        prepaid,
        rounding,
        payable,
    })
}

/// Sum of two amounts of one currency; the amounts come from one document and are far below
/// the limits, so an overflow saturates rather than fails (and then fails the totals check).
fn add(a: Money, b: Money) -> Money {
    a.checked_add(b).unwrap_or(Money::new(i64::MAX, a.currency()))
}

fn negate(amount: Money) -> Money {
    Money::new(amount.amount_minor().saturating_neg(), amount.currency())
}

/// Due dates: `DueDate`, instalment `PaymentTerms` (with `PaymentDueDate` and `Amount`), or the
/// `PaymentDueDate` of the payment means — the first of these the document has.
fn due_dates(r: &Reader, currency: Currency) -> Result<Vec<DueInstalment>, Rejected> {
    if let Some(due_date) = r.date(&["DueDate"])? {
        return Ok(vec![DueInstalment { due_date, amount: None }]);
    }
    let mut due = Vec::new();
    for (index, terms) in r.root.children_named("PaymentTerms").enumerate() {
        let here = format!("PaymentTerms[{}]", index + 1);
        let Some(text) = terms.text_at(&["PaymentDueDate"]) else { continue };
        let due_date =
            overdue_core::date::parse_iso(text).map_err(|e| r.reject(&[&here, "PaymentDueDate"], e.to_string()))?;
        let amount = terms
            .text_at(&["Amount"])
            .map(|a| money(a, currency).map_err(|e| r.reject(&[&here, "Amount"], e)))
            .transpose()?;
        due.push(DueInstalment { due_date, amount });
    }
    if due.is_empty() {
        for (index, means) in r.root.children_named("PaymentMeans").enumerate() {
            let here = format!("PaymentMeans[{}]", index + 1);
            let Some(text) = means.text_at(&["PaymentDueDate"]) else { continue };
            let due_date =
                overdue_core::date::parse_iso(text).map_err(|e| r.reject(&[&here, "PaymentDueDate"], e.to_string()))?;
            if !due.iter().any(|d: &DueInstalment| d.due_date == due_date) {
                due.push(DueInstalment { due_date, amount: None });
            }
        }
    }
    due.sort_by_key(|d| d.due_date);
    Ok(due)
}

fn notes(root: &Element) -> Option<String> {
    let notes: Vec<&str> = root.children_named("PaymentTerms").filter_map(|t| t.text_at(&["Note"])).collect();
    (!notes.is_empty()).then(|| notes.join("; "))
}

fn payment_means(means: &Element) -> PaymentMeans {
    let account = means.child("PayeeFinancialAccount");
    let bic = account.and_then(|a| {
        a.text_at(&["FinancialInstitutionBranch", "FinancialInstitution", "ID"])
            .or_else(|| a.text_at(&["FinancialInstitutionBranch", "ID"]))
    });
    PaymentMeans {
        code: means.text_at(&["PaymentMeansCode"]).unwrap_or_default().to_owned(),
        iban: account.and_then(|a| a.text_at(&["ID"])).map(|iban| iban.replace(' ', "")),
        bic: bic.map(str::to_owned),
        reference: means.text_at(&["PaymentID"]).map(str::to_owned),
    }
}

fn party(party: Option<&Element>) -> Party {
    let Some(p) = party else { return Party::default() };
    let text = |path: &[&str]| p.text_at(path).map(str::to_owned);
    let person = [p.text_at(&["Person", "FirstName"]), p.text_at(&["Person", "FamilyName"])]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Party {
        name: text(&["PartyLegalEntity", "RegistrationName"])
            .or_else(|| text(&["PartyName", "Name"]))
            .unwrap_or_default(),
        tax_id: text(&["PartyTaxScheme", "CompanyID"]).or_else(|| text(&["PartyLegalEntity", "CompanyID"])),
        id: text(&["EndpointID"]).or_else(|| text(&["PartyIdentification", "ID"])),
        country: text(&["PostalAddress", "Country", "IdentificationCode"]),
        address: p.child("PostalAddress").and_then(address),
        email: text(&["Contact", "ElectronicMail"]),
        phone: text(&["Contact", "Telephone"]),
        contact_name: text(&["Contact", "Name"]).or_else(|| (!person.is_empty()).then_some(person)),
    }
}

/// "Main street 1, Suite 123, 54321 Big city".
fn address(a: &Element) -> Option<String> {
    let street = [a.text_at(&["StreetName"]), a.text_at(&["BuildingNumber"])]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let city =
        [a.text_at(&["PostalZone"]), a.text_at(&["CityName"])].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let parts: Vec<String> = [Some(street), a.text_at(&["AdditionalStreetName"]).map(str::to_owned), Some(city)]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}
