//! The settings pages: the letterhead and payment options every message carries, the closing
//! days, the policy book (its ladders shown step by step, replaced whole and checked as when it
//! is loaded), the message templates with a preview in any tone, the people who log in and the API
//! tokens ([`super::tokens`]). Each form answers next to itself, a refused one as it was typed;
//! the letterhead, the policy book, the people and the tokens are an admin's to change (as in the
//! API), the closing days a controller's too.

use super::forms::{Common, answered};
use super::{Sent, Visitor, problem};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use overdue_core::access::Role;
use overdue_core::letterhead::KEYS;
use overdue_core::policy::{PolicyBook, Tone};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One step of a ladder as the page lists it.
#[derive(Debug, Serialize)]
struct StepRow {
    name: String,
    /// What the step counts from (`sent`, `due_date`, `previous_step`) and how many days after it
    /// (negative: before).
    anchor: String,
    offset_days: i32,
    tone: String,
    channel: String,
    /// `yes`, `no`, or empty: the shipped rule (final demands and agency hand-offs wait).
    approval: String,
    fee: String,
    template: String,
}

/// Each policy's name and its steps, in order.
fn ladders(book: &PolicyBook) -> Vec<(String, Vec<StepRow>)> {
    let json = |value: serde_json::Result<serde_json::Value>| match value {
        Ok(serde_json::Value::String(text)) => text,
        Ok(serde_json::Value::Null) | Err(_) => String::new(),
        Ok(other) => other.to_string(),
    };
    book.policies
        .iter()
        .map(|policy| {
            let steps = policy
                .steps
                .iter()
                .map(|step| StepRow {
                    name: step.name.clone(),
                    anchor: step.anchor.as_str().to_owned(),
                    offset_days: step.offset_days,
                    tone: step.tone.as_str().to_owned(),
                    channel: step.channel.as_str().to_owned(),
                    approval: step.approval.map(|a| if a { "yes" } else { "no" }).unwrap_or_default().to_owned(),
                    fee: json(serde_json::to_value(&step.fee)),
                    template: step.template.clone(),
                })
                .collect();
            (policy.name.clone(), steps)
        })
        .collect()
}

/// `GET /settings`: every setting, with its form.
pub async fn page(State(state): State<AppState>, visitor: Visitor, shown: super::pages::Shown) -> Response {
    let tenant = visitor.caller.organisation.id;
    let read = state
        .with_store(move |store| {
            let letterhead = store.letterhead(tenant)?;
            let closing = store.closing_days_named(tenant)?;
            let book = store.policy_book(tenant)?;
            let users = store.users(tenant)?;
            let tokens = store.tokens(tenant)?;
            Ok((letterhead, closing, book, users, tokens))
        })
        .await;
    let (letterhead, closing, book, users, tokens) = match read {
        Ok(read) => read,
        Err(error) => return problem(&visitor, error),
    };
    let fields: Vec<(&str, String)> = KEYS.iter().map(|k| (*k, letterhead.value(k).unwrap_or_default())).collect();
    let book_json = serde_json::to_string_pretty(&book).unwrap_or_default();
    let mut templates: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in state.templates.files() {
        if let Some((language, name)) = file.split_once('/')
            && !name.starts_with('_')
        {
            templates.entry(name.trim_end_matches(".txt").to_owned()).or_default().push(language.to_owned());
        }
    }
    let people: Vec<(String, String, bool)> =
        users.into_iter().map(|u| (u.email, u.role.as_str().to_owned(), u.disabled_at.is_some())).collect();
    visitor.page(
        "settings.html",
        minijinja::context! {
            fields => fields,
            closing => closing.iter().map(|(day, name)| (day.to_string(), name.clone())).collect::<Vec<_>>(),
            ladders => minijinja::Value::from(minijinja::value::Serde(&ladders(&book))),
            book => book_json,
            templates => templates,
            people => people,
            tokens => minijinja::Value::from(minijinja::value::Serde(&super::tokens::rows(visitor.lang, tokens))),
            roles => [Role::Admin, Role::Controller, Role::ReadOnly].map(|r| r.as_str()),
            answer => shown.answer(),
        },
    )
}

/// The letterhead form: every setting with its text.
#[derive(Debug, Deserialize)]
pub struct LetterheadForm {
    #[serde(flatten)]
    pub common: Common,
    #[serde(flatten)]
    pub settings: BTreeMap<String, String>,
}

