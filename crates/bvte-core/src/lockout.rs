//! Repeated wrong passphrases: one typo never locks a legitimate officer out, but after five
//! wrong passphrases in a row each further attempt must wait, 30 seconds doubling up to 15
//! minutes. The count lives in a small file next to the database (`<db>.attempts`, owner-only)
//! so that restarting the app or running the CLI does not reset it; it holds no secret.
//!
//! How long ago the last failure was is measured on a clock that only moves forward, never on
//! the PC's wall clock alone, which someone or a time server may correct by a year (issue 10
//! item 8: a clock set back after five failures locked the app for a year). Each failure is
//! stamped with both clocks:
//! - [`Monotonic`]: on Linux the time since the computer started (`/proc/uptime`, which counts
//!   suspend) with the boot's id, so the app, the CLI and the app after a restart all measure on
//!   the same clock while the computer stays on; elsewhere `std::time::Instant` of this process.
//! - the wall clock, used only when the monotonic readings cannot be compared (the computer was
//!   restarted, or on Windows another process). Seen to have gone back, it restarts the wait
//!   from that moment, so no wait ever lasts longer than the rule's (at most 15 minutes). Put
//!   forward across a restart, it can end a wait early — by at most that wait — which needs
//!   someone able to restart the PC and change its clock, who could copy the files anyway: what
//!   protects the passphrase is Argon2 (`bvte_store::keys`).

use bvte_domain::Instant;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Wrong attempts allowed before waiting.
pub const FREE_ATTEMPTS: u32 = 5;
/// First wait, seconds.
pub const FIRST_WAIT_SECONDS: i64 = 30;
/// Longest wait, seconds.
pub const MAX_WAIT_SECONDS: i64 = 15 * 60;

/// A reading of a clock that only moves forward. Two readings with the same `origin` can be
/// subtracted; readings of different origins cannot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Monotonic {
    /// What the clock counts from: `boot:<id>` (this boot of the computer) or `process:<id>`.
    pub origin: String,
    /// Milliseconds since then.
    pub ms: u64,
}

impl Monotonic {
    /// The clock now: since the computer started where the system says (Linux), else since
    /// this process first asked.
    pub fn now() -> Self {
        boot_clock().unwrap_or_else(process_clock)
    }
}

/// Linux: `/proc/uptime` is CLOCK_BOOTTIME (never set by anyone, counts suspend) and the boot
/// id tells one boot from the next.
#[cfg(target_os = "linux")]
fn boot_clock() -> Option<Monotonic> {
    let id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    let uptime = std::fs::read_to_string("/proc/uptime").ok()?;
    let seconds: f64 = uptime.split_whitespace().next()?.parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Monotonic {
        origin: format!("boot:{}", id.trim()),
        ms: (seconds * 1000.0) as u64,
    })
}

#[cfg(not(target_os = "linux"))]
fn boot_clock() -> Option<Monotonic> {
    None
}

