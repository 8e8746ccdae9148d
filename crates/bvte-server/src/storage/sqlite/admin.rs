//! The enrollment codes' listing and withdrawal and the reporting deadline in SQLite
//! (`storage::admin`).

use super::{SqliteStorage, lock};
use crate::codes::Digest32;
use crate::error::{StorageError, StorageResult};
use crate::storage::admin::{day_from_db, day_to_db};
use crate::storage::{DeadlineRow, EnrollCodeRow};
use rusqlite::{OptionalExtension, params};

impl SqliteStorage {
    pub(super) fn enroll_codes_impl(&self) -> StorageResult<Vec<EnrollCodeRow>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT code_hash, commune_code, created_at, expires_at, used_at, used_by,
                        revoked_at
                 FROM enroll_codes ORDER BY created_at DESC, commune_code",
            )?;
            let rows = stmt.query_map([], |r| {
                let hash: Vec<u8> = r.get(0)?;
                Ok((
                    hash,
                    EnrollCodeRow {
                        code_hash: [0; 32],
                        commune_code: r.get(1)?,
                        created_at_ms: r.get(2)?,
                        expires_at_ms: r.get(3)?,
                        used_at_ms: r.get(4)?,
                        used_by: r.get(5)?,
                        revoked_at_ms: r.get(6)?,
                    },
                ))
            })?;
            rows.map(|row| {
                let (hash, mut code) = row?;
                code.code_hash = hash.try_into().map_err(|_| StorageError::Corrupt)?;
                Ok(code)
            })
            .collect()
        })
    }

    pub(super) fn revoke_enroll_code_impl(
        &self,
        code_hash: &Digest32,
        now_ms: u64,
    ) -> StorageResult<bool> {
        let n = lock(&self.writer).execute(
            "UPDATE enroll_codes SET revoked_at = ?2, expires_at = min(expires_at, ?2)
             WHERE code_hash = ?1 AND used_at IS NULL AND revoked_at IS NULL",
            params![&code_hash[..], now_ms],
        )?;
        Ok(n == 1)
    }

    pub(super) fn set_deadline_impl(&self, d: &DeadlineRow) -> StorageResult<()> {
        lock(&self.writer).execute(
            "INSERT INTO reporting_deadlines (title, period_from, period_to, due_on, set_by,
                 set_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                d.title,
                day_to_db(d.from),
                day_to_db(d.to),
                day_to_db(d.due_on),
                d.set_by,
                d.set_at_ms
            ],
        )?;
        Ok(())
    }

    pub(super) fn deadline_impl(&self) -> StorageResult<Option<DeadlineRow>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT title, period_from, period_to, due_on, set_by, set_at
                 FROM reporting_deadlines ORDER BY id DESC LIMIT 1",
            )?;
            let row = stmt
                .query_row([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, u64>(5)?,
                    ))
                })
                .optional()?;
            row.map(|(title, from, to, due, set_by, set_at_ms)| {
                Ok(DeadlineRow {
                    title,
                    from: day_from_db(&from)?,
                    to: day_from_db(&to)?,
                    due_on: day_from_db(&due)?,
                    set_by,
                    set_at_ms,
                })
            })
            .transpose()
        })
    }
}
