//! The routes of `/api/v1`, their request and response bodies, and the OpenAPI document generated
//! from them (utoipa). Handlers only parse, call one use case of `overdue-app` (or one read of
//! the books) for the caller's organisation, and shape the answer.

use crate::auth::Caller;
use crate::error::{ApiError, ApiPath, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use overdue_core::money::Money;
use overdue_store::{InvoiceFilter, Page};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

pub(crate) mod bank;
mod docs;
pub(crate) mod exports;
mod followup;
mod idempotency;
pub(crate) mod imports;
mod links;
mod messages;
pub(crate) mod reports;
pub(crate) mod session;
mod settings;
mod statements;
mod templates;

/// The most rows one page of a listing holds.
const PAGE_MAX: u32 = 500;

/// The OpenAPI 3.1 document of the API.
#[derive(OpenApi)]
#[openapi(
    info(title = "overdue", description = "Accounts-receivable follow-up: customers, invoices, payments and the work list."),
    paths(
        health,
        ready,
        customers,
        customer,
        timeline,
        invoices,
        invoice,
        record_payment,
        work,
        followup::record_promise,
        followup::open_dispute,
        followup::resolve_dispute,
        followup::record_conversation,
        followup::complete_action,
        followup::skip_action,
        followup::jobs,
        messages::list,
        messages::approve,
        messages::reject,
        messages::preview,
        session::log_in,
        session::whoami,
        session::log_out,
        reports::aging,
        reports::collection,
        reports::forecast,
        reports::interest,
        reports::waive,
        exports::open_items,
        exports::case_file,
        exports::letter,
        exports::rates,
        templates::list,
        templates::show,
        messages::retry,
        messages::cancel,
        reports::change_customer,
        reports::create_customer,
        settings::letterhead,
        settings::change_letterhead,
        settings::run,
        settings::policy,
        settings::load_policy,
        settings::assign_policy,
        settings::customer_policy,
        settings::closing_days,
        settings::add_closing_day,
        settings::time_zone,
        settings::set_time_zone,
        reports::credit_report,
        reports::explain,
        reports::document,
        followup::apply_credit,
        followup::unapply_credit,
        followup::reverse_payment,
        imports::import,
        bank::import_statement,
        bank::lines,
        bank::decide,
        links::create,
        links::revoke,
        statements::download,
        statements::queue
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerToken)
)]
pub struct ApiDoc;

/// Every route but the OpenAPI document needs `Authorization: Bearer odt_…`.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("odt_…").build();
        components.add_security_scheme("token", SecurityScheme::Http(scheme));
    }
}

