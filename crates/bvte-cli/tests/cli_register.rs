//! The real `bvte` binary, as IT staff and scripts use it: set-up, unlocking, the children
//! register and its bad input, the calendar, commune codes — exit codes, JSON output, Vietnamese
//! messages, and that refused input leaves the database as it was.

mod common;

use assert_cmd::Command;
use common::{Env, Out, child};
use serde_json::{Value, json};

const PASS: &str = "mật khẩu thử nghiệm";

fn bvte(args: &[&str], stdin: Option<&str>, pass: &str) -> Out {
    common::run(args, stdin, pass, &[])
}

#[test]
fn init_refuses_unknown_and_merged_communes_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let db = db.to_str().unwrap();
    let out = bvte(&["init", "--db", db, "--commune", "99999"], None, PASS);
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("99999"), "{}", out.stderr);
    assert_eq!(
        out.stderr.trim().lines().count(),
        1,
        "one line: {}",
        out.stderr
    );
    let out = bvte(&["init", "--db", db, "--commune", "09958"], None, PASS);
    assert_eq!(out.code, 3);
    assert!(
        out.stderr.contains("Xã Đại Đồng") && out.stderr.contains("09955 Xã Thạch Thất"),
        "{}",
        out.stderr
    );
    assert!(
        !std::path::Path::new(db).exists(),
        "nothing created on refusal"
    );
    let out = bvte(&["init", "--db", db, "--commune", "09955"], None, "ngắn");
    assert_eq!(out.code, 3, "short passphrase refused: {}", out.stderr);
    assert!(out.stderr.contains("ít nhất 8 ký tự"));
    let out = bvte(
        &["init", "--db", db, "--commune", "09955", "--json"],
        None,
        PASS,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = out.json();
    assert_eq!(v["commune"]["name"], "Xã Thạch Thất");
    assert_eq!(v["recovery_code"].as_str().unwrap().len(), 39);
    let out = bvte(&["init", "--db", db, "--commune", "09955"], None, PASS);
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("Đã có cơ sở dữ liệu"), "{}", out.stderr);
}

#[test]
fn wrong_passphrase_fails_cleanly_and_the_recovery_code_opens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let dbs = db.to_str().unwrap();
    let v = bvte(
        &["init", "--db", dbs, "--commune", "09955", "--json"],
        None,
        PASS,
    )
    .json();
    let code = v["recovery_code"].as_str().unwrap().to_string();
    let before = std::fs::read(&db).unwrap();
    let out = bvte(&["info", "--db", dbs], None, "mat khau sai");
    assert_eq!(out.code, 5);
    assert!(
        out.stderr.starts_with("Lỗi: Sai mật khẩu"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "nothing changed");
    let out = bvte(&["info", "--db", dbs, "--lang", "en"], None, "mat khau sai");
    assert!(
        out.stderr.starts_with("Error: Wrong passphrase"),
        "{}",
        out.stderr
    );
    // The recovery code works whatever the case and separators.
    let typed = code.to_lowercase().replace('-', " ");
    let out = bvte(
        &["info", "--db", dbs, "--json", "--recovery-code", &typed],
        None,
        "anything",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["commune"]["code"], "09955");
    // And it sets a new passphrase.
    let out = Command::cargo_bin("bvte")
        .unwrap()
        .args(["passwd", "--db", dbs, "--recovery-code", &code])
        .env("BVTE_NEW_PASSPHRASE", "mật khẩu mới hoàn toàn")
        .env_remove("BVTE_PASSPHRASE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(bvte(&["info", "--db", dbs], None, PASS).code, 5);
    assert_eq!(
        bvte(&["info", "--db", dbs], None, "mật khẩu mới hoàn toàn").code,
        0
    );
    // A missing database is named.
    let out = bvte(&["info", "--db", "/nonexistent/x.db"], None, PASS);
    assert_eq!(out.code, 4);
    assert!(out.stderr.contains("/nonexistent/x.db"));
}

#[test]
fn children_are_added_found_unaccented_and_listed() {
    let env = Env::new(PASS, None);
    let mut c = child("  Nguye\u{302}\u{303}n  Thị Dũng ", "05/09/2015");
    c["special_circumstances"] = json!([{"group": "d", "subgroup": 2}]);
    c["village"] = json!("Thôn Đông");
    let id = env.add_child(c);
    env.add_child(child("Đặng Văn Ưng", "2014-01-02"));
    let shown = env.ok(&["child", "show", &id, "--json"], None);
    assert_eq!(shown["full_name"], "Nguyễn Thị Dũng", "NFC and trimmed");
    assert_eq!(shown["date_of_birth"], "2015-09-05");
    assert_eq!(
        shown["special_circumstances"][0],
        json!({"group": "d", "subgroup": 2, "since": null, "until": null})
    );
    let found = env.ok(&["child", "search", "nguyen thi dung", "--json"], None);
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["id"], json!(id));
    let found = env.ok(&["child", "search", "dang", "--json"], None);
    assert_eq!(found[0]["full_name"], "Đặng Văn Ưng", "đ folded");
    let listed = env.ok(&["child", "list", "--group", "d", "--json"], None);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let listed = env.ok(&["child", "list", "--residence", "tam_tru", "--json"], None);
    assert_eq!(listed.as_array().unwrap().len(), 0);
    let out = env.run(&["child", "list", "--group", "z"], None);
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("“z”"), "{}", out.stderr);
    let human = env.run(&["child", "show", &id], None);
    assert!(
        human.stdout.contains("05/09/2015"),
        "dates dd/mm/yyyy: {}",
        human.stdout
    );
}

