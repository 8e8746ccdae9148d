//! A child moving to another commune (design §5, scope changes): the receiving commune's
//! devices get the record's whole history, not only what follows the move; the commune it left
//! sees the move, can still send what it wrote before learning of it, and no longer receives it.

mod common;

use bvte_protocol::Change;
use bvte_protocol::Entity;
use bvte_protocol::api::PushResponse;
use common::{A, B, Device, Site};
use serde_json::json;
use uuid::Uuid;

/// Everything `device` pulls from `after`, in pages of 2 (so copies and changes interleave
/// across pages); returns the changes and the final cursor.
fn pull_all(device: &Device, after: u64) -> (Vec<Change>, u64) {
    let (mut got, mut cursor) = (Vec::new(), after);
    loop {
        let page = device.client.pull(cursor, 2).unwrap();
        got.extend(page.changes.into_iter().map(|s| s.change));
        assert!(page.cursor >= cursor, "the cursor never goes back");
        cursor = page.cursor;
        if !page.more {
            return (got, cursor);
        }
    }
}

#[test]
fn a_child_who_moves_arrives_in_the_new_commune_with_its_whole_history() {
    let site = Site::new();
    let server = site.serve();
    let mut office = server.device(&site, A);
    let laptop = server.device(&site, A);
    let mut b1 = server.device(&site, B);

    // Commune A's record: a child, a case, a step; and one child of B's own.
    let (child, c1) = office.new_child(A);
    let (case, c2) = office.new_case(child);
    let c3 = office.new_step(case);
    let (_, other) = office.new_child(A);
    office
        .push(vec![c1.clone(), c2.clone(), c3.clone(), other])
        .unwrap();
    let (_, own) = b1.new_child(B);
    b1.push(vec![own]).unwrap();
    let (before, b_cursor) = pull_all(&b1, 0);
    assert!(before.is_empty(), "B sees nothing of A's before the move");

    // The family moves: A's officer changes the child's commune.
    let moving = office.change(Entity::Child, child, json!({"commune_code": B}));
    office.push(vec![moving.clone()]).unwrap();

    let (got, b_cursor) = pull_all(&b1, b_cursor);
    assert_eq!(
        got,
        vec![c1.clone(), c2.clone(), c3.clone(), moving.clone()],
        "B receives the child, its case and the case's step, in their original order, \
         and nothing else of A's"
    );
    let (laptop_got, laptop_cursor) = pull_all(&laptop, 0);
    assert!(
        laptop_got.contains(&moving),
        "A's other devices see where the child went"
    );

    // After the move: B's edits reach B's devices, not A's.
    let edit_b = b1.change(Entity::Child, child, json!({"village": "Tổ 5"}));
    b1.push(vec![edit_b.clone()]).unwrap();
    let step_b = b1.new_step(case);
    b1.push(vec![step_b]).unwrap();
    let (laptop_after, _) = pull_all(&laptop, laptop_cursor);
    assert!(
        laptop_after.is_empty(),
        "A no longer receives the child: {laptop_after:?}"
    );

    // An edit A's laptop made offline before it learned of the move is accepted and reaches B.
    let mut laptop = laptop;
    let late = laptop.change(Entity::Child, child, json!({"full_name": "Nguyễn Văn Ân"}));
    laptop.push(vec![late.clone()]).unwrap();
    let mut b2 = server.device(&site, B);
    let (fresh, _) = pull_all(&b2, 0);
    for c in [&c1, &c2, &c3, &moving, &edit_b, &late] {
        assert_eq!(
            fresh.iter().filter(|f| f.change_id == c.change_id).count(),
            1,
            "a new device of B gets every change of the child once"
        );
    }
    let (b1_more, _) = pull_all(&b1, b_cursor);
    assert!(
        b1_more.contains(&late),
        "B's first device gets the late edit too"
    );

    // A new case for the child, opened in B, stays in B.
    let case_b = b2.new_case(child).1;
    b2.push(vec![case_b]).unwrap();
    let a_new = server.device(&site, A);
    let (a_view, _) = pull_all(&a_new, 0);
    assert!(
        a_view
            .iter()
            .all(|c| c.entity != Entity::Case || c.entity_id == case),
        "A never sees B's new case"
    );
}