/// The routes, before the state is given.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/healthz", get(health))
        .route("/readyz", get(ready))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/docs", get(docs::page))
        .route("/api/v1/customers", get(customers).post(reports::create_customer))
        .route("/api/v1/customers/{code}", get(customer).patch(reports::change_customer))
        .route("/api/v1/customers/{code}/timeline", get(timeline))
        .route("/api/v1/invoices", get(invoices))
        .route("/api/v1/invoices/{number}", get(invoice))
        .route("/api/v1/invoices/{number}/interest", get(reports::interest))
        .route("/api/v1/invoices/{number}/waive", post(reports::waive))
        .route("/api/v1/invoices/{number}/explain", get(reports::explain))
        .route("/api/v1/invoices/{number}/document", get(reports::document))
        .route("/api/v1/credits/apply", post(followup::apply_credit))
        .route("/api/v1/credits/unapply", post(followup::unapply_credit))
        .route("/api/v1/reports/aging", get(reports::aging))
        .route("/api/v1/reports/collection", get(reports::collection))
        .route("/api/v1/reports/forecast", get(reports::forecast))
        .route("/api/v1/reports/open-items", get(exports::open_items))
        .route("/api/v1/customers/{code}/case", get(exports::case_file))
        .route("/api/v1/actions/{id}/letter", get(exports::letter))
        .route("/api/v1/rates", get(exports::rates))
        .route("/api/v1/templates", get(templates::list))
        .route("/api/v1/templates/{language}/{template}", get(templates::show))
        .route("/api/v1/messages/{id}/retry", post(messages::retry))
        .route("/api/v1/messages/{id}/cancel", post(messages::cancel))
        .route("/api/v1/letterhead", get(settings::letterhead).patch(settings::change_letterhead))
        .route("/api/v1/runs", post(settings::run))
        .route("/api/v1/policy", get(settings::policy).put(settings::load_policy))
        .route("/api/v1/closing-days", get(settings::closing_days).post(settings::add_closing_day))
        .route("/api/v1/time-zone", get(settings::time_zone).put(settings::set_time_zone))
        .route("/api/v1/customers/{code}/credit-reports", post(reports::credit_report))
        .route("/api/v1/customers/{code}/policy", get(settings::customer_policy).put(settings::assign_policy))
        .route(
            "/api/v1/bank/statements",
            post(bank::import_statement).layer(axum::extract::DefaultBodyLimit::max(imports::FILE_MAX_BYTES)),
        )
        .route("/api/v1/customers/{code}/links", post(links::create).delete(links::revoke))
        .route("/api/v1/customers/{code}/statement", get(statements::download).post(statements::queue))
        .route("/api/v1/bank/lines", get(bank::lines))
        .route("/api/v1/bank/lines/{id}/decide", post(bank::decide))
        .route(
            "/api/v1/imports",
            post(imports::import).layer(axum::extract::DefaultBodyLimit::max(imports::FILE_MAX_BYTES)),
        )
        .route("/api/v1/payments", post(record_payment))
        .route("/api/v1/payments/reverse", post(followup::reverse_payment))
        .route("/api/v1/work", get(work))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .route("/api/v1/promises", post(followup::record_promise))
        .route("/api/v1/disputes", post(followup::open_dispute))
        .route("/api/v1/disputes/{invoice}/resolve", post(followup::resolve_dispute))
        .route("/api/v1/conversations", post(followup::record_conversation))
        .route("/api/v1/actions/{id}/done", post(followup::complete_action))
        .route("/api/v1/actions/{id}/skip", post(followup::skip_action))
        .route("/api/v1/jobs", get(followup::jobs))
        .route("/api/v1/messages", get(messages::list))
        .route("/api/v1/messages/{id}/approve", post(messages::approve))
        .route("/api/v1/messages/{id}/reject", post(messages::reject))
        .route("/api/v1/actions/{id}/preview", get(messages::preview))
        .route("/api/v1/session", post(session::log_in).get(session::whoami).delete(session::log_out))
}

/// Any address that is not a route: the one error body.
async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no route {}: see /api/v1/docs", uri.path()))
}

/// A route asked with a method it does not take.
async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, None, format!("{} does not take {method}", uri.path()))
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// An amount of money: exact, as a decimal string, and in minor units.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Amount {
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
    /// The amount written with its decimals, e.g. `"1250.00"`.
    pub amount: String,
    /// The amount in minor units (cents), e.g. `125000`.
    pub amount_minor: i64,
}

impl From<Money> for Amount {
    fn from(money: Money) -> Self {
        Self {
            currency: money.currency().code().to_owned(),
            amount: money.to_decimal_string(),
            amount_minor: money.amount_minor(),
        }
    }
}

pub(crate) fn amounts(money: &[Money]) -> Vec<Amount> {
    money.iter().copied().map(Amount::from).collect()
}

/// Whether the server is up.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "the server is up")))]
async fn health() -> &'static str {
    "ok"
}

/// Whether the server can reach its books.
#[utoipa::path(get, path = "/readyz", responses(
    (status = 200, description = "the books answer"),
    (status = 500, description = "the books do not answer", body = ErrorBody)
))]
async fn ready(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    state.with_store(|store| Ok(store.organisations().map(|_| "ready")?)).await
}

/// How many rows a listing gives, and from where.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// At most this many rows (default 50, at most 500).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows skipped first (default 0): the next page starts at the previous offset plus its limit.
    pub offset: Option<u64>,
}

pub(crate) fn page(limit: Option<u32>) -> Result<Page, ApiError> {
    match limit.unwrap_or(50) {
        0 => Err(ApiError::bad_request("limit", "ask for at least one row")),
        n if n > PAGE_MAX => Err(ApiError::bad_request("limit", format!("at most {PAGE_MAX} rows a page"))),
        n => Ok(Page { limit: Some(n), offset: 0 }),
    }
}

/// One customer in a listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerItem {
    pub code: String,
    pub name: String,
    /// ISO 3166 country code.
    pub country: String,
    pub currency: String,
    pub open_invoices: u64,
    /// What the customer owes, per currency.
    pub open: Vec<Amount>,
    /// Credit from over-payments not yet used, per currency.
    pub credit: Vec<Amount>,
}

