//! The app's releases in PostgreSQL (`storage::releases`).

use super::{PostgresStorage, from_db, to_db};
use crate::error::StorageResult;
use crate::storage::ReleaseRow;
use crate::storage::releases::Manifest;

impl PostgresStorage {
    pub(super) fn add_release_impl(&self, r: &ReleaseRow) -> StorageResult<bool> {
        let m = &r.manifest;
        let size = to_db(m.size)?;
        let added = to_db(r.added_at_ms)?;
        self.pool.with(|conn| {
            let st = conn.stmt(
                "INSERT INTO releases (file, version, target, notes, released_on, size, sha256,
                     signature, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (file) DO NOTHING",
            )?;
            let n = conn.client.execute(
                &st,
                &[
                    &m.file,
                    &m.version,
                    &m.target,
                    &m.notes,
                    &m.date,
                    &size,
                    &m.sha256,
                    &m.signature,
                    &added,
                ],
            )?;
            Ok(n == 1)
        })
    }

    pub(super) fn releases_impl(&self) -> StorageResult<Vec<ReleaseRow>> {
        self.pool.with(|conn| {
            let st = conn.stmt(
                "SELECT file, version, target, notes, released_on, size, sha256, signature,
                        added_at
                 FROM releases ORDER BY added_at, file",
            )?;
            conn.client
                .query(&st, &[])?
                .iter()
                .map(|r| {
                    Ok(ReleaseRow {
                        manifest: Manifest {
                            file: r.try_get(0)?,
                            version: r.try_get(1)?,
                            target: r.try_get(2)?,
                            notes: r.try_get(3)?,
                            date: r.try_get(4)?,
                            size: from_db(r.try_get(5)?)?,
                            sha256: r.try_get(6)?,
                            signature: r.try_get(7)?,
                        },
                        added_at_ms: from_db(r.try_get(8)?)?,
                    })
                })
                .collect()
        })
    }
}
