//! PostgreSQL backend, for a province or the nation (design §5): the same tables and rules as
//! SQLite, a small pool of connections (sync `postgres` client, no TLS: the database sits on
//! the same machine or the district LAN), durable commits (PostgreSQL's default
//! `synchronous_commit = on`), so a `kill -9` leaves a push page whole or absent.

mod accounts;
mod admin;
mod connect;
mod migrate;
mod pool;
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
use connect::Target;
use pool::{Pool, prepared};
use uuid::Uuid;

/// `last_seen` is refreshed at most this often outside a push (it costs a write).
const LAST_SEEN_EVERY_MS: u64 = 10_000;

/// The PostgreSQL storage.
pub struct PostgresStorage {
    pool: Pool,
}

/// A number for a `BIGINT` column.
fn to_db(v: u64) -> StorageResult<i64> {
    i64::try_from(v).map_err(|_| StorageError::Backend(format!("{v} is too large to store")))
}

/// A number read from a `BIGINT` column that holds no negative values.
fn from_db(v: i64) -> StorageResult<u64> {
    u64::try_from(v).map_err(|_| StorageError::Corrupt)
}

/// An optional number read from a `BIGINT` column.
fn from_db_opt(v: Option<i64>) -> StorageResult<Option<u64>> {
    v.map(from_db).transpose()
}

impl PostgresStorage {
    /// Fails unless the database at `url` can be reached and holds no BVTE schema yet (checked
    /// by `init` before it writes anything).
    ///
    /// Errors: `Invalid` for a bad URL or an initialised database; `Unavailable`.
    pub fn check_absent(url: &str) -> StorageResult<()> {
        let target = Target::parse(url)?;
        let mut client = target.connect()?;
        if migrate::initialised(&mut client)? {
            return Err(migrate::already_initialised(&target));
        }
        Ok(())
    }

    /// Creates the schema in the (empty) database at `url`.
    ///
    /// Errors: `Invalid` for a bad URL or a database that holds a BVTE schema already;
    /// `Unavailable`; database errors.
    pub fn create(url: &str) -> StorageResult<Self> {
        Self::start(url, true)
    }

    /// Opens the database at `url` and brings its schema up to date.
    ///
    /// Errors: `Invalid` for a bad URL; `Unavailable`; `NotFound` for a database without a
    /// BVTE schema; `SchemaTooNew`; database errors.
    pub fn open(url: &str) -> StorageResult<Self> {
        Self::start(url, false)
    }

    fn start(url: &str, create: bool) -> StorageResult<Self> {
        let target = Target::parse(url)?;
        let mut client = target.connect()?;
        migrate::migrate(&mut client, &target, create)?;
        // This database's identity, made once.
        client.execute(
            "INSERT INTO server_meta (key, value) VALUES ('server_id', $1)
             ON CONFLICT (key) DO NOTHING",
            &[&Uuid::now_v7().to_string()],
        )?;
        Ok(PostgresStorage {
            pool: Pool::new(target, client),
        })
    }
}

impl Storage for PostgresStorage {
    fn add_commune(&self, code: &str, now_ms: u64) -> StorageResult<bool> {
        self.pool.with(|conn| {
            let st = conn.stmt(
                "INSERT INTO communes (code, added_at) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING",
            )?;
            Ok(conn.client.execute(&st, &[&code, &to_db(now_ms)?])? == 1)
        })
    }

    fn communes(&self) -> StorageResult<Vec<CommuneRow>> {
        self.pool.with(|conn| {
            let st = conn.stmt("SELECT code, added_at FROM communes ORDER BY code")?;
            conn.client
                .query(&st, &[])?
                .iter()
                .map(|r| -> StorageResult<CommuneRow> {
                    Ok(CommuneRow {
                        code: r.try_get(0)?,
                        added_at_ms: from_db(r.try_get(1)?)?,
                    })
                })
                .collect()
        })
    }

    fn add_enroll_code(
        &self,
        code_hash: &Digest32,
        commune: &str,
        now_ms: u64,
        expires_ms: u64,
    ) -> StorageResult<()> {
        self.pool.with(|conn| {
            let st = conn.stmt("SELECT EXISTS (SELECT 1 FROM communes WHERE code = $1)")?;
            let known: bool = conn.client.query_one(&st, &[&commune])?.try_get(0)?;
            if !known {
                return Err(super::unknown_commune(commune));
            }
            let st = conn.stmt(
                "INSERT INTO enroll_codes (code_hash, commune_code, created_at, expires_at)
                 VALUES ($1, $2, $3, $4)",
            )?;
            let hash: &[u8] = code_hash;
            conn.client.execute(
                &st,
                &[&hash, &commune, &to_db(now_ms)?, &to_db(expires_ms)?],
            )?;
            Ok(())
        })
    }

