//! The customer's own page, opened by the private link in their messages (no account): what
//! they owe, invoice by invoice, in their language, and how to pay each (the EPC QR code, the
//! account and the reference). A link that opens nothing is answered the same whatever the
//! reason, and too many such tries from one address are refused for a while.

use super::i18n::Lang;
use super::{page_problem, render};
use crate::api::session::ClientAddress;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};

/// The most invoices the page lists (the oldest due first).
const INVOICES_SHOWN: usize = 100;

/// One open invoice as the customer sees it.
#[derive(Debug, Serialize)]
struct Owed {
    number: String,
    due_date: String,
    days_overdue: i64,
    open: crate::api::Amount,
    disputed: bool,
    /// The customer said it is paid: the money is being looked for.
    said_paid: bool,
    /// A payment plan kept so far covers it.
    in_plan: bool,
    /// The EPC QR code (SVG) to pay it, its reference; none when no code can say it.
    qr: Option<String>,
    /// The reference to quote when paying it.
    reference: String,
    /// The business's payment link for this invoice, when its link names the invoice.
    pay_online: Option<String>,
}

/// A failed request on a customer's page, drawn without the team's links.
fn customer_problem(lang: Lang, status: StatusCode, reason: &str) -> Response {
    page_problem(lang, status, reason, true)
}

/// `GET /c/{secret}`: the customer's page.
pub async fn page(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path(secret): Path<String>,
    shown: super::pages::Shown,
) -> Response {
    let asked = Lang::asked(&headers).unwrap_or(Lang::En);
    let key = tries_key(client);
    if let Some(wait) = state.login_blocked(&key) {
        return too_many(asked, wait);
    }
    let now = chrono::Utc::now().naive_utc();
    let read = state.with_store_writing(move |store| read_page(store, &secret, now)).await;
    match read {
        Ok(page) => {
            let context = minijinja::context! { answer => shown.answer(), ..minijinja::Value::from(minijinja::value::Serde(&page)) };
            render("portal.html", page.lang, None, context)
        }
        Err(error) if error.status.is_client_error() => {
            if link_closed(&error) {
                state.login_failed(&key);
            }
            customer_problem(asked, StatusCode::NOT_FOUND, &super::refusal::reason(asked, &error))
        }
        Err(error) => customer_problem(asked, error.status, &super::refusal::reason(asked, &error)),
    }
}

/// `GET /c/{secret}/invoices/{number}`: one of the customer's own invoices to download (the
/// original e-invoice, or the invoice as a PDF in their language). Another customer's invoice
/// is answered as a link that opens nothing.
pub async fn document(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path((secret, number)): Path<(String, String)>,
) -> Response {
    let templates = state.templates.clone();
    download(&state, (&headers, client), move |store, now| {
        let (organisation, customer) = overdue_app::portal::open(store, &secret, now)?;
        let theirs = store.invoice(organisation.id, &number)?.is_some_and(|d| d.invoice.customer == customer.code);
        if !theirs {
            let refusal = overdue_core::refusal::Refusal::NotTheirInvoice { number, customer: customer.legal_name };
            return Err(overdue_app::AppError::Invalid { field: "invoice", reason: refusal }.into());
        }
        let today = overdue_app::clock::today(&organisation, chrono::Utc::now());
        Ok(overdue_app::messages::invoice_document(store, &organisation, &templates, &number, today)?)
    })
    .await
}

/// `GET /c/{secret}/statement`: the customer's statement of account (the month before and this
/// one, to today) as a PDF in their language.
pub async fn statement(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path(secret): Path<String>,
) -> Response {
    let templates = state.templates.clone();
    download(&state, (&headers, client), move |store, now| {
        let (organisation, customer) = overdue_app::portal::open(store, &secret, now)?;
        let today = overdue_app::clock::today(&organisation, chrono::Utc::now());
        let period = ((overdue_app::statement::default_from(today), today), &overdue_app::messages::PageLink::None);
        let code = customer.code.to_string();
        let prepared = overdue_app::messages::statement_message(store, &organisation, &templates, &code, period)?;
        let pdf = prepared.attachments.into_iter().next().map(|file| file.content).unwrap_or_default();
        Ok((format!("{}.pdf", prepared.rendered.subject), "application/pdf", pdf))
    })
    .await
}

