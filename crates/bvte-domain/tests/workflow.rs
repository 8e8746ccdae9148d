//! The Decree 56 workflow: stages, refusals with reasons, and deadlines.

mod common;

use bvte_domain::CaseId;
use bvte_domain::codes::Code;
use bvte_domain::deadline::{DeadlineRule, DeadlineStatus, deadlines};
use bvte_domain::event::*;
use bvte_domain::reference::calendar;
use bvte_domain::time::Instant;
use bvte_domain::workflow::{CaseState, Stage, admit, fold, next_steps};
use common::*;

struct Case {
    id: CaseId,
    received: Instant,
    events: Vec<CaseEvent>,
}

impl Case {
    fn new(received: &str) -> Self {
        Self {
            id: CaseId::generate(),
            received: at(received),
            events: vec![],
        }
    }
    fn state(&self) -> CaseState {
        fold(self.received, &self.events)
    }
    /// Records a step the way the application does: admit first, then append.
    fn record(&mut self, t: &str, step: Step) -> Result<Stage, bvte_domain::ValidationError> {
        let t = at(t);
        admit(&self.state(), &step, t)?;
        self.events.push(ev(self.id, t, step));
        Ok(self.state().stage())
    }
    fn ok(&mut self, t: &str, step: Step) -> Stage {
        self.record(t, step).expect("step should be allowed")
    }
}

fn simple(kind: StepKind) -> Step {
    payload(kind)
}

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
    // Art 30 k1 c: risk remains → back to planning, second cycle.
    assert_eq!(
        c.ok("2026-11-28 09:00", review(ReviewProposal::Continue)),
        Stage::Planning
    );
    assert_eq!(c.state().cycle, 2);
    assert_eq!(
        c.ok("2026-11-28 10:00", simple(StepKind::PlanDrafted)),
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

#[test]
fn deadlines_count_clock_hours_and_working_days() {
    // Received Friday 27 November 2026, 16:00.
    let mut c = Case::new("2026-11-27 16:00");
    let now = at("2026-11-27 17:00");
    let d = deadlines(&c.state(), calendar(), now);
    let ia = d
        .iter()
        .find(|d| d.rule == DeadlineRule::InitialAssessment12h)
        .unwrap();
    assert_eq!(
        ia.due_at,
        at("2026-11-28 04:00"),
        "12 clock hours, through the night"
    );
    assert_eq!(ia.status, DeadlineStatus::Pending);
    let plan = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Plan5WorkingDays)
        .unwrap();
    // Counting starts Monday 30/11: 30, 1, 2, 3, 4 December.
    assert_eq!(plan.due_at, at("2026-12-04 23:59:59"));
    assert!(plan.legal_basis.contains("Điều 28 khoản 1"));
    assert!(
        !d.iter().any(|d| d.rule == DeadlineRule::Emergency12h),
        "no emergency deadline before serious risk is found"
    );

    c.ok("2026-11-27 19:00", initial(true));
    let d = deadlines(&c.state(), calendar(), at("2026-11-28 05:00"));
    let em = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Emergency12h)
        .unwrap();
    assert_eq!(em.due_at, at("2026-11-28 04:00"));
    assert!(
        em.overdue,
        "05:00 is past the 12-hour limit with no measure taken"
    );
    assert_eq!(em.status, DeadlineStatus::Overdue);
    let ia = d
        .iter()
        .find(|d| d.rule == DeadlineRule::InitialAssessment12h)
        .unwrap();
    assert_eq!(ia.status, DeadlineStatus::Met);
    assert_eq!(ia.met_at, Some(at("2026-11-27 19:00")));

    c.ok("2026-11-28 06:00", simple(StepKind::EmergencyMeasures));
    let d = deadlines(&c.state(), calendar(), at("2026-11-28 07:00"));
    let em = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Emergency12h)
        .unwrap();
    assert_eq!(em.status, DeadlineStatus::MetLate);
    assert!(em.overdue, "met two hours late is still a breach");
}