fn process_clock() -> Monotonic {
    static START: OnceLock<(std::time::Instant, String)> = OnceLock::new();
    let (start, origin) = START.get_or_init(|| {
        (
            std::time::Instant::now(),
            format!("process:{}", uuid::Uuid::now_v7()),
        )
    });
    Monotonic {
        origin: origin.clone(),
        ms: u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

/// A moment by both clocks: what the lock-out is told "now" is. Tests build one by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment {
    /// The PC's clock (may jump either way).
    pub wall: Instant,
    /// The clock that only moves forward, when there is one.
    pub mono: Option<Monotonic>,
}

impl Moment {
    /// Now, by both clocks.
    pub fn now() -> Self {
        Self {
            wall: crate::now(),
            mono: Some(Monotonic::now()),
        }
    }

    /// A moment known by the wall clock only (as after a restart of the computer).
    pub fn wall_only(wall: Instant) -> Self {
        Self { wall, mono: None }
    }
}

/// The attempts record. Its JSON is stable (older files hold only the first two fields).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts {
    /// Wrong attempts in a row.
    pub failures: u32,
    /// When the last one happened, by the wall clock.
    pub last_failure: Option<Instant>,
    /// When the last one happened, by the monotonic clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure_mono: Option<Monotonic>,
    /// The accounts named by the wrong attempts (the last 20), for the audit entry of the next
    /// sign-in; staff names only, no secret.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tried: Vec<String>,
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

/// Time since the last failure.
enum Since {
    Never,
    Seconds(i64),
    /// Only the wall clock could tell, and it is now before the failure.
    ClockWentBack,
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
        let text = serde_json::to_string(self).unwrap_or_default();
        let _ = bvte_store::private::write(&Self::path(db), text.as_bytes());
    }

    fn since_last(&self, now: &Moment) -> Since {
        let Some(wall) = self.last_failure else {
            return Since::Never;
        };
        if let (Some(then), Some(at)) = (&self.last_failure_mono, &now.mono)
            && then.origin == at.origin
            && at.ms >= then.ms
        {
            return Since::Seconds(i64::try_from((at.ms - then.ms) / 1000).unwrap_or(i64::MAX));
        }
        let seconds = (now.wall - wall).num_seconds();
        if seconds < 0 {
            Since::ClockWentBack
        } else {
            Since::Seconds(seconds)
        }
    }

    /// Seconds still to wait at `now` before the next attempt (0 = may try); never more than
    /// the rule's wait for the count, whatever either clock did.
    pub fn retry_after(&self, now: &Moment) -> i64 {
        let wait = wait_seconds(self.failures);
        match self.since_last(now) {
            Since::Never => 0,
            Since::Seconds(s) => (wait - s).clamp(0, wait),
            Since::ClockWentBack => wait,
        }
    }

    /// Reads the record as of `now`. When only the wall clock can tell and it went back, the
    /// last failure is re-stamped `now`: the wait runs from here, once, instead of until the
    /// clock catches up with the failure.
    pub fn current(db: &Path, now: &Moment) -> Self {
        let mut a = Self::load(db);
        if matches!(a.since_last(now), Since::ClockWentBack) && wait_seconds(a.failures) > 0 {
            a.stamp(now);
            a.save(db);
        }
        a
    }

    fn stamp(&mut self, now: &Moment) {
        self.last_failure = Some(now.wall);
        self.last_failure_mono = now.mono.clone();
    }

    /// Records a wrong attempt.
    pub fn failed(db: &Path, now: &Moment) -> Self {
        Self::failed_for(db, now, None)
    }

    /// Records a wrong attempt at the passphrase of `account` (when one was named).
    pub fn failed_for(db: &Path, now: &Moment, account: Option<&str>) -> Self {
        let mut a = Self::load(db);
        a.failures = a.failures.saturating_add(1);
        if let Some(name) = account {
            a.tried.push(bvte_domain::text::truncate_for_message(name));
            let extra = a.tried.len().saturating_sub(20);
            a.tried.drain(..extra);
        }
        a.stamp(now);
        a.save(db);
        a
    }

    /// The accounts the wrong attempts named, for the audit entry: ` (tài khoản: A ×2, B)`;
    /// empty when none was named.
    pub fn tried_vi(&self) -> String {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for name in &self.tried {
            match counts.iter_mut().find(|(n, _)| *n == name.as_str()) {
                Some((_, k)) => *k += 1,
                None => counts.push((name, 1)),
            }
        }
        if counts.is_empty() {
            return String::new();
        }
        let list: Vec<String> = counts
            .iter()
            .map(|(n, k)| {
                if *k > 1 {
                    format!("{n} ×{k}")
                } else {
                    n.to_string()
                }
            })
            .collect();
        format!(" (tài khoản: {})", list.join(", "))
    }

    /// Clears the record after a successful unlock.
    pub fn succeeded(db: &Path) {
        let _ = std::fs::remove_file(Self::path(db));
    }
}

#[cfg(test)]
#[path = "lockout_tests.rs"]
mod tests;
