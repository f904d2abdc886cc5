//! Recording the work through the API: promises to pay, disputes, conversations, actions done,
//! and what the scheduler did. Each needs a token that may write (admin or controller), except
//! the jobs listing.

use super::idempotency;
use super::page;
use crate::auth::Caller;
use crate::error::{ApiError, ApiPath, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use overdue_core::contact::{Channel, Direction, Interaction};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The organisation's day, for dates a request leaves out.
fn today(caller: &Caller) -> NaiveDate {
    overdue_app::clock::today(&caller.organisation, chrono::Utc::now())
}

/// A promise to pay.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromiseRequest {
    pub customer: String,
    /// Written with its decimals, e.g. `"1500.00"`.
    pub amount: String,
    /// The day the customer said the money will arrive.
    pub date: NaiveDate,
    /// The day it was promised (default: today).
    pub made_on: Option<NaiveDate>,
    /// transfer, card, cheque, cash, direct_debit or other.
    pub method: Option<String>,
    /// Who at the customer promised.
    pub promised_by: Option<String>,
    /// The invoices it covers (none: the account's oldest debts).
    #[serde(default)]
    pub invoices: Vec<String>,
    /// ISO 4217, when the invoices named do not say it (default: the customer's).
    pub currency: Option<String>,
}

/// A fact recorded, by id.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    pub id: i64,
}

/// Records a promise to pay: the reminders for what it covers wait until its date. With an
/// `Idempotency-Key`, a retry records nothing more.
#[utoipa::path(post, path = "/api/v1/promises", request_body = PromiseRequest, security(("token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes a retry change nothing")), responses(
    (status = 201, body = Recorded), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn record_promise(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    request: Result<Json<PromiseRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let stated = overdue_app::followup::PromiseStated {
        customer: request.customer.clone(),
        amount: request.amount.clone(),
        promised_date: request.date,
        made_on: request.made_on.unwrap_or_else(|| today(&caller)),
        method: request.method.clone(),
        promised_by: request.promised_by.clone(),
        invoices: request.invoices.clone(),
        currency: request.currency.clone(),
        within_pending: false,
    };
    let (organisation, by) = (caller.organisation.clone(), caller.name.clone());
    idempotency::once(&state, &caller, &headers, &("POST /api/v1/promises", &request), move |store| {
        let recorded = overdue_app::followup::record_promise(store, &organisation, &stated, &by)?;
        Ok((StatusCode::CREATED, Recorded { id: recorded.id }))
    })
    .await
}

/// A dispute on one invoice.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeRequest {
    pub invoice: String,
    /// not_received, disputed_quality, disputed_quantity, disputed_price, awaiting_approval,
    /// missing_po, … (or a synonym).
    pub reason: String,
    pub note: Option<String>,
    /// Default: today.
    pub opened_on: Option<NaiveDate>,
}

/// Opens a dispute: only that invoice stops being chased until it is resolved.
#[utoipa::path(post, path = "/api/v1/disputes", request_body = DisputeRequest, security(("token" = [])), responses(
    (status = 201, body = DisputeOpened), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn open_dispute(
    State(state): State<AppState>,
    caller: Caller,
    request: Result<Json<DisputeRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<DisputeOpened>), ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let opened_on = request.opened_on.unwrap_or_else(|| today(&caller));
    let opened = state
        .with_store_writing(move |store| {
            let stated = (request.invoice.as_str(), request.reason.as_str(), request.note);
            let dispute =
                overdue_app::followup::open_dispute(store, &caller.organisation, stated, opened_on, &caller.name)?;
            Ok(dispute)
        })
        .await?;
    let opened = DisputeOpened {
        invoice: opened.invoice.to_string(),
        reason: opened.reason.to_string(),
        opened_on: opened.opened_on,
    };
    Ok((StatusCode::CREATED, Json(opened)))
}

/// A dispute opened: only its invoice stops being chased.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisputeOpened {
    pub invoice: String,
    pub reason: String,
    pub opened_on: NaiveDate,
}

/// How a dispute ended.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    pub resolution: String,
    /// Default: today.
    pub on: Option<NaiveDate>,
}

