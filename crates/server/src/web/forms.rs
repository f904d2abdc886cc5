//! The forms of the pages: log in and out, an action done or skipped, a message approved or
//! rejected, a payment recorded. Each checks the session's anti-forgery token, runs the same use
//! case as the API, and goes back to the page it came from (POST, redirect, GET) with its answer
//! — a failure names the form and field it belongs next to; nothing is changed by a failure.

use super::{Lang, Sent, Visitor, problem};
use crate::api::session::{end_session, start_session};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

/// `text` written for a URL's query.
pub fn encode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)]).map(|s| s[1..].to_owned()).unwrap_or_default()
}

/// The fields every changing form carries.
#[derive(Debug, Deserialize)]
pub struct Common {
    /// The session's anti-forgery token.
    pub csrf_token: String,
    /// The page to go back to (a path of this site).
    pub back: Option<String>,
}

impl Common {
    pub(super) fn back(&self) -> &str {
        self.back.as_deref().filter(|b| b.starts_with('/') && !b.starts_with("//")).unwrap_or("/today")
    }
}

/// Back to the page, its answer (`key=value` pairs of a [`super::pages::Flash`]) in a cookie
/// that the next page reads and clears.
pub(super) fn back_with(back: &str, answers: &[(&str, &str)]) -> Response {
    let mut flash = serde_urlencoded::to_string(answers).unwrap_or_default();
    if flash.len() > FLASH_MOST_BYTES {
        // a browser drops a cookie this long: the answer goes without the values typed
        let said: Vec<_> = answers.iter().filter(|(key, _)| ANSWER_KEYS.contains(key)).collect();
        flash = serde_urlencoded::to_string(said).unwrap_or_default();
    }
    let cookie = format!("{}={flash}; HttpOnly; SameSite=Strict; Path=/; Max-Age=120", super::pages::FLASH_COOKIE);
    let mut response = Redirect::to(back).into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The longest answer a cookie carries: browsers keep cookies of at most 4,096 bytes (RFC 6265,
/// section 6.1), name and attributes included.
const FLASH_MOST_BYTES: usize = 3_900;

/// The keys of an answer itself, as against the values a refused form was sent with.
const ANSWER_KEYS: [&str; 5] = ["notice", "error", "at", "field", "secret"];

/// Why a changing form is not taken, as the page to show: a forged or stale anti-forgery token,
/// or a visitor who may only read. `None`: it may go ahead.
pub(super) fn refused(visitor: &Visitor, common: &Common, at: &str) -> Option<Response> {
    if visitor.caller.csrf_token.as_deref() != Some(common.csrf_token.as_str()) {
        let forged = ApiError::new(StatusCode::FORBIDDEN, None, visitor.lang.word("forged"));
        return Some(problem(visitor, forged));
    }
    if !visitor.caller.role.can_write() {
        return Some(back_with(common.back(), &[("error", &visitor.lang.word("read_only")), ("at", at)]));
    }
    None
}

/// Runs `change` when the visitor may, with the form's token; back to the page with its answer
/// (and, on a refusal, the values typed in `kept`, so the form comes back as it was sent).
pub(super) async fn answered<F>(
    state: &AppState,
    visitor: &Visitor,
    (common, at, kept): (&Common, &str, &[(&str, &str)]),
    change: F,
) -> Response
where
    F: FnOnce(&mut dyn overdue_store::Store, &crate::auth::Caller) -> Result<String, ApiError> + Send + 'static,
{
    if let Some(refused) = refused(visitor, common, at) {
        return refused;
    }
    let caller = visitor.caller.clone();
    match state.with_store_writing(move |store| change(store, &caller)).await {
        Ok(notice) => back_with(common.back(), &[("notice", &notice)]),
        Err(error) => {
            let field = error.field.clone().unwrap_or_default();
            let reason = super::refusal::reason(visitor.lang, &error);
            let mut answer = vec![("error", reason.as_str()), ("at", at), ("field", field.as_str())];
            answer.extend_from_slice(kept);
            back_with(common.back(), &answer)
        }
    }
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub next: Option<String>,
}

/// Logs in and goes to the page asked for (or today's work); a wrong password back to the form.
pub async fn log_in(
    State(state): State<AppState>,
    crate::api::session::ClientAddress(client): crate::api::session::ClientAddress,
    headers: HeaderMap,
    Sent(form): Sent<LoginForm>,
) -> Response {
    let next = form.next.as_deref().filter(|n| n.starts_with('/') && !n.starts_with("//")).unwrap_or("/today");
    match start_session(&state, client, (&form.email, &form.password, None)).await {
        Ok(started) => {
            let mut response = Redirect::to(next).into_response();
            response.headers_mut().insert(header::SET_COOKIE, started.cookie);
            response
        }
        Err(error) => {
            let lang = Lang::asked(&headers).unwrap_or(Lang::En);
            let reason = if error.status == StatusCode::UNAUTHORIZED {
                lang.words()["login_failed"].clone()
            } else {
                super::refusal::reason(lang, &error)
            };
            // the e-mail comes back as typed, never the password
            let answer = [("error", reason.as_str()), ("at", "login"), ("email", form.email.trim())];
            back_with(&format!("/login?next={}", encode(next)), &answer)
        }
    }
}

/// Logs out and goes to the login page.
pub async fn log_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match end_session(&state, &headers).await {
        Ok(clear) => {
            let mut response = Redirect::to("/login").into_response();
            response.headers_mut().insert(header::SET_COOKIE, clear);
            response
        }
        Err(error) => error.into_response(),
    }
}

/// An action done, with what happened.
#[derive(Debug, Deserialize)]
pub struct DoneForm {
    #[serde(flatten)]
    pub common: Common,
    pub note: Option<String>,
}

pub async fn done(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Sent(form): Sent<DoneForm>,
) -> Response {
    let words = visitor.lang.words();
    let said = words["done_notice"].clone();
    let note = form.note.clone().filter(|n| !n.trim().is_empty());
    answered(&state, &visitor, (&form.common, &format!("done-{id}"), &[]), move |store, caller| {
        let on = overdue_app::clock::today(&caller.organisation, chrono::Utc::now());
        let done = (on, caller.name.as_str(), note.as_deref());
        let action = overdue_app::followup::complete_action(store, &caller.organisation, id, done)?;
        Ok(format!("{said} #{} ({})", action.id, action.customer_code))
    })
    .await
}

/// An action skipped, and why.
#[derive(Debug, Deserialize)]
pub struct SkipForm {
    #[serde(flatten)]
    pub common: Common,
    pub reason: String,
}

pub async fn skip(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Sent(form): Sent<SkipForm>,
) -> Response {
    let said = visitor.lang.words()["skipped_notice"].clone();
    let reason = form.reason.clone();
    answered(&state, &visitor, (&form.common, &format!("skip-{id}"), &[]), move |store, caller| {
        let on = overdue_app::clock::today(&caller.organisation, chrono::Utc::now());
        let skipped = (on, caller.name.as_str(), reason.as_str());
        let action = overdue_app::followup::skip_action(store, &caller.organisation, id, skipped)?;
        Ok(format!("{said} #{} ({})", action.id, action.customer_code))
    })
    .await
}

pub async fn approve(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Sent(common): Sent<Common>,
) -> Response {
    let said = visitor.lang.words()["approved_notice"].clone();
    answered(&state, &visitor, (&common, &format!("approve-{id}"), &[]), move |store, caller| {
        let at = chrono::Utc::now().naive_utc();
        let approved = overdue_app::outbox::approve(store, &caller.organisation, id, (caller.name.as_str(), at))?;
        Ok(format!("{said} #{} ({})", approved.id, approved.customer))
    })
    .await
}

/// A message rejected, and why.
#[derive(Debug, Deserialize)]
pub struct RejectForm {
    #[serde(flatten)]
    pub common: Common,
    pub reason: String,
}

pub async fn reject(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Sent(form): Sent<RejectForm>,
) -> Response {
    let said = visitor.lang.words()["rejected_notice"].clone();
    let reason = form.reason.clone();
    answered(&state, &visitor, (&form.common, &format!("reject-{id}"), &[]), move |store, caller| {
        let on = overdue_app::clock::today(&caller.organisation, chrono::Utc::now());
        let rejected = overdue_app::outbox::reject(store, &caller.organisation, id, (&caller.name, &reason, on))?;
        Ok(format!("{said} #{} ({})", rejected.id, rejected.customer))
    })
    .await
}

/// A payment received, as a person types it.
#[derive(Debug, Deserialize)]
pub struct PaymentForm {
    #[serde(flatten)]
    pub common: Common,
    pub invoice: String,
    pub amount: String,
    pub date: String,
    pub method: Option<String>,
    pub reference: Option<String>,
}

pub async fn record_payment(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
    Sent(form): Sent<PaymentForm>,
) -> Response {
    let words = visitor.lang.words();
    let (said, still) = (words["payment_notice"].clone(), words["still_owed"].clone());
    let (bad_date, already) = (words["bad_date"].clone(), words["payment_already"].clone());
    let (excess_applied, excess_kept) = (visitor.lang.word("excess_applied"), visitor.lang.word("excess_kept"));
    let lang = visitor.lang;
    let PaymentForm { common, invoice, amount, date, method, reference } = form;
    let method = method.filter(|m| !m.is_empty()).unwrap_or_else(|| "transfer".into());
    let reference = reference.unwrap_or_default();
    let kept = [
        ("invoice", invoice.as_str()),
        ("amount", amount.as_str()),
        ("date", date.as_str()),
        ("method", method.as_str()),
        ("reference", reference.as_str()),
    ];
    let kept: Vec<(&str, &str)> = kept.to_vec();
    let (invoice_typed, amount_typed, date_typed) = (invoice.clone(), amount.clone(), date.clone());
    let (method_typed, reference_typed) = (method.clone(), reference.clone());
    answered(&state, &visitor, (&common, "payment", &kept), move |store, caller| {
        let (invoice, amount, date) = (invoice_typed, amount_typed, date_typed);
        let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| ApiError::bad_request("date", format!("{bad_date}: {date:?}")))?;
        let belongs = store.invoice_customer_code(caller.organisation.id, invoice.trim()).ok();
        if belongs.as_deref() != Some(code.as_str()) {
            let theirs =
                lang.word("not_their_open_invoice").replace("{invoice}", invoice.trim()).replace("{customer}", &code);
            return Err(ApiError::bad_request("invoice", theirs));
        }
        let received = overdue_app::payments::PaymentReceived {
            invoice: invoice.trim().to_owned(),
            amount: lang.amount_typed("amount", &amount)?,
            date,
            method: method_typed,
            reference: Some(reference_typed.trim().to_owned()).filter(|r| !r.is_empty()),
        };
        let recorded = overdue_app::payments::record(store, &caller.organisation, &received)?;
        if !recorded.created {
            let again = format!("{} {} {}: {already}", recorded.invoice, recorded.date, recorded.amount);
            return Err(ApiError::bad_request("reference", again));
        }
        let money = |m: overdue_core::money::Money| lang.money(m);
        let (amount, owed) = (money(recorded.amount), money(recorded.still_owed));
        let mut notice = format!("{said}: {} {amount} — {still} {owed}", recorded.invoice);
        if recorded.excess.is_positive() {
            // say where the excess went: to other invoices, kept as credit, or both
            let kept = recorded.credit_kept.filter(|m| m.is_positive());
            let placed = recorded.excess.amount_minor() - kept.map_or(0, |m| m.amount_minor());
            let placed = overdue_core::money::Money::new(placed, recorded.excess.currency());
            if placed.is_positive() {
                notice.push_str(&format!(". {} {excess_applied}", money(placed)));
            }
            if let Some(kept) = kept {
                notice.push_str(&format!(". {} {excess_kept}", money(kept)));
            }
        }
        // what the payment settled leaves the work list and the outbox now
        let today = overdue_app::clock::today(&caller.organisation, chrono::Utc::now());
        overdue_app::outbox::withdraw_stale(store, &caller.organisation, today, Some(&code))?;
        Ok(notice)
    })
    .await
}

