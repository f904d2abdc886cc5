//! `overdue credit-report CUSTOMER …`: keep the trade-credit reports checked before giving credit.

use crate::args::CreditReportArgs;
use crate::setup::open_books;
use anyhow::Context;
use overdue_app::AppError;
use overdue_app::customers::{CreditReportStated, record_credit_report};
use overdue_core::date::parse_iso;
use std::process::ExitCode;

pub fn record(database: &str, organisation: Option<i64>, args: &CreditReportArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let stated = CreditReportStated {
        source: args.source.clone(),
        rating: args.rating.clone(),
        date: parse_iso(&args.date).context("--date")?,
        advised_limit: args.advised_limit.clone(),
    };
    let (report, above) =
        record_credit_report(store.as_mut(), &organisation, &args.customer, &stated).map_err(|e| match e {
            AppError::Invalid { field, reason } => anyhow::anyhow!("--{}: {reason}", field.replace('_', "-")),
            other => other.into(),
        })?;
    outln!("Recorded: {} rated {} by {} on {}.", args.customer, report.rating, report.source, report.date)?;
    if let (Some(limit), Some(advised)) = (above, report.advised_limit) {
        outln!("Note: the report advises {advised}, below the credit limit of {limit} you give this customer.")?;
    }
    Ok(ExitCode::SUCCESS)
}
