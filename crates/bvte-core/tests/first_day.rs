//! Issue 16, the officer's first day: set-up asks for what the forms need and says every problem
//! at once; settings name their fields as the officer sees them; a new record's history lists
//! what was filled; residence fits a child with no registered residence; a step the law does
//! not allow yet says so when it is chosen; contradictions are warned about, never refused.

use bvte_core::app::{self, SetupInput};
use bvte_core::error::Problem;
use bvte_domain::case::CaseInput;
use bvte_domain::child::ChildInput;
use bvte_domain::event::StepInput;
use bvte_domain::time::parse_instant;
use serde_json::{Value, json};

fn now() -> bvte_domain::Instant {
    parse_instant("t", "2026-11-29 09:00").unwrap()
}

/// What the set-up screen sends (as JSON, like the window).
fn setup_input(v: Value) -> SetupInput {
    serde_json::from_value(v).unwrap()
}

fn ready(dir: &std::path::Path) -> bvte_core::Session {
    let (s, _) = app::setup(
        &dir.join("bvte.db"),
        &setup_input(json!({
            "commune_code": "09955", "officer_name": "Nguyễn Thị Hòa",
            "passphrase": "mật khẩu dài đủ", "passphrase_confirm": "mật khẩu dài đủ",
            "load_demo": false
        })),
        now(),
    )
    .unwrap();
    s
}

fn fields(p: &Problem) -> Vec<(String, String)> {
    p.fields
        .iter()
        .map(|f| (f.field.clone().unwrap_or_default(), f.code.to_string()))
        .collect()
}

fn child(v: Value) -> ChildInput {
    serde_json::from_value(v).unwrap()
}

#[test]
fn set_up_requires_the_officers_name_and_keeps_the_chairs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bvte.db");
    let e = app::setup(
        &db,
        &setup_input(json!({
            "commune_code": "09955", "officer_name": "   ",
            "passphrase": "mật khẩu dài đủ", "passphrase_confirm": "mật khẩu dài đủ",
            "load_demo": false
        })),
        now(),
    )
    .expect_err("a blank officer would sign every form with nothing");
    let p = Problem::from(e);
    assert_eq!(
        fields(&p),
        vec![("officer_name".into(), "required".into())],
        "{p:?}"
    );
    assert!(
        p.fields[0].message.contains("họ và tên cán bộ"),
        "says which name is missing, as the officer reads it: {}",
        p.fields[0].message
    );
    assert!(!db.exists(), "nothing is created");

    let (s, _) = app::setup(
        &db,
        &setup_input(json!({
            "commune_code": "09955", "officer_name": "Nguyễn Thị Hòa",
            "chair_name": "  Trần Văn  Chủ ",
            "passphrase": "mật khẩu dài đủ", "passphrase_confirm": "mật khẩu dài đủ",
            "load_demo": false
        })),
        now(),
    )
    .unwrap();
    let mut st = s.settings().unwrap();
    assert_eq!(
        st.chair_name, "Trần Văn Chủ",
        "the chair's name given at set-up is the one Settings shows and the forms print"
    );
    assert_eq!(st.officer_name, "Nguyễn Thị Hòa");
    let mut s = s;
    st.officer_name = " ".into();
    let p = Problem::from(s.save_settings(&st).unwrap_err());
    assert_eq!(fields(&p), vec![("officer_name".into(), "required".into())]);
    assert_eq!(s.settings().unwrap().officer_name, "Nguyễn Thị Hòa");
}

#[test]
fn set_up_reports_every_problem_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bvte.db");
    let e = app::setup(
        &db,
        &setup_input(json!({
            "commune_code": "", "officer_name": "",
            "passphrase": "ngắn", "passphrase_confirm": "khác",
            "load_demo": false
        })),
        now(),
    )
    .unwrap_err();
    let p = Problem::from(e);
    let mut got: Vec<String> = fields(&p).into_iter().map(|(f, _)| f).collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            "commune_code",
            "officer_name",
            "passphrase",
            "passphrase_confirm"
        ],
        "one submit shows every field at fault: {p:?}"
    );
    let commune = p
        .fields
        .iter()
        .find(|f| f.field.as_deref() == Some("commune_code"))
        .unwrap();
    assert!(
        commune.message.contains("Hãy chọn") && !commune.message.contains("commune"),
        "the commune is chosen from the search, and named as the officer knows it: {}",
        commune.message
    );
    assert!(!db.exists());
}

#[test]
fn settings_messages_name_fields_as_the_officer_sees_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = ready(dir.path());
    let mut st = s.settings().unwrap();
    st.idle_lock_minutes = 0;
    let p = Problem::from(s.save_settings(&st).unwrap_err());
    assert_eq!(p.fields[0].field.as_deref(), Some("idle_lock_minutes"));
    for m in [&p.message, &p.fields[0].message] {
        assert!(
            !m.contains("idle_lock_minutes") && m.contains("Thời gian tự khóa"),
            "Vietnamese names the field: {m}"
        );
    }
    for m in [&p.message_en, &p.fields[0].message_en] {
        assert!(
            !m.contains("idle_lock_minutes") && m.to_lowercase().contains("idle lock"),
            "English names the field: {m}"
        );
    }
}

