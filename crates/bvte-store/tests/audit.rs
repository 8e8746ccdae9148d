//! Issue 14, the audit trail in the store: every change this installation makes is entered with
//! who, when and the record's id (never a name); the chain finds an entry edited, removed or
//! moved, and the database refuses edits of the trail outright.

mod support;

use bvte_store::{AuditAction, Store};
use support::{add_child, device, w};

fn trail(s: &Store) -> Vec<bvte_store::AuditEntry> {
    s.audit_entries(0, 1000, None).unwrap()
}

/// A register with four entries: three children added and one viewed.
fn four(dir: &std::path::Path) -> Store {
    let mut s = device(dir, "a.db");
    add_child(&mut s, "Nguyễn Văn Đức", 1);
    let b = add_child(&mut s, "Trần Thị Hương", 2);
    add_child(&mut s, "Lê Văn Ba", 3);
    s.audit(
        &w("Cán bộ Lan", 4),
        AuditAction::ViewChild,
        &format!("child:{}", b.id),
        "",
    )
    .unwrap();
    s
}

#[test]
fn every_change_and_view_is_entered_with_ids_and_never_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let s = four(dir.path());
    let t = trail(&s);
    assert_eq!(t.len(), 4);
    assert_eq!(
        t.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["change", "change", "change", "view_child"]
    );
    assert!(t[0].target.starts_with("child:"), "{}", t[0].target);
    assert_eq!(
        (t[3].actor.as_str(), t[0].actor.as_str()),
        ("Cán bộ Lan", "Cán bộ")
    );
    for e in &t {
        let text = format!("{} {} {}", e.target, e.detail, e.action);
        for name in ["Đức", "Hương", "Ba"] {
            assert!(!text.contains(name), "no child's name in the trail: {text}");
        }
    }
    assert_eq!(s.verify_audit().unwrap().first_broken, None);
    assert_eq!(s.verify_audit().unwrap().entries, 4);
    let views = s
        .audit_entries(0, 10, Some(AuditAction::ViewChild))
        .unwrap();
    assert_eq!(views.len(), 1);
}

#[test]
fn the_database_refuses_to_edit_or_delete_the_trail() {
    let dir = tempfile::tempdir().unwrap();
    let s = four(dir.path());
    for sql in [
        "UPDATE audit_log SET actor = 'ai đó' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 2",
    ] {
        let e = s.debug_execute(sql).unwrap_err();
        assert!(e.to_string().contains("append-only"), "{e}");
    }
    assert_eq!(trail(&s).len(), 4);
}

/// Tampering as someone holding the key could: the triggers dropped first.
fn tampered(sql: &str) -> (i64, String) {
    let dir = tempfile::tempdir().unwrap();
    let s = four(dir.path());
    s.debug_execute(
        "DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete;",
    )
    .unwrap();
    s.debug_execute(sql).unwrap();
    s.verify_audit()
        .unwrap()
        .first_broken
        .expect("the tampering is found")
}

#[test]
fn an_edited_removed_or_moved_entry_breaks_the_chain_where_it_happened() {
    let (seq, why) = tampered("UPDATE audit_log SET actor = 'người khác' WHERE seq = 2");
    assert_eq!(seq, 2);
    assert!(why.contains("bị sửa"), "{why}");

    let (seq, why) = tampered("DELETE FROM audit_log WHERE seq = 2");
    assert_eq!(seq, 3, "the entry after the gap");
    assert!(why.contains("thiếu mục số 2"), "{why}");

    // The last entry removed: nothing after it to notice, so the count says it (4 → 3).
    let dir = tempfile::tempdir().unwrap();
    let s = four(dir.path());
    s.debug_execute(
        "DROP TRIGGER audit_log_append_only_delete; DELETE FROM audit_log WHERE seq = 4",
    )
    .unwrap();
    assert_eq!(s.verify_audit().unwrap().entries, 3);

    // Two entries swapped, numbers kept.
    let (seq, _) = tampered(
        "UPDATE audit_log SET seq = 100 WHERE seq = 2;
         UPDATE audit_log SET seq = 2 WHERE seq = 3;
         UPDATE audit_log SET seq = 3 WHERE seq = 100;",
    );
    assert_eq!(seq, 2);

    // An entry re-hashed after its edit still does not fit the next one.
    let dir = tempfile::tempdir().unwrap();
    let s = four(dir.path());
    let t = trail(&s);
    s.debug_execute(&format!(
        "DROP TRIGGER audit_log_append_only_update;
         UPDATE audit_log SET hash = '{}' WHERE seq = 2;",
        "f".repeat(64)
    ))
    .unwrap();
    let broken = s.verify_audit().unwrap().first_broken.unwrap();
    assert_eq!(broken.0, 2, "{broken:?} (was {})", t[1].hash);
}
