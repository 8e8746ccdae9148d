//! The Decree 56 workflow: the plan's dossier and its time limits (Arts 27 k2, 28).

mod common;

use bvte_domain::codes::Code;
use bvte_domain::deadline::{
    DeadlineRule, DeadlineSettings, DeadlineStatus, PlanClockStart, ProvinceDeadlineSettings,
    deadlines, deadlines_with,
};
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
    c.ok("2026-12-20 15:00", simple(StepKind::ContinuationApproved));
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
    let plan = rule(&d, DeadlineRule::Plan5WorkingDays).expect("the plan's limit still shows");
    assert_eq!(
        plan.met_at,
        Some(at("2026-11-25 10:00")),
        "met by the old submission (Art 28 k1: \"trình Chủ tịch\")"
    );
    assert!(
        next_steps(&s, at("2026-12-01 10:00"))
            .iter()
            .any(|n| n.step == StepKind::PlanApproved && n.required),
        "the chair can still approve it"
    );
}

/// The deadline of `rule` among `d`.
fn rule(
    d: &[bvte_domain::deadline::Deadline],
    rule: DeadlineRule,
) -> Option<&bvte_domain::deadline::Deadline> {
    d.iter().find(|d| d.rule == rule)
}

/// Decree 56 Art 28 k1: "trong thời hạn 05 ngày làm việc, … người làm công tác bảo vệ trẻ em cấp
/// xã xây dựng kế hoạch hỗ trợ, can thiệp trình Chủ tịch Ủy ban nhân dân cấp xã phê duyệt". The
/// duty is to build the plan *and submit it* to the chair: drafting alone does not meet it. A plan
/// sent back and submitted again met it at the first submission.
#[test]
fn the_five_working_days_are_met_by_submitting_the_plan_to_the_chair() {
    let mut c = drafted(); // received Mon 23/11 08:00, drafted Wed 25/11
    c.ok("2026-11-25 14:00", simple(StepKind::NeedsMeeting));
    // 5 working days from receipt: 24, 25, 26, 27 and 30/11.
    let d = deadlines(&c.state(), calendar(), at("2026-11-30 10:00"));
    let plan = rule(&d, DeadlineRule::Plan5WorkingDays).expect("the plan's limit is listed");
    assert_eq!(plan.due_at, at("2026-11-30 23:59:59"));
    assert_eq!(
        (plan.met_at, plan.status),
        (None, DeadlineStatus::Pending),
        "drafted but not submitted: the duty is not met yet"
    );
    let d = deadlines(&c.state(), calendar(), at("2026-12-01 09:00"));
    assert_eq!(
        rule(&d, DeadlineRule::Plan5WorkingDays).unwrap().status,
        DeadlineStatus::Overdue,
        "a plan drafted in time but never submitted is overdue"
    );
    c.ok("2026-12-01 10:00", simple(StepKind::PlanSubmitted));
    c.ok("2026-12-01 15:00", simple(StepKind::PlanReturned));
    c.ok("2026-12-02 10:00", simple(StepKind::PlanSubmitted));
    let d = deadlines(&c.state(), calendar(), at("2026-12-02 11:00"));
    let plan = rule(&d, DeadlineRule::Plan5WorkingDays).unwrap();
    assert_eq!(
        plan.met_at,
        Some(at("2026-12-01 10:00")),
        "the first submission"
    );
    assert_eq!(plan.status, DeadlineStatus::MetLate);
    let label = plan.rule.label_vi();
    assert!(
        label.contains("trình Chủ tịch"),
        "the label says what meets it: {label}"
    );
}

