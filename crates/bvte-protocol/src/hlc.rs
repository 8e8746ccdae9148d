//! Hybrid logical clock (Kulkarni et al., 2014): a physical time in milliseconds plus a counter
//! that orders events when clocks tie or run backwards.
//!
//! # Bounds, overflow and text (issue 10, item 7)
//!
//! - **Bounds.** A value's physical part is at most [`MAX_MILLIS`], the last millisecond of year
//!   9999 (UTC), so it always fits in 16 decimal digits. Text with a later time (or not in the
//!   form below) is refused when read, on the server and on the PCs alike.
//! - **Text is fixed width**: `0001764387000000-00000000`, the milliseconds in 16 decimal digits
//!   and the counter in 8 lower-case hex digits (all of a `u32`). Both parts are zero-padded and
//!   big-endian, so comparing the text byte by byte (SQLite's `ORDER BY`, `MAX`, `<=`) gives the
//!   clock's own order. Earlier versions wrote the counter in at least 4 digits
//!   (`0001764387000000-0000`), which sorted wrongly past 65,535 events in one millisecond (demo
//!   data does that). That form still reads, as the same value: the server keeps the changes it
//!   stored earlier in the form they were written, for ever. Widening changes only a value's
//!   text, never the value, so each PC rewrites its own database once (store migration
//!   `20261207090000_widen_clock_text`) with no coordination with the server or the other PCs.
//! - **No overflow.** When the counter would pass `u32::MAX`, the next value moves the physical
//!   part on by one millisecond and restarts the counter (the usual HLC practice: the clock runs
//!   ahead of the wall clock by a millisecond per 4 billion events). A wall-clock reading past
//!   [`MAX_MILLIS`] counts as [`MAX_MILLIS`]. Nothing here panics or wraps on any input; the
//!   clock saturates at [`Hlc::MAX`], which 4 billion events in the last millisecond of year
//!   9999 would take to reach.
//! - **What moves a clock.** The server refuses a change stamped more than [`MAX_DRIFT_MS`]
//!   ahead of its own clock ([`Hlc::check_ahead`]). A PC stores and merges every change the
//!   server sends, but lets a received value move its own clock only when it is within
//!   [`MAX_DRIFT_MS`] of the server's clock at that pull ([`Hlc::adopt`]): the bound follows the
//!   server's clock, not the PC's, because a PC whose clock is a year behind must still order
//!   its next edits after what the server accepted, while a value stamped in year 9999 (by a
//!   server clock once wrong, or an older server) must not drag the PC's clock there for good.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// How far ahead of the local clock a received timestamp may be before it is refused: a device
/// whose clock is a year ahead must not drag every other device's clock with it.
pub const MAX_DRIFT_MS: u64 = 5 * 60 * 1000;

/// The highest physical time a clock value may carry: 9999-12-31T23:59:59.999Z, in milliseconds
/// since the Unix epoch. 16 decimal digits always suffice for it.
pub const MAX_MILLIS: u64 = 253_402_300_799_999;

/// A hybrid logical clock timestamp. Values read from text or JSON have `millis` at most
/// [`MAX_MILLIS`]; the clock's rules keep them there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hlc {
    /// Physical part: milliseconds since the Unix epoch.
    pub millis: u64,
    /// Logical part: orders events within the same millisecond.
    pub counter: u32,
}

/// A remote timestamp too far in the future.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "đồng hồ của thiết bị gửi nhanh hơn {ahead_ms} ms so với máy này / the sending device's \
     clock is {ahead_ms} ms ahead of this one"
)]
pub struct ClockError {
    /// How far ahead the remote clock is.
    pub ahead_ms: u64,
}

impl Hlc {
    /// The highest value a clock can hold.
    pub const MAX: Hlc = Hlc {
        millis: MAX_MILLIS,
        counter: u32::MAX,
    };

    /// The timestamp for a local event at wall-clock `now_ms`, after `last`: always later than
    /// `last` unless `last` is [`Hlc::MAX`] or beyond (then [`Hlc::MAX`]).
    pub fn tick(last: Hlc, now_ms: u64) -> Hlc {
        let now = now_ms.min(MAX_MILLIS);
        if now > last.millis {
            Hlc {
                millis: now,
                counter: 0,
            }
        } else {
            last.next()
        }
    }

    /// The smallest value after this one: the counter plus one, or the next millisecond when
    /// the counter is at its limit; [`Hlc::MAX`] from [`Hlc::MAX`] or beyond.
    fn next(self) -> Hlc {
        if self >= Hlc::MAX {
            return Hlc::MAX;
        }
        match self.counter.checked_add(1) {
            Some(counter) => Hlc {
                millis: self.millis,
                counter,
            },
            // Below MAX with a full counter, so `millis < MAX_MILLIS`.
            None => Hlc {
                millis: self.millis + 1,
                counter: 0,
            },
        }
    }

    /// Whether a clock reading `now_ms` accepts this remote stamp: refuses one more than
    /// [`MAX_DRIFT_MS`] ahead (the server's rule for every pushed change).
    ///
    /// # Errors
    /// [`ClockError`] with how far ahead the stamp is.
    pub fn check_ahead(self, now_ms: u64) -> Result<(), ClockError> {
        if self.millis > now_ms.saturating_add(MAX_DRIFT_MS) {
            return Err(ClockError {
                ahead_ms: self.millis - now_ms,
            });
        }
        Ok(())
    }

    /// The local clock after receiving `remote` at wall-clock `now_ms`: later than both.
    ///
    /// # Errors
    /// [`ClockError`] for a remote timestamp more than [`MAX_DRIFT_MS`] ahead of `now_ms`.
    pub fn receive(last: Hlc, remote: Hlc, now_ms: u64) -> Result<Hlc, ClockError> {
        remote.check_ahead(now_ms)?;
        Ok(Hlc::tick(last.max(remote), now_ms))
    }

