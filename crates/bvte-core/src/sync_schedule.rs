//! When the desktop app syncs by itself (issue 5): as soon as it is unlocked, within seconds of
//! a local change, every few minutes to receive the other devices' work, and, after a failure,
//! again after a wait that doubles up to a ceiling, so an office without internet is not
//! hammered and a PC that comes back online catches up on its own.

use bvte_domain::Instant;
use chrono::Duration;

/// Sync at least this often to receive other devices' changes.
pub const PERIOD_SECONDS: i64 = 5 * 60;
/// First wait after a failure.
pub const FIRST_RETRY_SECONDS: i64 = 30;
/// Longest wait after failures.
pub const MAX_RETRY_SECONDS: i64 = 15 * 60;

/// The background loop's memory of past attempts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Schedule {
    /// Failed runs in a row.
    pub failures: u32,
    /// When the last run started.
    pub last_attempt: Option<Instant>,
    /// When a run last succeeded.
    pub last_success: Option<Instant>,
}

/// The wait after `failures` failed runs in a row: 30 s, 1 min, 2 min, … at most 15 min.
pub fn backoff(failures: u32) -> Duration {
    if failures == 0 {
        return Duration::zero();
    }
    let doubled = FIRST_RETRY_SECONDS.saturating_mul(1i64 << (failures - 1).min(20));
    Duration::seconds(doubled.min(MAX_RETRY_SECONDS))
}

impl Schedule {
    /// Whether to run now. `pending`: own changes not on the server yet; `woken`: something
    /// asked for a run (unlocking, enrolling), which skips a failure's wait.
    pub fn due(&self, now: Instant, pending: u64, woken: bool) -> bool {
        if woken {
            return true;
        }
        if self.retry_at().is_some_and(|wait_until| now < wait_until) {
            return false;
        }
        pending > 0
            || self.failures > 0
            || self
                .last_success
                .is_none_or(|t| (now - t).num_seconds() >= PERIOD_SECONDS)
    }

    /// After a failure, when the next try may start.
    pub fn retry_at(&self) -> Option<Instant> {
        match (self.failures, self.last_attempt) {
            (0, _) | (_, None) => None,
            (n, Some(t)) => Some(t + backoff(n)),
        }
    }

    /// Records a run that started at `at`.
    pub fn record(&mut self, at: Instant, ok: bool) {
        self.last_attempt = Some(at);
        if ok {
            self.failures = 0;
            self.last_success = Some(at);
        } else {
            self.failures = self.failures.saturating_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> Instant {
        chrono::DateTime::from_timestamp(1_800_000_000 + s, 0).expect("time")
    }

    #[test]
    fn backoff_doubles_from_thirty_seconds_to_fifteen_minutes() {
        let secs: Vec<i64> = (0..8).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(secs, [0, 30, 60, 120, 240, 480, 900, 900]);
        assert_eq!(backoff(u32::MAX).num_seconds(), 900);
    }

    #[test]
    fn a_new_loop_syncs_at_once_then_every_five_minutes() {
        let mut s = Schedule::default();
        assert!(s.due(t(0), 0, false), "never synced: sync now");
        s.record(t(0), true);
        assert!(!s.due(t(60), 0, false));
        assert!(s.due(t(300), 0, false), "five minutes later");
    }

    #[test]
    fn a_local_change_is_sent_at_once_unless_waiting_after_a_failure() {
        let mut s = Schedule::default();
        s.record(t(0), true);
        assert!(
            s.due(t(5), 1, false),
            "a change waits for the next tick only"
        );
        s.record(t(10), false);
        s.record(t(40), false);
        assert_eq!(s.retry_at(), Some(t(100)), "second failure: wait 60 s");
        assert!(!s.due(t(99), 3, false), "offline: do not hammer");
        assert!(
            s.due(t(100), 0, false),
            "after the wait, try again even with nothing to send"
        );
        assert!(
            s.due(t(50), 0, true),
            "unlocking or enrolling does not wait"
        );
        s.record(t(100), true);
        assert_eq!(s.failures, 0);
        assert_eq!(s.retry_at(), None);
    }
}
