//! The organisation's settings and its day through the API: the letterhead, read and changed,
//! and a day's run on demand (the scheduler runs each day by itself; running one again changes
//! nothing).

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The letterhead: address, tax id, the e-mail messages are sent from, who signs, and the ways
/// customers may pay (`payment`: iban, bic, payment_link, cheque_payable_to, direct_debit,
/// reference_scheme).
#[derive(Debug, Serialize, ToSchema)]
pub struct LetterheadBody {
    #[schema(value_type = Object)]
    pub letterhead: serde_json::Value,
}

fn body(letterhead: &overdue_core::letterhead::Letterhead) -> Result<LetterheadBody, ApiError> {
    let value = serde_json::to_value(letterhead).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(LetterheadBody { letterhead: value })
}

/// The organisation's letterhead.
#[utoipa::path(get, path = "/api/v1/letterhead", security(("token" = [])), responses(
    (status = 200, body = LetterheadBody), (status = 401, body = ErrorBody)
))]
pub async fn letterhead(State(state): State<AppState>, caller: Caller) -> Result<Json<LetterheadBody>, ApiError> {
    let letterhead = state.with_store(move |store| Ok(store.letterhead(caller.organisation.id)?)).await?;
    Ok(Json(body(&letterhead)?))
}

/// Settings to change, by key (`email`, `address`, `tax_id`, `phone`, `signed_by`, `iban`, `bic`,
/// `payment_link`, `cheque_payable_to`, `direct_debit`, `reference_scheme`); an empty value clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterheadChange {
    pub settings: BTreeMap<String, String>,
}

/// Changes the letterhead (an admin's job).
#[utoipa::path(patch, path = "/api/v1/letterhead", request_body = LetterheadChange, security(("token" = [])),
    responses(
    (status = 200, body = LetterheadBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn change_letterhead(
    State(state): State<AppState>,
    caller: Caller,
    request: Result<Json<LetterheadChange>, JsonRejection>,
) -> Result<Json<LetterheadBody>, ApiError> {
    if !caller.role.can_administer() {
        return Err(ApiError::new(axum::http::StatusCode::FORBIDDEN, None, "only an admin changes the letterhead"));
    }
    let Json(request) = request?;
    let settings: Vec<(String, String)> = request.settings.into_iter().collect();
    let letterhead = state
        .with_store_writing(move |store| {
            Ok(overdue_app::settings::set_letterhead(store, &caller.organisation, &settings)?)
        })
        .await?;
    Ok(Json(body(&letterhead)?))
}

/// Which day to run.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// Default: today in the organisation's time zone.
    pub as_of: Option<NaiveDate>,
}

/// What a day's run did.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunResult {
    pub day: NaiveDate,
    /// Customers looked at.
    pub customers: u64,
    /// Open invoices looked at.
    pub invoices: u64,
    /// Actions due that day.
    pub planned: u64,
    /// Of those, new in the books (the rest were planned by an earlier run).
    pub created: u64,
}

/// Plans a day for every customer now (the scheduler does it each day by itself; a day run again
/// creates nothing new).
#[utoipa::path(post, path = "/api/v1/runs", request_body = RunRequest, security(("token" = [])), responses(
    (status = 200, body = RunResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn run(
    State(state): State<AppState>,
    caller: Caller,
    request: Result<Json<RunRequest>, JsonRejection>,
) -> Result<Json<RunResult>, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let day = request.as_of.unwrap_or_else(|| overdue_app::clock::today(&caller.organisation, chrono::Utc::now()));
    overdue_app::day("as_of", day)?;
    let report = state
        .with_store_writing(move |store| Ok(overdue_app::day::run(store, &caller.organisation, day, &mut |_| {})?))
        .await?;
    Ok(Json(RunResult {
        day,
        customers: report.customers,
        invoices: report.invoices,
        planned: report.planned,
        created: report.created,
    }))
}

/// The policy book: the ladders of reminders (steps with their offsets, tones, channels,
/// approvals and fees), which policy applies by default and to each segment.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyBody {
    #[schema(value_type = Object)]
    pub book: serde_json::Value,
}

/// The organisation's policy book.
#[utoipa::path(get, path = "/api/v1/policy", security(("token" = [])), responses(
    (status = 200, body = PolicyBody), (status = 401, body = ErrorBody)
))]
pub async fn policy(State(state): State<AppState>, caller: Caller) -> Result<Json<PolicyBody>, ApiError> {
    let book = state.with_store(move |store| Ok(store.policy_book(caller.organisation.id)?)).await?;
    Ok(Json(PolicyBody { book: serde_json::to_value(&book).map_err(|e| ApiError::internal(e.to_string()))? }))
}

/// Replaces the policy book, checked whole first (an admin's job).
#[utoipa::path(put, path = "/api/v1/policy", request_body = PolicyBody, security(("token" = [])), responses(
    (status = 200, body = PolicyBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn load_policy(
    State(state): State<AppState>,
    caller: Caller,
    request: Result<Json<PolicyBody>, JsonRejection>,
) -> Result<Json<PolicyBody>, ApiError> {
    if !caller.role.can_administer() {
        return Err(ApiError::new(axum::http::StatusCode::FORBIDDEN, None, "only an admin changes the policy book"));
    }
    let Json(request) = request?;
    let book: overdue_core::policy::PolicyBook = serde_json::from_value(request.book.clone())
        .map_err(|e| ApiError::bad_request("book", format!("not a policy book: {e}")))?;
    let templates = state.templates.clone();
    state
        .with_store_writing(move |store| {
            Ok(overdue_app::settings::load_policy(store, &caller.organisation, &book, &templates)?)
        })
        .await?;
    Ok(Json(request))
}

/// A day nobody is called or written to.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosingDay {
    pub day: NaiveDate,
    pub name: String,
}