/// The customer's fields as the edit form sends them: every field of
/// [`overdue_core::customer_fields::FIELDS`] with its text (the form sends them all).
#[derive(Debug, Deserialize)]
pub struct CustomerForm {
    #[serde(flatten)]
    pub common: Common,
    #[serde(flatten)]
    pub fields: std::collections::BTreeMap<String, String>,
}

/// The customer edited: the fields whose text changed are set (as `overdue customer set` and
/// `PATCH /api/v1/customers/{code}` set them, each change on the timeline); a value that does not
/// parse is answered next to its field and nothing is changed.
pub async fn edit_customer(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
    Sent(form): Sent<CustomerForm>,
) -> Response {
    let (saved, unchanged) = (visitor.lang.word("customer_saved"), visitor.lang.word("nothing_changed"));
    let sent: Vec<(String, String)> =
        form.fields.into_iter().filter(|(field, _)| field != "csrf_token" && field != "back").collect();
    let typed = sent.clone();
    // an amount as the visitor's language writes it (`25.000,00`), as the books read it
    let lang = visitor.lang;
    let sent: Vec<(String, String)> = sent
        .into_iter()
        .map(|(field, text)| match field.as_str() {
            "credit_limit" if !text.trim().is_empty() => {
                (field.clone(), lang.amount_typed("credit_limit", &text).unwrap_or(text))
            }
            _ => (field, text),
        })
        .collect();
    let kept: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    answered(&state, &visitor, (&form.common, "edit", &kept), move |store, caller| {
        let tenant = caller.organisation.id;
        let customer =
            store.customer(tenant, &code)?.ok_or_else(|| ApiError::not_found(format!("no customer {code:?}")))?;
        let mut changed = Vec::new();
        for (field, text) in sent {
            if !overdue_core::customer_fields::FIELDS.contains(&field.as_str()) {
                return Err(ApiError::bad_request("fields", format!("{field:?} is not a customer field")));
            }
            let now = overdue_core::customer_fields::value(&customer, &field).unwrap_or_default();
            if text.trim() != now {
                changed.push((field, text));
            }
        }
        let at = chrono::Utc::now().naive_utc();
        let changes = overdue_app::customers::set(store, tenant, &code, &changed, (&caller.name, at))?;
        if changes.is_empty() {
            return Ok(unchanged);
        }
        let fields: Vec<String> =
            changes.iter().map(|c| format!("«{}»", lang.word(&format!("field_{}", c.field)))).collect();
        Ok(format!("{saved}: {}", fields.join(", ")))
    })
    .await
}

