//! The routes of `/api/v1`.

use super::auth::{Device, MaybeDevice};
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
    EnrollRequest, EnrollResponse, KnownRequest, KnownResponse, MAX_PULL_CHANGES, MAX_PUSH_CHANGES,
    OwnResponse, PullResponse, PushRequest, PushResponse, StatusResponse,
};
use serde::Deserialize;
use uuid::Uuid;

/// Longest device or officer name kept.
const MAX_DEVICE_NAME: usize = 200;

/// A name given at enrollment, trimmed, NFC as sent; refused when empty (unless `optional`)
/// or too long.
fn enrollment_name<'a>(
    text: &'a str,
    optional: bool,
    what_vi: &str,
    what_en: &str,
) -> Result<&'a str, Refusal> {
    let t = text.trim();
    if (t.is_empty() && !optional)
        || t.chars().count() > MAX_DEVICE_NAME
        || t.chars().any(char::is_control)
    {
        return Err(Refusal::bad(
            format!(
                "{what_vi} phải có từ 1 đến {MAX_DEVICE_NAME} ký tự, không có ký tự điều khiển."
            ),
            format!(
                "The {what_en} must have 1 to {MAX_DEVICE_NAME} characters, no control characters."
            ),
        ));
    }
    Ok(t)
}

/// `POST /api/v1/enroll`: a one-time code for a device token. A request carrying a valid device
/// token renews that device (same id); otherwise an id the server already knows is never
/// given again: the device gets a new one (issue 10, item 2).
pub async fn enroll(
    State(state): State<AppState>,
    Extension(slot): Extension<LogSlot>,
    MaybeDevice(proven): MaybeDevice,
    JsonBody(req): JsonBody<EnrollRequest>,
) -> Result<Json<EnrollResponse>, Refusal> {
    let canonical = normalize_enroll_code(&req.code).ok_or(Refusal::CodeInvalid)?;
    let name = enrollment_name(&req.device_name, false, "Tên thiết bị", "device name")?;
    let officer = enrollment_name(&req.officer_name, true, "Tên cán bộ", "officer's name")?;
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
        fresh_id: Uuid::now_v7(),
        proven: proven.map(|d| d.device_id),
        device_name: name.to_owned(),
        officer: officer.to_owned(),
        commune_code: req.commune_code,
        token_hash: token_hash(&token),
        now_ms: now_ms(),
    };
    let device = state.blocking(move |s| s.enroll(&enrollment)).await?;
    slot.set_device(device.device_id);
    Ok(Json(EnrollResponse {
        token,
        commune_code: device.commune_code,
        acked_seq: device.acked_seq,
        server_time_ms: now_ms(),
        device_id: Some(device.device_id),
        server_id: Some(state.identity.server_id),
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
    if outcome.stored > 0 {
        state.reports.refresh_soon(state.storage.clone());
    }
    slot.set_counts(format!(
        " changes={sent} stored={} duplicates={} refused={} acked_seq={}",
        outcome.stored,
        outcome.duplicates,
        outcome.refused.len(),
        outcome.acked_seq
    ));
    Ok(Json(PushResponse {
        acked_seq: outcome.acked_seq,
        stored: outcome.stored,
        duplicates: outcome.duplicates,
        server_time_ms: now_ms(),
        refused: outcome.refused,
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
        .blocking(move |s| {
            let page = s.pull(&device, after, limit)?;
            if !page.more {
                // The end of the commune's changes, after the device pushed all it had: its
                // data is here (the reporting deadline counts from this, `crate::reporting`).
                s.note_synced(device.device_id, now_ms())?;
            }
            Ok(page)
        })
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
        cursor_change: page.cursor_change,
    }))
}

/// A query that could not be read.
fn bad_query() -> Refusal {
    Refusal::bad(
        "Tham số không hợp lệ: các số phải là số tự nhiên, mã thay đổi phải là UUID.",
        "Invalid query: numbers must be non-negative integers, change ids UUIDs.",
    )
}

/// The query of a status request: the device's cursor and the change it read there.
#[derive(Deserialize)]
pub struct StatusQuery {
    cursor: Option<u64>,
    cursor_change: Option<Uuid>,
}

/// `GET /api/v1/status?cursor=N&cursor_change=ID`: the device's commune, what the server holds
/// from it and, when asked, whether the server still holds what the device last read.
pub async fn status(
    State(state): State<AppState>,
    Device(device): Device,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Result<Json<StatusResponse>, Refusal> {
    let Query(q) = query.map_err(|_| bad_query())?;
    let cursor_valid = match (q.cursor, q.cursor_change) {
        (Some(cursor), Some(change)) if cursor > 0 => {
            let d = device.clone();
            Some(
                state
                    .blocking(move |s| s.cursor_holds(&d, cursor, change))
                    .await?,
            )
        }
        _ => None,
    };
    let area_name = state.blocking(|s| s.area_name()).await?;
    Ok(Json(StatusResponse {
        commune_code: device.commune_code,
        acked_seq: device.acked_seq,
        server_time_ms: now_ms(),
        cursor_valid,
        area_name,
    }))
}

/// `GET /api/v1/own?after=SEQ&limit=N`: the device's own changes, for a device restored from an
/// older copy of its database (issue 10, item 4).
pub async fn own(
    State(state): State<AppState>,
    Extension(slot): Extension<LogSlot>,
    Device(device): Device,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<OwnResponse>, Refusal> {
    let Query(q) = query.map_err(|_| bad_query())?;
    let after = q.after.unwrap_or(0);
    let limit = q.limit.map_or(MAX_PULL_CHANGES, |l| {
        (l as usize).clamp(1, MAX_PULL_CHANGES)
    });
    let page = state
        .blocking(move |s| s.own(&device, after, limit))
        .await?;
    slot.set_counts(format!(" after={after} sent={}", page.changes.len()));
    Ok(Json(OwnResponse {
        changes: page.changes,
        more: page.more,
    }))
}

/// `POST /api/v1/known`: which of these changes the server holds (a device given a new id
/// sends again, under it, only what the server lacks).
pub async fn known(
    State(state): State<AppState>,
    Device(device): Device,
    JsonBody(req): JsonBody<KnownRequest>,
) -> Result<Json<KnownResponse>, Refusal> {
    if req.change_ids.len() > MAX_PUSH_CHANGES {
        return Err(Refusal::TooLarge);
    }
    let known = state
        .blocking(move |s| s.known(&device, &req.change_ids))
        .await?;
    Ok(Json(KnownResponse { known }))
}