/// A file `read` from the books for the holder of a link, or the one answer for a link that
/// opens nothing (counted against the caller's address).
async fn download<F>(state: &AppState, (headers, client): (&HeaderMap, Option<std::net::IpAddr>), read: F) -> Response
where
    F: FnOnce(
            &mut dyn overdue_store::Store,
            chrono::NaiveDateTime,
        ) -> Result<(String, &'static str, Vec<u8>), ApiError>
        + Send
        + 'static,
{
    let asked = Lang::asked(headers).unwrap_or(Lang::En);
    let key = tries_key(client);
    if let Some(wait) = state.login_blocked(&key) {
        return too_many(asked, wait);
    }
    let now = chrono::Utc::now().naive_utc();
    match state.with_store(move |store| read(store, now)).await {
        Ok((name, content_type, bytes)) => crate::api::exports::download(&name, content_type, bytes),
        Err(error) if error.status.is_client_error() => {
            if link_closed(&error) {
                state.login_failed(&key);
            }
            customer_problem(asked, StatusCode::NOT_FOUND, &super::refusal::reason(asked, &error))
        }
        Err(error) => customer_problem(asked, error.status, &super::refusal::reason(asked, &error)),
    }
}

/// A date the customer commits to pay by, and how much.
#[derive(Debug, Deserialize)]
pub struct PromiseForm {
    pub date: String,
    pub amount: String,
}

/// One invoice the customer disputes, why, and what they wrote.
#[derive(Debug, Deserialize)]
pub struct DisputeForm {
    pub invoice: String,
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

/// `POST /c/{secret}/promise`: the customer commits to a payment date (a promise to pay).
pub async fn promise(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path(secret): Path<String>,
    axum::Form(form): axum::Form<PromiseForm>,
) -> Response {
    let kept = [("date", form.date.clone()), ("amount", form.amount.clone())];
    answer(&state, (&headers, client), secret, ("promise", &kept), move |store, opened, lang, today| {
        let date = typed_day(lang, "date", &form.date)?;
        if date < today {
            return Err(ApiError::bad_request("date", lang.fill("portal_date_past", &[("date", &lang.day(date))])));
        }
        let amount = lang.amount_typed("amount", &form.amount)?;
        let recorded = overdue_app::portal::promise(store, opened, today, (date, &amount))?;
        let (amount, day) = (lang.money(recorded.promise.amount), lang.day(recorded.promise.promised_date));
        Ok(lang.fill("portal_promised", &[("amount", &amount), ("date", &day)]))
    })
    .await
}

/// `POST /c/{secret}/dispute`: the customer disputes one invoice, saying why.
pub async fn dispute(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path(secret): Path<String>,
    axum::Form(form): axum::Form<DisputeForm>,
) -> Response {
    let kept = [("invoice", form.invoice.clone()), ("reason", form.reason.clone()), ("note", form.note.clone())];
    answer(&state, (&headers, client), secret, ("dispute", &kept), move |store, opened, lang, today| {
        let stated = (form.invoice.as_str(), form.reason.as_str(), form.note.as_str());
        let disputed = match overdue_app::portal::dispute(store, opened, today, stated) {
            Err(overdue_app::AppError::Store(overdue_store::StoreError::Refused(
                overdue_core::refusal::Refusal::AlreadyInDispute { number, .. },
            ))) => {
                let said = lang.fill("portal_already_disputed", &[("number", &number)]);
                return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, Some("invoice"), said));
            }
            other => other?,
        };
        Ok(lang.fill("portal_disputed", &[("number", disputed.invoice.as_str())]))
    })
    .await
}

/// An invoice the customer says is paid: when, how much, and the reference they quoted.
#[derive(Debug, Deserialize)]
pub struct PaidForm {
    pub invoice: String,
    pub date: String,
    pub amount: String,
    #[serde(default)]
    pub reference: String,
}

/// `POST /c/{secret}/paid`: the customer says an invoice is already paid; it waits a few days
/// while someone looks for the money.
pub async fn paid(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path(secret): Path<String>,
    axum::Form(form): axum::Form<PaidForm>,
) -> Response {
    let kept = [
        ("invoice", form.invoice.clone()),
        ("date", form.date.clone()),
        ("amount", form.amount.clone()),
        ("reference", form.reference.clone()),
    ];
    answer(&state, (&headers, client), secret, ("paid", &kept), move |store, opened, lang, today| {
        let paid_on = typed_day(lang, "date", &form.date)?;
        let amount = lang.amount_typed("amount", &form.amount)?;
        let now = chrono::Utc::now().naive_utc();
        let stated = (form.invoice.as_str(), paid_on, amount.as_str(), form.reference.as_str());
        let claim = overdue_app::portal::said_paid(store, opened, (today, now), stated)?;
        let (number, until) = (claim.invoice.to_string(), lang.day(claim.pauses_until()));
        Ok(lang
            .fill("portal_said_paid", &[("number", &number), ("amount", &lang.money(claim.amount)), ("until", &until)]))
    })
    .await
}

