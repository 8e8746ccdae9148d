//! The Decree 56 workflow: the chair's decisions on a review (Art 30), and a child living in
//! another commune (Law on Children Art 52 k2).

mod common;

use bvte_domain::event::*;
use bvte_domain::workflow::{Stage, admit, fold, next_steps};
use common::*;

/// Decree 56 Art 30 k1 b: the officer "Trình Chủ tịch Ủy ban nhân dân cấp xã việc kết thúc kế
/// hoạch hỗ trợ, can thiệp nếu trẻ em không còn nguy cơ bị xâm hại …": the chair decides. Ending
/// is recorded as `closed` (`plan_completed`); the chair's refusal is recorded as
/// `plan_returned` (the chair sends the proposal back), and the case goes back to implementing
/// the approved plan, which stays in force, until a new review proposes ending it again or, if
/// risk remains, a new plan cycle (Art 30 k1 c). The refusal was not recordable before: the case
/// stayed in `closing`.
#[test]
fn the_chair_may_refuse_to_end_the_plan() {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(false));
    c.ok("2026-11-24 10:00", simple(StepKind::DetailedAssessment));
    c.ok("2026-11-25 10:00", simple(StepKind::PlanDrafted));
    c.ok("2026-11-25 10:00", simple(StepKind::NeedsMeeting));
    c.ok("2026-11-25 11:00", simple(StepKind::PlanSubmitted));
    c.ok("2026-11-26 09:00", simple(StepKind::PlanApproved));
    assert_eq!(
        c.ok("2026-12-10 09:00", review(ReviewProposal::End)),
        Stage::Closing
    );
    assert!(
        next_steps(&c.state(), at("2026-12-10 10:00"))
            .iter()
            .any(|n| n.step == StepKind::PlanReturned),
        "the chair's refusal is offered while the proposal awaits the decision"
    );
    assert_eq!(
        c.ok("2026-12-11 09:00", simple(StepKind::PlanReturned)),
        Stage::Implementing,
        "Art 30 k1 b: not ended, the approved plan goes on"
    );
    assert_eq!(c.state().cycle, 1);
    // The plan goes on: activities, then a new review (here: risk remains, a new cycle).
    c.ok("2026-12-12 09:00", simple(StepKind::ImplementationActivity));
    let e = c
        .record("2026-12-12 10:00", closed(CloseReason::PlanCompleted))
        .unwrap_err();
    assert!(e.message_vi().contains("Mẫu 06"), "{}", e.message_vi());
    assert_eq!(
        c.ok("2026-12-20 09:00", review(ReviewProposal::Continue)),
        Stage::Continuing
    );
    assert_eq!(
        c.ok("2026-12-21 09:00", simple(StepKind::ContinuationApproved)),
        Stage::Planning
    );
    assert_eq!(c.state().cycle, 2);
    // Dated before the review it answers: refused.
    let mut d = Case::new("2026-11-23 08:00");
    d.events = c.events[..6].to_vec();
    d.ok("2026-12-10 09:00", review(ReviewProposal::End));
    let e = d
        .record("2026-12-09 09:00", simple(StepKind::PlanReturned))
        .unwrap_err();
    assert_eq!(e.code(), "step_before_previous");
}

