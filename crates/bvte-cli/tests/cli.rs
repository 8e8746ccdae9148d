//! The real `bvte` binary, as IT staff and scripts use it: exit codes, JSON output, Vietnamese
//! messages, and that refused input leaves the database as it was.

use assert_cmd::Command;
use serde_json::{Value, json};
use std::path::PathBuf;

const PASS: &str = "mật khẩu thử nghiệm";

struct Env {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim()).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }
}

fn bvte(args: &[&str], stdin: Option<&str>, pass: &str) -> Out {
    let mut cmd = Command::cargo_bin("bvte").unwrap();
    cmd.args(args)
        .env("BVTE_PASSPHRASE", pass)
        .env_remove("BVTE_DB")
        .env_remove("BVTE_RECOVERY_CODE")
        .env_remove("BVTE_LANG")
        .env_remove("BVTE_OFFICER");
    if let Some(s) = stdin {
        cmd.write_stdin(s.as_bytes().to_vec());
    }
    let o = cmd.output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("xa.db");
        let out = bvte(
            &[
                "init",
                "--db",
                db.to_str().unwrap(),
                "--commune",
                "09955",
                "--json",
            ],
            None,
            PASS,
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        Self { _dir: dir, db }
    }
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Out {
        let mut a = args.to_vec();
        a.extend(["--db", self.db.to_str().unwrap()]);
        bvte(&a, stdin, PASS)
    }
    fn ok(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let out = self.run(args, stdin);
        assert_eq!(out.code, 0, "bvte {args:?} failed: {}", out.stderr);
        out.json()
    }
    fn add_child(&self, v: Value) -> String {
        let out = self.ok(&["child", "add", "--json", "-"], Some(&v.to_string()));
        out["id"].as_str().unwrap().to_string()
    }
    fn count(&self) -> usize {
        self.ok(&["child", "list", "--json"], None)
            .as_array()
            .unwrap()
            .len()
    }
    fn file_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.db).unwrap()
    }
}

fn child(name: &str, dob: &str) -> Value {
    json!({"full_name": name, "date_of_birth": dob, "sex": "female", "residence_status": "thuong_tru"})
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
    let env = Env::new();
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
    let env = Env::new();
    env.add_child(child("Lê Văn Có", "2016-01-01"));
    let before = env.file_bytes();
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
    assert_eq!(env.file_bytes(), before, "the file is unchanged");
}

