//! Backups and restore as an office uses them (issue 14): a backup file per commune and moment,
//! the last few kept in a folder (a USB stick is typical), and a restore that first says what it
//! would replace and refuses another commune's register. The file itself is `bvte-store`'s.

use crate::Session;
use crate::error::CoreError;
use bvte_domain::Instant;
use bvte_store::backup as file;
use bvte_store::{BackupError, BackupInfo, BackupJob, Unlock};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The extension of backup files.
pub const EXTENSION: &str = "bvte-backup";

/// The version written into backups.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a restore would do, shown before the officer agrees.
#[derive(Debug, Clone, Serialize)]
pub struct RestorePlan {
    /// What the backup says about itself.
    pub backup: BackupInfo,
    /// The register the restore would replace, when there is one.
    pub replaces: Option<Replaced>,
}

/// The register a restore would replace.
#[derive(Debug, Clone, Serialize)]
pub struct Replaced {
    /// Its commune.
    pub commune_code: String,
    /// Children in it now.
    pub children: u64,
    /// Changes recorded on this PC and not yet sent to the server: what would be lost from this
    /// PC (they stay in the kept copy) unless they were synced first.
    pub unsent_changes: u64,
}

/// `now` in Vietnam time as `20261207-183005`, for file names.
fn stamp(now: Instant) -> String {
    now.with_timezone(&bvte_domain::time::vietnam())
        .format("%Y%m%d-%H%M%S")
        .to_string()
}

/// The name of a backup of `commune` taken at `now`: sorts by time, says whose it is.
pub fn file_name(commune: &str, now: Instant) -> String {
    format!("bvte-{commune}-{}.{EXTENSION}", stamp(now))
}

/// A backup file found for the restore list.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FoundBackup {
    /// Where it is.
    pub path: String,
    /// The commune's code.
    pub commune_code: String,
    /// The commune's name and province, as the officer knows it.
    pub commune_name: String,
    /// When it was taken (RFC 3339).
    pub taken_at: String,
    /// The BVTE version that made it.
    pub bvte_version: String,
    /// Its size in bytes.
    pub size_bytes: u64,
}

/// The backups in `dirs` and their subfolders two levels down (a USB stick's own folders),
/// newest first. Files that are not readable backups are left out; nothing is opened beyond
/// the header.
pub fn find_backups(dirs: &[PathBuf]) -> Vec<FoundBackup> {
    fn walk(dir: &Path, depth: u8, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() && depth > 0 {
                walk(&p, depth - 1, out);
            } else if p.extension().is_some_and(|x| x == EXTENSION) {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    for d in dirs {
        walk(d, 2, &mut files);
    }
    files.sort();
    files.dedup();
    let mut found: Vec<FoundBackup> = files
        .into_iter()
        .filter_map(|p| {
            let info = file::read_info(&p).ok()?;
            let commune_name = match bvte_domain::reference::units().lookup(&info.commune_code) {
                bvte_domain::units::CommuneLookup::Current(c) => {
                    format!("{}, {}", c.name, c.province_name)
                }
                _ => info.commune_code.clone(),
            };
            Some(FoundBackup {
                path: p.to_string_lossy().into_owned(),
                commune_code: info.commune_code,
                commune_name,
                taken_at: info.taken_at,
                bvte_version: info.bvte_version,
                size_bytes: info.db_bytes,
            })
        })
        .collect();
    found.sort_by(|a, b| b.taken_at.cmp(&a.taken_at));
    found
}

/// Where a backup is looked for on a PC: the usual backup folder, the folders IT named in
/// `BVTE_BACKUP_DIRS` (separated like PATH: a network share where the office keeps copies),
/// and removable drives (Linux mounts them under /media/<user> or /run/media/<user>; Windows
/// gives them letters).
pub fn usual_places(backup_folder: &Path) -> Vec<PathBuf> {
    let mut v = vec![backup_folder.to_path_buf()];
    if let Some(dirs) = std::env::var_os("BVTE_BACKUP_DIRS") {
        v.extend(std::env::split_paths(&dirs));
    }
    if cfg!(windows) {
        v.extend(('D'..='Z').map(|l| PathBuf::from(format!("{l}:\\"))));
    } else {
        let user = std::env::var("USER").unwrap_or_default();
        for base in ["/media", "/run/media"] {
            if !user.is_empty() {
                v.push(Path::new(base).join(&user));
            }
            v.push(PathBuf::from(base));
        }
    }
    v
}

impl Session {
    /// Writes a backup of the register to the new file `out`.
    ///
    /// Errors: the file exists; a full disk (nothing left at `out`); file errors.
    pub fn backup(&self, out: &Path, now: Instant) -> Result<BackupInfo, CoreError> {
        self.require(crate::access::Action::Backup)?;
        // Entered first, so the backup holds its own entry.
        self.note(now, bvte_store::AuditAction::Backup, "register", "")?;
        Ok(self.store.backup(out, VERSION, now)?)
    }

    /// Writes a backup into `folder` (made when missing) under `file_name`, then removes this
    /// commune's oldest backups there beyond the last `keep` (never another commune's, never a
    /// file BVTE did not name). Returns the new file.
    ///
    /// Errors: those of `backup`; a backup that fails removes nothing.
    pub fn backup_to_folder(
        &self,
        folder: &Path,
        keep: usize,
        now: Instant,
    ) -> Result<PathBuf, CoreError> {
        self.require(crate::access::Action::Backup)?;
        let commune = self.store.installation().commune_code.clone();
        self.note(now, bvte_store::AuditAction::Backup, "register", "")?;
        write_into_folder(&self.store.backup_job()?, &commune, folder, keep, now)
    }
}

/// Writes `job` into `folder` (made when missing) under `file_name`, then removes `commune`'s
/// oldest backups there beyond the last `keep`. Needs no session: it may run on another thread.
pub(crate) fn write_into_folder(
    job: &BackupJob,
    commune: &str,
    folder: &Path,
    keep: usize,
    now: Instant,
) -> Result<PathBuf, CoreError> {
    std::fs::create_dir_all(folder).map_err(|source| bvte_store::StoreError::Io {
        path: folder.to_path_buf(),
        source,
    })?;
    let out = folder.join(file_name(commune, now));
    job.write(&out, VERSION, now)?;
    let prefix = format!("bvte-{commune}-");
    let mut mine: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    let name = p.file_name().unwrap_or_default().to_string_lossy();
                    name.starts_with(&prefix) && name.ends_with(&format!(".{EXTENSION}"))
                })
                .collect()
        })
        .unwrap_or_default();
    mine.sort();
    let extra = mine.len().saturating_sub(keep.max(1));
    for old in &mine[..extra] {
        let _ = std::fs::remove_file(old);
    }
    Ok(out)
}

