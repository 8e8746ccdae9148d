//! The district server's HTTP API, version 1 (design §5). JSON bodies, compressed with gzip
//! (`Content-Encoding` / `Accept-Encoding`), device bearer token in `Authorization`.
//! Serialized structs here are the wire format: do not rename or reorder their fields.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | POST | `/api/v1/enroll` | [`EnrollRequest`] → [`EnrollResponse`] (no token yet) |
//! | POST | `/api/v1/push` | [`PushRequest`] → [`PushResponse`] |
//! | GET | `/api/v1/changes?after=N&limit=M` | → [`PullResponse`] |
//! | GET | `/api/v1/status?cursor=N&cursor_change=ID` | → [`StatusResponse`] |
//! | GET | `/api/v1/own?after=SEQ&limit=M` | → [`OwnResponse`] (the device's own changes) |
//! | POST | `/api/v1/known` | [`KnownRequest`] → [`KnownResponse`] |
//! | GET | `/api/v1/release?target=deb-amd64` | → `bvte_update::LatestRelease` (issue 13) |
//! | GET | `/api/v1/release/file/NAME` | → the package's bytes (not compressed) |
//!
//! Every answer, errors included, carries the server's identity in two headers:
//! [`SERVER_ID_HEADER`] (fixed when the server's database was made) and [`EPOCH_HEADER`]
//! (new each time the server starts). Every error answer is an [`ApiError`] with a stable code.
//! Fields added after the first version carry `#[serde(default)]`, so devices and servers of
//! different versions still understand each other.

use crate::change::{Change, DeviceId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Header naming the server's database: the same for as long as that database lives, another
/// one for a server initialised again.
pub const SERVER_ID_HEADER: &str = "bvte-server-id";

/// Header naming the server's run: new each time the server starts. A device that sees it
/// change asks whether the server still holds what the device last read (it may have been
/// restored from a backup).
pub const EPOCH_HEADER: &str = "bvte-epoch";

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
    /// The officer using the device: the server writes this name as the author of every
    /// change the device sends (the device's own claim is not trusted).
    #[serde(default)]
    pub officer_name: String,
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
    /// The device's id from now on. The one asked for, unless the server already knows that id
    /// and the request did not prove it (with that device's token): then a new one, so that a
    /// new code never takes over or revives another device. Absent from older servers.
    #[serde(default)]
    pub device_id: Option<DeviceId>,
    /// The server's identity (as in [`SERVER_ID_HEADER`]).
    #[serde(default)]
    pub server_id: Option<Uuid>,
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
    /// Changes of the page the server refused, one by one, each with its reason: their
    /// sequence numbers are acknowledged (they are not sent again) but nobody receives them.
    /// The other changes of the page are stored.
    #[serde(default)]
    pub refused: Vec<RefusedChange>,
}

/// A change the server refused, and why (Vietnamese and English).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedChange {
    /// The change.
    pub change_id: Uuid,
    /// Its sequence number in the device's log.
    pub seq: u64,
    /// Stable code: `forbidden_scope`, `moved`, `invalid`.
    pub code: String,
    /// Why, in Vietnamese.
    pub message: String,
    /// Why, in English.
    pub message_en: String,
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
    /// The id of the change numbered `cursor` (none when the page is empty): the device keeps
    /// it with its cursor, to ask later whether the server still holds what it read.
    #[serde(default)]
    pub cursor_change: Option<Uuid>,
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
    /// When the request named its cursor and the change read there: whether the server still
    /// holds that change at that number. `false` means the server lost what the device read
    /// (restored from an older backup): the device reads its commune again from the start.
    #[serde(default)]
    pub cursor_valid: Option<bool>,
    /// The name of the area the server serves (`bvte-server init --area`), once named: the
    /// desktop shows it in its status bar. Absent from servers that predate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_name: Option<String>,
}

/// The device's own changes, by sequence number (`/own`): what a device restored from an older
/// copy of its database made after that copy and lost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnResponse {
    /// The device's changes with a sequence number above the one asked for, in order.
    pub changes: Vec<OwnChange>,
    /// Whether more follow.
    pub more: bool,
}

/// One of the device's own changes as the server holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnChange {
    /// The change.
    pub change: Change,
    /// Set when the server refused it.
    pub refused: Option<RefusedChange>,
}

/// Which of these changes does the server hold (`/known`)?
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownRequest {
    /// At most [`MAX_PUSH_CHANGES`] change ids.
    pub change_ids: Vec<Uuid>,
}

/// The answer to [`KnownRequest`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownResponse {
    /// Those of the ids asked about that the server holds (for the device's commune).
    pub known: Vec<Uuid>,
}

/// An error answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Stable code: `unauthorized`, `revoked`, `seq_gap`, `clock_ahead`, `too_many_attempts`,
    /// `bad_request`, `too_large`, `code_invalid`, `code_used`, `code_expired`,
    /// `commune_mismatch`, `storage`, `not_found` (no such route). (A change of another
    /// commune's record is refused alone, in [`PushResponse::refused`], not as an error.)
    pub code: String,
    /// Vietnamese message.
    pub message: String,
    /// English message.
    pub message_en: String,
    /// For `seq_gap`: the highest sequence number the server holds, to resend from.
    pub acked_seq: Option<u64>,
}
