//! Figures through the API: the aging of what is owed, the interest and compensation on an
//! invoice, and changing a customer's fields.

use super::Amount;
use crate::auth::Caller;
use crate::error::{ApiError, ApiPath, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use chrono::NaiveDate;
use overdue_core::aging::AgingBucket;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// The day a figure is for.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// Default: today in the organisation's time zone.
    pub as_of: Option<NaiveDate>,
}

fn day(caller: &Caller, as_of: Option<NaiveDate>) -> NaiveDate {
    as_of.unwrap_or_else(|| overdue_app::clock::today(&caller.organisation, chrono::Utc::now()))
}

/// One customer's open amounts in one currency, by how late.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgingItem {
    pub customer_code: String,
    pub customer_name: String,
    pub currency: String,
    /// Not yet due.
    pub current: Amount,
    pub days_1_30: Amount,
    pub days_31_60: Amount,
    pub days_61_90: Amount,
    pub over_90: Amount,
    /// What the customer owes in this currency.
    pub total: Amount,
    /// Credit the customer holds in this currency (an over-payment, a credit note not yet used):
    /// owed to them.
    pub credit: Amount,
    /// Total less credit (negative: owed to the customer).
    pub net: Amount,
}

/// What each customer owed on a day, per currency, by aging bucket (an instalment invoice by each
/// unpaid instalment's due date); amounts of different currencies are never added. As JSON, or
/// as the CSV `overdue export aging` writes (`format=csv`).
#[utoipa::path(get, path = "/api/v1/reports/aging", params(super::exports::ReportQuery), security(("token" = [])),
    responses(
    (status = 200, description = "the aging", content((Vec<AgingItem> = "application/json"), (String = "text/csv"))),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)
))]
pub async fn aging(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<super::exports::ReportQuery>, QueryRejection>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let Query(query) = query?;
    let as_of = super::exports::report_day(&caller, query.as_of)?;
    let rows =
        state.with_store(move |store| Ok(overdue_app::reports::aging(store, &caller.organisation, as_of)?)).await?;
    if let Some(super::exports::ReportFormat::Csv) = query.format {
        return super::exports::csv("aging", as_of, overdue_formats::exports::aging_csv(&rows));
    }
    let items: Vec<AgingItem> = rows
        .into_iter()
        .map(|row| AgingItem {
            currency: row.total().currency().code().to_owned(),
            current: row.amount(AgingBucket::Current).into(),
            days_1_30: row.amount(AgingBucket::Days1To30).into(),
            days_31_60: row.amount(AgingBucket::Days31To60).into(),
            days_61_90: row.amount(AgingBucket::Days61To90).into(),
            over_90: row.amount(AgingBucket::Over90).into(),
            total: row.total().into(),
            credit: row.credit.into(),
            net: row.net().into(),
            customer_code: row.customer,
            customer_name: row.name,
        })
        .collect();
    Ok(Json(items).into_response())
}

/// One stretch of days at one rate on one outstanding amount.
#[derive(Debug, Serialize, ToSchema)]
pub struct InterestPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    pub outstanding: Amount,
    /// The yearly rate, e.g. `"12.50 %"`.
    pub rate: String,
    pub interest: Amount,
}

/// The late-payment interest and compensation on an invoice as of a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct InterestBody {
    pub invoice: String,
    pub as_of: NaiveDate,
    /// The rules applied, in words (e.g. "Spain, Ley 3/2004: ECB rate + 8 points").
    pub regime: String,
    /// Where the regime came from: the customer's agreement, or the law.
    pub regime_source: String,
    pub periods: Vec<InterestPeriod>,
    pub interest: Amount,
    /// The fixed compensation for recovery costs (EUR 40; GBP 40/70/100), once a day bore interest.
    pub compensation: Option<Amount>,
    /// What was waived on the invoice (never claimed by a message, letter or case file).
    pub waived: Vec<WaiverItem>,
}

/// Interest, compensation or a step's fee let go on an invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct WaiverItem {
    /// `interest`, `compensation` or `step_fee`.
    pub kind: String,
    /// The dunning step of a fee.
    pub step: Option<String>,
    pub amount: Amount,
    /// The day the interest was waived up to.
    pub up_to: NaiveDate,
    pub recorded_on: NaiveDate,
    pub recorded_by: String,
    pub reason: Option<String>,
}

