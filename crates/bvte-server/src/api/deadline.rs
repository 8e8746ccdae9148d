//! A deadline for every request (issue 10, denial of service): a client that trickles its body
//! a byte at a time, or a request whose work never ends, is answered `408 timeout` (JSON, with
//! `Connection: close`) once the deadline passes, and its connection is closed, instead of
//! holding a connection and a task for ever. The request headers, the TLS handshake and a
//! client that stops reading the answer are bounded in `connections.rs` and `serve.rs`.

use crate::error::Refusal;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::CONNECTION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// The time a request may take from its headers to its answer unless `serve` says otherwise:
/// the largest page (8 MiB) at 1 Mbit/s, with room to spare.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// The deadline `serve` gives each request, as a request extension set by an outer layer
/// (absent: [`DEFAULT_REQUEST_TIMEOUT`]).
#[derive(Clone, Copy, Debug)]
pub struct RequestTimeout(pub Duration);

/// The layer: answers `408 timeout` when the request has not been answered in time. The body
/// is read inside the handler, so a slow body counts; a push whose transaction had already
/// started may still be stored, and is then recognised by its ids when the device sends it
/// again.
pub async fn deadline(req: Request, next: Next) -> Response {
    let limit = req
        .extensions()
        .get::<RequestTimeout>()
        .map_or(DEFAULT_REQUEST_TIMEOUT, |t| t.0);
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            let seconds = u64::try_from(limit.as_millis().div_ceil(1000)).unwrap_or(u64::MAX);
            let mut res = Refusal::Timeout { seconds }.into_response();
            res.headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
            res
        }
    }
}
