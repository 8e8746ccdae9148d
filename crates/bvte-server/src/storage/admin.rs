//! What the dashboard's administration pages and the reporting deadline store: the enrollment
//! codes as listed (never the code itself: only its SHA-256 is kept) and the reporting periods
//! with their due day. The rules (who may, what "covered" means) are in `crate::reporting` and
//! `crate::web`; the backends only store.

use crate::codes::Digest32;
use crate::error::{StorageError, StorageResult};
use chrono::NaiveDate;

/// An enrollment code as the administrators see it: its hash (the handle to withdraw it), its
/// commune and its state. The code itself cannot be read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrollCodeRow {
    /// SHA-256 of the canonical code.
    pub code_hash: Digest32,
    /// The commune it enrolls a device for.
    pub commune_code: String,
    /// When it was made (ms).
    pub created_at_ms: u64,
    /// When it stops working (ms); the time it was withdrawn for a withdrawn code.
    pub expires_at_ms: u64,
    /// When a device used it (ms).
    pub used_at_ms: Option<u64>,
    /// The device that used it.
    pub used_by: Option<String>,
    /// When an administrator withdrew it (ms).
    pub revoked_at_ms: Option<u64>,
}

/// A reporting period and the day its reports are due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadlineRow {
    /// What the report is, e.g. "Báo cáo 6 tháng đầu năm 2026".
    pub title: String,
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period (included).
    pub to: NaiveDate,
    /// The day the reports are due.
    pub due_on: NaiveDate,
    /// The dashboard account that set it.
    pub set_by: String,
    /// When it was set (ms).
    pub set_at_ms: u64,
}

/// A stored day (`yyyy-mm-dd`).
pub fn day_to_db(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A day read back. Errors: `Corrupt` for anything but `yyyy-mm-dd`.
pub fn day_from_db(s: &str) -> StorageResult<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| StorageError::Corrupt)
}
