//! Schema migrations: append-only `.sql` files embedded at compile time, applied in order in one
//! transaction each. `PRAGMA user_version` holds how many have been applied, so a build that
//! meets a database from a newer build refuses it instead of damaging it.

use crate::error::{StorageError, StorageResult};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The migrations, oldest first. Never edit or reorder a landed entry; append new ones.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "20261201100000_create_server",
        include_str!("../../../migrations/20261201100000_create_server.sql"),
    ),
    (
        "20261201200000_moves",
        include_str!("../../../migrations/20261201200000_moves.sql"),
    ),
    (
        "20261207100000_hardening",
        include_str!("../../../migrations/20261207100000_hardening.sql"),
    ),
    (
        RECORDS,
        include_str!("../../../migrations/20261207200000_records.sql"),
    ),
    (
        "20261207300000_accounts",
        include_str!("../../../migrations/20261207300000_accounts.sql"),
    ),
    (
        "20261207400000_admin_deadlines",
        include_str!("../../../migrations/20261207400000_admin_deadlines.sql"),
    ),
    (
        "20261208100000_releases",
        include_str!("../../../migrations/20261208100000_releases.sql"),
    ),
];

/// The migration that makes the records' table, which the server then fills from the change
/// log in the same transaction (`records::rebuild`).
pub const RECORDS: &str = "20261207200000_records";

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database at `path` up to date. An older one is first copied beside it as
/// `server.db.truoc-nang-cap-N` (N: its schema; `-2`, `-3`… when taken), owner-only, never
/// overwritten nor deleted (issue 13, "Safe upgrades").
///
/// Errors: `SchemaTooNew` for a database from a newer build; `DiskFull`; database errors.
pub fn migrate(conn: &mut Connection, path: &Path) -> StorageResult<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > latest() {
        return Err(StorageError::SchemaTooNew {
            found: current,
            known: latest(),
        });
    }
    if current > 0 && current < latest() {
        keep_copy(conn, path, current)?;
    }
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        if *name == RECORDS {
            super::records::rebuild(&tx)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// Copies the database (a consistent snapshot, the write-ahead log included) beside `path`.
fn keep_copy(conn: &Connection, path: &Path, version: i64) -> StorageResult<PathBuf> {
    let name = |n: u32| {
        let mut s = path.as_os_str().to_owned();
        match n {
            1 => s.push(format!(".truoc-nang-cap-{version}")),
            n => s.push(format!(".truoc-nang-cap-{version}-{n}")),
        }
        PathBuf::from(s)
    };
    let to = (1..).map(name).find(|p| !p.exists()).expect("a free name");
    conn.execute("VACUUM INTO ?1", [to.to_string_lossy()])?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| StorageError::Backend(format!("{}: {e}", to.display())))?;
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::sqlite::SqliteStorage;

    fn copies(dir: &std::path::Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".truoc-nang-cap-"))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn an_older_database_is_copied_beside_it_before_it_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        let older = latest() as usize - 1;
        {
            let conn = Connection::open(&path).unwrap();
            for (_, sql) in &MIGRATIONS[..older] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", older as i64)
                .unwrap();
            conn.execute(
                "INSERT INTO server_meta (key, value) VALUES ('area_name', 'Tỉnh Ninh Bình')",
                [],
            )
            .unwrap();
        }

        drop(SqliteStorage::open(&path).unwrap());

        assert_eq!(
            copies(dir.path()),
            [format!("server.db.truoc-nang-cap-{older}")]
        );
        // The copy is the database as it was: the older schema and its data.
        let copy =
            Connection::open(dir.path().join(format!("server.db.truoc-nang-cap-{older}"))).unwrap();
        let version: i64 = copy
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, older as i64);
        let area: String = copy
            .query_row(
                "SELECT value FROM server_meta WHERE key = 'area_name'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(area, "Tỉnh Ninh Bình");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let p = dir.path().join(format!("server.db.truoc-nang-cap-{older}"));
            let mode = std::fs::metadata(p).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the copy is owner-only");
        }

        // Up to date now: no second copy; a new database gets none either.
        drop(SqliteStorage::open(&path).unwrap());
        drop(SqliteStorage::create(&dir.path().join("new.db")).unwrap());
        assert_eq!(copies(dir.path()).len(), 1);
    }
}
