//! The device behind the request's bearer token.

use super::{AppState, LogSlot};
use crate::clock::now_ms;
use crate::codes::token_hash;
use crate::error::Refusal;
use crate::storage::DeviceAuth;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

/// An authenticated, non-revoked device. Rejects with `unauthorized` or `revoked`.
pub struct Device(pub DeviceAuth);

/// The device a request proves to be, if it carries a valid token (enrollment: a device
/// renewing its own enrollment keeps its id). Never rejects.
pub struct MaybeDevice(pub Option<DeviceAuth>);

impl FromRequestParts<AppState> for MaybeDevice {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, std::convert::Infallible> {
        if parts.headers.get(AUTHORIZATION).is_none() {
            return Ok(MaybeDevice(None));
        }
        Ok(MaybeDevice(
            Device::from_request_parts(parts, state)
                .await
                .ok()
                .map(|d| d.0),
        ))
    }
}

impl FromRequestParts<AppState> for Device {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refusal> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(Refusal::Unauthorized)?;
        let hash = token_hash(token);
        let device = state
            .blocking(move |s| s.authenticate(&hash, now_ms()))
            .await?;
        if let Some(slot) = parts.extensions.get::<LogSlot>() {
            slot.set_device(device.device_id);
        }
        // Lets the body extractor allow an enrolled device's full page size.
        parts.extensions.insert(Authenticated);
        Ok(Device(device))
    }
}

/// Marks a request whose bearer token was checked: only such a request may send a body of up
/// to `MAX_BODY_BYTES` (see `body.rs`).
#[derive(Clone, Copy, Debug)]
pub struct Authenticated;
