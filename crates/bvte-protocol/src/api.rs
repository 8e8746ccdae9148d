//! The district server's HTTP API, version 1 (design §5). JSON bodies, compressed with gzip
//! (`Content-Encoding` / `Accept-Encoding`), device bearer token in `Authorization`.
//! Serialized structs here are the wire format: do not rename or reorder their fields.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | POST | `/api/v1/enroll` | [`EnrollRequest`] → [`EnrollResponse`] (no token yet) |
//! | POST | `/api/v1/push` | [`PushRequest`] → [`PushResponse`] |
//! | GET | `/api/v1/changes?after=N&limit=M` | → [`PullResponse`] |
//! | GET | `/api/v1/status` | → [`StatusResponse`] |
//!
//! Every error answer is an [`ApiError`] with a stable code.

use crate::change::{Change, DeviceId};
use serde::{Deserialize, Serialize};

/// The path prefix of this version.
pub const API_PREFIX: &str = "/api/v1";

/// Most changes in one push (one server transaction).
pub const MAX_PUSH_CHANGES: usize = 500;

/// Most changes in one pull page.
pub const MAX_PULL_CHANGES: usize = 1000;

/// Largest request body the server accepts, compressed or not (bytes).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Exchange a one-time enrollment code for a device token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    /// The one-time code printed by `bvte-server enroll-code`.
    pub code: String,
    /// The device's id (the one in its change log).
    pub device_id: DeviceId,
    /// A name for the device, to tell devices apart in `bvte-server device list`.
    pub device_name: String,
    /// The commune the device's database belongs to; must match the code's commune.
    pub commune_code: String,
}

/// A device token, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    /// The bearer token for later requests.
    pub token: String,
    /// The commune the device may read and write.
    pub commune_code: String,
    /// Highest sequence number of this device the server already holds (0 when new; more when
    /// a re-installed device enrolls again).
    pub acked_seq: u64,
    /// The server's clock, milliseconds since the Unix epoch.
    pub server_time_ms: u64,
}

/// Changes from the device's own log, in sequence order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    /// Changes with dense sequence numbers starting at most one above what the server holds.
    pub changes: Vec<Change>,
}

/// What the server holds after a push.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// Highest sequence number of this device the server now holds: everything up to it is safe.
    pub acked_seq: u64,
    /// Changes stored by this request.
    pub stored: u32,
    /// Changes it already had (a re-sent page): ignored.
    pub duplicates: u32,
    /// The server's clock.
    pub server_time_ms: u64,
}

/// A change as the server numbered it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerChange {
    /// The server's sequence number (the pull cursor).
    pub server_seq: u64,
    /// The change.
    pub change: Change,
}

/// A page of changes for the device's commune, made by other devices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Changes with `server_seq` above the cursor asked for, in order.
    pub changes: Vec<ServerChange>,
    /// The cursor to ask with next (the last `server_seq` of this page, or the same cursor).
    pub cursor: u64,
    /// Whether more changes wait after this page.
    pub more: bool,
    /// The server's clock.
    pub server_time_ms: u64,
}

/// The device's standing with the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusResponse {
    /// The device's commune.
    pub commune_code: String,
    /// Highest sequence number of this device the server holds.
    pub acked_seq: u64,
    /// The server's clock.
    pub server_time_ms: u64,
}

/// An error answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Stable code: `unauthorized`, `revoked`, `forbidden_scope`, `seq_gap`, `clock_ahead`,
    /// `bad_request`, `too_large`, `code_invalid`, `code_used`, `code_expired`,
    /// `commune_mismatch`, `storage`, `not_found` (no such route).
    pub code: String,
    /// Vietnamese message.
    pub message: String,
    /// English message.
    pub message_en: String,
    /// For `seq_gap`: the highest sequence number the server holds, to resend from.
    pub acked_seq: Option<u64>,
}
