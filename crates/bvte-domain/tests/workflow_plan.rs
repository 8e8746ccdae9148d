//! The Decree 56 workflow: the plan's dossier and its time limits (Arts 27 k2, 28).

mod common;

use bvte_domain::deadline::{DeadlineRule, DeadlineStatus, deadlines};
use bvte_domain::event::*;
use bvte_domain::reference::calendar;
use bvte_domain::workflow::{Stage, fold, next_steps};
use common::*;

/// A case with its detailed assessment (Mẫu 03) and its plan drafted (Mẫu 04).
fn drafted() -> Case {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(false));
    c.ok("2026-11-24 10:00", simple(StepKind::DetailedAssessment));
    c.ok("2026-11-25 10:00", simple(StepKind::PlanDrafted));
    c
}

/// Decree 56 Art 27 k2: "Trường hợp trẻ em cần được áp dụng kế hoạch hỗ trợ, can thiệp, Chủ tịch
/// Ủy ban nhân dân cấp xã chủ trì cuộc họp … để xác định các biện pháp bảo vệ trẻ em"; Art 28 k2
/// b: the dossier submitted to the chair holds the "biên bản cuộc họp xác định nhu cầu cần hỗ
/// trợ, can thiệp cho trẻ em tại khoản 2 Điều 27 Nghị định này". Without the meeting there are no
/// minutes, so the plan cannot be submitted; each plan cycle's dossier has its own meeting.
#[test]
fn the_plan_is_submitted_only_after_the_needs_meeting() {
    let mut c = drafted();
    let e = c
        .record("2026-11-25 11:00", simple(StepKind::PlanSubmitted))
        .unwrap_err();
    assert_eq!(e.code(), "step_not_allowed");
    let why = e.message_vi();
    assert!(
        why.contains("Điều 27 khoản 2") && why.contains("Điều 28 khoản 2"),
        "the refusal names the articles: {why}"
    );
    assert!(
        why.to_lowercase().contains("biên bản cuộc họp"),
        "and says what is missing: {why}"
    );
    let next = next_steps(&c.state(), at("2026-11-25 11:00"));
    assert!(
        next.iter()
            .any(|n| n.step == StepKind::NeedsMeeting && n.required),
        "the meeting is what the law asks for next: {next:?}"
    );
    assert!(
        !next.iter().any(|n| n.step == StepKind::PlanSubmitted),
        "submission is not offered before the meeting: {next:?}"
    );

    c.ok("2026-11-25 14:00", simple(StepKind::NeedsMeeting));
    let e = c
        .record("2026-11-25 13:00", simple(StepKind::PlanSubmitted))
        .unwrap_err();
    assert_eq!(
        e.code(),
        "step_before_previous",
        "the minutes must exist when the dossier is submitted"
    );
    assert_eq!(
        c.ok("2026-11-25 15:00", simple(StepKind::PlanSubmitted)),
        Stage::AwaitingApproval
    );
    // Sent back and submitted again in the same cycle: the same meeting's minutes stand.
    c.ok("2026-11-26 09:00", simple(StepKind::PlanReturned));
    c.ok("2026-11-26 11:00", simple(StepKind::PlanSubmitted));
    c.ok("2026-11-27 09:00", simple(StepKind::PlanApproved));

    // Art 30 k1 c: a new plan is built and approved (Art 28 again), with a new dossier.
    c.ok("2026-12-20 09:00", review(ReviewProposal::Continue));
    c.ok("2026-12-21 09:00", simple(StepKind::PlanDrafted));
    let e = c
        .record("2026-12-21 10:00", simple(StepKind::PlanSubmitted))
        .unwrap_err();
    assert!(
        e.message_vi().contains("Điều 27 khoản 2"),
        "the first cycle's meeting is not this plan's: {}",
        e.message_vi()
    );
    c.ok("2026-12-21 14:00", simple(StepKind::NeedsMeeting));
    assert_eq!(
        c.ok("2026-12-21 15:00", simple(StepKind::PlanSubmitted)),
        Stage::AwaitingApproval
    );
}

/// Plans submitted before the meeting was required (issue 15 item 7), as stored and synced
/// then: a submission with no `needs_meeting` at all, approved, and one still awaiting the
/// chair. Folding them never fails; they keep their stage and show their deadlines.
#[test]
fn plans_submitted_without_a_meeting_under_the_old_rules_load() {
    let received = at("2026-11-23 08:00");
    let old: Vec<CaseEvent> = serde_json::from_str(
        r#"[
      {"id":"019ab0e0-0000-7000-8000-000000000071","case_id":"019ab0e0-0000-7000-8000-0000000000d1",
       "occurred_at":"2026-11-23T02:00:00Z","recorded_at":"2026-11-23T02:00:00Z","author":"Cán bộ A",
       "step":"initial_assessment","data":{"criteria":[],"serious_risk":false,"safety_measures":"","conclusion":""}},
      {"id":"019ab0e0-0000-7000-8000-000000000072","case_id":"019ab0e0-0000-7000-8000-0000000000d1",
       "occurred_at":"2026-11-24T02:00:00Z","recorded_at":"2026-11-24T02:00:00Z","author":"Cán bộ A",
       "step":"detailed_assessment","data":{"plan_needed":true}},
      {"id":"019ab0e0-0000-7000-8000-000000000073","case_id":"019ab0e0-0000-7000-8000-0000000000d1",
       "occurred_at":"2026-11-25T02:00:00Z","recorded_at":"2026-11-25T02:00:00Z","author":"Cán bộ A",
       "step":"plan_drafted","data":{"goals":"An toàn","activities":[],"monitoring":""}},
      {"id":"019ab0e0-0000-7000-8000-000000000074","case_id":"019ab0e0-0000-7000-8000-0000000000d1",
       "occurred_at":"2026-11-25T03:00:00Z","recorded_at":"2026-11-25T03:00:00Z","author":"Cán bộ A",
       "step":"plan_submitted","data":{"note":""}}
    ]"#,
    )
    .expect("old events still deserialise");
    let s = fold(received, &old);
    assert_eq!(
        s.stage(),
        Stage::AwaitingApproval,
        "an old submission stands"
    );
    let d = deadlines(&s, calendar(), at("2026-12-01 10:00"));
    let approval = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Approval2WorkingDays)
        .expect("the chair's 2 working days still show");
    assert_eq!(approval.status, DeadlineStatus::Overdue);
    assert!(
        d.iter().any(|d| d.rule == DeadlineRule::Plan5WorkingDays),
        "the plan's limit still shows: {d:?}"
    );
    assert!(
        next_steps(&s, at("2026-12-01 10:00"))
            .iter()
            .any(|n| n.step == StepKind::PlanApproved && n.required),
        "the chair can still approve it"
    );
}