/// Resolves the open dispute on an invoice: what is still owed is chased again.
#[utoipa::path(post, path = "/api/v1/disputes/{invoice}/resolve", params(("invoice" = String, Path)),
    request_body = ResolveRequest, security(("token" = [])), responses(
    (status = 204, description = "resolved"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn resolve_dispute(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(invoice): ApiPath<String>,
    request: Result<Json<ResolveRequest>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let on = request.on.unwrap_or_else(|| today(&caller));
    state
        .with_store_writing(move |store| {
            let stated = (invoice.as_str(), request.resolution.as_str());
            Ok(overdue_app::followup::resolve_dispute(store, &caller.organisation, stated, on)?)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A conversation with a customer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationRequest {
    pub customer: String,
    /// call (default), email, letter, sms, meeting or portal.
    pub channel: Option<String>,
    /// outbound (default) or inbound.
    pub direction: Option<String>,
    /// What was said, in a sentence.
    pub summary: String,
    /// When (RFC 3339, e.g. `2026-11-30T10:15:00Z`; default: now).
    pub at: Option<DateTime<Utc>>,
    /// Who was spoken to.
    pub contact: Option<String>,
    pub outcome: Option<String>,
    /// Why they have not paid, if they said (see the dispute reasons).
    pub reason: Option<String>,
    pub reason_note: Option<String>,
    /// The invoices it was about.
    #[serde(default)]
    pub invoices: Vec<String>,
}

/// Records a conversation on the customer's timeline. With an `Idempotency-Key`, a retry records
/// nothing more.
#[utoipa::path(post, path = "/api/v1/conversations", request_body = ConversationRequest, security(("token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes a retry change nothing")), responses(
    (status = 201, body = Recorded), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn record_conversation(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    request: Result<Json<ConversationRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let channel = match request.channel.as_deref() {
        None => Channel::Call,
        Some(text) => Channel::parse(text)
            .ok_or_else(|| ApiError::bad_request("channel", format!("{text:?} is not one of {}", Channel::names())))?,
    };
    let direction = match request.direction.as_deref() {
        None => Direction::Outbound,
        Some(text) => Direction::parse(text)
            .ok_or_else(|| ApiError::bad_request("direction", format!("{text:?} is neither inbound nor outbound")))?,
    };
    let reason = request.reason.as_deref().map(overdue_app::followup::reason).transpose()?;
    let interaction = Interaction {
        at: request.at.unwrap_or_else(chrono::Utc::now).naive_utc(),
        channel,
        direction,
        contact: request.contact.clone(),
        recorded_by: caller.name.clone(),
        summary: request.summary.trim().to_owned(),
        outcome: request.outcome.clone(),
        reason,
        reason_note: request.reason_note.clone(),
        receipt_check: None,
        attachment: None,
        invoices: overdue_app::followup::numbers(&request.invoices)?,
    };
    let (organisation, customer) = (caller.organisation.clone(), request.customer.clone());
    idempotency::once(&state, &caller, &headers, &("POST /api/v1/conversations", &request), move |store| {
        let id = overdue_app::followup::record_conversation(store, &organisation, &customer, &interaction)?;
        Ok((StatusCode::CREATED, Recorded { id }))
    })
    .await
}

/// An action done.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DoneRequest {
    pub note: Option<String>,
    /// Default: today.
    pub on: Option<NaiveDate>,
}

/// The action as it now stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionDone {
    pub id: i64,
    pub customer_code: String,
    /// open, done or (closed without doing it) skipped.
    pub status: String,
}

/// Marks an action of the work list done.
#[utoipa::path(post, path = "/api/v1/actions/{id}/done", params(("id" = i64, Path)), request_body = DoneRequest,
    security(("token" = [])), responses(
    (status = 400, body = ErrorBody),
    (status = 200, body = ActionDone), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn complete_action(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    request: Result<Json<DoneRequest>, JsonRejection>,
) -> Result<Json<ActionDone>, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let on = request.on.unwrap_or_else(|| today(&caller));
    let action = state
        .with_store_writing(move |store| {
            let done = (on, caller.name.as_str(), request.note.as_deref());
            Ok(overdue_app::followup::complete_action(store, &caller.organisation, id, done)?)
        })
        .await?;
    Ok(Json(ActionDone { id: action.id, customer_code: action.customer_code, status: action.status }))
}

/// How many jobs to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct JobsQuery {
    /// At most this many (default 50, at most 500).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// One job of the scheduler.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobItem {
    /// daily_run.
    pub job: String,
    pub day: NaiveDate,
    /// running, done or failed.
    pub state: String,
    /// The server (`host:pid`) that ran it last.
    pub worker: String,
    pub attempts: i64,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// What it did, or why it failed.
    pub outcome: Option<String>,
}

/// What the scheduler did, newest day first.
#[utoipa::path(get, path = "/api/v1/jobs", params(JobsQuery), security(("token" = [])), responses(
    (status = 200, body = Vec<JobItem>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)
))]
pub async fn jobs(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<JobsQuery>, QueryRejection>,
) -> Result<Json<Vec<JobItem>>, ApiError> {
    let Query(query) = query?;
    let limit = i64::from(page(query.limit)?.limit.unwrap_or(50));
    let jobs = state.with_store(move |store| Ok(store.jobs(caller.organisation.id, limit)?)).await?;
    let items = jobs
        .into_iter()
        .map(|job| JobItem {
            job: job.job,
            day: job.day,
            state: job.state.as_str().to_owned(),
            worker: job.worker,
            attempts: job.attempts,
            started_at: job.started_at.and_utc(),
            finished_at: job.finished_at.map(|at| at.and_utc()),
            outcome: job.outcome,
        })
        .collect();
    Ok(Json(items))
}

