//! The app's releases in SQLite (`storage::releases`).

use super::{SqliteStorage, lock};
use crate::error::StorageResult;
use crate::storage::ReleaseRow;
use crate::storage::releases::Manifest;
use rusqlite::params;

impl SqliteStorage {
    pub(super) fn add_release_impl(&self, r: &ReleaseRow) -> StorageResult<bool> {
        let m = &r.manifest;
        let n = lock(&self.writer).execute(
            "INSERT INTO releases (file, version, target, notes, released_on, size, sha256,
                 signature, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (file) DO NOTHING",
            params![
                m.file,
                m.version,
                m.target,
                m.notes,
                m.date,
                m.size,
                m.sha256,
                m.signature,
                r.added_at_ms
            ],
        )?;
        Ok(n == 1)
    }

    pub(super) fn releases_impl(&self) -> StorageResult<Vec<ReleaseRow>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT file, version, target, notes, released_on, size, sha256, signature,
                        added_at
                 FROM releases ORDER BY added_at, file",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(ReleaseRow {
                    manifest: Manifest {
                        file: r.get(0)?,
                        version: r.get(1)?,
                        target: r.get(2)?,
                        notes: r.get(3)?,
                        date: r.get(4)?,
                        size: r.get(5)?,
                        sha256: r.get(6)?,
                        signature: r.get(7)?,
                    },
                    added_at_ms: r.get(8)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }
}
