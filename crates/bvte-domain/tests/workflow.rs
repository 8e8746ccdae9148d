//! The Decree 56 workflow: stages, the order of steps, and refusals with reasons.

mod common;

use bvte_domain::deadline::{DeadlineRule, DeadlineStatus, deadlines};
use bvte_domain::event::*;
use bvte_domain::reference::calendar;
use bvte_domain::workflow::{Stage, next_steps};
use common::*;

#[test]
fn a_case_goes_through_every_stage_and_a_second_plan_cycle() {
    let mut c = Case::new("2026-11-23 08:00");
    assert_eq!(c.state().stage(), Stage::Received);
    assert_eq!(
        c.ok("2026-11-23 09:00", initial(true)),
        Stage::InitialAssessed
    );
    assert_eq!(
        c.ok("2026-11-23 10:00", simple(StepKind::EmergencyMeasures)),
        Stage::InitialAssessed
    );
    assert_eq!(
        c.ok("2026-11-24 10:00", simple(StepKind::DetailedAssessment)),
        Stage::Planning
    );
    assert_eq!(
        c.ok("2026-11-24 15:00", simple(StepKind::NeedsMeeting)),
        Stage::Planning
    );
    assert_eq!(
        c.ok("2026-11-25 10:00", simple(StepKind::PlanDrafted)),
        Stage::Planning
    );
    assert_eq!(
        c.ok("2026-11-25 11:00", simple(StepKind::PlanSubmitted)),
        Stage::AwaitingApproval
    );
    assert_eq!(
        c.ok("2026-11-26 09:00", simple(StepKind::PlanReturned)),
        Stage::Planning
    );
    assert_eq!(
        c.ok("2026-11-26 11:00", simple(StepKind::PlanSubmitted)),
        Stage::AwaitingApproval
    );
    assert_eq!(
        c.ok("2026-11-27 09:00", simple(StepKind::PlanApproved)),
        Stage::Implementing
    );
    assert_eq!(
        c.ok("2026-11-27 14:00", simple(StepKind::ImplementationActivity)),
        Stage::Implementing
    );
    // Art 30 k1 c: risk remains → proposed to the chair, who agrees: second cycle.
    assert_eq!(
        c.ok("2026-11-28 09:00", review(ReviewProposal::Continue)),
        Stage::Continuing
    );
    assert_eq!(
        c.ok("2026-11-28 09:30", simple(StepKind::ContinuationApproved)),
        Stage::Planning
    );
    assert_eq!(c.state().cycle, 2);
    assert_eq!(
        c.ok("2026-11-28 10:00", simple(StepKind::PlanDrafted)),
        Stage::Planning
    );
    // Art 28 k2 b: the new plan goes to the chair with its own meeting's minutes (Art 27 k2).
    assert_eq!(
        c.ok("2026-11-28 10:30", simple(StepKind::NeedsMeeting)),
        Stage::Planning
    );
    assert_eq!(
        c.ok("2026-11-28 11:00", simple(StepKind::PlanSubmitted)),
        Stage::AwaitingApproval
    );
    assert_eq!(
        c.ok("2026-11-28 12:00", simple(StepKind::PlanApproved)),
        Stage::Implementing
    );
    // Art 30 k1 b: stable → propose ending, the chair ends the plan.
    assert_eq!(
        c.ok("2026-11-28 15:00", review(ReviewProposal::End)),
        Stage::Closing
    );
    assert_eq!(
        c.ok("2026-11-28 16:00", closed(CloseReason::PlanCompleted)),
        Stage::Closed
    );
    let refused = c.record("2026-11-28 17:00", simple(StepKind::ImplementationActivity));
    assert_eq!(
        refused.unwrap_err().code(),
        "step_not_allowed",
        "a closed case takes no steps"
    );
}

#[test]
fn approval_before_a_plan_is_refused_with_the_reason() {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(false));
    c.ok("2026-11-24 09:00", simple(StepKind::DetailedAssessment));
    let e = c
        .record("2026-11-24 10:00", simple(StepKind::PlanApproved))
        .unwrap_err();
    assert_eq!(e.code(), "step_not_allowed");
    assert!(
        e.message_vi().contains("chưa được trình"),
        "{}",
        e.message_vi()
    );
    assert!(
        e.message_vi().contains("Phê duyệt kế hoạch"),
        "names the step: {}",
        e.message_vi()
    );
    // Submitting without a drafted plan is refused too.
    let e = c
        .record("2026-11-24 10:00", simple(StepKind::PlanSubmitted))
        .unwrap_err();
    assert!(e.message_vi().contains("Mẫu 04"), "{}", e.message_vi());
    assert_eq!(c.state().stage(), Stage::Planning, "nothing changed");
}

#[test]
fn separation_and_planning_need_the_assessments() {
    let mut c = Case::new("2026-11-23 08:00");
    let e = c
        .record("2026-11-23 09:00", simple(StepKind::SeparationDecided))
        .unwrap_err();
    assert!(e.message_vi().contains("Mẫu 02"), "{}", e.message_vi());
    let e = c
        .record("2026-11-23 09:00", simple(StepKind::PlanDrafted))
        .unwrap_err();
    assert!(e.message_vi().contains("Mẫu 03"), "{}", e.message_vi());
}

#[test]
fn a_second_initial_assessment_is_refused() {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(false));
    assert_eq!(
        c.record("2026-11-23 10:00", initial(true))
            .unwrap_err()
            .code(),
        "step_not_allowed"
    );
}