/// The late-payment interest and compensation on an invoice, day range by day range.
#[utoipa::path(get, path = "/api/v1/invoices/{number}/interest", params(("number" = String, Path), AsOfQuery),
    security(("token" = [])), responses(
    (status = 200, body = InterestBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn interest(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
    query: Result<Query<AsOfQuery>, QueryRejection>,
) -> Result<Json<InterestBody>, ApiError> {
    let Query(query) = query?;
    let as_of = day(&caller, query.as_of);
    overdue_app::day("as_of", as_of)?;
    let rates = state.rates.clone();
    let wanted = number.clone();
    let (computed, charges) = state
        .with_store(move |store| {
            let options = overdue_app::claim::InterestOptions::default();
            let computed = overdue_app::claim::compute(store, &caller.organisation, &wanted, &options, &rates, as_of)?;
            Ok((computed, store.charges(caller.organisation.id, &wanted)?))
        })
        .await?;
    Ok(Json(interest_body(number, as_of, computed, charges)))
}

/// The interest on an invoice, as the API (and the invoice page) shows it.
pub(crate) fn interest_body(
    number: String,
    as_of: NaiveDate,
    computed: overdue_app::claim::Computed,
    charges: Vec<overdue_store::StoredCharge>,
) -> InterestBody {
    let statement = computed.statement;
    InterestBody {
        invoice: number,
        as_of,
        regime: statement.regime.to_string(),
        regime_source: computed.regime_source.to_owned(),
        periods: statement
            .lines
            .iter()
            .map(|line| InterestPeriod {
                from: line.from,
                to: line.to,
                days: line.days,
                outstanding: line.outstanding.into(),
                rate: line.rate.to_string(),
                interest: line.interest.into(),
            })
            .collect(),
        interest: statement.interest.into(),
        compensation: statement.compensation.map(Amount::from),
        waived: charges
            .into_iter()
            .filter(|c| c.status == overdue_store::ChargeStatus::Waived)
            .map(|c| WaiverItem {
                kind: super::serde_plain(&c.kind),
                step: c.step,
                amount: c.amount.into(),
                up_to: c.computed_to,
                recorded_on: c.recorded_on,
                recorded_by: c.recorded_by,
                reason: c.note,
            })
            .collect(),
    }
}

/// A customer's fields by name, inside `fields`: `{"fields": {"terms": "Net 45", "credit_limit":
/// "9000.00"}}` (`terms`, `credit_limit`, `billing_email`, `contract_date`, …: the customers
/// file's columns, every value a string); an empty value clears an optional field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerChange {
    /// Field name → value, e.g. `{"code": "C100", "name": "Weinhaus Berg GmbH", "country": "DE",
    /// "currency": "EUR"}`.
    pub fields: BTreeMap<String, String>,
}

/// One field changed: its value before and after.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChanged {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Changes a customer's fields; every change is recorded on its timeline with who and when.
#[utoipa::path(patch, path = "/api/v1/customers/{code}", params(("code" = String, Path)), request_body = CustomerChange,
    security(("token" = [])), responses(
    (status = 200, body = Vec<FieldChanged>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn change_customer(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    request: Result<Json<CustomerChange>, JsonRejection>,
) -> Result<Json<Vec<FieldChanged>>, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let settings: Vec<(String, String)> = request.fields.into_iter().collect();
    let at = chrono::Utc::now().naive_utc();
    let changes = state
        .with_store_writing(move |store| {
            let by = (caller.name.as_str(), at);
            Ok(overdue_app::customers::set(store, caller.organisation.id, &code, &settings, by)?)
        })
        .await?;
    Ok(Json(
        changes
            .into_iter()
            .map(|c| FieldChanged { field: c.field.to_owned(), before: c.before, after: c.after })
            .collect(),
    ))
}

/// Adds a customer from its fields by name, inside `fields`: `code`, `name`, `country` and
/// `currency`, and any other field of the customers file (`{"fields": {"code": "C100", …}}`).
#[utoipa::path(post, path = "/api/v1/customers", request_body = CustomerChange, security(("token" = [])), responses(
    (status = 201, body = super::CustomerDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn create_customer(
    State(state): State<AppState>,
    caller: Caller,
    request: Result<Json<CustomerChange>, JsonRejection>,
) -> Result<(axum::http::StatusCode, Json<super::CustomerDetail>), ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let fields: Vec<(String, String)> = request.fields.into_iter().collect();
    let at = chrono::Utc::now().naive_utc();
    let created = state
        .with_store_writing(move |store| {
            let by = (caller.name.as_str(), at);
            Ok(overdue_app::customers::create(store, caller.organisation.id, &fields, by)?)
        })
        .await?;
    Ok((axum::http::StatusCode::CREATED, Json(super::detail(created))))
}

/// An action planned for the day about the invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedItem {
    pub kind: String,
    pub reason: String,
    pub explanation: String,
}

/// The next step if nothing changes (no payment, promise or dispute).
#[derive(Debug, Serialize, ToSchema)]
pub struct NextStep {
    pub step: String,
    pub on: NaiveDate,
}

/// Where an invoice stands on a day, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExplainBody {
    pub invoice: String,
    pub as_of: NaiveDate,
    /// False when it is not open that day (paid, credited, or not yet issued): nothing to chase.
    pub open: bool,
    /// Where it stands, in a sentence.
    pub now: Option<String>,
    pub today: Vec<PlannedItem>,
    pub next: Option<NextStep>,
    /// Why the customer takes the steps for repeat offenders, when they do.
    pub repeat_offender: Option<String>,
}