/// `POST /today/plan`: today's work planned now for every customer, as the scheduler does each
/// morning (and `overdue run`, `POST /api/v1/runs`), and the waiting messages that ask for nothing
/// any more withdrawn: after an import, a payment or a change of policy, the list need not wait
/// for tomorrow. Planning again creates nothing twice.
pub async fn plan_today(State(state): State<AppState>, visitor: Visitor, Sent(common): Sent<Common>) -> Response {
    let (said, lang) = (visitor.lang.word("day_planned"), visitor.lang);
    answered(&state, &visitor, (&common, "plan", &[]), move |store, caller| {
        let today = overdue_app::clock::today(&caller.organisation, chrono::Utc::now());
        let (report, withdrawn) = overdue_app::day::plan_now(store, &caller.organisation, today)?;
        Ok(said
            .replace("{day}", &lang.day(today))
            .replace("{created}", &report.created.to_string())
            .replace("{planned}", &report.planned.to_string())
            .replace("{withdrawn}", &withdrawn.to_string()))
    })
    .await
}

/// A payment undone from its invoice's page.
#[derive(Debug, Deserialize)]
pub struct UndoPaymentForm {
    #[serde(flatten)]
    pub common: Common,
    /// The payment's reference, as the invoice lists it.
    pub reference: String,
    pub reason: String,
}

