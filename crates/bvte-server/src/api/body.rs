//! JSON request bodies, plain or gzip, never more than a limit before or after decompression
//! (a small gzip bomb is cut off, not inflated). Every failure is an `ApiError`.
//!
//! The limit depends on who sends: a request whose device token was checked (the `Device`
//! extractor runs before the body is read) may send `MAX_BODY_BYTES`, a page of changes;
//! anyone else, which today means an enrollment, only [`MAX_UNENROLLED_BODY_BYTES`], so that
//! nobody can make the server read megabytes without a token (issue 10, denial of service).

use super::auth::Authenticated;
use crate::error::Refusal;
use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
use bvte_protocol::api::MAX_BODY_BYTES;
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use std::io::Read;

/// Most bytes a request without a checked device token may send (before and after gzip). An
/// enrollment is a few hundred bytes; even a 200-character device name written entirely as
/// JSON `\u` escapes stays far below this.
pub const MAX_UNENROLLED_BODY_BYTES: usize = 16 * 1024;

/// A JSON body parsed into `T`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Refusal;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Refusal> {
        let (parts, body) = req.into_parts();
        let limit = if parts.extensions.get::<Authenticated>().is_some() {
            Limit::Enrolled
        } else {
            Limit::Unenrolled
        };
        let gzip = check_headers(&parts.headers, limit)?;
        let raw = collect(body, limit).await?;
        let bytes = if gzip { gunzip(&raw, limit)? } else { raw };
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            Refusal::bad(
                format!(
                    "Nội dung JSON không hợp lệ (dòng {}, cột {}). Không có gì được lưu.",
                    e.line(),
                    e.column()
                ),
                format!("Invalid JSON body: {e}. Nothing was stored."),
            )
        })
    }
}

/// Which body limit applies.
#[derive(Clone, Copy)]
enum Limit {
    /// The device's token was checked: a page of changes.
    Enrolled,
    /// No checked token.
    Unenrolled,
}

impl Limit {
    fn max(self) -> usize {
        match self {
            Limit::Enrolled => MAX_BODY_BYTES,
            Limit::Unenrolled => MAX_UNENROLLED_BODY_BYTES,
        }
    }

    /// How much of a too-large body is still read (and thrown away) so that the client, still
    /// sending, receives the `too_large` answer instead of a reset connection.
    fn drain(self) -> usize {
        4 * self.max()
    }

    fn too_large(self) -> Refusal {
        match self {
            Limit::Enrolled => Refusal::TooLarge,
            Limit::Unenrolled => Refusal::TooLargeUnenrolled {
                max_bytes: MAX_UNENROLLED_BODY_BYTES,
            },
        }
    }
}

/// Checks the content type and encoding; whether the body is gzip.
fn check_headers(headers: &HeaderMap, limit: Limit) -> Result<bool, Refusal> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let is_json = header(CONTENT_TYPE)
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(Refusal::UnsupportedMedia);
    }
    let length = header(CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n > limit.drain() as u64) {
        return Err(limit.too_large());
    }
    match header(CONTENT_ENCODING).map(str::trim) {
        None | Some("identity") => Ok(false),
        Some(e) if e.eq_ignore_ascii_case("gzip") => Ok(true),
        Some(_) => Err(Refusal::UnsupportedMedia),
    }
}

/// Reads the whole body, refusing more than the limit.
async fn collect(mut body: Body, limit: Limit) -> Result<Vec<u8>, Refusal> {
    let mut out = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| {
            Refusal::bad(
                "Nội dung gửi lên bị cắt ngang (mất kết nối?). Không có gì được lưu; hãy gửi lại.",
                "The body was cut off (connection lost?). Nothing was stored; send it again.",
            )
        })?;
        if let Ok(data) = frame.into_data() {
            seen = seen.saturating_add(data.len());
            if seen > limit.drain() {
                return Err(limit.too_large());
            }
            if seen <= limit.max() {
                out.extend_from_slice(&data);
            }
        }
    }
    if seen > limit.max() {
        return Err(limit.too_large());
    }
    Ok(out)
}

/// Inflates a gzip body, stopping one byte past the limit.
fn gunzip(raw: &[u8], limit: Limit) -> Result<Vec<u8>, Refusal> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(raw)
        .take(limit.max() as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| {
            Refusal::bad(
                "Nội dung nén gzip bị hỏng. Không có gì được lưu.",
                "The gzip body is damaged. Nothing was stored.",
            )
        })?;
    if out.len() > limit.max() {
        return Err(limit.too_large());
    }
    Ok(out)
}