#[test]
fn approval_deadline_skips_tet() {
    let mut c = Case::new("2026-02-09 08:00");
    c.ok("2026-02-09 09:00", initial(false));
    c.ok("2026-02-10 09:00", simple(StepKind::DetailedAssessment));
    c.ok("2026-02-11 09:00", simple(StepKind::PlanDrafted));
    c.ok("2026-02-12 10:00", simple(StepKind::PlanSubmitted));
    let d = deadlines(&c.state(), calendar(), at("2026-02-12 11:00"));
    let ap = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Approval2WorkingDays)
        .unwrap();
    // Friday 13 February, then Tết (16–20) and the weekends: Monday 23.
    assert_eq!(ap.due_at, at("2026-02-23 23:59:59"));
    assert!(ap.legal_basis.contains("Điều 28 khoản 4"));
}

#[test]
fn separation_deadline_counts_calendar_days_and_is_never_extended() {
    // Decided Friday 27 November 2026 for 15 days: counting from the 28th, the 15th day is
    // Saturday 12 December. A cap on separation is not moved to the next working day.
    let mut c = Case::new("2026-11-27 08:00");
    c.ok("2026-11-27 09:00", initial(true));
    c.ok("2026-11-27 10:00", separation(15));
    let d = deadlines(&c.state(), calendar(), at("2026-11-27 11:00"));
    let sep = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Separation15Days)
        .unwrap();
    assert_eq!(sep.due_at, at("2026-12-12 23:59:59"));
    let em = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Emergency12h)
        .unwrap();
    assert_eq!(
        em.status,
        DeadlineStatus::Met,
        "a separation is an emergency measure"
    );
    c.ok("2026-12-01 10:00", simple(StepKind::SeparationRevoked));
    let d = deadlines(&c.state(), calendar(), at("2026-12-20 10:00"));
    let sep = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Separation15Days)
        .unwrap();
    assert_eq!(sep.status, DeadlineStatus::Met);
}

#[test]
fn a_closed_case_drops_the_deadlines_not_yet_due() {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(false));
    c.ok(
        "2026-11-23 10:00",
        closed(CloseReason::NoInterventionNeeded),
    );
    let d = deadlines(&c.state(), calendar(), at("2026-12-31 10:00"));
    assert!(d.iter().all(|d| !d.overdue), "{d:?}");
    assert!(!d.iter().any(|d| d.rule == DeadlineRule::Plan5WorkingDays));
    // Closed while the chair had the plan: the approval limit no longer shows.
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(false));
    c.ok("2026-11-24 09:00", simple(StepKind::DetailedAssessment));
    c.ok("2026-11-24 10:00", simple(StepKind::PlanDrafted));
    c.ok("2026-11-24 11:00", simple(StepKind::PlanSubmitted));
    c.ok("2026-11-24 12:00", closed(CloseReason::Other));
    let d = deadlines(&c.state(), calendar(), at("2026-12-31 10:00"));
    assert!(
        !d.iter()
            .any(|d| d.rule == DeadlineRule::Approval2WorkingDays),
        "{d:?}"
    );
}

/// Decree 56 Art 32 k3 caps the separation ("thời hạn cách ly tối đa không quá 15 ngày") and
/// says when the chair revokes it ("Khi cha, mẹ, người chăm sóc trẻ em được đánh giá bảo đảm
/// điều kiện an toàn … thì Chủ tịch Ủy ban nhân dân cấp xã hủy bỏ quyết định tạm thời cách
/// ly"); it does not forbid closing or handing the case over while the separation runs, and the
/// hand-over to the residence commune (Law on Children Art 52 k2) usually happens then. The
/// separation's own deadline stays visible after the case ends, missed if its end passed
/// unrevoked.
#[test]
fn a_case_may_be_closed_or_transferred_while_the_child_is_separated() {
    let sep_deadline = |c: &Case, now: &str| {
        deadlines(&c.state(), calendar(), at(now))
            .into_iter()
            .find(|d| d.rule == DeadlineRule::Separation15Days)
            .expect("the separation's deadline stays visible")
    };
    // Separated on 23 November for 10 days: the term ends at the end of 3 December.
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(true));
    c.ok("2026-11-23 10:00", separation(10));
    assert_eq!(
        c.ok("2026-11-24 10:00", payload(StepKind::Transferred)),
        Stage::Transferred
    );
    let d = sep_deadline(&c, "2026-11-25 10:00");
    assert_eq!(d.due_at, at("2026-12-03 23:59:59"));
    assert_eq!(d.status, DeadlineStatus::Pending);
    let d = sep_deadline(&c, "2026-12-10 10:00");
    assert_eq!(d.status, DeadlineStatus::Missed, "its end passed unrevoked");
    assert!(d.overdue);

    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(true));
    c.ok("2026-11-23 10:00", separation(10));
    assert_eq!(
        c.ok(
            "2026-11-24 10:00",
            closed(CloseReason::NoInterventionNeeded)
        ),
        Stage::Closed
    );
    assert_eq!(
        sep_deadline(&c, "2026-11-25 10:00").status,
        DeadlineStatus::Pending
    );
    assert_eq!(
        sep_deadline(&c, "2026-12-10 10:00").status,
        DeadlineStatus::Missed
    );
    // Revoked before closing: met, and stays so.
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(true));
    c.ok("2026-11-23 10:00", separation(10));
    c.ok("2026-11-24 09:00", simple(StepKind::SeparationRevoked));
    c.ok(
        "2026-11-24 10:00",
        closed(CloseReason::NoInterventionNeeded),
    );
    assert_eq!(
        sep_deadline(&c, "2026-12-10 10:00").status,
        DeadlineStatus::Met
    );
}

