//! Repeated wrong passphrases: one typo never locks a legitimate officer out, but after five
//! wrong passphrases in a row each further attempt must wait, 30 seconds doubling up to 15
//! minutes. The count lives in a small file next to the database (`<db>.attempts`) so that
//! restarting the app does not reset it; it holds no secret.

use bvte_domain::Instant;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Wrong attempts allowed before waiting.
pub const FREE_ATTEMPTS: u32 = 5;
/// First wait, seconds.
pub const FIRST_WAIT_SECONDS: i64 = 30;
/// Longest wait, seconds.
pub const MAX_WAIT_SECONDS: i64 = 15 * 60;

/// The attempts record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts {
    /// Wrong attempts in a row.
    pub failures: u32,
    /// When the last one happened.
    pub last_failure: Option<Instant>,
}

/// How long to wait after `failures` wrong attempts in a row.
pub fn wait_seconds(failures: u32) -> i64 {
    if failures < FREE_ATTEMPTS {
        0
    } else {
        let doublings = (failures - FREE_ATTEMPTS).min(10);
        (FIRST_WAIT_SECONDS << doublings).min(MAX_WAIT_SECONDS)
    }
}

impl Attempts {
    fn path(db: &Path) -> PathBuf {
        let mut s = db.as_os_str().to_owned();
        s.push(".attempts");
        PathBuf::from(s)
    }

    /// Reads the record (none yet, or unreadable: no failures).
    pub fn load(db: &Path) -> Self {
        std::fs::read_to_string(Self::path(db))
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default()
    }

    fn save(&self, db: &Path) {
        // Best effort: a read-only disk must not stop the officer from unlocking.
        let _ = std::fs::write(
            Self::path(db),
            serde_json::to_string(self).unwrap_or_default(),
        );
    }

    /// Seconds still to wait at `now` before the next attempt (0 = may try).
    pub fn retry_after(&self, now: Instant) -> i64 {
        match self.last_failure {
            Some(t) => (wait_seconds(self.failures) - (now - t).num_seconds()).max(0),
            None => 0,
        }
    }

    /// Records a wrong attempt.
    pub fn failed(db: &Path, now: Instant) -> Self {
        let mut a = Self::load(db);
        a.failures += 1;
        a.last_failure = Some(now);
        a.save(db);
        a
    }

    /// Clears the record after a successful unlock.
    pub fn succeeded(db: &Path) {
        let _ = std::fs::remove_file(Self::path(db));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_typo_never_locks_out_and_waits_grow_to_a_cap() {
        assert_eq!(wait_seconds(1), 0);
        assert_eq!(wait_seconds(4), 0);
        assert_eq!(wait_seconds(5), 30);
        assert_eq!(wait_seconds(6), 60);
        assert_eq!(wait_seconds(9), 480);
        assert_eq!(wait_seconds(10), 900);
        assert_eq!(wait_seconds(50), 900);
    }

    #[test]
    fn the_count_survives_a_restart_and_clears_on_success() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let now = bvte_domain::time::parse_instant("t", "2026-11-29 09:00").unwrap();
        for _ in 0..5 {
            Attempts::failed(&db, now);
        }
        let a = Attempts::load(&db);
        assert_eq!(a.failures, 5);
        assert_eq!(a.retry_after(now), 30);
        assert_eq!(a.retry_after(now + chrono::Duration::seconds(31)), 0);
        Attempts::succeeded(&db);
        assert_eq!(Attempts::load(&db).failures, 0);
    }
}
