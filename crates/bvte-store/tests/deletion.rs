//! Deleting a child's record across devices (design §5, tombstones): a deletion takes effect
//! everywhere only if it saw every edit of the record; otherwise the record stays and the
//! officer decides. Nothing is destroyed.

mod support;

use bvte_domain::case::{CaseContext, CaseInput};
use bvte_store::children::ChildFilter;
use bvte_store::deletion::RECORD;
use bvte_store::{Store, StoreError};
use serde_json::json;
use support::*;

fn search(store: &Store, q: &str) -> usize {
    let filter = ChildFilter {
        query: Some(q.into()),
        ..Default::default()
    };
    store.count_children(&filter).unwrap() as usize
}

fn deleted_ids(store: &Store) -> Vec<String> {
    store
        .deleted_children()
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect()
}

fn open_case(store: &mut Store, kid: &bvte_domain::child::Child, minute: u32) {
    let input: CaseInput = serde_json::from_value(json!({
        "child_id": kid.id.to_string(), "received_at": format!("2026-11-29 09:{minute:02}"),
        "category": "abused", "abuse_forms": ["violence"], "environment": "family",
        "channel": "phone", "reporter": {"full_name": "Người Báo Tin", "phone": "", "address": ""}
    }))
    .unwrap();
    let new = input
        .validate(
            kid.id,
            &CaseContext {
                now: at(minute),
                default_commune: "09955".into(),
                child_birth_date: kid.data.birth_date(),
                child_commune: "09955".into(),
            },
        )
        .unwrap();
    store.insert_case(&new, &w("Cán bộ", minute)).unwrap();
}

#[test]
fn a_deleted_child_leaves_every_register_and_an_undo_brings_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (device(dir.path(), "a.db"), device(dir.path(), "b.db"));
    let mut relay = Relay::default();
    let twice = add_child(&mut a, "Lò Thị Đào", 1);
    add_child(&mut a, "Lò Thị Đào Hoa", 2);
    relay.sync(&mut a, 3);
    relay.sync(&mut b, 3);
    assert_eq!(search(&b, "dao"), 2);

    a.delete_child(twice.id, "Nhập trùng với hồ sơ khác", &w("Chị Lan", 4))
        .unwrap();
    assert_eq!(search(&a, "dao"), 1, "gone from search at once");
    assert!(matches!(
        a.child(twice.id),
        Err(StoreError::NotFound { .. })
    ));
    let gone = &a.deleted_children().unwrap()[0];
    assert_eq!(
        (
            gone.full_name.as_str(),
            gone.reason.as_str(),
            gone.deleted_by.as_str()
        ),
        ("Lò Thị Đào", "Nhập trùng với hồ sơ khác", "Chị Lan")
    );

    relay.sync(&mut a, 5);
    relay.sync(&mut b, 5);
    assert_eq!(names(&b), names(&a));
    assert_eq!(search(&b, "dao"), 1);
    assert_eq!(deleted_ids(&b), vec![twice.id.to_string()]);
    assert!(b.open_conflicts().unwrap().is_empty());

    // Undo on the other device: the record comes back whole, everywhere.
    b.keep_child(twice.id, &w("Anh Nam", 6)).unwrap();
    assert_eq!(b.child(twice.id).unwrap().data.full_name, "Lò Thị Đào");
    relay.sync(&mut b, 7);
    relay.sync(&mut a, 7);
    assert_eq!(names(&a), names(&b));
    assert_eq!(search(&a, "dao"), 2);
    assert!(deleted_ids(&a).is_empty() && deleted_ids(&b).is_empty());
    assert!(a.open_conflicts().unwrap().is_empty());
}

