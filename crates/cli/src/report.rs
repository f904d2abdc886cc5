//! `overdue report aging|top|dso|cei|forecast`: the reports' figures as a table on the screen, as
//! CSV, or as an SVG chart of one currency. The figures come from `overdue_app::reports`, the
//! same the API and the pages show.

use crate::args::{ReportArgs, ReportFormat, ReportKind};
use crate::export::write;
use crate::setup::open_books;
use crate::work::day_or_today;
use anyhow::{Context, bail};
use overdue_app::reports;
use overdue_core::Currency;
use overdue_core::aging::{AgingBucket, AgingRow};
use overdue_core::forecast::{CashForecast, Prediction};
use overdue_core::kpi::{MonthFigures, Tenths};
use overdue_formats::charts::{self, BarChart, MonthlyFigure};
use overdue_formats::exports;
use std::process::ExitCode;

pub fn run(database: &str, organisation: Option<i64>, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let as_of = day_or_today(args.as_of.as_ref(), "--as-of", &organisation)?;
    let currency = args
        .currency
        .as_deref()
        .map(|code| Currency::from_code(&code.to_ascii_uppercase()))
        .transpose()
        .context("--currency")?;
    let keep = |c: Currency| currency.is_none_or(|wanted| wanted == c);
    let store = store.as_mut();
    match args.kind {
        ReportKind::Aging | ReportKind::Top => {
            let mut rows = match args.kind {
                ReportKind::Top => reports::top_overdue(store, &organisation, as_of, args.top)?,
                _ => reports::aging(store, &organisation, as_of)?,
            };
            rows.retain(|r| keep(r.credit.currency()));
            aging(args, &rows)
        }
        ReportKind::Dso | ReportKind::Cei => {
            let mut rows = reports::collection_by_month(store, &organisation, as_of, args.months)?;
            rows.retain(|r| keep(r.sales.currency()));
            monthly(args, &rows)
        }
        ReportKind::Forecast => {
            let (mut predictions, _) = reports::forecast(store, &organisation, as_of, args.weeks)?;
            predictions.retain(|p| keep(p.amount.currency()));
            forecast(args, &predictions, &overdue_core::forecast::by_week(&predictions, as_of, args.weeks))
        }
    }?;
    Ok(ExitCode::SUCCESS)
}

fn aging(args: &ReportArgs, rows: &[AgingRow]) -> anyhow::Result<()> {
    match args.format {
        ReportFormat::Csv => write(args.out.as_deref(), &exports::aging_csv(rows)?),
        ReportFormat::Svg => {
            let title = |c: Currency| match args.kind {
                ReportKind::Top => format!("Most overdue customers ({})", c.code()),
                _ => format!("Aging ({})", c.code()),
            };
            let charts = match args.kind {
                ReportKind::Top => charts::top_overdue_charts(rows, &title),
                _ => charts::aging_charts(rows, &title, "current"),
            };
            svg(args, charts)
        }
        ReportFormat::Table => {
            let mut headers = vec!["customer", "name", "currency"];
            headers.extend(AgingBucket::ALL.iter().map(|b| b.label()));
            headers.extend(["total", "overdue", "credit", "net"]);
            let totals = overdue_core::aging::totals(rows, "TOTAL");
            let table: Vec<Vec<String>> = rows
                .iter()
                .chain(if args.kind == ReportKind::Aging { totals.iter() } else { [].iter() })
                .map(|r| {
                    let mut cells = vec![r.customer.clone(), r.name.clone(), r.credit.currency().code().to_owned()];
                    cells.extend(AgingBucket::ALL.iter().map(|&b| r.amount(b).to_decimal_string()));
                    cells.extend([r.total(), r.overdue(), r.credit, r.net()].iter().map(|m| m.to_decimal_string()));
                    cells
                })
                .collect();
            Ok(crate::table::print(&headers, &table, &(3..12).collect::<Vec<_>>())?)
        }
    }
}

