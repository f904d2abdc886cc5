//! FatturaPA 1.2.x (FPA12 to public administrations, FPR12 between businesses): one header
//! (seller and buyer) and one or more bodies, each an invoice. Totals are the VAT summaries
//! (`DatiRiepilogo`), checked against the lines with the ±1 euro tolerance the SDI applies;
//! what is payable is the total less withholding tax and split-payment VAT. Due dates and amounts
//! come from `DatiPagamento` (`TP01` instalments, `TP02` full payment, `TP03` advance).

use super::{
    DocumentKind, DueInstalment, EInvoice, Format, Line, Party, PaymentMeans, Reader, Rejected, Totals,
    rounded as amount,
};
use crate::xml::Element;
use overdue_core::Currency;
use overdue_core::money::Money;

pub const NAMESPACE: &str = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2";

/// The SDI's tolerance between the VAT summaries and the lines or rates, in cents.
const TOLERANCE_MINOR: i64 = 100;

/// Every body of the file, each read or refused on its own.
pub fn read(root: &Element) -> Vec<Result<EInvoice, Rejected>> {
    let header = root.child("FatturaElettronicaHeader");
    let seller = party(header.and_then(|h| h.child("CedentePrestatore")));
    let buyer = party(header.and_then(|h| h.child("CessionarioCommittente")));
    let bodies: Vec<&Element> = root.children_named("FatturaElettronicaBody").collect();
    if bodies.is_empty() {
        let r = Reader::new(root);
        return vec![Err(r.reject(&["FatturaElettronicaBody"], "the file has no invoice body"))];
    }
    bodies
        .into_iter()
        .enumerate()
        .map(|(index, body)| {
            let mut r = Reader::new(body);
            r.root_path = format!("/{}/FatturaElettronicaBody[{}]", root.name, index + 1);
            read_body(&r, seller.clone(), buyer.clone())
        })
        .collect()
}

fn read_body(r: &Reader, seller: Party, buyer: Party) -> Result<EInvoice, Rejected> {
    fn at(field: &str) -> [&str; 3] {
        ["DatiGenerali", "DatiGeneraliDocumento", field]
    }
    let kind = match r.required(&at("TipoDocumento"))? {
        "TD04" => DocumentKind::CreditNote,
        _ => DocumentKind::Invoice,
    };
    let code = r.required(&at("Divisa"))?;
    let currency = Currency::from_code(code).map_err(|e| r.reject(&at("Divisa"), e.to_string()))?;
    let issue_date = r.date(&at("Data"))?.ok_or_else(|| r.reject(&at("Data"), "is missing"))?;
    let number = r.required(&at("Numero"))?.to_owned();
    let lines = lines(r, currency)?;
    let totals = totals(r, currency, &lines)?;
    let (due_dates, payment_means, terms_note) = payment(r, currency)?;
    let delivery = r.root.text_at(&["DatiGenerali", "DatiTrasporto", "DataOraConsegna"]);
    Ok(EInvoice {
        format: Format::FatturaPa,
        kind,
        number,
        issue_date,
        currency,
        seller,
        buyer,
        lines,
        totals,
        due_dates,
        terms_note,
        payment_means,
        buyer_reference: r.root.text_at(&["DatiGenerali", "DatiOrdineAcquisto", "CodiceCIG"]).map(str::to_owned),
        order_reference: r.root.text_at(&["DatiGenerali", "DatiOrdineAcquisto", "IdDocumento"]).map(str::to_owned),
        corrects: r.root.text_at(&["DatiGenerali", "DatiFattureCollegate", "IdDocumento"]).map(str::to_owned),
        supply_from: None,
        supply_to: None,
        delivery_date: delivery.and_then(|d| d.get(..10)).and_then(|d| overdue_core::date::parse_iso(d).ok()),
        delivery_place: None,
    })
}

fn lines(r: &Reader, currency: Currency) -> Result<Vec<Line>, Rejected> {
    let mut lines = Vec::new();
    let services = r.root.child("DatiBeniServizi");
    for (index, line) in services.into_iter().flat_map(|s| s.children_named("DettaglioLinee")).enumerate() {
        let here = format!("DettaglioLinee[{}]", index + 1);
        let path = ["DatiBeniServizi", here.as_str(), "PrezzoTotale"];
        let total = line.text_at(&["PrezzoTotale"]).ok_or_else(|| r.reject(&path, "is missing"))?;
        lines.push(Line {
            id: line.text_at(&["NumeroLinea"]).unwrap_or_default().to_owned(),
            description: line.text_at(&["Descrizione"]).unwrap_or_default().to_owned(),
            quantity: line.text_at(&["Quantita"]).map(str::to_owned),
            unit_code: line.text_at(&["UnitaMisura"]).map(str::to_owned),
            net: amount(r, &path, total, currency)?,
            tax_percent: line.text_at(&["AliquotaIVA"]).map(str::to_owned),
        });
    }
    if lines.is_empty() {
        return Err(r.reject(&["DatiBeniServizi", "DettaglioLinee"], "the invoice has no lines"));
    }
    Ok(lines)
}