/// Events recorded before the chair's refusal could be recorded (issue 15 item 10), as stored
/// then: a `plan_returned` answering a submission, and a case left in `closing` by a review
/// proposing to end. They load as before; the stuck case can now take the chair's refusal (Decree
/// 56 Art 30 k1 b).
#[test]
fn reviews_recorded_before_the_chairs_refusal_load() {
    let received = at("2026-11-23 08:00");
    let ev = |n: u32, t: &str, step: &str, data: &str| {
        format!(
            r#"{{"id":"019ab0e0-0000-7000-8000-0000000010{n:02}","case_id":"019ab0e0-0000-7000-8000-0000000000d1",
            "occurred_at":"{t}","recorded_at":"{t}","author":"Cán bộ A","step":"{step}","data":{data}}}"#
        )
    };
    let json = format!(
        "[{}]",
        [
            ev(
                1,
                "2026-11-23T02:00:00Z",
                "initial_assessment",
                r#"{"serious_risk":false}"#
            ),
            ev(
                2,
                "2026-11-24T02:00:00Z",
                "detailed_assessment",
                r#"{"plan_needed":true}"#
            ),
            ev(
                3,
                "2026-11-25T02:00:00Z",
                "plan_drafted",
                r#"{"goals":"An toàn"}"#
            ),
            ev(
                4,
                "2026-11-25T03:00:00Z",
                "plan_submitted",
                r#"{"note":""}"#
            ),
            ev(
                5,
                "2026-11-26T02:00:00Z",
                "plan_returned",
                r#"{"reason":"Bổ sung"}"#
            ),
            ev(
                6,
                "2026-11-26T03:00:00Z",
                "plan_submitted",
                r#"{"note":""}"#
            ),
            ev(
                7,
                "2026-11-27T02:00:00Z",
                "plan_approved",
                r#"{"decision_no":"12/QĐ-UBND","approver":"Chủ tịch"}"#
            ),
            ev(
                8,
                "2026-12-10T02:00:00Z",
                "review",
                r#"{"proposal":"end","reasons":"Ổn định"}"#
            ),
        ]
        .join(",")
    );
    let events: Vec<CaseEvent> = serde_json::from_str(&json).expect("old events still deserialise");
    let s = fold(received, &events);
    assert_eq!(s.stage(), Stage::Closing);
    assert_eq!(s.cycle, 1);
    let mut c = Case::new("2026-11-23 08:00");
    c.events = events;
    assert_eq!(
        c.ok("2026-12-11 09:00", simple(StepKind::PlanReturned)),
        Stage::Implementing
    );
}

/// Law on Children 2016 Art 52 k2: "Ủy ban nhân dân cấp xã nơi trẻ em cư trú chủ trì, phối hợp
/// với các cơ quan, tổ chức, cá nhân có liên quan xây dựng, phê duyệt, thực hiện kế hoạch hỗ trợ,
/// can thiệp". A case whose child lives in another commune is assessed here (Decree 56 Art 26,
/// 27 k1, 32 k2 let the commune where it happened act), but its plan is drafted, submitted and
/// approved by the residence commune: here, the case is handed over (`transferred`).
#[test]
fn a_child_living_in_another_commune_is_planned_for_there() {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(false));
    c.ok("2026-11-24 10:00", simple(StepKind::DetailedAssessment));
    let here = |c: &Case| c.state().with_communes("00001", "00004");
    let t = at("2026-11-25 10:00");
    for k in [
        StepKind::PlanDrafted,
        StepKind::PlanSubmitted,
        StepKind::PlanApproved,
    ] {
        let e = admit(&here(&c), &payload(k), t).expect_err("planned by the residence commune");
        assert_eq!(e.code(), "step_not_allowed");
        assert!(
            e.message_vi().contains("Điều 52 khoản 2") && e.message_vi().contains("chuyển"),
            "{}",
            e.message_vi()
        );
    }
    let next = next_steps(&here(&c), t);
    assert!(
        next.iter()
            .any(|n| n.step == StepKind::Transferred && n.required),
        "{next:?}"
    );
    assert!(!next.iter().any(|n| n.step == StepKind::PlanDrafted));
    // The detailed assessment stays here: Art 52 k2 names the plan, Decree 56 Art 27 k1 the
    // commune's officer.
    admit(&here(&c), &payload(StepKind::DetailedAssessment), t).unwrap();
    // A plan approved here before the rule (old events): it loads and stays approved; the
    // hand-over is what is asked next.
    c.ok("2026-11-25 10:00", simple(StepKind::PlanDrafted));
    c.ok("2026-11-25 10:00", simple(StepKind::NeedsMeeting));
    c.ok("2026-11-25 11:00", simple(StepKind::PlanSubmitted));
    c.ok("2026-11-26 09:00", simple(StepKind::PlanApproved));
    let json = serde_json::to_string(&c.events).unwrap();
    let old: Vec<CaseEvent> = serde_json::from_str(&json).unwrap();
    let s = fold(c.received, &old).with_communes("00001", "00004");
    assert_eq!(s.stage(), Stage::Implementing);
    assert!(
        next_steps(&s, at("2026-11-27 09:00"))
            .iter()
            .any(|n| n.step == StepKind::Transferred && n.required)
    );
    c.events.truncate(2);
    // Same commune, or residence not known: planned here as before.
    for s in [
        c.state().with_communes("00001", "00001"),
        c.state().with_communes("00001", ""),
        c.state(),
    ] {
        admit(&s, &payload(StepKind::PlanDrafted), t).unwrap();
    }
}
