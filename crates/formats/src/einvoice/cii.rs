//! UN/CEFACT Cross Industry Invoice (CII D16B), the syntax of XRechnung and Factur-X/ZUGFeRD 2,
//! read into the same EN 16931 model as UBL: the exchanged document (number, type, issue date),
//! the lines, the header trade agreement (seller, buyer, references), delivery and settlement
//! (currency, payment means with IBAN, VAT breakdown, allowances and charges, payment terms with
//! due dates and instalment amounts, the monetary summation). The totals are checked as
//! EN 16931 adds them up (BR-CO-10 to BR-CO-16), each refusal naming the element and both numbers.
//!
//! Decisions: dates are read in format 102 (`YYYYMMDD`), the only one EN 16931 allows, and also
//! when the format attribute is left out; any other format is refused. A document without lines
//! (Factur-X MINIMUM, BASIC WL) is refused: the books need lines. Lines marked `GROUP` or
//! `INFORMATION` (Factur-X EXTENDED sub-lines) do not count, as EN 16931 does not add them up.

use super::{
    CashDiscount, DocumentKind, DueInstalment, EInvoice, Format, Line, Party, PaymentMeans, Reader, Rejected, Totals,
    agree, agree_within,
};
use crate::xml::Element;
use chrono::NaiveDate;
use overdue_core::Currency;
use overdue_core::money::Money;
use overdue_core::terms::PaymentTerms;

/// The namespace of the `rsm:CrossIndustryInvoice` root (the same from D16B to D22B).
pub const NAMESPACE: &str = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";

/// UNTDID 1001 document types EN 16931 counts as credit notes (381 credit note, 261 self-billed
/// credit note, 396 factored credit note, …); every other type is an invoice (380, 384, 389, …).
const CREDIT_NOTE_TYPES: [&str; 11] = ["81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"];

const TRANSACTION: &str = "SupplyChainTradeTransaction";
const LINE_ITEM: &str = "IncludedSupplyChainTradeLineItem";
const SUMMATION: &str = "SpecifiedTradeSettlementHeaderMonetarySummation";
const ALLOWANCE_CHARGE: &str = "SpecifiedTradeAllowanceCharge";
const PAYMENT_TERMS: &str = "SpecifiedTradePaymentTerms";
const TRADE_TAX: &str = "ApplicableTradeTax";

/// The namespace of ZUGFeRD 1.0's `rsm:CrossIndustryDocument` (CII D13B as FeRD profiled it).
pub const ZUGFERD_1_NAMESPACE: &str = "urn:ferd:CrossIndustryDocument:invoice:1p0";

/// A ZUGFeRD 1.0 document with its elements named as CII D16B names them (ZUGFeRD 1.0 → 2.0
/// migration table: `HeaderExchangedDocument` → `ExchangedDocument`,
/// `ApplicableSupplyChainTrade…` → `ApplicableHeaderTrade…`, `SpecifiedSupplyChainTrade…` in a
/// line → `SpecifiedLineTrade…`, the monetary summations by where they stand), so one reader
/// reads both.
pub fn from_zugferd_1(root: &Element) -> Element {
    renamed(root, false)
}

