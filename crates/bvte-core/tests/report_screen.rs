//! Issue 11, the desktop's Báo cáo screen: the period an officer picks (a month, a quarter, six
//! or nine months, a year, or two days typed), every problem with it said at once next to its
//! field, and the list of records to fix before sending, each named so the officer finds it —
//! while the report itself names no one.

use bvte_core::app::{self, SetupInput};
use bvte_core::error::Problem;
use bvte_core::report_view::ReportRequest;
use bvte_domain::case::CaseInput;
use bvte_domain::child::ChildInput;
use bvte_domain::time::parse_instant;
use serde_json::{Value, json};

fn at(s: &str) -> bvte_domain::Instant {
    parse_instant("t", s).unwrap()
}

fn ready(dir: &std::path::Path) -> bvte_core::Session {
    let input: SetupInput = serde_json::from_value(json!({
        "commune_code": "09955", "officer_name": "Nguyễn Thị Hòa",
        "passphrase": "mật khẩu dài đủ", "passphrase_confirm": "mật khẩu dài đủ",
        "load_demo": false
    }))
    .unwrap();
    app::setup(&dir.join("bvte.db"), &input, at("2026-11-02 09:00"))
        .unwrap()
        .0
}

fn request(v: Value) -> ReportRequest {
    serde_json::from_value(v).unwrap()
}

fn fields(p: &Problem) -> Vec<(String, String)> {
    p.fields
        .iter()
        .map(|f| (f.field.clone().unwrap_or_default(), f.code.to_string()))
        .collect()
}

#[test]
fn a_preset_period_still_running_ends_today_and_a_custom_one_is_checked_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let s = ready(dir.path());
    let now = at("2026-12-07 10:00");
    let q = s
        .report_view(
            &request(json!({"kind": "quarter", "year": 2026, "index": 4})),
            now,
        )
        .unwrap();
    assert_eq!(
        (q.from.as_str(), q.to.as_str()),
        ("2026-10-01", "2026-12-07")
    );
    let m = s
        .report_view(
            &request(json!({"kind": "custom", "from": "01/11/2026", "to": "30/11/2026"})),
            now,
        )
        .unwrap();
    assert_eq!(
        (m.from.as_str(), m.to.as_str()),
        ("2026-11-01", "2026-11-30")
    );

    let refused = |v: Value| fields(&Problem::from(s.report_view(&request(v), now).unwrap_err()));
    assert_eq!(
        refused(json!({"kind": "custom", "from": "31/02/2026", "to": "hôm qua"})),
        vec![
            ("report_from".to_string(), "impossible_date".to_string()),
            ("report_to".to_string(), "bad_date".to_string())
        ],
        "both dates are named at once"
    );
    assert_eq!(
        refused(json!({"kind": "custom", "from": "30/11/2026", "to": "01/11/2026"})),
        vec![("report_to".to_string(), "period_inverted".to_string())]
    );
    assert_eq!(
        refused(json!({"kind": "custom", "from": "01/12/2026", "to": "31/12/2026"})),
        vec![("report_to".to_string(), "future_date".to_string())]
    );
    assert_eq!(
        refused(json!({"kind": "month", "year": 2026, "index": 13})),
        vec![("report_index".to_string(), "out_of_range".to_string())]
    );
    assert_eq!(
        refused(json!({"kind": "tuần"})),
        vec![("report_kind".to_string(), "unknown_code".to_string())]
    );
    let message = Problem::from(
        s.report_view(
            &request(json!({"kind": "custom", "from": "30/11/2026", "to": "01/11/2026"})),
            now,
        )
        .unwrap_err(),
    )
    .fields[0]
        .message
        .clone();
    assert!(
        message.starts_with("Ngày cuối kỳ báo cáo:"),
        "the screen's own words, not the command line's option: {message}"
    );
}

