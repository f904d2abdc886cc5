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
    let kind = document_kind(r, r.required(&at("TipoDocumento"))?)?;
    let code = r.required(&at("Divisa"))?;
    let currency = Currency::from_code(code).map_err(|e| r.reject(&at("Divisa"), e.to_string()))?;
    let issue_date = r.date(&at("Data"))?.ok_or_else(|| r.reject(&at("Data"), "is missing"))?;
    let number = r.required(&at("Numero"))?.to_owned();
    let lines = lines(r, currency)?;
    let mut warnings = Vec::new();
    let totals = totals(r, currency, &lines, &mut warnings)?;
    let (due_dates, payment_means, terms_note) = payment(r, currency, issue_date)?;
    warnings.extend(stated_penalties(r));
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
        cash_discounts: Vec::new(),
        terms_note,
        payment_means,
        buyer_reference: r.root.text_at(&["DatiGenerali", "DatiOrdineAcquisto", "CodiceCIG"]).map(str::to_owned),
        order_reference: r.root.text_at(&["DatiGenerali", "DatiOrdineAcquisto", "IdDocumento"]).map(str::to_owned),
        corrects: r.root.text_at(&["DatiGenerali", "DatiFattureCollegate", "IdDocumento"]).map(str::to_owned),
        supply_from: None,
        supply_to: None,
        delivery_date: delivery.and_then(|d| d.get(..10)).and_then(|d| overdue_core::date::parse_iso(d).ok()),
        delivery_place: None,
        warnings,
    })
}

/// What a `TipoDocumento` is to the seller (Specifiche tecniche 1.2.x, table of document types):
/// a receivable (TD01 invoice, TD02/TD03 advances, TD05/TD09 debit notes, TD06 fee note, TD07
/// simplified invoice, TD24/TD25 deferred invoices, TD26 sale of depreciable goods), a credit
/// (TD04 credit note, TD08 simplified credit note), or not ours to chase: the self-invoices a
/// buyer issues to itself for VAT (TD16–TD23, TD27, TD28) are refused with that reason.
fn document_kind(r: &Reader, code: &str) -> Result<DocumentKind, Rejected> {
    let at = ["DatiGenerali", "DatiGeneraliDocumento", "TipoDocumento"];
    match code {
        "TD01" | "TD02" | "TD03" | "TD05" | "TD06" | "TD07" | "TD09" | "TD24" | "TD25" | "TD26" => {
            Ok(DocumentKind::Invoice)
        }
        "TD04" | "TD08" => Ok(DocumentKind::CreditNote),
        "TD16" | "TD17" | "TD18" | "TD19" | "TD20" | "TD21" | "TD22" | "TD23" | "TD27" | "TD28" => Err(r.reject(
            &at,
            format!(
                "{code} is a self-invoice (autofattura / integrazione) the buyer issues to itself for VAT: there is \
                 nothing to collect from a customer"
            ),
        )),
        other => Err(r.reject(&at, format!("{other:?} is not a FatturaPA document type (TD01 to TD28)"))),
    }
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
    lines.extend(contributions(r, currency)?);
    Ok(lines)
}

/// Each pension-fund contribution (`DatiCassaPrevidenziale`, block 2.1.1.7: the professional's
/// fund — INPS, INARCASSA, Cassa Forense…) as a line of the invoice: it is part of the taxable
/// amount at its own VAT rate, and of what the customer owes.
fn contributions(r: &Reader, currency: Currency) -> Result<Vec<Line>, Rejected> {
    let mut found = Vec::new();
    for (index, fund) in general(r).flat_map(|d| d.children_named("DatiCassaPrevidenziale")).enumerate() {
        let here = format!("DatiCassaPrevidenziale[{}]", index + 1);
        let path = ["DatiGenerali", "DatiGeneraliDocumento", here.as_str(), "ImportoContributoCassa"];
        let text = fund.text_at(&["ImportoContributoCassa"]).ok_or_else(|| r.reject(&path, "is missing"))?;
        let kind = fund.text_at(&["TipoCassa"]).unwrap_or("TC");
        let percent = fund.text_at(&["AlCassa"]).map(|p| format!(" {p} %")).unwrap_or_default();
        found.push(Line {
            id: format!("cassa-{}", index + 1),
            description: format!("Contributo cassa previdenziale {kind}{percent}"),
            quantity: None,
            unit_code: None,
            net: amount(r, &path, text, currency)?,
            tax_percent: Some(fund.text_at(&["AliquotaIVA"]).unwrap_or("0").to_owned()),
        });
    }
    Ok(found)
}

