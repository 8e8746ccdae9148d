//! The HTTP API (`/api/v1`, see `bvte_protocol::api`): routes, the shared state, the rate limit
//! on failed attempts (`limit`), and the layer that adds the server's identity and security
//! headers to every answer and logs one line per request (method, path, status, duration,
//! device, counts — never a field value or a name).

mod auth;
mod body;
mod deadline;
mod handlers;
mod limit;
#[cfg(test)]
mod props;
mod release;

use crate::error::{Refusal, StorageResult};
use crate::storage::Storage;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, X_CONTENT_TYPE_OPTIONS};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use bvte_protocol::api::{EPOCH_HEADER, SERVER_ID_HEADER};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tower_http::compression::CompressionLayer;
use uuid::Uuid;

pub use deadline::{DEFAULT_REQUEST_TIMEOUT, RequestTimeout};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The storage.
    pub storage: Arc<dyn Storage>,
    /// Who answers: the database's identity and this run's epoch, sent in every answer.
    pub identity: Identity,
    /// The data folder (the releases' packages are in `releases/`).
    pub data: Arc<std::path::Path>,
    /// The dashboard's report inputs, read ahead after a push stored changes.
    pub reports: Arc<crate::report_cache::ReportCache>,
}

/// The server's identity as devices see it (issue 10, item 6).
#[derive(Clone, Copy, Debug)]
pub struct Identity {
    /// The database's identity ([`Storage::server_id`]).
    pub server_id: Uuid,
    /// New at every start: a device that sees it change checks that the server still holds
    /// what it last read (the database may have been restored from a backup meanwhile).
    pub epoch: Uuid,
}

impl Identity {
    /// The identity of a server whose database is `server_id`, for a run starting now.
    pub fn new(server_id: Uuid) -> Identity {
        Identity {
            server_id,
            epoch: Uuid::now_v7(),
        }
    }
}

/// A UUID as a header value.
fn header(id: Uuid) -> HeaderValue {
    let mut buf = Uuid::encode_buffer();
    HeaderValue::from_str(id.hyphenated().encode_lower(&mut buf))
        .unwrap_or(HeaderValue::from_static("-"))
}

impl AppState {
    /// Runs a storage call on the blocking pool.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Storage) -> StorageResult<T> + Send + 'static,
    ) -> Result<T, Refusal> {
        let storage = Arc::clone(&self.storage);
        tokio::task::spawn_blocking(move || f(&*storage))
            .await
            .map_err(|_| Refusal::Storage)?
            .map_err(Refusal::from)
    }
}

/// The routes, with compression, security headers and logging.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/enroll", post(handlers::enroll))
        .route("/api/v1/push", post(handlers::push))
        .route("/api/v1/changes", get(handlers::pull))
        .route("/api/v1/status", get(handlers::status))
        .route("/api/v1/own", get(handlers::own))
        .route("/api/v1/known", post(handlers::known))
        .route("/api/v1/release", get(release::latest))
        .route("/api/v1/release/file/{file}", get(release::file))
        .fallback(async || Refusal::NotFound)
        .method_not_allowed_fallback(async || Refusal::MethodNotAllowed)
        .with_state(state.clone())
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(deadline::deadline))
        .layer(middleware::from_fn_with_state(
            limit::Attempts::default(),
            limit::limit,
        ))
        .layer(middleware::from_fn_with_state(state.identity, observe))
}

/// What a handler tells the request log: which device, how many changes.
#[derive(Clone, Default)]
pub struct LogSlot(Arc<Mutex<(Option<Uuid>, String)>>);

impl LogSlot {
    fn set_device(&self, id: Uuid) {
        if let Ok(mut g) = self.0.lock() {
            g.0 = Some(id);
        }
    }

    fn set_counts(&self, counts: String) {
        if let Ok(mut g) = self.0.lock() {
            g.1 = counts;
        }
    }
}

/// The routes logged by path; anything else is logged as `-` (a path could hold anything).
const KNOWN_PATHS: [&str; 7] = [
    "/api/v1/enroll",
    "/api/v1/push",
    "/api/v1/changes",
    "/api/v1/status",
    "/api/v1/own",
    "/api/v1/known",
    "/api/v1/release",
];

async fn observe(State(identity): State<Identity>, mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = KNOWN_PATHS
        .into_iter()
        .find(|p| *p == req.uri().path())
        .or_else(|| {
            // A package's name says nothing about anyone: logged as the route.
            req.uri()
                .path()
                .starts_with("/api/v1/release/file/")
                .then_some("/api/v1/release/file")
        })
        .unwrap_or("-");
    let slot = LogSlot::default();
    req.extensions_mut().insert(slot.clone());
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(SERVER_ID_HEADER, header(identity.server_id));
    headers.insert(EPOCH_HEADER, header(identity.epoch));
    let (device, counts) = slot.0.lock().map(|g| g.clone()).unwrap_or_default();
    let device = device.map(|d| format!(" device={d}")).unwrap_or_default();
    eprintln!(
        "{method} {path} {} {:.1}ms{device}{counts}",
        res.status().as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    res
}
