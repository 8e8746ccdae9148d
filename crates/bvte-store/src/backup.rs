//! Backups (issue 14): one file that holds a consistent snapshot of the encrypted database and
//! the key envelope that opens it, after a short header in clear that says whose register it
//! is, when it was taken and by which BVTE, so a restore can show that before asking for the
//! passphrase.
//!
//! Layout: the magic line `BVTE-SAO-LUU 1\n`, the header's length (u32, little-endian), the
//! header (JSON), then the database pages exactly as SQLCipher encrypted them. Nothing in the
//! file is readable without the passphrase or the recovery code: the header holds codes, dates
//! and the wrapped keys only.
//!
//! The snapshot is taken with SQLite's online backup API from a second connection in one step:
//! in WAL mode that is one read transaction, so the officer's connection keeps writing while it
//! runs and the copy is the database as it was at one instant. The file is written beside its
//! final name and renamed when complete, so a full disk or a crash never leaves a half backup
//! under a backup's name, and earlier backups are never touched.
//!
//! A restore checks, before anything is replaced: the magic and the header, the length (a
//! truncated copy), the SHA-256 of the pages (damage), the passphrase, SQLCipher's page
//! authentication (`cipher_integrity_check`, which catches an edited page) and that the pages
//! belong to the commune and device the header names. The database it replaces is kept beside
//! it, renamed, never deleted.

use crate::keys::{DbKey, Envelope, envelope_path};
use crate::{Result, Store, StoreError, Unlock, connect, migrate, private, with_suffix};
use rusqlite::backup::{Backup, StepResult};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The first bytes of every backup file.
pub const MAGIC: &[u8] = b"BVTE-SAO-LUU 1\n";
/// The header format this build writes and reads.
const FORMAT: u32 = 1;
/// A header is a few hundred bytes; anything larger is not a BVTE backup.
const MAX_HEADER: u32 = 1 << 20;

/// What a backup says about itself, readable without the passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupInfo {
    /// Header format.
    pub format: u32,
    /// The commune whose register it holds.
    pub commune_code: String,
    /// The device that made it.
    pub device_id: String,
    /// When it was taken (RFC 3339).
    pub taken_at: String,
    /// The BVTE version that made it.
    pub bvte_version: String,
    /// The database's schema version.
    pub schema_version: i64,
    /// Changes recorded on that device and not yet sent to the server when it was taken.
    pub unsent_changes: u64,
    /// Size of the database pages.
    pub db_bytes: u64,
    /// SHA-256 of the database pages (hex).
    pub db_sha256: String,
}

#[derive(Serialize, Deserialize)]
struct Header {
    #[serde(flatten)]
    info: BackupInfo,
    /// The key envelope (`<db>.keys`): the database key wrapped by the passphrase and by the
    /// recovery code as they were when the backup was taken.
    keys: String,
}

/// Why a backup cannot be made or used. Each says what to do; none carries personal data.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The file does not start like a BVTE backup.
    #[error("Tệp {0} không phải bản sao lưu BVTE. Hãy chọn tệp .bvte-backup do BVTE tạo ra.")]
    NotABackup(PathBuf),
    /// Shorter than its header says: copied or downloaded only in part.
    #[error(
        "Bản sao lưu {0} bị thiếu phần cuối (chép chưa hết hoặc ổ đĩa bị rút ra giữa chừng). Hãy dùng một bản sao lưu khác; không có gì bị thay đổi."
    )]
    Truncated(PathBuf),
    /// The pages do not match the header's checksum, or SQLCipher's page check fails.
    #[error(
        "Bản sao lưu {path} đã bị hỏng hoặc bị sửa ({reason}). Hãy dùng một bản sao lưu khác; không có gì bị thay đổi."
    )]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
    /// A header format this build does not know.
    #[error(
        "Bản sao lưu {0} do phiên bản BVTE mới hơn tạo ra. Hãy cập nhật BVTE rồi khôi phục; không có gì bị thay đổi."
    )]
    TooNew(PathBuf),
    /// The backup's commune is not the register being replaced.
    #[error(
        "Bản sao lưu là của xã có mã {backup}, còn cơ sở dữ liệu này là của xã {current}. Không khôi phục sổ của xã khác đè lên; không có gì bị thay đổi."
    )]
    OtherCommune {
        /// The backup's commune.
        backup: String,
        /// The current database's commune.
        current: String,
    },
    /// The backup file name is taken.
    #[error("Đã có tệp {0}. Hãy chọn tên khác; không ghi đè bản sao lưu đang có.")]
    Exists(PathBuf),
}

