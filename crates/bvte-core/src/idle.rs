//! The idle lock's timer: how long since the officer last did something, on a clock that only
//! moves forward (`std::time::Instant`). The PC's wall clock may be corrected by a year either
//! way; measured on it, the idle lock never came while the clock was behind (issue 10 item 8).

use std::time::{Duration, Instant};

/// When the officer last did something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdleTimer {
    last: Instant,
}

impl IdleTimer {
    /// A timer started at `now`.
    pub fn new(now: Instant) -> Self {
        Self { last: now }
    }

    /// Records activity at `now`.
    pub fn touch(&mut self, now: Instant) {
        self.last = self.last.max(now);
    }

    /// Whether more than `minutes` have passed without activity by `now`.
    pub fn expired(&self, now: Instant, minutes: u32) -> bool {
        now.saturating_duration_since(self.last) > Duration::from_secs(u64::from(minutes) * 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_the_idle_minutes_and_activity_restarts_the_count() {
        let t0 = Instant::now();
        let min = |m: u64| Duration::from_secs(m * 60);
        let mut timer = IdleTimer::new(t0);
        assert!(
            !timer.expired(t0 + min(10), 10),
            "exactly the limit: not yet"
        );
        assert!(timer.expired(t0 + min(10) + Duration::from_secs(1), 10));
        timer.touch(t0 + min(9));
        assert!(!timer.expired(t0 + min(18), 10));
        assert!(timer.expired(t0 + min(20), 10));
        // A reading from before the last activity (threads racing) never counts as idle time
        // and never moves the last activity back.
        timer.touch(t0);
        assert!(!timer.expired(t0, 10));
        assert!(timer.expired(t0 + min(20), 10));
    }
}
