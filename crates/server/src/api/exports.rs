//! What the API hands over to keep or pass on: the open items (JSON or CSV), the aging as CSV,
//! a customer's case file for a collection agency, an action's letter as PDF, and the reference
//! interest rates in use.

use super::Amount;
use crate::auth::Caller;
use crate::error::{ApiError, ApiPath, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use overdue_formats::exports::OpenItem;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// How a report comes back.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// JSON (the default).
    #[default]
    Json,
    /// A CSV file to download, the same as `overdue export` writes.
    Csv,
}

/// The day and form of a report.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Default: today in the organisation's time zone.
    pub as_of: Option<NaiveDate>,
    /// `json` (default) or `csv`.
    pub format: Option<ReportFormat>,
}

/// The open items of one customer or all.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OpenItemsQuery {
    /// One customer's code; default: every customer.
    pub customer: Option<String>,
    /// Default: today in the organisation's time zone.
    pub as_of: Option<NaiveDate>,
    /// `json` (default) or `csv`.
    pub format: Option<ReportFormat>,
}

/// One open invoice or credit note on the day.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenItemBody {
    pub number: String,
    pub customer_code: String,
    pub customer_name: String,
    /// `invoice` or `credit_note`.
    pub kind: String,
    pub issue_date: NaiveDate,
    /// The earliest unpaid instalment's due date (the invoice's own when it has one).
    pub due_date: NaiveDate,
    /// 0 when not yet due.
    pub days_overdue: i64,
    pub terms: String,
    pub total: Amount,
    pub open: Amount,
}

/// The day a report is for: the one asked, else today where the organisation is.
pub(crate) fn report_day(caller: &Caller, as_of: Option<NaiveDate>) -> Result<NaiveDate, ApiError> {
    let day = as_of.unwrap_or_else(|| overdue_app::clock::today(&caller.organisation, chrono::Utc::now()));
    overdue_app::day("as_of", day)?;
    Ok(day)
}

/// A file to download: its type, a safe file name, and the bytes.
pub(crate) fn download(file_name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let (stem, extension) = file_name.rsplit_once('.').unwrap_or((file_name, ""));
    // a name ending in "S.r.l." keeps one dot before its extension; a comma or colon is a space
    let stem: String = stem
        .trim_end_matches('.')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-() ".contains(c) {
                c
            } else if c.is_alphabetic() {
                '_'
            } else {
                ' '
            }
        })
        .collect();
    let stem = stem.split_whitespace().collect::<Vec<_>>().join(" ");
    let safe = if extension.is_empty() { stem } else { format!("{stem}.{extension}") };
    let disposition = format!("attachment; filename=\"{safe}\"");
    ([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

/// A report written as CSV, to download.
pub(crate) fn csv<E: std::fmt::Display>(
    name: &str,
    as_of: NaiveDate,
    written: Result<Vec<u8>, E>,
) -> Result<Response, ApiError> {
    let bytes = written.map_err(|e| ApiError::internal(format!("cannot write the {name} report: {e}")))?;
    Ok(download(&format!("{name}-{as_of}.csv"), "text/csv; charset=utf-8", bytes))
}

/// Every invoice and credit note open on a day, with its due date and days overdue (an invoice
/// in instalments dated by its earliest unpaid one), as JSON or CSV.
#[utoipa::path(get, path = "/api/v1/reports/open-items", params(OpenItemsQuery), security(("token" = [])),
    responses(
    (status = 200, description = "the open items", content((Vec<OpenItemBody> = "application/json"), (String = "text/csv"))),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)
))]
pub async fn open_items(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<OpenItemsQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let as_of = report_day(&caller, query.as_of)?;
    let customer = query.customer;
    let items = state
        .with_store(move |store| Ok(overdue_app::case::open_items(store, &caller.organisation, customer, as_of)?))
        .await?;
    if let Some(ReportFormat::Csv) = query.format {
        return csv("open-items", as_of, overdue_formats::exports::open_items_csv(&items, as_of));
    }
    let body: Vec<OpenItemBody> = items.into_iter().map(|item| item_body(item, as_of)).collect();
    Ok(Json(body).into_response())
}

fn item_body(item: OpenItem, as_of: NaiveDate) -> OpenItemBody {
    OpenItemBody {
        days_overdue: (as_of - item.due_date).num_days().max(0),
        number: item.number,
        customer_code: item.customer,
        customer_name: item.name,
        kind: item.kind,
        issue_date: item.issue_date,
        due_date: item.due_date,
        terms: item.terms,
        total: item.total.into(),
        open: item.open.into(),
    }
}

/// The case file to hand a customer to a collection agency, as of a day: creditor, debtor,
/// totals per currency (principal, interest, compensation, fees), the open invoices with their
/// payments, interest table and charges, promises, disputes and the whole contact history.
/// Interest that cannot be computed is said so, never 0.00. The original documents come from
/// `/api/v1/invoices/{number}/document`.
#[utoipa::path(get, path = "/api/v1/customers/{code}/case", params(("code" = String, Path), super::reports::AsOfQuery),
    security(("token" = [])), responses(
    (status = 200, description = "the case file (the same as `overdue export case` writes to case.json)",
        body = Object),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)
))]
pub async fn case_file(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    query: Result<Query<super::reports::AsOfQuery>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Query(query) = query?;
    let as_of = report_day(&caller, query.as_of)?;
    let rates = state.rates.clone();
    let case = state
        .with_store(move |store| Ok(overdue_app::case::case_file(store, &caller.organisation, &code, as_of, &rates)?))
        .await?;
    Ok(Json(case))
}

/// An action's message as a PDF letter with the letterhead (final demands, formal letters), as
/// the books stand on the day; refused when nothing is left to ask.
#[utoipa::path(get, path = "/api/v1/actions/{id}/letter", params(("id" = i64, Path), super::reports::AsOfQuery),
    security(("token" = [])), responses(
    (status = 200, description = "the letter", content((Vec<u8> = "application/pdf"))),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 422, body = ErrorBody)
))]
pub async fn letter(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    query: Result<Query<super::reports::AsOfQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let today = report_day(&caller, query.as_of)?;
    let (templates, rates) = (state.templates.clone(), state.rates.clone());
    let (title, pdf) = state
        .with_store(move |store| {
            let sender = overdue_app::outbox::Sender {
                organisation: &caller.organisation,
                templates: &templates,
                rates: &rates,
            };
            Ok(overdue_app::outbox::action_letter(store, &sender, id, today)?)
        })
        .await?;
    Ok(download(&format!("{title}.pdf"), "application/pdf", pdf))
}

/// One half-year (or longer period) of a reference rate.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatePeriodBody {
    /// `ecb_mro` (the ECB's main refinancing rate) or `boe_base` (the Bank of England base rate).
    pub reference: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The yearly rate in percent, e.g. `"2.15"`.
    pub rate_percent: String,
}

/// The reference interest rates in use, by reference and half-year: the shipped ones and the
/// server's own rate file (`--rates`). A half-year missing here is why an interest is refused.
#[utoipa::path(get, path = "/api/v1/rates", security(("token" = [])), responses(
    (status = 200, body = Vec<RatePeriodBody>), (status = 401, body = ErrorBody)
))]
pub async fn rates(State(state): State<AppState>, _caller: Caller) -> Json<Vec<RatePeriodBody>> {
    let periods = state
        .rates
        .periods()
        .map(|(reference, period)| RatePeriodBody {
            reference: reference.as_str().to_owned(),
            from: period.from,
            to: period.to,
            rate_percent: period.rate.percent(),
        })
        .collect();
    Json(periods)
}
