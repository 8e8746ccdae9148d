//! SQLite backend: one file in the data folder, WAL, `synchronous = FULL` (a committed push
//! survives a power cut), one writing connection behind a mutex and a few reading ones.

mod accounts;
mod admin;
mod migrate;
mod records;
mod releases;
mod sync;

use crate::codes::Digest32;
use crate::error::{Refusal, StorageError, StorageResult};
use crate::storage::{
    CommuneRow, DeviceAuth, DeviceRow, Enrollment, OwnPage, PullPage, PushOutcome, RecordRow,
    SessionRow, Storage, UserRow, WebSession,
};
use bvte_protocol::{Change, DeviceId};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use uuid::Uuid;

/// How long a writer waits for another process (the CLI) holding the database.
const BUSY_TIMEOUT_MS: u64 = 5_000;

/// `last_seen` is refreshed at most this often outside a push (it costs a write).
const LAST_SEEN_EVERY_MS: u64 = 10_000;

/// The SQLite storage.
pub struct SqliteStorage {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StorageError::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StorageError::Busy,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StorageError::Corrupt,
            _ => StorageError::Backend(e.to_string()),
        }
    }
}

/// Locks a mutex; a panic elsewhere leaves the connection usable (transactions roll back on drop).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Opens one connection with the server's settings.
fn connect(path: &Path, flags: OpenFlags) -> StorageResult<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StorageError::Backend(format!("journal_mode {mode}")));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(conn)
}

impl SqliteStorage {
    /// Creates a new database at `path`.
    ///
    /// Errors: `Invalid` when one exists already; database errors.
    pub fn create(path: &Path) -> StorageResult<Self> {
        if path.exists() {
            return Err(StorageError::invalid(
                format!(
                    "Đã có cơ sở dữ liệu {}: không ghi đè. Hãy chọn thư mục khác hoặc sao lưu rồi xóa tệp này",
                    path.display()
                ),
                format!("{} already exists: not overwritten", path.display()),
            ));
        }
        Self::start(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )
    }

