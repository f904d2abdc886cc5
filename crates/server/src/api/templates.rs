//! The message templates the server writes with (the shipped ones, or the server's own folder
//! given with `--templates`): the list, and one template's text with a preview against the
//! sample facts every template is checked with when loaded.

use crate::auth::Caller;
use crate::error::{ApiError, ApiPath, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use overdue_core::ids::Language;
use overdue_core::policy::Tone;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One template file.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateItem {
    /// ISO 639-1 code, e.g. `es`.
    pub language: String,
    /// The template's name as policies name it (`reminder`, `final_demand`), or a partial the
    /// others include (`_payment`).
    pub template: String,
    /// A piece other templates include, not a message of its own.
    pub partial: bool,
}

/// The templates in use, by language and name.
#[utoipa::path(get, path = "/api/v1/templates", security(("token" = [])), responses(
    (status = 200, body = Vec<TemplateItem>), (status = 401, body = ErrorBody)
))]
pub async fn list(State(state): State<AppState>, _caller: Caller) -> Json<Vec<TemplateItem>> {
    let mut items: Vec<TemplateItem> = state
        .templates
        .files()
        .iter()
        .filter_map(|file| {
            let (language, name) = file.split_once('/')?;
            let template = name.trim_end_matches(".txt").to_owned();
            Some(TemplateItem { language: language.to_owned(), partial: template.starts_with('_'), template })
        })
        .collect();
    items.sort_by(|a, b| (&a.language, &a.template).cmp(&(&b.language, &b.template)));
    Json(items)
}

/// The tone a preview is written in.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// `friendly` (default), `firm`, `serious` or `final`.
    pub tone: Option<String>,
}

/// A template's text, and the message it writes for the sample facts.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateBody {
    pub language: String,
    pub template: String,
    /// The template file as loaded (minijinja, with `subject` and `body` blocks).
    pub text: String,
    /// The subject it writes for the sample facts (none for a partial).
    pub preview_subject: Option<String>,
    /// The text it writes for the sample facts (none for a partial).
    pub preview_body: Option<String>,
}

/// One template's text and a preview of its message for sample facts (a customer with two
/// invoices in two currencies and a claim) in a tone.
#[utoipa::path(get, path = "/api/v1/templates/{language}/{template}",
    params(("language" = String, Path), ("template" = String, Path), PreviewQuery),
    security(("token" = [])), responses(
    (status = 200, body = TemplateBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 404, body = ErrorBody)
))]
pub async fn show(
    State(state): State<AppState>,
    _caller: Caller,
    ApiPath((language, template)): ApiPath<(String, String)>,
    query: Result<Query<PreviewQuery>, QueryRejection>,
) -> Result<Json<TemplateBody>, ApiError> {
    let Query(query) = query?;
    let tone = query.tone.as_deref().unwrap_or("friendly");
    let tone = Tone::parse(tone)
        .ok_or_else(|| ApiError::bad_request("tone", format!("{tone:?} is not a tone: use {}", Tone::names())))?;
    let file = format!("{language}/{template}.txt");
    let text = state.templates.source(&file).ok_or_else(|| {
        ApiError::not_found(format!("no template {template:?} in {language:?}: see /api/v1/templates"))
    })?;
    let preview = if template.starts_with('_') {
        None
    } else {
        let language = Language::parse(&language).unwrap_or(Language::EN);
        let rendered =
            state.templates.preview(&template, language, tone.as_str()).map_err(overdue_app::AppError::from)?;
        Some(rendered)
    };
    Ok(Json(TemplateBody {
        language: file.split('/').next().unwrap_or_default().to_owned(),
        template,
        text,
        preview_subject: preview.as_ref().map(|p| p.subject.clone()),
        preview_body: preview.map(|p| p.body),
    }))
}