/// Decree 56 Art 32 k3: "Thời hạn tạm thời cách ly … được gia hạn, nhưng thời hạn cách ly tối đa
/// không quá 15 ngày trừ trường hợp phải tiếp tục cách ly theo yêu cầu của cơ quan có thẩm
/// quyền". A separation lapses at the end of its term (decision day + its days, end of day): it
/// is no longer in force, so it cannot be extended or revoked and a new one may be decided. Its
/// deadline tells the officer beforehand what must happen, is overdue once the end passed with
/// nothing recorded while the case is open, and missed once the case has ended.
#[test]
fn a_separation_lapses_at_the_end_of_its_term() {
    let seps = |c: &Case, now: &str| -> Vec<DeadlineStatus> {
        deadlines(&c.state(), calendar(), at(now))
            .into_iter()
            .filter(|d| d.rule == DeadlineRule::Separation15Days)
            .map(|d| d.status)
            .collect()
    };
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(true));
    // 10 days from 23 November: the term ends at the end of 3 December.
    c.ok("2026-11-23 10:00", separation(10));
    let label = DeadlineRule::Separation15Days.label_vi();
    for what in ["trở về", "chăm sóc thay thế", "Tòa án"] {
        assert!(label.contains(what), "told beforehand: {label}");
    }
    assert_eq!(seps(&c, "2026-12-03 23:00"), vec![DeadlineStatus::Pending]);
    // In force until its last moment.
    assert!(admit(&c.state(), &extend(2), at("2026-12-03 23:00")).is_ok());
    // Lapsed: neither extended nor revoked.
    for step in [extend(2), simple(StepKind::SeparationRevoked)] {
        let e = c.record("2026-12-04 09:00", step).unwrap_err();
        assert_eq!(e.code(), "step_not_allowed");
        assert!(
            e.message_vi().contains("hết thời hạn"),
            "{}",
            e.message_vi()
        );
    }
    assert_eq!(seps(&c, "2026-12-04 09:00"), vec![DeadlineStatus::Overdue]);
    let next: Vec<StepKind> = next_steps(&c.state(), at("2026-12-04 09:00"))
        .iter()
        .map(|n| n.step)
        .collect();
    assert!(next.contains(&StepKind::SeparationDecided), "{next:?}");
    assert!(!next.contains(&StepKind::SeparationExtended), "{next:?}");
    assert!(!next.contains(&StepKind::SeparationRevoked), "{next:?}");
    // A new separation may be decided; the lapsed one stays on the record.
    c.ok("2026-12-04 09:00", separation(5));
    assert_eq!(
        seps(&c, "2026-12-05 09:00"),
        vec![DeadlineStatus::Overdue, DeadlineStatus::Pending]
    );
    c.ok("2026-12-05 10:00", closed(CloseReason::Other));
    assert_eq!(
        seps(&c, "2026-12-05 11:00"),
        vec![DeadlineStatus::Missed, DeadlineStatus::Pending]
    );
}