/// A page of customers and how many there are in all.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerList {
    pub rows: Vec<CustomerItem>,
    pub total: u64,
}

/// The organisation's customers, by code.
#[utoipa::path(get, path = "/api/v1/customers", params(ListQuery), security(("token" = [])), responses(
    (status = 200, body = CustomerList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)
))]
async fn customers(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<CustomerList>, ApiError> {
    let Query(query) = query?;
    let page = Page { offset: query.offset.unwrap_or(0), ..page(query.limit)? };
    let listing = state.with_store(move |store| Ok(store.customers(caller.organisation.id, page)?)).await?;
    let rows = listing
        .rows
        .into_iter()
        .map(|c| CustomerItem {
            code: c.code,
            name: c.legal_name,
            country: c.country.to_string(),
            currency: c.currency.to_string(),
            open_invoices: c.open_invoices,
            open: amounts(&c.open),
            credit: amounts(&c.credit),
        })
        .collect();
    Ok(Json(CustomerList { rows, total: listing.total }))
}

/// A person at the customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactItem {
    /// billing, invoice_approver or decision_maker.
    pub role: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A customer in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerDetail {
    pub code: String,
    pub name: String,
    pub tax_id: Option<String>,
    pub country: String,
    /// ISO 639-1 code of the language the customer is written to in.
    pub language: String,
    pub currency: String,
    pub address: Option<String>,
    /// The credit terms agreed, as written canonically (e.g. `Net 30`, `30/60/90 EOM`).
    pub terms: Option<String>,
    pub credit_limit: Option<Amount>,
    pub contacts: Vec<ContactItem>,
}

/// One customer.
#[utoipa::path(get, path = "/api/v1/customers/{code}", params(("code" = String, Path)), security(("token" = [])),
    responses(
    (status = 400, body = ErrorBody),(status = 200, body = CustomerDetail), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn customer(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<CustomerDetail>, ApiError> {
    let tenant = caller.organisation.id;
    let wanted = code.clone();
    let found = state.with_store(move |store| Ok(store.customer(tenant, &wanted)?)).await?;
    let c = found.ok_or_else(|| ApiError::not_found(format!("no customer {code:?}")))?;
    Ok(Json(detail(c)))
}

/// A customer as the API shows it.
pub(crate) fn detail(c: overdue_core::customer::Customer) -> CustomerDetail {
    CustomerDetail {
        code: c.code.to_string(),
        name: c.legal_name,
        tax_id: c.tax_id,
        country: c.country.to_string(),
        language: c.language.to_string(),
        currency: c.currency.to_string(),
        address: c.address,
        terms: c.agreement.payment_terms.map(|t| t.to_string()),
        credit_limit: c.credit.credit_limit.map(Amount::from),
        contacts: c
            .contacts
            .into_iter()
            .map(|p| ContactItem {
                role: p.role.as_str().to_owned(),
                name: p.name,
                email: p.email.map(|e| e.to_string()),
                phone: p.phone,
            })
            .collect(),
    }
}

/// One event of a customer's timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineItem {
    pub on: NaiveDate,
    /// `HH:MM` in the organisation's time zone, where recorded (`on` is then its local day).
    pub time: Option<String>,
    /// invoice, payment, call, email, letter, promise, dispute, action, credit_report, …
    pub kind: String,
    pub text: String,
}

/// Which stretch of a customer's timeline.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// At most this many entries (at most 500); default: the whole timeline.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Entries skipped first (default 0), oldest first.
    pub offset: Option<u64>,
}

/// Everything that happened with a customer, oldest first, in the organisation's local time; the
/// `X-Total-Count` header says how many entries there are in all.
#[utoipa::path(get, path = "/api/v1/customers/{code}/timeline", params(("code" = String, Path), TimelineQuery),
    security(("token" = [])),
    responses(
    (status = 400, body = ErrorBody),
    (status = 200, body = Vec<TimelineItem>, headers(("X-Total-Count" = u64, description = "entries in all"))),
    (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn timeline(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    query: Result<Query<TimelineQuery>, QueryRejection>,
) -> Result<([(&'static str, String); 1], Json<Vec<TimelineItem>>), ApiError> {
    let Query(query) = query?;
    let limit = match query.limit {
        None => usize::MAX,
        Some(limit) => page(Some(limit))?.limit.map_or(usize::MAX, |n| n as usize),
    };
    let skip = usize::try_from(query.offset.unwrap_or(0)).unwrap_or(usize::MAX);
    let tenant = caller.organisation.id;
    let zone = overdue_app::clock::time_zone(&caller.organisation);
    let entries = state
        .with_store(move |store| {
            if store.customer(tenant, &code)?.is_none() {
                return Err(ApiError::not_found(format!("no customer {code:?}")));
            }
            Ok(store.timeline(tenant, &code)?)
        })
        .await?;
    let total = entries.len();
    let items = entries
        .into_iter()
        .skip(skip)
        .take(limit)
        .map(|e| {
            let (on, time) = local(&zone, e.on, e.time);
            TimelineItem { on, time, kind: e.kind, text: e.text }
        })
        .collect();
    Ok(([("x-total-count", total.to_string())], Json(items)))
}

/// A day and a time of day recorded in UTC, as the organisation's clock read them.
pub(crate) fn local(zone: &chrono_tz::Tz, on: NaiveDate, time: Option<String>) -> (NaiveDate, Option<String>) {
    let Some(at) = time.as_deref().and_then(|t| chrono::NaiveTime::parse_from_str(t, "%H:%M").ok()) else {
        return (on, time);
    };
    let local = on.and_time(at).and_utc().with_timezone(zone);
    (local.date_naive(), Some(local.format("%H:%M").to_string()))
}

/// Which invoices to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InvoiceQuery {
    /// Only those with something still owed.
    pub open: Option<bool>,
    /// Only this customer's (by code).
    pub customer: Option<String>,
    /// At most this many rows (default 50, at most 500).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows skipped first (default 0).
    pub offset: Option<u64>,
}

/// One invoice or credit note in a listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceItem {
    pub number: String,
    pub customer_code: String,
    pub customer_name: String,
    /// invoice or credit_note.
    pub kind: String,
    /// issued, sent, paid, cancelled, …
    pub status: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub gross: Amount,
    pub open: Amount,
    pub terms: String,
}

/// A page of invoices and how many match in all.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceList {
    pub rows: Vec<InvoiceItem>,
    pub total: u64,
}

/// The organisation's invoices and credit notes, by due date.
#[utoipa::path(get, path = "/api/v1/invoices", params(InvoiceQuery), security(("token" = [])), responses(
    (status = 200, body = InvoiceList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)
))]
async fn invoices(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<InvoiceQuery>, QueryRejection>,
) -> Result<Json<InvoiceList>, ApiError> {
    let Query(query) = query?;
    let filter = InvoiceFilter {
        open_only: query.open.unwrap_or(false),
        customer: query.customer,
        page: Page { offset: query.offset.unwrap_or(0), ..page(query.limit)? },
        as_of: None,
    };
    let listing = state.with_store(move |store| Ok(store.invoices(caller.organisation.id, &filter)?)).await?;
    let rows = listing
        .rows
        .into_iter()
        .map(|i| InvoiceItem {
            number: i.number,
            customer_code: i.customer_code,
            customer_name: i.customer_name,
            kind: serde_plain(&i.kind),
            status: serde_plain(&i.status),
            issue_date: i.issue_date,
            due_date: i.due_date,
            gross: i.gross.into(),
            open: i.open.into(),
            terms: i.terms,
        })
        .collect();
    Ok(Json(InvoiceList { rows, total: listing.total }))
}

