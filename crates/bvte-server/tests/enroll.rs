//! Enrollment with one-time codes, and who may call the API afterwards.

mod common;

use bvte_protocol::api::EnrollRequest;
use common::{A, B, Site, api_code};
use uuid::Uuid;

#[test]
fn a_code_works_once_in_any_case_and_spacing() {
    let site = Site::new();
    let server = site.serve();
    let code = site.enroll_code(A);
    let typed = code.to_lowercase().replace('-', " ");
    let req = EnrollRequest {
        code: typed,
        device_id: Uuid::now_v7(),
        device_name: "Máy xã".into(),
        commune_code: A.into(),
        officer_name: "Trần Thị Lan".into(),
    };
    let first = server.client().enroll(&req).unwrap();
    assert_eq!(first.commune_code, A);
    assert_eq!(first.acked_seq, 0, "a new device holds nothing yet");
    assert_eq!(first.token.len(), 43, "32 random bytes in base64url");

    let again = EnrollRequest {
        device_id: Uuid::now_v7(),
        ..req
    };
    assert_eq!(
        api_code(server.client().enroll(&again)),
        (403, "code_used".into(), None)
    );
}

#[test]
fn unknown_expired_and_wrong_commune_codes_are_refused() {
    let site = Site::new();
    let server = site.serve();
    let ask = |code: String, commune: &str| {
        server.client().enroll(&EnrollRequest {
            code,
            device_id: Uuid::now_v7(),
            device_name: "Máy xã".into(),
            commune_code: commune.into(),
            officer_name: "Trần Thị Lan".into(),
        })
    };
    assert_eq!(api_code(ask("AAAA-BBBB-CCCC".into(), A)).1, "code_invalid");

    let expired = site.cli(&["enroll-code", "--commune", A, "--valid-days", "0"]);
    let expired = common::last_line(&expired);
    assert_eq!(
        api_code(ask(expired, A)),
        (403, "code_expired".into(), None)
    );

    let code_a = site.enroll_code(A);
    assert_eq!(api_code(ask(code_a.clone(), B)).1, "commune_mismatch");
    assert!(
        ask(code_a, A).is_ok(),
        "a refused attempt does not use up the code"
    );
}

#[test]
fn no_token_or_a_wrong_token_is_unauthorized() {
    let site = Site::new();
    let server = site.serve();
    assert_eq!(
        api_code(server.client().status()),
        (401, "unauthorized".into(), None)
    );
    let wrong = server.client().with_token("x".repeat(43));
    assert_eq!(api_code(wrong.pull(0, 10)).1, "unauthorized");
}

#[test]
fn a_revoked_device_is_shut_out_and_a_new_code_gives_the_pc_a_new_identity() {
    let site = Site::new();
    let server = site.serve();
    let mut dev = server.device(&site, A);
    let (_, c) = dev.new_child(A);
    assert_eq!(dev.push(vec![c]).unwrap().acked_seq, 1);

    let id = dev.id.to_string();
    assert!(
        site.cli(&["device", "revoke", "--device", &id])
            .status
            .success()
    );
    assert_eq!(api_code(dev.client.status()), (401, "revoked".into(), None));
    let (_, c) = dev.new_child(A);
    assert_eq!(api_code(dev.push(vec![c])).1, "revoked");

    let list = site.cli(&["device", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let row = &rows.as_array().unwrap()[0];
    assert_eq!(row["device_id"], id.as_str());
    assert_eq!(row["revoked"], true);
    assert_eq!(row["acked_seq"], 1);

    // Enrolled again with a new code, the PC gets a new identity: the revoked one stays
    // revoked (issue 10, item 2; tests/identity.rs).
    let again = server.enroll(&site, A, dev.id).unwrap();
    let new_id = again.device_id.expect("the server names the id it gave");
    assert_ne!(new_id, dev.id);
    assert_eq!(again.acked_seq, 0, "a new identity starts a new log");
    let renewed = server.client().with_token(again.token);
    assert_eq!(renewed.status().unwrap().acked_seq, 0);
    assert_eq!(
        api_code(dev.client.status()).1,
        "revoked",
        "the old identity stays revoked"
    );
}

/// Ten wrong codes or tokens from one address in ten minutes: that address must wait, even with
/// a good code, and is told for how long; a device whose token is right keeps syncing from the
/// same address, and a revoked one is still told it was revoked.
#[test]
fn repeated_wrong_codes_and_tokens_are_slowed_down_but_enrolled_devices_are_not() {
    let site = Site::new();
    let server = site.serve();
    let mut device = server.device(&site, A);
    let ask = |code: String| {
        server.client().enroll(&EnrollRequest {
            code,
            device_id: Uuid::now_v7(),
            device_name: "Máy xã".into(),
            commune_code: A.into(),
            officer_name: "Trần Thị Lan".into(),
        })
    };
    for i in 0..9 {
        assert_eq!(
            api_code(ask(format!("AAAA-BBBB-CC{i:02}"))).1,
            "code_invalid",
            "attempt {i} is judged on its code"
        );
    }
    let wrong = server.client().with_token("x".repeat(43));
    let (status, code, _) = api_code(wrong.status());
    assert_eq!(
        (status, code.as_str()),
        (429, "too_many_attempts"),
        "the tenth failure"
    );
    let refused = ask(site.enroll_code(A)).unwrap_err();
    assert!(
        refused.to_string().contains("10 phút"),
        "says how long to wait: {refused}"
    );
    assert_eq!(
        api_code::<()>(Err(refused)).1,
        "too_many_attempts",
        "even a good code waits"
    );

    let (_, change) = device.new_child(A);
    device
        .push(vec![change])
        .expect("a device with its token is not slowed down");
    let revoked = site.cli(&["device", "revoke", "--device", &device.id.to_string()]);
    assert!(revoked.status.success(), "{revoked:?}");
    assert_eq!(api_code(device.client.status()).1, "revoked");
}

#[test]
fn a_sync_counts_as_finished_only_when_its_pull_reaches_the_end() {
    let site = Site::new();
    let server = site.serve();
    let mut dev = server.device(&site, A);
    let last_sync = || {
        let list = site.cli(&["device", "list", "--json"]);
        let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
        rows[0]["last_sync"].clone()
    };
    assert!(last_sync().is_null(), "enrolling is not a sync");
    let (_, c) = dev.new_child(A);
    let (_, d) = dev.new_child(A);
    dev.push(vec![c, d]).unwrap();
    assert!(last_sync().is_null(), "pushed, not yet pulled");
    // Another device's changes, so that a pull has pages to read.
    let mut other = server.device(&site, A);
    let (_, e) = other.new_child(A);
    let (_, f) = other.new_child(A);
    other.push(vec![e, f]).unwrap();
    let page = dev.client.pull(0, 1).unwrap();
    assert!(page.more);
    assert!(
        last_sync().is_null(),
        "a pull with more to read is not the end"
    );
    let page = dev.client.pull(page.cursor, 100).unwrap();
    assert!(!page.more);
    let at = last_sync();
    assert!(
        at.as_str().is_some_and(|t| t.starts_with("20")),
        "the end of the pull is a finished sync: {at}"
    );
}
