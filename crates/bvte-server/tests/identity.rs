//! Who is who (issue 10, items 2, 3 and 6): a new enrollment code never takes over or revives
//! another device; the author of a stored change is the officer its device enrolled with; every
//! answer names the server's database and its run, and the server tells a device whether it
//! still holds what the device last read.

mod common;

use bvte_protocol::Entity;
use bvte_protocol::api::{EPOCH_HEADER, EnrollRequest, SERVER_ID_HEADER};
use common::{A, OFFICER, Site, api_code};
use serde_json::json;
use uuid::Uuid;

/// Enrolls `id` for commune A with a fresh code, sending `token` (a device proving who it is).
fn enroll_with_token(
    site: &Site,
    server: &common::Server,
    id: Uuid,
    token: Option<&str>,
) -> bvte_protocol::api::EnrollResponse {
    let client = match token {
        Some(t) => server.client().with_token(t.to_owned()),
        None => server.client(),
    };
    client
        .enroll(&EnrollRequest {
            code: site.enroll_code(A),
            device_id: id,
            device_name: "Máy khác".into(),
            commune_code: A.into(),
            officer_name: "Người lạ".into(),
        })
        .unwrap()
}

#[test]
fn a_new_code_never_takes_over_or_revives_another_device() {
    let site = Site::new();
    let server = site.serve();
    let mut victim = server.device(&site, A);
    let (_, c) = victim.new_child(A);
    assert_eq!(victim.push(vec![c]).unwrap().acked_seq, 1);

    // Somebody with a code of the same commune claims the victim's id.
    let taken = enroll_with_token(&site, &server, victim.id, None);
    let given = taken.device_id.expect("the server says which id it gave");
    assert_ne!(given, victim.id, "a known id is never given again");
    assert_eq!(
        taken.acked_seq, 0,
        "nothing of the victim's log comes with it"
    );
    assert_eq!(
        victim.client.status().unwrap().acked_seq,
        1,
        "the victim's token still works and its log is untouched"
    );

    // A revoked device is not revived by a new code either.
    let id = victim.id.to_string();
    assert!(
        site.cli(&["device", "revoke", "--device", &id])
            .status
            .success()
    );
    let again = enroll_with_token(&site, &server, victim.id, Some(&victim.token));
    assert_ne!(again.device_id, Some(victim.id), "revoked stays revoked");
    assert_eq!(api_code(victim.client.status()).1, "revoked");
    let list = site.cli(&["device", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["device_id"] == id.as_str())
        .unwrap();
    assert_eq!(row["revoked"], true);
    assert_eq!(row["acked_seq"], 1);
}

#[test]
fn a_device_renewing_its_enrollment_with_its_own_token_keeps_its_id_and_log() {
    let site = Site::new();
    let server = site.serve();
    let mut dev = server.device(&site, A);
    let (_, c) = dev.new_child(A);
    dev.push(vec![c]).unwrap();
    let renewed = enroll_with_token(&site, &server, dev.id, Some(&dev.token));
    assert_eq!(renewed.device_id, Some(dev.id));
    assert_eq!(renewed.acked_seq, 1, "it learns what the server holds");
    let client = server.client().with_token(renewed.token);
    assert_eq!(client.status().unwrap().acked_seq, 1);
    assert_eq!(
        api_code(dev.client.status()).1,
        "unauthorized",
        "the old token is replaced"
    );
}

#[test]
fn the_author_of_a_stored_change_is_the_officer_its_device_enrolled_with() {
    let site = Site::new();
    let server = site.serve();
    let mut dev = server.device(&site, A);
    let reader = server.device(&site, A);
    let (_, mut forged) = dev.new_child(A);
    forged.author = "Chủ tịch UBND xã".into();
    dev.push(vec![forged.clone()]).unwrap();
    let got = reader.client.pull(0, 100).unwrap().changes;
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].change.author, OFFICER,
        "history and conflicts show who really sent it"
    );
    assert_eq!(
        dev.client.own(0, 10).unwrap().changes[0].change.author,
        OFFICER
    );
    let list = site.cli(&["device", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["officer"] == OFFICER),
        "IT sees each device's officer: {rows}"
    );
}

/// The identity headers of a raw answer.
fn identity(server: &common::Server) -> (String, String) {
    let (status, _) = server
        .client()
        .post_raw(
            "/enroll",
            b"{}".to_vec(),
            &[("Content-Type", "application/json")],
        )
        .unwrap();
    assert_eq!(status, 400, "even an error answer names the server");
    let who = server.client();
    let _ = who.status();
    let id = who.identity();
    (
        id.server_id.expect(SERVER_ID_HEADER).to_string(),
        id.epoch.expect(EPOCH_HEADER).to_string(),
    )
}

#[test]
fn every_answer_names_the_servers_database_and_its_run_and_tells_a_device_what_it_still_holds() {
    let site = Site::new();
    let server = site.serve();
    let (id1, run1) = identity(&server);
    let mut dev = server.device(&site, A);
    let reader = server.device(&site, A);
    let (child, c) = dev.new_child(A);
    dev.push(vec![c]).unwrap();
    let page = reader.client.pull(0, 100).unwrap();
    let at = page
        .cursor_change
        .expect("the page names the change at its cursor");
    assert_eq!(at, page.changes[0].change.change_id);
    assert_eq!(
        reader
            .client
            .status_at(page.cursor, at)
            .unwrap()
            .cursor_valid,
        Some(true)
    );
    assert_eq!(
        reader
            .client
            .status_at(page.cursor, Uuid::now_v7())
            .unwrap()
            .cursor_valid,
        Some(false),
        "another change at that number: the server lost what the device read"
    );
    assert_eq!(
        reader
            .client
            .status_at(page.cursor + 50, at)
            .unwrap()
            .cursor_valid,
        Some(false),
        "a number the server never gave"
    );

    drop(server);
    let server = site.serve();
    let (id2, run2) = identity(&server);
    assert_eq!(id1, id2, "the same database");
    assert_ne!(run1, run2, "a new run");

    // A later change numbered in the device's commune keeps the answer right.
    let edit = dev.change(Entity::Child, child, json!({"village": "Thôn 9"}));
    dev.client = server.client().with_token(dev.token.clone());
    dev.push(vec![edit]).unwrap();
    let reader = common::Device {
        client: server.client().with_token(reader.token.clone()),
        ..reader
    };
    assert_eq!(
        reader
            .client
            .status_at(page.cursor, at)
            .unwrap()
            .cursor_valid,
        Some(true)
    );

    let other = Site::new();
    let other_server = other.serve();
    let (id3, _) = identity(&other_server);
    assert_ne!(id1, id3, "another server's database");
}
