//! Tests of `lockout.rs` with an injected clock: the wall clock jumps a year either way and
//! the monotonic clock goes on, or the computer restarts and only the wall clock is left.
use super::*;

fn wall(s: &str) -> Instant {
    bvte_domain::time::parse_instant("t", s).unwrap()
}

/// A moment: the wall clock at `wall_s` seconds after 29/11/2026 09:00, the boot clock of boot
/// `boot` at `mono_s` seconds.
fn at(wall_s: i64, boot: &str, mono_s: u64) -> Moment {
    Moment {
        wall: wall("2026-11-29 09:00") + chrono::Duration::seconds(wall_s),
        mono: Some(Monotonic {
            origin: format!("boot:{boot}"),
            ms: mono_s * 1000,
        }),
    }
}

const YEAR: i64 = 365 * 24 * 3600;

fn five_failures_at(db: &Path, m: &Moment) -> Attempts {
    for _ in 0..4 {
        Attempts::failed(db, m);
    }
    Attempts::failed(db, m)
}

#[test]
fn one_typo_never_locks_out_and_waits_grow_to_a_cap() {
    assert_eq!(wait_seconds(1), 0);
    assert_eq!(wait_seconds(4), 0);
    assert_eq!(wait_seconds(5), 30);
    assert_eq!(wait_seconds(6), 60);
    assert_eq!(wait_seconds(9), 480);
    assert_eq!(wait_seconds(10), 900);
    assert_eq!(wait_seconds(50), 900);
    assert_eq!(wait_seconds(u32::MAX), 900);
}

#[test]
fn the_count_survives_a_restart_and_clears_on_success() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let now = at(0, "a", 100);
    five_failures_at(&db, &now);
    let a = Attempts::current(&db, &now);
    assert_eq!(a.failures, 5);
    assert_eq!(a.retry_after(&now), 30);
    assert_eq!(a.retry_after(&at(31, "a", 131)), 0);
    Attempts::succeeded(&db);
    assert_eq!(Attempts::load(&db).failures, 0);
}

#[test]
fn while_the_computer_stays_on_only_the_monotonic_clock_counts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let a = five_failures_at(&db, &at(0, "a", 1000));
    // The wall clock set back a year: 31 real seconds later the officer may try again.
    assert_eq!(a.retry_after(&at(-YEAR, "a", 1010)), 20);
    assert_eq!(a.retry_after(&at(-YEAR + 31, "a", 1031)), 0);
    // Set forward a year: the wait is not skipped.
    assert_eq!(a.retry_after(&at(YEAR, "a", 1010)), 20);
    assert_eq!(
        Attempts::current(&db, &at(YEAR, "a", 1010)),
        a,
        "nothing re-stamped"
    );
}

#[test]
fn after_a_restart_a_clock_set_back_restarts_the_wait_once_never_longer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    five_failures_at(&db, &at(YEAR, "a", 1000));
    // Another boot, the clock corrected back a year: the wait runs from now, 30 s.
    let corrected = at(0, "b", 20);
    let a = Attempts::current(&db, &corrected);
    assert_eq!(a.retry_after(&corrected), 30);
    assert_eq!(
        Attempts::current(&db, &at(31, "b", 51)).retry_after(&at(31, "b", 51)),
        0,
        "then it counts down on the boot clock"
    );
    // Without any monotonic clock (another process on Windows), the same on the wall clock.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("y.db");
    five_failures_at(&db, &Moment::wall_only(wall("2027-11-29 09:00")));
    let back = Moment::wall_only(wall("2026-11-29 09:00"));
    assert_eq!(Attempts::current(&db, &back).retry_after(&back), 30);
    let later = Moment::wall_only(wall("2026-11-29 09:01"));
    assert_eq!(Attempts::current(&db, &later).retry_after(&later), 0);
}

#[test]
fn no_clock_jump_makes_anyone_wait_longer_than_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    for failures in 5..=20u32 {
        let db = dir.path().join(format!("{failures}.db"));
        for _ in 0..failures {
            Attempts::failed(&db, &at(0, "a", 500));
        }
        for jump in [-10 * YEAR, -YEAR, -3600, -1, 0, 1, 3600, YEAR] {
            for now in [
                at(jump, "a", 500),
                at(jump, "a", 400),
                at(jump, "b", 0),
                Moment::wall_only(wall("2026-11-29 09:00") + chrono::Duration::seconds(jump)),
            ] {
                let wait = Attempts::current(&db, &now).retry_after(&now);
                assert!(
                    (0..=wait_seconds(failures)).contains(&wait),
                    "{failures} failures, jump {jump}: {wait}"
                );
                assert!(wait <= MAX_WAIT_SECONDS);
            }
        }
    }
}

#[test]
fn a_record_from_an_older_version_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    std::fs::write(
        Attempts::path(&db),
        r#"{"failures":5,"last_failure":"2026-11-29T02:00:00Z"}"#,
    )
    .unwrap();
    let now = Moment::wall_only(wall("2026-11-29 09:00") + chrono::Duration::seconds(10));
    assert_eq!(Attempts::current(&db, &now).retry_after(&now), 20);
}

#[test]
fn the_monotonic_clock_moves_forward_and_is_the_same_across_calls() {
    let a = Monotonic::now();
    let b = Monotonic::now();
    assert_eq!(a.origin, b.origin);
    assert!(b.ms >= a.ms);
}

#[cfg(unix)]
#[test]
fn the_record_is_for_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    Attempts::failed(&db, &Moment::now());
    let mode = std::fs::metadata(Attempts::path(&db))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}