/// One rate's figures: what the lines, pension-fund contributions and roundings give, and what
/// the VAT summaries declare.
#[derive(Default)]
struct AtRate {
    rate: String,
    /// The first summary at this rate (`DatiRiepilogo[n]`), where a difference is reported.
    summary: String,
    /// Σ `PrezzoTotale` of the lines at this rate (pension-fund contributions among them, see
    /// [`lines`]) + each summary's `Arrotondamento` and `SpeseAccessorie`.
    computed_base: i64,
    /// Σ `ImponibileImporto` of the summaries at this rate (several when their VAT is due
    /// differently: `EsigibilitaIVA` I, D, S).
    declared_base: i64,
    declared_tax: i64,
    /// Σ base × rate of each summary, rounded: the tax the summaries should state.
    computed_tax: i64,
}

/// The totals as the specification chains them (Specifiche tecniche FatturaPA 1.2.x, blocks
/// 2.2.2 `DatiRiepilogo`, 2.1.1.7 `DatiCassaPrevidenziale`, 2.1.1.8 `ScontoMaggiorazione`,
/// 2.1.1.9 `ImportoTotaleDocumento`, 2.1.1.10 `Arrotondamento`, 2.1.1.5 `DatiRitenuta`):
/// per rate, the lines, pension-fund contributions and roundings are the taxable base (±1.00, the
/// SDI's tolerance: beyond it the invoice is refused showing both figures); the document total is
/// the bases plus tax, plus the document's rounding, less the document's discounts unless its lines
/// already carry them; what the buyer pays the seller is that total less withholding tax and
/// split-payment VAT. A tax that is not base × rate, or a cent's difference, imports with a warning.
fn totals(r: &Reader, currency: Currency, lines: &[Line], warnings: &mut Vec<String>) -> Result<Totals, Rejected> {
    let rates = at_rates(r, currency, lines)?;
    let show = |minor: i64| overdue_core::money::format_minor(minor, currency.exponent());
    let mut tax_off = Vec::new();
    for at in &rates {
        let difference = at.declared_base - at.computed_base;
        let path = ["DatiBeniServizi", at.summary.as_str(), "ImponibileImporto"];
        if difference.abs() > TOLERANCE_MINOR {
            let reason = format!(
                "the taxable amount at {} % is {} but the lines, contributions and roundings at that rate give {} \
                 (a difference of {}, more than the 1.00 tolerance)",
                at.rate,
                show(at.declared_base),
                show(at.computed_base),
                show(difference)
            );
            return Err(r.reject(&path, reason));
        }
        if difference != 0 {
            warnings.push(format!(
                "the taxable amount at {} % is {}, the lines give {}: {} of rounding taken as the document states",
                at.rate,
                show(at.declared_base),
                show(at.computed_base),
                show(difference)
            ));
        }
        if (at.declared_tax - at.computed_tax).abs() > TOLERANCE_MINOR {
            tax_off.push(at);
        } else if at.declared_tax != at.computed_tax {
            warnings.push(format!(
                "the VAT at {} % is stated as {}, {} % of {} is {}: a rounding, the stated VAT is kept",
                at.rate,
                show(at.declared_tax),
                at.rate,
                show(at.declared_base),
                show(at.computed_tax)
            ));
        }
    }
    let taxable: i64 = rates.iter().map(|a| a.declared_base).sum();
    let stated_tax: i64 = rates.iter().map(|a| a.declared_tax).sum();
    let computed_tax: i64 = rates.iter().map(|a| a.computed_tax).sum();
    let (total, confirmed) = document_total(r, currency, taxable + stated_tax, taxable + computed_tax, warnings)?;
    // a stated VAT far from base × rate stands only when the document total confirms base × rate
    let tax = match tax_off.first() {
        None => stated_tax,
        Some(_) if confirmed == Confirmed::ComputedTax => {
            warnings.push(format!(
                "the VAT stated in the summaries ({}) is not the rates applied to the bases ({}); the document total \
                 {} confirms the rates: {} taken",
                show(stated_tax),
                show(computed_tax),
                show(total),
                show(computed_tax)
            ));
            computed_tax
        }
        Some(at) => {
            let reason = format!(
                "the VAT at {} % is stated as {} but {} % of {} is {} (a difference of {}, more than the 1.00 \
                 tolerance)",
                at.rate,
                show(at.declared_tax),
                at.rate,
                show(at.declared_base),
                show(at.computed_tax),
                show(at.declared_tax - at.computed_tax)
            );
            return Err(r.reject(&["DatiBeniServizi", at.summary.as_str(), "Imposta"], reason));
        }
    };
    let withheld = withholding(r, currency)? + split_share(split_payment(r, currency)?, total, taxable + tax);
    let line_total = lines.iter().map(|l| l.net.amount_minor()).sum();
    let money = |minor| Money::new(minor, currency);
    let zero = Money::zero(currency);
    Ok(Totals {
        lines: money(line_total),
        allowances: zero,
        charges: zero,
        tax_exclusive: money(taxable),
        tax: money(tax),
        tax_inclusive: money(total),
        prepaid: money(withheld),
        rounding: zero,
        payable: money(total - withheld),
    })
}

