//! Charts drawn as SVG for the reports' pages and `overdue report --format svg`: one bar chart
//! shape (a label and a value per bar) drawn with plotters' SVG backend, titled for screen readers,
//! and the charts of each report — one per currency, since amounts of two currencies are never
//! drawn on one axis.

use overdue_core::Currency;
use overdue_core::aging::{AgingBucket, AgingRow};
use overdue_core::forecast::CashForecast;
use overdue_core::kpi::{MonthFigures, Tenths};
use overdue_core::money::Money;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

/// How each chart is titled, given the currency it draws (the caller's words and language).
pub type Title<'a> = &'a dyn Fn(Currency) -> String;

fn value(money: Money) -> f64 {
    money.amount_minor() as f64 / 10f64.powi(i32::from(money.currency().exponent()))
}

fn currencies<T>(items: &[T], currency: impl Fn(&T) -> Currency) -> Vec<Currency> {
    let mut seen = Vec::new();
    for item in items {
        if !seen.contains(&currency(item)) {
            seen.push(currency(item));
        }
    }
    seen
}

/// The aging: per currency, what all customers owe in each bucket. `current` names the bucket
/// not yet due.
pub fn aging_charts(rows: &[AgingRow], title: Title<'_>, current: &str) -> Vec<BarChart> {
    currencies(rows, |r| r.credit.currency())
        .into_iter()
        .map(|currency| BarChart {
            title: title(currency),
            unit: currency.code().to_owned(),
            bars: AgingBucket::ALL
                .iter()
                .map(|&bucket| {
                    let minor: i64 = rows
                        .iter()
                        .filter(|r| r.credit.currency() == currency)
                        .map(|r| r.amount(bucket).amount_minor())
                        .sum();
                    let label = if bucket == AgingBucket::Current { current } else { bucket.label() };
                    (label.to_owned(), Some(value(Money::new(minor, currency))))
                })
                .collect(),
        })
        .collect()
}

/// The customers most overdue: per currency, a bar per customer (their name, shortened).
pub fn top_overdue_charts(rows: &[AgingRow], title: Title<'_>) -> Vec<BarChart> {
    currencies(rows, |r| r.credit.currency())
        .into_iter()
        .map(|currency| BarChart {
            title: title(currency),
            unit: currency.code().to_owned(),
            bars: rows
                .iter()
                .filter(|r| r.credit.currency() == currency)
                .map(|r| (short(&r.name), Some(value(r.overdue()))))
                .collect(),
        })
        .collect()
}

fn short(name: &str) -> String {
    match name.char_indices().nth(14) {
        Some((at, _)) => format!("{}…", name[..at].trim_end()),
        None => name.to_owned(),
    }
}

/// Which month-by-month figure to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthlyFigure {
    /// Days sales outstanding (countback), in days.
    Dso,
    /// Collection effectiveness index, in percent.
    Cei,
}

/// DSO or CEI by month: per currency, a bar per month (`MM/YYYY`); `unit` is "days" or "%" in the
/// reader's words.
pub fn monthly_charts(rows: &[MonthFigures], figure: MonthlyFigure, title: Title<'_>, unit: &str) -> Vec<BarChart> {
    let tenths = |t: Option<Tenths>| t.map(|t| t.0 as f64 / 10.0);
    currencies(rows, |r| r.sales.currency())
        .into_iter()
        .map(|currency| BarChart {
            title: title(currency),
            unit: unit.to_owned(),
            bars: rows
                .iter()
                .filter(|r| r.sales.currency() == currency)
                .map(|r| {
                    let figure = match figure {
                        MonthlyFigure::Dso => r.dso,
                        MonthlyFigure::Cei => r.cei,
                    };
                    (r.month.format("%m/%Y").to_string(), tenths(figure))
                })
                .collect(),
        })
        .collect()
}

/// Expected cash: per currency, a bar per week labelled with its Monday (`DD/MM`).
pub fn forecast_charts(forecast: &CashForecast, title: Title<'_>) -> Vec<BarChart> {
    let mut seen: Vec<Currency> = Vec::new();
    for week in &forecast.weeks {
        for money in week.expected.iter() {
            if !seen.contains(&money.currency()) {
                seen.push(money.currency());
            }
        }
    }
    seen.into_iter()
        .map(|currency| BarChart {
            title: title(currency),
            unit: currency.code().to_owned(),
            bars: forecast
                .weeks
                .iter()
                .map(|w| (w.starts_on.format("%d/%m").to_string(), Some(value(w.expected.of(currency)))))
                .collect(),
        })
        .collect()
}

/// A bar chart: a title, the unit of the values (a currency code, "days", "%") and one bar per
/// label, left to right. A bar with no value (a figure that could not be computed) is left empty.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    pub unit: String,
    pub bars: Vec<(String, Option<f64>)>,
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("chart {title:?} could not be drawn: {reason}")]
pub struct ChartError {
    pub title: String,
    pub reason: String,
}

const WIDTH_PX: u32 = 720;
const HEIGHT_PX: u32 = 320;
const BAR: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
const NEGATIVE: RGBColor = RGBColor(0xa3, 0x2d, 0x2d);

