//! The bank through the API: a statement file sent as the body (MT940/MT942, camt.052/053/054,
//! or a bank's CSV with its account), the lines waiting for a person, and their decision (accept
//! the proposal, assign to a customer, ignore, undo), as `overdue import-bank` and `overdue
//! matches` do.

use super::{Amount, page};
use crate::auth::Caller;
use crate::error::{ApiError, ApiPath, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use chrono::NaiveDate;
use overdue_store::{BankDecision, StoredBankLine};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// How to take a statement file.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// The account (IBAN) a bank CSV export is of; other formats name their own.
    pub account: Option<String>,
    /// The file's name, kept with its lines (default `upload`).
    pub name: Option<String>,
    /// Refuse a file whose balances do not add up (default: import it with a warning).
    pub strict: Option<bool>,
    /// A bank CSV's own columns and ways, as `overdue import-bank --map` takes them:
    /// `date=Fecha,amount=Importe,name=Ordenante,remittance=Concepto,default_currency=EUR,
    /// date_format=%d/%m/%Y,decimal_comma=true,delimiter=;` (default: `date,amount,currency,name,
    /// iban,remittance,reference` headers, ISO dates, decimal point, commas).
    pub map: Option<String>,
}

/// What importing a statement file did.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementResult {
    /// What the file is: `camt.053.001.02`, `MT940`, `CSV`…
    pub kind: String,
    pub new_lines: u64,
    /// Lines imported before: left as they were.
    pub known_lines: u64,
    /// Credits matched with confidence and recorded as payments.
    pub applied: u64,
    /// Credits waiting for a person (`GET /api/v1/bank/lines`).
    pub to_review: u64,
    pub unmatched: u64,
    /// Money going out (debits): not customers' payments, kept for the record.
    pub money_out: u64,
    /// Customer payments the bank took back (returned, reversed): undone, their invoices open.
    pub reversed: u64,
    /// Lines refused, and why.
    pub rejected: Vec<String>,
    /// Balances that do not add up, and statements that do not follow the last one.
    pub warnings: Vec<String>,
}

/// Imports a bank statement file sent as the body.
#[utoipa::path(post, path = "/api/v1/bank/statements", params(StatementQuery), request_body(content = Vec<u8>,
    content_type = "application/octet-stream"), security(("token" = [])), responses(
    (status = 200, body = StatementResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn import_statement(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<StatementQuery>, QueryRejection>,
    body: Bytes,
) -> Result<Json<StatementResult>, ApiError> {
    caller.may_write()?;
    let Query(query) = query?;
    Ok(Json(import_file(&state, &caller, &body, query).await?))
}

/// Reads and imports one statement file for the caller's organisation, as the API and the bank
/// page take it: the file's kind, its lines new and known, what was applied, what waits for a
/// person, and what was refused or does not add up.
///
/// Errors: 400 for a `map` that does not read; 422 for a file that is no statement (or a bank CSV
/// without its `account`); store errors.
pub async fn import_file(
    state: &AppState,
    caller: &Caller,
    body: &[u8],
    query: StatementQuery,
) -> Result<StatementResult, ApiError> {
    let mapping = match query.map.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(spec) => overdue_formats::bank::csv::CsvMapping::parse_spec(spec)
            .map_err(|e| ApiError::bad_request("map", e.to_string()))?,
        None => Default::default(),
    };
    let csv = overdue_app::bank::CsvOptions { mapping, account: query.account, ..Default::default() };
    let file = overdue_app::bank::read(body, &csv)?;
    let today = overdue_app::clock::today(&caller.organisation, chrono::Utc::now());
    let name = query.name.unwrap_or_else(|| "upload".to_owned());
    let strict = query.strict.unwrap_or(false);
    let tenant = caller.organisation.id;
    let (imported, file) = state
        .with_store_writing(move |store| {
            let imported = overdue_app::bank::import(store, tenant, (&name, today), &file, strict)?;
            Ok((imported, file))
        })
        .await?;
    let report = imported.report;
    let mut warnings: Vec<String> = file
        .mismatches
        .iter()
        .map(|m| format!("statement {} of account {}: {}", m.statement, m.account, m.mismatch))
        .collect();
    warnings.extend(report.breaks.iter().map(ToString::to_string));
    Ok(StatementResult {
        kind: file.kind,
        new_lines: report.new_lines,
        known_lines: report.known_lines,
        applied: report.applied,
        to_review: report.to_review,
        unmatched: report.unmatched,
        money_out: report.debits,
        reversed: report.reversed.len() as u64,
        rejected: file.rejected.into_iter().chain(imported.future).collect(),
        warnings,
    })
}

/// Which lines to list, and how many.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LinesQuery {
    /// At most this many (default 50, at most 500).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `true`: the lines already decided (applied or set aside), newest booking first, each of
    /// which `undo` takes back. Default: the lines waiting for a person.
    pub decided: Option<bool>,
}