#[test]
fn a_personal_id_cannot_be_registered_twice() {
    let env = Env::new();
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
fn a_case_follows_decree_56_and_refuses_steps_out_of_order() {
    let env = Env::new();
    let cid = env.add_child(child("Trần Thị Mai", "2014-06-01"));
    let received = (chrono::Utc::now() - chrono::Duration::hours(20)).to_rfc3339();
    let open = env.ok(
        &["case", "open", "--json", "-"],
        Some(&json!({"child_id": cid, "received_at": received, "category": "abused", "abuse_forms": ["violence"],
            "environment": "family", "channel": "hotline_111",
            "reporter": {"full_name": "Người Báo Tin Kín", "phone": "0912345678", "address": ""},
            "intake": {"child_condition": "Có vết bầm ở tay"}}).to_string()),
    );
    let case = open["id"].as_str().unwrap().to_string();
    assert_eq!(open["stage"], "received");
    let show = env.ok(&["case", "show", &case, "--json"], None);
    let ia = &show["deadlines"][0];
    assert_eq!(ia["rule"], "initial_assessment_12h");
    assert_eq!(
        ia["overdue"], true,
        "received 20 hours ago, no initial assessment"
    );
    for key in ["rule", "legal_basis", "due_at", "met_at", "overdue"] {
        assert!(ia.get(key).is_some(), "deadline has {key}");
    }
    assert_eq!(show["next_steps"][0]["step"], "initial_assessment");
    assert_eq!(show["next_steps"][0]["required"], true);
    assert!(
        !show.to_string().contains("Người Báo Tin Kín"),
        "the reporter is confidential"
    );

    let before = env.ok(&["case", "show", &case, "--json"], None)["steps"]
        .as_array()
        .unwrap()
        .len();
    let out = env.run(
        &["case", "step", &case, "--json", "-"],
        Some(r#"{"step": "plan_approved"}"#),
    );
    assert_eq!(out.code, 6);
    assert!(out.stderr.contains("chưa được trình"), "{}", out.stderr);
    let out = env.run(
        &["case", "step", &case, "--json", "-"],
        Some(r#"{"step": "approve"}"#),
    );
    assert_eq!(out.code, 3);
    let after = env.ok(&["case", "show", &case, "--json"], None)["steps"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after, "refused steps are not recorded");

    let step = |s: Value| {
        env.ok(
            &["case", "step", &case, "--json", "-"],
            Some(&s.to_string()),
        )
    };
    let v = step(
        json!({"step": "initial_assessment", "data": {"serious_risk": true, "conclusion": "Nguy cơ cao"}}),
    );
    assert_eq!(v["stage"], "initial_assessed");
    let em = v["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "emergency_12h")
        .unwrap()
        .clone();
    assert_eq!(
        em["overdue"], true,
        "the 12 hours from receipt have already run out"
    );
    let v =
        step(json!({"step": "emergency_measures", "data": {"measures": ["police_intervention"]}}));
    let em = v["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "emergency_12h")
        .unwrap()
        .clone();
    assert_eq!(em["status"], "met_late");
    step(
        json!({"step": "detailed_assessment", "data": {"condition": "Ổn định", "plan_needed": true}}),
    );
    step(
        json!({"step": "plan_drafted", "data": {"goals": "An toàn", "activities": [{"service": "Tư vấn", "start": "01/12/2026"}]}}),
    );
    let v = step(json!({"step": "plan_submitted"}));
    assert_eq!(v["stage"], "awaiting_approval");
    assert!(
        v["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "approval_2_working_days")
    );
    let v = step(
        json!({"step": "plan_approved", "data": {"decision_no": "12/QĐ-UBND", "approver": "Chủ tịch UBND xã"}}),
    );
    assert_eq!(v["stage"], "implementing");
    let out = env.run(
        &["case", "step", &case, "--json", "-"],
        Some(r#"{"step":"closed","data":{"reason":"plan_completed"}}"#),
    );
    assert_eq!(out.code, 6, "ending the plan needs a review first");
    step(json!({"step": "review", "data": {"proposal": "end"}}));
    let v = step(json!({"step": "closed", "data": {"reason": "plan_completed"}}));
    assert_eq!(v["stage"], "closed");
    let list = env.ok(&["case", "list", "--json"], None);
    assert_eq!(list[0]["stage"], "closed");
}

#[test]
fn a_case_for_a_child_who_was_sixteen_is_refused() {
    let env = Env::new();
    let cid = env.add_child(child("Vũ Văn Lớn", "2011-01-01"));
    let out = env.run(
        &["case", "open", "--json", "-"],
        Some(&json!({"child_id": cid, "received_at": "2027-06-01 08:00", "category": "abused", "abuse_forms": ["neglect"],
            "environment": "family", "channel": "phone"}).to_string()),
    );
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("tương lai"), "{}", out.stderr);
    let out = env.run(
        &["case", "open", "--json", "-"],
        Some(&json!({"child_id": "not-a-uuid", "category": "abused", "environment": "family", "channel": "phone"}).to_string()),
    );
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("not-a-uuid"));
    let out = env.run(
        &["case", "open", "--json", "-"],
        Some(&json!({"child_id": "01a226ea-8f2e-7490-b200-78934028c544", "category": "abused", "environment": "family", "channel": "phone"}).to_string()),
    );
    assert_eq!(out.code, 4, "unknown child: {}", out.stderr);
}

#[test]
fn a_database_from_a_newer_schema_is_refused_untouched() {
    let env = Env::new();
    env.add_child(child("Hồ Thị Na", "2015-05-05"));
    let store = bvte_store::Store::open(&env.db, bvte_store::Unlock::Passphrase(PASS)).unwrap();
    store.debug_set_user_version(42).unwrap();
    drop(store);
    let before = env.file_bytes();
    let out = env.run(&["child", "list"], None);
    assert_eq!(out.code, 7);
    assert!(
        out.stderr.contains("phiên bản BVTE mới hơn"),
        "{}",
        out.stderr
    );
    assert_eq!(env.file_bytes(), before);
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
fn demo_data_is_realistic_reproducible_and_exports_without_reporters() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let b = dir.path().join("b.db");
    let run = |db: &PathBuf| {
        let out = bvte(
            &[
                "demo",
                "--db",
                db.to_str().unwrap(),
                "--children",
                "400",
                "--seed",
                "7",
                "--json",
            ],
            None,
            PASS,
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.json()
    };
    let summary = run(&a)["summary"].clone();
    run(&b);
    assert_eq!(summary["children"], 400);
    let stages = summary["cases_by_stage"].as_object().unwrap();
    for stage in [
        "received",
        "initial_assessed",
        "planning",
        "awaiting_approval",
        "implementing",
        "closing",
        "closed",
        "transferred",
    ] {
        assert!(
            stages.contains_key(stage),
            "a case in stage {stage}: {stages:?}"
        );
    }
    let export = |db: &PathBuf| {
        let out = bvte(
            &["export", "--db", db.to_str().unwrap(), "--json"],
            None,
            PASS,
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.json()
    };
    let ea = export(&a);
    let eb = export(&b);
    let names = |e: &Value| -> Vec<String> {
        e["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["full_name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&ea), names(&eb), "same seed, same commune");
    let children = ea["children"].as_array().unwrap();
    assert_eq!(children.len(), 400);
    for key in [
        "full_name",
        "date_of_birth",
        "sex",
        "residence_status",
        "special_circumstances",
        "at_risk",
        "disability",
        "carers",
        "village",
    ] {
        assert!(children[0].get(key).is_some(), "export has {key}");
    }
    // Vietnamese names in Vietnamese order: the most common family name leads.
    let nguyen = names(&ea)
        .iter()
        .filter(|n| n.starts_with("Nguyễn "))
        .count();
    assert!(
        (80..=240).contains(&nguyen),
        "about 38% Nguyễn, got {nguyen}/400"
    );
    assert!(names(&ea).iter().all(|n| n.split(' ').count() >= 2));
    let cases = ea["cases"].as_array().unwrap();
    assert!(cases.len() >= 12);
    assert!(
        cases
            .iter()
            .all(|c| c.get("stage").is_some() && c.get("reporter").is_none())
    );
    // Some deadline is overdue and some is still running, as in a real commune.
    let statuses: Vec<&str> = cases
        .iter()
        .flat_map(|c| {
            c["deadlines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["status"].as_str().unwrap())
        })
        .collect();
    assert!(
        statuses.contains(&"overdue") && statuses.contains(&"pending") && statuses.contains(&"met")
    );
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