#[test]
fn a_move_needs_a_five_digit_commune_and_a_device_of_the_childs_commune() {
    let site = Site::new();
    let server = site.serve();
    let mut a = server.device(&site, A);
    let (child, c) = a.new_child(A);
    a.push(vec![c]).unwrap();
    let mut b = server.device(&site, B);
    let grab = b.change(Entity::Child, child, json!({"commune_code": B}));
    let (_, own) = b.new_child(B);
    let answer = b.push(vec![grab.clone(), own]).unwrap();
    assert_eq!(
        refusals(&answer),
        vec![(grab.change_id, "forbidden_scope".to_string())],
        "B cannot take A's child"
    );
    assert_eq!(
        (answer.acked_seq, answer.stored),
        (2, 1),
        "B's own child in the same page is stored"
    );
    let bad = a.change(Entity::Child, child, json!({"commune_code": "9"}));
    assert_eq!(
        refusals(&a.push(vec![bad.clone()]).unwrap())[0].1,
        "invalid"
    );
    assert!(
        pull_all(&b, 0).0.iter().all(|c| c.entity_id != child),
        "nothing of A's child reached B"
    );
}

/// The changes a push refused, with their codes.
fn refusals(answer: &PushResponse) -> Vec<(Uuid, String)> {
    answer
        .refused
        .iter()
        .map(|r| (r.change_id, r.code.clone()))
        .collect()
}

/// Issue 10, item 1: a commune a child left may send only the edits it made before it learned
/// of the move; it can never move the child (and with it the new commune's cases), and a
/// refused change never holds up its other changes.
#[test]
fn a_former_commune_cannot_take_the_child_back_nor_edit_it_once_it_knows_of_the_move() {
    let site = Site::new();
    let server = site.serve();
    let mut office = server.device(&site, A);
    let mut laptop = server.device(&site, A);
    let mut b1 = server.device(&site, B);
    let (child, c1) = office.new_child(A);
    office.push(vec![c1]).unwrap();
    let (_, before_move) = pull_all(&laptop, 0);

    let moving = office.change(Entity::Child, child, json!({"commune_code": B}));
    office.push(vec![moving]).unwrap();
    let case_b = b1.new_case(child).1;
    b1.push(vec![case_b.clone()]).unwrap();

    // Written on the laptop before it learned of the move: accepted, and it reaches B.
    let mut early = laptop.change(Entity::Child, child, json!({"notes": "Đã gặp gia đình"}));
    early.base_cursor = before_move;
    assert!(laptop.push(vec![early.clone()]).unwrap().refused.is_empty());
    assert!(
        pull_all(&b1, 0)
            .0
            .iter()
            .any(|c| c.change_id == early.change_id)
    );

    // The laptop learns of the move.
    let (seen, knows) = pull_all(&laptop, before_move);
    assert!(
        seen.iter()
            .any(|c| c.fields.get("commune_code") == Some(&json!(B)))
    );
    assert!(
        seen.iter().all(|c| c.change_id != case_b.change_id),
        "A never receives B's case"
    );

    // Afterwards: an edit is refused, saying where the child went; the laptop's other change
    // in the same page is stored and reaches A's other devices.
    let mut late = laptop.change(Entity::Child, child, json!({"notes": "Sửa sau"}));
    late.base_cursor = knows;
    let (other_child, own) = laptop.new_child(A);
    let answer = laptop.push(vec![late.clone(), own]).unwrap();
    assert_eq!(
        refusals(&answer),
        vec![(late.change_id, "moved".to_string())]
    );
    let why = &answer.refused[0].message;
    assert!(
        why.contains("chuyển sang") && why.contains(B),
        "the officer reads where the child went: {why}"
    );
    assert_eq!(answer.acked_seq, late.seq + 1, "both numbers are taken");
    assert!(
        pull_all(&office, 0)
            .0
            .iter()
            .any(|c| c.entity_id == other_child),
        "the laptop's next change is not held up"
    );
    assert!(
        pull_all(&b1, 0)
            .0
            .iter()
            .all(|c| c.change_id != late.change_id),
        "nobody receives a refused change"
    );

    // Moving the child back is refused, even claiming not to know of the move: the child, and
    // B's case with it, stay in B.
    let mut back = laptop.change(Entity::Child, child, json!({"commune_code": A}));
    back.base_cursor = 0;
    assert_eq!(refusals(&laptop.push(vec![back]).unwrap())[0].1, "moved");
    let fresh_a = server.device(&site, A);
    assert!(
        pull_all(&fresh_a, 0)
            .0
            .iter()
            .all(|c| c.change_id != case_b.change_id),
        "B's case never goes to A"
    );
    let edit_b = b1.change(Entity::Child, child, json!({"village": "Tổ 5"}));
    assert!(
        b1.push(vec![edit_b]).unwrap().refused.is_empty(),
        "B keeps the record"
    );

    // Sent again (its answer lost), a refused change is refused again, not stored twice.
    let again = laptop.push(vec![late.clone()]).unwrap();
    assert_eq!(again.duplicates, 1);
    assert_eq!(
        refusals(&again),
        vec![(late.change_id, "moved".to_string())]
    );
}

