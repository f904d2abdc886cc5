//! The bank page: upload a statement file (MT940/MT942, camt.052/053/054, a bank's CSV) and see
//! what became of it, and review the lines the matcher was not sure of — with its evidence —
//! accepting its proposal, saying whose money it is, or setting the line aside with a reason.
//! Files and decisions go through the same functions as the API.

use super::forms::{Common, back_with, refused};
use super::{Lang, Sent, Visitor, problem};
use crate::api::bank::{Decision, LineItem, StatementQuery, StatementResult, decide_line, import_file};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use overdue_core::matching::Evidence;
use overdue_store::StoredBankLine;
use serde::{Deserialize, Serialize};

/// The page goes back to itself after each form.
const BACK: &str = "/bank";

/// A bank line as the page shows it: amounts and days in the visitor's words.
#[derive(Debug, Serialize)]
struct Line {
    id: i64,
    booking_date: String,
    amount: String,
    payer: Option<String>,
    remittance: Option<String>,
    status: String,
    customer: Option<String>,
    confidence: u8,
    evidence: Vec<String>,
    /// Each invoice proposed and what the line would pay of it.
    proposal: Vec<(String, String)>,
    /// The payment it became, once applied.
    payment: Option<String>,
    /// Why it was set aside or undone, and by whom.
    note: Option<String>,
}

/// One piece of the matcher's evidence in the visitor's words (kept text as it was written).
fn evidence_said(lang: Lang, evidence: &Evidence) -> String {
    let fill = |key: &str, values: &[(&str, String)]| {
        let values: Vec<(&str, &str)> = values.iter().map(|(name, value)| (*name, value.as_str())).collect();
        lang.fill(key, &values)
    };
    let how = |how: &str| lang.word(&format!("ev_known_by_{}", how.to_ascii_lowercase()));
    let money = |m: &overdue_core::Money| lang.money(*m);
    match evidence {
        Evidence::PayerQuotes { quoted } => {
            let named: Vec<String> = quoted
                .iter()
                .map(|q| q.scheme.as_ref().map_or(q.number.clone(), |scheme| format!("{} ({scheme})", q.number)))
                .collect();
            fill("ev_payer_quotes", &[("invoices", named.join(", "))])
        }
        Evidence::PayerIsAnother { how: by } => fill("ev_payer_is_another", &[("how", how(by))]),
        Evidence::PaidByKnownCustomer { how: by } => fill("ev_paid_by_known_customer", &[("how", how(by))]),
        Evidence::SeveralOfThisAmount { count } => fill("ev_several_of_this_amount", &[("count", count.to_string())]),
        Evidence::PromisedAmount { made_on, promised_date } => {
            fill("ev_promised_amount", &[("made_on", lang.day(*made_on)), ("promised_date", lang.day(*promised_date))])
        }
        Evidence::SumOfInvoices { count } => fill("ev_sum_of_invoices", &[("count", count.to_string())]),
        Evidence::OnlyInvoiceOfAmount { number } => fill("ev_only_invoice_of_amount", &[("number", number.clone())]),
        Evidence::ManyInvoicesOfAmount { count } => fill("ev_many_invoices_of_amount", &[("count", count.to_string())]),
        Evidence::LessDiscount { number, discount } => {
            fill("ev_less_discount", &[("number", number.clone()), ("discount", money(discount))])
        }
        Evidence::Exact { owed } => fill("ev_exact", &[("owed", money(owed))]),
        Evidence::DueOnDay { due, owed } => fill("ev_due_on_day", &[("due", money(due)), ("owed", money(owed))]),
        Evidence::SmallDifference { short, owed } => {
            fill("ev_small_difference", &[("short", money(short)), ("owed", money(owed))])
        }
        Evidence::PartPayment { short, owed } => {
            fill("ev_part_payment", &[("short", money(short)), ("owed", money(owed))])
        }
        Evidence::OverPayment { excess, owed } => {
            fill("ev_over_payment", &[("excess", money(excess)), ("owed", money(owed))])
        }
        Evidence::Said(text) => text.clone(),
        fact => {
            // the facts without figures: one sentence each, keyed by their name
            let key = serde_json::to_value(fact).ok().and_then(|v| v.as_str().map(|k| format!("ev_{k}")));
            key.map_or_else(|| fact.to_string(), |key| lang.word(&key))
        }
    }
}

