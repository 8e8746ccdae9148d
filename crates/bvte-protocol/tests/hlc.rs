//! Properties of the hybrid logical clock (issue 10, item 7): it never overflows or panics
//! whatever it is given, text order is clock order for every value it accepts, and values outside
//! its bounds are refused when read.

use bvte_protocol::Hlc;
use bvte_protocol::hlc::{MAX_DRIFT_MS, MAX_MILLIS};
use proptest::prelude::*;

/// The highest physical time a clock value may carry (the last millisecond of year 9999, UTC).
const END_OF_9999: u64 = MAX_MILLIS;

/// Physical times, with the edges drawn often: zero, today, the last millisecond allowed.
fn millis() -> impl Strategy<Value = u64> {
    prop_oneof![
        0..=END_OF_9999,
        Just(END_OF_9999),
        END_OF_9999 - 3..=END_OF_9999,
        1_764_000_000_000u64..1_764_000_000_010,
        0u64..4,
    ]
}

/// Counters, with the edges drawn often: 0, the old 4-digit text limit (0xffff, 0x10000), the top.
fn counter() -> impl Strategy<Value = u32> {
    prop_oneof![
        any::<u32>(),
        Just(u32::MAX),
        u32::MAX - 3..=u32::MAX,
        0xfffeu32..=0x10001,
        0u32..4,
    ]
}

/// Any value the clock accepts.
fn in_bound() -> impl Strategy<Value = Hlc> {
    (millis(), counter()).prop_map(|(millis, counter)| Hlc { millis, counter })
}

/// Any wall-clock reading, even one no real clock gives.
fn any_now() -> impl Strategy<Value = u64> {
    prop_oneof![any::<u64>(), Just(u64::MAX), millis()]
}

/// The highest value the clock can hold.
const TOP: Hlc = Hlc::MAX;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// A local event always gets a stamp after the last one, and one the clock can read back,
    /// even when 4 billion events were stamped in one millisecond or the wall clock is absurd.
    #[test]
    fn tick_moves_forward_and_stays_in_bounds(last in in_bound(), now in any_now()) {
        prop_assume!(last != TOP);
        let next = Hlc::tick(last, now);
        prop_assert!(next > last, "{next:?} after {last:?}");
        prop_assert!(next.millis <= END_OF_9999, "{next:?} out of bounds");
        prop_assert_eq!(next.to_string().parse::<Hlc>(), Ok(next));
    }

    /// Receiving a remote stamp never panics; when accepted, the clock moves past both clocks.
    #[test]
    fn receive_moves_past_both_and_stays_in_bounds(
        last in in_bound(), remote in in_bound(), now in any_now()
    ) {
        prop_assume!(last != TOP && remote != TOP);
        if let Ok(next) = Hlc::receive(last, remote, now) {
            prop_assert!(next > last && next > remote, "{next:?} after {last:?}, {remote:?}");
            prop_assert!(next.millis <= END_OF_9999, "{next:?} out of bounds");
        }
    }

    /// Neither rule panics on any input at all, even values no parser would let in.
    #[test]
    fn nothing_panics_on_any_input(
        lm in any_now(), lc in counter(), rm in any_now(), rc in counter(), now in any_now()
    ) {
        let last = Hlc { millis: lm, counter: lc };
        let remote = Hlc { millis: rm, counter: rc };
        let _ = Hlc::tick(last, now);
        let _ = Hlc::receive(last, remote, now);
    }

    /// Adopting a received stamp never moves the clock back, takes the later stamp when the
    /// server could have accepted it, and leaves the clock alone otherwise.
    #[test]
    fn adopt_never_moves_back_and_takes_only_what_the_server_accepts(
        last in in_bound(), remote in in_bound(), server_now in any_now()
    ) {
        let next = Hlc::adopt(last, remote, server_now);
        prop_assert!(next >= last);
        if remote.millis <= server_now.saturating_add(MAX_DRIFT_MS) {
            prop_assert_eq!(next, last.max(remote));
        } else {
            prop_assert_eq!(next, last);
        }
    }

    /// Databases and the server compare stamps as text (`ORDER BY hlc`, `hlc <= ?`): that must
    /// give the clock's own order for every value, also past 65,535 events in one millisecond.
    #[test]
    fn text_order_is_clock_order(a in in_bound(), b in in_bound()) {
        prop_assert_eq!(a.to_string().cmp(&b.to_string()), a.cmp(&b), "{} vs {}", a, b);
    }

    /// Every value reads back as itself, from text of one fixed width.
    #[test]
    fn text_reads_back(h in in_bound()) {
        let text = h.to_string();
        prop_assert_eq!(text.len(), 25, "{}", text);
        prop_assert_eq!(text.parse::<Hlc>(), Ok(h));
        let json = serde_json::to_string(&h).unwrap();
        prop_assert_eq!(serde_json::from_str::<Hlc>(&json).unwrap(), h);
    }

    /// Stamps written by earlier versions (4 hex digits or more for the counter) still read,
    /// as the same value: the server keeps them for ever.
    #[test]
    fn legacy_text_reads_as_the_same_value(h in in_bound()) {
        let legacy = format!("{:016}-{:04x}", h.millis, h.counter);
        prop_assert_eq!(legacy.parse::<Hlc>(), Ok(h));
    }

    /// A physical time past year 9999 is refused when read, in either text form and in JSON.
    #[test]
    fn out_of_bound_text_is_refused(m in END_OF_9999 + 1..=u64::MAX, c in any::<u32>()) {
        for text in [format!("{m:016}-{c:08x}"), format!("{m:016}-{c:04x}")] {
            prop_assert!(text.parse::<Hlc>().is_err(), "{} accepted", text);
            let json = format!("\"{text}\"");
            prop_assert!(serde_json::from_str::<Hlc>(&json).is_err(), "{} accepted", json);
        }
    }
}

#[test]
fn malformed_text_is_refused() {
    for text in [
        "",
        "-",
        "0001764387000000",
        "0001764387000000-",
        "0001764387000000-123",
        "0001764387000000-100000000",
        "0001764387000000-0000000g",
        "0001764387000000-+0000001",
        "0001764387000000-0000FFFF",
        "+001764387000000-00000000",
        "1764387000000-00000000",
        "00001764387000000-00000000",
        "0001764387000000_00000000",
        "0001764387000000-00000000 ",
    ] {
        assert!(text.parse::<Hlc>().is_err(), "{text:?} accepted");
    }
}

#[test]
fn a_full_counter_moves_to_the_next_millisecond() {
    let m = 1_764_387_000_000;
    let full = Hlc {
        millis: m,
        counter: u32::MAX,
    };
    let next = Hlc {
        millis: m + 1,
        counter: 0,
    };
    // 4 billion local events in one millisecond, or a remote stamp that full, then one more.
    assert_eq!(Hlc::tick(full, m), next);
    assert_eq!(Hlc::tick(full, m - 1), next);
    assert_eq!(Hlc::receive(full, full, m), Ok(next));
}