/// Each rate's figures, in the order the summaries give them.
fn at_rates(r: &Reader, currency: Currency, lines: &[Line]) -> Result<Vec<AtRate>, Rejected> {
    let summaries: Vec<&Element> =
        r.root.child("DatiBeniServizi").into_iter().flat_map(|s| s.children_named("DatiRiepilogo")).collect();
    if summaries.is_empty() {
        return Err(r.reject(&["DatiBeniServizi", "DatiRiepilogo"], "the VAT summary is missing"));
    }
    let mut rates: Vec<AtRate> = Vec::new();
    for (index, summary) in summaries.into_iter().enumerate() {
        let here = format!("DatiRiepilogo[{}]", index + 1);
        let field = |name: &str| -> Result<i64, Rejected> {
            let path = ["DatiBeniServizi", here.as_str(), name];
            summary.text_at(&[name]).map_or(Ok(0), |text| Ok(amount(r, &path, text, currency)?.amount_minor()))
        };
        let required = |name: &str| -> Result<i64, Rejected> {
            let path = ["DatiBeniServizi", here.as_str(), name];
            summary.text_at(&[name]).ok_or_else(|| r.reject(&path, "is missing"))?;
            field(name)
        };
        let (base, vat) = (required("ImponibileImporto")?, required("Imposta")?);
        let rate = summary.text_at(&["AliquotaIVA"]).unwrap_or("0");
        let position = match rates.iter().position(|a| same_rate(&a.rate, rate)) {
            Some(position) => position,
            None => {
                let lines_at_rate: i64 = lines
                    .iter()
                    .filter(|l| same_rate(l.tax_percent.as_deref().unwrap_or("0"), rate))
                    .map(|l| l.net.amount_minor())
                    .sum();
                rates.push(AtRate {
                    rate: rate.to_owned(),
                    summary: here.clone(),
                    computed_base: lines_at_rate,
                    ..AtRate::default()
                });
                rates.len() - 1
            }
        };
        let at = &mut rates[position];
        at.computed_base += field("Arrotondamento")? + field("SpeseAccessorie")?;
        at.declared_base += base;
        at.declared_tax += vat;
        let rate_hundredths = overdue_core::money::parse_scaled(rate, 2).unwrap_or(0);
        let computed = (i128::from(base) * i128::from(rate_hundredths) + 5_000).div_euclid(10_000);
        at.computed_tax += i64::try_from(computed).unwrap_or(i64::MAX);
    }
    Ok(rates)
}

fn general<'a>(r: &Reader<'a>) -> impl Iterator<Item = &'a Element> {
    r.root.at(&["DatiGenerali", "DatiGeneraliDocumento"]).into_iter()
}

/// Which reading of the summaries the document total agrees with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Confirmed {
    /// The tax as the summaries state it (or no total stated).
    StatedTax,
    /// The bases × their rates.
    ComputedTax,
}

