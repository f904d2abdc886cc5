//! Messages through the API: the outbox, approving or rejecting what waits for a person, and the
//! exact text an action's message would have if it went out on a day.

use super::page;
use crate::auth::Caller;
use crate::error::{ApiError, ApiPath, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use chrono::{DateTime, NaiveDate, Utc};
use overdue_app::outbox::Sender;
use overdue_store::{OutboxDecision, OutboxEntry};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Which messages to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MessagesQuery {
    /// Sent and cancelled ones too (default: only those still to go or needing a person).
    pub all: Option<bool>,
    /// At most this many (default 50, at most 500).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// One message of the outbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageItem {
    pub id: i64,
    pub action_id: i64,
    pub customer_code: String,
    /// queued, sending, sent, failed, uncertain or cancelled.
    pub status: String,
    pub attempts: i64,
    pub recipient: Option<String>,
    pub subject: Option<String>,
    pub due_on: NaiveDate,
    /// Why it waits for a person's approval, if it does.
    pub approval: Option<String>,
    pub approved_by: Option<String>,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    /// What its action is, in a sentence.
    pub what: String,
}

impl From<OutboxEntry> for MessageItem {
    fn from(m: OutboxEntry) -> Self {
        Self {
            id: m.id,
            action_id: m.action_id,
            customer_code: m.customer,
            status: m.status.as_str().to_owned(),
            attempts: m.attempts,
            recipient: m.recipient,
            subject: m.subject,
            due_on: m.due_on,
            approval: m.approval,
            approved_by: m.approved_by,
            last_error: m.last_error,
            sent_at: m.sent_at.map(|at| at.and_utc()),
            what: m.what,
        }
    }
}

/// The organisation's outbox, newest first.
#[utoipa::path(get, path = "/api/v1/messages", params(MessagesQuery), security(("token" = [])), responses(
    (status = 200, body = Vec<MessageItem>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)
))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<MessagesQuery>, QueryRejection>,
) -> Result<Json<Vec<MessageItem>>, ApiError> {
    let Query(query) = query?;
    let limit = i64::from(page(query.limit)?.limit.unwrap_or(50));
    let all = query.all.unwrap_or(false);
    let messages = state.with_store(move |store| Ok(store.outbox(caller.organisation.id, all, limit)?)).await?;
    Ok(Json(messages.into_iter().map(MessageItem::from).collect()))
}

/// Approves a message that waits for a person: it goes out with the next send.
#[utoipa::path(post, path = "/api/v1/messages/{id}/approve", params(("id" = i64, Path)), security(("token" = [])),
    responses(
    (status = 400, body = ErrorBody),
    (status = 200, body = MessageItem), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MessageItem>, ApiError> {
    caller.may_write()?;
    let at = chrono::Utc::now().naive_utc();
    let approved = state
        .with_store_writing(move |store| {
            Ok(overdue_app::outbox::approve(store, &caller.organisation, id, (caller.name.as_str(), at))?)
        })
        .await?;
    Ok(Json(approved.into()))
}

/// Why a message must not go.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    pub reason: String,
}

/// Rejects a message: it never goes, and its action is closed with the reason.
#[utoipa::path(post, path = "/api/v1/messages/{id}/reject", params(("id" = i64, Path)), request_body = RejectRequest,
    security(("token" = [])), responses(
    (status = 200, body = MessageItem), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn reject(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    request: Result<Json<RejectRequest>, JsonRejection>,
) -> Result<Json<MessageItem>, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let today = overdue_app::clock::today(&caller.organisation, chrono::Utc::now());
    let rejected = state
        .with_store_writing(move |store| {
            let decided = (caller.name.as_str(), request.reason.as_str(), today);
            Ok(overdue_app::outbox::reject(store, &caller.organisation, id, decided)?)
        })
        .await?;
    Ok(Json(rejected.into()))
}

/// Sends a failed or uncertain message again with the next send (check first that it did not go).
#[utoipa::path(post, path = "/api/v1/messages/{id}/retry", params(("id" = i64, Path)), security(("token" = [])),
    responses(
    (status = 200, body = MessageItem), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn retry(state: State<AppState>, caller: Caller, id: ApiPath<i64>) -> Result<Json<MessageItem>, ApiError> {
    decide(state, caller, id, OutboxDecision::Retry).await
}

/// Cancels a message that has not gone: it is never sent.
#[utoipa::path(post, path = "/api/v1/messages/{id}/cancel", params(("id" = i64, Path)), security(("token" = [])),
    responses(
    (status = 200, body = MessageItem), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn cancel(state: State<AppState>, caller: Caller, id: ApiPath<i64>) -> Result<Json<MessageItem>, ApiError> {
    decide(state, caller, id, OutboxDecision::Cancel).await
}

async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    decision: OutboxDecision,
) -> Result<Json<MessageItem>, ApiError> {
    caller.may_write()?;
    let at = chrono::Utc::now().naive_utc();
    let decided = state
        .with_store_writing(move |store| {
            Ok(overdue_app::outbox::decide(store, &caller.organisation, id, (decision, &caller.name, at))?)
        })
        .await?;
    Ok(Json(decided.into()))
}

/// Which day to write the message for.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// Default: today in the organisation's time zone.
    pub as_of: Option<NaiveDate>,
}

/// An action's message as it would go out on the day.
#[derive(Debug, Serialize, ToSchema)]
pub struct Preview {
    /// send (it would go), hold (a person must decide first), withdraw (nothing left to ask), done
    /// (already sent, or its action closed) or no_address (an e-mail with nobody to send it to).
    pub verdict: String,
    /// Why it would be held or withdrawn.
    pub why: Option<String>,
    pub to: Option<String>,
    /// ISO 639-1: the language it is written in.
    pub language: Option<String>,
    pub subject: Option<String>,
    pub body: Option<String>,
}

/// The exact text of an action's message on a day, built from the books as they stand then.
#[utoipa::path(get, path = "/api/v1/actions/{id}/preview", params(("id" = i64, Path), PreviewQuery),
    security(("token" = [])), responses(
    (status = 400, body = ErrorBody),
    (status = 200, body = Preview), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody)
))]
pub async fn preview(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    query: Result<Query<PreviewQuery>, QueryRejection>,
) -> Result<Json<Preview>, ApiError> {
    let Query(query) = query?;
    let today = query.as_of.unwrap_or_else(|| overdue_app::clock::today(&caller.organisation, chrono::Utc::now()));
    let (templates, rates) = (state.templates.clone(), state.rates.clone());
    let shown = state
        .with_store(move |store| {
            let action = store.action(caller.organisation.id, id)?;
            let sender = Sender { organisation: &caller.organisation, templates: &templates, rates: &rates };
            Ok(overdue_app::outbox::preview(store, &sender, &action, today)?)
        })
        .await?;
    let prepared = shown.prepared;
    Ok(Json(Preview {
        verdict: shown.verdict.to_owned(),
        why: shown.why,
        to: prepared.as_ref().and_then(|p| p.to.clone()),
        language: prepared.as_ref().map(|p| p.language.clone()),
        subject: prepared.as_ref().map(|p| p.rendered.subject.clone()),
        body: prepared.map(|p| p.rendered.body),
    }))
}
