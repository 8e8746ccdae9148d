//! Sync on the device side, with real databases: changes made on one device applied on others
//! through an in-test relay that behaves like the server (numbers changes in arrival order and
//! gives each device the others' changes). The server itself is tested as a real process in
//! `bvte-server` and `tests/`.

mod support;

use bvte_protocol::Entity;
use bvte_store::Store;
use bvte_store::children::ChildFilter;
use proptest::prelude::*;
use serde_json::json;
use support::*;

#[test]
fn a_child_added_on_one_device_appears_on_the_other_with_the_same_id() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (device(dir.path(), "a.db"), device(dir.path(), "b.db"));
    let mut relay = Relay::default();
    let kid = add_child(&mut a, "Nguyễn Thị Dũng", 1);
    assert_eq!(a.pending_changes().unwrap(), 1);
    assert!(!a.on_server(Entity::Child, kid.id.0).unwrap());
    relay.sync(&mut a, 2);
    assert_eq!(a.pending_changes().unwrap(), 0);
    assert!(a.on_server(Entity::Child, kid.id.0).unwrap());
    let got = relay.sync(&mut b, 3);
    assert_eq!(got.applied, 1);
    assert_eq!(b.child(kid.id).unwrap().data, kid.data);
    // Found by the folded search on the receiving device too.
    let filter = ChildFilter {
        query: Some("dung".into()),
        ..Default::default()
    };
    assert_eq!(b.count_children(&filter).unwrap(), 1);
    // What B received is not B's to send.
    assert_eq!(b.pending_changes().unwrap(), 0);
}

#[test]
fn a_page_applied_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (device(dir.path(), "a.db"), device(dir.path(), "b.db"));
    add_child(&mut a, "Trần Văn Đức", 1);
    let page = a.outbox(0, 100).unwrap();
    assert_eq!(
        b.apply_remote(&page, 1, None, at(2), server(2))
            .unwrap()
            .applied,
        1
    );
    let again = b.apply_remote(&page, 1, None, at(3), server(3)).unwrap();
    assert_eq!((again.applied, again.duplicates), (0, 1));
    assert_eq!(b.count_children(&ChildFilter::default()).unwrap(), 1);
    assert_eq!(b.changes_after(0, 100).unwrap().len(), 1);
}

#[test]
fn the_same_field_edited_on_two_devices_is_kept_as_a_conflict_until_an_officer_chooses() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (device(dir.path(), "a.db"), device(dir.path(), "b.db"));
    let mut relay = Relay::default();
    let kid = add_child(&mut a, "Lê Thị Hoa", 1);
    relay.sync(&mut a, 2);
    relay.sync(&mut b, 2);
    // Offline, both officers edit the name; only B edits the village.
    rename(&mut a, &kid, "Lê Thị Hoà", "Thôn 1", "Chị Lan", 3);
    rename(&mut b, &kid, "Lê Thị Hòa", "Thôn 2", "Anh Minh", 4);
    relay.sync(&mut a, 5);
    relay.sync(&mut b, 6);
    relay.sync(&mut a, 7);
    assert_eq!(names(&a), names(&b), "both devices show the same record");
    assert_eq!(
        b.child(kid.id).unwrap().data.village,
        "Thôn 2",
        "B's village kept"
    );
    for store in [&a, &b] {
        let open = store.open_conflicts().unwrap();
        assert_eq!(open.len(), 1, "one conflict, on the name only");
        let c = &open[0];
        assert_eq!(c.field, "full_name");
        let mut values = [c.kept.value.clone(), c.other.value.clone()];
        values.sort_by_key(|v| v.to_string());
        assert_eq!(values, [json!("Lê Thị Hoà"), json!("Lê Thị Hòa")]);
        let mut authors = [c.kept.author.clone(), c.other.author.clone()];
        authors.sort();
        assert_eq!(authors, ["Anh Minh", "Chị Lan"]);
    }
    // A keeps the value that lost by clock; the choice syncs and settles B's conflict too.
    let conflict = a.open_conflicts().unwrap().remove(0);
    let chosen = conflict.other.value.clone();
    a.resolve_conflict(conflict.id, true, &w("Chị Lan", 8))
        .unwrap();
    relay.sync(&mut a, 9);
    relay.sync(&mut b, 9);
    assert!(a.open_conflicts().unwrap().is_empty());
    assert!(b.open_conflicts().unwrap().is_empty());
    assert_eq!(json!(b.child(kid.id).unwrap().data.full_name), chosen);
    assert_eq!(names(&a), names(&b));
}

