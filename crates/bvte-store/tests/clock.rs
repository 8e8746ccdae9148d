//! The hybrid clock as a PC keeps it (issue 10, item 7), with real databases: a stamp received
//! from elsewhere moves this PC's clock only within a bound of the server's clock, a counter at
//! its limit neither crashes the app nor misorders the next edit, and stamps past 65,535 events
//! in one millisecond still compare in clock order where the database compares them as text.

mod support;

use bvte_domain::Instant;
use bvte_domain::time::parse_instant;
use bvte_protocol::hlc::MAX_DRIFT_MS;
use bvte_protocol::{Change, Hlc};
use bvte_store::{Origin, Store, WriteCtx};
use support::*;

fn ms(t: Instant) -> u64 {
    t.timestamp_millis() as u64
}

/// `c` as if its author's clock had given it `hlc` (the server keeps what it was sent).
fn stamped(c: &Change, millis: u64, counter: u32) -> Change {
    let mut c = c.clone();
    c.hlc = Hlc { millis, counter };
    c
}

/// The last change this device made.
fn last_own(store: &Store) -> Change {
    store.outbox(0, 10_000).unwrap().pop().unwrap()
}

/// Another device's new child, to carry a clock value to a device.
fn foreign_child(dir: &std::path::Path, file: &str) -> Change {
    let mut other = device(dir, &format!("{file}.db"));
    add_child(&mut other, "Đỗ Văn Xuân", 1);
    last_own(&other)
}

#[test]
fn a_conflict_settled_after_65536_stamps_in_one_millisecond_closes_on_every_pc() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, mut c) = (
        device(dir.path(), "a.db"),
        device(dir.path(), "b.db"),
        device(dir.path(), "c.db"),
    );
    let kid = add_child(&mut a, "Lê Thị Hoa", 1);
    let created = a.outbox(0, 10).unwrap();
    b.apply_remote(&created, 1, None, at(1), server(1)).unwrap();
    c.apply_remote(&created, 1, None, at(1), server(1)).unwrap();
    // A and B have each stamped about 65,535 changes in the same millisecond (as demo data
    // does): A's next stamp has counter 0xffff, B's 0x10000.
    let m = ms(at(5));
    a.apply_remote(
        &[stamped(&foreign_child(dir.path(), "x"), m, 0xfffe)],
        2,
        None,
        at(5),
        server(5),
    )
    .unwrap();
    b.apply_remote(
        &[stamped(&foreign_child(dir.path(), "y"), m, 0xffff)],
        2,
        None,
        at(5),
        server(5),
    )
    .unwrap();
    rename(&mut a, &kid, "Lê Thị Hoa", "Thôn Đông", "Cán bộ A", 5);
    rename(&mut b, &kid, "Lê Thị Hoa", "Thôn Đoài", "Cán bộ B", 5);
    let (edit_a, edit_b) = (last_own(&a), last_own(&b));
    assert_eq!(edit_a.hlc.counter, 0xffff, "A's edit");
    assert_eq!(edit_b.hlc.counter, 0x10000, "B's edit");
    // Neither saw the other's edit: C and A both show the conflict.
    c.apply_remote(&[edit_a], 3, None, at(6), server(6))
        .unwrap();
    c.apply_remote(std::slice::from_ref(&edit_b), 4, None, at(6), server(6))
        .unwrap();
    assert_eq!(c.open_conflicts().unwrap().len(), 1, "C sees the conflict");
    a.apply_remote(&[edit_b], 3, None, at(6), server(6))
        .unwrap();
    let on_a = a.open_conflicts().unwrap();
    assert_eq!(on_a.len(), 1, "A sees the conflict");
    // A's officer keeps A's value, having seen both.
    a.resolve_conflict(on_a[0].id, true, &w("Cán bộ A", 7))
        .unwrap();
    c.apply_remote(&[last_own(&a)], 5, None, at(8), server(8))
        .unwrap();
    assert_eq!(c.child(kid.id).unwrap().data.village, "Thôn Đông");
    assert!(
        c.open_conflicts().unwrap().is_empty(),
        "the officer's choice was made after seeing both values, so C must close the conflict too"
    );
}

#[test]
fn a_stamp_at_the_counter_limit_neither_crashes_nor_misorders_the_next_edit() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = device(dir.path(), "a.db");
    let m = ms(at(5));
    let remote = stamped(&foreign_child(dir.path(), "x"), m, u32::MAX);
    a.apply_remote(std::slice::from_ref(&remote), 1, None, at(5), server(5))
        .unwrap();
    // The officer saves a child in the same millisecond: the app must not stop, and the edit
    // must order after what this PC had already seen.
    let kid = add_child(&mut a, "Phạm Văn Nam", 5);
    let mine = last_own(&a);
    assert!(
        mine.hlc > remote.hlc,
        "{:?} after {:?}",
        mine.hlc,
        remote.hlc
    );
    assert!(mine.hlc.to_string() > remote.hlc.to_string());
    assert_eq!(a.child(kid.id).unwrap().data.full_name, "Phạm Văn Nam");
}

#[test]
fn a_change_stamped_far_ahead_of_the_server_does_not_drag_this_pcs_clock() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = device(dir.path(), "b.db");
    // Year 9000: more than any honest clock, yet a value the clock can read.
    let far = ms(parse_instant("t", "9000-01-01 00:00").unwrap());
    let remote = stamped(&foreign_child(dir.path(), "x"), far, 0);
    b.apply_remote(std::slice::from_ref(&remote), 1, None, at(5), server(5))
        .unwrap();
    // The change itself is kept: the child is in B's register.
    assert_eq!(b.count_children(&Default::default()).unwrap(), 1);
    // B's next edit is stamped near the server's clock, so the server accepts it and the
    // officers see when it was really made.
    add_child(&mut b, "Phạm Văn Nam", 6);
    let mine = last_own(&b);
    assert!(
        mine.hlc.millis <= ms(at(6)) + MAX_DRIFT_MS,
        "B's edit stamped {} ms after its clock",
        mine.hlc.millis - ms(at(6))
    );
}

#[test]
fn a_pc_a_year_behind_still_orders_its_edits_after_what_the_server_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = device(dir.path(), "b.db");
    // B's own clock says a year earlier than the server's.
    let behind = parse_instant("t", "2025-11-29 09:05").unwrap();
    // Another PC's change, stamped by a right clock two minutes before the server's now.
    let remote = stamped(&foreign_child(dir.path(), "x"), ms(at(3)), 7);
    b.apply_remote(std::slice::from_ref(&remote), 1, None, behind, server(5))
        .unwrap();
    let mut kids = b.list_children(&Default::default(), all()).unwrap();
    assert_eq!(kids.len(), 1, "the change is kept");
    // B's next edit still comes after what it has seen.
    let kid = kids.remove(0);
    let mut edited = kid.data.clone();
    edited.village = "Thôn Hạ".into();
    let ctx = WriteCtx {
        origin: Origin::Ui,
        author: "Cán bộ B".into(),
        account: String::new(),
        now: behind,
    };
    b.update_child(kid.id, &edited, &ctx).unwrap();
    let mine = last_own(&b);
    assert!(
        mine.hlc > remote.hlc,
        "{:?} after {:?}",
        mine.hlc,
        remote.hlc
    );
}