#[test]
fn records_to_fix_are_named_on_the_screen_but_the_report_names_no_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = ready(dir.path());
    let created = at("2026-11-02 09:00");
    let add = |s: &mut bvte_core::Session, v: Value| {
        let input: ChildInput = serde_json::from_value(v).unwrap();
        s.add_child(&input, created).unwrap().child
    };
    let no_birth = add(
        &mut s,
        json!({"full_name": "Hờ Thị Mỷ", "estimated_age": {"years": 7}, "sex": "female",
            "residence_status": "thuong_tru", "village": "Bản Phìn"}),
    );
    let no_village = add(
        &mut s,
        json!({"full_name": "Đặng Văn Đức", "date_of_birth": "03/04/2014", "sex": "male",
            "residence_status": "thuong_tru"}),
    );
    let complete = add(
        &mut s,
        json!({"full_name": "Lương Thị Xuân", "date_of_birth": "05/06/2013", "sex": "female",
            "residence_status": "thuong_tru", "village": "Bản Phìn"}),
    );
    let case: CaseInput = serde_json::from_value(json!({
        "child_id": complete.id.to_string(), "category": "abused", "abuse_forms": ["violence"],
        "environment": "family", "channel": "phone"
    }))
    .unwrap();
    let case_id = s.open_case(&case, created).unwrap().id;

    let now = at("2026-11-30 16:00");
    let v = s
        .report_view(
            &request(json!({"kind": "month", "year": 2026, "index": 11})),
            now,
        )
        .unwrap();
    let named = |kind: &str, id: String| {
        v.gaps
            .iter()
            .find(|g| g.kind == kind && g.id == id)
            .map(|g| g.child_name.clone())
    };
    assert_eq!(
        named("child_no_birth_date", no_birth.id.to_string()).as_deref(),
        Some("Hờ Thị Mỷ")
    );
    assert_eq!(
        named("child_no_village", no_village.id.to_string()).as_deref(),
        Some("Đặng Văn Đức")
    );
    assert_eq!(
        named("case_overdue", case_id.to_string()).as_deref(),
        Some("Lương Thị Xuân"),
        "nothing recorded for four weeks: the plan's five working days are past: {:?}",
        v.gaps
    );
    assert!(
        v.gaps.iter().all(|g| g.id != complete.id.to_string()),
        "a complete record is not listed"
    );
    let total = v.children.iter().find(|c| c.code == "total").unwrap();
    assert_eq!(total.count, 3);
    let overdue: u64 = v.deadlines.iter().map(|d| d.overdue).sum();
    assert!(overdue >= 1, "{:?}", v.deadlines);

    let period = bvte_core::report_view::period_of(
        &request(json!({"kind": "month", "year": 2026, "index": 11})),
        now,
    )
    .unwrap();
    let report = serde_json::to_string(&s.report(&period, now).unwrap()).unwrap();
    for name in ["Hờ Thị Mỷ", "Đặng Văn Đức", "Lương Thị Xuân", "Mỷ", "Xuân"] {
        assert!(!report.contains(name), "{name} in the report");
    }
}

#[test]
fn the_report_is_saved_as_a_spreadsheet_or_a_pdf_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let s = ready(dir.path());
    let out = dir.path().join("BVTE");
    let now = at("2026-12-07 10:00");
    let req = request(json!({"kind": "month", "year": 2026, "index": 11}));
    for (code, magic) in [("xlsx", &b"PK"[..]), ("pdf", &b"%PDF"[..])] {
        let format = bvte_core::report_view::format_of(code).unwrap();
        let saved = s.save_report(&req, format, &out, now).unwrap();
        assert!(
            saved
                .path
                .ends_with(&format!("bao-cao-09955-2026-11-01-2026-11-30.{code}")),
            "{}",
            saved.path
        );
        let bytes = std::fs::read(&saved.path).unwrap();
        assert!(bytes.starts_with(magic), "a real {code}");
        let mode = std::fs::metadata(&saved.path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "owner only: {mode:o}");
    }
    let wrong = Problem::from(bvte_core::report_view::format_of("docx").unwrap_err());
    assert_eq!(
        fields(&wrong),
        vec![("report_format".to_string(), "unknown_code".to_string())]
    );
    let bad = request(json!({"kind": "custom", "from": "30/11/2026", "to": "01/11/2026"}));
    let format = bvte_core::report_view::format_of("pdf").unwrap();
    assert!(s.save_report(&bad, format, &out, now).is_err());
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        2,
        "a refused period writes nothing"
    );
}
