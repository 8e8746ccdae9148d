//! The real `bvte` binary on a review proposing to continue (Decree 56 Art 30 k1 c, issue 15
//! item 10): the case waits for the chair's decision, the officer is told to record it, and the
//! new plan cycle and its 5 working days (Art 28 k1) start from the decision; a refusal keeps
//! the approved plan going.

mod common;

use chrono::{Duration, Utc};
use common::{Env, child};
use serde_json::{Value, json};

const PASS: &str = "mật khẩu thử nghiệm";

fn ago(d: Duration) -> String {
    (Utc::now() - d).to_rfc3339()
}

fn deadline<'a>(v: &'a Value, rule: &str) -> &'a Value {
    v["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == rule)
        .unwrap_or_else(|| panic!("{rule} in {}", v["deadlines"]))
}

#[test]
fn a_proposal_to_continue_waits_for_the_chair_and_the_new_cycle_counts_from_the_decision() {
    let env = Env::new(PASS, None);
    let cid = env.add_child(child("Lò Văn Sáng", "2014-03-01"));
    let open = env.ok(
        &["case", "open", "--json", "-"],
        Some(
            &json!({"child_id": cid, "received_at": ago(Duration::days(40)), "category": "abused",
            "abuse_forms": ["violence"], "environment": "family", "channel": "phone"})
            .to_string(),
        ),
    );
    let case = open["id"].as_str().unwrap().to_string();
    let step = |s: Value| {
        env.ok(
            &["case", "step", &case, "--json", "-"],
            Some(&s.to_string()),
        )
    };
    let at = |days: i64, s: &str, data: Value| {
        step(json!({"step": s, "occurred_at": ago(Duration::days(days)), "data": data}))
    };
    at(39, "initial_assessment", json!({"serious_risk": false}));
    at(38, "detailed_assessment", json!({"plan_needed": true}));
    at(
        37,
        "needs_meeting",
        json!({"participants": "Chủ tịch UBND xã"}),
    );
    at(37, "plan_drafted", json!({"goals": "An toàn"}));
    at(36, "plan_submitted", json!({}));
    at(35, "plan_approved", json!({"decision_no": "12/QĐ-UBND"}));

    // The first review proposes to continue; the chair refuses: the approved plan goes on.
    let show = || env.ok(&["case", "show", &case, "--json"], None);
    let v = at(
        30,
        "review",
        json!({"proposal": "continue", "reasons": "Còn nguy cơ"}),
    );
    assert_eq!(v["stage"], "continuing");
    assert!(
        show()["stage_label"]
            .as_str()
            .unwrap()
            .contains("chờ Chủ tịch"),
        "{}",
        show()["stage_label"]
    );
    assert_eq!(v["next_steps"][0]["step"], "continuation_approved");
    assert_eq!(v["next_steps"][0]["required"], true);
    let v = at(
        29,
        "plan_returned",
        json!({"reason": "Tiếp tục theo kế hoạch đã duyệt"}),
    );
    assert_eq!(v["stage"], "implementing");
    assert_eq!(show()["cycle"], 1);

    // A second review proposes to continue; nothing of the new plan before the decision.
    at(
        20,
        "review",
        json!({"proposal": "continue", "reasons": "Vẫn còn nguy cơ"}),
    );
    let out = env.run(
        &["case", "step", &case, "--json", "-"],
        Some(r#"{"step": "plan_drafted", "data": {"goals": "Mới"}}"#),
    );
    assert_eq!(out.code, 6, "refused by the law: {}", out.stderr);
    assert!(
        out.stderr.contains("đồng ý tiếp tục") && out.stderr.contains("Điều 30 khoản 1 điểm c"),
        "the refusal says what to record: {}",
        out.stderr
    );
    // The chair agrees an hour ago: the second cycle and its 5 working days start then, not
    // at the review 20 days ago (by which they would be long past).
    let v = step(
        json!({"step": "continuation_approved", "occurred_at": ago(Duration::hours(1)),
        "data": {"decision_no": "30/UBND-VX", "note": "Đồng ý"}}),
    );
    assert_eq!(v["stage"], "planning");
    assert_eq!(show()["cycle"], 2);
    let plan = deadline(&v, "plan_5_working_days");
    assert_eq!(plan["status"], "pending", "{plan}");
    assert_eq!(plan["overdue"], false);
    let last = show()["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["step"], "continuation_approved");
    assert!(
        last["label"].as_str().unwrap().contains("đồng ý tiếp tục"),
        "{}",
        last["label"]
    );
    step(json!({"step": "needs_meeting", "data": {"participants": "Chủ tịch UBND xã"}}));
    step(json!({"step": "plan_drafted", "data": {"goals": "An toàn hơn"}}));
    let v = step(json!({"step": "plan_submitted"}));
    assert_eq!(v["stage"], "awaiting_approval");
    assert_eq!(deadline(&v, "plan_5_working_days")["status"], "met");
}
