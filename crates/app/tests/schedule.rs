//! The scheduler's pass on both backends, with two servers on one database: each day is run by
//! one of them, a second pass the same day repeats nothing, and days missed while stopped are
//! caught up in order.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use overdue_app::schedule::{DAILY_RUN, pass};
use overdue_core::currency::Currency;
use overdue_core::ids::Country;
use overdue_store::{ImportOptions, JobState, NewOrganisation, Organisation, PostgresStore, SqliteStore, Store};
use std::path::Path;

fn examples(file: &str) -> std::fs::File {
    std::fs::File::open(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(file)).unwrap()
}

fn six() -> NaiveTime {
    NaiveTime::from_hms_opt(6, 0, 0).unwrap()
}

/// 07:00 in Madrid on `day` (06:00 UTC in winter).
fn morning(day: &str) -> DateTime<Utc> {
    let day: NaiveDate = day.parse().unwrap();
    Utc.from_utc_datetime(&day.and_hms_opt(6, 0, 0).unwrap())
}

fn books(store: &mut dyn Store) -> Organisation {
    let new =
        NewOrganisation { name: "Acme S.L.".into(), country: Country::parse("ES").unwrap(), currency: Currency::EUR };
    let organisation = store.create_organisation(&new).unwrap();
    let customers = overdue_formats::customers_csv::read(examples("customers.csv")).unwrap();
    store.import_customers(organisation.id, &mut customers.into_iter(), ImportOptions::default()).unwrap();
    let invoices = overdue_formats::invoices_csv::read(examples("invoices.csv")).unwrap();
    store.import_invoices(organisation.id, &mut invoices.into_iter(), ImportOptions::default()).unwrap();
    organisation
}

/// Two servers pass at the same moment: the day is run once, by one of them.
fn two_servers_run_each_day_once(open: &dyn Fn() -> Box<dyn Store>) {
    let organisation = books(open().as_mut());
    let passes: Vec<_> = ["server-a", "server-b"]
        .into_iter()
        .map(|worker| {
            let mut store = open();
            let organisation = organisation.clone();
            std::thread::spawn(move || {
                pass(store.as_mut(), &organisation, (morning("2026-11-30"), six()), worker, None).unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|handle| handle.join().unwrap())
        .collect();
    let ran: usize = passes.iter().map(|p| p.ran.len()).sum();
    let elsewhere: usize = passes.iter().map(|p| p.held_elsewhere.len()).sum();
    assert_eq!((ran, elsewhere), (1, 1), "one ran the day, the other found it held");
    let mut store = open();
    // a restart the same day repeats nothing
    let again = pass(store.as_mut(), &organisation, (morning("2026-11-30"), six()), "server-c", None).unwrap();
    assert!(again.ran.is_empty() && again.held_elsewhere.is_empty(), "{again:?}");
    let jobs = store.jobs(organisation.id, 10).unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!((jobs[0].job.as_str(), jobs[0].state, jobs[0].attempts), (DAILY_RUN, JobState::Done, 1));
    // stopped over a weekend: Saturday, Sunday and Monday run on Monday, in order
    let monday = pass(store.as_mut(), &organisation, (morning("2026-12-07"), six()), "server-a", None).unwrap();
    let days: Vec<String> = monday.ran.iter().map(|(day, _)| day.to_string()).collect();
    assert_eq!(
        days,
        ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07"]
    );
    assert_eq!(store.last_done_day(organisation.id, DAILY_RUN).unwrap(), Some("2026-12-07".parse().unwrap()));
}

#[test]
fn sqlite_two_servers_run_each_day_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("books.db").to_str().unwrap().to_owned();
    two_servers_run_each_day_once(&|| Box::new(SqliteStore::open(&path).unwrap()));
}

#[test]
fn postgres_two_servers_run_each_day_once() {
    let Ok(url) = std::env::var("OVERDUE_TEST_POSTGRES_URL") else {
        assert!(std::env::var_os("CI").is_none(), "CI must run the scheduler on PostgreSQL too");
        eprintln!("PostgreSQL not configured (OVERDUE_TEST_POSTGRES_URL): ran on SQLite only");
        return;
    };
    let schema = format!("overdue_schedule_{}", std::process::id());
    two_servers_run_each_day_once(&|| Box::new(PostgresStore::connect_in_schema(&url, &schema).unwrap()));
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE")).unwrap();
}