fn renamed(element: &Element, in_line: bool) -> Element {
    let in_line = in_line || element.name == LINE_ITEM;
    let name = match (element.name.as_str(), in_line) {
        ("CrossIndustryDocument", _) => "CrossIndustryInvoice",
        ("HeaderExchangedDocument", _) => "ExchangedDocument",
        ("SpecifiedSupplyChainTradeTransaction", _) => TRANSACTION,
        ("ApplicableSupplyChainTradeAgreement", _) => "ApplicableHeaderTradeAgreement",
        ("ApplicableSupplyChainTradeDelivery", _) => "ApplicableHeaderTradeDelivery",
        ("ApplicableSupplyChainTradeSettlement", _) => "ApplicableHeaderTradeSettlement",
        ("SpecifiedSupplyChainTradeAgreement", true) => "SpecifiedLineTradeAgreement",
        ("SpecifiedSupplyChainTradeDelivery", true) => "SpecifiedLineTradeDelivery",
        ("SpecifiedSupplyChainTradeSettlement", true) => "SpecifiedLineTradeSettlement",
        ("SpecifiedTradeSettlementMonetarySummation", false) => SUMMATION,
        ("SpecifiedTradeSettlementMonetarySummation", true) => "SpecifiedTradeSettlementLineMonetarySummation",
        (other, _) => other,
    };
    Element {
        namespace: if element.name == "CrossIndustryDocument" {
            NAMESPACE.to_owned()
        } else {
            element.namespace.clone()
        },
        name: name.to_owned(),
        attributes: element.attributes.clone(),
        children: element.children.iter().map(|child| renamed(child, in_line)).collect(),
        text: element.text.clone(),
    }
}

/// Reads one CII document.
pub fn read(root: &Element) -> Result<EInvoice, Rejected> {
    let r = Reader::new(root);
    let kind = kind(&r)?;
    let number = r.required(&["ExchangedDocument", "ID"])?.to_owned();
    let issue_date = date(&r, &["ExchangedDocument", "IssueDateTime"])?
        .ok_or_else(|| r.reject(&["ExchangedDocument", "IssueDateTime"], "is missing"))?;
    let agreement = section(&r, "ApplicableHeaderTradeAgreement")?;
    let settlement = section(&r, "ApplicableHeaderTradeSettlement")?;
    let delivery = section(&r, "ApplicableHeaderTradeDelivery").ok();
    let currency = currency(&settlement)?;
    let mut warnings = Vec::new();
    let header_lines = settlement.amount(&[SUMMATION, "LineTotalAmount"], currency)?;
    let lines = lines(&r, currency, header_lines, &mut warnings)?;
    let totals = totals(&settlement, currency, &lines, &mut warnings)?;
    let reference = settlement.root.text_at(&["PaymentReference"]);
    let (due_dates, cash_discounts) = payment_terms(&settlement, currency, issue_date)?;
    let delivery_date = match &delivery {
        Some(d) => date(d, &["ActualDeliverySupplyChainEvent", "OccurrenceDateTime"])?,
        None => None,
    };
    Ok(EInvoice {
        format: Format::Cii,
        kind,
        number,
        issue_date,
        currency,
        seller: party(&agreement, "SellerTradeParty")?,
        buyer: party(&agreement, "BuyerTradeParty")?,
        lines,
        totals,
        due_dates,
        cash_discounts,
        terms_note: terms_note(settlement.root),
        payment_means: settlement
            .root
            .children_named("SpecifiedTradeSettlementPaymentMeans")
            .map(|means| payment_means(means, reference))
            .collect(),
        buyer_reference: agreement.root.text_at(&["BuyerReference"]).map(str::to_owned),
        order_reference: agreement
            .root
            .text_at(&["BuyerOrderReferencedDocument", "IssuerAssignedID"])
            .map(str::to_owned),
        corrects: settlement.root.text_at(&["InvoiceReferencedDocument", "IssuerAssignedID"]).map(str::to_owned),
        supply_from: date(&settlement, &["BillingSpecifiedPeriod", "StartDateTime"])?,
        supply_to: date(&settlement, &["BillingSpecifiedPeriod", "EndDateTime"])?,
        delivery_date,
        delivery_place: delivery.and_then(|d| d.root.at(&["ShipToTradeParty", "PostalTradeAddress"])).and_then(address),
        warnings,
    })
}

/// A reader rooted at one of the transaction's header sections, with its full path.
fn section<'a>(r: &Reader<'a>, name: &str) -> Result<Reader<'a>, Rejected> {
    let element = r.root.at(&[TRANSACTION, name]).ok_or_else(|| r.reject(&[TRANSACTION, name], "is missing"))?;
    Ok(Reader { root: element, root_path: r.path(&[TRANSACTION, name]) })
}

