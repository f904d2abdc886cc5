//! `Idempotency-Key` for every POST that records a fact: the first answer to a key is kept (per
//! organisation) with a hash of the request; the same key with the same request gets that answer
//! again and changes nothing, the same key with another request a 422.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use overdue_store::{IdempotentResponse, Store};
use serde::Serialize;

/// Runs `work` (which answers a status and a JSON body) once per `Idempotency-Key`, when the
/// request sends one; `request` is what identifies the request (its method, route and body).
///
/// Errors: a key that is not 1 to 200 printable characters; a key used for another request;
/// whatever `work` returns.
pub async fn once<T, F>(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    request: &impl Serialize,
    work: F,
) -> Result<Response, ApiError>
where
    T: Serialize,
    F: FnOnce(&mut dyn Store) -> Result<(StatusCode, T), ApiError> + Send + 'static,
{
    let key = key(headers)?;
    let fingerprint = overdue_app::tokens::digest(&serde_json::to_string(request).unwrap_or_default());
    let tenant = caller.organisation.id;
    let (status, body) = state
        .with_store_writing(move |store| {
            if let Some(key) = &key
                && let Some(kept) = store.idempotent_response(tenant, key)?
            {
                return replay(kept, &fingerprint);
            }
            let (status, answer) = work(store)?;
            let body = serde_json::to_string(&answer).map_err(|e| ApiError::internal(e.to_string()))?;
            if let Some(key) = &key {
                let kept = IdempotentResponse { request_fingerprint: fingerprint, status: status.as_u16(), body };
                store.keep_idempotent_response(tenant, key, &kept, chrono::Utc::now().naive_utc())?;
                return Ok((status, kept.body));
            }
            Ok((status, body))
        })
        .await?;
    Ok((status, [(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The `Idempotency-Key` header, if sent: printable, at most 200 characters.
fn key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else { return Ok(None) };
    let key = value.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= 200);
    key.map(|k| Some(k.to_owned()))
        .ok_or_else(|| ApiError::bad_request("Idempotency-Key", "a key is 1 to 200 printable characters"))
}

/// The answer kept for a key, if the request is the same one.
fn replay(kept: IdempotentResponse, fingerprint: &str) -> Result<(StatusCode, String), ApiError> {
    if kept.request_fingerprint != fingerprint {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Idempotency-Key"),
            "this key was used for another request: send a new key for a new request",
        ));
    }
    let status = StatusCode::from_u16(kept.status).unwrap_or(StatusCode::OK);
    Ok((status, kept.body))
}
