//! The reports' pages: aging, the most overdue customers, DSO and CEI by month and expected cash by
//! week, each as of any day, as SVG charts drawn on the server (one per currency) beside the table
//! of their figures, and each downloadable as the same CSV the command line writes.

use super::{Lang, Visitor, problem};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use overdue_core::Currency;
use overdue_core::aging::{AgingBucket, AgingRow};
use overdue_core::forecast::{CashForecast, Prediction};
use overdue_core::kpi::{MonthFigures, Tenths};
use overdue_core::money::Amounts;
use overdue_formats::charts::{self, BarChart, MonthlyFigure};
use overdue_formats::exports;
use serde::{Deserialize, Serialize};

/// A report the pages show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Aging,
    Top,
    Dso,
    Cei,
    Forecast,
}

impl Kind {
    const ALL: [Kind; 5] = [Kind::Aging, Kind::Top, Kind::Dso, Kind::Cei, Kind::Forecast];

    fn name(self) -> &'static str {
        match self {
            Kind::Aging => "aging",
            Kind::Top => "top",
            Kind::Dso => "dso",
            Kind::Cei => "cei",
            Kind::Forecast => "forecast",
        }
    }

    fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == text)
    }
}

/// What a report is asked for in its address.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// The books as they stood on this day (default: today).
    pub as_of: Option<NaiveDate>,
    /// DSO and CEI: months up to `as_of` (default 12, 1 to 36).
    pub months: Option<u32>,
    /// Expected cash: weeks from `as_of`'s week (default 13, 1 to 52).
    pub weeks: Option<u32>,
}

/// The figures of one report as of one day.
enum Figures {
    Aging(Vec<AgingRow>),
    Monthly(Vec<MonthFigures>),
    Forecast(Vec<Prediction>, CashForecast),
}

/// The report's figures, read through the same use cases as the command line.
async fn figures(
    state: &AppState,
    visitor: &Visitor,
    kind: Kind,
    query: &ReportQuery,
) -> Result<(NaiveDate, Figures), ApiError> {
    let organisation = visitor.caller.organisation.clone();
    let as_of = query.as_of.unwrap_or_else(|| overdue_app::clock::today(&organisation, chrono::Utc::now()));
    let (months, weeks) = (query.months.unwrap_or(12), query.weeks.unwrap_or(13));
    let figures = state
        .with_store(move |store| {
            use overdue_app::reports;
            Ok(match kind {
                Kind::Aging => Figures::Aging(reports::aging(store, &organisation, as_of)?),
                Kind::Top => Figures::Aging(reports::top_overdue(store, &organisation, as_of, 10)?),
                Kind::Dso | Kind::Cei => {
                    Figures::Monthly(reports::collection_by_month(store, &organisation, as_of, months)?)
                }
                Kind::Forecast => {
                    let (predictions, weekly) = reports::forecast(store, &organisation, as_of, weeks)?;
                    Figures::Forecast(predictions, weekly)
                }
            })
        })
        .await?;
    Ok((as_of, figures))
}

/// The report named in the address and its figures, or the page saying why there are none (an
/// unknown report, a day or a number of months that cannot be).
async fn asked(
    state: &AppState,
    visitor: &Visitor,
    kind: &str,
    query: &ReportQuery,
) -> Result<(Kind, NaiveDate, Figures), Response> {
    let Some(kind) = Kind::parse(kind) else {
        let reason = format!("no report {kind:?}: aging, top, dso, cei or forecast");
        return Err(problem(visitor, ApiError::new(StatusCode::NOT_FOUND, Some("kind"), reason)));
    };
    let (as_of, figures) = figures(state, visitor, kind, query).await.map_err(|error| problem(visitor, error))?;
    Ok((kind, as_of, figures))
}