impl BackupError {
    /// A stable code.
    pub fn code(&self) -> &'static str {
        match self {
            BackupError::NotABackup(_) => "backup_not_a_backup",
            BackupError::Truncated(_) => "backup_truncated",
            BackupError::Damaged { .. } => "backup_damaged",
            BackupError::TooNew(_) => "backup_too_new",
            BackupError::OtherCommune { .. } => "backup_other_commune",
            BackupError::Exists(_) => "backup_exists",
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            BackupError::NotABackup(p) => format!(
                "{} is not a BVTE backup; choose a .bvte-backup file made by BVTE.",
                p.display()
            ),
            BackupError::Truncated(p) => format!(
                "The backup {} is cut short (not copied completely); use another backup. Nothing was changed.",
                p.display()
            ),
            BackupError::Damaged { path, reason } => format!(
                "The backup {} is damaged or was altered ({reason}); use another backup. Nothing was changed.",
                path.display()
            ),
            BackupError::TooNew(p) => format!(
                "The backup {} was made by a newer BVTE; update BVTE first. Nothing was changed.",
                p.display()
            ),
            BackupError::OtherCommune { backup, current } => format!(
                "The backup belongs to commune {backup}, this database to commune {current}; another commune's register is never restored over it. Nothing was changed."
            ),
            BackupError::Exists(p) => format!(
                "{} exists already; choose another name (backups are never overwritten).",
                p.display()
            ),
        }
    }
}

pub(crate) fn io_error(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| {
        // ENOSPC (Unix 28); ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL (Windows 112, 39).
        let full: &[i32] = if cfg!(windows) { &[112, 39] } else { &[28] };
        if source.raw_os_error().is_some_and(|n| full.contains(&n))
            || source.kind() == std::io::ErrorKind::StorageFull
        {
            StoreError::DiskFull
        } else {
            StoreError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    }
}

/// A file next to `path`, hidden, that is renamed into place when complete.
fn beside(path: &Path, what: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{what}"))
}

/// Removes the files of a temporary database (and its key file and journals).
fn remove_db_files(db: &Path) {
    for p in [
        db.to_path_buf(),
        envelope_path(db),
        with_suffix(db, "-wal"),
        with_suffix(db, "-shm"),
        with_suffix(db, "-journal"),
    ] {
        let _ = std::fs::remove_file(p);
    }
}

/// What a backup needs, taken from an open store in a moment, so the backup itself can run
/// without it (on another thread, while the officer goes on working).
pub struct BackupJob {
    path: PathBuf,
    key: DbKey,
    commune_code: String,
    device_id: String,
    schema_version: i64,
    unsent_changes: u64,
    keys: String,
}

impl std::fmt::Debug for BackupJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupJob")
            .field("path", &self.path)
            .finish()
    }
}

impl Store {
    /// Prepares a backup of this database (see [`BackupJob::write`]).
    ///
    /// Errors: the key file cannot be read; database errors.
    pub fn backup_job(&self) -> Result<BackupJob> {
        Ok(BackupJob {
            path: self.path.clone(),
            key: self.key.duplicate(),
            commune_code: self.installation.commune_code.clone(),
            device_id: self.installation.device_id.to_string(),
            schema_version: self.installation.schema_version,
            unsent_changes: self.pending_changes()?,
            keys: Envelope::read(&self.path)?.to_json(),
        })
    }

