//! The files page: upload customers, invoices, payments (and disputes, promises, conversations)
//! as CSV, or e-invoices (UBL, CII, Factur-X, FatturaPA, Facturae), several at once, and see what
//! became of each file and each refused row — through the same import as the API.

use super::forms::{Common, refused};
use super::{Visitor, problem};
use crate::api::imports::{ImportQuery, ImportResult, import_file};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::response::Response;
use serde::Serialize;

/// The kinds of CSV file the form offers (an empty kind: e-invoices, recognised by content).
const KINDS: [&str; 6] = ["customers", "invoices", "payments", "disputes", "promises", "interactions"];

/// What became of one file.
#[derive(Debug, Serialize)]
struct FileOutcome {
    name: String,
    /// The file's result, or why it was refused whole.
    result: Option<ImportResult>,
    refused: Option<String>,
}

fn page(visitor: &Visitor, outcomes: &[FileOutcome], error: Option<String>) -> Response {
    visitor.page(
        "files.html",
        minijinja::context! {
            kinds => KINDS,
            outcomes => minijinja::Value::from(minijinja::value::Serde(outcomes)),
            answer => minijinja::context! { notice => None::<String>, error => error, at => "files" },
        },
    )
}

/// `GET /files`: the upload form.
pub async fn show(visitor: Visitor) -> Response {
    page(&visitor, &[], None)
}

/// The form's fields: its token, the kind, all-or-nothing, and the files with their names.
#[derive(Debug, Default)]
struct Upload {
    csrf_token: String,
    kind: Option<String>,
    all_or_nothing: bool,
    files: Vec<(String, Bytes)>,
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, String> {
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "csrf_token" => upload.csrf_token = field.text().await.map_err(|e| e.body_text())?,
            "kind" => upload.kind = Some(field.text().await.map_err(|e| e.body_text())?).filter(|k| !k.is_empty()),
            "all_or_nothing" => upload.all_or_nothing = field.text().await.map_err(|e| e.body_text())? == "yes",
            "files" => {
                let file_name = field.file_name().unwrap_or("upload").to_owned();
                let bytes = field.bytes().await.map_err(|e| e.body_text())?;
                if !bytes.is_empty() {
                    upload.files.push((file_name, bytes));
                }
            }
            other => return Err(format!("unknown field {other:?}")),
        }
    }
    Ok(upload)
}

/// `POST /files` (a form with files): each file imported in turn; the page answers with what
/// became of each (importing the same file again changes nothing, so sending it twice is safe).
pub async fn upload(State(state): State<AppState>, visitor: Visitor, multipart: Multipart) -> Response {
    let upload = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(reason) => return page(&visitor, &[], Some(reason)),
    };
    let common = Common { csrf_token: upload.csrf_token.clone(), back: Some("/files".to_owned()) };
    if let Some(refused) = refused(&visitor, &common, "files") {
        return refused;
    }
    if upload.files.is_empty() {
        return page(&visitor, &[], Some(visitor.lang.word("files_missing")));
    }
    let mut outcomes = Vec::with_capacity(upload.files.len());
    for (name, bytes) in upload.files {
        let query = ImportQuery {
            kind: upload.kind.clone(),
            name: Some(name.clone()),
            all_or_nothing: Some(upload.all_or_nothing),
        };
        match import_file(&state, &visitor.caller, bytes, query).await {
            Ok(result) => outcomes.push(FileOutcome { name, result: Some(result), refused: None }),
            Err(error) if error.status.is_server_error() => return problem(&visitor, error),
            Err(error) => {
                let field = error.field.as_ref().map(|f| format!("{f}: ")).unwrap_or_default();
                let reason = super::refusal::reason(visitor.lang, &error);
                outcomes.push(FileOutcome { name, result: None, refused: Some(format!("{field}{reason}")) });
            }
        }
    }
    page(&visitor, &outcomes, None)
}