/// The next step for an invoice and why (`overdue explain`).
#[utoipa::path(get, path = "/api/v1/invoices/{number}/explain", params(("number" = String, Path), AsOfQuery),
    security(("token" = [])), responses(
    (status = 200, body = ExplainBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody)
))]
pub async fn explain(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
    query: Result<Query<AsOfQuery>, QueryRejection>,
) -> Result<Json<ExplainBody>, ApiError> {
    let Query(query) = query?;
    let as_of = day(&caller, query.as_of);
    let wanted = number.clone();
    let explained = state
        .with_store(move |store| Ok(overdue_app::work::explain(store, &caller.organisation, &wanted, as_of)?))
        .await?;
    Ok(Json(explain_body(number, as_of, explained)))
}

/// Where an invoice stands on a day, as the API (and the invoice page) shows it.
pub(crate) fn explain_body(
    number: String,
    as_of: NaiveDate,
    explained: Option<overdue_core::engine::Explanation>,
) -> ExplainBody {
    match explained {
        None => ExplainBody {
            invoice: number,
            as_of,
            open: false,
            now: None,
            today: Vec::new(),
            next: None,
            repeat_offender: None,
        },
        Some(e) => ExplainBody {
            invoice: number,
            as_of,
            open: true,
            now: Some(e.now),
            today: e
                .today
                .into_iter()
                .map(|a| PlannedItem {
                    kind: a.kind.to_string(),
                    reason: a.reason.to_string(),
                    explanation: a.explanation,
                })
                .collect(),
            next: e.next.map(|(step, on)| NextStep { step, on }),
            repeat_offender: e.repeat_offender,
        },
    }
}

/// The document to download: the original e-invoice as received, or else the invoice drawn as a
/// PDF in its customer's language.
#[utoipa::path(get, path = "/api/v1/invoices/{number}/document", params(("number" = String, Path)),
    security(("token" = [])), responses(
    (status = 200, description = "the original e-invoice (XML) or the invoice as PDF",
        content((String = "application/xml"), (Vec<u8> = "application/pdf"))),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)
))]
pub async fn document(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
) -> Result<axum::response::Response, ApiError> {
    let templates = state.templates.clone();
    let today = overdue_app::clock::today(&caller.organisation, chrono::Utc::now());
    let (file_name, content_type, bytes) = state
        .with_store(move |store| {
            Ok(overdue_app::messages::invoice_document(store, &caller.organisation, &templates, &number, today)?)
        })
        .await?;
    Ok(super::exports::download(&file_name, content_type, bytes))
}

/// A trade-credit report on a customer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditReportRequest {
    /// Who rated the customer ("Informa D&B", "CRIF", "own assessment").
    pub source: String,
    pub rating: String,
    pub date: NaiveDate,
    /// The limit it advises, in the customer's currency (`"9000.00"`).
    pub advised_limit: Option<String>,
}

/// What keeping a credit report found.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreditReportKept {
    pub source: String,
    pub rating: String,
    pub date: NaiveDate,
    pub advised_limit: Option<Amount>,
    /// The credit limit given to the customer, when the report advises less.
    pub above_advice: Option<Amount>,
}

/// Keeps a trade-credit report on a customer (a second from the same source on the same day
/// replaces it).
#[utoipa::path(post, path = "/api/v1/customers/{code}/credit-reports", params(("code" = String, Path)),
    request_body = CreditReportRequest, security(("token" = [])), responses(
    (status = 201, body = CreditReportKept), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn credit_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    request: Result<Json<CreditReportRequest>, JsonRejection>,
) -> Result<(axum::http::StatusCode, Json<CreditReportKept>), ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let stated = overdue_app::customers::CreditReportStated {
        source: request.source,
        rating: request.rating,
        date: request.date,
        advised_limit: request.advised_limit,
    };
    let (report, above) = state
        .with_store_writing(move |store| {
            Ok(overdue_app::customers::record_credit_report(store, &caller.organisation, &code, &stated)?)
        })
        .await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(CreditReportKept {
            source: report.source,
            rating: report.rating,
            date: report.date,
            advised_limit: report.advised_limit.map(Amount::from),
            above_advice: above.map(Amount::from),
        }),
    ))
}