#[test]
fn bad_child_input_is_refused_with_a_clear_message_and_nothing_stored() {
    let env = Env::new(PASS, None);
    env.add_child(child("Lê Văn Có", "2016-01-01"));
    // What a refused input must leave as it was: the register and its change log. (The file
    // itself changes: each run enters its sign-in in the audit trail, issue 14.)
    let register = |env: &Env| {
        let mut v = env.ok(&["export", "--json"], None);
        v.as_object_mut().map(|o| o.remove("exported_at"));
        let changes: Vec<Value> = env
            .ok(&["audit", "list", "--action", "change", "--json"], None)
            .as_array()
            .unwrap()
            .clone();
        (v, changes)
    };
    let before = register(&env);
    let next_year = (chrono::Utc::now().date_naive() + chrono::Duration::days(400))
        .format("%d/%m/%Y")
        .to_string();
    let sixteen = (chrono::Utc::now().date_naive() - chrono::Duration::days(16 * 366))
        .format("%Y-%m-%d")
        .to_string();
    let cases: Vec<(Value, &str, &str)> = vec![
        (child("A B", &next_year), "future_date", "tương lai"),
        (
            child("A B", "31/02/2015"),
            "impossible_date",
            "không có thật",
        ),
        (child("A B", &sixteen), "not_a_child", "dưới 16 tuổi"),
        (
            json!({"full_name": "A B", "date_of_birth": "2015-01-01", "sex": "female", "residence_status": "thuong_tru",
                "special_circumstances": [{"group": "x"}]}),
            "unknown_code",
            "hoàn cảnh đặc biệt",
        ),
        (
            child(&"N".repeat(1 << 20), "2015-01-01"),
            "too_long",
            "Tối đa 100 ký tự",
        ),
        (
            child("A\u{0007}B", "2015-01-01"),
            "control_character",
            "ký tự điều khiển",
        ),
        (
            json!({"full_name": "A B", "dob": "2015-01-01", "sex": "female", "residence_status": "thuong_tru"}),
            "bad_json",
            "dob",
        ),
    ];
    for (input, code, words) in cases {
        let out = env.run(&["child", "add", "--json", "-"], Some(&input.to_string()));
        assert_eq!(out.code, 3, "{code}: {}", out.stderr);
        let err = out.json();
        assert_eq!(err["error"]["code"], code, "{}", out.stdout);
        assert!(
            out.stderr.contains(words),
            "{code}: message should say {words:?}: {}",
            out.stderr
        );
        assert_eq!(out.stderr.trim().lines().count(), 1);
        assert!(out.stderr.len() < 2000, "no echo of a huge value");
    }
    for raw in ["{not json", "", "[1, 2"] {
        let out = env.run(&["child", "add", "--json", "-"], Some(raw));
        assert_eq!(out.code, 3, "{raw:?}");
        assert!(
            out.stderr.contains("JSON không hợp lệ (dòng 1"),
            "{}",
            out.stderr
        );
    }
    // A byte-order mark (Windows Notepad) is not an error: the document is read as usual.
    let out = env.run(
        &["child", "add", "--json", "-"],
        Some("\u{FEFF}{\"sex\": \"male\"}"),
    );
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("Chưa nhập họ và tên"), "{}", out.stderr);
    let out = env.run(
        &["child", "add", "--json", "-"],
        Some("{\"full_name\": \"A\", \"nickname\": \"B\"}"),
    );
    assert!(
        out.stderr.contains("nickname") && out.stderr.contains("full_name"),
        "names the bad and the allowed fields: {}",
        out.stderr
    );
    let huge = format!("{{\"full_name\": \"{}\"}}", "x".repeat(5 << 20));
    let out = env.run(&["child", "add", "--json", "-"], Some(&huge));
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("quá lớn"), "{}", out.stderr);
    assert_eq!(env.count(), 1, "nothing was added");
    assert_eq!(
        register(&env),
        before,
        "the register and its changes are unchanged"
    );
}