/// The document total (`ImportoTotaleDocumento`) checked against the chain: the summaries' bases
/// plus tax (as stated, or as base × rate), plus the document's `Arrotondamento`, less its
/// discounts (`ScontoMaggiorazione`, unless the lines already carry them). Without a stated
/// total, the summaries plus rounding. A total no reading of the chain reaches within 1.00 is
/// refused.
fn document_total(
    r: &Reader,
    currency: Currency,
    gross: i64,
    gross_computed_tax: i64,
    warnings: &mut Vec<String>,
) -> Result<(i64, Confirmed), Rejected> {
    let path = ["DatiGenerali", "DatiGeneraliDocumento", "Arrotondamento"];
    let rounding = match r.root.text_at(&path) {
        Some(text) => amount(r, &path, text, currency)?.amount_minor(),
        None => 0,
    };
    let path = ["DatiGenerali", "DatiGeneraliDocumento", "ImportoTotaleDocumento"];
    let Some(text) = r.root.text_at(&path) else { return Ok((gross + rounding, Confirmed::StatedTax)) };
    let declared = amount(r, &path, text, currency)?.amount_minor();
    let mut candidates = Vec::new();
    for (base, reading) in [(gross, Confirmed::StatedTax), (gross_computed_tax, Confirmed::ComputedTax)] {
        candidates.push((base + rounding, reading));
        candidates.push((discounted(r, currency, base)? + rounding, reading));
    }
    let (closest, confirmed) =
        candidates.iter().copied().min_by_key(|(c, _)| (declared - c).abs()).unwrap_or((gross, Confirmed::StatedTax));
    let show = |minor: i64| overdue_core::money::format_minor(minor, currency.exponent());
    let difference = declared - closest;
    if difference.abs() > TOLERANCE_MINOR {
        let reason = format!(
            "ImportoTotaleDocumento is {} but the VAT summaries, rounding and document discounts give {} (a \
             difference of {})",
            show(declared),
            show(closest),
            show(difference)
        );
        return Err(r.reject(&path, reason));
    }
    if difference != 0 {
        warnings.push(format!(
            "the document total {} differs by {} from its summaries ({}): the stated total is what is owed",
            show(declared),
            show(difference),
            show(closest)
        ));
    }
    Ok((declared, confirmed))
}

/// `amount` after the document's discounts and surcharges (`ScontoMaggiorazione`: `Tipo` SC
/// discount or MG surcharge, by `Percentuale` or `Importo`), in the order written.
fn discounted(r: &Reader, currency: Currency, amount_minor: i64) -> Result<i64, Rejected> {
    let mut running = i128::from(amount_minor);
    for (index, change) in general(r).flat_map(|d| d.children_named("ScontoMaggiorazione")).enumerate() {
        let here = format!("ScontoMaggiorazione[{}]", index + 1);
        let sign: i128 = if change.text_at(&["Tipo"]) == Some("MG") { 1 } else { -1 };
        let by = if let Some(text) = change.text_at(&["Importo"]) {
            let path = ["DatiGenerali", "DatiGeneraliDocumento", here.as_str(), "Importo"];
            i128::from(amount(r, &path, text, currency)?.amount_minor())
        } else if let Some(percent) =
            change.text_at(&["Percentuale"]).and_then(|p| overdue_core::money::parse_scaled(p, 2))
        {
            (running * i128::from(percent) + 5_000).div_euclid(10_000)
        } else {
            0
        };
        running += sign * by;
    }
    Ok(i64::try_from(running).unwrap_or(amount_minor))
}

/// The VAT of the summaries whose tax the buyer pays to the state (split payment,
/// `EsigibilitaIVA` S: art. 17-ter DPR 633/1972).
fn split_payment(r: &Reader, currency: Currency) -> Result<i64, Rejected> {
    let mut sum = 0;
    let summaries = r.root.child("DatiBeniServizi").into_iter().flat_map(|s| s.children_named("DatiRiepilogo"));
    for summary in summaries.filter(|s| s.text_at(&["EsigibilitaIVA"]) == Some("S")) {
        let path = ["DatiBeniServizi", "DatiRiepilogo", "Imposta"];
        if let Some(text) = summary.text_at(&["Imposta"]) {
            sum += amount(r, &path, text, currency)?.amount_minor();
        }
    }
    Ok(sum)
}

/// The split-payment VAT the buyer pays to the state once a discount or surcharge on the document
/// total (`DatiGeneraliDocumento/ScontoMaggiorazione`) has changed the total of `bases_and_tax`
/// into `total`: the VAT scaled as the total was, to the cent (half up). Without such a change it
/// is the VAT as stated.
fn split_share(split_vat_minor: i64, total_minor: i64, bases_and_tax_minor: i64) -> i64 {
    if split_vat_minor == 0 || total_minor == bases_and_tax_minor || bases_and_tax_minor == 0 {
        return split_vat_minor;
    }
    let scaled = i128::from(split_vat_minor) * i128::from(total_minor);
    i64::try_from(overdue_core::quantity::round_half_up_div(scaled, i128::from(bases_and_tax_minor)))
        .unwrap_or(split_vat_minor)
}

