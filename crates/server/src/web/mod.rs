//! The web pages for the people who chase payments: server-rendered HTML from minijinja
//! templates embedded at build time, in Spanish, Italian or English, with htmx (committed in the
//! repository, served from the binary) boosting links and forms; every page works without it.
//! A page needs a live session (`/login`); every form that changes something carries the
//! session's anti-forgery token, and its answer comes back next to the form it was sent from.

mod bank;
mod calls;
mod files;
mod forms;
mod i18n;
mod outbox;
mod pages;
mod portal;
mod refusal;
mod reports;
mod settings;
mod timeline;
mod tokens;

use crate::auth::{Caller, session_caller};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::Environment;
use serde::Serialize;
use std::sync::LazyLock;

pub use i18n::Lang;

/// The page templates, loaded once.
static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_filter("money", money);
    env.add_filter("day", day);
    env.add_filter("segment", segment);
    env.add_filter("step", step);
    env.add_filter("terms", terms);
    for (name, text) in [
        ("base.html", include_str!("../../web/base.html")),
        ("login.html", include_str!("../../web/login.html")),
        ("today.html", include_str!("../../web/today.html")),
        ("customer.html", include_str!("../../web/customer.html")),
        ("customers.html", include_str!("../../web/customers.html")),
        ("invoice.html", include_str!("../../web/invoice.html")),
        ("message.html", include_str!("../../web/message.html")),
        ("problem.html", include_str!("../../web/problem.html")),
        ("reports.html", include_str!("../../web/reports.html")),
        ("bank.html", include_str!("../../web/bank.html")),
        ("files.html", include_str!("../../web/files.html")),
        ("settings.html", include_str!("../../web/settings.html")),
        ("outbox.html", include_str!("../../web/outbox.html")),
        ("invoices.html", include_str!("../../web/invoices.html")),
        ("template.html", include_str!("../../web/template.html")),
        ("portal.html", include_str!("../../web/portal.html")),
        ("_decide.html", include_str!("../../web/_decide.html")),
    ] {
        // a template that does not parse is a defect caught by the tests, shown as its error
        if let Err(error) = env.add_template(name, text) {
            tracing::error!(template = name, %error, "a page template does not parse");
        }
    }
    env
});

/// The language of the page being drawn.
fn page_language(state: &minijinja::State<'_, '_>) -> overdue_core::ids::Language {
    let code = state.lookup("lang").and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    overdue_core::ids::Language::parse(&code).unwrap_or(overdue_core::ids::Language::EN)
}

/// `{{ amount | money }}`: an amount (`{currency, amount_minor}`) as the page's language writes it
/// (`1.574,40 €`, `EUR 1,574.40`).
fn money(state: &minijinja::State<'_, '_>, amount: minijinja::Value) -> Result<String, minijinja::Error> {
    let invalid = |what: &str| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, what.to_owned());
    let minor = amount.get_attr("amount_minor")?.as_i64().ok_or_else(|| invalid("an amount needs amount_minor"))?;
    let code = amount.get_attr("currency")?;
    let currency = overdue_core::Currency::from_code(code.as_str().unwrap_or_default())
        .map_err(|_| invalid("an amount needs its currency"))?;
    let money = overdue_core::money::Money::new(minor, currency);
    Ok(overdue_notify::facts::money(money, page_language(state)))
}

/// `{{ date | day }}`: an ISO date as the page's language writes it (`29/11/2026`).
fn day(state: &minijinja::State<'_, '_>, date: String) -> String {
    match chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d") {
        Ok(day) => overdue_notify::facts::date(day, page_language(state)),
        Err(_) => date,
    }
}

/// `{{ name | step }}`: a ladder step's name in the page's words (`first_reminder` → "primer
/// recordatorio"); a step the organisation named itself reads as named, underscores as spaces.
fn step(state: &minijinja::State<'_, '_>, name: String) -> String {
    let lang = i18n::Lang::parse(page_language(state).as_str()).unwrap_or(i18n::Lang::En);
    lang.term("step_name_", &name)
}

/// `{{ text | terms }}`: credit terms as the books write them (`30 EOM`) in the page's words
/// ("30 días fecha factura, fin de mes"); text that is no terms the books read stays as written.
fn terms(state: &minijinja::State<'_, '_>, text: String) -> String {
    overdue_core::terms::PaymentTerms::parse(&text).map_or(text, |terms| terms.sentence(page_language(state)))
}

/// The characters a key keeps in an address: letters, digits and `-._~` (RFC 3986 unreserved).
const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `{{ key | segment }}`: a record's key (an invoice number, a customer code) as one segment of an
/// address, percent-encoded (RFC 3986 §2.1): `F-2026/001` → `F-2026%2F001`, so a number with a
/// slash, a space or a `#` still opens its own page.
pub fn segment(key: &str) -> String {
    percent_encoding::utf8_percent_encode(key, SEGMENT).to_string()
}