/// The organisation's closing days (besides weekends and public holidays).
#[utoipa::path(get, path = "/api/v1/closing-days", security(("token" = [])), responses(
    (status = 200, body = Vec<NaiveDate>), (status = 401, body = ErrorBody)
))]
pub async fn closing_days(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<NaiveDate>>, ApiError> {
    Ok(Json(state.with_store(move |store| Ok(store.closing_days(caller.organisation.id)?)).await?))
}

/// Adds a closing day: no calls or messages are planned for it.
#[utoipa::path(post, path = "/api/v1/closing-days", request_body = ClosingDay, security(("token" = [])), responses(
    (status = 201, body = ClosingDay), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn add_closing_day(
    State(state): State<AppState>,
    caller: Caller,
    request: Result<Json<ClosingDay>, JsonRejection>,
) -> Result<(axum::http::StatusCode, Json<ClosingDay>), ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let (day, name) = (request.day, request.name.clone());
    state
        .with_store_writing(move |store| {
            Ok(overdue_app::settings::add_closing_day(store, &caller.organisation, (day, &name))?)
        })
        .await?;
    Ok((axum::http::StatusCode::CREATED, Json(request)))
}

/// The organisation's time zone: what "today" means for it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeZoneBody {
    /// An IANA name (`Europe/Madrid`), or `country` for the usual one of its country.
    pub zone: String,
    /// Today there.
    pub today: Option<NaiveDate>,
}

/// The organisation's time zone and its today.
#[utoipa::path(get, path = "/api/v1/time-zone", security(("token" = [])), responses(
    (status = 200, body = TimeZoneBody), (status = 401, body = ErrorBody)
))]
pub async fn time_zone(caller: Caller) -> Json<TimeZoneBody> {
    let zone = overdue_app::clock::time_zone(&caller.organisation).name().to_owned();
    let today = Some(overdue_app::clock::today(&caller.organisation, chrono::Utc::now()));
    Json(TimeZoneBody { zone, today })
}

/// Sets the organisation's time zone (an admin's job).
#[utoipa::path(put, path = "/api/v1/time-zone", request_body = TimeZoneBody, security(("token" = [])), responses(
    (status = 200, body = TimeZoneBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn set_time_zone(
    State(state): State<AppState>,
    caller: Caller,
    request: Result<Json<TimeZoneBody>, JsonRejection>,
) -> Result<Json<TimeZoneBody>, ApiError> {
    if !caller.role.can_administer() {
        return Err(ApiError::new(axum::http::StatusCode::FORBIDDEN, None, "only an admin sets the time zone"));
    }
    let Json(request) = request?;
    let zone = match request.zone.as_str() {
        "country" => None,
        name => Some(overdue_app::clock::parse_time_zone(name)?.name().to_owned()),
    };
    let mut organisation = caller.organisation.clone();
    organisation.time_zone = zone.clone();
    let tenant = organisation.id;
    state.with_store_writing(move |store| Ok(store.set_time_zone(tenant, zone.as_deref())?)).await?;
    let name = overdue_app::clock::time_zone(&organisation).name().to_owned();
    Ok(Json(TimeZoneBody { zone: name, today: Some(overdue_app::clock::today(&organisation, chrono::Utc::now())) }))
}

/// A customer's segment and own dunning policy (none: by segment, else the default).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyAssignment {
    /// A segment the policy book names.
    pub segment: Option<String>,
    /// A policy of the policy book by name.
    pub policy: Option<String>,
}

/// The policy a customer follows: its own, else its segment's, else the book's default.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerPolicy {
    pub segment: Option<String>,
    pub policy: Option<String>,
    /// The policy the ladder uses for this customer.
    pub effective_policy: String,
}

/// Which dunning policy a customer follows, and why.
#[utoipa::path(get, path = "/api/v1/customers/{code}/policy", params(("code" = String, Path)),
    security(("token" = [])), responses(
    (status = 200, body = CustomerPolicy), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody)
))]
pub async fn customer_policy(
    State(state): State<AppState>,
    caller: Caller,
    crate::error::ApiPath(code): crate::error::ApiPath<String>,
) -> Result<Json<CustomerPolicy>, ApiError> {
    let today = overdue_app::clock::today(&caller.organisation, chrono::Utc::now());
    let found = state
        .with_store(move |store| Ok(overdue_app::settings::policy_of(store, &caller.organisation, &code, today)?))
        .await?;
    Ok(Json(CustomerPolicy { segment: found.segment, policy: found.policy, effective_policy: found.effective }))
}

/// Puts a customer in a segment and/or on a policy of its own; a missing or empty field clears it.
#[utoipa::path(put, path = "/api/v1/customers/{code}/policy", params(("code" = String, Path)),
    request_body = PolicyAssignment, security(("token" = [])), responses(
    (status = 200, body = CustomerPolicy), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)
))]
pub async fn assign_policy(
    State(state): State<AppState>,
    caller: Caller,
    crate::error::ApiPath(code): crate::error::ApiPath<String>,
    request: Result<Json<PolicyAssignment>, JsonRejection>,
) -> Result<Json<CustomerPolicy>, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let today = overdue_app::clock::today(&caller.organisation, chrono::Utc::now());
    let found = state
        .with_store_writing(move |store| {
            let assigned = (request.segment.as_deref(), request.policy.as_deref());
            overdue_app::settings::assign_policy(store, &caller.organisation, &code, assigned)?;
            Ok(overdue_app::settings::policy_of(store, &caller.organisation, &code, today)?)
        })
        .await?;
    Ok(Json(CustomerPolicy { segment: found.segment, policy: found.policy, effective_policy: found.effective }))
}
