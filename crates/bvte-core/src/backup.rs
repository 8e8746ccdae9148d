//! Backups and restore as an office uses them (issue 14): a backup file per commune and moment,
//! the last few kept in a folder (a USB stick is typical), and a restore that first says what it
//! would replace and refuses another commune's register. The file itself is `bvte-store`'s.

use crate::Session;
use crate::error::CoreError;
use bvte_domain::Instant;
use bvte_store::backup as file;
use bvte_store::{BackupError, BackupInfo, Unlock};
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

/// The name of a backup of `commune` taken at `now`: sorts by time, says whose it is.
pub fn file_name(commune: &str, now: Instant) -> String {
    format!("bvte-{commune}-{}.{EXTENSION}", now.format("%Y%m%d-%H%M%S"))
}

impl Session {
    /// Writes a backup of the register to the new file `out`.
    ///
    /// Errors: the file exists; a full disk (nothing left at `out`); file errors.
    pub fn backup(&self, out: &Path, now: Instant) -> Result<BackupInfo, CoreError> {
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
        std::fs::create_dir_all(folder).map_err(|source| bvte_store::StoreError::Io {
            path: folder.to_path_buf(),
            source,
        })?;
        let commune = &self.store.installation().commune_code;
        let out = folder.join(file_name(commune, now));
        self.backup(&out, now)?;
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
    let suffix = format!(".truoc-khoi-phuc-{}", now.format("%Y%m%d-%H%M%S"));
    Ok(file::restore(from, to, unlock, &suffix)?)
}