/// A payment plan the customer sets up: how many monthly instalments, from which day.
#[derive(Debug, Deserialize)]
pub struct PlanForm {
    pub count: String,
    pub first: String,
}

/// `POST /c/{secret}/plan`: the customer spreads what is overdue over monthly instalments.
pub async fn plan(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path(secret): Path<String>,
    axum::Form(form): axum::Form<PlanForm>,
) -> Response {
    let kept = [("count", form.count.clone()), ("first", form.first.clone())];
    answer(&state, (&headers, client), secret, ("plan", &kept), move |store, opened, lang, today| {
        let first = typed_day(lang, "first", &form.first)?;
        let count: usize = form.count.trim().parse().unwrap_or(0);
        let now = chrono::Utc::now().naive_utc();
        let plan = overdue_app::portal::plan(store, opened, (today, now), (count, first))?;
        let schedule: Vec<String> = plan
            .instalments
            .iter()
            .map(|i| {
                lang.fill(
                    "portal_plan_instalment",
                    &[("date", &lang.day(i.due_date)), ("amount", &lang.money(i.amount))],
                )
            })
            .collect();
        Ok(lang.fill("portal_planned", &[("total", &lang.money(plan.principal)), ("schedule", &schedule.join("; "))]))
    })
    .await
}

/// Who approves invoices on the customer's side.
#[derive(Debug, Deserialize)]
pub struct ApproverForm {
    pub name: String,
    #[serde(default)]
    pub email: String,
}

/// `POST /c/{secret}/approver`: the customer names who approves invoices on their side.
pub async fn approver(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path(secret): Path<String>,
    axum::Form(form): axum::Form<ApproverForm>,
) -> Response {
    let kept = [("name", form.name.clone()), ("email", form.email.clone())];
    answer(&state, (&headers, client), secret, ("approver", &kept), move |store, opened, lang, _| {
        let now = chrono::Utc::now().naive_utc();
        overdue_app::portal::name_approver(store, opened, (&form.name, &form.email), now)?;
        Ok(lang.fill("portal_approver_noted", &[("name", form.name.trim())]))
    })
    .await
}

type Opened = (overdue_store::Organisation, overdue_core::customer::Customer);

/// Opens the link and runs `change` for its customer, in their language; back to their page with
/// what was done, or with why not beside the form `at` and the values typed (nothing changed).
async fn answer<F>(
    state: &AppState,
    (headers, client): (&HeaderMap, Option<std::net::IpAddr>),
    secret: String,
    (at, kept): (&str, &[(&str, String)]),
    change: F,
) -> Response
where
    F: FnOnce(
            &mut dyn overdue_store::Store,
            (&overdue_store::Organisation, &overdue_core::customer::Customer),
            Lang,
            chrono::NaiveDate,
        ) -> Result<String, ApiError>
        + Send
        + 'static,
{
    let asked = Lang::asked(headers).unwrap_or(Lang::En);
    let key = tries_key(client);
    if let Some(wait) = state.login_blocked(&key) {
        return too_many(asked, wait);
    }
    let back = format!("/c/{secret}");
    let now = chrono::Utc::now().naive_utc();
    let done = state
        .with_store_writing(move |store| {
            let opened: Opened = overdue_app::portal::open(store, &secret, now)?;
            let lang = Lang::parse(opened.1.language.as_str()).unwrap_or(Lang::En);
            let today = overdue_app::clock::today(&opened.0, chrono::Utc::now());
            Ok((lang, change(store, (&opened.0, &opened.1), lang, today)))
        })
        .await;
    match done {
        Ok((_, Ok(notice))) => super::forms::back_with(&back, &[("notice", &notice)]),
        Ok((lang, Err(error))) => {
            let reason = super::refusal::reason(lang, &error);
            let field = error.field.clone().unwrap_or_default();
            let mut answers = vec![("error", reason.as_str()), ("at", at), ("field", field.as_str())];
            answers.extend(kept.iter().map(|(name, value)| (*name, value.as_str())));
            super::forms::back_with(&back, &answers)
        }
        Err(error) => {
            if link_closed(&error) {
                state.login_failed(&key);
            }
            customer_problem(asked, StatusCode::NOT_FOUND, &super::refusal::reason(asked, &error))
        }
    }
}

