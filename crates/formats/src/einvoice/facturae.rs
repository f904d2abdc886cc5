//! Facturae 3.0 to 3.2.2 (Spain), under every namespace URI in use (`facturae.gob.es/formato/
//! Versiones/Facturaev3_2_x.xml` and the older `facturae.es/Facturae/2007|2009|2014/v3.x/Facturae`
//! that Spanish software still writes): one file header, the seller and buyer, and one or more
//! invoices (a batch), each with lines, taxes output and withheld, totals and instalments. The
//! XAdES signature is ignored. Totals are checked as the format defines them: the lines add up to
//! the gross amount, less general discounts plus surcharges, plus taxes (with equivalence
//! surcharge) less taxes withheld gives the invoice total; the instalments add up to what is
//! executable (what the buyer must pay).

use super::{
    DocumentKind, DueInstalment, EInvoice, Format, Line, Party, PaymentMeans, Reader, Rejected, Totals, round_scaled,
    rounded,
};
use crate::xml::Element;
use overdue_core::Currency;
use overdue_core::money::Money;

/// The namespace URIs of Facturae's versions as the schemas publish them and as software writes
/// them: `http://www.facturae.es/Facturae/{year}/v3.{minor}/Facturae` (3.0, 3.1, 3.2, 3.2.1 under
/// 2007, 2009 and 2014) and `http://www.facturae.gob.es/formato/Versiones/Facturaev3_{minor}.xml`.
pub fn is_namespace(namespace: &str) -> bool {
    let namespace = namespace.trim_end_matches('/');
    let old_form = namespace
        .strip_prefix("http://www.facturae.es/Facturae/")
        .or_else(|| namespace.strip_prefix("https://www.facturae.es/Facturae/"))
        .and_then(|rest| rest.strip_suffix("/Facturae"))
        .is_some_and(|middle| middle.split_once("/v3").is_some_and(|(year, _)| year.len() == 4));
    let new_form = [
        "http://www.facturae.gob.es/formato/Versiones/Facturaev3",
        "https://www.facturae.gob.es/formato/Versiones/Facturaev3",
    ]
    .iter()
    .any(|prefix| namespace.strip_prefix(prefix).is_some_and(|rest| rest.ends_with(".xml")));
    old_form || new_form
}

/// Every invoice of the file, each read or refused on its own.
pub fn read(root: &Element) -> Vec<Result<EInvoice, Rejected>> {
    let seller = party(root.at(&["Parties", "SellerParty"]));
    let buyer = party(root.at(&["Parties", "BuyerParty"]));
    let batch_currency = root.text_at(&["FileHeader", "Batch", "InvoiceCurrencyCode"]);
    let invoices: Vec<&Element> =
        root.at(&["Invoices"]).into_iter().flat_map(|i| i.children_named("Invoice")).collect();
    if invoices.is_empty() {
        return vec![Err(Reader::new(root).reject(&["Invoices", "Invoice"], "the file has no invoice"))];
    }
    invoices
        .into_iter()
        .enumerate()
        .map(|(index, invoice)| {
            let mut r = Reader::new(invoice);
            r.root_path = format!("/{}/Invoices/Invoice[{}]", root.name, index + 1);
            read_invoice(&r, batch_currency, seller.clone(), buyer.clone())
        })
        .collect()
}

fn read_invoice(r: &Reader, batch_currency: Option<&str>, seller: Party, buyer: Party) -> Result<EInvoice, Rejected> {
    let code_path = ["InvoiceIssueData", "InvoiceCurrencyCode"];
    let code = r.root.text_at(&code_path).or(batch_currency).ok_or_else(|| r.reject(&code_path, "is missing"))?;
    let currency = Currency::from_code(code).map_err(|e| r.reject(&code_path, e.to_string()))?;
    let number = r.required(&["InvoiceHeader", "InvoiceNumber"])?;
    let number = match r.root.text_at(&["InvoiceHeader", "InvoiceSeriesCode"]) {
        Some(series) => format!("{series}{number}"),
        None => number.to_owned(),
    };
    let lines = lines(r, currency)?;
    let totals = totals(r, currency)?;
    // a corrective invoice (factura rectificativa) is judged by its sign: a negative one gives
    // money back (a credit), a positive one asks for more (an amount owed)
    let corrective = r.root.at(&["InvoiceHeader", "Corrective"]).is_some();
    let kind =
        if corrective && totals.payable.is_negative() { DocumentKind::CreditNote } else { DocumentKind::Invoice };
    let (due_dates, payment_means) = installments(r, currency, totals.payable)?;
    Ok(EInvoice {
        format: Format::Facturae,
        kind,
        number,
        issue_date: r
            .date(&["InvoiceIssueData", "IssueDate"])?
            .ok_or_else(|| r.reject(&["InvoiceIssueData", "IssueDate"], "is missing"))?,
        currency,
        seller,
        buyer,
        lines,
        totals,
        due_dates,
        cash_discounts: Vec::new(),
        terms_note: None,
        payment_means,
        buyer_reference: r.root.text_at(&["Items", "InvoiceLine", "ReceiverContractReference"]).map(str::to_owned),
        order_reference: r.root.text_at(&["Items", "InvoiceLine", "IssuerTransactionReference"]).map(str::to_owned),
        corrects: r.root.text_at(&["InvoiceHeader", "Corrective", "InvoiceNumber"]).map(|number| {
            let series = r.root.text_at(&["InvoiceHeader", "Corrective", "InvoiceSeriesCode"]).unwrap_or("");
            format!("{series}{number}")
        }),
        supply_from: r.date(&["InvoiceIssueData", "InvoicingPeriod", "StartDate"])?,
        supply_to: r.date(&["InvoiceIssueData", "InvoicingPeriod", "EndDate"])?,
        delivery_date: r.date(&["InvoiceIssueData", "OperationDate"])?,
        delivery_place: None,
        warnings: Vec::new(),
    })
}

