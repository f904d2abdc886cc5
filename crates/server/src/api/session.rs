//! Logging in and out: a session cookie (HttpOnly, SameSite=Strict, Secure unless the server
//! listens on loopback only) and the anti-forgery token its changing requests carry. Failed
//! logins of one e-mail are limited ([`LOGIN_FAILURES_MAX`] in [`LOGIN_WINDOW`]); passwords are
//! never logged.

use crate::auth::{Caller, SESSION_COOKIE, cookie};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use utoipa::ToSchema;

/// Failed logins of one e-mail allowed within [`LOGIN_WINDOW`] before the next is refused.
pub const LOGIN_FAILURES_MAX: u32 = 5;

/// The window failed logins are counted in.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Who logs in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// The organisation's id, when the e-mail logs in to several.
    pub organisation: Option<i64>,
}

/// The person of a session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionBody {
    pub email: String,
    /// admin, controller or read_only.
    pub role: String,
    pub organisation: i64,
    pub organisation_name: String,
    /// Send it as `X-CSRF-Token` with every request that changes something (given at login only).
    pub csrf_token: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Logs in: sets the session cookie and gives the anti-forgery token.
#[utoipa::path(post, path = "/api/v1/session", request_body = LoginRequest, responses(
    (status = 200, body = SessionBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 429, body = ErrorBody)
))]
pub async fn log_in(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    request: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(request) = request?;
    let started = start_session(&state, client, (&request.email, &request.password, request.organisation)).await?;
    let mut response = Json(started.body).into_response();
    response.headers_mut().insert(header::SET_COOKIE, started.cookie);
    Ok(response)
}

/// A session begun: the cookie to set, and who it is for.
pub struct Started {
    pub cookie: HeaderValue,
    pub body: SessionBody,
}

/// Checks e-mail and password (failures limited per e-mail and address) and opens a session.
///
/// Errors: 429 after too many failures; 401 for a wrong e-mail or password; store errors.
pub async fn start_session(
    state: &AppState,
    client: Option<std::net::IpAddr>,
    (email, password, organisation): (&str, &str, Option<i64>),
) -> Result<Started, ApiError> {
    // counted per e-mail and caller's address: a stranger's guesses do not lock the person out
    let key = format!("{}|{}", email.trim().to_lowercase(), client.map(|ip| ip.to_string()).unwrap_or_default());
    if let Some(wait) = state.login_blocked(&key) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            Some("email"),
            format!("too many failed logins: try again in {} minutes", wait.as_secs().div_ceil(60)),
        ));
    }
    let now = chrono::Utc::now().naive_utc();
    let (email, password) = (email.to_owned(), password.to_owned());
    let logged = state
        .with_store_writing(move |store| {
            let logged = overdue_app::users::log_in(store, (email.as_str(), password.as_str(), organisation), now);
            let organisation = match &logged {
                Ok(logged) => store.organisations()?.into_iter().find(|o| o.id == logged.user.tenant),
                Err(_) => None,
            };
            Ok(logged.map(|logged| (logged, organisation)))
        })
        .await?;
    let (logged, organisation) = match logged {
        Ok(found) => found,
        Err(overdue_app::AppError::Refused(reason)) => {
            state.login_failed(&key);
            tracing::info!("a login failed");
            return Err(ApiError::refused(StatusCode::UNAUTHORIZED, Some("password"), reason));
        }
        Err(other) => return Err(other.into()),
    };
    let organisation = organisation.ok_or_else(|| ApiError::internal("the organisation of this account is gone"))?;
    let max_age = (logged.expires_at - now).num_seconds();
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let set_cookie =
        format!("{SESSION_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}", logged.secret);
    let body = SessionBody {
        email: logged.user.email,
        role: logged.user.role.to_string(),
        organisation: organisation.id,
        organisation_name: organisation.name,
        csrf_token: Some(logged.csrf_token),
        expires_at: Some(logged.expires_at.and_utc()),
    };
    let cookie = HeaderValue::from_str(&set_cookie).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(Started { cookie, body })
}

/// Who the caller is; on a session, its anti-forgery token again (a page reloaded needs it).
#[utoipa::path(get, path = "/api/v1/session", responses((status = 200, body = SessionBody), (status = 401, body = ErrorBody)))]
pub async fn whoami(caller: Caller) -> Json<SessionBody> {
    Json(SessionBody {
        email: caller.name,
        role: caller.role.to_string(),
        organisation: caller.organisation.id,
        organisation_name: caller.organisation.name,
        csrf_token: caller.csrf_token,
        expires_at: None,
    })
}

/// Logs out: the session ends and its cookie is cleared.
#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204, description = "logged out"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn log_out(State(state): State<AppState>, _caller: Caller, headers: HeaderMap) -> Result<Response, ApiError> {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(header::SET_COOKIE, end_session(&state, &headers).await?);
    Ok(response)
}

/// Ends the session of the request's cookie; the header that clears the cookie.
///
/// Errors: store errors.
pub async fn end_session(state: &AppState, headers: &HeaderMap) -> Result<HeaderValue, ApiError> {
    if let Some(secret) = cookie(headers, SESSION_COOKIE) {
        state.with_store_writing(move |store| Ok(overdue_app::users::log_out(store, &secret)?)).await?;
    }
    let clear = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    HeaderValue::from_str(&clear).map_err(|e| ApiError::internal(e.to_string()))
}

/// The address of the caller, when the server knows it.
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let info = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(ClientAddress(info.map(|axum::extract::ConnectInfo(address)| address.ip())))
    }
}

impl AppState {
    /// How long to wait before `email` may try again, when its failures have reached the limit.
    pub(crate) fn login_blocked(&self, email: &str) -> Option<Duration> {
        let failures = self.login_failures.lock().ok()?;
        let (count, since) = failures.get(email)?;
        let elapsed = since.elapsed();
        (*count >= LOGIN_FAILURES_MAX && elapsed < LOGIN_WINDOW).then(|| LOGIN_WINDOW - elapsed)
    }

    /// Counts a failed login of `email`.
    pub(crate) fn login_failed(&self, email: &str) {
        if let Ok(mut failures) = self.login_failures.lock() {
            let entry = failures.entry(email.to_owned()).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= LOGIN_WINDOW {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
    }
}