fn shown(lang: Lang, stored: StoredBankLine) -> Line {
    let evidence = stored.evidence.iter().map(|e| evidence_said(lang, e)).collect();
    let line = LineItem::from(stored);
    let currency = overdue_core::Currency::from_code(&line.amount.currency).ok();
    let money =
        |minor: i64| currency.map_or_else(|| minor.to_string(), |c| lang.money(overdue_core::Money::new(minor, c)));
    Line {
        id: line.id,
        booking_date: lang.day(line.booking_date),
        amount: money(line.amount.amount_minor),
        payer: line.payer,
        remittance: line.remittance,
        status: line.status,
        customer: line.customer,
        confidence: line.confidence,
        evidence,
        proposal: line.proposal.into_iter().map(|p| (p.invoice, money(p.amount_minor))).collect(),
        payment: line.payment,
        note: line.note,
    }
}

/// How many decided lines the page lists (newest first), each with its undo form.
const DECIDED_SHOWN: i64 = 50;

/// `GET /bank`: the upload form, the lines waiting for a person (oldest first), and the lines
/// decided lately (newest first), each of which can be undone.
pub async fn page(State(state): State<AppState>, visitor: Visitor, shown_with: super::pages::Shown) -> Response {
    let tenant = visitor.caller.organisation.id;
    let read = state
        .with_store(move |store| {
            Ok((store.bank_lines_to_review(tenant, 200)?, store.bank_lines_decided(tenant, DECIDED_SHOWN)?))
        })
        .await;
    let (lines, decided) = match read {
        Ok(read) => read,
        Err(error) => return problem(&visitor, error),
    };
    let show =
        |lines: Vec<StoredBankLine>| -> Vec<Line> { lines.into_iter().map(|l| shown(visitor.lang, l)).collect() };
    let (lines, decided) = (show(lines), show(decided));
    // an answer about a line no longer listed (decided meanwhile) is said at the top
    let placed: Vec<String> = lines.iter().chain(&decided).map(|l| format!("line-{}", l.id)).collect();
    visitor.page(
        "bank.html",
        minijinja::context! {
            lines => minijinja::Value::from(minijinja::value::Serde(&lines)),
            decided => minijinja::Value::from(minijinja::value::Serde(&decided)),
            back => BACK,
            placed => placed,
            answer => shown_with.answer(),
        },
    )
}

/// What became of a statement file, in the visitor's words: one sentence, then what was refused
/// or does not add up (the first few, and how many more).
fn summary(lang: Lang, name: &str, result: &StatementResult) -> String {
    let said = lang
        .word("statement_imported")
        .replace("{file}", name)
        .replace("{kind}", &result.kind)
        .replace("{new}", &result.new_lines.to_string())
        .replace("{known}", &result.known_lines.to_string())
        .replace("{applied}", &result.applied.to_string())
        .replace("{review}", &result.to_review.to_string())
        .replace("{unmatched}", &result.unmatched.to_string())
        .replace("{out}", &result.money_out.to_string())
        .replace("{reversed}", &result.reversed.to_string());
    let problems: Vec<&String> = result.rejected.iter().chain(&result.warnings).collect();
    if problems.is_empty() {
        return said;
    }
    let mut text = format!("{said} {}", problems.iter().take(3).map(|p| p.as_str()).collect::<Vec<_>>().join(" · "));
    if problems.len() > 3 {
        text.push_str(&format!(" (+{})", problems.len() - 3));
    }
    text
}