/// An enum's wire name (`credit_note`), from its serde form.
pub(crate) fn serde_plain<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// One due date of an invoice and what falls due on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstalmentItem {
    pub due_date: NaiveDate,
    pub amount: Amount,
}

/// A payment or credit applied to an invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppliedItem {
    pub reference: String,
    pub date: NaiveDate,
    pub method: String,
    pub amount: Amount,
    /// Settled without being paid: an early-payment discount taken in time, or bank charges.
    pub written_off: Amount,
}

/// One invoice in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceDetailBody {
    pub number: String,
    pub customer_code: String,
    pub customer_name: String,
    pub kind: String,
    pub status: String,
    pub issue_date: NaiveDate,
    pub sent_on: Option<NaiveDate>,
    pub terms: String,
    pub net: Amount,
    pub tax: Amount,
    /// What the invoice asks to be paid.
    pub gross: Amount,
    /// What is still owed on it.
    pub open: Amount,
    /// What the total differs from net + tax by, when it does: a withholding the document states
    /// (Spain's IRPF retención, Italy's ritenuta d'acconto) or its own rounding; null when none.
    pub adjustment: Option<Amount>,
    /// What was sold: each line of the invoice.
    pub lines: Vec<InvoiceLineItem>,
    pub instalments: Vec<InstalmentItem>,
    pub payments: Vec<AppliedItem>,
}