/// Credit note or invoice from the UNTDID 1001 `TypeCode`.
fn kind(r: &Reader) -> Result<DocumentKind, Rejected> {
    let path = ["ExchangedDocument", "TypeCode"];
    let code = r.required(&path)?;
    if code.len() > 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        let reason = format!("{code:?} is not a UNTDID 1001 document type such as 380 (invoice) or 381 (credit note)");
        return Err(r.reject(&path, reason));
    }
    Ok(if CREDIT_NOTE_TYPES.contains(&code) { DocumentKind::CreditNote } else { DocumentKind::Invoice })
}

/// The date of a CII date element (`IssueDateTime`, `DueDateDateTime`, …): its `DateTimeString`
/// in format 102. `None` when the element is absent.
fn date(r: &Reader, path: &[&str]) -> Result<Option<NaiveDate>, Rejected> {
    let Some(element) = r.root.at(path) else { return Ok(None) };
    let mut at = path.to_vec();
    at.push("DateTimeString");
    let string = element.child("DateTimeString").filter(|s| !s.text.is_empty());
    let string = string.ok_or_else(|| r.reject(&at, "is missing or empty"))?;
    match string.attribute("format") {
        None | Some("102") => {}
        // UN/EDIFACT 2379 format 610, a month (CCYYMM, ZUGFeRD 1.0 delivery periods): its last day
        Some("610") => {
            let month = yyyymmdd(&format!("{}01", string.text)).map(overdue_core::date::end_of_month);
            let reason = || format!("{:?} is not a month in format 610: expected YYYYMM", string.text);
            return month.map(Some).ok_or_else(|| r.reject(&at, reason()));
        }
        Some(other) => {
            let reason = format!(
                "date format {other:?} is not read: EN 16931 writes dates in format \"102\" (YYYYMMDD, e.g. 20240131)"
            );
            return Err(r.reject(&at, reason));
        }
    }
    let reason = || format!("{:?} is not a date in format 102: expected YYYYMMDD between 1900 and 2999", string.text);
    yyyymmdd(&string.text).map(Some).ok_or_else(|| r.reject(&at, reason()))
}

/// "20240131" → 2024-01-31, a real calendar day within the years core accepts.
fn yyyymmdd(text: &str) -> Option<NaiveDate> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let iso = format!("{}-{}-{}", text.get(..4)?, text.get(4..6)?, text.get(6..)?);
    overdue_core::date::parse_iso(&iso).ok()
}

fn currency(settlement: &Reader) -> Result<Currency, Rejected> {
    let path = ["InvoiceCurrencyCode"];
    let code = settlement.required(&path)?;
    Currency::from_code(code).map_err(|e| settlement.reject(&path, e.to_string()))
}

