//! A temporary separation and its term (Decree 56 Art 32).

use crate::time::{Instant, end_of_day, local_date};
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// A temporary separation (Decree 56 Art 32).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Separation {
    /// When it was decided (and started).
    pub decided_at: Instant,
    /// Days in total, extensions included.
    pub total_days: u32,
    /// When it was revoked.
    pub revoked_at: Option<Instant>,
}

impl Separation {
    /// The end of its term: the end (23:59:59, Vietnam time) of the day `total_days` calendar
    /// days after the day it was decided (Civil Code 2015 Art 147 k2–k3 for counting; calendar
    /// days, never moved to a working day: Decree 56 Art 32 k3 caps how long a child is kept
    /// apart, `deadline.rs`).
    pub fn ends_at(&self) -> Instant {
        // Checked: days from a synced event can be anything (an overflow once panicked, issue
        // 10); past the last date there is, the term ends on that date.
        let last_day = local_date(self.decided_at)
            .checked_add_days(Days::new(u64::from(self.total_days)))
            .unwrap_or(NaiveDate::MAX);
        end_of_day(last_day)
    }

    /// Whether it is in force at `t`: not revoked, and its term not ended. Decree 56 Art 32 k3
    /// ("thời hạn cách ly tối đa không quá 15 ngày trừ trường hợp phải tiếp tục cách ly theo yêu
    /// cầu của cơ quan có thẩm quyền") gives a separation a term: at its end the separation
    /// lapses by itself, whether or not a revocation was recorded.
    pub fn in_force_at(&self, t: Instant) -> bool {
        self.revoked_at.is_none_or(|r| t < r) && t <= self.ends_at()
    }

    /// Whether its term ended at `t` without a revocation recorded.
    pub fn lapsed_at(&self, t: Instant) -> bool {
        self.revoked_at.is_none() && t > self.ends_at()
    }
}