/// `POST /settings/letterhead`: the settings saved as typed (an empty one cleared); a value that
/// does not read is answered at its field and nothing is saved; an admin's job, as in the API.
pub async fn letterhead(State(state): State<AppState>, visitor: Visitor, Sent(form): Sent<LetterheadForm>) -> Response {
    let saved = visitor.lang.word("customer_saved");
    let settings: Vec<(String, String)> =
        form.settings.into_iter().filter(|(key, _)| KEYS.contains(&key.as_str())).collect();
    let admins = visitor.lang.word("admin_only");
    let typed = settings.clone();
    let kept: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let lang = visitor.lang;
    answered(&state, &visitor, (&form.common, "letterhead", &kept), move |store, caller| {
        // as the API: what every message says of the business is an admin's to change
        if !caller.role.can_administer() {
            return Err(ApiError::new(StatusCode::FORBIDDEN, None, admins));
        }
        // an IBAN that is none is said in the visitor's words, before anything is saved
        let iban = settings.iter().find(|(key, value)| key == "iban" && !value.trim().is_empty());
        if let Some(refused) = iban.and_then(|(_, value)| lang.iban_refused(value)) {
            return Err(ApiError::bad_request("iban", refused));
        }
        overdue_app::settings::set_letterhead(store, &caller.organisation, &settings)?;
        Ok(saved)
    })
    .await
}

/// A closing day to add.
#[derive(Debug, Deserialize)]
pub struct ClosingDayForm {
    #[serde(flatten)]
    pub common: Common,
    pub day: String,
    pub name: String,
}

/// `POST /settings/closing-days`: a day nobody is called or written to.
pub async fn closing_day(
    State(state): State<AppState>,
    visitor: Visitor,
    Sent(form): Sent<ClosingDayForm>,
) -> Response {
    let (saved, bad_date) = (visitor.lang.word("customer_saved"), visitor.lang.word("bad_date"));
    let ClosingDayForm { common, day, name } = form;
    let kept = [("day", day.clone()), ("name", name.clone())];
    let kept = kept.each_ref().map(|(k, v)| (*k, v.as_str()));
    answered(&state, &visitor, (&common, "closing", &kept), move |store, caller| {
        let on = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
            .map_err(|_| ApiError::bad_request("day", format!("{bad_date}: {day:?}")))?;
        overdue_app::settings::add_closing_day(store, &caller.organisation, (on, &name))?;
        Ok(format!("{saved}: {on} {}", name.trim()))
    })
    .await
}

/// A closing day to remove.
#[derive(Debug, Deserialize)]
pub struct RemoveDayForm {
    #[serde(flatten)]
    pub common: Common,
    pub day: NaiveDate,
}

/// `POST /settings/closing-days/remove`: the business works that day after all.
pub async fn remove_closing_day(
    State(state): State<AppState>,
    visitor: Visitor,
    Sent(form): Sent<RemoveDayForm>,
) -> Response {
    let (removed, lang) = (visitor.lang.word("closing_day_removed"), visitor.lang);
    let RemoveDayForm { common, day } = form;
    answered(&state, &visitor, (&common, "closing", &[]), move |store, caller| {
        overdue_app::settings::remove_closing_day(store, &caller.organisation, day)?;
        Ok(format!("{removed}: {}", lang.day(day)))
    })
    .await
}

/// The policy book as JSON text.
#[derive(Debug, Deserialize)]
pub struct PolicyForm {
    #[serde(flatten)]
    pub common: Common,
    pub book: String,
}

/// `POST /settings/policy`: the policy book replaced whole, checked first as when it is loaded
/// (its own rules, and every template a step names existing); an admin's job.
pub async fn policy(State(state): State<AppState>, visitor: Visitor, Sent(form): Sent<PolicyForm>) -> Response {
    let (saved, admins) = (visitor.lang.word("customer_saved"), visitor.lang.word("admin_only"));
    let templates = state.templates.clone();
    let PolicyForm { common, book } = form;
    let typed = book.clone();
    answered(&state, &visitor, (&common, "policy", &[("book", &typed)]), move |store, caller| {
        if !caller.role.can_administer() {
            return Err(ApiError::new(StatusCode::FORBIDDEN, Some("book"), admins));
        }
        let book: PolicyBook = serde_json::from_str(&book)
            .map_err(|e| ApiError::bad_request("book", format!("not a policy book: {e}")))?;
        overdue_app::settings::load_policy(store, &caller.organisation, &book, &templates).map_err(|e| {
            let mut refused = ApiError::from(e);
            refused.field = Some("book".into());
            refused
        })?;
        Ok(saved)
    })
    .await
}