/// The lines EN 16931 adds up, in document order.
/// The line items. A document of one line that states no line amount (ZUGFeRD 1.0 BASIC) takes
/// the header's line total (`header_lines`) for it, with a warning.
fn lines(
    r: &Reader,
    currency: Currency,
    header_lines: Option<Money>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Line>, Rejected> {
    let items: Vec<&Element> =
        r.root.child(TRANSACTION).into_iter().flat_map(|t| t.children_named(LINE_ITEM)).collect();
    let net_path = ["SpecifiedLineTradeSettlement", "SpecifiedTradeSettlementLineMonetarySummation", "LineTotalAmount"];
    let only_line_without_amount = items.len() == 1 && items[0].at(&net_path).is_none();
    let mut lines = Vec::new();
    if let (true, Some(total)) = (only_line_without_amount, header_lines) {
        let here = format!("{LINE_ITEM}[1]");
        let mut line = line_with(&Reader { root: items[0], root_path: r.path(&[TRANSACTION, &here]) }, 1, total);
        line.tax_percent = line.tax_percent.or_else(|| {
            r.root
                .text_at(&[TRANSACTION, "ApplicableHeaderTradeSettlement", TRADE_TAX, "RateApplicablePercent"])
                .map(str::to_owned)
        });
        warnings.push(format!(
            "its one line states no amount: the document's line total {} is taken for it",
            total.to_decimal_string()
        ));
        lines.push(line);
        return Ok(lines);
    }
    for (index, item) in items.into_iter().enumerate() {
        let status = item.text_at(&["AssociatedDocumentLineDocument", "LineStatusReasonCode"]);
        if matches!(status, Some("GROUP" | "INFORMATION")) {
            continue;
        }
        let here = format!("{LINE_ITEM}[{}]", index + 1);
        lines.push(line(&Reader { root: item, root_path: r.path(&[TRANSACTION, &here]) }, index + 1, currency)?);
    }
    if lines.is_empty() {
        let reason = "the document has no lines (Factur-X MINIMUM and BASIC WL carry none): the books need the lines \
                      of an EN 16931 invoice";
        return Err(r.reject(&[TRANSACTION, LINE_ITEM], reason));
    }
    Ok(lines)
}

/// One line item; `position` names a line without a `LineID`.
fn line(item: &Reader, position: usize, currency: Currency) -> Result<Line, Rejected> {
    let net_path = ["SpecifiedLineTradeSettlement", "SpecifiedTradeSettlementLineMonetarySummation", "LineTotalAmount"];
    let net = item.amount(&net_path, currency)?.ok_or_else(|| item.reject(&net_path, "is missing"))?;
    Ok(line_with(item, position, net))
}

/// The line item with its net amount.
fn line_with(item: &Reader, position: usize, net: Money) -> Line {
    let e = item.root;
    let (quantity, unit_code) = super::quantity(e.at(&["SpecifiedLineTradeDelivery", "BilledQuantity"]));
    Line {
        id: e
            .text_at(&["AssociatedDocumentLineDocument", "LineID"])
            .map_or_else(|| position.to_string(), str::to_owned),
        description: super::one_line(
            e.text_at(&["SpecifiedTradeProduct", "Name"])
                .or_else(|| e.text_at(&["SpecifiedTradeProduct", "Description"]))
                .unwrap_or_default(),
        ),
        quantity,
        unit_code,
        net,
        tax_percent: e
            .text_at(&["SpecifiedLineTradeSettlement", TRADE_TAX, "RateApplicablePercent"])
            .map(str::to_owned),
    }
}

/// The monetary summation, each total checked: the lines, allowances and charges give the tax
/// basis, the basis and tax the grand total, and the grand total less prepaid plus rounding what
/// is payable (EN 16931 BR-CO-10 to BR-CO-16); the VAT breakdown must give the basis and the tax.
fn totals(s: &Reader, currency: Currency, lines: &[Line], warnings: &mut Vec<String>) -> Result<Totals, Rejected> {
    let zero = Money::zero(currency);
    let optional = |field: &str| s.amount(&[SUMMATION, field], currency);
    let required = |field: &str| optional(field)?.ok_or_else(|| s.reject(&[SUMMATION, field], "is missing"));
    let check = |field: &str, declared: Money, computed: Money, from: &str| {
        agree(field, declared, computed, from).map_err(|reason| s.reject(&[SUMMATION, field], reason))
    };
    let sum = |field: &str, parts: &[Money]| {
        overdue_core::money::sum(currency, parts.iter().copied())
            .map_err(|e| s.reject(&[SUMMATION, field], e.to_string()))
    };
    let (allowances_sum, charges_sum) = allowances_and_charges(s, currency)?;
    let lines_total = required("LineTotalAmount")?;
    let line_sum = sum("LineTotalAmount", &lines.iter().map(|l| l.net).collect::<Vec<_>>())?;
    check("LineTotalAmount", lines_total, line_sum, "the sum of the lines")?;
    let allowances = optional("AllowanceTotalAmount")?.unwrap_or(allowances_sum);
    check("AllowanceTotalAmount", allowances, allowances_sum, "the sum of the allowances")?;
    let charges = optional("ChargeTotalAmount")?.unwrap_or(charges_sum);
    check("ChargeTotalAmount", charges, charges_sum, "the sum of the charges")?;
    // ZUGFeRD 1.0 BASIC states no tax basis nor amount due: they are what the chain gives
    let basis = sum("TaxBasisTotalAmount", &[lines_total, allowances.negate(), charges])?;
    let tax_exclusive = optional("TaxBasisTotalAmount")?.unwrap_or(basis);
    check("TaxBasisTotalAmount", tax_exclusive, basis, "lines − allowances + charges")?;
    let rates = s.root.children_named(TRADE_TAX).count() as i64;
    if let Some(breakdown) = breakdown(s, currency, "BasisAmount")? {
        let soft = agree_within("TaxBasisTotalAmount", (tax_exclusive, breakdown), "the VAT breakdown", rates)
            .map_err(|reason| s.reject(&[SUMMATION, "TaxBasisTotalAmount"], reason))?;
        warnings.extend(soft);
    }
    let tax = tax(s, currency, warnings)?;
    let tax_inclusive = required("GrandTotalAmount")?;
    check("GrandTotalAmount", tax_inclusive, sum("GrandTotalAmount", &[tax_exclusive, tax])?, "tax basis + tax")?;
    let prepaid = optional("TotalPrepaidAmount")?.unwrap_or(zero);
    let rounding = optional("RoundingAmount")?.unwrap_or(zero);
    let expected = sum("DuePayableAmount", &[tax_inclusive, prepaid.negate(), rounding])?;
    let payable = optional("DuePayableAmount")?.unwrap_or(expected);
    check("DuePayableAmount", payable, expected, "grand total − prepaid + rounding")?;
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

/// The document-level allowances and charges, each summed.
fn allowances_and_charges(s: &Reader, currency: Currency) -> Result<(Money, Money), Rejected> {
    let (mut allowances, mut charges) = (Money::zero(currency), Money::zero(currency));
    for (index, element) in s.root.children_named(ALLOWANCE_CHARGE).enumerate() {
        let here = format!("{ALLOWANCE_CHARGE}[{}]", index + 1);
        let item = Reader { root: element, root_path: s.path(&[&here]) };
        let indicator = ["ChargeIndicator", "Indicator"];
        let sum = match item.required(&indicator)? {
            "true" | "1" => &mut charges,
            "false" | "0" => &mut allowances,
            other => {
                let reason = format!("{other:?} is neither true (charge) nor false (allowance)");
                return Err(item.reject(&indicator, reason));
            }
        };
        let path = ["ActualAmount"];
        let amount = item.amount(&path, currency)?.ok_or_else(|| item.reject(&path, "is missing"))?;
        *sum = sum.checked_add(amount).map_err(|e| item.reject(&path, e.to_string()))?;
    }
    Ok((allowances, charges))
}

/// The sum of one amount over the VAT breakdown (`ApplicableTradeTax`); `None` without one.
fn breakdown(s: &Reader, currency: Currency, field: &str) -> Result<Option<Money>, Rejected> {
    let mut total = None;
    for (index, element) in s.root.children_named(TRADE_TAX).enumerate() {
        let here = format!("{TRADE_TAX}[{}]", index + 1);
        let tax = Reader { root: element, root_path: s.path(&[&here]) };
        let amount = tax.amount(&[field], currency)?.ok_or_else(|| tax.reject(&[field], "is missing"))?;
        let sum = total.unwrap_or(Money::zero(currency)).checked_add(amount);
        total = Some(sum.map_err(|e| tax.reject(&[field], e.to_string()))?);
    }
    Ok(total)
}

/// The tax total in the invoice currency (a second `TaxTotalAmount` may be in the VAT
/// accounting currency), which the VAT breakdown must give (BR-CO-14); without a declared
/// total, the breakdown's.
fn tax(s: &Reader, currency: Currency, warnings: &mut Vec<String>) -> Result<Money, Rejected> {
    let path = [SUMMATION, "TaxTotalAmount"];
    let declared = s
        .root
        .child(SUMMATION)
        .into_iter()
        .flat_map(|m| m.children_named("TaxTotalAmount"))
        .find(|amount| amount.attribute("currencyID").is_none_or(|code| code == currency.code()))
        .map(|amount| super::money(&amount.text, currency).map_err(|e| s.reject(&path, e)))
        .transpose()?;
    let breakdown = breakdown(s, currency, "CalculatedAmount")?;
    match (declared, breakdown) {
        (Some(declared), Some(breakdown)) => {
            let rates = s.root.children_named(TRADE_TAX).count() as i64;
            let soft = agree_within("TaxTotalAmount", (declared, breakdown), "the VAT breakdown", rates)
                .map_err(|reason| s.reject(&path, reason))?;
            warnings.extend(soft);
            Ok(declared)
        }
        (declared, breakdown) => Ok(declared.or(breakdown).unwrap_or(Money::zero(currency))),
    }
}

/// Each payment term's due date with its partial amount, if any, and the early-payment discounts
/// offered, both by date. A term whose description names a discount ("Zahlbar mit 2% Skonto bis",
/// ZUGFeRD EXTENDED) gives the discount's deadline, not a due date; discount terms with a period
/// (`ApplicableTradePaymentDiscountTerms/BasisPeriodMeasure`, from `BasisDateTime` or the issue
/// date) leave the term's own date as the net due date.
fn payment_terms(
    s: &Reader,
    currency: Currency,
    issue_date: NaiveDate,
) -> Result<(Vec<DueInstalment>, Vec<CashDiscount>), Rejected> {
    let (mut due, mut discounts) = (Vec::new(), Vec::new());
    for (index, element) in s.root.children_named(PAYMENT_TERMS).enumerate() {
        let here = format!("{PAYMENT_TERMS}[{}]", index + 1);
        let terms = Reader { root: element, root_path: s.path(&[&here]) };
        let due_date = date(&terms, &["DueDateDateTime"])?;
        let (discount, date_is_deadline) = cash_discount(&terms, due_date, issue_date)?;
        discounts.extend(discount);
        let Some(due_date) = due_date.filter(|_| !date_is_deadline) else { continue };
        let amount = terms.amount(&["PartialPaymentAmount"], currency)?;
        due.push(DueInstalment { due_date, amount });
    }
    due.sort_by_key(|d| d.due_date);
    discounts.sort_by_key(|d| d.until);
    Ok((due, discounts))
}

/// The cash discount one payment term offers, and whether the term's own date is the discount's
/// deadline (true for a discount named only in the description).
fn cash_discount(
    terms: &Reader,
    due_date: Option<NaiveDate>,
    issue_date: NaiveDate,
) -> Result<(Option<CashDiscount>, bool), Rejected> {
    const DISCOUNT: &str = "ApplicableTradePaymentDiscountTerms";
    let description = terms.root.text_at(&["Description"]);
    if let Some(text) = terms.root.text_at(&[DISCOUNT, "CalculationPercent"]) {
        let path = [DISCOUNT, "CalculationPercent"];
        let discount_basis_points = overdue_core::terms::percent_basis_points(text)
            .ok_or_else(|| terms.reject(&path, format!("{text:?} is not a percentage above 0 and below 100")))?;
        let basis = date(terms, &[DISCOUNT, "BasisDateTime"])?.unwrap_or(issue_date);
        let period = terms.root.child(DISCOUNT).and_then(|d| d.child("BasisPeriodMeasure")).and_then(period_days);
        return Ok(match period {
            Some(days) => (Some(CashDiscount { until: basis + chrono::Days::new(days), discount_basis_points }), false),
            None => (due_date.map(|until| CashDiscount { until, discount_basis_points }), true),
        });
    }
    let whole_terms = description.is_some_and(|text| PaymentTerms::parse(text).is_ok());
    let named = description.filter(|_| !whole_terms).and_then(overdue_core::terms::discount_percent_in);
    Ok(match (named, due_date) {
        (Some((discount_basis_points, _)), Some(until)) => (Some(CashDiscount { until, discount_basis_points }), true),
        _ => (None, false),
    })
}

/// A period in days (UN/ECE Rec. 20 unit `DAY`, or `WEE` weeks); `None` for months or text.
fn period_days(measure: &Element) -> Option<u64> {
    let whole = measure.text.trim().split('.').next()?.parse::<u64>().ok()?;
    match measure.attribute("unitCode") {
        None | Some("DAY") => Some(whole),
        Some("WEE") => whole.checked_mul(7),
        _ => None,
    }
}

/// The payment terms' descriptions, joined.
fn terms_note(settlement: &Element) -> Option<String> {
    let notes: Vec<&str> =
        settlement.children_named(PAYMENT_TERMS).filter_map(|t| t.text_at(&["Description"])).collect();
    (!notes.is_empty()).then(|| notes.join("; "))
}

/// One payment means; the document's payment reference is the one to quote whatever the means.
fn payment_means(means: &Element, reference: Option<&str>) -> PaymentMeans {
    PaymentMeans {
        code: means.text_at(&["TypeCode"]).unwrap_or_default().to_owned(),
        iban: means.text_at(&["PayeePartyCreditorFinancialAccount", "IBANID"]).map(|iban| iban.replace(' ', "")),
        bic: means.text_at(&["PayeeSpecifiedCreditorFinancialInstitution", "BICID"]).map(str::to_owned),
        reference: reference.map(str::to_owned),
    }
}

/// The seller or buyer (`name` is the trade party element), which must have a name.
fn party(agreement: &Reader, name: &str) -> Result<Party, Rejected> {
    let p = agreement.root.child(name).ok_or_else(|| agreement.reject(&[name], "is missing"))?;
    let legal_name = Reader { root: p, root_path: agreement.path(&[name]) }.required(&["Name"])?.to_owned();
    let text = |path: &[&str]| p.text_at(path).map(str::to_owned);
    let electronic = p.at(&["URIUniversalCommunication", "URIID"]).filter(|uri| !uri.text.is_empty());
    let is_email = |uri: &&Element| uri.attribute("schemeID") == Some("EM");
    let registrations: Vec<&Element> = p.children_named("SpecifiedTaxRegistration").collect();
    let vat = registrations.iter().find(|t| t.child("ID").and_then(|id| id.attribute("schemeID")) == Some("VA"));
    let tax_id = vat.or(registrations.first()).and_then(|t| t.text_at(&["ID"])).map(str::to_owned);
    Ok(Party {
        name: legal_name,
        tax_id: tax_id.or_else(|| text(&["SpecifiedLegalOrganization", "ID"])),
        id: text(&["ID"])
            .or_else(|| text(&["GlobalID"]))
            .or_else(|| electronic.filter(|uri| !is_email(uri)).map(|uri| uri.text.clone())),
        country: text(&["PostalTradeAddress", "CountryID"]),
        address: p.child("PostalTradeAddress").and_then(address),
        email: text(&["DefinedTradeContact", "EmailURIUniversalCommunication", "URIID"])
            .or_else(|| electronic.filter(is_email).map(|uri| uri.text.clone())),
        phone: text(&["DefinedTradeContact", "TelephoneUniversalCommunication", "CompleteNumber"]),
        contact_name: text(&["DefinedTradeContact", "PersonName"])
            .or_else(|| text(&["DefinedTradeContact", "DepartmentName"])),
    })
}

/// "Main street 1, Building B, 54321 Big city".
fn address(a: &Element) -> Option<String> {
    let city = [a.text_at(&["PostcodeCode"]), a.text_at(&["CityName"])].into_iter().flatten().collect::<Vec<_>>();
    let city = city.join(" ");
    let parts: Vec<&str> = [a.text_at(&["LineOne"]), a.text_at(&["LineTwo"]), a.text_at(&["LineThree"])]
        .into_iter()
        .flatten()
        .chain([city.as_str()])
        .filter(|part| !part.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}