/// A credit (a credit note's number or an over-payment's reference) moved onto or off an invoice.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditMove {
    pub credit: String,
    pub invoice: String,
    /// How much, in the invoice's currency (applying only; default: all it can).
    pub amount: Option<String>,
}

/// What a credit move did.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreditMoved {
    pub credit: String,
    pub invoice: String,
    /// Applied, or taken back.
    pub amount: super::Amount,
}

/// Applies a credit to the invoice it is meant for (on the customer's timeline).
#[utoipa::path(post, path = "/api/v1/credits/apply", request_body = CreditMove, security(("token" = [])), responses(
    (status = 200, body = CreditMoved), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn apply_credit(
    State(state): State<AppState>,
    caller: Caller,
    request: Result<Json<CreditMove>, JsonRejection>,
) -> Result<Json<CreditMoved>, ApiError> {
    move_credit(state, caller, request, true).await
}

/// Takes back what a credit paid of an invoice: the credit then waits, and is not applied again
/// by itself.
#[utoipa::path(post, path = "/api/v1/credits/unapply", request_body = CreditMove, security(("token" = [])), responses(
    (status = 200, body = CreditMoved), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn unapply_credit(
    State(state): State<AppState>,
    caller: Caller,
    request: Result<Json<CreditMove>, JsonRejection>,
) -> Result<Json<CreditMoved>, ApiError> {
    move_credit(state, caller, request, false).await
}

async fn move_credit(
    state: AppState,
    caller: Caller,
    request: Result<Json<CreditMove>, JsonRejection>,
    apply: bool,
) -> Result<Json<CreditMoved>, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let at = chrono::Utc::now().naive_utc();
    let (credit, invoice) = (request.credit.clone(), request.invoice.clone());
    let amount = state
        .with_store_writing(move |store| {
            let tenant = caller.organisation.id;
            let by = (caller.name.as_str(), at);
            let moved = if apply {
                let what = (request.credit.as_str(), request.invoice.as_str(), request.amount.as_deref());
                overdue_app::credits::apply(store, tenant, what, by)?
            } else {
                overdue_app::credits::unapply(store, tenant, (request.credit.as_str(), request.invoice.as_str()), by)?
            };
            Ok(moved)
        })
        .await?;
    Ok(Json(CreditMoved { credit, invoice, amount: amount.into() }))
}

/// Why an action is skipped.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkipRequest {
    pub reason: String,
    /// Default: today.
    pub on: Option<NaiveDate>,
}

/// Closes an action of the work list without doing it, with the reason: its message never goes,
/// nothing it would do is recorded, the timeline says it was skipped and why, and the ladder goes
/// on to its next step.
#[utoipa::path(post, path = "/api/v1/actions/{id}/skip", params(("id" = i64, Path)), request_body = SkipRequest,
    security(("token" = [])), responses(
    (status = 200, body = ActionDone), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn skip_action(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    request: Result<Json<SkipRequest>, JsonRejection>,
) -> Result<Json<ActionDone>, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let on = request.on.unwrap_or_else(|| today(&caller));
    let action = state
        .with_store_writing(move |store| {
            let skipped = (on, caller.name.as_str(), request.reason.as_str());
            Ok(overdue_app::followup::skip_action(store, &caller.organisation, id, skipped)?)
        })
        .await?;
    Ok(Json(ActionDone { id: action.id, customer_code: action.customer_code, status: "skipped".into() }))
}

/// A payment recorded by mistake, and why it is undone.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentReversal {
    /// The payment's reference (as recorded; `INVOICE/DATE/AMOUNT` for one recorded without).
    pub reference: String,
    pub reason: String,
}

/// What undoing a payment reopened.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentReversed {
    pub reference: String,
    /// The invoices open again.
    pub reopened: Vec<String>,
}

/// Undoes a payment recorded by mistake (a wrong amount, the wrong invoice): it stays on record
/// with the reason (on the timeline), the invoices it paid are open again and the credit it left
/// is gone. A payment that came from a bank line is undone through its line.
#[utoipa::path(post, path = "/api/v1/payments/reverse", request_body = PaymentReversal, security(("token" = [])),
    responses(
    (status = 200, body = PaymentReversed), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn reverse_payment(
    State(state): State<AppState>,
    caller: Caller,
    request: Result<Json<PaymentReversal>, JsonRejection>,
) -> Result<Json<PaymentReversed>, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let on = today(&caller);
    let reference = request.reference.clone();
    let reopened = state
        .with_store_writing(move |store| {
            let said = (on, caller.name.as_str(), request.reason.as_str());
            Ok(overdue_app::payments::reverse(store, &caller.organisation, &request.reference, said)?)
        })
        .await?;
    Ok(Json(PaymentReversed { reference, reopened }))
}