/// `GET /reports/{kind}`: the report as charts and a table.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(kind): Path<String>,
    super::Asked(query): super::Asked<ReportQuery>,
) -> Response {
    let (kind, as_of, figures) = match asked(&state, &visitor, &kind, &query).await {
        Ok(read) => read,
        Err(page) => return page,
    };
    let lang = visitor.lang;
    let (charts, tables) = drawn(lang, kind, &figures);
    let charts: Result<Vec<String>, _> = charts.iter().map(charts::bar_chart_svg).collect();
    let charts = match charts {
        Ok(charts) => charts,
        Err(error) => return problem(&visitor, ApiError::internal(error.to_string())),
    };
    let tabs: Vec<(&str, String)> =
        Kind::ALL.iter().map(|k| (k.name(), lang.word(&format!("report_{}", k.name())))).collect();
    let query_text = serde_urlencoded::to_string(
        [
            ("as_of", Some(as_of.to_string())),
            ("months", query.months.map(|m| m.to_string())),
            ("weeks", query.weeks.map(|w| w.to_string())),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    visitor.page(
        "reports.html",
        minijinja::context! {
            kind => kind.name(),
            title => lang.word(&format!("report_{}", kind.name())),
            about => lang.word(&format!("report_{}_about", kind.name())),
            tabs => tabs,
            as_of => as_of.to_string(),
            months => query.months.unwrap_or(12),
            weeks => query.weeks.unwrap_or(13),
            query => query_text,
            charts => charts,
            tables => minijinja::Value::from(minijinja::value::Serde(&tables)),
        },
    )
}

/// `GET /reports/{kind}/csv`: the report's figures as CSV, named after the report and its day.
pub async fn csv(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(kind): Path<String>,
    super::Asked(query): super::Asked<ReportQuery>,
) -> Response {
    let (kind, as_of, figures) = match asked(&state, &visitor, &kind, &query).await {
        Ok(read) => read,
        Err(page) => return page,
    };
    let bytes = match &figures {
        Figures::Aging(rows) => exports::aging_csv(rows),
        Figures::Monthly(rows) => exports::collection_csv(rows),
        Figures::Forecast(predictions, _) => exports::predictions_csv(predictions),
    };
    match bytes {
        Ok(bytes) => {
            let disposition = format!("attachment; filename=\"{}-{as_of}.csv\"", kind.name());
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response()
        }
        Err(error) => problem(&visitor, ApiError::internal(error.to_string())),
    }
}

/// A table as the page draws it: a caption, column headings, rows of cells.
#[derive(Debug, Serialize)]
struct Table {
    caption: String,
    headers: Vec<String>,
    /// Which columns hold numbers (right-aligned).
    numeric: Vec<bool>,
    rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Serialize)]
struct Cell {
    text: String,
    href: Option<String>,
}

fn cell(text: impl Into<String>) -> Cell {
    Cell { text: text.into(), href: None }
}

/// The charts and tables of a report, in the visitor's words.
fn drawn(lang: Lang, kind: Kind, figures: &Figures) -> (Vec<BarChart>, Vec<Table>) {
    let w = |key: &str| lang.word(key);
    let titled = |key: &'static str| move |c: Currency| format!("{} — {}", lang.word(key), c.code());
    match figures {
        Figures::Aging(rows) => {
            let charts = match kind {
                Kind::Top => charts::top_overdue_charts(rows, &titled("report_top")),
                _ => charts::aging_charts(rows, &titled("report_aging"), &w("bucket_current")),
            };
            (charts, vec![aging_table(lang, rows, kind == Kind::Aging)])
        }
        Figures::Monthly(rows) => {
            let (figure, unit, key) = match kind {
                Kind::Dso => (MonthlyFigure::Dso, w("unit_days"), "report_dso"),
                _ => (MonthlyFigure::Cei, "%".to_owned(), "report_cei"),
            };
            (charts::monthly_charts(rows, figure, &titled(key), &unit), vec![monthly_table(lang, kind, rows)])
        }
        Figures::Forecast(predictions, weekly) => (
            charts::forecast_charts(weekly, &titled("report_forecast")),
            vec![weekly_table(lang, weekly), predictions_table(lang, predictions)],
        ),
    }
}

fn customer_cell(code: &str, name: &str) -> Cell {
    Cell { text: format!("{code} — {name}"), href: Some(format!("/customers/{}", super::segment(code))) }
}

fn aging_table(lang: Lang, rows: &[AgingRow], with_totals: bool) -> Table {
    let w = |key: &str| lang.word(key);
    let mut headers = vec![w("customer")];
    headers.extend(
        AgingBucket::ALL
            .iter()
            .map(|&b| if b == AgingBucket::Current { w("bucket_current") } else { b.label().to_owned() }),
    );
    headers.extend([w("total"), w("overdue"), w("credit_held"), w("net_balance")]);
    let numeric = (0..headers.len()).map(|i| i > 0).collect();
    let totals = if with_totals { overdue_core::aging::totals(rows, &w("total")) } else { Vec::new() };
    let rows = rows
        .iter()
        .chain(&totals)
        .map(|r| {
            let mut cells = match r.customer.as_str() {
                "" => vec![cell(format!("{} {}", r.name, r.credit.currency().code()))],
                code => vec![customer_cell(code, &r.name)],
            };
            cells.extend(AgingBucket::ALL.iter().map(|&b| cell(lang.money(r.amount(b)))));
            cells.extend([r.total(), r.overdue(), r.credit, r.net()].map(|m| cell(lang.money(m))));
            cells
        })
        .collect();
    Table { caption: w("figures"), headers, numeric, rows }
}

fn monthly_table(lang: Lang, kind: Kind, rows: &[MonthFigures]) -> Table {
    let w = |key: &str| lang.word(key);
    let shown = |t: Option<Tenths>| t.map_or_else(|| "—".to_owned(), |t| lang.decimal(&t.to_string()));
    let dso = kind == Kind::Dso;
    let headers: Vec<String> = if dso {
        vec![w("month"), w("receivables"), w("sales"), w("report_dso")]
    } else {
        vec![w("month"), w("receivables_start"), w("sales"), w("receivables"), w("not_yet_due"), w("report_cei")]
    };
    let numeric = (0..headers.len()).map(|i| i > 0).collect();
    let rows: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let month = cell(format!("{} {}", r.month.format("%m/%Y"), r.sales.currency().code()));
            let mut cells = vec![month];
            if dso {
                cells.extend([r.end_total, r.sales].map(|m| cell(lang.money(m))));
                cells.push(cell(shown(r.dso)));
            } else {
                cells.extend([r.begin, r.sales, r.end_total, r.end_current].map(|m| cell(lang.money(m))));
                cells.push(cell(shown(r.cei)));
            }
            cells
        })
        .collect();
    let note = if dso { "dso_unknown" } else { "cei_unknown" };
    let unknown = rows.iter().any(|row| row.last().is_some_and(|c| c.text == "—"));
    let caption = if unknown { format!("{} — “—”: {}", w("figures"), w(note)) } else { w("figures") };
    Table { caption, headers, numeric, rows }
}

