//! The API's documentation page, drawn on the server from the same OpenAPI document the code
//! generates: every route with its parameters, body and answers. Its one template is embedded at
//! build time; nothing is fetched, no script runs.

use super::ApiDoc;
use crate::error::ApiError;
use axum::response::Html;
use serde::Serialize;
use serde_json::Value;
use utoipa::OpenApi;

const TEMPLATE: &str = include_str!("../../templates/docs.html");

#[derive(Serialize)]
struct Page {
    title: String,
    version: String,
    description: String,
    openapi: String,
    operations: Vec<Op>,
}

#[derive(Serialize)]
struct Op {
    method: String,
    path: String,
    summary: String,
    parameters: Vec<Param>,
    body: Option<String>,
    responses: Vec<Answer>,
}

#[derive(Serialize)]
struct Param {
    name: String,
    location: String,
    required: bool,
    description: String,
}

#[derive(Serialize)]
struct Answer {
    status: String,
    body: Option<String>,
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// The schema a content block names (`#/components/schemas/ErrorBody` → `ErrorBody`), if any.
fn schema_of(content: &Value) -> Option<String> {
    let first = content.as_object()?.values().next()?;
    let reference = first["schema"]["$ref"].as_str()?;
    reference.rsplit('/').next().map(str::to_owned)
}

fn op(method: &str, path: &str, operation: &Value) -> Op {
    let summary = [&operation["summary"], &operation["description"]].iter().map(|v| text(v)).collect::<Vec<_>>();
    Op {
        method: method.to_owned(),
        path: path.to_owned(),
        summary: summary.join(" ").trim().to_owned(),
        parameters: operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| Param {
                name: text(&p["name"]),
                location: text(&p["in"]),
                required: p["required"].as_bool().unwrap_or(false),
                description: text(&p["description"]),
            })
            .collect(),
        body: operation
            .get("requestBody")
            .map(|body| schema_of(&body["content"]).unwrap_or_else(|| "a file".to_owned())),
        responses: operation["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(status, response)| Answer { status: status.clone(), body: schema_of(&response["content"]) })
            .collect(),
    }
}

/// The documentation page.
pub async fn page() -> Result<Html<String>, ApiError> {
    let doc = serde_json::to_value(ApiDoc::openapi()).map_err(|e| ApiError::internal(e.to_string()))?;
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in ["get", "post", "patch", "put", "delete"] {
            if let Some(operation) = item.get(method) {
                operations.push(op(method, path, operation));
            }
        }
    }
    let page = Page {
        title: text(&doc["info"]["title"]),
        version: text(&doc["info"]["version"]),
        description: text(&doc["info"]["description"]),
        openapi: text(&doc["openapi"]),
        operations,
    };
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    let render = env.render_str(TEMPLATE, minijinja::value::Serde(&page));
    render.map(Html).map_err(|e| ApiError::internal(format!("the documentation page: {e}")))
}
