//! The one error body of the API: `{"error": {"field": …, "reason": …}}` with the HTTP status
//! that says whose fault it is (4xx: the request's, with what to change; 5xx: ours).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use overdue_app::AppError;
use overdue_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error as the API answers it.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub field: Option<String>,
    pub reason: String,
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
        Self { status, field: field.map(str::to_owned), reason: reason.into() }
    }

    pub fn bad_request(field: &str, reason: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some(field), reason)
    }

    pub fn not_found(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, None, reason)
    }

    pub fn internal(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, None, reason)
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        // a body that is not JSON of the right shape, or not JSON at all: the request's fault
        Self::new(StatusCode::BAD_REQUEST, Some("body"), rejection.body_text())
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("query"), rejection.body_text())
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Invalid { field, reason } => Self::bad_request(field, reason),
            AppError::NotFound { .. } => Self::not_found(error.to_string()),
            AppError::Refused(reason) => Self::new(StatusCode::UNPROCESSABLE_ENTITY, None, reason),
            AppError::Store(store) => Self::from(store),
            other => Self::new(StatusCode::UNPROCESSABLE_ENTITY, None, other.to_string()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { .. } => Self::not_found(error.to_string()),
            StoreError::Refused(reason) => Self::new(StatusCode::UNPROCESSABLE_ENTITY, None, reason),
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