fn weekly_table(lang: Lang, weekly: &CashForecast) -> Table {
    let w = |key: &str| lang.word(key);
    let mut rows = Vec::new();
    let mut push = |period: String, amounts: &Amounts| {
        rows.extend(amounts.iter().map(|m| vec![cell(period.clone()), cell(lang.money(m))]));
    };
    for week in &weekly.weeks {
        push(format!("{} {}", w("week_of"), lang.day(week.starts_on)), &week.expected);
    }
    push(w("forecast_later"), &weekly.later);
    push(w("basis_past_expected_date"), &weekly.past_expected_date);
    push(w("basis_broken_promise"), &weekly.broken_promises);
    push(w("basis_disputed"), &weekly.disputed);
    Table { caption: w("report_forecast"), headers: vec![w("expected"), w("amount")], numeric: vec![false, true], rows }
}

fn predictions_table(lang: Lang, predictions: &[Prediction]) -> Table {
    let w = |key: &str| lang.word(key);
    let headers = vec![w("invoice"), w("customer"), w("due_date"), w("amount"), w("expected"), w("why")];
    let rows = predictions
        .iter()
        .map(|p| {
            vec![
                Cell { text: p.invoice.clone(), href: Some(format!("/invoices/{}", super::segment(&p.invoice))) },
                Cell { text: p.customer.clone(), href: Some(format!("/customers/{}", super::segment(&p.customer))) },
                cell(lang.day(p.due_date)),
                cell(lang.money(p.amount)),
                cell(p.expected_on.map_or_else(|| "—".to_owned(), |d| lang.day(d))),
                cell(w(&format!("basis_{}", p.basis.as_str()))),
            ]
        })
        .collect();
    Table { caption: w("forecast_invoices"), headers, numeric: vec![false, false, false, true, false, false], rows }
}