/// The upload form's fields.
#[derive(Debug, Default)]
struct Upload {
    csrf_token: String,
    account: Option<String>,
    /// A bank CSV's own columns (`--map` syntax).
    map: Option<String>,
    name: String,
    bytes: Vec<u8>,
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, String> {
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        match field.name().unwrap_or_default() {
            "csrf_token" => upload.csrf_token = field.text().await.map_err(|e| e.body_text())?,
            "account" => {
                let account = field.text().await.map_err(|e| e.body_text())?;
                upload.account = Some(account.trim().to_owned()).filter(|a| !a.is_empty());
            }
            "map" => {
                let map = field.text().await.map_err(|e| e.body_text())?;
                upload.map = Some(map.trim().to_owned()).filter(|m| !m.is_empty());
            }
            "file" => {
                upload.name = field.file_name().unwrap_or("upload").to_owned();
                upload.bytes = field.bytes().await.map_err(|e| e.body_text())?.to_vec();
            }
            other => return Err(format!("unknown field {other:?}")),
        }
    }
    Ok(upload)
}

/// `POST /bank/statements` (a form with a file): imports the statement and goes back to the
/// bank page with what became of it.
pub async fn upload(State(state): State<AppState>, visitor: Visitor, multipart: Multipart) -> Response {
    let upload = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(reason) => return back_with(BACK, &[("error", &reason), ("at", "upload"), ("field", "file")]),
    };
    let common = Common { csrf_token: upload.csrf_token.clone(), back: Some(BACK.to_owned()) };
    if let Some(refused) = refused(&visitor, &common, "upload") {
        return refused;
    }
    if upload.bytes.is_empty() {
        let reason = visitor.lang.word("statement_missing");
        return back_with(BACK, &[("error", &reason), ("at", "upload"), ("field", "file")]);
    }
    let query =
        StatementQuery { account: upload.account, name: Some(upload.name.clone()), strict: None, map: upload.map };
    // a refused upload comes back with the account and columns as typed (the file is chosen again)
    let typed = [query.account.clone().unwrap_or_default(), query.map.clone().unwrap_or_default()];
    match import_file(&state, &visitor.caller, &upload.bytes, query).await {
        Ok(result) => back_with(BACK, &[("notice", &summary(visitor.lang, &upload.name, &result))]),
        Err(error) => {
            let field = error.field.clone().unwrap_or_else(|| "file".to_owned());
            // an account that is no IBAN is said in the visitor's words
            let said = (field == "account").then(|| visitor.lang.iban_refused(&typed[0])).flatten();
            let said = said.unwrap_or_else(|| super::refusal::reason(visitor.lang, &error));
            let reason = format!("{}: {said}", upload.name);
            let answer = [("error", reason.as_str()), ("at", "upload"), ("field", &field)];
            back_with(BACK, &[&answer[..], &[("account", typed[0].as_str()), ("map", typed[1].as_str())]].concat())
        }
    }
}

/// A decision about one line, as the page's forms send it.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    #[serde(flatten)]
    pub common: Common,
    /// accept, assign, ignore or undo.
    pub decision: String,
    pub customer: Option<String>,
    /// Invoice numbers, separated by commas or spaces.
    pub invoices: Option<String>,
    pub reason: Option<String>,
}

/// `POST /bank/lines/{id}/decide`: the decision taken, back to the bank page with its answer next
/// to the line's forms.
pub async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Sent(form): Sent<DecisionForm>,
) -> Response {
    let at = format!("line-{id}");
    if let Some(refused) = refused(&visitor, &form.common, &at) {
        return refused;
    }
    let blank = |text: &Option<String>| text.clone().filter(|t| !t.trim().is_empty());
    let invoices = form
        .invoices
        .as_deref()
        .unwrap_or_default()
        .split([',', ' ', ';'])
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect();
    let decision = Decision {
        decision: form.decision.clone(),
        customer: blank(&form.customer).map(|c| c.trim().to_owned()),
        invoices,
        reason: blank(&form.reason),
    };
    match decide_line(&state, &visitor.caller, id, &decision).await {
        Ok(line) => {
            let said = if form.decision == "undo" { "line_undone".to_owned() } else { format!("line_{}", line.status) };
            let notice = visitor.lang.word(&said);
            back_with(BACK, &[("notice", &notice)])
        }
        Err(error) => answer_error(visitor.lang, &at, error),
    }
}