/// What a person waives on an invoice.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WaiveWhat {
    /// The late-payment interest as of the day.
    Interest,
    /// The fixed compensation for recovery costs.
    Compensation,
    /// A dunning step's late fee (name the step).
    Fee,
}

/// A waiver of interest, compensation or a step's late fee.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WaiveRequest {
    pub what: WaiveWhat,
    /// The dunning step whose late fee is waived (with `what: fee` only).
    pub step: Option<String>,
    /// Why it is waived; kept with the waiver and on the timeline.
    pub reason: String,
    /// The day the interest is waived up to. Default: today in the organisation's time zone.
    pub as_of: Option<NaiveDate>,
}

/// A waiver recorded: it is never claimed again.
#[derive(Debug, Serialize, ToSchema)]
pub struct Waiver {
    pub invoice: String,
    pub what: WaiveWhat,
    pub amount: Amount,
    pub as_of: NaiveDate,
    /// False when the same was waived already (nothing changed).
    pub new: bool,
}

/// Waives the interest, the compensation for recovery costs or a step's late fee on an invoice,
/// with a reason; formal demands no longer claim it. Repeating the same waiver changes nothing.
#[utoipa::path(post, path = "/api/v1/invoices/{number}/waive", params(("number" = String, Path)),
    request_body = WaiveRequest, security(("token" = [])), responses(
    (status = 200, body = Waiver), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn waive(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
    request: Result<Json<WaiveRequest>, JsonRejection>,
) -> Result<Json<Waiver>, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let as_of = day(&caller, request.as_of);
    let step = match (request.what, request.step) {
        (WaiveWhat::Fee, Some(step)) => step,
        (WaiveWhat::Fee, None) => {
            return Err(overdue_app::AppError::Invalid {
                field: "step",
                reason: "name the step whose fee to waive".into(),
            }
            .into());
        }
        (_, _) => String::new(),
    };
    let (what, rates, wanted) = (request.what, state.rates.clone(), number.clone());
    let (amount, new) = state
        .with_store_writing(move |store| {
            let waived = match what {
                WaiveWhat::Interest => overdue_app::claim::Waived::Interest,
                WaiveWhat::Compensation => overdue_app::claim::Waived::Compensation,
                WaiveWhat::Fee => overdue_app::claim::Waived::Fee(&step),
            };
            let options = overdue_app::claim::InterestOptions::default();
            let today = overdue_app::clock::today(&caller.organisation, chrono::Utc::now());
            let said = (request.reason.as_str(), caller.name.as_str(), as_of, today);
            Ok(overdue_app::claim::waive(store, &caller.organisation, (&wanted, waived), said, (&options, &rates))?)
        })
        .await?;
    Ok(Json(Waiver { invoice: number, what, amount: amount.into(), as_of, new }))
}

/// The months of a month-by-month report and its form.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MonthsQuery {
    /// The last day counted (default: today in the organisation's time zone).
    pub as_of: Option<NaiveDate>,
    /// Months up to `as_of`, 1 to 36 (default 12).
    #[param(minimum = 1, maximum = 36)]
    pub months: Option<u32>,
    /// `json` (default) or `csv`.
    pub format: Option<super::exports::ReportFormat>,
}

/// One month's collection figures in one currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthItem {
    /// `YYYY-MM`.
    pub month: String,
    /// The day the receivables are taken: the month's last day, or `as_of`.
    pub end: NaiveDate,
    pub currency: String,
    /// Invoices less credit notes issued in the month.
    pub sales: Amount,
    /// Receivables (owed less credit held) at the end of the month before.
    pub begin: Amount,
    pub end_total: Amount,
    /// The part of `end_total` not yet due.
    pub end_current: Amount,
    /// Days sales outstanding by countback, one decimal (`"45.5"`); null when the sales history is
    /// too short.
    pub dso_days: Option<String>,
    /// Collection effectiveness index in percent, one decimal; null when nothing was collectable.
    pub cei_percent: Option<String>,
}