    /// A PC's clock after storing `remote`, a change the server sent when its clock read
    /// `server_now_ms`: the later of the two, unless `remote` is further ahead of the server's
    /// clock than the server itself accepts ([`Hlc::check_ahead`]); then the clock stays as it
    /// was (the change is still stored and merged). Never moves the clock back.
    pub fn adopt(last: Hlc, remote: Hlc, server_now_ms: u64) -> Hlc {
        if remote <= Hlc::MAX && remote.check_ahead(server_now_ms).is_ok() {
            last.max(remote)
        } else {
            last
        }
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016}-{:08x}", self.millis, self.counter)
    }
}

impl FromStr for Hlc {
    type Err = String;

    /// Reads `{16 digits}-{8 hex digits}`, or the earlier `{16 digits}-{4 to 8 hex digits}`.
    /// Refuses any other form, and a time past [`MAX_MILLIS`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The text may come from the network: quote only its start.
        let shown: String = s.chars().take(32).collect();
        let malformed = || {
            format!(
                "dấu thời gian không hợp lệ {shown:?}: cần dạng 0001764387000000-00000000 / \
                 invalid clock stamp {shown:?}: expected 0001764387000000-00000000"
            )
        };
        let (m, c) = s.split_once('-').ok_or_else(malformed)?;
        let decimal = m.len() == 16 && m.bytes().all(|b| b.is_ascii_digit());
        let hex =
            (4..=8).contains(&c.len()) && c.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !decimal || !hex {
            return Err(malformed());
        }
        let millis: u64 = m.parse().map_err(|_| malformed())?;
        let counter = u32::from_str_radix(c, 16).map_err(|_| malformed())?;
        if millis > MAX_MILLIS {
            return Err(format!(
                "dấu thời gian {shown:?} sau năm 9999 / clock stamp {shown:?} is past year 9999"
            ));
        }
        Ok(Hlc { millis, counter })
    }
}

impl Serialize for Hlc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_order_is_time_order() {
        let a = Hlc {
            millis: 9,
            counter: 15,
        };
        let b = Hlc {
            millis: 10,
            counter: 0,
        };
        assert!(a < b);
        assert!(a.to_string() < b.to_string());
        assert_eq!(a.to_string().parse::<Hlc>().unwrap(), a);
    }

    #[test]
    fn a_clock_far_ahead_is_refused() {
        let last = Hlc::default();
        let year = 365 * 24 * 3600 * 1000;
        let remote = Hlc {
            millis: 1_000 + year,
            counter: 0,
        };
        assert!(Hlc::receive(last, remote, 1_000).is_err());
    }

    #[test]
    fn the_bound_is_the_last_millisecond_of_year_9999_and_fits_16_digits() {
        // 2,932,897 days from 1970-01-01 to 10000-01-01 (proleptic Gregorian, UTC).
        assert_eq!(MAX_MILLIS + 1, 2_932_897 * 86_400_000);
        assert_eq!(Hlc::MAX.to_string(), "0253402300799999-ffffffff");
        assert_eq!(Hlc::MAX.to_string().parse::<Hlc>(), Ok(Hlc::MAX));
    }

    #[test]
    fn the_server_refuses_stamps_more_than_the_drift_ahead_of_its_clock() {
        let now = 1_764_387_000_000;
        let at = |millis| Hlc {
            millis,
            counter: u32::MAX,
        };
        assert_eq!(at(now + MAX_DRIFT_MS).check_ahead(now), Ok(()));
        assert_eq!(at(0).check_ahead(now), Ok(()), "a clock behind is fine");
        assert_eq!(
            at(now + MAX_DRIFT_MS + 1).check_ahead(now),
            Err(ClockError {
                ahead_ms: MAX_DRIFT_MS + 1
            })
        );
        assert_eq!(at(MAX_MILLIS).check_ahead(u64::MAX), Ok(()), "no overflow");
    }

    #[test]
    fn a_pc_adopts_what_the_server_could_have_accepted_and_nothing_further() {
        let server = 1_764_387_000_000;
        let year = 365 * 24 * 3600 * 1000;
        // This PC's clock is a year behind the server's.
        let last = Hlc {
            millis: server - year,
            counter: 3,
        };
        let honest = Hlc {
            millis: server - 1_000,
            counter: 9,
        };
        assert_eq!(Hlc::adopt(last, honest, server), honest);
        let edge = Hlc {
            millis: server + MAX_DRIFT_MS,
            counter: 0,
        };
        assert_eq!(Hlc::adopt(last, edge, server), edge);
        let far = Hlc {
            millis: server + year,
            counter: 0,
        };
        assert_eq!(Hlc::adopt(last, far, server), last, "stored, not adopted");
        // An older stamp never moves the clock back.
        assert_eq!(Hlc::adopt(honest, last, server), honest);
    }

    proptest! {
        #[test]
        fn timestamps_only_move_forward(steps in prop::collection::vec((any::<bool>(), 0u64..10_000, 0u64..10_000, 0u32..5), 1..100)) {
            let mut clock = Hlc::default();
            for (remote_event, now, remote_ms, remote_counter) in steps {
                let next = if remote_event {
                    let remote = Hlc { millis: remote_ms, counter: remote_counter };
                    match Hlc::receive(clock, remote, now) {
                        Ok(n) => {
                            prop_assert!(n > remote);
                            n
                        }
                        Err(_) => continue,
                    }
                } else {
                    Hlc::tick(clock, now)
                };
                prop_assert!(next > clock);
                prop_assert!(next.to_string() > clock.to_string());
                clock = next;
            }
        }
    }
}
