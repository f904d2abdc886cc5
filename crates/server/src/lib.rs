//! `overdue serve`: the JSON API under `/api/v1` with its OpenAPI 3.1 document, callers known by
//! API token and role, health and readiness endpoints, graceful shutdown and structured logs —
//! over the application layer (`overdue-app`), which holds every use case.
//!
//! The stores are synchronous (rusqlite, the `postgres` crate); each request takes a connection
//! from a small pool and runs its use case on tokio's blocking pool (`spawn_blocking`), so the
//! async workers never wait on the database (see `docs/ARCHITECTURE.md`).

mod api;
mod auth;
mod error;
mod scheduler;
mod state;
mod web;

pub use api::ApiDoc;
pub use error::ApiError;
pub use scheduler::{Schedule, run as run_scheduler};
pub use state::AppState;

use std::net::SocketAddr;

/// Where and how to serve.
#[derive(Clone)]
pub struct Settings {
    /// The address to listen on, e.g. `127.0.0.1:8080` (port 0: any free port).
    pub bind: SocketAddr,
    /// The books: a SQLite file or a `postgres://` URL.
    pub database: String,
    /// Connections kept open for requests.
    pub pool_size: usize,
    /// The message templates (shipped, or the business's own folder), loaded and checked.
    pub templates: std::sync::Arc<overdue_notify::Templates>,
    /// The reference rates (shipped, plus the business's own file).
    pub rates: std::sync::Arc<overdue_core::rates::RateTable>,
    /// The scheduler, unless this server only answers requests.
    pub schedule: Option<Schedule>,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot listen on {bind}: {source}")]
    Bind { bind: SocketAddr, source: std::io::Error },
    #[error("cannot open the books at {database}: {reason}")]
    Books { database: String, reason: String },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}

/// Structured logs on standard error: one line per event, JSON when `json` (for a log collector),
/// filtered by `RUST_LOG` (default `info`). Tokens and passwords are never logged.
pub fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(colours);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}

/// Every route of the server.
pub fn router(state: AppState) -> axum::Router {
    api::routes().merge(web::routes()).with_state(state)
}

/// Serves until the process is asked to stop (Ctrl-C or SIGTERM), then finishes the requests in
/// flight. `ready` is told the address actually bound (useful with port 0).
///
/// Errors: [`ServerError::Books`] when the books cannot be opened; [`ServerError::Bind`] when the
/// address is taken; [`ServerError::Serve`] on an I/O error while serving.
pub async fn serve(settings: Settings, ready: impl FnOnce(SocketAddr)) -> Result<(), ServerError> {
    // the address first: a taken port is said before any connection to the books exists
    let listener = tokio::net::TcpListener::bind(settings.bind)
        .await
        .map_err(|source| ServerError::Bind { bind: settings.bind, source })?;
    // the synchronous PostgreSQL client runs a runtime of its own: it is opened (and closed) off
    // the async workers
    let (database, pool_size) = (settings.database.clone(), settings.pool_size);
    let messages = (settings.templates.clone(), settings.rates.clone());
    let opened = tokio::task::spawn_blocking(move || AppState::open(&database, pool_size, messages)).await;
    let books_error = |reason: String| ServerError::Books { database: settings.database.clone(), reason };
    let mut state = opened.map_err(|e| books_error(e.to_string()))?.map_err(|e| books_error(e.to_string()))?;
    // a browser keeps Secure cookies from http://localhost, not from a plain-HTTP address elsewhere
    state.secure_cookies = !settings.bind.ip().is_loopback();
    let bound = listener.local_addr().map_err(ServerError::Serve)?;
    tracing::info!(address = %bound, "serving");
    ready(bound);
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let scheduler = settings.schedule.map(|schedule| tokio::spawn(scheduler::run(state.clone(), schedule, stopping)));
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, app).with_graceful_shutdown(shutdown()).await;
    let _ = stop.send(true);
    if let Some(scheduler) = scheduler {
        let _ = scheduler.await;
    }
    let _ = tokio::task::spawn_blocking(move || state.close()).await;
    served.map_err(ServerError::Serve)?;
    tracing::info!("stopped");
    Ok(())
}

/// [`serve`] on a runtime of its own, for a caller that has none (the command line).
///
/// Errors: as [`serve`]; [`ServerError::Serve`] when the runtime cannot start.
pub fn run(settings: Settings, ready: impl FnOnce(SocketAddr)) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(ServerError::Serve)?;
    runtime.block_on(serve(settings, ready))
}

/// Resolves when the process is asked to stop.
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("asked to stop: finishing the requests in flight");
}
