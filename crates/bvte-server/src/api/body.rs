//! JSON request bodies, plain or gzip, never more than `MAX_BODY_BYTES` before or after
//! decompression (a small gzip bomb is cut off, not inflated). Every failure is an `ApiError`.

use crate::error::Refusal;
use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
use bvte_protocol::api::MAX_BODY_BYTES;
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use std::io::Read;

/// A JSON body parsed into `T`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Refusal;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Refusal> {
        let (parts, body) = req.into_parts();
        let gzip = check_headers(&parts.headers)?;
        let raw = collect(body).await?;
        let bytes = if gzip { gunzip(&raw)? } else { raw };
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

/// Checks the content type and encoding; whether the body is gzip.
fn check_headers(headers: &HeaderMap) -> Result<bool, Refusal> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let is_json = header(CONTENT_TYPE)
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(Refusal::UnsupportedMedia);
    }
    let length = header(CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n > DRAIN_LIMIT as u64) {
        return Err(Refusal::TooLarge);
    }
    match header(CONTENT_ENCODING).map(str::trim) {
        None | Some("identity") => Ok(false),
        Some(e) if e.eq_ignore_ascii_case("gzip") => Ok(true),
        Some(_) => Err(Refusal::UnsupportedMedia),
    }
}

/// How much of a too-large body is still read (and thrown away) so that the client, still
/// sending, receives the `too_large` answer instead of a reset connection.
const DRAIN_LIMIT: usize = 4 * MAX_BODY_BYTES;

/// Reads the whole body, refusing more than `MAX_BODY_BYTES`.
async fn collect(mut body: Body) -> Result<Vec<u8>, Refusal> {
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
            seen += data.len();
            if seen > DRAIN_LIMIT {
                return Err(Refusal::TooLarge);
            }
            if seen <= MAX_BODY_BYTES {
                out.extend_from_slice(&data);
            }
        }
    }
    if seen > MAX_BODY_BYTES {
        return Err(Refusal::TooLarge);
    }
    Ok(out)
}

/// Inflates a gzip body, stopping one byte past `MAX_BODY_BYTES`.
fn gunzip(raw: &[u8]) -> Result<Vec<u8>, Refusal> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(raw)
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| {
            Refusal::bad(
                "Nội dung nén gzip bị hỏng. Không có gì được lưu.",
                "The gzip body is damaged. Nothing was stored.",
            )
        })?;
    if out.len() > MAX_BODY_BYTES {
        return Err(Refusal::TooLarge);
    }
    Ok(out)
}