/// The VAT summaries, checked per rate against the lines and the rate (±1 euro, as the SDI does).
fn totals(r: &Reader, currency: Currency, lines: &[Line]) -> Result<Totals, Rejected> {
    let zero = Money::zero(currency);
    let (mut taxable, mut tax, mut split_payment) = (0i64, 0i64, 0i64);
    let summaries: Vec<&Element> =
        r.root.child("DatiBeniServizi").into_iter().flat_map(|s| s.children_named("DatiRiepilogo")).collect();
    if summaries.is_empty() {
        return Err(r.reject(&["DatiBeniServizi", "DatiRiepilogo"], "the VAT summary is missing"));
    }
    for (index, summary) in summaries.into_iter().enumerate() {
        let here = format!("DatiRiepilogo[{}]", index + 1);
        let field = |name: &str| -> Result<Money, Rejected> {
            let path = ["DatiBeniServizi", here.as_str(), name];
            let text = summary.text_at(&[name]).ok_or_else(|| r.reject(&path, "is missing"))?;
            amount(r, &path, text, currency)
        };
        let (base, vat) = (field("ImponibileImporto")?, field("Imposta")?);
        let rate = summary.text_at(&["AliquotaIVA"]).unwrap_or("0");
        let rounding_path = ["DatiBeniServizi", here.as_str(), "Arrotondamento"];
        let rounding =
            summary.text_at(&["Arrotondamento"]).map(|t| amount(r, &rounding_path, t, currency)).transpose()?;
        let lines_at_rate: i64 = lines
            .iter()
            .filter(|l| same_rate(l.tax_percent.as_deref().unwrap_or("0"), rate))
            .map(|l| l.net.amount_minor())
            .sum::<i64>()
            + rounding.map_or(0, |m| m.amount_minor());
        within_tolerance(
            r,
            &here,
            "ImponibileImporto",
            base.amount_minor(),
            lines_at_rate,
            &format!("the lines at {rate} %"),
        )?;
        let rate_hundredths = overdue_core::money::parse_scaled(rate, 2).unwrap_or(0);
        let expected_vat = (i128::from(base.amount_minor()) * i128::from(rate_hundredths) + 5_000) / 10_000;
        within_tolerance(
            r,
            &here,
            "Imposta",
            vat.amount_minor(),
            expected_vat as i64,
            &format!("{rate} % of the taxable amount"),
        )?;
        taxable += base.amount_minor();
        tax += vat.amount_minor();
        if summary.text_at(&["EsigibilitaIVA"]) == Some("S") {
            split_payment += vat.amount_minor();
        }
    }
    let gross = taxable + tax;
    let document = ["DatiGenerali", "DatiGeneraliDocumento", "ImportoTotaleDocumento"];
    if let Some(text) = r.root.text_at(&document) {
        let declared = amount(r, &document, text, currency)?;
        if (declared.amount_minor() - gross).abs() > TOLERANCE_MINOR {
            let reason = format!(
                "ImportoTotaleDocumento is {} but the VAT summaries add up to {}",
                declared.to_decimal_string(),
                Money::new(gross, currency).to_decimal_string()
            );
            return Err(r.reject(&document, reason));
        }
    }
    let withheld = withholding(r, currency)? + split_payment;
    let line_total = lines.iter().map(|l| l.net.amount_minor()).sum();
    let money = |minor| Money::new(minor, currency);
    Ok(Totals {
        lines: money(line_total),
        allowances: zero,
        charges: zero,
        tax_exclusive: money(taxable),
        tax: money(tax),
        tax_inclusive: money(gross),
        prepaid: money(withheld),
        rounding: zero,
        payable: money(gross - withheld),
    })
}

/// Withholding tax (`DatiRitenuta`, one block or several since 1.2.2): the buyer pays it to the
/// state, not to the seller.
fn withholding(r: &Reader, currency: Currency) -> Result<i64, Rejected> {
    let document = r.root.at(&["DatiGenerali", "DatiGeneraliDocumento"]);
    let mut sum = 0;
    for block in document.into_iter().flat_map(|d| d.children_named("DatiRitenuta")) {
        let path = ["DatiGenerali", "DatiGeneraliDocumento", "DatiRitenuta", "ImportoRitenuta"];
        if let Some(text) = block.text_at(&["ImportoRitenuta"]) {
            sum += amount(r, &path, text, currency)?.amount_minor();
        }
    }
    Ok(sum)
}

