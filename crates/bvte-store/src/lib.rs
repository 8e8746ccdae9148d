//! # bvte-store — the commune's encrypted register on disk
//!
//! Owns: one SQLCipher-encrypted SQLite file per installation (WAL, foreign keys, synchronous
//! FULL), the key envelope next to it (`keys`), append-only embedded migrations with a schema
//! guard (`migrate`), the repositories for children and cases, Vietnamese-folded full-text
//! search, and the change log that every write appends to in its own transaction, with origin
//! and author (`write`). Text arrives already validated and NFC-normalised by `bvte-domain`.
//! Every file it writes is readable by its owner only (`private`).
//!
//! Must never depend on HTTP, an async runtime or Tauri. Personal data never goes to logs; the
//! errors carry codes and paths, not names.

pub mod accounts;
pub mod apply;
pub mod audit;
pub mod backup;
pub mod cases;
pub mod children;
pub mod conflicts;
pub mod deletion;
pub mod error;
pub mod feed;
pub mod held;
pub mod imports;
pub mod keys;
pub mod migrate;
pub mod private;
pub mod reconcile;
pub mod refusals;
pub mod stats;
pub mod sync;
pub mod upgrade;
pub mod write;

pub use accounts::{Account, AccountError};
pub use apply::Applied;
pub use audit::{AuditAction, AuditCheck, AuditEntry, AuditQuery};
pub use backup::{BackupError, BackupInfo, BackupJob};
pub use conflicts::{Conflict, ConflictSide};
pub use deletion::DeletedChild;
pub use error::{Result, StoreError};
pub use held::HeldSummary;
pub use keys::{KdfParams, RecoveryCode};
pub use reconcile::Reconciled;
pub use refusals::Refusal;
pub use sync::{Enrollment, SyncStatus};
pub use write::{Origin, WriteCtx};

