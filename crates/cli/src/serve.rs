//! `overdue serve` and `overdue token`: start the API server; make, list and revoke its tokens.

use crate::args::{ServeArgs, TokenAction, TokenArgs};
use crate::setup::open_books;
use anyhow::Context;
use overdue_core::access::Role;
use std::process::ExitCode;

pub fn run(database: &str, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let is_file = !database.contains("://");
    if is_file && !std::path::Path::new(database).exists() {
        anyhow::bail!("no books at {database}: run `overdue init` first");
    }
    overdue_server::init_logs(args.log_json);
    let settings =
        overdue_server::Settings { bind: args.bind, database: database.to_owned(), pool_size: args.pool_size };
    overdue_server::run(settings, |address| {
        let _ = outln!("overdue is serving http://{address} (the API under /api/v1; stop with Ctrl-C)");
    })?;
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