/// `POST /invoices/{number}/payments/undo`: a payment recorded by mistake undone today, with why
/// (as `overdue unpay` and the API do): it stays on the timeline, taken back; what it paid is open
/// again. One that came from a bank line is refused: its match is undone on the bank page.
pub async fn undo_payment(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(number): Path<String>,
    Sent(form): Sent<UndoPaymentForm>,
) -> Response {
    let undone = visitor.lang.word("payment_undone");
    let UndoPaymentForm { common, reference, reason } = form;
    let (at, typed) = (format!("undo-{reference}"), reason.clone());
    answered(&state, &visitor, (&common, &at, &[("reason", &typed)]), move |store, caller| {
        let organisation = &caller.organisation;
        let today = overdue_app::clock::today(organisation, chrono::Utc::now());
        let reopened = overdue_app::payments::reverse(store, organisation, &reference, (today, &caller.name, &reason))?;
        let reopened = if reopened.is_empty() { number.clone() } else { reopened.join(", ") };
        Ok(format!("{undone}: {reference} ({reopened})"))
    })
    .await
}

/// How a dispute was resolved.
#[derive(Debug, Deserialize)]
pub struct ResolveForm {
    #[serde(flatten)]
    pub common: Common,
    pub resolution: String,
}

/// A dispute on one invoice resolved from the customer page, today: what is still owed is chased
/// again (as `overdue dispute resolve` and the API do); on the timeline.
pub async fn resolve_dispute(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((code, invoice)): Path<(String, String)>,
    Sent(form): Sent<ResolveForm>,
) -> Response {
    let said = visitor.lang.word("dispute_resolved");
    let at = format!("resolve-{invoice}");
    let ResolveForm { common, resolution } = form;
    answered(&state, &visitor, (&common, &at, &[]), move |store, caller| {
        let organisation = &caller.organisation;
        if store.invoice_customer_code(organisation.id, &invoice).ok().as_deref() != Some(code.as_str()) {
            return Err(ApiError::bad_request("invoice", format!("{invoice:?}: not an invoice of {code}")));
        }
        let today = overdue_app::clock::today(organisation, chrono::Utc::now());
        overdue_app::followup::resolve_dispute(store, organisation, (&invoice, &resolution), today)?;
        Ok(format!("{said}: {invoice}"))
    })
    .await
}