fn answer_error(lang: Lang, at: &str, error: ApiError) -> Response {
    let field = error.field.clone().unwrap_or_default();
    back_with(BACK, &[("error", &super::refusal::reason(lang, &error)), ("at", at), ("field", &field)])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use overdue_core::matching::QuotedInvoice;
    use overdue_core::{Money, currency::Currency};

    fn every_kind() -> Vec<Evidence> {
        let eur = |minor| Money::new(minor, Currency::EUR);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let quoted = vec![QuotedInvoice { number: "F-1".into(), scheme: None }];
        vec![
            Evidence::PayerQuotes { quoted },
            Evidence::QuotedForDifferentCustomers,
            Evidence::PaidByTheCustomer,
            Evidence::PayerNotKnown,
            Evidence::PayerIsAnother { how: "IBAN".into() },
            Evidence::AlreadyPaid,
            Evidence::AmountDoesNotFit,
            Evidence::UnknownPayerMustMatchExactly,
            Evidence::PaidByKnownCustomer { how: "name".into() },
            Evidence::NothingOpenCredit,
            Evidence::SeveralOfThisAmount { count: 2 },
            Evidence::PromisedAmount { made_on: day, promised_date: day },
            Evidence::SumOfInvoices { count: 3 },
            Evidence::SeveralSetsAddUp,
            Evidence::PayerUnknownNoReference,
            Evidence::OnlyInvoiceOfAmount { number: "F-1".into() },
            Evidence::NoInvoiceOfAmount,
            Evidence::ManyInvoicesOfAmount { count: 4 },
            Evidence::LessDiscount { number: "F-1".into(), discount: eur(20_00) },
            Evidence::Exact { owed: eur(100_00) },
            Evidence::DueOnDay { due: eur(50_00), owed: eur(100_00) },
            Evidence::DiscountFits,
            Evidence::SmallDifference { short: eur(3_50), owed: eur(100_00) },
            Evidence::PartPayment { short: eur(2023_20), owed: eur(2323_20) },
            Evidence::OverPayment { excess: eur(50_00), owed: eur(100_00) },
            Evidence::MoneyOut,
            Evidence::OwnPaymentReturned,
        ]
    }

    /// Every kind of evidence is worded in every language, none left as a key or a placeholder,
    /// and evidence kept as text before it had facts is shown as written.
    #[test]
    fn the_matchers_evidence_is_worded_in_each_language() {
        for lang in Lang::ALL {
            for evidence in every_kind() {
                let said = evidence_said(lang, &evidence);
                assert!(!said.contains('{') && !said.starts_with("ev_"), "{lang:?} {evidence:?}: {said}");
                if lang != Lang::En {
                    assert_ne!(said, evidence.to_string(), "{lang:?} says {evidence:?} in English");
                }
            }
        }
        let part = Evidence::PartPayment {
            short: Money::new(2023_20, Currency::EUR),
            owed: Money::new(2323_20, Currency::EUR),
        };
        assert_eq!(evidence_said(Lang::Es, &part), "un pago parcial: faltan 2.023,20 € de 2.323,20 €");
        let kept: Evidence = serde_json::from_str("\"paid by the customer (known IBAN)\"").unwrap();
        assert_eq!(evidence_said(Lang::It, &kept), "paid by the customer (known IBAN)");
        let fact: Evidence = serde_json::from_str(&serde_json::to_string(&Evidence::AlreadyPaid).unwrap()).unwrap();
        assert_eq!(fact, Evidence::AlreadyPaid, "a fact reads back as the fact, not as text");
    }
}