/// The pages and their forms, before the state is given.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/", get(|| async { Redirect::to("/today") }))
        .route("/login", get(pages::login).post(forms::log_in))
        .route("/c/{secret}", get(portal::page))
        .route("/c/{secret}/promise", post(portal::promise))
        .route("/c/{secret}/dispute", post(portal::dispute))
        .route("/c/{secret}/approver", post(portal::approver))
        .route("/c/{secret}/paid", post(portal::paid))
        .route("/c/{secret}/plan", post(portal::plan))
        .route("/c/{secret}/invoices/{number}", get(portal::document))
        .route("/c/{secret}/statement", get(portal::statement))
        .route("/logout", post(forms::log_out))
        .route("/language/{code}", get(choose_language))
        .route("/today", get(pages::today))
        .route("/today/plan", post(forms::plan_today))
        .route("/customers", get(pages::customers))
        .route("/customers/{code}", get(pages::customer))
        .route("/customers/{code}/payments", post(forms::record_payment))
        .route("/customers/{code}/edit", post(forms::edit_customer))
        .route("/customers/{code}/conversations", post(calls::log_conversation))
        .route("/invoices/{number}/payments/undo", post(forms::undo_payment))
        .route("/customers/{code}/disputes/{invoice}/resolve", post(forms::resolve_dispute))
        .route("/invoices", get(pages::invoices))
        .route("/invoices/{number}", get(pages::invoice))
        .route(
            "/files",
            get(files::show)
                .post(files::upload)
                .layer(axum::extract::DefaultBodyLimit::max(crate::api::imports::FILE_MAX_BYTES)),
        )
        .route("/outbox", get(outbox::page))
        .route("/outbox/{id}/decide", post(outbox::decide))
        .route("/bank", get(bank::page))
        .route(
            "/bank/statements",
            post(bank::upload).layer(axum::extract::DefaultBodyLimit::max(crate::api::imports::FILE_MAX_BYTES)),
        )
        .route("/bank/lines/{id}/decide", post(bank::decide))
        .route("/settings", get(settings::page))
        .route("/settings/letterhead", post(settings::letterhead))
        .route("/settings/closing-days", post(settings::closing_day))
        .route("/settings/closing-days/remove", post(settings::remove_closing_day))
        .route("/settings/policy", post(settings::policy))
        .route("/settings/users", post(settings::add_user))
        .route("/settings/users/disable", post(settings::disable_user))
        .route("/settings/tokens", post(tokens::create))
        .route("/settings/tokens/{id}/revoke", post(tokens::revoke))
        .route("/settings/templates/{language}/{template}", get(settings::template))
        .route("/reports", get(|| async { Redirect::to("/reports/aging") }))
        .route("/reports/{kind}", get(reports::page))
        .route("/reports/{kind}/csv", get(reports::csv))
        .route("/actions/{id}/message", get(pages::message))
        .route("/actions/{id}/done", post(forms::done))
        .route("/actions/{id}/skip", post(forms::skip))
        .route("/actions/{id}/call", post(calls::log_call))
        .route("/messages/{id}/approve", post(forms::approve))
        .route("/messages/{id}/reject", post(forms::reject))
        .route("/assets/htmx-2.0.11.min.js", get(htmx))
        .route("/assets/style.css", get(style))
        .layer(axum::middleware::from_fn(clear_flash))
}

