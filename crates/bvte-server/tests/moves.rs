//! A child moving to another commune (design §5, scope changes): the receiving commune's
//! devices get the record's whole history, not only what follows the move; the commune it left
//! sees the move, can still send what it wrote before learning of it, and no longer receives it.

mod common;

use bvte_protocol::Change;
use bvte_protocol::Entity;
use common::{A, B, Device, Site, api_code};
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
    let case = Uuid::now_v7();
    let c2 = office.change(Entity::Case, case, json!({"child_id": child}));
    let c3 = office.change(
        Entity::CaseEvent,
        Uuid::now_v7(),
        json!({"case_id": case, "step": "received"}),
    );
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
    let step_b = b1.change(
        Entity::CaseEvent,
        Uuid::now_v7(),
        json!({"case_id": case, "step": "initial_assessment"}),
    );
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
    let case_b = b2.change(Entity::Case, Uuid::now_v7(), json!({"child_id": child}));
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
    assert_eq!(
        api_code(b.push(vec![grab])).1,
        "forbidden_scope",
        "B cannot take A's child"
    );
    let bad = a.change(Entity::Child, child, json!({"commune_code": "9"}));
    assert_eq!(api_code(a.push(vec![bad])).1, "bad_request");
    assert!(pull_all(&b, 0).0.is_empty(), "nothing reached B");
}

/// Puts the site's database back to schema version 1 (before moves existed), keeping its data.
fn downgrade_to_version_1(site: &Site) {
    match &site.database {
        Some(db) => db
            .connect()
            .batch_execute(
                "DROP TABLE copies; ALTER TABLE entity_scope DROP COLUMN former;
                 ALTER TABLE entity_scope DROP COLUMN parent_id;
                 UPDATE schema_version SET version = 1;",
            )
            .unwrap(),
        None => rusqlite::Connection::open(site.data().join("server.db"))
            .unwrap()
            .execute_batch(
                "DROP TABLE copies; DROP INDEX entity_scope_by_parent;
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
        let case = Uuid::now_v7();
        let c2 = a.change(Entity::Case, case, json!({"child_id": child}));
        let c3 = a.change(
            Entity::CaseEvent,
            Uuid::now_v7(),
            json!({"case_id": case, "step": "received"}),
        );
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