use keys::{DbKey, Envelope};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// How to unlock a database.
#[derive(Debug, Clone, Copy)]
pub enum Unlock<'a> {
    /// A passphrase without an account's name: the only account's, or the single passphrase
    /// of a register made before accounts.
    Passphrase(&'a str),
    /// The passphrase of the account of this name.
    Account(&'a str, &'a str),
    /// The passphrase of whichever account it is (tries each: slower; for opening a restored
    /// backup, where nobody chose an account).
    AnyPassphrase(&'a str),
    /// The recovery code printed at set-up.
    Recovery(&'a RecoveryCode),
}

/// Facts about the installation, kept in the database.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Installation {
    /// The commune this register belongs to (current official code).
    pub commune_code: String,
    /// This device's id in the change log.
    pub device_id: Uuid,
    /// When the database was created (RFC 3339).
    pub created_at: String,
    /// Schema version.
    pub schema_version: i64,
}

/// An open, unlocked database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    installation: Installation,
    /// Kept to open a second connection for a backup while this one goes on working.
    key: DbKey,
    /// The account that unlocked it (`None`: the recovery code).
    account: Option<Account>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Creates a new encrypted database for `commune_code` at `path`, protected by the
    /// passphrase of its first account (the local admin, named `DEFAULT_ADMIN_NAME`).
    /// Returns the store and the recovery code, which is shown once and never stored in clear.
    /// Refuses to touch an existing database or key file.
    pub fn create(
        path: &Path,
        passphrase: &str,
        commune_code: &str,
        kdf: KdfParams,
        now: bvte_domain::Instant,
    ) -> Result<(Store, RecoveryCode)> {
        let admin = Account {
            name: accounts::DEFAULT_ADMIN_NAME.into(),
            role: bvte_domain::role::Role::Admin,
        };
        Store::create_with(path, &admin, passphrase, commune_code, kdf, now)
    }

    /// [`Store::create`] with the first account named.
    pub fn create_with(
        path: &Path,
        account: &Account,
        passphrase: &str,
        commune_code: &str,
        kdf: KdfParams,
        now: bvte_domain::Instant,
    ) -> Result<(Store, RecoveryCode)> {
        let keys_path = keys::envelope_path(path);
        if path.exists() || keys_path.exists() {
            return Err(StoreError::AlreadyExists(path.to_path_buf()));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let (envelope, key, code) = Envelope::create_with_account(account, passphrase, kdf)?;
        envelope.write(path)?;
        let made = (|| {
            // Made empty and owner-only before SQLite opens it: SQLite would create it 0644
            // under the usual umask, and gives its -wal and -shm the database file's mode.
            drop(private::create_new(path).map_err(|source| StoreError::Io {
                path: path.to_path_buf(),
                source,
            })?);
            let mut conn = connect(path, &key, true)?;
            migrate::migrate(&mut conn)?;
            let device_id = Uuid::now_v7();
            let tx = conn.transaction()?;
            for (k, v) in [
                ("commune_code", commune_code.to_string()),
                ("device_id", device_id.to_string()),
                ("created_at", now.to_rfc3339()),
            ] {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                    params![k, v],
                )?;
            }
            tx.commit()?;
            Store::wrap(conn, path, key, Some(account.clone()))
        })();
        match made {
            Ok(store) => Ok((store, code)),
            Err(e) => {
                // Leave nothing half-made behind: a later `init` must be able to start over.
                for p in [
                    path.to_path_buf(),
                    keys_path,
                    with_suffix(path, "-wal"),
                    with_suffix(path, "-shm"),
                ] {
                    let _ = std::fs::remove_file(p);
                }
                Err(e)
            }
        }
    }

    /// Opens and unlocks the database at `path`, migrating it if it is older than this build
    /// after keeping a copy of it beside it (`upgrade`).
    pub fn open(path: &Path, unlock: Unlock<'_>) -> Result<Store> {
        if !path.is_file() {
            return Err(StoreError::NoDatabase(path.to_path_buf()));
        }
        let envelope = Envelope::read(path)?;
        let (key, account) = match unlock {
            Unlock::Passphrase(p) => envelope.unlock_account(None, p)?,
            Unlock::Account(name, p) => envelope.unlock_account(Some(name), p)?,
            Unlock::AnyPassphrase(p) => envelope.unlock_any(p)?,
            Unlock::Recovery(c) => (envelope.unlock_with_recovery(c)?, None),
        };
        // Files left readable by others (an older version, a copy, a restore) are tightened
        // before the database is read; best effort, as a file of another owner cannot be.
        for p in [
            path.to_path_buf(),
            keys::envelope_path(path),
            with_suffix(path, "-wal"),
            with_suffix(path, "-shm"),
        ] {
            let _ = private::restrict(&p);
        }
        let mut conn = connect(path, &key, false)?;
        // An older register is copied beside itself before it is migrated (issue 13).
        let found = migrate::version(&conn)?;
        if found > 0 && found < migrate::latest() {
            upgrade::keep_copy(path, &key, found)?;
        }
        migrate::migrate(&mut conn)?;
        let mut store = Store::wrap(conn, path, key, account)?;
        // A register made before accounts: its passphrase becomes the local admin account.
        if let Unlock::Passphrase(p) | Unlock::Account(_, p) | Unlock::AnyPassphrase(p) = unlock
            && store.account.is_none()
        {
            store.adopt_unnamed(envelope, p);
        }
        Ok(store)
    }

    /// Replaces the passphrase of the account that unlocks (or, with the recovery code, of
    /// the only account).
    pub fn change_passphrase(path: &Path, unlock: Unlock<'_>, new_passphrase: &str) -> Result<()> {
        let mut envelope = Envelope::read(path)?;
        let (key, name) = match unlock {
            Unlock::Passphrase(p) => envelope.unlock_account(None, p)?,
            Unlock::Account(name, p) => envelope.unlock_account(Some(name), p)?,
            Unlock::AnyPassphrase(p) => envelope.unlock_any(p)?,
            Unlock::Recovery(c) => (envelope.unlock_with_recovery(c)?, None),
        };
        envelope.set_account_passphrase(
            &key,
            name.as_ref().map(|a| a.name.as_str()),
            new_passphrase,
        )?;
        envelope.write(path)?;
        Ok(())
    }

    /// After the recovery code has opened the database: sets `new_passphrase` and replaces the
    /// recovery code with a new one, in one write of the key file. The code used no longer
    /// opens the database (it was typed somewhere and may have been seen). Returns the new code,
    /// to show once.
    ///
    /// Errors: `WrongPassphrase` when `code` does not unwrap the key; key file errors.
    /// `account` names whose passphrase is set; it may be left out when there is only one.
    pub fn recover(
        path: &Path,
        code: &RecoveryCode,
        account: Option<&str>,
        new_passphrase: &str,
    ) -> Result<RecoveryCode> {
        let mut envelope = Envelope::read(path)?;
        let key = envelope.unlock_with_recovery(code)?;
        envelope.set_account_passphrase(&key, account, new_passphrase)?;
        let fresh = envelope.set_recovery(&key)?;
        envelope.write(path)?;
        Ok(fresh)
    }

    fn wrap(conn: Connection, path: &Path, key: DbKey, account: Option<Account>) -> Result<Store> {
        let get = |k: &str| -> Result<String> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::Corrupt {
                    path: path.to_path_buf(),
                    reason: format!("thiếu thông tin cài đặt “{k}”"),
                })
        };
        let installation = Installation {
            commune_code: get("commune_code")?,
            device_id: get("device_id")?.parse().map_err(|_| StoreError::Corrupt {
                path: path.to_path_buf(),
                reason: "mã thiết bị không hợp lệ".into(),
            })?,
            created_at: get("created_at")?,
            schema_version: conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
        };
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            installation,
            key,
            account,
        })
    }

    /// The installation facts.
    pub fn installation(&self) -> &Installation {
        &self.installation
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A local setting (officer name, commune header, idle lock…), not synced.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [format!("setting.{key}")],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Sets a local setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![format!("setting.{key}"), value],
        )?;
        Ok(())
    }

    /// Every page checked: SQLCipher's page authentication and SQLite's integrity check. Empty
    /// when the database is whole; otherwise what the checks said (no personal data: page and
    /// table names only).
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut problems: Vec<String> = {
            let mut stmt = self.conn.prepare("PRAGMA cipher_integrity_check")?;
            stmt.query_map([], |r| r.get::<_, String>(0))?
                .collect::<std::result::Result<_, _>>()?
        };
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let sqlite: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<std::result::Result<_, _>>()?;
        problems.extend(sqlite.into_iter().filter(|l| l != "ok"));
        Ok(problems)
    }

    /// The SQLCipher and SQLite versions in use.
    pub fn engine_versions(&self) -> Result<(String, String)> {
        let cipher: String = self
            .conn
            .query_row("PRAGMA cipher_version", [], |r| r.get(0))?;
        let sqlite: String = self
            .conn
            .query_row("SELECT sqlite_version()", [], |r| r.get(0))?;
        Ok((cipher, sqlite))
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Opens the file with the key and sets the connection up; tells a wrong key file apart from a
/// file that is not an encrypted database at all.
fn connect(path: &Path, key: &DbKey, create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    // Silence SQLCipher's own stderr logging (a wrong key would print an HMAC error).
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&format!(
        "PRAGMA key = \"{}\";",
        *key.sqlcipher_pragma_value()
    ))?;
    if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        return Err(match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => {
                let header = std::fs::read(path)
                    .map(|b| b.starts_with(b"SQLite format 3\0"))
                    .unwrap_or(false);
                if header {
                    StoreError::Corrupt {
                        path: path.to_path_buf(),
                        reason: "tệp SQLite không mã hóa".into(),
                    }
                } else {
                    StoreError::KeyMismatch(path.to_path_buf())
                }
            }
            _ => e.into(),
        });
    }
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = FULL;
         PRAGMA busy_timeout = 5000;
         PRAGMA cache_size = -65536;",
    )?;
    Ok(conn)
}

