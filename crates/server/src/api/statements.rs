//! A customer's statement of account: downloaded as a PDF letter for a period, or queued to go
//! by e-mail today.

use super::ApiPath;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use overdue_app::messages::PageLink;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The period of a statement.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// The first day. Default: the first day of the month before `to`'s.
    pub from: Option<NaiveDate>,
    /// The last day, not after today. Default: today in the organisation's time zone.
    pub to: Option<NaiveDate>,
}

/// Whether a statement was queued now (false: one was already queued today).
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementQueued {
    pub queued: bool,
}

/// The customer's statement of account for a period, as a PDF letter in their language: the
/// opening balance, every invoice, credit note and payment with the running balance, the closing
/// balance per currency, the invoices open at its end, and an EPC QR code for the balance.
#[utoipa::path(get, path = "/api/v1/customers/{code}/statement", params(("code" = String, Path), PeriodQuery),
    security(("token" = [])), responses(
    (status = 200, description = "the statement as a PDF letter", content((Vec<u8> = "application/pdf"))),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody)
))]
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    query: Result<Query<PeriodQuery>, QueryRejection>,
) -> Result<axum::response::Response, ApiError> {
    let Query(query) = query?;
    let to = query.to.unwrap_or_else(|| overdue_app::clock::today(&caller.organisation, chrono::Utc::now()));
    let from = query.from.unwrap_or_else(|| overdue_app::statement::default_from(to));
    let templates = state.templates.clone();
    let (title, pdf) = state
        .with_store(move |store| {
            let period = ((from, to), &PageLink::None);
            let prepared =
                overdue_app::messages::statement_message(store, &caller.organisation, &templates, &code, period)?;
            let pdf = prepared.attachments.into_iter().next().map(|file| file.content).unwrap_or_default();
            Ok((prepared.rendered.subject, pdf))
        })
        .await?;
    Ok(super::exports::download(&format!("{title}.pdf"), "application/pdf", pdf))
}

/// Queues the customer's statement of account (the month before and this one, to today) to go
/// by e-mail to their billing contact; the outbox sends it. Once a day.
#[utoipa::path(post, path = "/api/v1/customers/{code}/statement", params(("code" = String, Path)),
    security(("token" = [])), responses(
    (status = 201, body = StatementQueued), (status = 200, body = StatementQueued),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody)
))]
pub async fn queue(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<(StatusCode, Json<StatementQueued>), ApiError> {
    caller.may_write()?;
    let today = overdue_app::clock::today(&caller.organisation, chrono::Utc::now());
    let queued = state
        .with_store_writing(move |store| Ok(overdue_app::statement::queue(store, &caller.organisation, &code, today)?))
        .await?;
    let status = if queued { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(StatementQueued { queued })))
}