/// A continued separation beyond 15 days is the court's to order: Decree 56 Art 32 k3 ("tối đa
/// không quá 15 ngày trừ trường hợp phải tiếp tục cách ly theo yêu cầu của cơ quan có thẩm
/// quyền"), Law on Children Art 52 k3, Circular 14/2020 Art 14 k3 b ("Thực hiện thủ tục đề nghị
/// Tòa án nhân dân cấp huyện quyết định tiếp tục cách ly trẻ em khỏi cha, mẹ, người chăm sóc trẻ
/// em khi cha, mẹ, người chăm sóc trẻ em chưa đảm bảo an toàn …"). An extension naming the
/// court (`court`, with the court's decision number, dated the day of its decision) may take the
/// total past 15 days; the chair's may not.
#[test]
fn a_court_may_order_the_separation_continued_beyond_fifteen_days() {
    let step = |json: &str| -> Step { serde_json::from_str(json).expect("a valid step") };
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(true));
    c.ok("2026-11-23 10:00", separation(15));
    let chair = step(
        r#"{"step":"separation_extended","data":{"decision_no":"12/QĐ-UBND","extra_days":10,"reason":"Gia đình chưa an toàn."}}"#,
    );
    let e = c.record("2026-12-07 10:00", chair).unwrap_err();
    assert_eq!(e.code(), "separation_too_long");
    let court = step(
        r#"{"step":"separation_extended","data":{"decision_no":"05/2026/QĐ-TA","extra_days":30,
        "reason":"Cha mẹ chưa bảo đảm an toàn cho trẻ em.","court":"Tòa án nhân dân khu vực 1 - Hà Nội"}}"#,
    );
    c.ok("2026-12-07 10:00", court);
    assert_eq!(c.state().separation.as_ref().unwrap().total_days, 45);
    let d = deadlines(&c.state(), calendar(), at("2026-12-10 10:00"));
    let sep = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Separation15Days)
        .unwrap();
    // 45 days from 23 November 2026: 7 January 2027.
    assert_eq!(sep.due_at, at("2027-01-07 23:59:59"));
    assert_eq!(sep.status, DeadlineStatus::Pending);
    // A court's continuation names its decision.
    let bare = StepInput {
        step: "separation_extended".into(),
        occurred_at: None,
        data: serde_json::json!({"extra_days": 30, "court": "Tòa án nhân dân khu vực 1 - Hà Nội"}),
    };
    let e = bare.parse(at("2026-12-07 10:00")).unwrap_err();
    assert!(format!("{e:?}").contains("data.decision_no"), "{e:?}");
}

/// An initial assessment that names the parent or carer as the one causing the harm.
fn caused_by_parent(serious: bool) -> Step {
    Step::InitialAssessment(InitialAssessment {
        serious_risk: serious,
        caused_by_parent_or_carer: true,
        ..Default::default()
    })
}

/// Decree 56 Art 31 k1: "Trẻ em cần được bảo vệ khẩn cấp là trẻ em đang bị đe dọa hoặc bị gây
/// tổn hại nghiêm trọng đến tính mạng, sức khỏe, nhân phẩm hoặc cha, mẹ, người chăm sóc trẻ em
/// chính là người gây tổn hại cho trẻ em." Art 31 k2: "… không quá 12 giờ từ khi nhận được thông
/// tin." The second trigger alone makes the emergency step required and starts the 12 hours.
#[test]
fn a_parent_or_carer_causing_the_harm_makes_it_an_emergency() {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", caused_by_parent(false));
    let required: Vec<StepKind> = next_steps(&c.state(), at("2026-11-23 09:30"))
        .into_iter()
        .filter(|n| n.required)
        .map(|n| n.step)
        .collect();
    assert!(
        required.contains(&StepKind::EmergencyMeasures),
        "Art 31 k1: the parent or carer is the one causing the harm: {required:?}"
    );
    let d = deadlines(&c.state(), calendar(), at("2026-11-23 21:00"));
    let em = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Emergency12h)
        .expect("Art 31 k2: at most 12 hours from receipt");
    assert_eq!(em.due_at, at("2026-11-23 20:00"));
    assert_eq!(em.status, DeadlineStatus::Overdue);
    assert!(
        em.legal_basis.contains("Điều 31 khoản 1, 2"),
        "{}",
        em.legal_basis
    );
    // Without either trigger there is no emergency duty.
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(false));
    let d = deadlines(&c.state(), calendar(), at("2026-11-23 21:00"));
    assert!(!d.iter().any(|d| d.rule == DeadlineRule::Emergency12h));
}

