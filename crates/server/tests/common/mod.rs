//! The harness of the server's tests: a real server on a free port over fresh books (SQLite
//! always, PostgreSQL when `OVERDUE_TEST_POSTGRES_URL` names a database, and always in CI) holding
//! two organisations with the example customers and invoices, a token of each role for both and
//! a person who logs in; HTTP calls to it; and `on_both_backends!` to run a test on each store.

#![allow(dead_code)] // each test file uses part of the harness

use overdue_core::access::Role;
use overdue_core::currency::Currency;
use overdue_core::ids::Country;
use overdue_store::{ImportOptions, NewOrganisation, Organisation, Store};
use serde_json::Value;
use std::path::Path;

/// A server running in the background over its own books, stopped when dropped.
pub struct Server {
    pub base: String,
    state: overdue_server::AppState,
    /// Keeps the scheduler, when there is one, running until the server is dropped.
    _stop: tokio::sync::watch::Sender<bool>,
    _runtime: tokio::runtime::Runtime,
    _dir: Option<tempfile::TempDir>,
    _schema: Option<Schema>,
}

/// A PostgreSQL schema of one test, dropped afterwards.
struct Schema {
    url: String,
    name: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        // the pooled PostgreSQL connections close here, off the runtime's workers
        self.state.close();
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut client) = ::postgres::Client::connect(&self.url, ::postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name));
        }
    }
}

/// Two organisations with the example customers and invoices each, and a token of each role for
/// both: `tokens[org][role]`.
pub struct Books {
    pub server: Server,
    tokens: Vec<Vec<(Role, String)>>,
}

pub enum Backend {
    Sqlite,
    Postgres,
}

fn examples(file: &str) -> std::fs::File {
    std::fs::File::open(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(file)).unwrap()
}

/// What a test sets up beyond the example books.
#[derive(Default)]
pub struct Setup {
    /// Done to each organisation's books before 27 November 2026 is planned.
    pub before_run: Option<fn(&mut dyn Store, &Organisation)>,
    /// The server's scheduler sends the outbox through this SMTP server (`smtp://…`), a few times a
    /// second; `None`: no scheduler, messages wait.
    pub smtp_url: Option<String>,
}

fn fill(store: &mut dyn Store, name: &str, setup: &Setup) -> (Organisation, Vec<(Role, String)>) {
    let new = NewOrganisation { name: name.into(), country: Country::parse("ES").unwrap(), currency: Currency::EUR };
    let organisation = store.create_organisation(&new).unwrap();
    let customers = overdue_formats::customers_csv::read(examples("customers.csv")).unwrap();
    store.import_customers(organisation.id, &mut customers.into_iter(), ImportOptions::default()).unwrap();
    let invoices = overdue_formats::invoices_csv::read(examples("invoices.csv")).unwrap();
    store.import_invoices(organisation.id, &mut invoices.into_iter(), ImportOptions::default()).unwrap();
    if let Some(before_run) = setup.before_run {
        before_run(store, &organisation);
    }
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    overdue_app::day::run(store, &organisation, day, &mut |_| {}).unwrap();
    let now = chrono::Utc::now().naive_utc();
    // Ana logs in to both, with a password of each
    let password = if name.starts_with("Ours") { "correct horse battery" } else { "another horse battery" };
    overdue_app::users::add(store, &organisation, ("ana@acme.example", Role::Controller, password), now).unwrap();
    // and her manager, who administers the books
    overdue_app::users::add(store, &organisation, ("boss@acme.example", Role::Admin, password), now).unwrap();
    let tokens = [Role::Admin, Role::Controller, Role::ReadOnly]
        .into_iter()
        .map(|role| {
            let made = overdue_app::tokens::create(store, &organisation, ("test", role), now).unwrap();
            (role, made.secret)
        })
        .collect();
    (organisation, tokens)
}

impl Books {
    pub fn start(backend: Backend, test: &str) -> Option<Self> {
        Self::start_with(backend, test, &Setup::default())
    }

