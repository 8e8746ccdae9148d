//! Safe upgrades (issue 13): before a database from an older BVTE is migrated, a copy of it is
//! kept beside it, with its key file, so a migration that goes wrong (or an update the office
//! wants to undo) never costs the register. `bvte.db` at schema 6 is kept as
//! `bvte.db.truoc-nang-cap-6` and `bvte.db.truoc-nang-cap-6.keys` ("before the upgrade", like a
//! restore's `truoc-khoi-phuc`): the same passphrase opens it, and
//! renamed back to `bvte.db` and `bvte.db.keys` it is the register as it was, for the version
//! that made it. A copy is never overwritten (a second one is `…truoc-nang-cap-6-2`) and never
//! deleted by BVTE.
//!
//! The copy is a consistent snapshot (SQLite's backup API, as for backups), so changes still in
//! the write-ahead log are in it; it is owner-only like the database.

use crate::keys::{DbKey, Envelope, envelope_path};
use crate::{Result, private, with_suffix};
use std::path::{Path, PathBuf};

/// Where the copy of `db`, at schema `version`, is kept: the first name not yet taken.
pub fn copy_path(db: &Path, version: i64) -> PathBuf {
    let mut n = 1;
    loop {
        let suffix = match n {
            1 => format!(".truoc-nang-cap-{version}"),
            n => format!(".truoc-nang-cap-{version}-{n}"),
        };
        let p = with_suffix(db, &suffix);
        if !p.exists() && !envelope_path(&p).exists() {
            return p;
        }
        n += 1;
    }
}

/// Keeps a copy of the database at `db` (at schema `version`, older than this build's) and of
/// its key file, before it is migrated. Returns where the copy is.
///
/// Errors: `DiskFull` and file errors (nothing half-made is left); database errors.
pub(crate) fn keep_copy(db: &Path, key: &DbKey, version: i64) -> Result<PathBuf> {
    let to = copy_path(db, version);
    drop(private::create_new(&to).map_err(crate::backup::io_error(&to))?);
    let made = (|| {
        crate::backup::snapshot(db, key, &to)?;
        Envelope::read(db)?.write(&to)?;
        Ok(())
    })();
    match made {
        Ok(()) => Ok(to),
        Err(e) => {
            for p in [to.clone(), envelope_path(&to), with_suffix(&to, "-journal")] {
                let _ = std::fs::remove_file(p);
            }
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::{MIGRATIONS, latest};
    use crate::{KdfParams, Store, Unlock, connect};

    const FAST: KdfParams = KdfParams {
        m_kib: 256,
        t: 1,
        p: 1,
    };

    /// An encrypted database as a build that knew only the first `version` migrations made it.
    fn older_database(db: &Path, passphrase: &str, version: usize) {
        let (envelope, key, _) = Envelope::create(passphrase, FAST).unwrap();
        envelope.write(db).unwrap();
        drop(private::create_new(db).unwrap());
        let conn = connect(db, &key, true).unwrap();
        for (_, sql) in &MIGRATIONS[..version] {
            conn.execute_batch(sql).unwrap();
        }
        for (k, v) in [
            ("commune_code", "09955"),
            ("device_id", "0192f000-0000-7000-8000-000000000001"),
            ("created_at", "2026-11-29T09:00:00+07:00"),
            ("setting.officer_name", "Cán bộ Đặng Thị Hương"),
        ] {
            conn.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", [k, v])
                .unwrap();
        }
        conn.pragma_update(None, "user_version", version as i64)
            .unwrap();
    }

    fn schema_and_officer(db: &Path, passphrase: &str) -> (i64, String) {
        let key = Envelope::read(db)
            .unwrap()
            .unlock_with_passphrase(passphrase)
            .unwrap();
        let conn = connect(db, &key, false).unwrap();
        let v = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        let officer = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'setting.officer_name'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (v, officer)
    }

    fn copies(dir: &Path) -> Vec<String> {
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
        let db = dir.path().join("bvte.db");
        let older = latest() as usize - 1;
        older_database(&db, "mật khẩu", older);

        let store = Store::open(&db, Unlock::Passphrase("mật khẩu")).unwrap();
        assert_eq!(store.installation().schema_version, latest());
        drop(store);

        let copy = dir.path().join(format!("bvte.db.truoc-nang-cap-{older}"));
        assert_eq!(
            copies(dir.path()),
            [
                format!("bvte.db.truoc-nang-cap-{older}"),
                format!("bvte.db.truoc-nang-cap-{older}.keys")
            ]
        );
        // The copy is the register as it was: the older schema, the same passphrase, the data.
        assert_eq!(
            schema_and_officer(&copy, "mật khẩu"),
            (older as i64, "Cán bộ Đặng Thị Hương".to_string())
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the copy is owner-only");
        }

        // Up to date now: opening it again copies nothing.
        drop(Store::open(&db, Unlock::Passphrase("mật khẩu")).unwrap());
        assert_eq!(copies(dir.path()).len(), 2);
    }

    #[test]
    fn a_copy_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bvte.db");
        std::fs::write(dir.path().join("bvte.db.truoc-nang-cap-3"), b"earlier copy").unwrap();
        assert_eq!(
            copy_path(&db, 3),
            dir.path().join("bvte.db.truoc-nang-cap-3-2")
        );
        assert_eq!(
            copy_path(&db, 4),
            dir.path().join("bvte.db.truoc-nang-cap-4")
        );
    }

    #[test]
    fn a_database_from_a_newer_build_is_refused_and_not_copied() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bvte.db");
        let now = bvte_domain::time::parse_instant("t", "2026-11-29 09:00").unwrap();
        let (store, _) = Store::create(&db, "p", "09955", FAST, now).unwrap();
        store.debug_set_user_version(latest() + 1).unwrap();
        drop(store);
        let err = Store::open(&db, Unlock::Passphrase("p")).unwrap_err();
        assert!(
            matches!(err, crate::StoreError::SchemaTooNew { .. }),
            "{err:?}"
        );
        assert!(copies(dir.path()).is_empty());
    }
}
