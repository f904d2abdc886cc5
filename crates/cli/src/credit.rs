//! `overdue credit-report CUSTOMER …`: keep the trade-credit reports checked before giving credit.

use crate::args::CreditReportArgs;
use crate::setup::open_books;
use anyhow::{Context, bail};
use overdue_core::customer::CreditReport;
use overdue_core::date::parse_iso;
use overdue_core::money::Money;
use std::process::ExitCode;

pub fn record(database: &str, organisation: Option<i64>, args: &CreditReportArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let Some(customer) = store.customer(organisation.id, &args.customer)? else {
        bail!("no customer {:?} in the books of {}", args.customer, organisation.name);
    };
    let (source, rating) = (args.source.trim(), args.rating.trim());
    if source.is_empty() || rating.is_empty() {
        bail!("--source and --rating must say who rated the customer and how");
    }
    let advised_limit = args
        .advised_limit
        .as_deref()
        .map(|text| Money::parse(text, customer.currency))
        .transpose()
        .context("--advised-limit")?;
    let report = CreditReport {
        source: source.to_owned(),
        rating: rating.to_owned(),
        date: parse_iso(&args.date).context("--date")?,
        advised_limit,
    };
    store.record_credit_report(organisation.id, &args.customer, &report)?;
    outln!("Recorded: {} rated {} by {} on {}.", customer.legal_name, report.rating, report.source, report.date)?;
    if let (Some(advised), Some(limit)) = (advised_limit, customer.credit.credit_limit)
        && advised.amount_minor() < limit.amount_minor()
    {
        outln!("Note: the report advises {advised}, below the credit limit of {limit} you give this customer.")?;
    }
    Ok(ExitCode::SUCCESS)
}