/// A person to add.
#[derive(Debug, Deserialize)]
pub struct UserForm {
    #[serde(flatten)]
    pub common: Common,
    pub email: String,
    pub role: String,
    pub password: String,
}

/// `POST /settings/users`: a person who may log in, with a role and a password (at least 12
/// characters); an admin's job.
pub async fn add_user(State(state): State<AppState>, visitor: Visitor, Sent(form): Sent<UserForm>) -> Response {
    let (saved, admins) = (visitor.lang.word("customer_saved"), visitor.lang.word("admin_only"));
    let UserForm { common, email, role, password } = form;
    // the password is never sent back
    let kept = [("email", email.clone()), ("role", role.clone())];
    let kept = kept.each_ref().map(|(k, v)| (*k, v.as_str()));
    answered(&state, &visitor, (&common, "users", &kept), move |store, caller| {
        if !caller.role.can_administer() {
            return Err(ApiError::new(StatusCode::FORBIDDEN, Some("email"), admins));
        }
        let role = Role::parse(&role).ok_or_else(|| ApiError::bad_request("role", "admin, controller or read_only"))?;
        let now = chrono::Utc::now().naive_utc();
        overdue_app::users::add(store, &caller.organisation, (email.trim(), role, &password), now)?;
        Ok(format!("{saved}: {}", email.trim()))
    })
    .await
}

/// A person who may no longer log in.
#[derive(Debug, Deserialize)]
pub struct DisableForm {
    #[serde(flatten)]
    pub common: Common,
    pub email: String,
}

/// `POST /settings/users/disable`: the person can no longer log in, their sessions ended (as
/// `overdue serve user disable`); an admin's job, never their own.
pub async fn disable_user(State(state): State<AppState>, visitor: Visitor, Sent(form): Sent<DisableForm>) -> Response {
    let (said, admins) = (visitor.lang.word("person_disabled"), visitor.lang.word("admin_only"));
    let DisableForm { common, email } = form;
    answered(&state, &visitor, (&common, "users", &[]), move |store, caller| {
        if !caller.role.can_administer() {
            return Err(ApiError::new(StatusCode::FORBIDDEN, None, admins));
        }
        let now = chrono::Utc::now().naive_utc();
        overdue_app::users::disable(store, &caller.organisation, (&email, &caller.name), now)?;
        Ok(format!("{said}: {}", email.trim()))
    })
    .await
}

/// What a template preview is asked for.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewQuery {
    /// friendly (default), firm, serious or final.
    pub tone: Option<String>,
}

/// `GET /settings/templates/{language}/{template}`: a template's text and the message it writes
/// for the sample facts every template is checked with, in the tone asked for.
pub async fn template(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((language, template)): Path<(String, String)>,
    super::Asked(query): super::Asked<PreviewQuery>,
) -> Response {
    let tone_name = query.tone.unwrap_or_else(|| "friendly".to_owned());
    let Some(tone) = Tone::parse(&tone_name) else {
        let reason = format!("{tone_name:?} is not a tone: use {}", Tone::names());
        return problem(&visitor, ApiError::bad_request("tone", reason));
    };
    let file = format!("{language}/{template}.txt");
    let Some(text) = state.templates.source(&file).filter(|_| !template.starts_with('_')) else {
        return problem(&visitor, ApiError::not_found(format!("no template {template:?} in {language:?}")));
    };
    let written = overdue_core::ids::Language::parse(&language).unwrap_or(overdue_core::ids::Language::EN);
    let preview = state.templates.preview(&template, written, tone.as_str());
    let (subject, body, error) = match preview {
        Ok(rendered) => (Some(rendered.subject), Some(rendered.body), None),
        Err(error) => (None, None, Some(error.to_string())),
    };
    visitor.page(
        "template.html",
        minijinja::context! {
            language => language,
            template => template,
            tone => tone.as_str(),
            tones => Tone::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            text => text,
            subject => subject,
            body => body,
            error => error,
        },
    )
}