/// One step of a random scenario: a device adds a child, renames one, deletes one, brings a
/// deleted one back, or syncs.
#[derive(Debug, Clone)]
enum Op {
    Add(usize),
    Rename(usize, usize, u8),
    Delete(usize, usize),
    Undo(usize, usize),
    Sync(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize).prop_map(Op::Add),
        (0..3usize, 0..8usize, 0..4u8).prop_map(|(d, c, n)| Op::Rename(d, c, n)),
        (0..3usize, 0..8usize).prop_map(|(d, c)| Op::Delete(d, c)),
        (0..3usize, 0..8usize).prop_map(|(d, c)| Op::Undo(d, c)),
        (0..3usize).prop_map(Op::Sync),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random offline edits and deletions on three devices with random syncs: after everyone
    /// syncs twice, all three hold the same children and the same deleted ones, none lost or
    /// doubled, and the same deletions wait for an officer.
    #[test]
    fn three_devices_converge_without_loss(ops in prop::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let mut devices: Vec<Store> = (0..3).map(|i| device(dir.path(), &format!("{i}.db"))).collect();
        let mut relay = Relay::default();
        let mut added = 0usize;
        for (minute, op) in ops.iter().enumerate() {
            let minute = (minute % 50) as u32 + 1;
            match *op {
                Op::Add(d) => {
                    add_child(&mut devices[d], &format!("Nguyễn Văn Số {added}"), minute);
                    added += 1;
                }
                Op::Rename(d, c, n) => {
                    let known = devices[d].list_children(&ChildFilter::default(), all()).unwrap();
                    if let Some(kid) = known.get(c % known.len().max(1)) {
                        let name = format!("{} {n}", kid.data.full_name);
                        rename(&mut devices[d], kid, &name, &format!("Thôn {n}"), "Cán bộ", minute);
                    }
                }
                Op::Delete(d, c) => {
                    let known = devices[d].list_children(&ChildFilter::default(), all()).unwrap();
                    if let Some(kid) = known.get(c % known.len().max(1)) {
                        devices[d].delete_child(kid.id, "Nhập trùng", &w("Cán bộ", minute)).unwrap();
                    }
                }
                Op::Undo(d, c) => {
                    let gone = devices[d].deleted_children().unwrap();
                    if let Some(kid) = gone.get(c % gone.len().max(1)) {
                        let id = bvte_domain::ChildId(kid.id.parse().unwrap());
                        devices[d].keep_child(id, &w("Cán bộ", minute)).unwrap();
                    }
                }
                Op::Sync(d) => {
                    relay.sync(&mut devices[d], minute);
                }
            }
        }
        for _ in 0..2 {
            for d in devices.iter_mut() {
                relay.sync(d, 59);
            }
        }
        let gone = |d: &Store| {
            let mut v: Vec<String> = d.deleted_children().unwrap().into_iter().map(|c| c.id).collect();
            v.sort();
            v
        };
        let waiting = |d: &Store| {
            let mut v: Vec<String> = d.open_conflicts().unwrap().into_iter()
                .filter(|c| c.field == bvte_store::deletion::RECORD)
                .map(|c| c.entity_id)
                .collect();
            v.sort();
            v
        };
        let first = names(&devices[0]);
        prop_assert_eq!(
            first.len() + gone(&devices[0]).len(),
            added,
            "every child added anywhere is everywhere, once, in the register or deleted"
        );
        for d in &devices[1..] {
            prop_assert_eq!(&names(d), &first);
            prop_assert_eq!(gone(d), gone(&devices[0]));
            prop_assert_eq!(waiting(d), waiting(&devices[0]));
        }
        for d in &devices {
            prop_assert_eq!(d.pending_changes().unwrap(), 0);
        }
    }
}
