//! `overdue serve` and `overdue token`: start the API server; make, list and revoke its tokens.

use crate::args::{ServeArgs, TokenAction, TokenArgs, UserAction, UserArgs};
use crate::setup::open_books;
use anyhow::Context;
use overdue_core::access::Role;
use std::process::ExitCode;

pub fn run(database: &str, folders: (Option<&String>, Option<&String>), args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let is_file = !database.contains("://");
    if is_file && !std::path::Path::new(database).exists() {
        anyhow::bail!("no books at {database}: run `overdue init` first");
    }
    overdue_server::init_logs(args.log_json);
    let schedule = if args.no_scheduler { None } else { Some(schedule(args)?) };
    let settings = overdue_server::Settings {
        bind: args.bind,
        database: database.to_owned(),
        pool_size: args.pool_size,
        templates: std::sync::Arc::new(crate::send::templates(folders.0)?),
        rates: std::sync::Arc::new(crate::interest::rate_table(folders.1)?),
        schedule,
    };
    overdue_server::run(settings, |address| {
        let _ = outln!("overdue is serving http://{address} (the API under /api/v1; stop with Ctrl-C)");
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The scheduler's settings from the flags: the run time, the tick, this server's name, and the
/// SMTP server, if any.
fn schedule(args: &ServeArgs) -> anyhow::Result<overdue_server::Schedule> {
    let run_at = chrono::NaiveTime::parse_from_str(&args.run_at, "%H:%M")
        .with_context(|| format!("--run-at {:?}: write the time as HH:MM, e.g. 06:00", args.run_at))?;
    let host =
        std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_else(|_| "localhost".into());
    Ok(overdue_server::Schedule {
        run_at,
        tick: std::time::Duration::from_secs(args.tick_seconds.max(1)),
        worker: format!("{host}:{}", std::process::id()),
        smtp_url: args.smtp.clone(),
    })
}

/// `overdue jobs`: what the scheduler did, newest first.
pub fn jobs(database: &str, organisation: Option<i64>) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let rows: Vec<Vec<String>> = store
        .jobs(organisation.id, 50)?
        .into_iter()
        .map(|job| {
            let ended = job.finished_at.map_or(String::new(), |at| at.format("%Y-%m-%d %H:%M").to_string());
            vec![
                job.day.to_string(),
                job.job,
                job.state.as_str().to_owned(),
                job.started_at.format("%Y-%m-%d %H:%M").to_string(),
                ended,
                job.worker,
                job.outcome.unwrap_or_default(),
            ]
        })
        .collect();
    crate::table::print(&["DAY", "JOB", "STATE", "STARTED (UTC)", "ENDED", "SERVER", "OUTCOME"], &rows, &[])?;
    Ok(ExitCode::SUCCESS)
}

pub fn token(database: &str, organisation: Option<i64>, args: &TokenArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let now = chrono::Utc::now().naive_utc();
    match &args.action {
        TokenAction::Create { name, role } => {
            let role = Role::parse(role).with_context(|| format!("--role {role:?}: use {}", Role::names()))?;
            let made = overdue_app::tokens::create(store.as_mut(), &organisation, (name, role), now)?;
            outln!("Token {} ({}, {role}) for {}:", made.token.id, made.token.name, organisation.name)?;
            outln!("{}", made.secret)?;
            outln!("Keep it now: it is not shown again. Send it as `Authorization: Bearer <token>`.")?;
        }
        TokenAction::List => {
            let rows: Vec<Vec<String>> = store
                .tokens(organisation.id)?
                .into_iter()
                .map(|t| {
                    let used = t.last_used_at.map_or("never".to_owned(), |at| at.format("%Y-%m-%d %H:%M").to_string());
                    let state = t.revoked_at.map_or("live".to_owned(), |at| format!("revoked {}", at.date()));
                    vec![t.id.to_string(), t.name, t.role.to_string(), t.created_at.date().to_string(), used, state]
                })
                .collect();
            crate::table::print(&["ID", "NAME", "ROLE", "CREATED", "LAST USED", "STATE"], &rows, &[])?;
        }
        TokenAction::Revoke { id } => {
            overdue_app::tokens::revoke(store.as_mut(), &organisation, *id, now)?;
            outln!("Token {id} revoked: requests with it are refused from now on.")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn user(database: &str, organisation: Option<i64>, args: &UserArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let now = chrono::Utc::now().naive_utc();
    match &args.action {
        UserAction::Add { email, role } => {
            let role = Role::parse(role).with_context(|| format!("--role {role:?}: use {}", Role::names()))?;
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprintln!("Password for {email} (at least 12 characters), then Enter:");
            }
            let mut password = String::new();
            std::io::stdin().read_line(&mut password).context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let added = overdue_app::users::add(store.as_mut(), &organisation, (email, role, password), now)?;
            outln!("{} ({}) can log in to {}.", added.email, added.role, organisation.name)?;
        }
        UserAction::List => {
            let rows: Vec<Vec<String>> = store
                .users(organisation.id)?
                .into_iter()
                .map(|u| {
                    let state = u.disabled_at.map_or("active".to_owned(), |at| format!("disabled {}", at.date()));
                    vec![u.email, u.role.to_string(), u.created_at.date().to_string(), state]
                })
                .collect();
            crate::table::print(&["E-MAIL", "ROLE", "ADDED", "STATE"], &rows, &[])?;
        }
        UserAction::Disable { email } => {
            // the operator at the console is no person of the books: nobody is disabling themselves
            overdue_app::users::disable(store.as_mut(), &organisation, (email, ""), now)?;
            outln!("{email} can no longer log in; their sessions have ended.")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
