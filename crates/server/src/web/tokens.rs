//! API tokens on the settings page: the organisation's tokens listed (name, role, made, last
//! used, revoked), a new one made with its secret shown on the next page only, one revoked. An
//! admin's job, as `overdue serve token` is the operator's.

use super::forms::{Common, back_with, refused};
use super::{Lang, Sent, Visitor};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use overdue_core::access::Role;
use overdue_store::ApiToken;
use serde::{Deserialize, Serialize};

/// Where the forms go back to.
const BACK: &str = "/settings#tokens";

/// A token as the settings page lists it: times in the visitor's words, UTC.
#[derive(Debug, Serialize)]
pub(super) struct TokenRow {
    id: i64,
    name: String,
    role: String,
    created: String,
    last_used: Option<String>,
    revoked: Option<String>,
}

/// The tokens as the page lists them: live ones first, then revoked; newest first in each.
pub(super) fn rows(lang: Lang, mut tokens: Vec<ApiToken>) -> Vec<TokenRow> {
    tokens.sort_by_key(|t| (t.revoked_at.is_some(), std::cmp::Reverse(t.created_at)));
    let when = |at: chrono::NaiveDateTime| format!("{} {}", lang.day(at.date()), at.format("%H:%M"));
    tokens
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            role: t.role.as_str().to_owned(),
            created: when(t.created_at),
            last_used: t.last_used_at.map(when),
            revoked: t.revoked_at.map(when),
        })
        .collect()
}

/// A token to make.
#[derive(Debug, Deserialize)]
pub struct NewTokenForm {
    #[serde(flatten)]
    pub common: Common,
    /// What it is for ("ERP").
    pub name: String,
    /// admin, controller or read_only.
    pub role: String,
}

/// `POST /settings/tokens`: a token made; the next page shows its secret once (it is kept only as
/// its hash). An empty name or unknown role is answered at its field; an admin's job.
pub async fn create(State(state): State<AppState>, visitor: Visitor, Sent(form): Sent<NewTokenForm>) -> Response {
    if let Some(refused) = refused(&visitor, &form.common, "tokens") {
        return refused;
    }
    let (caller, admins) = (visitor.caller.clone(), visitor.lang.word("admin_only"));
    let (name, role) = (form.name.clone(), form.role.clone());
    let made = state
        .with_store_writing(move |store| {
            if !caller.role.can_administer() {
                return Err(ApiError::new(StatusCode::FORBIDDEN, Some("name"), admins));
            }
            let role =
                Role::parse(&role).ok_or_else(|| ApiError::bad_request("role", "admin, controller or read_only"))?;
            let now = chrono::Utc::now().naive_utc();
            Ok(overdue_app::tokens::create(store, &caller.organisation, (&name, role), now)?)
        })
        .await;
    match made {
        Ok(made) => {
            let notice = visitor.lang.word("token_made").replace("{name}", &made.token.name);
            back_with(BACK, &[("notice", &notice), ("secret", &made.secret)])
        }
        Err(error) => {
            let field = error.field.clone().unwrap_or_default();
            let reason = super::refusal::reason(visitor.lang, &error);
            let answer = [("error", reason.as_str()), ("at", "tokens"), ("field", &field)];
            back_with(BACK, &[&answer[..], &[("name", &form.name), ("role", &form.role)]].concat())
        }
    }
}

/// `POST /settings/tokens/{id}/revoke`: the token stops opening the API at once; an admin's job.
pub async fn revoke(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Sent(common): Sent<Common>,
) -> Response {
    let (revoked, admins) = (visitor.lang.word("token_revoked"), visitor.lang.word("admin_only"));
    let forget = state.clone();
    super::forms::answered(&state, &visitor, (&common, "tokens", &[]), move |store, caller| {
        if !caller.role.can_administer() {
            return Err(ApiError::new(StatusCode::FORBIDDEN, None, admins));
        }
        overdue_app::tokens::revoke(store, &caller.organisation, id, chrono::Utc::now().naive_utc())?;
        forget.forget_live_tokens();
        Ok(revoked)
    })
    .await
}
