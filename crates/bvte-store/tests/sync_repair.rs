//! Issue 10 in the store: one change never stops a pull (kept aside, tried again after an
//! update); a database replaced by an older copy gets its own history back without reusing a
//! number; a device given a new id sends under it only what the server lacks.

mod support;

use bvte_protocol::api::OwnChange;
use bvte_protocol::{Change, ChangeKind, Entity, FORMAT};
use bvte_store::Store;
use bvte_store::children::ChildFilter;
use serde_json::json;
use std::collections::HashSet;
use support::{add_child, at, device, rename, server};
use uuid::Uuid;

fn count(s: &Store) -> u64 {
    s.count_children(&ChildFilter::default()).unwrap()
}

/// The changes `s` made, as it would send them.
fn sent(s: &Store) -> Vec<Change> {
    s.outbox(0, 1000).unwrap()
}

#[test]
fn a_change_this_version_cannot_apply_is_kept_aside_and_the_pull_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (device(dir.path(), "a.db"), device(dir.path(), "b.db"));
    add_child(&mut a, "Trần Văn Một", 1);
    add_child(&mut a, "Lê Thị Hai", 2);
    let good = sent(&a);
    // A change whose content no device of this version can read (a number for a name), and a
    // case step for a case nobody has sent yet.
    let mut broken = good[0].clone();
    broken.change_id = Uuid::now_v7();
    broken.seq = 3;
    broken.hlc.counter += 5;
    broken.fields = json!({"full_name": 12}).as_object().unwrap().clone();
    let case = Uuid::now_v7();
    let mut early = good[0].clone();
    early.change_id = Uuid::now_v7();
    early.seq = 4;
    early.entity = Entity::CaseEvent;
    early.entity_id = Uuid::now_v7();
    early.kind = ChangeKind::AppendEvent;
    early.fields = json!({
        "id": early.entity_id, "case_id": case, "occurred_at": "2026-11-29T09:00:00+07:00",
        "recorded_at": "2026-11-29T09:00:00+07:00", "author": "Cán bộ",
        "step": "verification", "data": {}
    })
    .as_object()
    .unwrap()
    .clone();
    let page = vec![good[0].clone(), broken, early.clone(), good[1].clone()];
    let applied = b.apply_remote(&page, 4, None, at(3), server(3)).unwrap();
    assert_eq!((applied.applied, applied.held), (2, 2), "{applied:?}");
    assert_eq!(count(&b), 2, "the changes after the bad ones are applied");
    assert_eq!(b.pull_cursor().unwrap(), 4, "the cursor moves on");
    let st = b.sync_status().unwrap();
    assert_eq!((st.held, st.newer_format), (2, 0));

    // Tried again at the next sync: still unreadable, still aside, nothing fails.
    let again = b.retry_held(FORMAT, at(4), server(4)).unwrap();
    assert_eq!((again.applied, again.held), (0, 2));
    assert_eq!(b.sync_status().unwrap().held, 2);
}

#[test]
fn a_change_from_a_newer_bvte_waits_for_the_update_then_applies() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (device(dir.path(), "a.db"), device(dir.path(), "b.db"));
    let kid = add_child(&mut a, "Trần Văn Một", 1);
    rename(&mut a, &kid, "Trần Văn Một Mới", "Thôn 2", "Cán bộ", 2);
    let mut page = sent(&a);
    page[1].format = FORMAT + 1;
    let applied = b.apply_remote(&page, 2, None, at(3), server(3)).unwrap();
    assert_eq!((applied.applied, applied.held), (1, 1));
    assert_eq!(
        b.sync_status().unwrap().newer_format,
        1,
        "the officer is told to update"
    );
    assert_eq!(b.child(kid.id).unwrap().data.full_name, "Trần Văn Một");
    assert_eq!(
        b.retry_held(FORMAT, at(4), server(4)).unwrap().applied,
        0,
        "not before the update"
    );

    // After the update (a build that reads that format), the next sync applies it.
    let after = b.retry_held(FORMAT + 1, at(5), server(5)).unwrap();
    assert_eq!((after.applied, after.held), (1, 0));
    assert_eq!(b.child(kid.id).unwrap().data.full_name, "Trần Văn Một Mới");
    let st = b.sync_status().unwrap();
    assert_eq!((st.held, st.newer_format), (0, 0));
}

/// The server's view of a device's own changes after `from`.
fn own(log: &[Change], from: u64) -> Vec<OwnChange> {
    log.iter()
        .filter(|c| c.seq > from)
        .map(|c| OwnChange {
            change: c.clone(),
            refused: None,
        })
        .collect()
}

/// Closes `s` and copies its files to `to` (a backup, or a restore over another database).
fn copy(s: Store, to: &std::path::Path) -> Store {
    let from = s.path().to_path_buf();
    drop(s);
    for (f, t) in [("", ""), (".keys", ".keys")] {
        std::fs::copy(
            format!("{}{f}", from.display()),
            format!("{}{t}", to.display()),
        )
        .unwrap();
    }
    Store::open(&from, bvte_store::Unlock::Passphrase("mật khẩu 123")).unwrap()
}