    /// Writes a backup of this database to `out` (a new file).
    ///
    /// Errors: those of [`BackupJob::write`].
    pub fn backup(
        &self,
        out: &Path,
        bvte_version: &str,
        now: bvte_domain::Instant,
    ) -> Result<BackupInfo> {
        self.backup_job()?.write(out, bvte_version, now)
    }
}

impl BackupJob {
    /// Writes the backup to `out` (a new file), from a second connection: the store it was
    /// prepared from stays usable meanwhile. `bvte_version` is the app's version, recorded in
    /// the header.
    ///
    /// Errors: `Backup(Exists)` when `out` exists; `DiskFull` (nothing is left at `out`);
    /// file and database errors.
    pub fn write(
        &self,
        out: &Path,
        bvte_version: &str,
        now: bvte_domain::Instant,
    ) -> Result<BackupInfo> {
        if out.exists() {
            return Err(BackupError::Exists(out.to_path_buf()).into());
        }
        let pages = beside(out, "pages");
        let part = beside(out, "part");
        remove_db_files(&pages);
        let _ = std::fs::remove_file(&part);
        let made = (|| {
            drop(private::create_new(&pages).map_err(io_error(&pages))?);
            snapshot(&self.path, &self.key, &pages)?;
            let (db_bytes, db_sha256) = digest(&pages)?;
            let info = BackupInfo {
                format: FORMAT,
                commune_code: self.commune_code.clone(),
                device_id: self.device_id.clone(),
                taken_at: now.to_rfc3339(),
                bvte_version: bvte_version.to_string(),
                schema_version: self.schema_version,
                unsent_changes: self.unsent_changes,
                db_bytes,
                db_sha256,
            };
            let header = Header {
                info: info.clone(),
                keys: self.keys.clone(),
            };
            let header = serde_json::to_vec(&header).expect("header serialises");
            let io = io_error(&part);
            let mut file = private::create_new(&part).map_err(&io)?;
            file.write_all(MAGIC).map_err(&io)?;
            file.write_all(&(header.len() as u32).to_le_bytes())
                .map_err(&io)?;
            file.write_all(&header).map_err(&io)?;
            std::io::copy(&mut File::open(&pages).map_err(&io)?, &mut file).map_err(&io)?;
            file.sync_all().map_err(&io)?;
            drop(file);
            if out.exists() {
                return Err(BackupError::Exists(out.to_path_buf()).into());
            }
            std::fs::rename(&part, out).map_err(io_error(out))?;
            sync_dir(out);
            Ok(info)
        })();
        remove_db_files(&pages);
        if made.is_err() {
            let _ = std::fs::remove_file(&part);
        }
        made
    }
}

/// Copies the database at `db` into the empty file `to` with the online backup API, from a
/// second connection keyed like the first, in one step (one read transaction: a consistent
/// snapshot that does not hold up the officer's writes in WAL mode).
pub(crate) fn snapshot(db: &Path, key: &DbKey, to: &Path) -> Result<()> {
    let source = connect(db, key, false)?;
    let mut target = connect(to, key, false)?;
    {
        let backup = Backup::new(&source, &mut target)?;
        let mut waits = 0;
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => continue,
                // Busy or locked by a writer's checkpoint: wait a little, then give up.
                _ if waits < 100 => {
                    waits += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                _ => return Err(StoreError::Busy),
            }
        }
    }
    // One file: fold the copy's journal into it.
    target.execute_batch("PRAGMA journal_mode = DELETE;")?;
    drop(target);
    Ok(())
}