/// What restoring `from` over `current` (the register now at the restore's path, unlocked;
/// `None` when there is none) would do.
///
/// Errors: the backup is not readable (not a backup, truncated, from a newer BVTE); it holds
/// another commune's register than `current`.
pub fn plan_restore(from: &Path, current: Option<&Session>) -> Result<RestorePlan, CoreError> {
    let backup = file::read_info(from)?;
    let replaces = match current {
        None => None,
        Some(s) => {
            // Replacing a register is the local admin's (issue 14); on a PC without one, any
            // account of the backup may restore it, as nothing is replaced.
            s.require(crate::access::Action::Restore)?;
            let commune_code = s.store.installation().commune_code.clone();
            if commune_code != backup.commune_code {
                return Err(bvte_store::StoreError::from(BackupError::OtherCommune {
                    backup: backup.commune_code,
                    current: commune_code,
                })
                .into());
            }
            Some(Replaced {
                commune_code,
                children: s
                    .store
                    .count_children(&bvte_store::children::ChildFilter::default())?,
                unsent_changes: s.store.pending_changes()?,
            })
        }
    };
    Ok(RestorePlan { backup, replaces })
}

/// Restores `from` at `to` (after `plan_restore` was shown and agreed to; the caller has closed
/// any session on `to`). The register it replaces is kept beside it as
/// `<to>.truoc-khoi-phuc-<time>`. Opening the result migrates an older backup forward.
///
/// Errors: those of the store's restore (damaged, wrong passphrase…): then nothing changed.
pub fn restore(
    from: &Path,
    to: &Path,
    unlock: Unlock<'_>,
    now: Instant,
) -> Result<(BackupInfo, Option<PathBuf>), CoreError> {
    let suffix = format!(".truoc-khoi-phuc-{}", stamp(now));
    Ok(file::restore(from, to, unlock, &suffix)?)
}

/// On a PC with no register yet (a new or repaired PC): restores the backup `from` as `db` and
/// unlocks it with `passphrase`, the one in use when the backup was taken.
///
/// Errors: a register exists already at `db` (restore from Settings instead); those of
/// `restore`.
pub fn restore_at_setup(
    db: &Path,
    from: &Path,
    passphrase: &str,
    now: Instant,
) -> Result<Session, CoreError> {
    if db.exists() {
        return Err(bvte_store::StoreError::AlreadyExists(db.to_path_buf()).into());
    }
    let (info, _) = restore(from, db, Unlock::AnyPassphrase(passphrase), now)?;
    let session = Session::open(
        db,
        Unlock::AnyPassphrase(passphrase),
        bvte_store::Origin::Ui,
    )?;
    session.note_restore(&info, now)?;
    Ok(session)
}

impl Session {
    /// Enters that this register was restored from the backup `info` describes.
    pub fn note_restore(&self, info: &BackupInfo, now: Instant) -> Result<(), CoreError> {
        self.note(
            now,
            bvte_store::AuditAction::Restore,
            "register",
            &format!("bản sao lưu lúc {}", info.taken_at),
        )
    }
}
