//! The case file a collection agency needs to take a customer over (debtor, creditor, open
//! invoices with interest, compensation and fees to the day, payments, promises, disputes and the
//! whole contact history, as one JSON document), and the open items it lists: read the same by
//! the command line (`overdue export case`) and the API.

use crate::AppError;
use crate::reports::{open_amounts, open_invoices};
use chrono::NaiveDate;
use overdue_core::interest::InterestStatement;
use overdue_core::money::Money;
use overdue_core::rates::RateTable;
use overdue_formats::exports::OpenItem;
use overdue_store::{InvoiceSummary, Organisation, Store};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The open items of one customer or all on `as_of`, each dated by its earliest unpaid
/// instalment (an invoice paid in instalments is overdue from the instalment it has not paid,
/// not from its first).
///
/// Errors: store errors.
pub fn open_items(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: Option<String>,
    as_of: NaiveDate,
) -> Result<Vec<OpenItem>, AppError> {
    crate::day("as_of", as_of)?;
    let invoices = open_invoices(store, organisation, customer, as_of)?;
    items_of(store, organisation, &invoices)
}

/// The open items of these invoices, each dated by its earliest unpaid instalment.
pub fn items_of(
    store: &mut dyn Store,
    organisation: &Organisation,
    invoices: &[InvoiceSummary],
) -> Result<Vec<OpenItem>, AppError> {
    let mut items = Vec::with_capacity(invoices.len());
    for invoice in invoices {
        let earliest = open_amounts(store, organisation, invoice)?.iter().map(|a| a.due_date).min();
        items.push(OpenItem { due_date: earliest.unwrap_or(invoice.due_date), ..open_item(invoice) });
    }
    Ok(items)
}

fn open_item(invoice: &InvoiceSummary) -> OpenItem {
    OpenItem {
        number: invoice.number.clone(),
        customer: invoice.customer_code.clone(),
        name: invoice.customer_name.clone(),
        kind: invoice.kind.as_str().to_owned(),
        issue_date: invoice.issue_date,
        due_date: invoice.due_date,
        terms: invoice.terms.clone(),
        total: invoice.gross,
        open: invoice.open,
    }
}

/// Everything the agency needs to take customer `code` over on `as_of`, as one JSON document:
/// `prepared_on`, `creditor`, `debtor`, `totals` (per currency: principal, interest,
/// compensation, fees, total, as decimal strings), `invoices`, `promises`, `disputes`, `history`.
/// Interest that cannot be computed is said so, never written as 0.00.
///
/// Errors: [`AppError::NotFound`] for an unknown customer; store errors.
pub fn case_file(
    store: &mut dyn Store,
    organisation: &Organisation,
    code: &str,
    as_of: NaiveDate,
    rates: &RateTable,
) -> Result<Value, AppError> {
    let customer = store
        .customer(organisation.id, code)?
        .ok_or_else(|| AppError::NotFound { what: "customer", key: code.to_owned() })?;
    let state = store.customer_state(organisation.id, code, as_of)?;
    let grace_days = state.policy(&store.policy_book(organisation.id)?).promise_grace_days;
    let mut totals: BTreeMap<String, [i64; 5]> = BTreeMap::new();
    let mut invoices = Vec::new();
    for summary in open_invoices(store, organisation, Some(code.to_owned()), as_of)? {
        invoices.push(case_invoice(store, organisation, &summary, as_of, rates, &mut totals)?);
    }
    // the case as it stood on `as_of`: nothing recorded later
    let promises: Vec<Value> = state
        .promises
        .iter()
        .filter(|p| p.promise.made_on <= as_of)
        .map(|p| json!({ "promise": p.promise, "state": p.promise.state(as_of, grace_days, &state.payments) }))
        .collect();
    let history: Vec<Value> = store
        .timeline(organisation.id, code)?
        .into_iter()
        .filter(|e| e.on <= as_of)
        .map(|e| json!({ "on": e.on, "time": e.time, "kind": e.kind, "text": e.text }))
        .collect();
    Ok(json!({
        "prepared_on": as_of,
        "creditor": creditor(store, organisation)?,
        "debtor": customer,
        "totals": totals_json(&totals),
        "invoices": invoices,
        "promises": promises,
        "disputes": state.disputes.iter().filter(|d| d.opened_on <= as_of).collect::<Vec<_>>(),
        "history": history,
    }))
}

/// The business handing the case over: name, country and its letterhead (address, tax id,
/// contact, bank account).
fn creditor(store: &mut dyn Store, organisation: &Organisation) -> Result<Value, AppError> {
    let letterhead = store.letterhead(organisation.id)?;
    Ok(json!({
        "name": organisation.name,
        "country": organisation.country.as_str(),
        "address": letterhead.address,
        "tax_id": letterhead.tax_id,
        "email": letterhead.email,
        "phone": letterhead.phone,
        "iban": letterhead.payment.iban,
        "bic": letterhead.payment.bic,
    }))
}