/// Withholding tax (`DatiRitenuta`, one block or several since 1.2.2): the buyer pays it to the
/// state, not to the seller.
fn withholding(r: &Reader, currency: Currency) -> Result<i64, Rejected> {
    let mut sum = 0;
    for block in general(r).flat_map(|d| d.children_named("DatiRitenuta")) {
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

type Payment = (Vec<DueInstalment>, Vec<PaymentMeans>, Option<String>);

/// A detail's due date: `DataScadenzaPagamento`, else `GiorniTerminiPagamento` days after
/// `DataRiferimentoTerminiPagamento` (the issue date when not given).
fn due_date(
    r: &Reader,
    detail: &Element,
    here: &str,
    issue_date: chrono::NaiveDate,
) -> Result<Option<chrono::NaiveDate>, Rejected> {
    let parse = |field: &str| -> Result<Option<chrono::NaiveDate>, Rejected> {
        detail
            .text_at(&[field])
            .map(|d| overdue_core::date::parse_iso(d).map_err(|e| r.reject(&[here, field], e.to_string())))
            .transpose()
    };
    if let Some(date) = parse("DataScadenzaPagamento")? {
        return Ok(Some(date));
    }
    let Some(days) = detail.text_at(&["GiorniTerminiPagamento"]) else { return Ok(None) };
    let days: i64 = days.parse().ok().filter(|d| (0..=999).contains(d)).ok_or_else(|| {
        r.reject(&[here, "GiorniTerminiPagamento"], format!("{days:?} is not a number of days (0 to 999)"))
    })?;
    let from = parse("DataRiferimentoTerminiPagamento")?.unwrap_or(issue_date);
    Ok(Some(overdue_core::date::add_days(from, days)))
}

/// Due dates, amounts and means from every `DatiPagamento` block.
fn payment(r: &Reader, currency: Currency, issue_date: chrono::NaiveDate) -> Result<Payment, Rejected> {
    let (mut due, mut means, mut conditions) = (Vec::new(), Vec::new(), Vec::new());
    for (block_index, block) in r.root.children_named("DatiPagamento").enumerate() {
        // TP01 (instalments), TP02 (in full), TP03 (advance) say how, not when: the details' dates do
        if let Some(condition) = block.text_at(&["CondizioniPagamento"]).filter(|c| !c.starts_with("TP0")) {
            conditions.push(condition);
        }
        for (index, detail) in block.children_named("DettaglioPagamento").enumerate() {
            let here = format!("DatiPagamento[{}]/DettaglioPagamento[{}]", block_index + 1, index + 1);
            let date = due_date(r, detail, &here, issue_date)?;
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

/// The late-payment penalties and early-payment discounts the document states
/// (`DettaglioPagamento/PenalitaPagamentiRitardati` from `DataDecorrenzaPenale`,
/// `ScontoPagamentoAnticipato` until `DataLimitePagamentoAnticipato`), said on import: the original
/// document keeps them, while interest and compensation follow the law (D.Lgs. 231/2002).
fn stated_penalties(r: &Reader) -> Vec<String> {
    let details = r.root.children_named("DatiPagamento").flat_map(|block| block.children_named("DettaglioPagamento"));
    let mut said = Vec::new();
    for detail in details {
        if let Some(penalty) = detail.text_at(&["PenalitaPagamentiRitardati"]) {
            let from = detail.text_at(&["DataDecorrenzaPenale"]).map(|d| format!(" from {d}")).unwrap_or_default();
            said.push(format!(
                "the document states a late-payment penalty of {penalty}{from} (PenalitaPagamentiRitardati): kept with \
                 the original; interest and compensation follow the law"
            ));
        }
        if let Some(discount) = detail.text_at(&["ScontoPagamentoAnticipato"]) {
            let until =
                detail.text_at(&["DataLimitePagamentoAnticipato"]).map(|d| format!(" until {d}")).unwrap_or_default();
            said.push(format!(
                "the document offers {discount} off for early payment{until} (ScontoPagamentoAnticipato): a payment \
                 short by that much in time waits in `overdue matches` for you to accept"
            ));
        }
    }
    said
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