/// Art 28 k1 names no start for the 5 working days (no "kể từ"; docs/legal/decree56-articles.md
/// §4). By default they run from receipt of the report, the reading that protects the child; a
/// province may read them from the detailed assessment (Mẫu 03, "Căn cứ mức độ tổn hại và nhu
/// cầu cần hỗ trợ, can thiệp") or from the needs meeting (Art 27 k2). Until that step is recorded
/// the limit cannot be counted and is not listed.
#[test]
fn the_plan_clock_starts_at_receipt_unless_the_province_reads_it_otherwise() {
    assert_eq!(
        DeadlineSettings::default().plan_clock_start,
        PlanClockStart::Receipt
    );
    assert_eq!(
        bvte_domain::reference::deadline_settings("09955"),
        DeadlineSettings::default(),
        "no province sets another reading in the shipped table"
    );
    let table = ProvinceDeadlineSettings::from_csv(
        "province_code,plan_clock_start\n01,needs_meeting\n79,detailed_assessment\n",
    )
    .unwrap();
    assert_eq!(
        table.for_province("01").plan_clock_start,
        PlanClockStart::NeedsMeeting
    );
    assert_eq!(table.for_province("48"), DeadlineSettings::default());
    let bad = ProvinceDeadlineSettings::from_csv("province_code,plan_clock_start\n01,drafting\n");
    assert!(
        bad.is_err(),
        "an unknown reading is refused, not read as receipt"
    );

    let by = |start: PlanClockStart| DeadlineSettings {
        plan_clock_start: start,
    };
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(false));
    let now = at("2026-11-23 10:00");
    let due = |c: &Case, start| {
        rule(
            &deadlines_with(&c.state(), calendar(), &by(start), now),
            DeadlineRule::Plan5WorkingDays,
        )
        .map(|d| d.due_at)
    };
    assert_eq!(
        due(&c, PlanClockStart::Receipt),
        Some(at("2026-11-30 23:59:59"))
    );
    assert_eq!(
        deadlines(&c.state(), calendar(), now),
        deadlines_with(&c.state(), calendar(), &DeadlineSettings::default(), now),
        "`deadlines` is the default reading"
    );
    assert_eq!(
        due(&c, PlanClockStart::DetailedAssessment),
        None,
        "not counted yet"
    );
    c.ok("2026-11-26 09:00", simple(StepKind::DetailedAssessment)); // Thu
    c.ok("2026-11-27 09:00", simple(StepKind::NeedsMeeting)); // Fri
    // 27, 30/11, 1, 2, 3/12.
    assert_eq!(
        due(&c, PlanClockStart::DetailedAssessment),
        Some(at("2026-12-03 23:59:59"))
    );
    // 30/11, 1, 2, 3, 4/12.
    assert_eq!(
        due(&c, PlanClockStart::NeedsMeeting),
        Some(at("2026-12-04 23:59:59"))
    );
}

/// Art 28 k1: "trong thời hạn 05 ngày làm việc, trừ trường hợp khẩn cấp, …"; Art 28 k4: "trong
/// thời hạn 02 ngày làm việc trừ trường hợp khẩn cấp". The exception qualifies the time limit
/// ("trong thời hạn … ngày làm việc"), not the duty to build, submit and approve the plan: when
/// the child needs emergency protection (Art 31 k1), the 5 and 2 working days are not the law's
/// limits. They stay listed as guidance, never "quá hạn" against the law.
#[test]
fn in_an_emergency_the_five_and_two_working_days_are_guidance() {
    let run = |serious: bool| {
        let mut c = Case::new("2026-11-23 08:00");
        c.ok("2026-11-23 09:00", initial(serious));
        c.ok("2026-11-23 10:00", simple(StepKind::EmergencyMeasures));
        c.ok("2026-11-24 10:00", simple(StepKind::DetailedAssessment));
        c.ok("2026-11-24 14:00", simple(StepKind::NeedsMeeting));
        c.ok("2026-12-03 10:00", simple(StepKind::PlanDrafted));
        c.ok("2026-12-03 11:00", simple(StepKind::PlanSubmitted));
        deadlines(&c.state(), calendar(), at("2026-12-10 10:00"))
    };
    let emergency = run(true);
    let plan = rule(&emergency, DeadlineRule::Plan5WorkingDays).expect("still listed");
    assert!(plan.guidance && !plan.overdue, "{plan:?}");
    assert_eq!(plan.status, DeadlineStatus::PastGuidance);
    let approval = rule(&emergency, DeadlineRule::Approval2WorkingDays).expect("still listed");
    assert!(approval.guidance && !approval.overdue, "{approval:?}");
    assert_eq!(approval.status, DeadlineStatus::PastGuidance);
    assert!(
        approval.legal_basis.contains("trừ trường hợp khẩn cấp"),
        "the basis says why: {}",
        approval.legal_basis
    );
    let ordinary = run(false);
    let plan = rule(&ordinary, DeadlineRule::Plan5WorkingDays).unwrap();
    assert!(!plan.guidance);
    assert_eq!(plan.status, DeadlineStatus::MetLate);
    let approval = rule(&ordinary, DeadlineRule::Approval2WorkingDays).unwrap();
    assert_eq!(approval.status, DeadlineStatus::Overdue);
}