/// One line of an invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceLineItem {
    pub description: String,
    /// A decimal with up to 3 places, e.g. `"2.5"`.
    pub quantity: String,
    pub unit_price: Amount,
    /// The tax rate in percent, e.g. `"21"` or `"5.5"`.
    pub tax_rate_percent: String,
    /// Quantity × unit price, rounded to the cent (null only if it overflows).
    pub net: Option<Amount>,
}

/// One invoice or credit note.
#[utoipa::path(get, path = "/api/v1/invoices/{number}", params(("number" = String, Path)), security(("token" = [])),
    responses(
    (status = 400, body = ErrorBody),(status = 200, body = InvoiceDetailBody), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn invoice(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<InvoiceDetailBody>, ApiError> {
    let tenant = caller.organisation.id;
    let wanted = number.clone();
    let found = state.with_store(move |store| Ok(store.invoice(tenant, &wanted)?)).await?;
    let detail = found.ok_or_else(|| ApiError::not_found(format!("no invoice {number:?}")))?;
    Ok(Json(invoice_body(detail)))
}

/// An invoice as the API (and the invoice page) shows it.
pub(crate) fn invoice_body(detail: overdue_store::InvoiceDetail) -> InvoiceDetailBody {
    let i = detail.invoice;
    InvoiceDetailBody {
        number: i.number.to_string(),
        customer_code: i.customer.to_string(),
        customer_name: detail.customer_name,
        kind: serde_plain(&i.kind),
        status: serde_plain(&i.status),
        issue_date: i.issue_date,
        sent_on: i.sent_on,
        terms: i.terms.to_string(),
        net: i.totals.net.into(),
        tax: i.totals.tax.into(),
        gross: i.totals.gross.into(),
        open: detail.open.into(),
        adjustment: {
            let totals = &i.totals;
            let minor = totals.gross.amount_minor() - totals.net.amount_minor() - totals.tax.amount_minor();
            (minor != 0).then(|| Money::new(minor, totals.gross.currency()).into())
        },
        lines: i
            .lines
            .iter()
            .map(|line| InvoiceLineItem {
                description: line.description.clone(),
                quantity: line.quantity.to_string(),
                unit_price: Money::new(line.unit_price_minor, i.currency).into(),
                tax_rate_percent: overdue_core::money::format_minor(i64::from(line.tax_rate_basis_points), 2)
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_owned(),
                net: line.net_minor().map(|minor| Money::new(minor, i.currency).into()),
            })
            .collect(),
        instalments: i
            .instalments
            .iter()
            .map(|d| InstalmentItem { due_date: d.due_date, amount: d.amount.into() })
            .collect(),
        payments: detail
            .payments
            .into_iter()
            .map(|p| AppliedItem {
                reference: p.reference,
                date: p.date,
                method: p.method.as_str().to_owned(),
                amount: p.amount.into(),
                written_off: p.written_off.into(),
            })
            .collect(),
    }
}

/// A payment received against an invoice.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    pub invoice: String,
    /// In the invoice's currency, written with its decimals, e.g. `"1250.00"`.
    pub amount: String,
    /// The day the money arrived.
    pub date: NaiveDate,
    /// transfer (default), card, cheque, cash, direct_debit or other.
    pub method: Option<String>,
    /// The bank's or customer's reference; without one, the payment is known by invoice, date and
    /// amount, so the same payment sent twice is recorded once.
    pub reference: Option<String>,
}

/// What recording a payment did.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRecorded {
    /// False when this payment (its reference) was already recorded: nothing changed.
    pub created: bool,
    pub reference: String,
    pub invoice: String,
    pub customer_code: String,
    pub amount: Amount,
    pub still_owed: Amount,
    /// Paid beyond what the invoice owed: applied to the customer's other invoices or kept as
    /// credit.
    pub excess: Amount,
    /// An early-payment discount taken in time, written off.
    pub discount: Amount,
}

