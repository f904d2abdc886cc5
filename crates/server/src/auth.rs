//! Who is calling: the organisation and role of the API token in `Authorization: Bearer …`.
//! Every route under `/api/v1` but the OpenAPI document takes a [`Caller`], and every use case it
//! runs is scoped to the caller's organisation, so no route reads or changes another's books.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use overdue_core::access::Role;
use overdue_store::Organisation;

/// The organisation and role a request acts as.
#[derive(Debug, Clone)]
pub struct Caller {
    pub organisation: Organisation,
    pub role: Role,
    /// Who the records the request makes are attributed to: `token:NAME`.
    pub name: String,
}

impl Caller {
    /// Refuses a caller whose role may not record facts or work the list.
    pub fn may_write(&self) -> Result<(), ApiError> {
        if self.role.can_write() {
            Ok(())
        } else {
            Err(ApiError::new(StatusCode::FORBIDDEN, None, format!("a {} token may only read", self.role)))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let unauthorised = |reason: &str| ApiError::new(StatusCode::UNAUTHORIZED, Some("authorization"), reason);
        let header = parts.headers.get(axum::http::header::AUTHORIZATION).ok_or_else(|| {
            unauthorised("send an API token: Authorization: Bearer odt_… (make one with `overdue token create`)")
        })?;
        let secret = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(|secret| secret.trim().to_owned())
            .ok_or_else(|| unauthorised("the Authorization header must be `Bearer <token>`"))?;
        let now = chrono::Utc::now().naive_utc();
        let found = state.with_store(move |store| Ok(overdue_app::tokens::authenticate(store, &secret, now)?)).await?;
        let (organisation, token) = found.ok_or_else(|| unauthorised("this token is not known or was revoked"))?;
        Ok(Caller { organisation, role: token.role, name: format!("token:{}", token.name) })
    }
}
