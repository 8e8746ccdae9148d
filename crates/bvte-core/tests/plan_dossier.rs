//! Issue 15 items 7, 8 and 11 as the desktop meets them: the refusals `check_step` gives the
//! step form (the same as recording), the blocked steps the case page lists, and the deadlines.

use bvte_core::app::{self, SetupInput};
use bvte_domain::case::CaseInput;
use bvte_domain::child::ChildInput;
use bvte_domain::event::StepInput;
use bvte_domain::time::parse_instant;
use serde_json::{Value, json};

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
        "environment": "family", "channel": "phone", "received_at": "2026-11-23 08:00"
    }))
    .unwrap();
    s.open_case(&input, now()).unwrap().id
}

fn step(kind: &str, at: &str, data: Value) -> StepInput {
    StepInput {
        step: kind.into(),
        occurred_at: Some(at.into()),
        data,
    }
}

/// Decree 56 Art 27 k2 and Art 28 k2 b: the plan goes to the chair with the minutes of the needs
/// meeting the chair chaired. The step form hears the refusal before saving, and the case page
/// lists the submission as blocked with the same reason.
#[test]
fn the_desktop_refuses_to_submit_a_plan_without_the_needs_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = ready(dir.path());
    let id = open_case(&mut s);
    for (kind, at, data) in [
        ("initial_assessment", "2026-11-23 09:00", json!({})),
        (
            "detailed_assessment",
            "2026-11-24 09:00",
            json!({"plan_needed": true}),
        ),
        (
            "plan_drafted",
            "2026-11-25 09:00",
            json!({"goals": "An toàn"}),
        ),
    ] {
        s.record_step(id, &step(kind, at, data), now()).unwrap();
    }
    let submit = step("plan_submitted", "2026-11-25 10:00", json!({}));
    let e = s.check_step(id, &submit, now()).unwrap_err();
    assert_eq!(e.code(), "step_not_allowed");
    assert!(e.to_string().contains("Điều 27 khoản 2"), "{e}");
    let view = s.case_view(id, now()).unwrap();
    let blocked = view
        .blocked_steps
        .iter()
        .find(|b| b.step == "plan_submitted")
        .expect("the case page says why the plan cannot be submitted");
    assert!(
        blocked.message.contains("Điều 28 khoản 2"),
        "{}",
        blocked.message
    );
    assert!(
        view.next_steps
            .iter()
            .any(|n| n.step == "needs_meeting" && n.required),
        "the meeting is what is required next"
    );
    s.record_step(
        id,
        &step(
            "needs_meeting",
            "2026-11-25 09:30",
            json!({"participants": "Chủ tịch UBND xã", "conclusions": "Tư vấn"}),
        ),
        now(),
    )
    .unwrap();
    s.check_step(id, &submit, now())
        .expect("with the meeting recorded the plan may be submitted");
}

/// Decree 56 Art 32 k2, k4: the step form hears, field by field, what a separation decision
/// lacks (shelter, alternative carer, number, chair, commune) before it is saved.
#[test]
fn the_desktop_names_each_missing_field_of_a_separation_decision() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = ready(dir.path());
    let id = open_case(&mut s);
    s.record_step(
        id,
        &step(
            "initial_assessment",
            "2026-11-23 09:00",
            json!({"serious_risk": true}),
        ),
        now(),
    )
    .unwrap();
    let bare = step(
        "separation_decided",
        "2026-11-23 10:00",
        json!({"grounds": "by_parent_or_carer", "days": 5}),
    );
    let e = s.check_step(id, &bare, now()).unwrap_err();
    let fields: Vec<String> = e.reports().into_iter().filter_map(|r| r.field).collect();
    assert_eq!(
        fields,
        [
            "data.decision_no",
            "data.shelter",
            "data.carer",
            "data.decided_by",
            "data.decision_commune"
        ],
        "{e}"
    );
    assert!(e.to_string().contains("nơi tạm trú an toàn"), "{e}");
}