/// The chart as an SVG document of 720 × 320 px (with a `viewBox`, so it scales), its title also
/// as the document's `<title>`.
///
/// Errors: [`ChartError`] when plotters refuses the drawing (no bars, a value that is not finite).
pub fn bar_chart_svg(chart: &BarChart) -> Result<String, ChartError> {
    let fail = |reason: String| ChartError { title: chart.title.clone(), reason };
    let values: Vec<f64> = chart.bars.iter().filter_map(|(_, v)| *v).collect();
    if chart.bars.is_empty() || values.iter().any(|v| !v.is_finite()) {
        return Err(fail("it has no bars, or a value that is not a number".to_owned()));
    }
    let high = values.iter().copied().fold(0.0_f64, f64::max);
    let low = values.iter().copied().fold(0.0_f64, f64::min);
    let span = if high - low > 0.0 { high - low } else { 1.0 };
    let mut svg = String::new();
    draw(chart, &mut svg, (low - span * 0.05).min(0.0)..(high + span * 0.1)).map_err(fail)?;
    Ok(with_title(svg, &chart.title))
}

fn draw(chart: &BarChart, svg: &mut String, range: std::ops::Range<f64>) -> Result<(), String> {
    let root = SVGBackend::with_string(svg, (WIDTH_PX, HEIGHT_PX)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let count = chart.bars.len();
    let mut area = ChartBuilder::on(&root)
        .caption(&chart.title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(84)
        // segments of 0..=n: one per bar, none left over at the end
        .build_cartesian_2d((0..count.saturating_sub(1)).into_segmented(), range)
        .map_err(|e| e.to_string())?;
    let label = |at: &SegmentValue<usize>| match at {
        SegmentValue::CenterOf(i) => chart.bars.get(*i).map(|(l, _)| l.clone()).unwrap_or_default(),
        _ => String::new(),
    };
    area.configure_mesh()
        .disable_x_mesh()
        .max_light_lines(1)
        .light_line_style(WHITE)
        .x_labels(count)
        .x_label_formatter(&label)
        .y_label_formatter(&|v: &f64| format!("{v:.0}"))
        .y_desc(chart.unit.as_str())
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(|e| e.to_string())?;
    let bars = chart.bars.iter().enumerate().filter_map(|(i, (_, v))| {
        let value = (*v)?;
        let colour = if value < 0.0 { NEGATIVE } else { BAR };
        let mut bar =
            Rectangle::new([(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), value)], colour.filled());
        bar.set_margin(0, 0, 6, 6);
        Some(bar)
    });
    area.draw_series(bars).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// Names the drawing for assistive technology: `role="img"` and a `<title>` first inside it.
fn with_title(svg: String, title: &str) -> String {
    let escaped = title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    match svg.find("<svg").and_then(|start| svg[start..].find('>').map(|end| start + end)) {
        Some(end) => format!("{} role=\"img\"><title>{escaped}</title>{}", &svg[..end], &svg[end + 1..]),
        None => svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_svg_with_its_title_labels_and_one_rectangle_per_value() {
        let chart = BarChart {
            title: "Aging <EUR>".into(),
            unit: "EUR".into(),
            bars: vec![("current".into(), Some(1200.5)), ("1-30".into(), Some(300.0)), ("31-60".into(), None)],
        };
        let svg = bar_chart_svg(&chart).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{svg}");
        assert!(svg.contains("role=\"img\"><title>Aging &lt;EUR&gt;</title>"), "{svg}");
        for label in ["current", "1-30", "31-60", "EUR"] {
            assert!(svg.lines().any(|line| line.trim() == label), "label {label} missing: {svg}");
        }
        let filled = svg.matches("fill=\"#1F4E79\"").count() + svg.matches("fill=\"#1f4e79\"").count();
        assert_eq!(filled, 2, "one bar per value, none for the missing one: {svg}");
    }

    #[test]
    fn a_customer_name_is_text_in_the_drawing_never_markup() {
        let row = AgingRow {
            customer: "C1".into(),
            name: "<script>alert(1)</script>".into(),
            buckets: [
                Money::zero(Currency::EUR),
                Money::new(5_00, Currency::EUR),
                Money::zero(Currency::EUR),
                Money::zero(Currency::EUR),
                Money::zero(Currency::EUR),
            ],
            credit: Money::zero(Currency::EUR),
        };
        let charts = top_overdue_charts(&[row], &|c| format!("Top ({})", c.code()));
        let svg = bar_chart_svg(&charts[0]).unwrap();
        assert!(!svg.contains("<script") && svg.contains("&lt;script&gt;"), "{svg}");
    }

    #[test]
    fn negative_values_and_empty_charts() {
        let chart = BarChart { title: "CEI".into(), unit: "%".into(), bars: vec![("Jan".into(), Some(-5.0))] };
        assert!(bar_chart_svg(&chart).unwrap().to_lowercase().contains("#a32d2d"));
        let empty = BarChart { bars: vec![], ..chart.clone() };
        assert!(bar_chart_svg(&empty).is_err());
        let nan = BarChart { bars: vec![("x".into(), Some(f64::NAN))], ..chart };
        assert!(bar_chart_svg(&nan).is_err());
    }
}
