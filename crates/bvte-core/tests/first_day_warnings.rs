//! Issue 16, item 18: a contradiction in what was typed (a report "at risk of violence" with
//! violence ticked as the form of abuse; two "Cao" ratings with serious risk unticked) is warned
//! about with a validation pass, and the officer may still save it.

use bvte_core::app::{self, SetupInput};
use bvte_domain::case::CaseInput;
use bvte_domain::child::ChildInput;
use bvte_domain::event::StepInput;
use bvte_domain::time::parse_instant;
use serde_json::json;

fn now() -> bvte_domain::Instant {
    parse_instant("t", "2026-11-29 09:00").unwrap()
}

fn ready(dir: &std::path::Path) -> bvte_core::Session {
    let input: SetupInput = serde_json::from_value(json!({
        "commune_code": "09955", "officer_name": "Nguyễn Thị Hòa",
        "passphrase": "mật khẩu dài đủ", "passphrase_confirm": "mật khẩu dài đủ",
        "load_demo": false
    }))
    .unwrap();
    app::setup(&dir.join("bvte.db"), &input, now()).unwrap().0
}

fn open_case(s: &mut bvte_core::Session) -> bvte_domain::CaseId {
    let child: ChildInput = serde_json::from_value(json!({"full_name": "Đinh Văn Tú",
        "date_of_birth": "01/01/2015", "sex": "male", "residence_status": "thuong_tru"}))
    .unwrap();
    let c = s.add_child(&child, now()).unwrap().child;
    let input: CaseInput = serde_json::from_value(json!({
        "child_id": c.id.to_string(), "category": "abused", "abuse_forms": ["violence"],
        "environment": "family", "channel": "phone"
    }))
    .unwrap();
    s.open_case(&input, now()).unwrap().id
}

#[test]
fn contradictions_are_warned_about_and_can_still_be_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = ready(dir.path());
    let id = open_case(&mut s);
    let child_id = s.case_view(id, now()).unwrap().child_id.to_string();
    let case = |category: &str, forms: &[&str]| -> CaseInput {
        serde_json::from_value(json!({
            "child_id": child_id, "category": category, "abuse_forms": forms,
            "environment": "family", "channel": "phone"
        }))
        .unwrap()
    };
    let w = s
        .check_case(&case("at_risk_violence", &["violence"]), now())
        .unwrap();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].field.as_deref(), Some("abuse_forms"));
    assert!(
        w[0].message.contains("nguy cơ bị bạo lực") && w[0].message.contains("Bạo lực"),
        "{}",
        w[0].message
    );
    assert!(
        s.check_case(&case("abused", &["violence"]), now())
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.check_case(&case("", &[]), now()).unwrap_err().code(),
        "required",
        "a validation pass: errors first"
    );

    let step = |serious: bool| StepInput {
        step: "initial_assessment".into(),
        occurred_at: None,
        data: json!({"criteria": [
            {"criterion": "a", "level": "high"}, {"criterion": "b", "level": "high"},
            {"criterion": "c", "level": "low"}], "serious_risk": serious}),
    };
    let w = s.check_step(id, &step(false), now()).unwrap();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].field.as_deref(), Some("data.serious_risk"));
    assert!(w[0].message.contains("Cao"), "{}", w[0].message);
    assert!(s.check_step(id, &step(true), now()).unwrap().is_empty());
    s.record_step(id, &step(false), now())
        .expect("a warning never refuses: the officer confirms");
}
