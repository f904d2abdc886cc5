//! What every request shares: the books, as a small pool of open connections, and the way a use
//! case runs off the async workers.

use crate::error::ApiError;
use overdue_core::rates::RateTable;
use overdue_notify::Templates;
use overdue_store::{Store, StoreError};
use std::sync::{Arc, Mutex};

/// How long a token found live is trusted without asking the books again.
pub const TOKEN_CACHE: std::time::Duration = std::time::Duration::from_secs(5);

/// The server's shared state.
#[derive(Clone)]
pub struct AppState {
    database: Arc<str>,
    pool: Arc<Mutex<Vec<Box<dyn Store>>>>,
    /// One permit per connection: a request waits for one rather than opening more.
    permits: Arc<tokio::sync::Semaphore>,
    /// Requests that write take one of these first: one at a time on SQLite (one writer at a time
    /// in any case: queueing here beats its lock's sleep-and-retry), the pool's size on PostgreSQL.
    writers: Arc<tokio::sync::Semaphore>,
    pool_size: usize,
    /// The message templates, loaded and checked once.
    pub templates: Arc<Templates>,
    /// The reference rates interest is computed with.
    pub rates: Arc<RateTable>,
    /// Whether session cookies are marked Secure (sent over HTTPS only).
    pub secure_cookies: bool,
    /// Tokens recently found live, by the hash of their secret, until when: a revoked token stops
    /// working on every server within [`TOKEN_CACHE`].
    pub(crate) live_tokens: Arc<Mutex<std::collections::HashMap<String, (crate::auth::Caller, std::time::Instant)>>>,
    /// Failed logins per e-mail: how many, since when (this server's count).
    pub(crate) login_failures: Arc<Mutex<std::collections::HashMap<String, (u32, std::time::Instant)>>>,
}

impl AppState {
    /// Opens the books once (running migrations) and keeps the connection for requests; messages
    /// are written with `templates` and claims computed with `rates`.
    ///
    /// Errors: the books cannot be opened.
    pub fn open(
        database: &str,
        pool_size: usize,
        (templates, rates): (Arc<Templates>, Arc<RateTable>),
    ) -> Result<Self, StoreError> {
        let first = overdue_store::open(database)?;
        let first_is_sqlite = first.backend() == "sqlite";
        Ok(Self {
            database: database.into(),
            pool: Arc::new(Mutex::new(vec![first])),
            permits: Arc::new(tokio::sync::Semaphore::new(pool_size.max(1))),
            writers: Arc::new(tokio::sync::Semaphore::new(if first_is_sqlite { 1 } else { pool_size.max(1) })),
            pool_size: pool_size.max(1),
            templates,
            rates,
            secure_cookies: true,
            login_failures: Arc::new(Mutex::new(std::collections::HashMap::new())),
            live_tokens: Arc::new(Mutex::new(std::collections::HashMap::new())),
        })
    }

    /// Runs `work` with a connection on the blocking pool, once one of the pool's connections is
    /// free (they are opened as needed, up to the pool's size, and kept).
    ///
    /// Errors: whatever `work` returns; a connection that cannot be opened; a use case that
    /// panicked (a 500, the server goes on).
    pub async fn with_store<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, ApiError> + Send + 'static,
    {
        let permit = self.permits.clone().acquire_owned().await.map_err(|e| ApiError::internal(e.to_string()))?;
        let state = self.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut store = state.take()?;
            let result = work(store.as_mut());
            state.give_back(store);
            result
        })
        .await;
        joined.map_err(|e| ApiError::internal(format!("the request failed: {e}")))?
    }

    /// Closes the pooled connections (call it off the async workers: a PostgreSQL connection
    /// stops a runtime of its own).
    pub fn close(&self) {
        let pooled = self.pool.lock().map(|mut pool| std::mem::take(&mut *pool)).unwrap_or_default();
        drop(pooled);
    }

    /// As [`AppState::with_store`], for a request that writes: writers queue here first.
    ///
    /// Errors: as [`AppState::with_store`].
    pub async fn with_store_writing<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, ApiError> + Send + 'static,
    {
        let _writer = self.writers.acquire().await.map_err(|e| ApiError::internal(e.to_string()))?;
        self.with_store(work).await
    }

    fn take(&self) -> Result<Box<dyn Store>, ApiError> {
        let pooled = self.pool.lock().ok().and_then(|mut pool| pool.pop());
        match pooled {
            Some(store) => Ok(store),
            None => overdue_store::open(&self.database).map_err(ApiError::from),
        }
    }

    fn give_back(&self, store: Box<dyn Store>) {
        if let Ok(mut pool) = self.pool.lock()
            && pool.len() < self.pool_size
        {
            pool.push(store);
        }
    }
}
