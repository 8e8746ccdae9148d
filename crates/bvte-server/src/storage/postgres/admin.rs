//! The enrollment codes' listing and withdrawal and the reporting deadline in PostgreSQL
//! (`storage::admin`).

use super::{PostgresStorage, from_db, from_db_opt, to_db};
use crate::codes::Digest32;
use crate::error::{StorageError, StorageResult};
use crate::storage::admin::{day_from_db, day_to_db};
use crate::storage::{DeadlineRow, EnrollCodeRow};
use uuid::Uuid;

impl PostgresStorage {
    pub(super) fn enroll_codes_impl(&self) -> StorageResult<Vec<EnrollCodeRow>> {
        self.pool.with(|conn| {
            let st = conn.stmt(
                "SELECT code_hash, commune_code, created_at, expires_at, used_at, used_by,
                        revoked_at
                 FROM enroll_codes ORDER BY created_at DESC, commune_code",
            )?;
            conn.client
                .query(&st, &[])?
                .iter()
                .map(|r| {
                    let hash: Vec<u8> = r.try_get(0)?;
                    let used_by: Option<Uuid> = r.try_get(5)?;
                    Ok(EnrollCodeRow {
                        code_hash: hash.try_into().map_err(|_| StorageError::Corrupt)?,
                        commune_code: r.try_get(1)?,
                        created_at_ms: from_db(r.try_get(2)?)?,
                        expires_at_ms: from_db(r.try_get(3)?)?,
                        used_at_ms: from_db_opt(r.try_get(4)?)?,
                        used_by: used_by.map(|u| u.to_string()),
                        revoked_at_ms: from_db_opt(r.try_get(6)?)?,
                    })
                })
                .collect()
        })
    }

    pub(super) fn revoke_enroll_code_impl(
        &self,
        code_hash: &Digest32,
        now_ms: u64,
    ) -> StorageResult<bool> {
        let now = to_db(now_ms)?;
        self.pool.with(|conn| {
            let st = conn.stmt(
                "UPDATE enroll_codes SET revoked_at = $2, expires_at = least(expires_at, $2)
                 WHERE code_hash = $1 AND used_at IS NULL AND revoked_at IS NULL",
            )?;
            let hash: &[u8] = code_hash;
            Ok(conn.client.execute(&st, &[&hash, &now])? == 1)
        })
    }

    pub(super) fn set_deadline_impl(&self, d: &DeadlineRow) -> StorageResult<()> {
        let set_at = to_db(d.set_at_ms)?;
        self.pool.with(|conn| {
            let st = conn.stmt(
                "INSERT INTO reporting_deadlines (title, period_from, period_to, due_on, set_by,
                     set_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )?;
            conn.client.execute(
                &st,
                &[
                    &d.title,
                    &day_to_db(d.from),
                    &day_to_db(d.to),
                    &day_to_db(d.due_on),
                    &d.set_by,
                    &set_at,
                ],
            )?;
            Ok(())
        })
    }

    pub(super) fn deadline_impl(&self) -> StorageResult<Option<DeadlineRow>> {
        self.pool.with(|conn| {
            let st = conn.stmt(
                "SELECT title, period_from, period_to, due_on, set_by, set_at
                 FROM reporting_deadlines ORDER BY id DESC LIMIT 1",
            )?;
            conn.client
                .query_opt(&st, &[])?
                .map(|r| {
                    Ok(DeadlineRow {
                        title: r.try_get(0)?,
                        from: day_from_db(r.try_get(1)?)?,
                        to: day_from_db(r.try_get(2)?)?,
                        due_on: day_from_db(r.try_get(3)?)?,
                        set_by: r.try_get(4)?,
                        set_at_ms: from_db(r.try_get(5)?)?,
                    })
                })
                .transpose()
        })
    }
}