/// Records a payment received against an invoice. With an `Idempotency-Key` header, a retry with
/// the same key and body gets the first answer again and changes nothing.
#[utoipa::path(post, path = "/api/v1/payments", request_body = PaymentRequest, security(("token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "makes a retry change nothing")),
    responses(
        (status = 201, body = PaymentRecorded, description = "recorded"),
        (status = 200, body = PaymentRecorded, description = "already recorded (its reference was sent before)"),
        (status = 409, body = ErrorBody, description = "the same payment without a reference: send its reference"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
    ))]
async fn record_payment(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    request: Result<Json<PaymentRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.may_write()?;
    let Json(request) = request?;
    let (organisation, caller_name) = (caller.organisation.clone(), caller.name.clone());
    let stated = request.clone();
    idempotency::once(&state, &caller, &headers, &("POST /api/v1/payments", &request), move |store| {
        let without_reference = stated.reference.is_none();
        let received = overdue_app::payments::PaymentReceived {
            invoice: stated.invoice,
            amount: stated.amount,
            date: stated.date,
            method: stated.method.unwrap_or_else(|| "transfer".into()),
            reference: stated.reference,
        };
        let recorded = overdue_app::payments::record(store, &organisation, &received)?;
        tracing::info!(caller = %caller_name, invoice = %recorded.invoice, created = recorded.created, "payment");
        if !recorded.created && without_reference {
            // the same invoice, day and amount without a reference: a retry, or a second payment
            // (two equal instalments on one day) that needs its own reference to be told apart
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                Some("reference"),
                format!(
                    "a payment of {} on {} for {} is already recorded: if this is another one, send its reference",
                    recorded.amount, recorded.date, recorded.invoice
                ),
            ));
        }
        let status = if recorded.created { StatusCode::CREATED } else { StatusCode::OK };
        Ok((
            status,
            PaymentRecorded {
                created: recorded.created,
                reference: recorded.reference,
                invoice: recorded.invoice,
                customer_code: recorded.customer,
                amount: recorded.amount.into(),
                still_owed: recorded.still_owed.into(),
                excess: recorded.excess.into(),
                discount: recorded.discount.into(),
            },
        ))
    })
    .await
}

/// Which day's work.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WorkQuery {
    /// The day (default: today in the organisation's time zone).
    pub as_of: Option<NaiveDate>,
    /// At most this many actions (default 50, at most 500).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// One action on the work list.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkItem {
    pub id: i64,
    pub customer_code: String,
    pub customer_name: String,
    pub due_on: NaiveDate,
    /// step, broken_promise, sixty_day_alarm, promise_due, returned_payment, send_invoice, …
    pub kind: String,
    /// Why it is on the list, as a code (`overdue`, `promise_broken`, `on_their_page`, …).
    pub reason: String,
    /// Why, in a sentence (English), written when it was planned.
    pub explanation: String,
    pub channel: Option<String>,
    pub tone: Option<String>,
    /// The questions to ask on a call.
    pub questions: Vec<String>,
    /// The invoices it is about.
    pub invoices: Vec<String>,
}

/// The open actions due by a day, oldest first, without those whose invoices were settled since.
#[utoipa::path(get, path = "/api/v1/work", params(WorkQuery), security(("token" = [])), responses(
    (status = 200, body = Vec<WorkItem>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)
))]
async fn work(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<WorkQuery>, QueryRejection>,
) -> Result<Json<Vec<WorkItem>>, ApiError> {
    let Query(query) = query?;
    let limit = i64::from(page(query.limit)?.limit.unwrap_or(50));
    let organisation = caller.organisation.clone();
    let as_of = query.as_of.unwrap_or_else(|| overdue_app::clock::today(&organisation, chrono::Utc::now()));
    let actions =
        state.with_store(move |store| Ok(overdue_app::work::today(store, &organisation, as_of, limit)?)).await?;
    let items = actions
        .into_iter()
        .map(|a| WorkItem {
            id: a.id,
            customer_code: a.customer_code,
            customer_name: a.customer_name,
            due_on: a.due_on,
            kind: a.kind,
            reason: a.reason,
            explanation: a.explanation,
            channel: a.channel,
            tone: a.tone,
            questions: a.questions,
            invoices: a.invoices.iter().map(|i| i.number.to_string()).collect(),
        })
        .collect();
    Ok(Json(items))
}