/// Closing for reason `r` with why no emergency measure was applied.
fn closed_with_reason_for_no_emergency(r: CloseReason, why: &str) -> Step {
    Step::Closed(Closed {
        reason: Some(r),
        note: "ghi chú".into(),
        no_emergency_reason: why.into(),
    })
}

/// Decree 56 Art 26 k2: the initial assessment (Mẫu 02) is made "để có cơ sở áp dụng hoặc không
/// áp dụng các biện pháp can thiệp khẩn cấp". "No intervention needed" is that finding, so it
/// cannot be recorded before the assessment.
#[test]
fn no_intervention_needed_cannot_close_a_case_before_its_assessment() {
    let mut c = Case::new("2026-11-23 08:00");
    let e = c
        .record(
            "2026-11-23 09:00",
            closed(CloseReason::NoInterventionNeeded),
        )
        .unwrap_err();
    assert_eq!(e.code(), "step_not_allowed");
    assert!(
        e.message_vi().contains("Điều 26 khoản 2"),
        "{}",
        e.message_vi()
    );
    assert!(e.message_vi().contains("Mẫu 02"), "{}", e.message_vi());
    c.ok("2026-11-23 09:00", initial(false));
    assert_eq!(
        c.ok(
            "2026-11-23 10:00",
            closed(CloseReason::NoInterventionNeeded)
        ),
        Stage::Closed
    );
}

/// Decree 56 Art 31 k1–2: a child who needs emergency protection must be protected "không quá
/// 12 giờ từ khi nhận được thông tin". Closing such a case with no emergency measure recorded
/// is refused unless the officer records why.
#[test]
fn closing_without_a_required_emergency_measure_needs_the_reason() {
    for trigger in [initial(true), caused_by_parent(false)] {
        let mut c = Case::new("2026-11-23 08:00");
        c.ok("2026-11-23 09:00", trigger.clone());
        for reason in [
            CloseReason::NoInterventionNeeded,
            CloseReason::Unfounded,
            CloseReason::Other,
        ] {
            let e = c.record("2026-11-23 10:00", closed(reason)).unwrap_err();
            assert_eq!(e.code(), "step_not_allowed");
            assert!(e.message_vi().contains("Điều 31"), "{}", e.message_vi());
            assert!(e.message_en().contains("Art 31"), "{}", e.message_en());
        }
        // The step stays on offer: it can be recorded with the reason.
        assert!(
            next_steps(&c.state(), at("2026-11-23 10:00"))
                .iter()
                .any(|n| n.step == StepKind::Closed)
        );
        assert_eq!(
            c.ok(
                "2026-11-23 10:00",
                closed_with_reason_for_no_emergency(
                    CloseReason::NoInterventionNeeded,
                    "Công an xã xác minh trẻ đã ở nhà ông bà, an toàn, trước khi UBND xã nhận tin.",
                ),
            ),
            Stage::Closed
        );
    }
    // With the emergency measure recorded, no reason is asked.
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(true));
    c.ok("2026-11-23 09:30", simple(StepKind::EmergencyMeasures));
    c.ok(
        "2026-11-23 10:00",
        closed(CloseReason::NoInterventionNeeded),
    );
}

/// Closing must not erase a missed duty: the emergency limit of Art 31 k2 that was never met
/// stays listed after closing, as `missed`; so does a limit already passed when the case ended.
#[test]
fn a_missed_legal_deadline_stays_visible_after_closing() {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(true));
    c.ok(
        "2026-11-24 09:00",
        closed_with_reason_for_no_emergency(CloseReason::NoInterventionNeeded, "Không kịp."),
    );
    let d = deadlines(&c.state(), calendar(), at("2026-12-31 10:00"));
    let em = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Emergency12h)
        .expect("the missed emergency limit stays listed");
    assert_eq!(em.status, DeadlineStatus::Missed);
    assert_eq!(em.met_at, None);
    assert!(em.overdue);
    assert!(
        !d.iter().any(|d| d.rule == DeadlineRule::Plan5WorkingDays),
        "no plan is due when no intervention is needed: {d:?}"
    );
    // Closed before the 12 hours ran out, the required measure never taken: still missed.
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", caused_by_parent(false));
    c.ok(
        "2026-11-23 10:00",
        closed_with_reason_for_no_emergency(CloseReason::Other, "Gia đình chuyển đi."),
    );
    let d = deadlines(&c.state(), calendar(), at("2026-12-31 10:00"));
    let em = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Emergency12h)
        .unwrap();
    assert_eq!(em.status, DeadlineStatus::Missed);
    // A plan limit already passed when the case was closed for another reason stays, missed.
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(false));
    c.ok("2026-11-24 09:00", simple(StepKind::DetailedAssessment));
    c.ok("2026-12-10 09:00", closed(CloseReason::Other));
    let d = deadlines(&c.state(), calendar(), at("2026-12-31 10:00"));
    let plan = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Plan5WorkingDays)
        .unwrap();
    assert_eq!(plan.status, DeadlineStatus::Missed);
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

