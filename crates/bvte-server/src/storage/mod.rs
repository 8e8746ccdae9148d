//! The server's storage contract: one small trait with synchronous methods (the HTTP handlers
//! call them through `tokio::task::spawn_blocking`), one backend per module. SQLite is the
//! default; PostgreSQL (`--database-url postgres://…`) sits behind the same trait for larger
//! deployments. The sync rules themselves
//! (sequence, duplicates, clock, scope) live in [`crate::push`] and [`crate::scope`], written
//! once against [`crate::push::PushTx`], so every backend applies the same rules.

pub mod accounts;
pub mod admin;
pub mod postgres;
pub mod releases;
pub mod sqlite;

pub use accounts::{SessionRow, UserRow, WebSession};
pub use admin::{DeadlineRow, EnrollCodeRow};
pub use releases::ReleaseRow;

use crate::codes::Digest32;
use crate::error::{Refusal, StorageError, StorageResult};
use bvte_protocol::api::{OwnChange, RefusedChange, ServerChange};
use bvte_protocol::{Change, DeviceId};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use uuid::Uuid;

/// A registered commune.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CommuneRow {
    /// Official 5-digit code.
    pub code: String,
    /// When it was registered (ms since the epoch).
    pub added_at_ms: u64,
}

/// An enrolled device, as `device list` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRow {
    /// The device's id.
    pub device_id: DeviceId,
    /// The name it enrolled with.
    pub name: String,
    /// The officer named at enrollment (the author of its changes).
    pub officer: String,
    /// Its commune.
    pub commune_code: String,
    /// When it (last) enrolled.
    pub enrolled_at_ms: u64,
    /// When it last made a request.
    pub last_seen_ms: Option<u64>,
    /// When it last finished a sync: a pull that reached the end (after its pushes).
    pub last_sync_ms: Option<u64>,
    /// Highest sequence number the server holds from it.
    pub acked_seq: u64,
    /// When its token was revoked.
    pub revoked_at_ms: Option<u64>,
}

/// The device behind a valid token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceAuth {
    /// The device.
    pub device_id: DeviceId,
    /// The commune it may read and write.
    pub commune_code: String,
    /// Highest sequence number the server holds from it.
    pub acked_seq: u64,
    /// The author written on its changes: the officer named at enrollment (the device's name
    /// for a device enrolled before officers were named).
    pub officer: String,
}

/// An enrollment attempt.
#[derive(Clone, Debug)]
pub struct Enrollment {
    /// Hash of the canonical code.
    pub code_hash: Digest32,
    /// The device id asked for.
    pub device_id: DeviceId,
    /// The id to give the device when the one asked for is taken: fresh, made by the server.
    pub fresh_id: DeviceId,
    /// The device the request proved to be, with that device's valid token (a device renewing
    /// its own enrollment keeps its id).
    pub proven: Option<DeviceId>,
    /// Its name.
    pub device_name: String,
    /// The officer using it.
    pub officer: String,
    /// The commune it claims.
    pub commune_code: String,
    /// Hash of the new token.
    pub token_hash: Digest32,
    /// Now (ms).
    pub now_ms: u64,
}

/// What a push stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushOutcome {
    /// Highest sequence number of the device now held.
    pub acked_seq: u64,
    /// New changes stored.
    pub stored: u32,
    /// Changes already held.
    pub duplicates: u32,
    /// Changes refused one by one (their sequence numbers are taken), with the reasons; also
    /// those of a re-sent page that were refused the first time.
    pub refused: Vec<RefusedChange>,
}

/// A page of changes for a pull.
#[derive(Clone, Debug, PartialEq)]
pub struct PullPage {
    /// Changes by other devices.
    pub changes: Vec<ServerChange>,
    /// The last server sequence number scanned (or the cursor asked with).
    pub cursor: u64,
    /// Whether more rows of the commune exist after `cursor`.
    pub more: bool,
    /// The change numbered `cursor`, when the page scanned any row.
    pub cursor_change: Option<Uuid>,
}

/// A page of a device's own changes (`/own`).
#[derive(Clone, Debug, PartialEq)]
pub struct OwnPage {
    /// The changes, by sequence number.
    pub changes: Vec<OwnChange>,
    /// Whether more follow.
    pub more: bool,
}

