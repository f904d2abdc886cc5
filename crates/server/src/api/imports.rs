//! Files through the API: a CSV of one of the books' kinds, or an e-invoice file (UBL, CII,
//! Factur-X PDF, FatturaPA, signed or not, Facturae), sent as the request body, imported as
//! `overdue import` imports it, with the result per file and row.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use overdue_app::import::FileKind;
use overdue_store::ImportOptions;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The largest file accepted, in bytes (a FatturaPA batch of a few thousand invoices).
pub const FILE_MAX_BYTES: usize = 64 << 20;

/// What the file is and how to take it.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// customers, invoices, payments, disputes, promises or interactions for a CSV file; leave it
    /// out for an e-invoice (XML, PDF or signed .p7m), recognised from its content.
    pub kind: Option<String>,
    /// The file's name, kept with the invoices it brings (default `upload`).
    pub name: Option<String>,
    /// Import nothing if any row is rejected (default: the good rows go in, the bad are listed).
    pub all_or_nothing: Option<bool>,
}

/// A row or invoice of the file that was not imported.
#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedRow {
    /// The line of a CSV file, or the position of an invoice in an e-invoice file.
    pub line: u64,
    pub column: Option<String>,
    pub reason: String,
}

/// What importing the file did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// CSV, UBL, CII, FatturaPA or Facturae.
    pub format: String,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: Vec<RejectedRow>,
    /// Customers an e-invoice's buyers became.
    pub new_customers: Vec<String>,
    /// What was noted of each invoice imported, `invoice: note`.
    pub notes: Vec<String>,
    /// Nothing of the file was imported: `all_or_nothing`, and a row was refused (then `created`
    /// and `updated` are 0).
    pub rolled_back: bool,
}

/// Imports a file sent as the request body.
#[utoipa::path(post, path = "/api/v1/imports", params(ImportQuery), request_body(content = Vec<u8>,
    content_type = "application/octet-stream"), security(("token" = [])), responses(
    (status = 200, body = ImportResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)
))]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ImportQuery>, QueryRejection>,
    body: Bytes,
) -> Result<Json<ImportResult>, ApiError> {
    caller.may_write()?;
    let Query(query) = query?;
    Ok(Json(import_file(&state, &caller, body, query).await?))
}

/// Imports one file for the caller's organisation as the API and the files page take it: a CSV of
/// `query.kind`, or an e-invoice recognised from its content; the result per file and row.
///
/// Errors: 400 naming `kind` for an unknown kind; 422 for a file that is not of its kind (an
/// e-invoice that is none); store errors.
pub async fn import_file(
    state: &AppState,
    caller: &Caller,
    body: Bytes,
    query: ImportQuery,
) -> Result<ImportResult, ApiError> {
    let caller = caller.clone();
    let kind = match query.kind.as_deref() {
        None => None,
        Some(name) => Some(FileKind::parse(name).ok_or_else(|| {
            ApiError::bad_request("kind", "customers, invoices, payments, disputes, promises or interactions")
        })?),
    };
    let options = ImportOptions { all_or_nothing: query.all_or_nothing.unwrap_or(false) };
    let name = query.name.unwrap_or_else(|| "upload".to_owned());
    let at = chrono::Utc::now().naive_utc();
    let result = state
        .with_store_writing(move |store| match kind {
            Some(kind) => {
                let how = (options, caller.name.as_str(), at);
                let report = overdue_app::import::file_bytes(store, caller.organisation.id, kind, &body, how)?;
                // a file refused whole created nothing, whatever its good rows would have done
                let applied = |count: u64| if report.rolled_back { 0 } else { count };
                Ok(ImportResult {
                    format: "CSV".into(),
                    created: applied(report.created),
                    updated: applied(report.updated),
                    unchanged: report.unchanged,
                    rejected: rejected(&report.rejected),
                    new_customers: Vec::new(),
                    notes: Vec::new(),
                    rolled_back: report.rolled_back,
                })
            }
            None => {
                let file = (name.as_str(), body.as_ref());
                let done = overdue_app::einvoices::import(store, &caller.organisation, file, (options, None))?;
                Ok(ImportResult {
                    format: done.format.into(),
                    created: done.created,
                    updated: 0,
                    unchanged: done.unchanged,
                    rejected: rejected(&done.rejected),
                    new_customers: done.new_customers,
                    notes: done.notes.into_iter().map(|(invoice, note)| format!("{invoice}: {note}")).collect(),
                    rolled_back: options.all_or_nothing && !done.rejected.is_empty(),
                })
            }
        })
        .await?;
    Ok(result)
}

fn rejected(rows: &[overdue_core::import::Rejection]) -> Vec<RejectedRow> {
    rows.iter().map(|r| RejectedRow { line: r.line, column: r.column.clone(), reason: r.reason.clone() }).collect()
}