/// Decree 56 sets no stand-alone limit for the initial assessment: Art 26 k2 makes it the basis
/// for emergency measures, which Art 26 k3 and Art 31 k2 limit to 12 hours from receipt. The
/// 12 hours for the assessment are guidance derived from that rule, never "quá hạn" in law.
#[test]
fn the_initial_assessment_12h_is_guidance_not_a_legal_limit() {
    let c = Case::new("2026-11-23 08:00");
    let d = deadlines(&c.state(), calendar(), at("2026-11-23 21:00"));
    let ia = d
        .iter()
        .find(|d| d.rule == DeadlineRule::InitialAssessment12h)
        .unwrap();
    assert!(ia.guidance);
    assert!(!ia.overdue, "not overdue against the law");
    assert_eq!(ia.status, DeadlineStatus::PastGuidance);
    assert!(ia.legal_basis.contains("khuyến nghị"), "{}", ia.legal_basis);
    assert!(
        d.iter()
            .filter(|d| d.rule != DeadlineRule::InitialAssessment12h)
            .all(|d| !d.guidance)
    );
    // Met after the 12 hours: not "met late" either.
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 22:00", initial(false));
    let d = deadlines(&c.state(), calendar(), at("2026-11-23 23:00"));
    let ia = d
        .iter()
        .find(|d| d.rule == DeadlineRule::InitialAssessment12h)
        .unwrap();
    assert_eq!(ia.status, DeadlineStatus::PastGuidance);
    assert!(!ia.overdue);
    assert_eq!(ia.met_at, Some(at("2026-11-23 22:00")));
}