impl Store {
    /// Sets the schema version, to test the guard against databases from newer builds.
    #[doc(hidden)]
    pub fn debug_set_user_version(&self, v: i64) -> Result<()> {
        self.conn.pragma_update(None, "user_version", v)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bvte_domain::child::{ChildInput, ValidationContext};

    const FAST: KdfParams = KdfParams {
        m_kib: 256,
        t: 1,
        p: 1,
    };

    fn setup() -> (tempfile::TempDir, Store, WriteCtx, ValidationContext) {
        let dir = tempfile::tempdir().unwrap();
        let now = bvte_domain::time::parse_instant("t", "2026-11-29 09:00").unwrap();
        let (store, _) = Store::create(&dir.path().join("x.db"), "p", "09955", FAST, now).unwrap();
        let w = WriteCtx {
            origin: Origin::Cli,
            author: "A".into(),
            account: String::new(),
            now,
        };
        let ctx = ValidationContext {
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            default_commune: "09955".into(),
        };
        (dir, store, w, ctx)
    }

    fn input(notes: &str) -> ChildInput {
        serde_json::from_value(serde_json::json!({
            "full_name": "Nguyễn Văn A", "date_of_birth": "2015-01-01", "sex": "male",
            "residence_status": "thuong_tru", "notes": notes
        }))
        .unwrap()
    }

    #[test]
    fn a_full_disk_is_reported_and_loses_nothing() {
        let (_dir, mut store, w, ctx) = setup();
        let first = store
            .insert_child(&input("").validate(&ctx).unwrap(), &w)
            .unwrap();
        let pages: i64 = store
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        store
            .conn
            .pragma_update(None, "max_page_count", pages)
            .unwrap();
        let big = "x".repeat(19_000);
        let mut err = None;
        for _ in 0..50 {
            if let Err(e) = store.insert_child(&input(&big).validate(&ctx).unwrap(), &w) {
                err = Some(e);
                break;
            }
        }
        assert!(matches!(err, Some(StoreError::DiskFull)), "{err:?}");
        assert!(err.unwrap().to_string().contains("Ổ đĩa đã đầy"));
        assert_eq!(
            store.child(first.id).unwrap().data.full_name,
            "Nguyễn Văn A"
        );
        let children = store.count_children(&Default::default()).unwrap() as i64;
        assert_eq!(
            store.last_change_seq().unwrap(),
            children,
            "one change per stored child: the failed write left no half"
        );
    }

    #[test]
    fn case_steps_cannot_be_edited_or_deleted() {
        let (_dir, mut store, w, ctx) = setup();
        let c = store
            .insert_child(&input("").validate(&ctx).unwrap(), &w)
            .unwrap();
        let new = bvte_domain::case::NewCase {
            data: bvte_domain::case::CaseData {
                child_id: c.id,
                received_at: w.now,
                category: bvte_domain::case::CaseCategory::Abused,
                abuse_forms: vec![bvte_domain::case::AbuseForm::Neglect],
                environment: bvte_domain::case::Environment::Family,
                incident_commune: "09955".into(),
                residence_commune: "09955".into(),
                incident_place: String::new(),
                channel: bvte_domain::case::Channel::Phone,
                summary: String::new(),
            },
            reporter: None,
            intake: Default::default(),
        };
        store.insert_case(&new, &w).unwrap();
        let upd = store
            .conn
            .execute("UPDATE case_events SET author = 'B'", []);
        assert!(upd.unwrap_err().to_string().contains("append-only"));
        let del = store.conn.execute("DELETE FROM case_events", []);
        assert!(del.unwrap_err().to_string().contains("append-only"));
    }
}
