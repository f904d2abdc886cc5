//! Setting up the books (`overdue init`) and opening them for every other command.

use crate::args::InitArgs;
use anyhow::{Context, bail};
use overdue_core::currency::Currency;
use overdue_core::ids::Country;
use overdue_store::{NewOrganisation, Organisation, Store};
use std::process::ExitCode;

pub fn init(database: &str, args: &InitArgs) -> anyhow::Result<ExitCode> {
    let country = Country::parse(&args.country)?;
    let currency = Currency::from_code(&args.currency.to_ascii_uppercase())?;
    if args.name.trim().is_empty() {
        bail!("--name is empty: give your business's name");
    }
    let mut store = overdue_store::open(database).with_context(|| format!("cannot open the books at {database}"))?;
    if let Some(existing) = store.organisations()?.first()
        && !args.another
    {
        bail!(
            "{database} already holds the books of {:?} (organisation {}): nothing was changed. Use another --database for another business, or --another to keep both in this one.",
            existing.name,
            existing.id
        );
    }
    let zone = args.time_zone.as_deref().map(overdue_app::clock::parse_time_zone).transpose()?;
    let organisation =
        store.create_organisation(&NewOrganisation { name: args.name.trim().to_owned(), country, currency })?;
    if let Some(zone) = zone {
        store.set_time_zone(organisation.id, Some(zone.name()))?;
    }
    outln!(
        "Books created for {} (organisation {}, {}, {}) in {database}.\nNext: overdue import customers FILE.csv, then overdue import invoices FILE.csv",
        organisation.name,
        organisation.id,
        organisation.country,
        organisation.currency
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Opens the books and picks the organisation: the one given, or the only one there is.
pub fn open_books(database: &str, organisation: Option<i64>) -> anyhow::Result<(Box<dyn Store>, Organisation)> {
    let is_file = !database.contains("://");
    if is_file && !std::path::Path::new(database).exists() {
        bail!("no books at {database}: run `overdue init --name \"Your Business\" --country ES --currency EUR` first");
    }
    let mut store = overdue_store::open(database).with_context(|| format!("cannot open the books at {database}"))?;
    let organisations = store.organisations()?;
    let chosen = match organisation {
        Some(id) => organisations
            .into_iter()
            .find(|o| o.id == id)
            .with_context(|| format!("no organisation {id} in {database}"))?,
        None => match organisations.len() {
            0 => bail!("{database} has no organisation yet: run `overdue init` first"),
            1 => organisations.into_iter().next().context("no organisation")?,
            n => bail!("{database} holds {n} organisations: choose one with --org ID"),
        },
    };
    Ok((store, chosen))
}

/// `overdue time-zone [ZONE]`: shows or sets the organisation's time zone.
pub fn time_zone(
    database: &str,
    organisation: Option<i64>,
    args: &crate::args::TimeZoneArgs,
) -> anyhow::Result<ExitCode> {
    let (mut store, mut organisation) = open_books(database, organisation)?;
    if let Some(zone) = &args.zone {
        let zone = match zone.as_str() {
            "country" => None,
            name => Some(overdue_app::clock::parse_time_zone(name)?.name().to_owned()),
        };
        store.set_time_zone(organisation.id, zone.as_deref())?;
        organisation.time_zone = zone;
    }
    let zone = overdue_app::clock::time_zone(&organisation);
    let source =
        if organisation.time_zone.is_some() { "set for the organisation" } else { "the usual one of its country" };
    let today = overdue_app::clock::today(&organisation, chrono::Utc::now());
    outln!("{}: time zone {} ({source}); today is {today} there.", organisation.name, zone.name())?;
    Ok(ExitCode::SUCCESS)
}