fn monthly(args: &ReportArgs, rows: &[MonthFigures]) -> anyhow::Result<()> {
    let dso = args.kind == ReportKind::Dso;
    match args.format {
        ReportFormat::Csv => write(args.out.as_deref(), &exports::collection_csv(rows)?),
        ReportFormat::Svg => {
            let (figure, unit) = if dso { (MonthlyFigure::Dso, "days") } else { (MonthlyFigure::Cei, "%") };
            let name = if dso { "DSO (countback)" } else { "Collection effectiveness" };
            let title = |c: Currency| format!("{name} by month ({})", c.code());
            svg(args, charts::monthly_charts(rows, figure, &title, unit))
        }
        ReportFormat::Table => {
            let shown = |t: Option<Tenths>| t.map_or_else(|| "—".to_owned(), |t| t.to_string());
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let mut cells = vec![r.month.format("%Y-%m").to_string(), r.sales.currency().code().to_owned()];
                    let figures = if dso {
                        [r.end_total, r.sales].map(|m| m.to_decimal_string()).to_vec()
                    } else {
                        [r.begin, r.sales, r.end_total, r.end_current].map(|m| m.to_decimal_string()).to_vec()
                    };
                    cells.extend(figures);
                    cells.push(shown(if dso { r.dso } else { r.cei }));
                    cells
                })
                .collect();
            let headers: &[&str] = if dso {
                &["month", "currency", "receivables", "sales", "DSO days"]
            } else {
                &["month", "currency", "receivables at start", "sales", "receivables at end", "not yet due", "CEI %"]
            };
            crate::table::print(headers, &table, &(2..headers.len()).collect::<Vec<_>>())?;
            if rows.iter().any(|r| if dso { r.dso.is_none() } else { r.cei.is_none() }) {
                outln!(
                    "—: {}",
                    if dso {
                        "more is owed than the sales of the last 24 months: the books' history is too short to count back"
                    } else {
                        "nothing was collectable that month"
                    }
                )?;
            }
            Ok(())
        }
    }
}

fn forecast(args: &ReportArgs, predictions: &[Prediction], weekly: &CashForecast) -> anyhow::Result<()> {
    match args.format {
        // each invoice with its expected day and why, as the pages' and the API's download
        ReportFormat::Csv => write(args.out.as_deref(), &exports::predictions_csv(predictions)?),
        ReportFormat::Svg => {
            let title = |c: Currency| format!("Expected cash by week ({})", c.code());
            svg(args, charts::forecast_charts(weekly, &title))
        }
        ReportFormat::Table => {
            let mut table = Vec::new();
            let mut push = |period: String, amounts: &overdue_core::money::Amounts| {
                for money in amounts.iter() {
                    table.push(vec![period.clone(), money.currency().code().to_owned(), money.to_decimal_string()]);
                }
            };
            for week in &weekly.weeks {
                push(format!("week of {}", week.starts_on), &week.expected);
            }
            push("later".to_owned(), &weekly.later);
            push(
                "past the date expected (due date, or the customer's habits), no pending promise".to_owned(),
                &weekly.past_expected_date,
            );
            push("past the date expected, under a promise the customer broke".to_owned(), &weekly.broken_promises);
            push("in dispute".to_owned(), &weekly.disputed);
            Ok(crate::table::print(&["expected", "currency", "amount"], &table, &[2])?)
        }
    }
}

/// One chart as SVG: the report must hold one currency (or `--currency` chooses it).
fn svg(args: &ReportArgs, charts: Vec<BarChart>) -> anyhow::Result<()> {
    match charts.as_slice() {
        [] => bail!(
            "nothing to draw for that day and currency: no amounts in the chart's columns (the table shows what is past its expected date, in dispute or later)"
        ),
        [chart] => write(args.out.as_deref(), charts::bar_chart_svg(chart)?.as_bytes()),
        several => bail!(
            "the report has {} charts, one per currency ({}): choose one with --currency; amounts of two currencies are never drawn together",
            several.len(),
            several.iter().map(|c| c.title.as_str()).collect::<Vec<_>>().join("; ")
        ),
    }
}