    fn enroll(&self, e: &Enrollment) -> StorageResult<DeviceAuth> {
        self.pool.with(|conn| {
            let pool::Conn { client, cache } = conn;
            let mut tx = client.transaction()?;
            let code_hash: &[u8] = &e.code_hash;
            // FOR UPDATE: the same code used twice at once is used once.
            let st = prepared(
                cache,
                &mut tx,
                "SELECT commune_code, expires_at, used_at FROM enroll_codes
                 WHERE code_hash = $1 FOR UPDATE",
            )?;
            let Some(row) = tx.query_opt(&st, &[&code_hash])? else {
                return Err(StorageError::Refused(Refusal::CodeInvalid));
            };
            let commune: String = row.try_get(0)?;
            let expires_at = from_db(row.try_get(1)?)?;
            let used_at: Option<i64> = row.try_get(2)?;
            let st = prepared(
                cache,
                &mut tx,
                "SELECT commune_code FROM devices WHERE device_id = $1",
            )?;
            let previous: Option<String> = tx
                .query_opt(&st, &[&e.device_id])?
                .map(|r| r.try_get(0))
                .transpose()?;
            super::check_enroll_code(e, &commune, expires_at, used_at.is_some())?;
            let (device_id, renewal) = super::enrolled_id(e, &commune, previous.as_deref());
            let now = to_db(e.now_ms)?;
            let st = prepared(
                cache,
                &mut tx,
                "UPDATE enroll_codes SET used_at = $1, used_by = $2 WHERE code_hash = $3",
            )?;
            tx.execute(&st, &[&now, &device_id, &code_hash])?;
            let token_hash: &[u8] = &e.token_hash;
            let acked: i64 = if renewal {
                let st = prepared(
                    cache,
                    &mut tx,
                    "UPDATE devices SET name = $2, officer = $3, token_hash = $4,
                         enrolled_at = $5, last_seen = $5
                     WHERE device_id = $1 RETURNING acked_seq",
                )?;
                tx.query_one(
                    &st,
                    &[&device_id, &e.device_name, &e.officer, &token_hash, &now],
                )?
                .try_get(0)?
            } else {
                let st = prepared(
                    cache,
                    &mut tx,
                    "INSERT INTO devices (device_id, name, officer, commune_code, token_hash,
                         enrolled_at, last_seen)
                     VALUES ($1, $2, $3, $4, $5, $6, $6)",
                )?;
                tx.execute(
                    &st,
                    &[
                        &device_id,
                        &e.device_name,
                        &e.officer,
                        &commune,
                        &token_hash,
                        &now,
                    ],
                )?;
                0
            };
            tx.commit()?;
            Ok(DeviceAuth {
                device_id,
                commune_code: commune,
                acked_seq: from_db(acked)?,
                officer: super::author_of(e.officer.clone(), &e.device_name),
            })
        })
    }

    fn authenticate(&self, token_hash: &Digest32, now_ms: u64) -> StorageResult<DeviceAuth> {
        self.pool.with(|conn| {
            let st = conn.stmt(
                "SELECT device_id, commune_code, acked_seq, revoked_at, last_seen, officer, name
                 FROM devices WHERE token_hash = $1",
            )?;
            let hash: &[u8] = token_hash;
            let Some(row) = conn.client.query_opt(&st, &[&hash])? else {
                return Err(StorageError::Refused(Refusal::Unauthorized));
            };
            let device_id: DeviceId = row.try_get(0)?;
            let revoked_at: Option<i64> = row.try_get(3)?;
            if revoked_at.is_some() {
                return Err(StorageError::Refused(Refusal::Revoked));
            }
            let last_seen = from_db_opt(row.try_get(4)?)?;
            if last_seen.is_none_or(|seen| now_ms.saturating_sub(seen) >= LAST_SEEN_EVERY_MS) {
                let st = conn.stmt("UPDATE devices SET last_seen = $1 WHERE device_id = $2")?;
                conn.client.execute(&st, &[&to_db(now_ms)?, &device_id])?;
            }
            Ok(DeviceAuth {
                device_id,
                commune_code: row.try_get(1)?,
                acked_seq: from_db(row.try_get(2)?)?,
                officer: super::author_of(row.try_get(5)?, row.try_get(6)?),
            })
        })
    }

    fn push(
        &self,
        device: &DeviceAuth,
        changes: &[Change],
        now_ms: u64,
    ) -> StorageResult<PushOutcome> {
        self.pool
            .with(|conn| sync::push(conn, device, changes, now_ms))
    }

    fn pull(&self, device: &DeviceAuth, after: u64, limit: usize) -> StorageResult<PullPage> {
        self.pool
            .with(|conn| sync::pull(conn, device, after, limit))
    }

    fn cursor_holds(
        &self,
        device: &DeviceAuth,
        cursor: u64,
        change_id: Uuid,
    ) -> StorageResult<bool> {
        self.pool
            .with(|conn| sync::cursor_holds(conn, device, cursor, change_id))
    }

    fn own(&self, device: &DeviceAuth, after_seq: u64, limit: usize) -> StorageResult<OwnPage> {
        self.pool
            .with(|conn| sync::own(conn, device, after_seq, limit))
    }

    fn known(&self, device: &DeviceAuth, ids: &[Uuid]) -> StorageResult<Vec<Uuid>> {
        self.pool.with(|conn| sync::known(conn, device, ids))
    }

    fn server_id(&self) -> StorageResult<Uuid> {
        self.pool.with(|conn| {
            let st = conn.stmt("SELECT value FROM server_meta WHERE key = 'server_id'")?;
            let id: String = conn.client.query_one(&st, &[])?.try_get(0)?;
            Uuid::parse_str(&id).map_err(|_| StorageError::Corrupt)
        })
    }

    fn devices(&self) -> StorageResult<Vec<DeviceRow>> {
        self.pool.with(|conn| {
            let st = conn.stmt(
                "SELECT device_id, name, commune_code, enrolled_at, last_seen, acked_seq, revoked_at,
                     officer, last_sync
                 FROM devices ORDER BY commune_code, enrolled_at",
            )?;
            conn.client
                .query(&st, &[])?
                .iter()
                .map(|r| -> StorageResult<DeviceRow> {
                    Ok(DeviceRow {
                        device_id: r.try_get(0)?,
                        name: r.try_get(1)?,
                        officer: r.try_get(7)?,
                        commune_code: r.try_get(2)?,
                        enrolled_at_ms: from_db(r.try_get(3)?)?,
                        last_seen_ms: from_db_opt(r.try_get(4)?)?,
                        last_sync_ms: from_db_opt(r.try_get(8)?)?,
                        acked_seq: from_db(r.try_get(5)?)?,
                        revoked_at_ms: from_db_opt(r.try_get(6)?)?,
                    })
                })
                .collect()
        })
    }

    fn note_synced(&self, device: DeviceId, now_ms: u64) -> StorageResult<()> {
        let now = to_db(now_ms)?;
        self.pool.with(|conn| {
            let st = conn.stmt("UPDATE devices SET last_sync = $1 WHERE device_id = $2")?;
            conn.client.execute(&st, &[&now, &device])?;
            Ok(())
        })
    }

    fn revoke(&self, device: DeviceId, now_ms: u64) -> StorageResult<()> {
        self.pool.with(|conn| {
            let st = conn.stmt(
                "UPDATE devices SET revoked_at = coalesce(revoked_at, $1) WHERE device_id = $2",
            )?;
            let n = conn.client.execute(&st, &[&to_db(now_ms)?, &device])?;
            if n == 0 {
                return Err(StorageError::not_found(
                    format!(
                        "Không có thiết bị {device}: xem danh sách bằng `bvte-server device list`"
                    ),
                    format!("no device {device}: see `bvte-server device list`"),
                ));
            }
            Ok(())
        })
    }

    fn records(&self, commune: Option<&str>) -> StorageResult<Vec<RecordRow>> {
        // One statement, so one snapshot.
        self.pool.with(|conn| records::read(conn, commune))
    }

    fn commune_version(&self, commune: &str) -> StorageResult<u64> {
        self.pool.with(|conn| records::version(conn, commune))
    }

    fn area_name(&self) -> StorageResult<Option<String>> {
        self.pool.with(|conn| {
            let st = conn.stmt("SELECT value FROM server_meta WHERE key = $1")?;
            let row = conn.client.query_opt(&st, &[&super::AREA_NAME])?;
            Ok(row.map(|r| r.try_get(0)).transpose()?)
        })
    }

    fn set_area_name(&self, name: &str) -> StorageResult<()> {
        self.pool.with(|conn| {
            let st = conn.stmt(
                "INSERT INTO server_meta (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?;
            conn.client.execute(&st, &[&super::AREA_NAME, &name])?;
            Ok(())
        })
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
