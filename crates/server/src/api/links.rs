//! Private links to a customer's own page: made (the secret shown once, in the link) and revoked.

use super::ApiPath;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long the link opens the page (the body may be left out).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    /// Days from now, 1 to 366. Default: 60.
    pub days: Option<i64>,
}

/// A link made: its path on this server (with the secret, shown only now) and its expiry (UTC).
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkMade {
    /// `/c/{secret}`: put the server's public address before it.
    pub path: String,
    /// The whole link, when the letterhead gives the server's public address (`public_url`).
    pub url: Option<String>,
    /// RFC 3339, UTC (`2027-01-30T04:12:32Z`).
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// How many links were revoked.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinksRevoked {
    pub revoked: u64,
}

/// Makes a private link to the customer's own page (no account needed to open it).
#[utoipa::path(post, path = "/api/v1/customers/{code}/links", params(("code" = String, Path)),
    request_body = LinkRequest, security(("token" = [])), responses(
    (status = 201, body = LinkMade), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<LinkMade>), ApiError> {
    caller.may_write()?;
    // no body at all is the defaults
    let request: LinkRequest = if body.iter().all(u8::is_ascii_whitespace) {
        LinkRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request("body", format!("not a link request: {e}")))?
    };
    let days = request.days.unwrap_or(overdue_app::portal::LINK_DAYS_DEFAULT);
    let now = chrono::Utc::now().naive_utc();
    let (made, public_url) = state
        .with_store_writing(move |store| {
            let made = overdue_app::portal::make_link(store, &caller.organisation, &code, (now, days))?;
            Ok((made, store.letterhead(caller.organisation.id)?.public_url))
        })
        .await?;
    let expires_at = chrono::SubsecRound::trunc_subsecs(made.expires_at, 0).and_utc();
    let path = format!("/c/{}", made.secret);
    let url = public_url.map(|base| format!("{base}{path}"));
    Ok((StatusCode::CREATED, Json(LinkMade { path, url, expires_at })))
}

/// Revokes every link to the customer's page: none opens it any more.
#[utoipa::path(delete, path = "/api/v1/customers/{code}/links", params(("code" = String, Path)),
    security(("token" = [])), responses(
    (status = 200, body = LinksRevoked), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)
))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<LinksRevoked>, ApiError> {
    caller.may_write()?;
    let now = chrono::Utc::now().naive_utc();
    let revoked = state
        .with_store_writing(move |store| Ok(overdue_app::portal::revoke(store, &caller.organisation, &code, now)?))
        .await?;
    Ok(Json(LinksRevoked { revoked }))
}