/// A day typed in a date field (`YYYY-MM-DD`, as browsers send it) for `field`.
///
/// Errors: a 400 saying a date is needed, in the customer's language.
fn typed_day(lang: Lang, field: &'static str, text: &str) -> Result<chrono::NaiveDate, ApiError> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::bad_request(field, lang.word("portal_date_needed")))
}

/// Whether `error` says the link opens nothing (unknown, expired or revoked): only those count
/// against the caller's address, never a mistake made on a page a link did open.
fn link_closed(error: &ApiError) -> bool {
    matches!(error.refusal.as_deref(), Some(overdue_core::refusal::Refusal::LinkClosed))
}

/// The answer to an address that tried too many links that open nothing: when to try again, in
/// words and in `Retry-After` (seconds, RFC 9110 §10.2.3).
fn too_many(lang: Lang, wait: std::time::Duration) -> Response {
    let minutes = wait.as_secs().div_ceil(60).max(1).to_string();
    let mut response =
        customer_problem(lang, StatusCode::TOO_MANY_REQUESTS, &lang.fill("portal_too_many", &[("minutes", &minutes)]));
    if let Ok(seconds) = axum::http::HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds);
    }
    response
}

/// The key links that open nothing are counted under: the caller's address.
fn tries_key(client: Option<std::net::IpAddr>) -> String {
    format!("link|{}", client.map(|ip| ip.to_string()).unwrap_or_default())
}

/// What the page shows.
#[derive(Debug, Serialize)]
struct PortalPage {
    #[serde(skip)]
    lang: Lang,
    organisation: String,
    customer: String,
    invoices: Vec<Owed>,
    more: usize,
    iban: Option<String>,
    payment_link: Option<String>,
    /// Cheques accepted, made out to this name.
    cheque_payable_to: Option<String>,
    /// Direct debit offered (a SEPA mandate).
    direct_debit: bool,
    /// Where to ask, when the business gives no way to pay here.
    email: Option<String>,
    /// The total open in the customer's currency, as their language writes a typed amount: what
    /// the promise form offers.
    owed_typed: String,
    /// The reasons a dispute may be given for, by name.
    dispute_reasons: Vec<&'static str>,
    /// This page's own address (its forms post below it).
    path: String,
    /// A payment plan the customer may set up here, when the business offers one.
    plan: Option<PlanOffer>,
    /// The payment plans they keep so far, each instalment with whether it is paid.
    plans: Vec<PlanShown>,
    /// What they have in credit with the business (over-payments), per currency.
    credit: Vec<String>,
}

/// A payment plan kept so far, as the customer sees it.
#[derive(Debug, Serialize)]
struct PlanShown {
    id: i64,
    total: String,
    /// Each instalment: its day, its amount, and what is still to pay of it (empty: paid).
    instalments: Vec<(String, String, String)>,
}

/// The plan offered on the page: at most `max` monthly instalments for `owed`, the first on
/// `first` unless they choose (ISO date, for the date field).
#[derive(Debug, Serialize)]
struct PlanOffer {
    max: usize,
    owed: String,
    first: String,
}

/// The customer's payment plans kept so far on `today`, as their language writes them.
fn kept_plans(
    store: &mut dyn overdue_store::Store,
    organisation: &overdue_store::Organisation,
    customer: &overdue_core::customer::Customer,
    (lang, today): (Lang, chrono::NaiveDate),
) -> Result<Vec<PlanShown>, ApiError> {
    let code = customer.code.as_str();
    let listed = overdue_app::plans::list(store, organisation, code, today)?;
    let state = store.customer_state(organisation.id, code, today)?;
    Ok(listed
        .into_iter()
        .filter(|(_, judged)| matches!(judged, overdue_core::payment_plan::PlanState::Kept { .. }))
        .map(|(plan, _)| {
            let open = overdue_app::plans::open_of(&state, &plan);
            let instalments = plan
                .instalments
                .iter()
                .map(|i| {
                    let left = plan.left_of(i.due_date, open);
                    let left = if left.is_positive() { lang.money(left) } else { String::new() };
                    (lang.day(i.due_date), lang.money(i.amount), left)
                })
                .collect();
            PlanShown { id: plan.id, total: lang.money(plan.principal), instalments }
        })
        .collect())
}