/// Whether a stored enrollment code for `commune` may enroll `e` now: the one rule both backends
/// apply inside their enroll transaction. Errors: `code_used`, `code_expired`,
/// `commune_mismatch`.
pub fn check_enroll_code(
    e: &Enrollment,
    commune: &str,
    expires_at_ms: u64,
    used: bool,
) -> StorageResult<()> {
    let refusal = if used {
        Refusal::CodeUsed
    } else if e.now_ms >= expires_at_ms {
        Refusal::CodeExpired
    } else if commune != e.commune_code {
        Refusal::CommuneMismatch
    } else {
        return Ok(());
    };
    Err(StorageError::Refused(refusal))
}

/// The id an enrollment gives the device, from what is known of the id asked for (`previous`:
/// its commune, when the server knows it). An id the server does not know is given as asked;
/// a known one only to the device that proved it is that device (with its own valid token) and
/// belongs to the same commune; anyone else gets a fresh id, so that a new code never takes
/// over another device's identity, its acknowledged changes or its revocation (issue 10,
/// item 2). Returns the id and whether the device row exists already (a renewal).
pub fn enrolled_id(e: &Enrollment, commune: &str, previous: Option<&str>) -> (DeviceId, bool) {
    match previous {
        None => (e.device_id, false),
        Some(p) if p == commune && e.proven == Some(e.device_id) => (e.device_id, true),
        Some(_) => (e.fresh_id, false),
    }
}

/// The author of a device's changes: its officer, or its name for a device enrolled before
/// officers were named.
pub fn author_of(officer: String, name: &str) -> String {
    if officer.trim().is_empty() {
        name.to_owned()
    } else {
        officer
    }
}

/// A code asked for a commune that was never added.
pub fn unknown_commune(commune: &str) -> StorageError {
    StorageError::not_found(
        format!(
            "Xã {commune} chưa được đăng ký: hãy chạy `bvte-server commune add --code {commune}` trước"
        ),
        format!(
            "commune {commune} is not registered: run `bvte-server commune add --code {commune}` first"
        ),
    )
}