#[test]
fn steps_cannot_be_dated_before_what_they_depend_on() {
    let mut c = Case::new("2026-11-23 08:00");
    let e = c.record("2026-11-23 07:00", initial(false)).unwrap_err();
    assert_eq!(
        e.code(),
        "step_before_previous",
        "before the report was received"
    );
    c.ok("2026-11-23 09:00", initial(false));
    c.ok("2026-11-24 09:00", simple(StepKind::DetailedAssessment));
    c.ok("2026-11-25 09:00", simple(StepKind::PlanDrafted));
    c.ok("2026-11-25 09:00", simple(StepKind::NeedsMeeting));
    let e = c
        .record("2026-11-25 08:00", simple(StepKind::PlanSubmitted))
        .unwrap_err();
    assert_eq!(e.code(), "step_before_previous");
    assert!(
        e.message_vi().contains("25/11/2026 09:00"),
        "{}",
        e.message_vi()
    );
}

#[test]
fn separation_is_capped_at_fifteen_days() {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(true));
    c.ok("2026-11-23 10:00", separation(10));
    let e = c.record("2026-11-25 10:00", extend(6)).unwrap_err();
    assert_eq!(e.code(), "separation_too_long");
    assert!(e.message_vi().contains("16 ngày"), "{}", e.message_vi());
    c.ok("2026-11-25 10:00", extend(5));
    assert_eq!(c.state().separation.as_ref().unwrap().total_days, 15);
    c.ok("2026-11-26 10:00", simple(StepKind::SeparationRevoked));
    assert_eq!(
        c.ok(
            "2026-11-26 11:00",
            closed(CloseReason::NoInterventionNeeded)
        ),
        Stage::Closed
    );
}

#[test]
fn the_plan_can_only_be_ended_after_a_review_proposes_it() {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(false));
    let e = c
        .record("2026-11-23 10:00", closed(CloseReason::PlanCompleted))
        .unwrap_err();
    assert!(e.message_vi().contains("Mẫu 06"), "{}", e.message_vi());
}

#[test]
fn next_steps_follow_the_stage_and_mark_what_the_law_requires() {
    let mut c = Case::new("2026-11-23 08:00");
    let now = at("2026-11-23 08:30");
    let required = |c: &Case| -> Vec<StepKind> {
        next_steps(&c.state(), now)
            .into_iter()
            .filter(|n| n.required)
            .map(|n| n.step)
            .collect()
    };
    assert_eq!(required(&c), vec![StepKind::InitialAssessment]);
    c.ok("2026-11-23 08:20", initial(true));
    assert_eq!(
        required(&c),
        vec![StepKind::EmergencyMeasures, StepKind::DetailedAssessment]
    );
    let all: Vec<StepKind> = next_steps(&c.state(), now)
        .into_iter()
        .map(|n| n.step)
        .collect();
    assert!(all.contains(&StepKind::SeparationDecided));
    assert!(!all.contains(&StepKind::PlanApproved));
}

/// Decree 56 Art 31 k3 a: the officer's duty begins on receipt ("Tiếp nhận thông tin, kết nối
/// với cơ quan công an để ngăn chặn các hành vi đe dọa hoặc gây tổn hại nghiêm trọng …; phối hợp
/// … sơ cứu, cấp cứu ban đầu …"), and k4 a the police's ("Tiếp nhận thông tin, triển khai việc
/// ngăn chặn …"): emergency measures may be dated from receipt, before Mẫu 02.
#[test]
fn emergency_measures_may_be_taken_from_receipt() {
    let mut c = Case::new("2026-11-23 08:00");
    assert_eq!(
        c.ok("2026-11-23 08:30", simple(StepKind::EmergencyMeasures)),
        Stage::Received
    );
    assert!(
        c.record("2026-11-23 07:30", simple(StepKind::EmergencyMeasures))
            .is_err(),
        "not before the report was received"
    );
    c.ok("2026-11-23 09:00", initial(true));
    let d = deadlines(&c.state(), calendar(), at("2026-11-23 10:00"));
    let em = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Emergency12h)
        .unwrap();
    assert_eq!(em.status, DeadlineStatus::Met);
    assert_eq!(em.met_at, Some(at("2026-11-23 08:30")));
}

/// Decree 56 Art 25 k2 asks for "việc kiểm tra tính xác thực về hành vi xâm hại, tình trạng mất
/// an toàn, mức độ nguy cơ gây tổn hại đối với trẻ em khi được yêu cầu" and sets no order: a
/// verification may be recorded in any open stage.
#[test]
fn verification_may_be_recorded_in_any_open_stage() {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", simple(StepKind::Verification));
    c.ok("2026-11-23 09:30", initial(false));
    c.ok("2026-11-24 09:00", simple(StepKind::DetailedAssessment));
    assert_eq!(
        c.ok("2026-11-24 10:00", simple(StepKind::Verification)),
        Stage::Planning
    );
    c.ok("2026-11-25 09:00", simple(StepKind::PlanDrafted));
    c.ok("2026-11-25 09:00", simple(StepKind::NeedsMeeting));
    c.ok("2026-11-25 10:00", simple(StepKind::PlanSubmitted));
    assert_eq!(
        c.ok("2026-11-25 11:00", simple(StepKind::Verification)),
        Stage::AwaitingApproval
    );
    c.ok("2026-11-26 09:00", simple(StepKind::PlanApproved));
    assert_eq!(
        c.ok("2026-11-26 10:00", simple(StepKind::Verification)),
        Stage::Implementing
    );
    c.ok("2026-11-30 09:00", review(ReviewProposal::End));
    assert_eq!(
        c.ok("2026-11-30 10:00", simple(StepKind::Verification)),
        Stage::Closing
    );
    c.ok("2026-11-30 11:00", closed(CloseReason::PlanCompleted));
    assert!(
        c.record("2026-11-30 12:00", simple(StepKind::Verification))
            .is_err(),
        "not once the case is closed"
    );
}