#[test]
fn an_edit_the_deletion_never_saw_keeps_the_record_until_an_officer_decides() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (device(dir.path(), "a.db"), device(dir.path(), "b.db"));
    let mut relay = Relay::default();
    let kid = add_child(&mut a, "Vàng A Páo", 1);
    relay.sync(&mut a, 2);
    relay.sync(&mut b, 2);
    // B's clock is behind: its edit carries an earlier time than A's deletion although A never
    // saw it. A rule judged by clock values would delete B's work without a word.
    rename(&mut b, &kid, "Vàng A Páo", "Bản Mới", "Anh Nam", 3);
    a.delete_child(kid.id, "Nhập trùng", &w("Chị Lan", 30))
        .unwrap();
    relay.sync(&mut a, 31);
    relay.sync(&mut b, 31);
    relay.sync(&mut a, 32);
    for d in [&a, &b] {
        assert_eq!(
            d.child(kid.id).unwrap().data.village,
            "Bản Mới",
            "the edit is kept"
        );
        let open = d.open_conflicts().unwrap();
        assert_eq!(open.len(), 1, "{open:?}");
        assert_eq!(open[0].field, RECORD);
        assert_eq!(open[0].kept.value["fields"], json!(["village"]));
        assert_eq!(open[0].kept.author, "Anh Nam");
        assert_eq!(open[0].other.value["reason"], "Nhập trùng");
        assert_eq!(open[0].other.author, "Chị Lan");
    }
    // The officer on B, having seen the edit, deletes after all.
    let id = b.open_conflicts().unwrap()[0].id;
    b.resolve_conflict(id, true, &w("Anh Nam", 33)).unwrap();
    relay.sync(&mut b, 34);
    relay.sync(&mut a, 34);
    for d in [&a, &b] {
        assert!(d.child(kid.id).is_err());
        assert!(d.open_conflicts().unwrap().is_empty());
        assert_eq!(deleted_ids(d), vec![kid.id.to_string()]);
    }
}

#[test]
fn keeping_the_record_settles_the_deletion_on_every_device() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (device(dir.path(), "a.db"), device(dir.path(), "b.db"));
    let mut relay = Relay::default();
    let kid = add_child(&mut a, "Hà Văn Tú", 1);
    relay.sync(&mut a, 2);
    relay.sync(&mut b, 2);
    a.delete_child(kid.id, "Nhập trùng", &w("Chị Lan", 3))
        .unwrap();
    rename(&mut b, &kid, "Hà Văn Tú", "Thôn 9", "Anh Nam", 4);
    relay.sync(&mut b, 5);
    relay.sync(&mut a, 5);
    let id = a.open_conflicts().unwrap()[0].id;
    a.resolve_conflict(id, false, &w("Chị Lan", 6)).unwrap();
    relay.sync(&mut a, 7);
    relay.sync(&mut b, 7);
    for d in [&a, &b] {
        assert!(d.open_conflicts().unwrap().is_empty());
        assert_eq!(d.child(kid.id).unwrap().data.village, "Thôn 9");
    }
    assert_eq!(names(&a), names(&b));
}

#[test]
fn a_case_opened_elsewhere_for_a_deleted_child_brings_the_child_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (device(dir.path(), "a.db"), device(dir.path(), "b.db"));
    let mut relay = Relay::default();
    let kid = add_child(&mut a, "Giàng Thị Mai", 1);
    relay.sync(&mut a, 2);
    relay.sync(&mut b, 2);
    a.delete_child(kid.id, "Nhập trùng", &w("Chị Lan", 3))
        .unwrap();
    open_case(&mut b, &kid, 4);
    relay.sync(&mut a, 5);
    relay.sync(&mut b, 5);
    relay.sync(&mut a, 6);
    for d in [&a, &b] {
        assert_eq!(d.cases(Some(kid.id)).unwrap().len(), 1);
        assert!(
            d.child(kid.id).is_ok(),
            "the case's child is in the register"
        );
        let open = d.open_conflicts().unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].kept.value["cases"], 1);
    }
    // Deleting it now is refused: the case must be kept.
    let id = a.open_conflicts().unwrap()[0].id;
    let e = a.resolve_conflict(id, true, &w("Chị Lan", 7)).unwrap_err();
    assert!(e.to_string().contains("1 vụ việc"), "{e}");
    a.resolve_conflict(id, false, &w("Chị Lan", 7)).unwrap();
    relay.sync(&mut a, 8);
    relay.sync(&mut b, 8);
    assert!(b.open_conflicts().unwrap().is_empty());
}

#[test]
fn a_child_with_a_case_cannot_be_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = device(dir.path(), "a.db");
    let kid = add_child(&mut a, "Sùng A Lử", 1);
    open_case(&mut a, &kid, 2);
    let e = a
        .delete_child(kid.id, "Nhập trùng", &w("Chị Lan", 3))
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
    assert!(a.child(kid.id).is_ok());
    assert_eq!(a.pending_changes().unwrap(), 3, "no tombstone written");
}