/// One open invoice with its payments, the interest and compensation to the day, and what was
/// charged or waived; adds principal, interest, compensation and fees to `totals` by currency.
fn case_invoice(
    store: &mut dyn Store,
    organisation: &Organisation,
    summary: &InvoiceSummary,
    as_of: NaiveDate,
    rates: &RateTable,
    totals: &mut BTreeMap<String, [i64; 5]>,
) -> Result<Value, AppError> {
    let detail = store
        .invoice(organisation.id, &summary.number)?
        .ok_or_else(|| AppError::NotFound { what: "invoice", key: summary.number.clone() })?;
    let charges = store.charges(organisation.id, &summary.number)?;
    let fees: i64 = charges
        .iter()
        .filter(|c| c.kind == overdue_store::ChargeKind::StepFee && c.status == overdue_store::ChargeStatus::Charged)
        .map(|c| c.amount.amount_minor())
        .sum();
    let interest = if summary.open.is_positive() && summary.kind == overdue_core::invoice::InvoiceKind::Invoice {
        crate::claim::compute(store, organisation, &summary.number, &Default::default(), rates, as_of)
            .map(|computed| computed.statement)
            .map_err(|e| e.to_string())
    } else {
        Err("nothing overdue".to_owned())
    };
    let (interest_minor, compensation, missing) = match &interest {
        Ok(s) => (s.interest.amount_minor(), s.compensation, 0),
        Err(why) if why == "nothing overdue" => (0, None, 0),
        // the compensation needs no rate: still claimed, the interest marked as not computed
        Err(_) => {
            let claim = crate::claim::for_invoices(store, organisation, rates, &[summary.number.as_str()], as_of)?;
            (0, claim.compensation.iter().next(), 1)
        }
    };
    let total = totals.entry(summary.open.currency().code().to_owned()).or_default();
    for (slot, amount) in total.iter_mut().zip([summary.open.amount_minor(), interest_minor, 0, fees, missing]) {
        *slot += amount;
    }
    // the compensation keeps the currency the law sets (EUR 40 also on a pound invoice)
    if let Some(compensation) = compensation {
        totals.entry(compensation.currency().code().to_owned()).or_default()[2] += compensation.amount_minor();
    }
    Ok(json!({
        "number": summary.number,
        "kind": summary.kind.as_str(),
        "issue_date": summary.issue_date,
        "terms": summary.terms,
        "currency": summary.open.currency().code(),
        "total": summary.gross.to_decimal_string(),
        "open": summary.open.to_decimal_string(),
        "days_overdue": (as_of - summary.due_date).num_days().max(0),
        "instalments": detail.invoice.instalments.iter()
            .map(|i| json!({ "due_date": i.due_date, "amount": i.amount.to_decimal_string() })).collect::<Vec<_>>(),
        "payments": detail.payments.iter()
            .map(|p| json!({ "reference": p.reference, "date": p.date, "method": p.method, "amount": p.amount.to_decimal_string() }))
            .collect::<Vec<_>>(),
        "interest": interest_json(&interest),
        "charges": charges,
    }))
}

fn interest_json(interest: &Result<InterestStatement, String>) -> Value {
    match interest {
        Ok(s) => json!({
            "regime": s.regime.to_string(),
            "to": s.as_of,
            "interest": s.interest.to_decimal_string(),
            "compensation": s.compensation.map(Money::to_decimal_string),
            "lines": s.lines.iter().map(|l| json!({
                "from": l.from, "to": l.to, "days": l.days, "outstanding": l.outstanding.to_decimal_string(),
                "rate_percent": l.rate.to_string(), "interest": l.interest.to_decimal_string(),
            })).collect::<Vec<_>>(),
        }),
        Err(why) => json!({ "not_computed": why }),
    }
}

fn totals_json(totals: &BTreeMap<String, [i64; 5]>) -> Vec<Value> {
    totals
        .iter()
        .filter_map(|(code, [principal, interest, compensation, fees, missing])| {
            let currency = overdue_core::Currency::from_code(code).ok()?;
            let text = |minor: i64| Money::new(minor, currency).to_decimal_string();
            // never a 0.00 for interest that could not be computed
            let interest_text = if *missing > 0 {
                let invoices = if *missing == 1 { "invoice" } else { "invoices" };
                json!(format!(
                    "not computed on {missing} {invoices} (a reference rate is not known): claim it separately"
                ))
            } else {
                json!(text(*interest))
            };
            Some(json!({
                "currency": code,
                "principal": text(*principal),
                "interest": interest_text,
                "compensation": text(*compensation),
                "fees": text(*fees),
                "total": text(principal + interest + compensation + fees),
            }))
        })
        .collect()
}
