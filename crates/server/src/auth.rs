//! Who is calling: the organisation and role of the API token in `Authorization: Bearer …`, or of
//! the person whose session cookie comes with the request. A request that changes something on a
//! session must also carry the session's anti-forgery token in `X-CSRF-Token` (a page of another
//! site can make the browser send the cookie, not read the token). Every route under `/api/v1`
//! but the OpenAPI document and login takes a [`Caller`], and every use case it runs is scoped to
//! the caller's organisation, so no route reads or changes another's books.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use overdue_core::access::Role;
use overdue_store::Organisation;

/// The cookie a session's secret travels in.
pub const SESSION_COOKIE: &str = "overdue_session";

/// The organisation and role a request acts as.
#[derive(Debug, Clone)]
pub struct Caller {
    pub organisation: Organisation,
    pub role: Role,
    /// Who the records the request makes are attributed to: `token:NAME` or the person's e-mail.
    pub name: String,
    /// The anti-forgery token of the session the request came with (none for an API token).
    pub csrf_token: Option<String>,
}

impl Caller {
    /// Refuses a caller whose role may not record facts or work the list.
    pub fn may_write(&self) -> Result<(), ApiError> {
        if self.role.can_write() {
            Ok(())
        } else {
            Err(ApiError::new(StatusCode::FORBIDDEN, None, format!("a {} caller may only read", self.role)))
        }
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('=').map(str::to_owned))
}

fn unauthorised(reason: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, Some("authorization"), reason)
}

impl AppState {
    /// The caller of a token found live less than [`crate::state::TOKEN_CACHE`] ago.
    fn cached_token(&self, key: &str) -> Option<Caller> {
        let cache = self.live_tokens.lock().ok()?;
        let (caller, until) = cache.get(key)?;
        (std::time::Instant::now() < *until).then(|| caller.clone())
    }

    /// Forgets every token found live: a token revoked through this server stops at once here
    /// (other servers stop trusting it within [`crate::state::TOKEN_CACHE`]).
    pub(crate) fn forget_live_tokens(&self) {
        if let Ok(mut cache) = self.live_tokens.lock() {
            cache.clear();
        }
    }

    fn cache_token(&self, key: String, caller: &Caller) {
        if let Ok(mut cache) = self.live_tokens.lock() {
            let now = std::time::Instant::now();
            cache.retain(|_, (_, until)| *until > now);
            cache.insert(key, (caller.clone(), now + crate::state::TOKEN_CACHE));
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let now = chrono::Utc::now().naive_utc();
        if let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) {
            let secret = header
                .to_str()
                .ok()
                .and_then(|value| value.split_once(' ').filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer")))
                .map(|(_, secret)| secret)
                .map(|secret| secret.trim().to_owned())
                .ok_or_else(|| unauthorised("the Authorization header must be `Bearer <token>`"))?;
            let key = overdue_app::tokens::digest(&secret);
            if let Some(caller) = state.cached_token(&key) {
                return Ok(caller);
            }
            let found =
                state.with_store(move |store| Ok(overdue_app::tokens::authenticate(store, &secret, now)?)).await?;
            let (organisation, token) = found.ok_or_else(|| unauthorised("this token is not known or was revoked"))?;
            let caller =
                Caller { organisation, role: token.role, name: format!("token:{}", token.name), csrf_token: None };
            state.cache_token(key, &caller);
            return Ok(caller);
        }
        let caller = session_caller(&parts.headers, state).await?.ok_or_else(|| {
            unauthorised("log in (POST /api/v1/session) or send an API token: Authorization: Bearer odt_…")
        })?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        let forgery_token = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
        if !safe && forgery_token != caller.csrf_token.as_deref() {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                Some("X-CSRF-Token"),
                "a change made on a session carries its X-CSRF-Token (given at login)",
            ));
        }
        Ok(caller)
    }
}

/// The person whose live session cookie comes with the request (its anti-forgery token not yet
/// checked); `None` without a cookie.
///
/// Errors: 401 when the session has ended or is unknown; store errors.
pub async fn session_caller(headers: &HeaderMap, state: &AppState) -> Result<Option<Caller>, ApiError> {
    let Some(secret) = cookie(headers, SESSION_COOKIE) else { return Ok(None) };
    let now = chrono::Utc::now().naive_utc();
    let found = state
        .with_store(move |store| {
            let Some(session) = overdue_app::users::session(store, &secret, now)? else { return Ok(None) };
            let organisation = store.organisations()?.into_iter().find(|o| o.id == session.user.tenant);
            Ok(organisation.map(|organisation| (session, organisation)))
        })
        .await?;
    let (session, organisation) = found.ok_or_else(|| unauthorised("the session has ended: log in again"))?;
    Ok(Some(Caller {
        organisation,
        role: session.user.role,
        name: session.user.email,
        csrf_token: Some(session.csrf_token),
    }))
}