    /// Opens an existing database and brings its schema up to date.
    ///
    /// Errors: `NotFound` when it does not exist; `SchemaTooNew`; database errors.
    pub fn open(path: &Path) -> StorageResult<Self> {
        if !path.is_file() {
            return Err(StorageError::not_found(
                format!(
                    "Chưa có cơ sở dữ liệu {}: hãy chạy `bvte-server init --data THƯ_MỤC` trước",
                    path.display()
                ),
                format!(
                    "no database at {}: run `bvte-server init --data DIR` first",
                    path.display()
                ),
            ));
        }
        Self::start(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
    }

    fn start(path: &Path, flags: OpenFlags) -> StorageResult<Self> {
        let mut writer = connect(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        migrate::migrate(&mut writer, path)?;
        // This database's identity, made once.
        writer.execute(
            "INSERT INTO server_meta (key, value) VALUES ('server_id', ?1)
             ON CONFLICT (key) DO NOTHING",
            [Uuid::now_v7().to_string()],
        )?;
        Ok(SqliteStorage {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        })
    }

    /// Runs `f` on a reading connection (opened on demand, kept for reuse).
    fn read<T>(&self, f: impl FnOnce(&Connection) -> StorageResult<T>) -> StorageResult<T> {
        let pooled = lock(&self.readers).pop();
        let conn = match pooled {
            Some(c) => c,
            None => connect(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?,
        };
        let out = f(&conn);
        lock(&self.readers).push(conn);
        out
    }
}

fn device_id(text: String) -> rusqlite::Result<DeviceId> {
    DeviceId::parse_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

impl Storage for SqliteStorage {
    fn add_commune(&self, code: &str, now_ms: u64) -> StorageResult<bool> {
        let conn = lock(&self.writer);
        let n = conn.execute(
            "INSERT INTO communes (code, added_at) VALUES (?1, ?2) ON CONFLICT (code) DO NOTHING",
            params![code, now_ms],
        )?;
        Ok(n == 1)
    }

    fn communes(&self) -> StorageResult<Vec<CommuneRow>> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare_cached("SELECT code, added_at FROM communes ORDER BY code")?;
            let rows = stmt.query_map([], |r| {
                Ok(CommuneRow {
                    code: r.get(0)?,
                    added_at_ms: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn add_enroll_code(
        &self,
        code_hash: &Digest32,
        commune: &str,
        now_ms: u64,
        expires_ms: u64,
    ) -> StorageResult<()> {
        let conn = lock(&self.writer);
        let known: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM communes WHERE code = ?1)",
            [commune],
            |r| r.get(0),
        )?;
        if !known {
            return Err(super::unknown_commune(commune));
        }
        conn.execute(
            "INSERT INTO enroll_codes (code_hash, commune_code, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![&code_hash[..], commune, now_ms, expires_ms],
        )?;
        Ok(())
    }

    fn enroll(&self, e: &Enrollment) -> StorageResult<DeviceAuth> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let code: Option<(String, u64, Option<u64>)> = tx
            .query_row(
                "SELECT commune_code, expires_at, used_at FROM enroll_codes WHERE code_hash = ?1",
                [&e.code_hash[..]],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((commune, expires_at, used_at)) = code else {
            return Err(StorageError::Refused(Refusal::CodeInvalid));
        };
        let previous: Option<String> = tx
            .query_row(
                "SELECT commune_code FROM devices WHERE device_id = ?1",
                [e.device_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        super::check_enroll_code(e, &commune, expires_at, used_at.is_some())?;
        let (device_id, renewal) = super::enrolled_id(e, &commune, previous.as_deref());
        let id = device_id.to_string();
        tx.execute(
            "UPDATE enroll_codes SET used_at = ?1, used_by = ?2 WHERE code_hash = ?3",
            params![e.now_ms, &id, &e.code_hash[..]],
        )?;
        let acked_seq: u64 = if renewal {
            tx.query_row(
                "UPDATE devices SET name = ?2, officer = ?3, token_hash = ?4, enrolled_at = ?5,
                     last_seen = ?5
                 WHERE device_id = ?1 RETURNING acked_seq",
                params![&id, &e.device_name, &e.officer, &e.token_hash[..], e.now_ms],
                |r| r.get(0),
            )?
        } else {
            tx.execute(
                "INSERT INTO devices (device_id, name, officer, commune_code, token_hash,
                     enrolled_at, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![
                    &id,
                    &e.device_name,
                    &e.officer,
                    &commune,
                    &e.token_hash[..],
                    e.now_ms
                ],
            )?;
            0
        };
        tx.commit()?;
        Ok(DeviceAuth {
            device_id,
            commune_code: commune,
            acked_seq,
            officer: super::author_of(e.officer.clone(), &e.device_name),
        })
    }

    fn authenticate(&self, token_hash: &Digest32, now_ms: u64) -> StorageResult<DeviceAuth> {
        type Row = (
            String,
            String,
            u64,
            Option<u64>,
            Option<u64>,
            String,
            String,
        );
        let row: Option<Row> = self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT device_id, commune_code, acked_seq, revoked_at, last_seen, officer, name
                 FROM devices WHERE token_hash = ?1",
            )?;
            Ok(stmt
                .query_row([&token_hash[..]], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                })
                .optional()?)
        })?;
        let Some((id, commune_code, acked_seq, revoked_at, last_seen, officer, name)) = row else {
            return Err(StorageError::Refused(Refusal::Unauthorized));
        };
        if revoked_at.is_some() {
            return Err(StorageError::Refused(Refusal::Revoked));
        }
        if last_seen.is_none_or(|seen| now_ms.saturating_sub(seen) >= LAST_SEEN_EVERY_MS) {
            let conn = lock(&self.writer);
            conn.prepare_cached("UPDATE devices SET last_seen = ?1 WHERE device_id = ?2")?
                .execute(params![now_ms, &id])?;
        }
        Ok(DeviceAuth {
            device_id: device_id(id)?,
            commune_code,
            acked_seq,
            officer: super::author_of(officer, &name),
        })
    }

    fn push(
        &self,
        device: &DeviceAuth,
        changes: &[Change],
        now_ms: u64,
    ) -> StorageResult<PushOutcome> {
        sync::push(&mut lock(&self.writer), device, changes, now_ms)
    }

    fn pull(&self, device: &DeviceAuth, after: u64, limit: usize) -> StorageResult<PullPage> {
        self.read(|conn| sync::pull(conn, device, after, limit))
    }

    fn cursor_holds(
        &self,
        device: &DeviceAuth,
        cursor: u64,
        change_id: Uuid,
    ) -> StorageResult<bool> {
        self.read(|conn| sync::cursor_holds(conn, device, cursor, change_id))
    }

    fn own(&self, device: &DeviceAuth, after_seq: u64, limit: usize) -> StorageResult<OwnPage> {
        self.read(|conn| sync::own(conn, device, after_seq, limit))
    }

    fn known(&self, device: &DeviceAuth, ids: &[Uuid]) -> StorageResult<Vec<Uuid>> {
        self.read(|conn| sync::known(conn, device, ids))
    }

    fn server_id(&self) -> StorageResult<Uuid> {
        self.read(|conn| {
            let id: String = conn.query_row(
                "SELECT value FROM server_meta WHERE key = 'server_id'",
                [],
                |r| r.get(0),
            )?;
            Uuid::parse_str(&id).map_err(|_| StorageError::Corrupt)
        })
    }

    fn devices(&self) -> StorageResult<Vec<DeviceRow>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT device_id, name, commune_code, enrolled_at, last_seen, acked_seq, revoked_at,
                     officer, last_sync
                 FROM devices ORDER BY commune_code, enrolled_at",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(DeviceRow {
                    device_id: device_id(r.get(0)?)?,
                    name: r.get(1)?,
                    officer: r.get(7)?,
                    commune_code: r.get(2)?,
                    enrolled_at_ms: r.get(3)?,
                    last_seen_ms: r.get(4)?,
                    last_sync_ms: r.get(8)?,
                    acked_seq: r.get(5)?,
                    revoked_at_ms: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn note_synced(&self, device: DeviceId, now_ms: u64) -> StorageResult<()> {
        lock(&self.writer)
            .prepare_cached("UPDATE devices SET last_sync = ?1 WHERE device_id = ?2")?
            .execute(rusqlite::params![now_ms, device.to_string()])?;
        Ok(())
    }

    fn revoke(&self, device: DeviceId, now_ms: u64) -> StorageResult<()> {
        let conn = lock(&self.writer);
        let n = conn.execute(
            "UPDATE devices SET revoked_at = coalesce(revoked_at, ?1) WHERE device_id = ?2",
            params![now_ms, device.to_string()],
        )?;
        if n == 0 {
            return Err(StorageError::not_found(
                format!("Không có thiết bị {device}: xem danh sách bằng `bvte-server device list`"),
                format!("no device {device}: see `bvte-server device list`"),
            ));
        }
        Ok(())
    }

    fn records(&self, commune: Option<&str>) -> StorageResult<Vec<RecordRow>> {
        self.read(|conn| {
            conn.execute_batch("BEGIN DEFERRED")?;
            let rows = records::read(conn, commune);
            conn.execute_batch(if rows.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
            rows
        })
    }

    fn commune_version(&self, commune: &str) -> StorageResult<u64> {
        self.read(|conn| records::version(conn, commune))
    }

    fn area_name(&self) -> StorageResult<Option<String>> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT value FROM server_meta WHERE key = ?1",
                    [super::AREA_NAME],
                    |r| r.get(0),
                )
                .optional()?)
        })
    }