/// Cases recorded under the old rules (issue 15), as stored and synced before this change: a
/// `closed` step without `no_emergency_reason`, a closing the new rules refuse (before any
/// assessment; serious risk with no emergency measure), a parent-caused harm that set off no
/// deadline. They still load, and show their deadlines under the new rules.
#[test]
fn cases_recorded_under_the_old_rules_load_and_show_the_new_deadlines() {
    let received = at("2026-11-23 08:00");
    let old = |json: &str| -> Vec<CaseEvent> {
        serde_json::from_str(json).expect("old events still deserialise")
    };
    // Serious risk, closed as "no intervention needed" the next day with no emergency measure.
    let closed_case = old(r#"[
      {"id":"019ab0e0-0000-7000-8000-000000000001","case_id":"019ab0e0-0000-7000-8000-0000000000c1",
       "occurred_at":"2026-11-23T02:00:00Z","recorded_at":"2026-11-23T02:05:00Z","author":"Cán bộ A",
       "step":"initial_assessment","data":{"criteria":[{"criterion":"harm_severity","level":"high","note":""}],
       "serious_risk":true,"caused_by_parent_or_carer":false,"safety_measures":"","conclusion":"Nguy cơ cao."}},
      {"id":"019ab0e0-0000-7000-8000-000000000002","case_id":"019ab0e0-0000-7000-8000-0000000000c1",
       "occurred_at":"2026-11-24T02:00:00Z","recorded_at":"2026-11-24T02:00:00Z","author":"Cán bộ A",
       "step":"closed","data":{"reason":"no_intervention_needed","note":""}}
    ]"#);
    let s = fold(received, &closed_case);
    assert_eq!(s.stage(), Stage::Closed);
    let d = deadlines(&s, calendar(), at("2026-12-31 10:00"));
    let rules: Vec<(DeadlineRule, DeadlineStatus)> = d.iter().map(|d| (d.rule, d.status)).collect();
    assert_eq!(
        rules,
        vec![
            (DeadlineRule::InitialAssessment12h, DeadlineStatus::Met),
            (DeadlineRule::Emergency12h, DeadlineStatus::Missed),
        ],
        "the missed emergency duty now shows; no plan was due"
    );
    assert!(d[0].guidance && !d[1].guidance);

    // Closed as "no intervention needed" before any assessment: the guidance time goes.
    let early = old(r#"[
      {"id":"019ab0e0-0000-7000-8000-000000000003","case_id":"019ab0e0-0000-7000-8000-0000000000c2",
       "occurred_at":"2026-11-23T02:00:00Z","recorded_at":"2026-11-23T02:00:00Z","author":"Cán bộ A",
       "step":"closed","data":{"reason":"no_intervention_needed","note":"Gia đình tự giải quyết."}}
    ]"#);
    let s = fold(received, &early);
    assert_eq!(s.stage(), Stage::Closed);
    assert!(deadlines(&s, calendar(), at("2026-12-31 10:00")).is_empty());

    // Still open: the parent is the one causing the harm, recorded "for nothing" until now.
    let open = old(r#"[
      {"id":"019ab0e0-0000-7000-8000-000000000004","case_id":"019ab0e0-0000-7000-8000-0000000000c3",
       "occurred_at":"2026-11-23T02:00:00Z","recorded_at":"2026-11-23T02:00:00Z","author":"Cán bộ A",
       "step":"initial_assessment","data":{"criteria":[],"serious_risk":false,
       "caused_by_parent_or_carer":true,"safety_measures":"","conclusion":""}},
      {"id":"019ab0e0-0000-7000-8000-000000000005","case_id":"019ab0e0-0000-7000-8000-0000000000c3",
       "occurred_at":"2026-11-24T02:00:00Z","recorded_at":"2026-11-24T02:00:00Z","author":"Cán bộ A",
       "step":"detailed_assessment","data":{"plan_needed":true}}
    ]"#);
    let s = fold(received, &open);
    assert_eq!(s.stage(), Stage::Planning);
    let d = deadlines(&s, calendar(), at("2026-11-24 10:00"));
    let em = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Emergency12h)
        .expect("Art 31 k1: the parent trigger now starts the 12 hours");
    assert_eq!(em.status, DeadlineStatus::Overdue);
    assert!(
        next_steps(&s, at("2026-11-24 10:00"))
            .iter()
            .any(|n| n.step == StepKind::EmergencyMeasures && n.required)
    );
    let plan = d
        .iter()
        .find(|d| d.rule == DeadlineRule::Plan5WorkingDays)
        .unwrap();
    assert_eq!(plan.status, DeadlineStatus::Pending);
}