/// DSO (countback) and the collection effectiveness index, month by month and per currency, as
/// `overdue report dso|cei` shows them; JSON or CSV.
#[utoipa::path(get, path = "/api/v1/reports/collection", params(MonthsQuery), security(("token" = [])),
    responses(
    (status = 200, description = "the months", content((Vec<MonthItem> = "application/json"), (String = "text/csv"))),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)
))]
pub async fn collection(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<MonthsQuery>, QueryRejection>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let Query(query) = query?;
    let as_of = super::exports::report_day(&caller, query.as_of)?;
    let months = query.months.unwrap_or(12);
    let rows = state
        .with_store(move |store| {
            Ok(overdue_app::reports::collection_by_month(store, &caller.organisation, as_of, months)?)
        })
        .await?;
    if let Some(super::exports::ReportFormat::Csv) = query.format {
        return super::exports::csv("collection", as_of, overdue_formats::exports::collection_csv(&rows));
    }
    let items: Vec<MonthItem> = rows
        .into_iter()
        .map(|r| MonthItem {
            month: r.month.format("%Y-%m").to_string(),
            end: r.end,
            currency: r.sales.currency().code().to_owned(),
            sales: r.sales.into(),
            begin: r.begin.into(),
            end_total: r.end_total.into(),
            end_current: r.end_current.into(),
            dso_days: r.dso.map(|t| t.to_string()),
            cei_percent: r.cei.map(|t| t.to_string()),
        })
        .collect();
    Ok(Json(items).into_response())
}

/// The weeks of expected cash and its form.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WeeksQuery {
    /// Default: today in the organisation's time zone.
    pub as_of: Option<NaiveDate>,
    /// Weeks from the Monday of `as_of`'s week, 1 to 52 (default 13).
    #[param(minimum = 1, maximum = 52)]
    pub weeks: Option<u32>,
    /// `json` (default) or `csv` (one row per invoice, as the pages' download).
    pub format: Option<super::exports::ReportFormat>,
}

/// When one open amount is expected.
#[derive(Debug, Serialize, ToSchema)]
pub struct PredictionItem {
    pub invoice: String,
    pub customer: String,
    pub due_date: NaiveDate,
    pub amount: Amount,
    /// Null for amounts in dispute, past their expected date, or under a broken promise.
    pub expected_on: Option<NaiveDate>,
    /// promise, habit, due_date, past_expected_date, broken_promise or disputed.
    pub basis: String,
}

/// Expected cash in one week, per currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct WeekItem {
    /// The week's Monday.
    pub starts_on: NaiveDate,
    pub expected: Vec<Amount>,
}

/// Expected cash week by week, and what has no week.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForecastBody {
    pub weeks: Vec<WeekItem>,
    pub later: Vec<Amount>,
    pub past_expected_date: Vec<Amount>,
    pub broken_promises: Vec<Amount>,
    pub disputed: Vec<Amount>,
    pub invoices: Vec<PredictionItem>,
}

/// Expected cash by week from due dates, pending promises and each customer's habits, with each
/// open invoice's expected day and why, as `overdue report forecast` shows it; JSON, or CSV (one
/// row per invoice).
#[utoipa::path(get, path = "/api/v1/reports/forecast", params(WeeksQuery), security(("token" = [])),
    responses(
    (status = 200, description = "the forecast", content((ForecastBody = "application/json"), (String = "text/csv"))),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)
))]
pub async fn forecast(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<WeeksQuery>, QueryRejection>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let Query(query) = query?;
    let as_of = super::exports::report_day(&caller, query.as_of)?;
    let weeks = query.weeks.unwrap_or(13);
    let (predictions, weekly) = state
        .with_store(move |store| Ok(overdue_app::reports::forecast(store, &caller.organisation, as_of, weeks)?))
        .await?;
    if let Some(super::exports::ReportFormat::Csv) = query.format {
        return super::exports::csv("forecast", as_of, overdue_formats::exports::predictions_csv(&predictions));
    }
    let amounts = |a: &overdue_core::money::Amounts| a.iter().map(Amount::from).collect::<Vec<_>>();
    let body = ForecastBody {
        weeks: weekly
            .weeks
            .iter()
            .map(|w| WeekItem { starts_on: w.starts_on, expected: amounts(&w.expected) })
            .collect(),
        later: amounts(&weekly.later),
        past_expected_date: amounts(&weekly.past_expected_date),
        broken_promises: amounts(&weekly.broken_promises),
        disputed: amounts(&weekly.disputed),
        invoices: predictions
            .into_iter()
            .map(|p| PredictionItem {
                basis: p.basis.as_str().to_owned(),
                invoice: p.invoice,
                customer: p.customer,
                due_date: p.due_date,
                amount: p.amount.into(),
                expected_on: p.expected_on,
            })
            .collect(),
    };
    Ok(Json(body).into_response())
}