    fn set_area_name(&self, name: &str) -> StorageResult<()> {
        lock(&self.writer).execute(
            "INSERT INTO server_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![super::AREA_NAME, name],
        )?;
        Ok(())
    }

    fn add_user(&self, user: &UserRow) -> StorageResult<bool> {
        self.add_user_impl(user)
    }

    fn users(&self) -> StorageResult<Vec<UserRow>> {
        self.users_impl()
    }

    fn user(&self, name: &str) -> StorageResult<Option<UserRow>> {
        self.user_impl(name)
    }

    fn remove_user(&self, name: &str) -> StorageResult<bool> {
        self.remove_user_impl(name)
    }

    fn set_failures(
        &self,
        name: &str,
        failures: u32,
        since_ms: u64,
        locked_until_ms: u64,
    ) -> StorageResult<()> {
        self.set_failures_impl(name, failures, since_ms, locked_until_ms)
    }

    fn start_session(&self, session: &WebSession, stale_before_ms: u64) -> StorageResult<()> {
        self.start_session_impl(session, stale_before_ms)
    }

    fn session(&self, token_hash: &Digest32) -> StorageResult<Option<SessionRow>> {
        self.session_impl(token_hash)
    }

    fn touch_session(&self, token_hash: &Digest32, now_ms: u64) -> StorageResult<()> {
        self.touch_session_impl(token_hash, now_ms)
    }

    fn end_session(&self, token_hash: &Digest32) -> StorageResult<()> {
        self.end_session_impl(token_hash)
    }

    fn enroll_codes(&self) -> StorageResult<Vec<crate::storage::EnrollCodeRow>> {
        self.enroll_codes_impl()
    }

    fn revoke_enroll_code(&self, code_hash: &Digest32, now_ms: u64) -> StorageResult<bool> {
        self.revoke_enroll_code_impl(code_hash, now_ms)
    }

    fn set_deadline(&self, deadline: &crate::storage::DeadlineRow) -> StorageResult<()> {
        self.set_deadline_impl(deadline)
    }

    fn deadline(&self) -> StorageResult<Option<crate::storage::DeadlineRow>> {
        self.deadline_impl()
    }

    fn add_release(&self, release: &crate::storage::ReleaseRow) -> StorageResult<bool> {
        self.add_release_impl(release)
    }

    fn releases(&self) -> StorageResult<Vec<crate::storage::ReleaseRow>> {
        self.releases_impl()
    }
}