/// The length and SHA-256 (hex) of a file.
fn digest(path: &Path) -> Result<(u64, String)> {
    let io = io_error(path);
    let mut reader = BufReader::new(File::open(path).map_err(&io)?);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut len = 0u64;
    loop {
        let n = reader.read(&mut buf).map_err(&io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        len += n as u64;
    }
    Ok((len, hex(&hasher.finalize())))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Makes a rename durable (Unix); elsewhere the rename is enough.
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(Ok(d)) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(File::open)
    {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// A backup file opened and its header read.
struct Opened {
    file: File,
    header: Header,
    /// Where the pages start.
    offset: u64,
}

fn open_backup(from: &Path) -> Result<Opened> {
    let io = io_error(from);
    let mut file = File::open(from).map_err(&io)?;
    let len = file.metadata().map_err(&io)?.len();
    let mut magic = vec![0u8; MAGIC.len()];
    if file.read_exact(&mut magic).is_err() {
        return Err(BackupError::NotABackup(from.to_path_buf()).into());
    }
    if magic != MAGIC {
        // A later format keeps the same first word.
        return Err(if magic.starts_with(b"BVTE-SAO-LUU ") {
            BackupError::TooNew(from.to_path_buf()).into()
        } else {
            BackupError::NotABackup(from.to_path_buf()).into()
        });
    }
    let mut n = [0u8; 4];
    file.read_exact(&mut n)
        .map_err(|_| BackupError::Truncated(from.to_path_buf()))?;
    let n = u32::from_le_bytes(n);
    if n > MAX_HEADER {
        return Err(damaged(from, "phần đầu quá lớn"));
    }
    let mut raw = vec![0u8; n as usize];
    file.read_exact(&mut raw)
        .map_err(|_| BackupError::Truncated(from.to_path_buf()))?;
    let header: Header =
        serde_json::from_slice(&raw).map_err(|_| damaged(from, "phần đầu không đọc được"))?;
    if header.info.format > FORMAT || header.info.schema_version > migrate::latest() {
        return Err(BackupError::TooNew(from.to_path_buf()).into());
    }
    let offset = (MAGIC.len() + 4) as u64 + n as u64;
    match len.checked_sub(offset) {
        Some(rest) if rest == header.info.db_bytes => {}
        Some(rest) if rest < header.info.db_bytes => {
            return Err(BackupError::Truncated(from.to_path_buf()).into());
        }
        _ => return Err(damaged(from, "độ dài không khớp")),
    }
    Ok(Opened {
        file,
        header,
        offset,
    })
}

fn damaged(path: &Path, reason: &str) -> StoreError {
    BackupError::Damaged {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
    .into()
}

/// What a backup says about itself (for the preview before a restore); no passphrase needed.
/// The header is checked for shape, not yet against the pages: `restore` does that.
///
/// Errors: `Backup(NotABackup | Truncated | Damaged | TooNew)`, file errors.
pub fn read_info(from: &Path) -> Result<BackupInfo> {
    Ok(open_backup(from)?.header.info)
}

/// Restores the backup `from` as the database `to`, unlocking it with `unlock` (the passphrase
/// or recovery code of when the backup was taken). Everything is checked before anything is
/// replaced. A database already at `to` is kept beside it, renamed with `kept_suffix` (and its
/// key file and journals with it), and its path returned.
///
/// The caller decides beforehand whether replacing is wanted (another commune, unsent work):
/// see `bvte-core`.
///
/// Errors: `Backup(…)`, `WrongPassphrase`, `DiskFull`, file and database errors; on every
/// error the files at `to` are as they were.
pub fn restore(
    from: &Path,
    to: &Path,
    unlock: Unlock<'_>,
    kept_suffix: &str,
) -> Result<(BackupInfo, Option<PathBuf>)> {
    let mut opened = open_backup(from)?;
    let info = opened.header.info.clone();
    let envelope = Envelope::from_json(&opened.header.keys, from)?;
    let key = match unlock {
        // Any account's passphrase of when the backup was taken opens it.
        Unlock::Passphrase(p) | Unlock::AnyPassphrase(p) => envelope.unlock_with_passphrase(p)?,
        Unlock::Account(name, p) => envelope.unlock_account(Some(name), p)?.0,
        Unlock::Recovery(c) => envelope.unlock_with_recovery(c)?,
    };
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    }
    let staged = beside(to, "restoring");
    remove_db_files(&staged);
    let checked = (|| {
        let io = io_error(&staged);
        let mut out = private::create_new(&staged).map_err(&io)?;
        opened
            .file
            .seek(SeekFrom::Start(opened.offset))
            .map_err(io_error(from))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = opened.file.read(&mut buf).map_err(io_error(from))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(&io)?;
        }
        out.sync_all().map_err(&io)?;
        drop(out);
        if hex(&hasher.finalize()) != info.db_sha256 {
            return Err(damaged(from, "mã kiểm tra SHA-256 không khớp"));
        }
        envelope.write(&staged)?;
        let conn =
            connect(&staged, &key, false).map_err(|_| damaged(from, "khóa không mở được"))?;
        let bad: Vec<String> = {
            let mut stmt = conn.prepare("PRAGMA cipher_integrity_check")?;
            stmt.query_map([], |r| r.get::<_, String>(0))?
                .collect::<std::result::Result<_, _>>()?
        };
        if !bad.is_empty() {
            return Err(damaged(from, "trang dữ liệu không qua kiểm tra xác thực"));
        }
        let quick: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if quick != "ok" {
            return Err(damaged(from, "cấu trúc cơ sở dữ liệu lỗi"));
        }
        let meta = |k: &str| -> Result<String> {
            Ok(conn
                .query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| r.get(0))
                .unwrap_or_default())
        };
        if meta("commune_code")? != info.commune_code || meta("device_id")? != info.device_id {
            return Err(damaged(from, "phần đầu không khớp dữ liệu"));
        }
        conn.execute_batch("PRAGMA journal_mode = WAL;")?;
        Ok(())
    })();
    if let Err(e) = checked {
        remove_db_files(&staged);
        return Err(e);
    }
    // Checked: the old register steps aside (all its files, journals included, so it stays
    // whole), then the restored one takes its name.
    let kept = if to.exists() {
        let kept = with_suffix(to, kept_suffix);
        for (s, t) in [
            (to.to_path_buf(), kept.clone()),
            (envelope_path(to), envelope_path(&kept)),
            (with_suffix(to, "-wal"), with_suffix(&kept, "-wal")),
            (with_suffix(to, "-shm"), with_suffix(&kept, "-shm")),
        ] {
            if s.exists() {
                std::fs::rename(&s, &t).map_err(io_error(&s))?;
            }
        }
        Some(kept)
    } else {
        None
    };
    for (s, t) in [
        (envelope_path(&staged), envelope_path(to)),
        (with_suffix(&staged, "-wal"), with_suffix(to, "-wal")),
        (with_suffix(&staged, "-shm"), with_suffix(to, "-shm")),
        (staged.clone(), to.to_path_buf()),
    ] {
        if s.exists() {
            std::fs::rename(&s, &t).map_err(io_error(&s))?;
        }
    }
    sync_dir(to);
    Ok((info, kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_told_as_such() {
        let path = Path::new("/media/usb/x.bvte-backup");
        let raw = if cfg!(windows) { 112 } else { 28 };
        let e = io_error(path)(std::io::Error::from_raw_os_error(raw));
        assert_eq!(e.code(), "disk_full");
        assert!(e.to_string().contains("Ổ đĩa đã đầy"));
        // Linux's 39 is "directory not empty", not a full disk.
        #[cfg(target_os = "linux")]
        assert_eq!(
            io_error(path)(std::io::Error::from_raw_os_error(39)).code(),
            "io"
        );
    }

    #[test]
    fn temporary_files_are_hidden_beside_their_final_name() {
        assert_eq!(
            beside(Path::new("/b/sao-luu.bvte-backup"), "part"),
            Path::new("/b/.sao-luu.bvte-backup.part")
        );
    }
}