fn lines(r: &Reader, currency: Currency) -> Result<Vec<Line>, Rejected> {
    let mut lines = Vec::new();
    for (index, line) in r.root.at(&["Items"]).into_iter().flat_map(|i| i.children_named("InvoiceLine")).enumerate() {
        let here = format!("InvoiceLine[{}]", index + 1);
        let path = ["Items", here.as_str(), "GrossAmount"];
        let gross = line.text_at(&["GrossAmount"]).ok_or_else(|| r.reject(&path, "is missing"))?;
        lines.push(Line {
            id: line.text_at(&["SequenceNumber"]).map_or_else(|| (index + 1).to_string(), str::to_owned),
            description: line.text_at(&["ItemDescription"]).unwrap_or_default().to_owned(),
            quantity: line.text_at(&["Quantity"]).map(str::to_owned),
            unit_code: line.text_at(&["UnitOfMeasure"]).map(str::to_owned),
            net: rounded(r, &path, gross, currency)?,
            tax_percent: line.text_at(&["TaxesOutputs", "Tax", "TaxRate"]).map(str::to_owned),
        });
    }
    if lines.is_empty() {
        return Err(r.reject(&["Items", "InvoiceLine"], "the invoice has no lines"));
    }
    Ok(lines)
}

/// Sum of the taxes in `TaxesOutputs` or `TaxesWithheld` (with any equivalence surcharge).
fn taxes(r: &Reader, group: &str, currency: Currency) -> Result<i64, Rejected> {
    let mut sum = 0;
    for (index, tax) in r.root.at(&[group]).into_iter().flat_map(|g| g.children_named("Tax")).enumerate() {
        let here = format!("Tax[{}]", index + 1);
        for part in ["TaxAmount", "EquivalenceSurchargeAmount"] {
            if let Some(text) = tax.text_at(&[part, "TotalAmount"]) {
                sum += rounded(r, &[group, &here, part, "TotalAmount"], text, currency)?.amount_minor();
            }
        }
    }
    Ok(sum)
}

fn totals(r: &Reader, currency: Currency) -> Result<Totals, Rejected> {
    let field = |name: &str| -> Result<Option<Money>, Rejected> {
        let path = ["InvoiceTotals", name];
        r.root.text_at(&path).map(|t| rounded(r, &path, t, currency)).transpose()
    };
    let required = |name: &str| field(name)?.ok_or_else(|| r.reject(&["InvoiceTotals", name], "is missing"));
    let check = |name: &str, declared: Money, computed: i64, from: &str| -> Result<(), Rejected> {
        super::agree(name, declared, Money::new(computed, currency), from)
            .map_err(|reason| r.reject(&["InvoiceTotals", name], reason))
    };
    // the lines' amounts carry up to 8 decimals: add them exactly, then round once
    let exact: i64 = r
        .root
        .at(&["Items"])
        .into_iter()
        .flat_map(|i| i.children_named("InvoiceLine"))
        .filter_map(|l| l.text_at(&["GrossAmount"]).and_then(|t| overdue_core::money::parse_scaled(t, 8)))
        .sum();
    let gross = required("TotalGrossAmount")?;
    check("TotalGrossAmount", gross, round_scaled(exact, currency), "the lines")?;
    let zero = Money::zero(currency);
    let discounts = field("TotalGeneralDiscounts")?.unwrap_or(zero);
    let surcharges = field("TotalGeneralSurcharges")?.unwrap_or(zero);
    let before_taxes = required("TotalGrossAmountBeforeTaxes")?;
    let expected = gross.amount_minor() - discounts.amount_minor() + surcharges.amount_minor();
    check("TotalGrossAmountBeforeTaxes", before_taxes, expected, "gross − general discounts + surcharges")?;
    let outputs = required("TotalTaxOutputs")?;
    check("TotalTaxOutputs", outputs, taxes(r, "TaxesOutputs", currency)?, "the taxes output")?;
    let withheld = required("TotalTaxesWithheld")?;
    check("TotalTaxesWithheld", withheld, taxes(r, "TaxesWithheld", currency)?, "the taxes withheld")?;
    let total = required("InvoiceTotal")?;
    let expected = before_taxes.amount_minor() + outputs.amount_minor() - withheld.amount_minor();
    check("InvoiceTotal", total, expected, "before taxes + taxes output − taxes withheld")?;
    let executable = field("TotalExecutableAmount")?.or(field("TotalOutstandingAmount")?).unwrap_or(total);
    Ok(Totals {
        lines: gross,
        allowances: discounts,
        charges: surcharges,
        tax_exclusive: before_taxes,
        tax: outputs,
        tax_inclusive: Money::new(before_taxes.amount_minor() + outputs.amount_minor(), currency),
        prepaid: Money::new(before_taxes.amount_minor() + outputs.amount_minor() - executable.amount_minor(), currency),
        rounding: zero,
        payable: executable,
    })
}

