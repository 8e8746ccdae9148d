//! The Decree 56 workflow: legal deadlines (clock hours, working days) and guidance times.

mod common;

use bvte_domain::deadline::{DeadlineRule, DeadlineStatus, deadlines};
use bvte_domain::event::*;
use bvte_domain::reference::calendar;
use common::*;

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
    c.ok("2026-02-11 09:00", simple(StepKind::NeedsMeeting));
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
    c.ok("2026-11-24 10:00", simple(StepKind::NeedsMeeting));
    c.ok("2026-11-24 11:00", simple(StepKind::PlanSubmitted));
    c.ok("2026-11-24 12:00", closed(CloseReason::Other));
    let d = deadlines(&c.state(), calendar(), at("2026-12-31 10:00"));
    assert!(
        !d.iter()
            .any(|d| d.rule == DeadlineRule::Approval2WorkingDays),
        "{d:?}"
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