    pub fn start_with(backend: Backend, test: &str, setup: &Setup) -> Option<Self> {
        let (database, dir, schema) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("books.db").to_str().unwrap().to_owned();
                (path, Some(dir), None)
            }
            Backend::Postgres => {
                let Ok(url) = std::env::var("OVERDUE_TEST_POSTGRES_URL") else {
                    assert!(std::env::var_os("CI").is_none(), "CI must run the API tests on PostgreSQL too");
                    eprintln!("PostgreSQL not configured (OVERDUE_TEST_POSTGRES_URL): {test} ran on SQLite only");
                    return None;
                };
                let name = format!("overdue_api_{}_{test}", std::process::id());
                overdue_store::PostgresStore::connect_in_schema(&url, &name).unwrap();
                let separator = if url.contains('?') { '&' } else { '?' };
                let scoped = format!("{url}{separator}options=-csearch_path%3D{name}");
                (scoped, None, Some(Schema { url, name }))
            }
        };
        let mut store = overdue_store::open(&database).unwrap();
        let tokens = ["Ours S.L.", "Theirs S.L."].iter().map(|name| fill(store.as_mut(), name, setup).1).collect();
        drop(store);
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let messages = (
            std::sync::Arc::new(overdue_notify::Templates::shipped().unwrap()),
            std::sync::Arc::new(overdue_core::rates::RateTable::shipped().unwrap()),
        );
        let state = overdue_server::AppState::open(&database, 4, messages).unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let served = state.clone();
        runtime.spawn(async move { axum::serve(listener, overdue_server::router(served)).await });
        let (stop, stopped) = tokio::sync::watch::channel(false);
        if let Some(smtp_url) = setup.smtp_url.clone() {
            let schedule = overdue_server::Schedule {
                // the daily run is not due before the test ends; the outbox is sent at each tick
                run_at: chrono::NaiveTime::from_hms_opt(23, 59, 59).unwrap(),
                tick: std::time::Duration::from_millis(300),
                worker: format!("test:{}", std::process::id()),
                smtp_url: Some(smtp_url),
            };
            runtime.spawn(overdue_server::run_scheduler(state.clone(), schedule, stopped));
        }
        let server = Server { base, state, _stop: stop, _runtime: runtime, _dir: dir, _schema: schema };
        Some(Books { server, tokens })
    }

    pub fn token(&self, organisation: usize, role: Role) -> &str {
        &self.tokens[organisation].iter().find(|(r, _)| *r == role).unwrap().1
    }

    /// GET `path` with a token (or none): status and JSON body.
    pub fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let agent = agent();
        let mut request = agent.get(format!("{}{path}", self.server.base));
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        answer(request.call().unwrap())
    }

    /// POST `body` to `path` with a token and an optional Idempotency-Key.
    pub fn post(&self, path: &str, token: &str, key: Option<&str>, body: &str) -> (u16, Value) {
        let agent = agent();
        let mut request = agent
            .post(format!("{}{path}", self.server.base))
            .header("Authorization", format!("Bearer {token}"))
            .header("Content-Type", "application/json");
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        answer(request.send(body).unwrap())
    }
}

impl Books {
    /// A request with these headers (a cookie, a CSRF token): status, JSON body and the
    /// Set-Cookie it answered with.
    pub fn call(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> (u16, Value, String) {
        let uri = format!("{}{path}", self.server.base);
        let mut request = ureq::http::Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = match body {
            Some(body) => request.header("Content-Type", "application/json").body(body.to_owned()).unwrap(),
            None => request.body(String::new()).unwrap(),
        };
        let mut response = agent().run(request).unwrap();
        let cookie = response.headers().get("set-cookie").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)), cookie)
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

pub fn answer(mut response: ureq::http::Response<ureq::Body>) -> (u16, Value) {
    let status = response.status().as_u16();
    let bytes = response.body_mut().with_config().limit(64 << 20).read_to_vec().unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// An error body names its field and reason.
pub fn error_of(body: &Value) -> (Option<&str>, &str) {
    (body["error"]["field"].as_str(), body["error"]["reason"].as_str().unwrap_or_else(|| panic!("{body}")))
}

#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { let books = super::common::Books::start(super::common::Backend::Sqlite, stringify!($name)).unwrap(); super::$name(&books); } )*
        }
        mod postgres {
            $( #[test] fn $name() { if let Some(books) = super::common::Books::start(super::common::Backend::Postgres, stringify!($name)) { super::$name(&books); } } )*
        }
    };
}