fn read_page(
    store: &mut dyn overdue_store::Store,
    secret: &str,
    now: chrono::NaiveDateTime,
) -> Result<PortalPage, ApiError> {
    let (organisation, customer) = overdue_app::portal::visit(store, secret, now)?;
    let lang = Lang::parse(customer.language.as_str()).unwrap_or(Lang::En);
    let today = overdue_app::clock::today(&organisation, chrono::Utc::now());
    let state = store.customer_state(organisation.id, customer.code.as_str(), today)?;
    let grace_days = state.policy(&store.policy_book(organisation.id)?).promise_grace_days;
    let mut open: Vec<&overdue_core::engine::OpenInvoice> =
        state.invoices.iter().filter(|i| i.open.is_positive()).collect();
    open.sort_by_key(|i| (i.due_date, i.number.to_string()));
    let more = open.len().saturating_sub(INVOICES_SHOWN);
    let letterhead = store.letterhead(organisation.id)?;
    let link = letterhead.payment.payment_link.clone();
    let mut invoices = Vec::new();
    for invoice in open.into_iter().take(INVOICES_SHOWN) {
        let number = invoice.number.to_string();
        let transfer = overdue_app::transfer::for_invoice(store, &organisation, &number)?.ok();
        let label = lang.fill("portal_qr_label", &[("number", &number)]);
        let qr = transfer.as_ref().and_then(|asked| overdue_notify::qr::svg(&asked.payload, &label).ok());
        invoices.push(Owed {
            disputed: state.disputes.iter().any(|d| d.invoice == invoice.number && d.is_open(today)),
            said_paid: state.claims.iter().any(|c| c.invoice == invoice.number && c.pauses_on(today)),
            in_plan: overdue_app::plans::in_plan_kept(&state, &invoice.number, (today, grace_days)),
            due_date: invoice.due_date.to_string(),
            days_overdue: (today - invoice.due_date).num_days().max(0),
            open: invoice.open.into(),
            reference: match transfer {
                Some(asked) => asked.reference,
                None => overdue_app::transfer::reference(store, &organisation, &number)?,
            },
            qr,
            pay_online: link.as_deref().filter(|l| l.contains("{invoice}")).map(|l| l.replace("{invoice}", &number)),
            number,
        });
    }
    let owed: i64 = invoices
        .iter()
        .filter(|i| !i.disputed && i.open.currency == customer.currency.code())
        .map(|i| i.open.amount_minor)
        .sum();
    let owed_typed = lang.decimal(&overdue_core::Money::new(owed, customer.currency).to_decimal_string());
    let plan = match overdue_app::portal::plan_offer(store, (&organisation, &customer), today) {
        Ok(offer) => Some(PlanOffer {
            max: offer.max,
            owed: lang.money(offer.owed),
            first: (today + chrono::Days::new(7)).to_string(),
        }),
        // not offered today (none offered, a plan broken, a final demand sent, nothing to cover)
        Err(overdue_app::AppError::Invalid { .. }) => None,
        Err(other) => return Err(other.into()),
    };
    let plans = kept_plans(store, &organisation, &customer, (lang, today))?;
    let credit = store.customer_credit(organisation.id, customer.code.as_str())?;
    Ok(PortalPage {
        path: format!("/c/{}", secret.trim()),
        plan,
        plans,
        credit: credit.into_iter().filter(|c| c.is_positive()).map(|c| lang.money(c)).collect(),
        owed_typed,
        dispute_reasons: overdue_app::portal::DISPUTE_REASONS.iter().map(|r| r.as_str()).collect(),
        lang,
        organisation: organisation.name.clone(),
        customer: customer.legal_name.clone(),
        invoices,
        more,
        iban: letterhead
            .payment
            .iban
            .as_deref()
            .map(|iban| overdue_core::iban::grouped(&overdue_core::iban::compact(iban))),
        // a link naming the invoice is given on each invoice's line instead
        payment_link: link.filter(|l| !l.contains("{invoice}")),
        cheque_payable_to: letterhead.payment.cheque_payable_to.clone(),
        direct_debit: letterhead.payment.direct_debit,
        email: letterhead.email.clone(),
    })
}
