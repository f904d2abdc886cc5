//! The one error body of the API: `{"error": {"field": …, "reason": …}}` with the HTTP status
//! that says whose fault it is (4xx: the request's, with what to change; 5xx: ours).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use overdue_app::AppError;
use overdue_core::refusal::Refusal;
use overdue_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error as the API answers it.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub field: Option<String>,
    pub reason: String,
    /// The books' reason as facts, for a page to say in its visitor's language (`reason` is its
    /// English text).
    pub refusal: Option<Box<Refusal>>,
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What was wrong: the request field at fault, when one is, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The field of the request at fault (a JSON field, query parameter or header), if one is.
    pub field: Option<String>,
    pub reason: String,
}

impl ApiError {
    pub fn new(status: StatusCode, field: Option<&str>, reason: impl Into<String>) -> Self {
        Self { status, field: field.map(str::to_owned), reason: reason.into(), refusal: None }
    }

    /// The books' refusal, its English text as the reason.
    pub fn refused(status: StatusCode, field: Option<&str>, refusal: Refusal) -> Self {
        Self { refusal: Some(Box::new(refusal.clone())), ..Self::new(status, field, refusal.to_string()) }
    }

    pub fn bad_request(field: &str, reason: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some(field), reason)
    }

    pub fn not_found(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, None, reason)
    }

    /// The field at fault (`request` when none is named) and the reason.
    pub fn split(self) -> (String, String) {
        (self.field.unwrap_or_else(|| "request".into()), self.reason)
    }

    pub fn internal(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, None, reason)
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        // a body that is not JSON of the right shape, or not JSON at all: the request's fault
        let (field, reason) = field_of(&rejection.body_text(), "body");
        Self::new(StatusCode::BAD_REQUEST, Some(&field), reason)
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Self {
        let (field, reason) = field_of(&rejection.body_text(), "query");
        Self::new(StatusCode::BAD_REQUEST, Some(&field), reason)
    }
}

/// The field a body or query could not be read at, and why, from the deserialiser's text
/// (`Failed to deserialize …: date: input is out of range at line 1 column 40`); `whole` when it
/// names none (not JSON at all, a missing field: its name is in the reason).
fn field_of(text: &str, whole: &str) -> (String, String) {
    let detail = text.split_once(": ").map_or(text, |(_, detail)| detail);
    let detail = detail.split(" at line ").next().unwrap_or(detail).trim();
    if let Some(missing) = detail.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        return (missing.to_owned(), format!("{missing} is required"));
    }
    if let Some(unknown) = detail.strip_prefix("unknown field `").and_then(|rest| rest.split('`').next()) {
        return (unknown.to_owned(), format!("{unknown} is not a field of this request: {detail}"));
    }
    match detail.split_once(": ") {
        Some((path, why)) if !path.is_empty() && path.chars().all(|c| c.is_alphanumeric() || "_.[]".contains(c)) => {
            let why =
                why.replace("input is out of range", "not a real date").replace("premature end of input", "incomplete");
            (path.to_owned(), format!("{path}: {why}"))
        }
        _ => (whole.to_owned(), detail.to_owned()),
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Invalid { field, reason } => Self::refused(StatusCode::BAD_REQUEST, Some(field), reason),
            AppError::NotFound { .. } => Self::not_found(error.to_string()),
            AppError::Refused(reason) => Self::refused(StatusCode::UNPROCESSABLE_ENTITY, None, reason),
            AppError::Store(store) => Self::from(store),
            other => Self::new(StatusCode::UNPROCESSABLE_ENTITY, None, other.to_string()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { .. } => Self::not_found(error.to_string()),
            StoreError::Refused(reason) => Self::refused(StatusCode::UNPROCESSABLE_ENTITY, None, reason),
            other => {
                tracing::error!(error = %other, "store error");
                Self::internal("the books could not be read or written; the server log says why")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { field: self.field, reason: self.reason } };
        (self.status, Json(body)).into_response()
    }
}

/// A path parameter (`{id}`, `{code}`), refused with the one error body when it does not read.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> axum::extract::FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => Err(ApiError::bad_request("path", rejection.body_text())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn the_field_a_request_could_not_be_read_at_is_named() {
        let date = "Failed to deserialize the JSON body into the target type: date: input is out of range at line 1 \
                    column 40";
        assert_eq!(field_of(date, "body"), ("date".into(), "date: not a real date".into()));
        let missing =
            "Failed to deserialize the JSON body into the target type: missing field `reason` at line 1 column 2";
        assert_eq!(field_of(missing, "body"), ("reason".into(), "reason is required".into()));
        let query = "Failed to deserialize query string: as_of: input is out of range";
        assert_eq!(field_of(query, "query").0, "as_of");
        let unknown = "Failed to deserialize the JSON body into the target type: unknown field `currency`, expected one \
                       of `invoice`, `amount` at line 1 column 12";
        assert_eq!(field_of(unknown, "body").0, "currency");
        assert_eq!(field_of("Expected request with `Content-Type: application/json`", "body").0, "body");
    }
}