/// Closes `s` and puts the copy at `backup` in its place, as an office restoring a backup
/// does (no journal of the replaced database left behind); opens it again.
fn restore(s: Store, backup: &std::path::Path) -> Store {
    let path = s.path().to_path_buf();
    drop(s);
    for suffix in ["", ".keys"] {
        std::fs::copy(
            format!("{}{suffix}", backup.display()),
            format!("{}{suffix}", path.display()),
        )
        .unwrap();
    }
    for journal in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{journal}", path.display()));
    }
    Store::open(&path, bvte_store::Unlock::Passphrase("mật khẩu 123")).unwrap()
}

#[test]
fn a_database_restored_from_an_older_copy_gets_its_own_history_back_and_renumbers_new_work() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = device(dir.path(), "a.db");
    let one = add_child(&mut a, "Nguyễn Văn Một", 1);
    a.set_acked_seq(1).unwrap();
    let backup = dir.path().join("backup.db");
    let mut a = copy(a, &backup);
    add_child(&mut a, "Trần Thị Hai", 2);
    rename(&mut a, &one, "Nguyễn Văn Một Mới", "Thôn 1", "Cán bộ", 3);
    // Deleting a record the copy will also have, after editing it: the deletion saw its edit.
    let server_log = sent(&a);
    assert_eq!(server_log.len(), 3);
    a.set_acked_seq(3).unwrap();

    // Restored: the copy knows only the first change; the officer adds a child before syncing.
    let mut a = restore(a, &backup);
    assert_eq!(count(&a), 1);
    let ba = add_child(&mut a, "Lê Văn Ba", 4);
    assert_eq!(
        sent(&a).last().unwrap().seq,
        2,
        "the copy reuses the number 2"
    );

    let done = a
        .reconcile_own(&own(&server_log, 1), 3, at(5), server(5))
        .unwrap();
    assert_eq!((done.recovered, done.renumbered), (2, 1));
    assert_eq!(count(&a), 3, "its lost work is back");
    assert_eq!(
        a.child(one.id).unwrap().data.full_name,
        "Nguyễn Văn Một Mới"
    );
    assert_eq!(a.acked_seq().unwrap(), 3);
    let outbox = a.outbox(3, 100).unwrap();
    assert_eq!(outbox.len(), 1, "only the new child waits to be sent");
    assert_eq!((outbox[0].seq, outbox[0].entity_id), (4, ba.id.0));
    assert_eq!(a.pending_changes().unwrap(), 1);
    // Done twice (a sync cut after it): nothing changes.
    let again = a
        .reconcile_own(&own(&server_log, 1), 3, at(6), server(6))
        .unwrap();
    assert_eq!((again.recovered, again.renumbered), (0, 1));
    assert_eq!(a.outbox(3, 100).unwrap()[0].seq, 4);
    // The next write never takes a number the server holds.
    add_child(&mut a, "Phạm Văn Bốn", 7);
    let seqs: Vec<u64> = a.outbox(3, 100).unwrap().iter().map(|c| c.seq).collect();
    assert_eq!(seqs, vec![4, 5]);
}

#[test]
fn a_deletion_renumbered_after_a_restore_never_claims_an_edit_it_did_not_see() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = device(dir.path(), "a.db");
    let kid = add_child(&mut a, "Nguyễn Văn Một", 1);
    a.set_acked_seq(1).unwrap();
    let backup = dir.path().join("backup.db");
    let mut a = copy(a, &backup);
    // After the copy: an edit, sent to the server.
    rename(&mut a, &kid, "Nguyễn Văn Một Mới", "Thôn 1", "Cán bộ", 2);
    let server_log = sent(&a);
    let mut a = restore(a, &backup);
    // On the restored copy the officer deletes the record, never having seen that edit.
    a.delete_child(kid.id, "Nhập trùng", &support::w("Cán bộ", 3))
        .unwrap();
    a.reconcile_own(&own(&server_log, 1), 2, at(4), server(4))
        .unwrap();
    assert!(
        a.child(kid.id).is_ok(),
        "the edit it never saw keeps the record (a conflict for the officer), not lost"
    );
    assert!(!a.open_conflicts().unwrap().is_empty());
}

#[test]
fn a_device_given_a_new_id_sends_under_it_only_what_the_server_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = device(dir.path(), "a.db");
    let old = a.installation().device_id;
    add_child(&mut a, "Nguyễn Văn Một", 1);
    add_child(&mut a, "Lê Văn Ba", 2);
    let log = sent(&a);
    let known: HashSet<Uuid> = [log[0].change_id].into();
    let new = Uuid::now_v7();
    assert_eq!(a.adopt_device_id(new, &known, at(3)).unwrap(), 1);
    assert_eq!(a.installation().device_id, new);
    let outbox = a.outbox(0, 100).unwrap();
    assert_eq!(outbox.len(), 1, "what the server holds is not sent again");
    assert_eq!(
        (outbox[0].change_id, outbox[0].device_id, outbox[0].seq),
        (log[1].change_id, new, 1)
    );
    assert_eq!(
        a.pull_cursor().unwrap(),
        0,
        "the old id's changes come back by pull"
    );
    add_child(&mut a, "Trần Thị Hai", 3);
    assert_eq!(a.outbox(0, 100).unwrap()[1].seq, 2);
    let reopened = Store::open(a.path(), bvte_store::Unlock::Passphrase("mật khẩu 123")).unwrap();
    assert_eq!(reopened.installation().device_id, new, "kept for good");
    assert_ne!(old, new);
}
