//! Hybrid logical clock (Kulkarni et al., 2014): a physical time in milliseconds plus a counter
//! that orders events when clocks tie or run backwards. Timestamps are written as fixed-width
//! text (`0001764387000000-0000`) so that text order is time order in any database.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// How far ahead of the local clock a received timestamp may be before it is refused: a device
/// whose clock is a year ahead must not drag every other device's clock with it.
pub const MAX_DRIFT_MS: u64 = 5 * 60 * 1000;

/// A hybrid logical clock timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hlc {
    /// Physical part: milliseconds since the Unix epoch.
    pub millis: u64,
    /// Logical part: orders events within the same millisecond.
    pub counter: u32,
}

/// A remote timestamp too far in the future.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("đồng hồ của thiết bị gửi nhanh hơn {ahead_ms} ms so với máy này")]
pub struct ClockError {
    /// How far ahead the remote clock is.
    pub ahead_ms: u64,
}

impl Hlc {
    /// The timestamp for a local event at wall-clock `now_ms`, after `last`.
    pub fn tick(last: Hlc, now_ms: u64) -> Hlc {
        if now_ms > last.millis {
            Hlc {
                millis: now_ms,
                counter: 0,
            }
        } else {
            Hlc {
                millis: last.millis,
                counter: last.counter + 1,
            }
        }
    }

    /// The local clock after receiving `remote` at wall-clock `now_ms`. Refuses a remote
    /// timestamp more than [`MAX_DRIFT_MS`] ahead of `now_ms`.
    pub fn receive(last: Hlc, remote: Hlc, now_ms: u64) -> Result<Hlc, ClockError> {
        if remote.millis > now_ms + MAX_DRIFT_MS {
            return Err(ClockError {
                ahead_ms: remote.millis - now_ms,
            });
        }
        let millis = now_ms.max(last.millis).max(remote.millis);
        let counter = if millis == last.millis && millis == remote.millis {
            last.counter.max(remote.counter) + 1
        } else if millis == last.millis {
            last.counter + 1
        } else if millis == remote.millis {
            remote.counter + 1
        } else {
            0
        };
        Ok(Hlc { millis, counter })
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016}-{:04x}", self.millis, self.counter)
    }
}

impl FromStr for Hlc {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (m, c) = s.split_once('-').ok_or_else(|| format!("bad HLC {s:?}"))?;
        Ok(Hlc {
            millis: m.parse().map_err(|_| format!("bad HLC {s:?}"))?,
            counter: u32::from_str_radix(c, 16).map_err(|_| format!("bad HLC {s:?}"))?,
        })
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