/// Everything the server stores. Every method is one transaction; a method that fails stores
/// nothing. Refusals decided inside a transaction come back as [`StorageError::Refused`].
pub trait Storage: Send + Sync {
    /// Registers a commune; `false` when it was already registered.
    fn add_commune(&self, code: &str, now_ms: u64) -> StorageResult<bool>;
    /// The registered communes, by code.
    fn communes(&self) -> StorageResult<Vec<CommuneRow>>;
    /// Stores the hash of a new enrollment code. Errors: `NotFound` for an unknown commune.
    fn add_enroll_code(
        &self,
        code_hash: &Digest32,
        commune: &str,
        now_ms: u64,
        expires_ms: u64,
    ) -> StorageResult<()>;
    /// Uses an enrollment code: marks it used and creates the device with the new token (or
    /// renews a device that proved it is that device: see [`enrolled_id`]). Errors: `Refused`
    /// with `code_invalid`, `code_used`, `code_expired`, `commune_mismatch`.
    fn enroll(&self, e: &Enrollment) -> StorageResult<DeviceAuth>;
    /// The device holding a token; notes that it was seen. Errors: `Refused` with
    /// `unauthorized` or `revoked`.
    fn authenticate(&self, token_hash: &Digest32, now_ms: u64) -> StorageResult<DeviceAuth>;
    /// Stores a page of the device's changes (rules in [`crate::push`]).
    fn push(
        &self,
        device: &DeviceAuth,
        changes: &[Change],
        now_ms: u64,
    ) -> StorageResult<PushOutcome>;
    /// Changes of the device's commune after `after`, scanning at most `limit` rows.
    fn pull(&self, device: &DeviceAuth, after: u64, limit: usize) -> StorageResult<PullPage>;
    /// Whether the device's commune still has change `change_id` numbered `cursor` (what the
    /// device last read): `false` after the server was restored from an older backup.
    fn cursor_holds(
        &self,
        device: &DeviceAuth,
        cursor: u64,
        change_id: Uuid,
    ) -> StorageResult<bool>;
    /// The device's own changes with a sequence number above `after_seq`, at most `limit`.
    fn own(&self, device: &DeviceAuth, after_seq: u64, limit: usize) -> StorageResult<OwnPage>;
    /// Those of `ids` the server holds for the device's commune (or refused).
    fn known(&self, device: &DeviceAuth, ids: &[Uuid]) -> StorageResult<Vec<Uuid>>;
    /// This database's identity, made when it was first opened by a build that has one.
    fn server_id(&self) -> StorageResult<Uuid>;
    /// All devices, by commune then enrollment.
    fn devices(&self) -> StorageResult<Vec<DeviceRow>>;
    /// Notes that a device finished a sync now (its pull reached the end of its commune's
    /// changes, which the app asks only after pushing everything it had).
    fn note_synced(&self, device: DeviceId, now_ms: u64) -> StorageResult<()>;
    /// Revokes a device's token. Errors: `NotFound` for an unknown device.
    fn revoke(&self, device: DeviceId, now_ms: u64) -> StorageResult<()>;
    /// The records of `commune` (every commune's when `None`), in one snapshot.
    fn records(&self, commune: Option<&str>) -> StorageResult<Vec<RecordRow>>;
    /// A number that grows whenever the records of `commune` change: the last server sequence
    /// number published to it (a change, or the copy of one when a child moves in; a child
    /// moving out is published to it too). 0 when nothing was. The dashboard keeps a commune's
    /// records while this stays the same (`crate::report_cache`).
    fn commune_version(&self, commune: &str) -> StorageResult<u64>;
    /// The name of the area the server serves, once named.
    fn area_name(&self) -> StorageResult<Option<String>>;
    /// Names the area the server serves.
    fn set_area_name(&self, name: &str) -> StorageResult<()>;
    /// Adds a dashboard account; `false` when the name is taken.
    fn add_user(&self, user: &UserRow) -> StorageResult<bool>;
    /// The dashboard's accounts, by name.
    fn users(&self) -> StorageResult<Vec<UserRow>>;
    /// One account.
    fn user(&self, name: &str) -> StorageResult<Option<UserRow>>;
    /// Removes an account and ends its sessions; `false` when there was none.
    fn remove_user(&self, name: &str) -> StorageResult<bool>;
    /// Records the account's wrong-password count and lock-out (`crate::accounts::failed`).
    fn set_failures(
        &self,
        name: &str,
        failures: u32,
        since_ms: u64,
        locked_until_ms: u64,
    ) -> StorageResult<()>;
    /// Starts a session (clearing the account's failures, noting the sign-in) and deletes the
    /// sessions last used before `stale_before_ms`.
    fn start_session(&self, session: &WebSession, stale_before_ms: u64) -> StorageResult<()>;
    /// The session of a cookie, with its account's role.
    fn session(&self, token_hash: &Digest32) -> StorageResult<Option<SessionRow>>;
    /// Notes that a session was used now.
    fn touch_session(&self, token_hash: &Digest32, now_ms: u64) -> StorageResult<()>;
    /// Ends a session (sign-out, expiry).
    fn end_session(&self, token_hash: &Digest32) -> StorageResult<()>;
    /// The enrollment codes, newest first (`/admin/codes`).
    fn enroll_codes(&self) -> StorageResult<Vec<EnrollCodeRow>>;
    /// Withdraws an enrollment code not used yet: it expires now. `false` when there is no such
    /// code, or it was used or withdrawn already.
    fn revoke_enroll_code(&self, code_hash: &Digest32, now_ms: u64) -> StorageResult<bool>;
    /// Sets the reporting period and its due day (the latest set is the one shown).
    fn set_deadline(&self, deadline: &DeadlineRow) -> StorageResult<()>;
    /// The reporting period set last, if any.
    fn deadline(&self) -> StorageResult<Option<DeadlineRow>>;
    /// Records a release whose package is in place; `false` when one of that file name is
    /// stored already.
    fn add_release(&self, release: &ReleaseRow) -> StorageResult<bool>;
    /// The releases, every kind of PC, in the order added.
    fn releases(&self) -> StorageResult<Vec<ReleaseRow>>;
}