fn same_rate(a: &str, b: &str) -> bool {
    overdue_core::money::parse_scaled(a, 2) == overdue_core::money::parse_scaled(b, 2)
}

fn within_tolerance(
    r: &Reader,
    here: &str,
    field: &str,
    declared: i64,
    computed: i64,
    from: &str,
) -> Result<(), Rejected> {
    if (declared - computed).abs() <= TOLERANCE_MINOR {
        return Ok(());
    }
    let show = |minor: i64| overdue_core::money::format_minor(minor, 2);
    Err(r.reject(
        &["DatiBeniServizi", here, field],
        format!("{field} is {} but {from} gives {} (more than the 1.00 tolerance)", show(declared), show(computed)),
    ))
}

type Payment = (Vec<DueInstalment>, Vec<PaymentMeans>, Option<String>);

/// Due dates, amounts and means from every `DatiPagamento` block.
fn payment(r: &Reader, currency: Currency) -> Result<Payment, Rejected> {
    let (mut due, mut means, mut conditions) = (Vec::new(), Vec::new(), Vec::new());
    for (block_index, block) in r.root.children_named("DatiPagamento").enumerate() {
        if let Some(condition) = block.text_at(&["CondizioniPagamento"]) {
            conditions.push(match condition {
                "TP01" => "TP01 pagamento a rate",
                "TP02" => "TP02 pagamento completo",
                "TP03" => "TP03 anticipo",
                other => other,
            });
        }
        for (index, detail) in block.children_named("DettaglioPagamento").enumerate() {
            let here = format!("DatiPagamento[{}]/DettaglioPagamento[{}]", block_index + 1, index + 1);
            let date = detail
                .text_at(&["DataScadenzaPagamento"])
                .map(|d| {
                    overdue_core::date::parse_iso(d)
                        .map_err(|e| r.reject(&[&here, "DataScadenzaPagamento"], e.to_string()))
                })
                .transpose()?;
            let amount = detail
                .text_at(&["ImportoPagamento"])
                .map(|a| amount(r, &[&here, "ImportoPagamento"], a, currency))
                .transpose()?;
            if let Some(due_date) = date {
                due.push(DueInstalment { due_date, amount });
            }
            means.push(PaymentMeans {
                code: detail.text_at(&["ModalitaPagamento"]).unwrap_or_default().to_owned(),
                iban: detail.text_at(&["IBAN"]).map(|i| i.replace(' ', "")),
                bic: detail.text_at(&["BIC"]).map(str::to_owned),
                reference: detail.text_at(&["CodicePagamento"]).map(str::to_owned),
            });
        }
    }
    due.sort_by_key(|d| d.due_date);
    let note = (!conditions.is_empty()).then(|| conditions.join("; "));
    Ok((due, means, note))
}

fn party(party: Option<&Element>) -> Party {
    let Some(p) = party else { return Party::default() };
    let personal = ["Nome", "Cognome"]
        .iter()
        .filter_map(|f| p.text_at(&["DatiAnagrafici", "Anagrafica", f]))
        .collect::<Vec<_>>()
        .join(" ");
    let vat = match (
        p.text_at(&["DatiAnagrafici", "IdFiscaleIVA", "IdPaese"]),
        p.text_at(&["DatiAnagrafici", "IdFiscaleIVA", "IdCodice"]),
    ) {
        (Some(country), Some(code)) => Some(format!("{country}{code}")),
        _ => None,
    };
    let address = [
        p.text_at(&["Sede", "Indirizzo"]),
        p.text_at(&["Sede", "NumeroCivico"]),
        p.text_at(&["Sede", "CAP"]),
        p.text_at(&["Sede", "Comune"]),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    Party {
        name: p.text_at(&["DatiAnagrafici", "Anagrafica", "Denominazione"]).map(str::to_owned).unwrap_or(personal),
        tax_id: vat.clone().or_else(|| p.text_at(&["DatiAnagrafici", "CodiceFiscale"]).map(str::to_owned)),
        id: p.text_at(&["DatiAnagrafici", "CodiceFiscale"]).map(str::to_owned).or(vat),
        country: p.text_at(&["Sede", "Nazione"]).map(str::to_owned),
        address: (!address.is_empty()).then_some(address),
        email: p.text_at(&["Contatti", "Email"]).map(str::to_owned),
        phone: p.text_at(&["Contatti", "Telefono"]).map(str::to_owned),
        contact_name: None,
    }
}