/// One part of a proposal: an invoice and what the line would pay of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposedPart {
    pub invoice: String,
    pub amount_minor: i64,
    /// An early-payment discount it would settle with it.
    pub discount_minor: i64,
}

/// A bank line, with what the matcher (or a person) made of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineItem {
    pub id: i64,
    pub account: String,
    pub booking_date: NaiveDate,
    pub amount: Amount,
    pub payer: Option<String>,
    pub remittance: Option<String>,
    /// applied, review, unmatched, debit or ignored.
    pub status: String,
    /// The customer proposed, if any.
    pub customer: Option<String>,
    /// 0 to 100.
    pub confidence: u8,
    /// Why, in words.
    pub evidence: Vec<String>,
    pub proposal: Vec<ProposedPart>,
    /// The payment it became, once applied.
    pub payment: Option<String>,
    /// Why it was set aside or undone, and by whom.
    pub note: Option<String>,
}

impl From<StoredBankLine> for LineItem {
    fn from(l: StoredBankLine) -> Self {
        Self {
            id: l.id,
            account: l.line.account,
            booking_date: l.line.booking_date,
            amount: l.line.amount.into(),
            payer: l.line.counterparty_name,
            remittance: l.line.remittance,
            status: l.status.as_str().to_owned(),
            customer: l.customer,
            confidence: l.confidence,
            evidence: l.evidence.iter().map(ToString::to_string).collect(),
            payment: l.payment,
            note: l.note,
            proposal: l
                .proposal
                .into_iter()
                .map(|p| ProposedPart {
                    invoice: p.number,
                    amount_minor: p.amount_minor,
                    discount_minor: p.discount_minor,
                })
                .collect(),
        }
    }
}

/// The bank lines waiting for a person, oldest first; or those decided, newest first.
#[utoipa::path(get, path = "/api/v1/bank/lines", params(LinesQuery), security(("token" = [])), responses(
    (status = 200, body = Vec<LineItem>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)
))]
pub async fn lines(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<LinesQuery>, QueryRejection>,
) -> Result<Json<Vec<LineItem>>, ApiError> {
    let Query(query) = query?;
    let limit = i64::from(page(query.limit)?.limit.unwrap_or(50));
    let (tenant, decided) = (caller.organisation.id, query.decided == Some(true));
    let lines = state
        .with_store(move |store| {
            Ok(if decided {
                store.bank_lines_decided(tenant, limit)?
            } else {
                store.bank_lines_to_review(tenant, limit)?
            })
        })
        .await?;
    Ok(Json(lines.into_iter().map(LineItem::from).collect()))
}

/// A person's decision about a bank line.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// accept (the proposal as it stands), assign (to `customer`, paying `invoices`), ignore or
    /// undo (an applied line matched wrongly; both need a `reason`).
    pub decision: String,
    pub customer: Option<String>,
    #[serde(default)]
    pub invoices: Vec<String>,
    pub reason: Option<String>,
}

/// Decides a bank line: the line as it now stands.
#[utoipa::path(post, path = "/api/v1/bank/lines/{id}/decide", params(("id" = i64, Path)), request_body = Decision,
    security(("token" = [])), responses(
    (status = 200, body = LineItem), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    request: Result<Json<Decision>, JsonRejection>,
) -> Result<Json<LineItem>, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    Ok(Json(decide_line(&state, &caller, id, &request).await?))
}

/// Applies a person's decision about bank line `id` of the caller's organisation; the line as it
/// now stands.
///
/// Errors: 400 naming `decision`, `customer` or `reason` when the decision is not one or lacks
/// what it needs; 404 for a line not the organisation's; 422 when the books refuse it.
pub async fn decide_line(state: &AppState, caller: &Caller, id: i64, request: &Decision) -> Result<LineItem, ApiError> {
    let reason = || {
        request
            .reason
            .clone()
            .filter(|r| !r.trim().is_empty())
            .ok_or_else(|| ApiError::bad_request("reason", "say why"))
    };
    let decision = match request.decision.as_str() {
        "accept" => BankDecision::Accept,
        "assign" => BankDecision::Assign {
            customer: request.customer.clone().ok_or_else(|| ApiError::bad_request("customer", "whose money it is"))?,
            invoices: request.invoices.clone(),
        },
        "ignore" => BankDecision::Ignore { reason: reason()? },
        "undo" => BankDecision::Undo { reason: reason()? },
        _ => return Err(ApiError::bad_request("decision", "accept, assign, ignore or undo")),
    };
    let (tenant, by) = (caller.organisation.id, caller.name.clone());
    let decided =
        state.with_store_writing(move |store| Ok(store.decide_bank_line(tenant, id, &decision, &by)?)).await?;
    Ok(decided.into())
}