#[test]
fn a_missing_choice_asks_to_choose_not_to_type() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = ready(dir.path());
    let e = s
        .add_child(
            &child(json!({"full_name": "Lò Văn Nam", "date_of_birth": "01/02/2016"})),
            now(),
        )
        .unwrap_err();
    let p = Problem::from(e);
    for f in ["sex", "residence_status"] {
        let r = p
            .fields
            .iter()
            .find(|x| x.field.as_deref() == Some(f))
            .unwrap();
        assert!(
            r.message.contains("Hãy chọn") && !r.message.contains("Hãy nhập"),
            "{f} is a drop-down: {}",
            r.message
        );
    }
}

#[test]
fn a_child_with_no_registered_residence_or_an_unknown_one_can_be_registered() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = ready(dir.path());
    let codes: Vec<String> = bvte_core::reference::reference()
        .residence
        .into_iter()
        .map(|c| c.code)
        .collect();
    assert_eq!(
        codes,
        vec![
            "thuong_tru",
            "tam_tru",
            "noi_o_hien_tai",
            "chua_ro",
            "khong_cu_tru"
        ],
        "what the officer can choose"
    );
    for (name, code) in [("Lò Văn Một", "noi_o_hien_tai"), ("Bé Chưa Tên", "chua_ro")] {
        let c = s
            .add_child(
                &child(json!({"full_name": name, "estimated_age": {"years": 0},
                    "sex": "unknown", "residence_status": code,
                    "special_circumstances": [{"group": "b", "subgroup": 1}]})),
                now(),
            )
            .unwrap_or_else(|e| panic!("{code}: {e}"))
            .child;
        assert_eq!(
            bvte_domain::codes::Code::code(c.data.residence_status),
            code
        );
    }
    let o = s.overview(now()).unwrap();
    assert!(
        o.by_residence
            .iter()
            .any(|c| c.code == "noi_o_hien_tai" && c.count == 1),
        "the overview counts them: {:?}",
        o.by_residence
    );
}

#[test]
fn a_new_records_history_lists_only_the_fields_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = ready(dir.path());
    let input = child(json!({
        "full_name": "Trần Thị Bình", "date_of_birth": "10/10/2016", "sex": "female",
        "residence_status": "thuong_tru", "notes": "Ở với bà ngoại."
    }));
    let c = s.add_child(&input, now()).unwrap().child;
    let mut cleared = input.clone();
    cleared.notes = None;
    s.update_child(c.id, &cleared, now()).unwrap();
    let p = s.child_profile(c.id, now()).unwrap();
    let created = &p.history[1].fields;
    for empty in [
        "personal_id",
        "carers",
        "special_circumstances",
        "disability",
        "schooling",
        "estimated_age",
        "ethnicity",
        "village",
        "at_risk",
    ] {
        assert!(
            !created.iter().any(|f| f == empty),
            "{empty} was left empty, so it is not a change: {created:?}"
        );
    }
    for filled in [
        "full_name",
        "date_of_birth",
        "sex",
        "residence_status",
        "notes",
    ] {
        assert!(created.iter().any(|f| f == filled), "{filled}: {created:?}");
    }
    assert_eq!(
        p.history[0].fields,
        vec!["notes"],
        "a value cleared later is a change"
    );
}

fn open_case(s: &mut bvte_core::Session, category: &str, forms: &[&str]) -> bvte_domain::CaseId {
    let c = s
        .add_child(
            &child(
                json!({"full_name": "Đinh Văn Tú", "date_of_birth": "01/01/2015",
                "sex": "male", "residence_status": "thuong_tru"}),
            ),
            now(),
        )
        .unwrap()
        .child;
    let input: CaseInput = serde_json::from_value(json!({
        "child_id": c.id.to_string(), "category": category, "abuse_forms": forms,
        "environment": "family", "channel": "phone"
    }))
    .unwrap();
    s.open_case(&input, now()).unwrap().id
}

#[test]
fn the_case_view_says_which_steps_are_not_allowed_yet_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = ready(dir.path());
    let id = open_case(&mut s, "abused", &["violence"]);
    let view = serde_json::to_value(s.case_view(id, now()).unwrap()).unwrap();
    let refused = Problem::from(
        s.record_step(
            id,
            &StepInput {
                step: "plan_approved".into(),
                occurred_at: None,
                data: json!({}),
            },
            now(),
        )
        .unwrap_err(),
    );
    let blocked = view["blocked_steps"]
        .as_array()
        .expect("the view lists the steps not allowed now");
    let approval = blocked
        .iter()
        .find(|b| b["step"] == "plan_approved")
        .expect("approval before a plan is not allowed");
    assert_eq!(
        approval["message"], refused.message,
        "the same words as the refusal, before anything is typed"
    );
    assert_eq!(approval["message_en"], refused.message_en);
    assert!(
        blocked.iter().all(|b| b["step"] != "initial_assessment"),
        "an allowed step is not listed"
    );
    assert!(
        blocked.iter().all(|b| b["step"] != "intake"),
        "the report is not a step to choose"
    );
}