/// Puts the site's database back to schema version 1 (and drops what later versions added) (before moves existed), keeping its data.
fn downgrade_to_version_1(site: &Site) {
    match &site.database {
        Some(db) => db
            .connect()
            .batch_execute(
                "DROP TABLE releases; DROP TABLE reporting_deadlines; ALTER TABLE enroll_codes DROP COLUMN revoked_at; ALTER TABLE devices DROP COLUMN last_sync;
                 DROP TABLE web_sessions; DROP TABLE users; DROP TABLE records; DROP TABLE server_meta; ALTER TABLE changes DROP COLUMN refusal;
                 ALTER TABLE devices DROP COLUMN officer;
                 DROP TABLE copies; ALTER TABLE entity_scope DROP COLUMN former;
                 ALTER TABLE entity_scope DROP COLUMN parent_id;
                 UPDATE schema_version SET version = 1;",
            )
            .unwrap(),
        None => rusqlite::Connection::open(site.data().join("server.db"))
            .unwrap()
            .execute_batch(
                "DROP TABLE releases; DROP TABLE reporting_deadlines; ALTER TABLE enroll_codes DROP COLUMN revoked_at; ALTER TABLE devices DROP COLUMN last_sync;
                 DROP TABLE web_sessions; DROP TABLE users; DROP TABLE records; DROP TABLE server_meta; ALTER TABLE changes DROP COLUMN refusal;
                 ALTER TABLE devices DROP COLUMN officer;
                 DROP TABLE copies; DROP INDEX entity_scope_by_parent;
                 ALTER TABLE entity_scope DROP COLUMN former;
                 ALTER TABLE entity_scope DROP COLUMN parent_id;
                 PRAGMA user_version = 1;",
            )
            .unwrap(),
    }
}

/// Records stored by the first version of the server learn their parents when it is upgraded,
/// so a child stored then still moves with its cases and their steps.
#[test]
fn cases_stored_before_the_upgrade_move_with_their_child() {
    let site = Site::new();
    let (child, case, sent) = {
        let server = site.serve();
        let mut a = server.device(&site, A);
        let (child, c1) = a.new_child(A);
        let (case, c2) = a.new_case(child);
        let c3 = a.new_step(case);
        a.push(vec![c1.clone(), c2.clone(), c3.clone()]).unwrap();
        server.terminate();
        (child, case, vec![c1, c2, c3])
    };
    downgrade_to_version_1(&site);
    let server = site.serve();
    let mut a = server.device(&site, A);
    let moving = a.change(Entity::Child, child, json!({"commune_code": B}));
    a.push(vec![moving]).unwrap();
    let b = server.device(&site, B);
    let (got, _) = pull_all(&b, 0);
    for c in &sent {
        assert!(got.contains(c), "{:?} {} reached B", c.entity, c.entity_id);
    }
    assert!(got.iter().any(|c| c.entity_id == case));
}