/// A record's current state as the server holds it (`crate::records`).
#[derive(Clone, Debug, PartialEq)]
pub struct RecordRow {
    /// Kind of record.
    pub entity: bvte_protocol::Entity,
    /// The record.
    pub id: Uuid,
    /// Its commune now.
    pub commune: String,
    /// Its merged state ([`bvte_protocol::record::Record`] as JSON), read by whoever needs
    /// it: a report needs only the fields (`crate::report::domain_records`).
    pub state: String,
    /// Whether a deletion took effect on it (a child with a case still counts).
    pub deleted: bool,
}

/// The key of the area's name in the server's facts.
pub const AREA_NAME: &str = "area_name";

/// The database file inside the data folder.
pub const DB_FILE: &str = "server.db";

/// Where the server's data lives. No `Debug`: a PostgreSQL URL may hold a password.
pub enum Location {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL database, by its URL.
    Postgres(String),
}

/// Where the data lives: `database_url` when given, else the URL `init` remembered in
/// `DIR/server.toml`, else SQLite in `DIR/server.db`.
///
/// Errors: `Invalid` for an unknown URL scheme or an invalid `server.toml`; `Unavailable` for
/// an unreadable `server.toml`.
pub fn locate(data: &Path, database_url: Option<&str>) -> StorageResult<Location> {
    let remembered;
    let url = match database_url {
        Some(url) => Some(url),
        None => {
            remembered = crate::settings::database_url(data)?;
            remembered.as_deref()
        }
    };
    Ok(match url {
        None => Location::Sqlite(data.join(DB_FILE)),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Location::Postgres(url.to_owned())
        }
        Some(url) => match url.strip_prefix("sqlite://") {
            Some(p) => Location::Sqlite(PathBuf::from(p)),
            None => {
                // Not repeated: it could be a mistyped URL holding a password.
                return Err(StorageError::invalid(
                    "Địa chỉ cơ sở dữ liệu không hợp lệ: hãy dùng postgres://NGƯỜI_DÙNG:MẬT_KHẨU@MÁY/TÊN_CSDL hoặc sqlite://ĐƯỜNG_DẪN",
                    "invalid database URL: use postgres://USER:PASSWORD@HOST/DATABASE or sqlite://PATH",
                ));
            }
        },
    })
}

/// Fails unless `location` holds no server data yet (what `init` checks before writing).
///
/// Errors: `Invalid` when data exists; for PostgreSQL, connection errors.
pub fn check_absent(location: &Location) -> StorageResult<()> {
    match location {
        Location::Sqlite(path) if path.exists() => Err(StorageError::invalid(
            format!(
                "Đã có cơ sở dữ liệu {}: không ghi đè. Hãy chọn thư mục khác hoặc sao lưu rồi xóa tệp này",
                path.display()
            ),
            format!("{} already exists: not overwritten", path.display()),
        )),
        Location::Sqlite(_) => Ok(()),
        Location::Postgres(url) => postgres::PostgresStorage::check_absent(url),
    }
}

/// Opens the storage at `location`. `create` makes a new database (refusing an existing one);
/// otherwise it must exist.
///
/// Errors: `Invalid` for an existing database when creating or a bad URL; `NotFound` when the
/// database does not exist; `Unavailable` when PostgreSQL cannot be reached; storage errors.
pub fn open_at(location: &Location, create: bool) -> StorageResult<Arc<dyn Storage>> {
    Ok(match (location, create) {
        (Location::Sqlite(path), true) => Arc::new(sqlite::SqliteStorage::create(path)?),
        (Location::Sqlite(path), false) => Arc::new(sqlite::SqliteStorage::open(path)?),
        (Location::Postgres(url), true) => Arc::new(postgres::PostgresStorage::create(url)?),
        (Location::Postgres(url), false) => Arc::new(postgres::PostgresStorage::open(url)?),
    })
}

/// Opens the storage chosen by `database_url` or remembered in the data folder (see
/// [`locate`]); `create` as in [`open_at`].
///
/// Errors: those of [`locate`] and [`open_at`].
pub fn open(
    data: &Path,
    database_url: Option<&str>,
    create: bool,
) -> StorageResult<Arc<dyn Storage>> {
    open_at(&locate(data, database_url)?, create)
}