#[test]
fn a_personal_id_cannot_be_registered_twice() {
    let env = Env::new(PASS, None);
    let mut c = child("Phạm Minh Khôi", "2013-03-03");
    c["personal_id"] = json!("001213000123");
    let id = env.add_child(c.clone());
    c["full_name"] = json!("Phạm Minh Khoa");
    let out = env.run(&["child", "add", "--json", "-"], Some(&c.to_string()));
    assert_eq!(out.code, 3);
    assert!(
        out.stderr.contains(&id),
        "names the existing record: {}",
        out.stderr
    );
    // Same name and date of birth: added, but flagged.
    let again = env.ok(
        &["child", "add", "--json", "-"],
        Some(&child("Phạm Minh Khôi", "2013-03-03").to_string()),
    );
    assert_eq!(again["possible_duplicates"][0]["id"], json!(id));
}

#[test]
fn a_child_living_in_another_commune_is_refused_but_a_registered_child_can_move_there() {
    let env = Env::new(PASS, None);
    let mut c = child("Lường Thị Hiền", "2014-02-02");
    c["commune_code"] = json!("00004");
    let out = env.run(&["child", "add", "--json", "-"], Some(&c.to_string()));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("00004")
            && out.stderr.contains("09955")
            && out.stderr.contains("sửa xã"),
        "says whose register it is and how to move a child instead: {}",
        out.stderr
    );
    assert_eq!(env.count(), 0, "nothing stored");
    // A child of this commune who moves: the record's commune is changed.
    let id = env.add_child(child("Lường Thị Hiền", "2014-02-02"));
    env.ok(
        &["child", "update", &id, "--json", "-"],
        Some(&c.to_string()),
    );
    let shown = env.ok(&["child", "show", &id, "--json"], None);
    assert_eq!(shown["commune_code"], "00004");
}

#[test]
fn calendar_commands_count_working_days() {
    let out = bvte(
        &["calendar", "add-working-days", "13/02/2026", "1"],
        None,
        PASS,
    );
    assert_eq!(out.stdout.trim(), "23/02/2026", "Tết 2026 is skipped");
    let out = bvte(
        &["calendar", "add-working-days", "2026-08-21", "1", "--json"],
        None,
        PASS,
    );
    assert_eq!(out.json()["date"], "2026-08-22", "make-up Saturday");
    let out = bvte(
        &["calendar", "is-working-day", "31/08/2026", "--json"],
        None,
        PASS,
    );
    assert_eq!(out.json()["working_day"], false);
    let out = bvte(&["calendar", "is-working-day", "30/02/2026"], None, PASS);
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("không có thật"));
}

#[test]
fn a_count_of_working_days_too_large_is_refused_not_a_crash() {
    // Once a panic on the date overflow (issue 10): now a refusal naming the limit.
    let out = bvte(
        &["calendar", "add-working-days", "01/01/2026", "4000000000"],
        None,
        PASS,
    );
    assert_eq!(out.code, 3, "refused input: {}", out.stderr);
    assert!(
        out.stderr.contains("Số ngày làm việc") && out.stderr.contains("100000"),
        "says what is wrong and the limit: {}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    let out = bvte(
        &["calendar", "add-working-days", "01/01/2026", "100000"],
        None,
        PASS,
    );
    assert_eq!(out.code, 0, "the limit itself is counted: {}", out.stderr);
}

#[test]
fn commune_lookup_finds_codes_by_unaccented_name() {
    let out = bvte(&["commune", "thach that", "--json"], None, PASS);
    assert_eq!(out.json()[0]["code"], "09955");
    let out = bvte(&["commune", "09958", "--json"], None, PASS);
    assert_eq!(
        out.json()[0]["code"],
        "09955",
        "an old code points to its successor"
    );
}
