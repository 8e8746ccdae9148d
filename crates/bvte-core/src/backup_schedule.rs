//! The desktop app's own backups (issue 14): into the folder chosen in Settings, keeping the
//! newest N; made on "Sao lưu ngay", when the window closes or locks, and once a day, whenever
//! work was recorded since the last one. A backup is decided and prepared under the session in
//! a moment ([`Session::prepare_backup`]), written without it ([`PreparedBackup::run`], so the
//! window keeps answering during a large one), then recorded ([`Session::record_backup`]).

use crate::Session;
use crate::backup::write_into_folder;
use crate::error::CoreError;
use bvte_domain::Instant;
use bvte_store::BackupJob;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Changes with no backup for this long are backed up by the app (the daily backup).
pub const DAILY_SECONDS: i64 = 24 * 3600;

/// When the app last made a backup, and where.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BackupStatus {
    /// The folder backups go to.
    pub folder: String,
    /// The last backup's time (RFC 3339), if any.
    pub last_at: Option<String>,
    /// The last backup's file.
    pub last_file: Option<String>,
    /// Changes recorded since the last backup.
    pub changed_since: bool,
}

/// A backup prepared under the session, to write without it.
#[derive(Debug)]
pub struct PreparedBackup {
    job: BackupJob,
    commune: String,
    folder: PathBuf,
    keep: usize,
    /// The last change it holds.
    seq: i64,
}

/// A backup written, to record in the session.
#[derive(Debug)]
pub struct FinishedBackup {
    file: PathBuf,
    seq: i64,
    at: Instant,
}

impl PreparedBackup {
    /// Writes the backup into its folder and removes the commune's oldest there beyond the
    /// number kept.
    ///
    /// Errors: a full disk (nothing is left behind), a folder that cannot be written.
    pub fn run(&self, now: Instant) -> Result<FinishedBackup, CoreError> {
        let file = write_into_folder(&self.job, &self.commune, &self.folder, self.keep, now)?;
        Ok(FinishedBackup {
            file,
            seq: self.seq,
            at: now,
        })
    }
}

impl Session {
    /// The backup folder: the one chosen in Settings, else `default`.
    pub fn backup_folder(&self, default: &Path) -> Result<PathBuf, CoreError> {
        let chosen = self.store.setting("backup_folder")?.unwrap_or_default();
        Ok(if chosen.trim().is_empty() {
            default.to_path_buf()
        } else {
            PathBuf::from(chosen)
        })
    }

    /// When the last backup was made and whether work was recorded since.
    pub fn backup_status(&self, default: &Path) -> Result<BackupStatus, CoreError> {
        let last_seq: i64 = self
            .store
            .setting("last_backup_seq")?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Ok(BackupStatus {
            folder: self.backup_folder(default)?.to_string_lossy().into_owned(),
            last_at: self.store.setting("last_backup_at")?,
            last_file: self.store.setting("last_backup_file")?,
            changed_since: self.store.last_change_seq()? != last_seq,
        })
    }

    /// "Sao lưu ngay" (local admin): a backup into the backup folder, prepared to run without
    /// the session.
    pub fn prepare_backup(&self, default: &Path) -> Result<PreparedBackup, CoreError> {
        self.require(crate::access::Action::Backup)?;
        self.prepare_own_backup(default)
    }

    /// A backup prepared for the app's own schedule, whoever is signed in.
    fn prepare_own_backup(&self, default: &Path) -> Result<PreparedBackup, CoreError> {
        // Entered first, so the backup holds its own entry.
        self.note(
            crate::now(),
            bvte_store::AuditAction::Backup,
            "register",
            "",
        )?;
        Ok(PreparedBackup {
            job: self.store.backup_job()?,
            commune: self.store.installation().commune_code.clone(),
            folder: self.backup_folder(default)?,
            keep: self.settings()?.backup_keep as usize,
            seq: self.store.last_change_seq()?,
        })
    }

    /// Remembers `done` as the last backup.
    pub fn record_backup(
        &mut self,
        done: &FinishedBackup,
        default: &Path,
    ) -> Result<BackupStatus, CoreError> {
        self.store
            .set_setting("last_backup_at", &done.at.to_rfc3339())?;
        self.store
            .set_setting("last_backup_file", &done.file.to_string_lossy())?;
        self.store
            .set_setting("last_backup_seq", &done.seq.to_string())?;
        self.backup_status(default)
    }

    /// The app's own backup, when one is due: work was recorded since the last backup, and
    /// either the window is closing (or locking) or the last backup is a day old.
    pub fn backup_due(
        &self,
        default: &Path,
        closing: bool,
        now: Instant,
    ) -> Result<Option<PreparedBackup>, CoreError> {
        let st = self.backup_status(default)?;
        let old = st
            .last_at
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .is_none_or(|t| (now - t.with_timezone(&chrono::Utc)).num_seconds() >= DAILY_SECONDS);
        Ok(if st.changed_since && (closing || old) {
            Some(self.prepare_own_backup(default)?)
        } else {
            None
        })
    }

    /// "Sao lưu ngay", in one go (for callers that hold the session anyway).
    pub fn backup_now(&mut self, default: &Path, now: Instant) -> Result<BackupStatus, CoreError> {
        let done = self.prepare_backup(default)?.run(now)?;
        self.record_backup(&done, default)
    }

    /// The app's own backup in one go, when due. Returns whether one was made.
    pub fn auto_backup(
        &mut self,
        default: &Path,
        closing: bool,
        now: Instant,
    ) -> Result<bool, CoreError> {
        match self.backup_due(default, closing, now)? {
            Some(p) => {
                let done = p.run(now)?;
                self.record_backup(&done, default)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }
}