/// Separations recorded before the separation had an end (issue 15 item 2), as stored and synced
/// then: an `separation_extended` without `court`, a revocation recorded after the end (the old
/// rules allowed it), a separation never revoked on a case still open. They load, and show the
/// separation's deadline under the new rules (Decree 56 Art 32 k3: the separation lapsed at the
/// end of its term).
#[test]
fn separations_recorded_under_the_old_rules_load_and_show_their_deadline() {
    let received = at("2026-11-23 08:00");
    let old = |json: &str| -> Vec<CaseEvent> {
        serde_json::from_str(json).expect("old events still deserialise")
    };
    let sep_deadlines = |s: &CaseState, now: &str| -> Vec<(Instant, DeadlineStatus)> {
        deadlines(s, calendar(), at(now))
            .into_iter()
            .filter(|d| d.rule == DeadlineRule::Separation15Days)
            .map(|d| (d.due_at, d.status))
            .collect()
    };
    // Decided 23/11 for 10 days, extended by 3 (no `court`), never revoked; the case is open.
    let open = old(r#"[
      {"id":"019ab0e0-0000-7000-8000-000000000011","case_id":"019ab0e0-0000-7000-8000-0000000000d1",
       "occurred_at":"2026-11-23T02:00:00Z","recorded_at":"2026-11-23T02:00:00Z","author":"Cán bộ A",
       "step":"initial_assessment","data":{"criteria":[],"serious_risk":true,"safety_measures":"","conclusion":""}},
      {"id":"019ab0e0-0000-7000-8000-000000000012","case_id":"019ab0e0-0000-7000-8000-0000000000d1",
       "occurred_at":"2026-11-23T03:00:00Z","recorded_at":"2026-11-23T03:00:00Z","author":"Cán bộ A",
       "step":"separation_decided","data":{"decision_no":"130/QĐ-UBND","grounds":"by_parent_or_carer",
       "separated_from":["father"],"days":10,"shelter":"Nhà bà ngoại","carer":"Bà ngoại"}},
      {"id":"019ab0e0-0000-7000-8000-000000000013","case_id":"019ab0e0-0000-7000-8000-0000000000d1",
       "occurred_at":"2026-11-27T09:00:00Z","recorded_at":"2026-11-27T09:00:00Z","author":"Cán bộ A",
       "step":"separation_extended","data":{"decision_no":"131/QĐ-UBND","extra_days":3,"reason":"Chờ tư vấn."}}
    ]"#);
    let s = fold(received, &open);
    assert_eq!(s.separation.as_ref().unwrap().total_days, 13);
    assert_eq!(
        sep_deadlines(&s, "2026-12-01 10:00"),
        vec![(at("2026-12-06 23:59:59"), DeadlineStatus::Pending)]
    );
    // Past its end: lapsed, overdue while the case is open; a new separation may be decided.
    assert_eq!(
        sep_deadlines(&s, "2026-12-10 10:00"),
        vec![(at("2026-12-06 23:59:59"), DeadlineStatus::Overdue)]
    );
    assert!(s.separation_in_force(at("2026-12-10 10:00")).is_none());
    let next: Vec<StepKind> = next_steps(&s, at("2026-12-10 10:00"))
        .iter()
        .map(|n| n.step)
        .collect();
    assert!(next.contains(&StepKind::SeparationDecided), "{next:?}");
    assert!(!next.contains(&StepKind::SeparationRevoked), "{next:?}");

    // Revoked after its end (5 days from 23/11, revoked 1/12), then closed: met late, listed.
    let late = old(r#"[
      {"id":"019ab0e0-0000-7000-8000-000000000021","case_id":"019ab0e0-0000-7000-8000-0000000000d2",
       "occurred_at":"2026-11-23T02:00:00Z","recorded_at":"2026-11-23T02:00:00Z","author":"Cán bộ A",
       "step":"initial_assessment","data":{"criteria":[],"serious_risk":true,"safety_measures":"","conclusion":""}},
      {"id":"019ab0e0-0000-7000-8000-000000000022","case_id":"019ab0e0-0000-7000-8000-0000000000d2",
       "occurred_at":"2026-11-23T03:00:00Z","recorded_at":"2026-11-23T03:00:00Z","author":"Cán bộ A",
       "step":"separation_decided","data":{"decision_no":"130/QĐ-UBND","grounds":"by_parent_or_carer","days":5}},
      {"id":"019ab0e0-0000-7000-8000-000000000023","case_id":"019ab0e0-0000-7000-8000-0000000000d2",
       "occurred_at":"2026-12-01T03:00:00Z","recorded_at":"2026-12-01T03:00:00Z","author":"Cán bộ A",
       "step":"separation_revoked","data":{"decision_no":"140/QĐ-UBND","reason":"Gia đình đã an toàn."}},
      {"id":"019ab0e0-0000-7000-8000-000000000024","case_id":"019ab0e0-0000-7000-8000-0000000000d2",
       "occurred_at":"2026-12-01T04:00:00Z","recorded_at":"2026-12-01T04:00:00Z","author":"Cán bộ A",
       "step":"closed","data":{"reason":"other","note":"Trẻ đã về nhà."}}
    ]"#);
    let s = fold(received, &late);
    assert_eq!(s.stage(), Stage::Closed);
    assert_eq!(
        sep_deadlines(&s, "2026-12-31 10:00"),
        vec![(at("2026-11-28 23:59:59"), DeadlineStatus::MetLate)]
    );
}

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
        Stage::Planning
    );
    assert_eq!(c.state().cycle, 2);
    // Dated before the review it answers: refused.
    let mut d = Case::new("2026-11-23 08:00");
    d.events = c.events[..5].to_vec();
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
