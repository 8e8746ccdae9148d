//! The installation's settings: the officer, the commune header and chair printed on forms, the
//! idle lock and the language. Local to the installation, not synced.

use crate::error::CoreError;
use crate::session::Session;
use bvte_domain::ValidationError;
use bvte_domain::error::Collector;
use bvte_domain::text::{MAX_NAME_CHARS, MAX_SHORT_CHARS, clean_line};
use serde::{Deserialize, Serialize};

/// Default minutes without activity before the app locks itself.
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 10;

/// Settings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Settings {
    /// The officer's name (author of changes, signature on forms).
    pub officer_name: String,
    /// The issuing body on forms ("ỦY BAN NHÂN DÂN XÃ THẠCH THẤT").
    pub commune_header: String,
    /// The chair's name (signature on decisions).
    pub chair_name: String,
    /// Minutes without activity before locking (1–240).
    pub idle_lock_minutes: u32,
    /// `vi` or `en`.
    pub language: String,
    /// Where backups go (a USB stick is typical); empty: `BVTE/Sao lưu` in the documents.
    #[serde(default)]
    pub backup_folder: String,
    /// How many of the newest backups to keep there (1–100).
    #[serde(default = "default_backup_keep")]
    pub backup_keep: u32,
}

fn default_backup_keep() -> u32 {
    DEFAULT_BACKUP_KEEP
}

/// Default number of backups kept in the backup folder.
pub const DEFAULT_BACKUP_KEEP: u32 = 10;

impl Session {
    /// The settings, with defaults for what was never set.
    pub fn settings(&self) -> Result<Settings, CoreError> {
        let get = |k: &str| self.store.setting(k).map(Option::unwrap_or_default);
        let commune = self.commune()?;
        let header = get("commune_header")?;
        Ok(Settings {
            officer_name: get("officer_name")?,
            commune_header: if header.is_empty() {
                format!("ỦY BAN NHÂN DÂN {}", commune.name.to_uppercase())
            } else {
                header
            },
            chair_name: get("chair_name")?,
            idle_lock_minutes: get("idle_lock_minutes")?
                .parse()
                .unwrap_or(DEFAULT_IDLE_LOCK_MINUTES),
            language: match get("language")?.as_str() {
                "en" => "en".into(),
                _ => "vi".into(),
            },
            backup_folder: get("backup_folder")?,
            backup_keep: get("backup_keep")?.parse().unwrap_or(DEFAULT_BACKUP_KEEP),
        })
    }

    /// Validates and saves the settings; the officer becomes the author of later changes. The
    /// officer's name is required (it signs every form); every problem is reported at once.
    pub fn save_settings(&mut self, s: &Settings) -> Result<Settings, CoreError> {
        self.require(crate::access::Action::Settings)?;
        let mut c = Collector::default();
        let officer = c.take(clean_line("officer_name", &s.officer_name, MAX_NAME_CHARS));
        if officer.as_deref() == Some("") {
            c.push(ValidationError::Required {
                field: "officer_name".into(),
            });
        }
        let header = c.take(clean_line(
            "commune_header",
            &s.commune_header,
            MAX_SHORT_CHARS,
        ));
        let chair = c.take(clean_line("chair_name", &s.chair_name, MAX_NAME_CHARS));
        if !(1..=240).contains(&s.idle_lock_minutes) {
            c.push(ValidationError::OutOfRange {
                field: "idle_lock_minutes".into(),
                min: 1,
                max: 240,
                value: i64::from(s.idle_lock_minutes),
            });
        }
        if s.language != "vi" && s.language != "en" {
            c.push(ValidationError::UnknownCode {
                field: "language".into(),
                value: s.language.clone(),
                allowed: vec!["vi".into(), "en".into()],
            });
        }
        if !(1..=100).contains(&s.backup_keep) {
            c.push(ValidationError::OutOfRange {
                field: "backup_keep".into(),
                min: 1,
                max: 100,
                value: i64::from(s.backup_keep),
            });
        }
        let folder = c.take(clean_line(
            "backup_folder",
            &s.backup_folder,
            MAX_SHORT_CHARS,
        ));
        c.finish(|| ())?;
        let (Some(officer), Some(header), Some(chair), Some(folder)) =
            (officer, header, chair, folder)
        else {
            // Each value is missing only with its error recorded, so this never answers.
            return Err(ValidationError::Required {
                field: "officer_name".into(),
            }
            .into());
        };
        self.store.set_setting("officer_name", &officer)?;
        self.store.set_setting("commune_header", &header)?;
        self.store.set_setting("chair_name", &chair)?;
        self.store
            .set_setting("idle_lock_minutes", &s.idle_lock_minutes.to_string())?;
        self.store.set_setting("language", &s.language)?;
        self.store.set_setting("backup_folder", &folder)?;
        self.store
            .set_setting("backup_keep", &s.backup_keep.to_string())?;
        self.set_author(&officer)?;
        self.settings()
    }
}