/// Instalments: due dates and amounts, which must add up to what is executable.
fn installments(
    r: &Reader,
    currency: Currency,
    payable: Money,
) -> Result<(Vec<DueInstalment>, Vec<PaymentMeans>), Rejected> {
    let (mut due, mut means, mut sum, mut stated) = (Vec::new(), Vec::new(), 0i64, true);
    let all: Vec<&Element> =
        r.root.at(&["PaymentDetails"]).into_iter().flat_map(|p| p.children_named("Installment")).collect();
    for (index, installment) in all.iter().enumerate() {
        let here = format!("Installment[{}]", index + 1);
        let date_text = installment
            .text_at(&["InstallmentDueDate"])
            .ok_or_else(|| r.reject(&["PaymentDetails", &here, "InstallmentDueDate"], "is missing"))?;
        let due_date = overdue_core::date::parse_iso(date_text)
            .map_err(|e| r.reject(&["PaymentDetails", &here, "InstallmentDueDate"], e.to_string()))?;
        // the amount may be left out (one instalment for the whole): the books split what is payable
        let amount_path = ["PaymentDetails", here.as_str(), "InstallmentAmount"];
        let amount = installment
            .text_at(&["InstallmentAmount"])
            .map(|text| rounded(r, &amount_path, text, currency))
            .transpose()?;
        sum += amount.map_or(0, |a| a.amount_minor());
        stated &= amount.is_some();
        due.push(DueInstalment { due_date, amount });
        means.push(PaymentMeans {
            code: installment.text_at(&["PaymentMeans"]).unwrap_or_default().to_owned(),
            iban: installment.text_at(&["AccountToBeCredited", "IBAN"]).map(|i| i.replace(' ', "")),
            bic: installment.text_at(&["AccountToBeCredited", "BIC"]).map(str::to_owned),
            reference: installment.text_at(&["PaymentReconciliationReference"]).map(str::to_owned),
        });
    }
    if !all.is_empty() && stated && sum != payable.amount_minor() {
        let reason = format!(
            "the instalments add up to {} but the executable amount is {}",
            Money::new(sum, currency).to_decimal_string(),
            payable.to_decimal_string()
        );
        return Err(r.reject(&["PaymentDetails"], reason));
    }
    due.sort_by_key(|d| d.due_date);
    Ok((due, means))
}

/// ISO 3166 alpha-3 (Facturae) to alpha-2 for the countries seen most; others kept as written.
fn country(code: &str) -> String {
    match code {
        "ESP" => "ES",
        "PRT" => "PT",
        "FRA" => "FR",
        "ITA" => "IT",
        "DEU" => "DE",
        "GBR" => "GB",
        "AND" => "AD",
        "USA" => "US",
        "NLD" => "NL",
        "BEL" => "BE",
        other => other,
    }
    .to_owned()
}

fn party(party: Option<&Element>) -> Party {
    let Some(p) = party else { return Party::default() };
    let entity = p.child("LegalEntity").or_else(|| p.child("Individual"));
    let person = entity
        .map(|e| {
            ["Name", "FirstSurname", "SecondSurname"]
                .iter()
                .filter_map(|f| e.text_at(&[f]))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let address = entity.and_then(|e| e.child("AddressInSpain").or_else(|| e.child("OverseasAddress")));
    let address_text = address.map(|a| {
        [a.text_at(&["Address"]), a.text_at(&["PostCode"]).or(a.text_at(&["PostCodeAndTown"])), a.text_at(&["Town"])]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    });
    Party {
        name: entity.and_then(|e| e.text_at(&["CorporateName"])).map(str::to_owned).unwrap_or(person),
        tax_id: p.text_at(&["TaxIdentification", "TaxIdentificationNumber"]).map(str::to_owned),
        id: p.text_at(&["PartyIdentification"]).map(str::to_owned),
        country: address.and_then(|a| a.text_at(&["CountryCode"])).map(country),
        address: address_text.filter(|a| !a.is_empty()),
        email: entity.and_then(|e| e.text_at(&["ContactDetails", "ElectronicMail"])).map(str::to_owned),
        phone: entity.and_then(|e| e.text_at(&["ContactDetails", "Telephone"])).map(str::to_owned),
        contact_name: entity.and_then(|e| e.text_at(&["ContactDetails", "ContactPersons"])).map(str::to_owned),
    }
}