/// A form's answer is shown once: a page drawn with it clears its cookie.
async fn clear_flash(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let had = request.method() == axum::http::Method::GET
        && crate::auth::cookie(request.headers(), pages::FLASH_COOKIE).is_some();
    let mut response = next.run(request).await;
    if had && !response.headers().contains_key(header::SET_COOKIE) {
        let clear = format!("{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0", pages::FLASH_COOKIE);
        if let Ok(value) = axum::http::HeaderValue::from_str(&clear) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response
}

/// The language links: the pages speak `code` to this browser from now on (a cookie), back to
/// today's work.
async fn choose_language(axum::extract::Path(code): axum::extract::Path<String>, headers: HeaderMap) -> Response {
    let Some(lang) = Lang::parse(&code) else {
        return bare_problem(Lang::En, StatusCode::NOT_FOUND, &format!("no pages in {code:?}: es, it or en"));
    };
    let cookie = format!("overdue_lang={}; SameSite=Strict; Path=/; Max-Age=31536000", lang.code());
    // back to the page the switch was pressed on, when it is one of ours
    let back = headers
        .get(header::REFERER)
        .and_then(|value| value.to_str().ok())
        .and_then(|referer| axum::http::Uri::try_from(referer).ok())
        .and_then(|uri| uri.path_and_query().map(|p| p.as_str().to_owned()))
        .filter(|path| path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/language/"))
        .unwrap_or_else(|| "/today".to_owned());
    let mut response = Redirect::to(&back).into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

async fn htmx() -> Response {
    asset("text/javascript; charset=utf-8", include_str!("../../web/assets/htmx-2.0.11.min.js"))
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", include_str!("../../web/assets/style.css"))
}

fn asset(content_type: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=86400")], text).into_response()
}

/// A person on a page: their session, and the language the pages speak to them.
pub struct Visitor {
    pub caller: Caller,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let asked = Lang::asked(&parts.headers);
        match session_caller(&parts.headers, state).await {
            Ok(Some(caller)) => {
                let lang = asked.unwrap_or_else(|| Lang::of_country(&caller.organisation.country));
                Ok(Visitor { caller, lang })
            }
            Ok(None) | Err(_) => {
                // after logging in the browser goes back with a GET: only a page can be gone back to
                let page = parts.method == axum::http::Method::GET;
                let next = parts.uri.path_and_query().filter(|_| page).map_or("/today", |p| p.as_str());
                let next = if next.starts_with('/') && !next.starts_with("//") { next } else { "/today" };
                Err(Redirect::to(&format!("/login?next={}", forms::encode(next))).into_response())
            }
        }
    }
}

/// Who is logged in, as the page header says it: their name and what their role lets them do
/// (`ana@acme.example · credit controller`).
pub fn who(visitor: &Visitor) -> String {
    let role = visitor.lang.word(&format!("role_name_{}", visitor.caller.role.as_str()));
    format!("{} · {role}", visitor.caller.name)
}

impl Visitor {
    /// Renders page `name` for this visitor: `context`, with what every page shows around it
    /// ([`frame`]), in their language, with their session's anti-forgery token.
    pub fn page(&self, name: &str, context: minijinja::Value) -> Response {
        let framed = minijinja::value::merge_maps([context, frame(self)]);
        render(name, self.lang, self.caller.csrf_token.as_deref(), framed)
    }
}

/// What every page of a logged-in visitor shows around its own content: the organisation, who is
/// logged in (with their role; `me`, their name alone), and what they may do (`can_write`,
/// `can_administer`).
pub fn frame(visitor: &Visitor) -> minijinja::Value {
    let caller = &visitor.caller;
    minijinja::context! {
        organisation => caller.organisation.name.clone(),
        who => who(visitor),
        me => caller.name.clone(),
        can_write => caller.role.can_write(),
        can_administer => caller.role.can_administer(),
    }
}

/// Renders page `name` with `context` (which gets `t`, the visitor's words, and `csrf`).
pub fn render<S: Serialize>(name: &str, lang: Lang, csrf: Option<&str>, context: S) -> Response {
    let page = TEMPLATES.get_template(name).and_then(|template| {
        template.render(minijinja::context! { t => lang.words(), lang => lang.code(), csrf => csrf, ..minijinja::Value::from(minijinja::value::Serde(&context)) })
    });
    match page {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            tracing::error!(page = name, %error, "a page could not be drawn");
            (StatusCode::INTERNAL_SERVER_ERROR, Html(format!("<h1>{}</h1>", lang.words()["page_failed"])))
                .into_response()
        }
    }
}

/// A form's fields, or a page saying what was wrong with the form (never a bare text answer).
pub struct Sent<T>(pub T);

impl<T: serde::de::DeserializeOwned> axum::extract::FromRequest<AppState> for Sent<T> {
    type Rejection = Response;

    async fn from_request(request: axum::extract::Request, state: &AppState) -> Result<Self, Response> {
        let lang = Lang::asked(request.headers()).unwrap_or(Lang::En);
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(Sent(value)),
            Err(rejection) => {
                // a form without its anti-forgery token is a forged or stale one
                let reason = if rejection.body_text().contains("csrf_token") {
                    lang.words()["forged"].clone()
                } else {
                    rejection.body_text()
                };
                Err(bare_problem(lang, StatusCode::BAD_REQUEST, &reason))
            }
        }
    }
}

/// A page's query, or a page saying what was wrong with it.
pub struct Asked<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send> FromRequestParts<AppState> for Asked<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let lang = Lang::asked(&parts.headers).unwrap_or(Lang::En);
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Asked(value)),
            Err(rejection) => {
                let (field, reason) = crate::error::ApiError::from(rejection).split();
                let said = if reason.starts_with(&format!("{field}:")) { reason } else { format!("{field}: {reason}") };
                Err(bare_problem(lang, StatusCode::BAD_REQUEST, &said))
            }
        }
    }
}

/// A problem page for a request whose session is not known yet.
pub(super) fn bare_problem(lang: Lang, status: StatusCode, reason: &str) -> Response {
    page_problem(lang, status, reason, false)
}

/// A failed request drawn as a page with its status; `customer_facing` leaves out the way back
/// to the team's pages (a customer's page has none).
pub(super) fn page_problem(lang: Lang, status: StatusCode, reason: &str, customer_facing: bool) -> Response {
    let context =
        minijinja::context! { status => status.as_u16(), reason => reason, customer_facing => customer_facing };
    let mut response = render("problem.html", lang, None, context);
    *response.status_mut() = status;
    response
}

/// A failed request drawn as a page: what went wrong, in words, with the status it has.
pub fn problem(visitor: &Visitor, error: ApiError) -> Response {
    let (status, reason) = (error.status, refusal::reason(visitor.lang, &error));
    let mut response = visitor.page(
        "problem.html",
        minijinja::context! {
            status => status.as_u16(),
            reason => reason,
        },
    );
    *response.status_mut() = status;
    response
}
