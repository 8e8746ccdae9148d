//! The four routes of `/api/v1`.

use super::auth::Device;
use super::body::JsonBody;
use super::{AppState, LogSlot};
use crate::clock::now_ms;
use crate::codes::{enroll_code_hash, new_token, normalize_enroll_code, token_hash};
use crate::commune::valid_commune_code;
use crate::error::Refusal;
use crate::storage::Enrollment;
use axum::Extension;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use bvte_protocol::api::{
    EnrollRequest, EnrollResponse, MAX_PULL_CHANGES, MAX_PUSH_CHANGES, PullResponse, PushRequest,
    PushResponse, StatusResponse,
};
use serde::Deserialize;

/// Longest device name kept.
const MAX_DEVICE_NAME: usize = 200;

/// `POST /api/v1/enroll`: a one-time code for a device token.
pub async fn enroll(
    State(state): State<AppState>,
    Extension(slot): Extension<LogSlot>,
    JsonBody(req): JsonBody<EnrollRequest>,
) -> Result<Json<EnrollResponse>, Refusal> {
    let canonical = normalize_enroll_code(&req.code).ok_or(Refusal::CodeInvalid)?;
    let name = req.device_name.trim();
    if name.is_empty() || name.chars().count() > MAX_DEVICE_NAME {
        return Err(Refusal::bad(
            format!("Tên thiết bị phải có từ 1 đến {MAX_DEVICE_NAME} ký tự."),
            format!("The device name must have 1 to {MAX_DEVICE_NAME} characters."),
        ));
    }
    if !valid_commune_code(&req.commune_code) {
        return Err(Refusal::bad(
            "Mã xã phải gồm đúng 5 chữ số.",
            "The commune code must be exactly 5 digits.",
        ));
    }
    let token = new_token().map_err(|_| Refusal::Storage)?;
    let enrollment = Enrollment {
        code_hash: enroll_code_hash(&canonical),
        device_id: req.device_id,
        device_name: name.to_owned(),
        commune_code: req.commune_code,
        token_hash: token_hash(&token),
        now_ms: now_ms(),
    };
    slot.set_device(req.device_id);
    let device = state.blocking(move |s| s.enroll(&enrollment)).await?;
    Ok(Json(EnrollResponse {
        token,
        commune_code: device.commune_code,
        acked_seq: device.acked_seq,
        server_time_ms: now_ms(),
    }))
}

/// `POST /api/v1/push`: a page of the device's changes, stored in one transaction.
pub async fn push(
    State(state): State<AppState>,
    Extension(slot): Extension<LogSlot>,
    Device(device): Device,
    JsonBody(req): JsonBody<PushRequest>,
) -> Result<Json<PushResponse>, Refusal> {
    let sent = req.changes.len();
    slot.set_counts(format!(" changes={sent}"));
    if sent > MAX_PUSH_CHANGES {
        return Err(Refusal::TooLarge);
    }
    let outcome = state
        .blocking(move |s| s.push(&device, &req.changes, now_ms()))
        .await?;
    slot.set_counts(format!(
        " changes={sent} stored={} duplicates={} acked_seq={}",
        outcome.stored, outcome.duplicates, outcome.acked_seq
    ));
    Ok(Json(PushResponse {
        acked_seq: outcome.acked_seq,
        stored: outcome.stored,
        duplicates: outcome.duplicates,
        server_time_ms: now_ms(),
    }))
}

/// The query of a pull.
#[derive(Deserialize)]
pub struct PullQuery {
    /// Cursor: the last server sequence number already applied.
    after: Option<u64>,
    /// Most rows to scan.
    limit: Option<u32>,
}

/// `GET /api/v1/changes?after=N&limit=M`: the commune's changes made by other devices.
pub async fn pull(
    State(state): State<AppState>,
    Extension(slot): Extension<LogSlot>,
    Device(device): Device,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullResponse>, Refusal> {
    let Query(q) = query.map_err(|_| {
        Refusal::bad(
            "Tham số không hợp lệ: after và limit phải là số tự nhiên.",
            "Invalid query: after and limit must be non-negative integers.",
        )
    })?;
    let after = q.after.unwrap_or(0);
    let limit = q.limit.map_or(MAX_PULL_CHANGES, |l| {
        (l as usize).clamp(1, MAX_PULL_CHANGES)
    });
    let page = state
        .blocking(move |s| s.pull(&device, after, limit))
        .await?;
    slot.set_counts(format!(
        " after={after} sent={} cursor={} more={}",
        page.changes.len(),
        page.cursor,
        page.more
    ));
    Ok(Json(PullResponse {
        changes: page.changes,
        cursor: page.cursor,
        more: page.more,
        server_time_ms: now_ms(),
    }))
}

/// `GET /api/v1/status`: the device's commune and what the server holds from it.
pub async fn status(Device(device): Device) -> Json<StatusResponse> {
    Json(StatusResponse {
        commune_code: device.commune_code,
        acked_seq: device.acked_seq,
        server_time_ms: now_ms(),
    })
}
