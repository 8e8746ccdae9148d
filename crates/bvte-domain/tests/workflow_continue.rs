//! The Decree 56 workflow: the chair's decision on a review's proposal to continue (Art 30 k1
//! c), and the histories recorded before that decision could be recorded.

mod common;

use bvte_domain::deadline::{DeadlineRule, DeadlineStatus, deadlines, working_days_after};
use bvte_domain::event::*;
use bvte_domain::reference::calendar;
use bvte_domain::workflow::{Stage, fold};
use common::*;

/// One stored event as the desktops and the server keep it (JSON), numbered `n`.
fn stored(n: u32, t: &str, step: &str, data: &str) -> String {
    format!(
        r#"{{"id":"019ab0e0-0000-7000-8000-0000000020{n:02}","case_id":"019ab0e0-0000-7000-8000-0000000000d2",
        "occurred_at":"{t}","recorded_at":"{t}","author":"Cán bộ A","step":"{step}","data":{data}}}"#
    )
}

/// A first cycle approved, then a review proposing to continue (stored times are UTC: 02:00Z
/// is 09:00 in Vietnam), followed by `then`.
fn old_history(then: &[String]) -> Vec<CaseEvent> {
    let mut all = vec![
        stored(
            1,
            "2026-11-23T02:00:00Z",
            "initial_assessment",
            r#"{"serious_risk":false}"#,
        ),
        stored(
            2,
            "2026-11-24T02:00:00Z",
            "detailed_assessment",
            r#"{"plan_needed":true}"#,
        ),
        stored(
            3,
            "2026-11-24T08:00:00Z",
            "needs_meeting",
            r#"{"participants":"Chủ tịch, cán bộ"}"#,
        ),
        stored(
            4,
            "2026-11-25T02:00:00Z",
            "plan_drafted",
            r#"{"goals":"An toàn"}"#,
        ),
        stored(
            5,
            "2026-11-25T03:00:00Z",
            "plan_submitted",
            r#"{"note":""}"#,
        ),
        stored(
            6,
            "2026-11-26T02:00:00Z",
            "plan_approved",
            r#"{"decision_no":"12/QĐ-UBND","approver":"Chủ tịch"}"#,
        ),
        stored(
            7,
            "2026-12-10T02:00:00Z",
            "review",
            r#"{"proposal":"continue","reasons":"Còn nguy cơ"}"#,
        ),
    ];
    all.extend_from_slice(then);
    serde_json::from_str(&format!("[{}]", all.join(","))).expect("stored events deserialise")
}

/// Histories recorded before the chair's decision on a proposal to continue could be recorded
/// (issue 15 item 10): the review opened the next cycle at once, and the officer went on with its
/// needs meeting, plan and submission. Such histories, kept on the desktops and the server, still
/// fold to the same state (the new cycle counted from the review, its Art 28 deadlines with it)
/// and take the next step: replaying or syncing them refuses nothing.
#[test]
fn continue_reviews_followed_by_the_next_cycle_under_the_old_rules_load_as_before() {
    let received = at("2026-11-23 08:00");
    let review_at = at("2026-12-10 09:00");
    let events = old_history(&[
        stored(
            8,
            "2026-12-11T02:00:00Z",
            "needs_meeting",
            r#"{"participants":"Chủ tịch"}"#,
        ),
        stored(
            9,
            "2026-12-11T03:00:00Z",
            "plan_drafted",
            r#"{"goals":"An toàn hơn"}"#,
        ),
        stored(
            10,
            "2026-12-14T02:00:00Z",
            "plan_submitted",
            r#"{"note":""}"#,
        ),
    ]);
    let s = fold(received, &events);
    assert_eq!(
        s.stage(),
        Stage::AwaitingApproval,
        "the new plan awaits the chair"
    );
    assert_eq!(s.cycle, 2, "the review opened the second cycle");
    assert_eq!(
        s.cycle_started_at,
        Some(review_at),
        "counted from the review, as before"
    );
    assert_eq!(s.needs_meeting_at, Some(at("2026-12-11 09:00")));
    let cal = calendar();
    let now = at("2026-12-14 10:00");
    let plan = deadlines(&s, cal, now)
        .into_iter()
        .find(|d| d.rule == DeadlineRule::Plan5WorkingDays)
        .expect("the second plan's 5 working days are listed");
    assert_eq!(plan.due_at, working_days_after(cal, review_at, 5));
    assert_eq!(plan.met_at, Some(at("2026-12-14 09:00")));
    assert_eq!(plan.status, DeadlineStatus::Met);
    // The chair approves the second plan: the old history is not refused.
    let mut c = Case::new("2026-11-23 08:00");
    c.events = events;
    assert_eq!(
        c.ok("2026-12-15 09:00", simple(StepKind::PlanApproved)),
        Stage::Implementing
    );

    // A history stopped after the draft, before any meeting: the cycle is still open for its
    // meeting and submission.
    let mut d = Case::new("2026-11-23 08:00");
    d.events = old_history(&[stored(
        8,
        "2026-12-11T03:00:00Z",
        "plan_drafted",
        r#"{"goals":"An toàn hơn"}"#,
    )]);
    let s = d.state();
    assert_eq!((s.stage(), s.cycle), (Stage::Planning, 2));
    assert_eq!(s.cycle_started_at, Some(review_at));
    d.ok("2026-12-11 14:00", simple(StepKind::NeedsMeeting));
    assert_eq!(
        d.ok("2026-12-11 15:00", simple(StepKind::PlanSubmitted)),
        Stage::AwaitingApproval
    );
}

/// The chair's agreement to continue (`continuation_approved`), built from its stored form so
/// the test reads the step the desktops and the server exchange.
fn continuation(decision_no: &str) -> Step {
    serde_json::from_value(serde_json::json!({
        "step": "continuation_approved",
        "data": {"decision_no": decision_no, "note": "Đồng ý xây dựng kế hoạch mới"}
    }))
    .expect("a step kind of this version")
}

/// A first cycle carried out, reviewed at 10/12/2026 09:00 with the proposal `p`.
fn reviewed(p: ReviewProposal) -> Case {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(false));
    c.ok("2026-11-24 10:00", simple(StepKind::DetailedAssessment));
    c.ok("2026-11-24 15:00", simple(StepKind::NeedsMeeting));
    c.ok("2026-11-25 10:00", simple(StepKind::PlanDrafted));
    c.ok("2026-11-25 11:00", simple(StepKind::PlanSubmitted));
    c.ok("2026-11-26 09:00", simple(StepKind::PlanApproved));
    c.ok("2026-11-30 09:00", simple(StepKind::ImplementationActivity));
    c.ok("2026-12-10 09:00", review(p));
    c
}

fn offered(c: &Case, now: &str) -> Vec<(String, bool)> {
    bvte_domain::workflow::next_steps(&c.state(), at(now))
        .into_iter()
        .map(|n| {
            (
                bvte_domain::codes::Code::code(n.step).to_string(),
                n.required,
            )
        })
        .collect()
}

/// Decree 56 Art 30 k1 c: the officer "Trình Chủ tịch Ủy ban nhân dân cấp xã tiếp tục quy trình
/// xây dựng, phê duyệt kế hoạch hỗ trợ, can thiệp nếu trẻ em vẫn có nguy cơ bị xâm hại …". A
/// review proposing to continue is a submission to the chair, as one proposing to end is (Art 30
/// k1 b): the case waits for the decision, and the new plan cycle starts from the chair's
/// agreement, from which the 5 working days of Art 28 k1 count. Before, the review opened the
/// new cycle at once, with no decision.
#[test]
fn a_proposal_to_continue_waits_for_the_chairs_decision() {
    let mut c = reviewed(ReviewProposal::Continue);
    let s = c.state();
    assert_eq!(bvte_domain::codes::Code::code(s.stage()), "continuing");
    assert_eq!(s.cycle, 1, "no new cycle before the chair decides");
    let next = offered(&c, "2026-12-10 10:00");
    assert!(
        next.contains(&("continuation_approved".into(), true)),
        "the chair's decision is what the officer records next: {next:?}"
    );
    assert!(next.iter().any(|(k, _)| k == "plan_returned"), "{next:?}");
    assert!(
        !next
            .iter()
            .any(|(k, _)| k == "plan_drafted" || k == "needs_meeting")
    );
    // The Art 28 limits of the first plan were met; none runs for the chair's decision (Art 30
    // names no time for it, as for the decision to end).
    let cal = calendar();
    assert!(
        deadlines(&s, cal, at("2027-03-01 09:00"))
            .iter()
            .all(|d| d.status == DeadlineStatus::Met),
        "{:?}",
        deadlines(&s, cal, at("2027-03-01 09:00"))
    );
    let e = c
        .record("2026-12-11 09:00", simple(StepKind::PlanDrafted))
        .unwrap_err();
    assert_eq!(e.code(), "step_not_allowed");
    assert!(
        e.message_vi().contains("Điều 30 khoản 1") && e.message_vi().contains("đồng ý tiếp tục"),
        "the refusal says what to record: {}",
        e.message_vi()
    );
    let e = c
        .record("2026-12-09 09:00", continuation("30/QĐ-UBND"))
        .unwrap_err();
    assert_eq!(
        e.code(),
        "step_before_previous",
        "the decision answers the review"
    );

    let decided = at("2026-12-14 09:00");
    assert_eq!(
        c.ok("2026-12-14 09:00", continuation("30/QĐ-UBND")),
        Stage::Planning
    );
    let s = c.state();
    assert_eq!((s.cycle, s.cycle_started_at), (2, Some(decided)));
    let plan = deadlines(&s, cal, at("2026-12-14 10:00"))
        .into_iter()
        .find(|d| d.rule == DeadlineRule::Plan5WorkingDays)
        .expect("the new plan's 5 working days run");
    assert_eq!(plan.due_at, working_days_after(cal, decided, 5));
    assert_ne!(
        plan.due_at,
        working_days_after(cal, at("2026-12-10 09:00"), 5)
    );
    assert_eq!(plan.status, DeadlineStatus::Pending);
    // The new plan is built after the decision, with its own meeting (Art 28 k2 b).
    let e = c
        .record("2026-12-12 09:00", simple(StepKind::PlanDrafted))
        .unwrap_err();
    assert_eq!(e.code(), "step_before_previous");
    c.ok("2026-12-15 09:00", simple(StepKind::NeedsMeeting));
    c.ok("2026-12-15 10:00", simple(StepKind::PlanDrafted));
    c.ok("2026-12-15 11:00", simple(StepKind::PlanSubmitted));
    assert_eq!(
        c.ok("2026-12-16 09:00", simple(StepKind::PlanApproved)),
        Stage::Implementing
    );
}

/// Art 30 k1 c: the chair may not agree to a new plan. As with a refused end (Art 30 k1 b), the
/// chair sends the proposal back (`plan_returned`) and the approved plan goes on being carried
/// out (stage `implementing`), until a later review proposes ending it or continuing again.
#[test]
fn the_chair_may_refuse_to_continue() {
    let mut c = reviewed(ReviewProposal::Continue);
    let approved = c.state().plan_approved_at;
    assert_eq!(
        c.ok("2026-12-11 09:00", simple(StepKind::PlanReturned)),
        Stage::Implementing,
        "not continued: the approved plan goes on"
    );
    let s = c.state();
    assert_eq!((s.cycle, s.plan_approved_at), (1, approved));
    c.ok("2026-12-12 09:00", simple(StepKind::ImplementationActivity));
    assert_eq!(
        c.ok("2026-12-20 09:00", review(ReviewProposal::End)),
        Stage::Closing
    );
    assert_eq!(
        c.ok("2026-12-21 09:00", closed(CloseReason::PlanCompleted)),
        Stage::Closed
    );
}

/// Ending the plan needs a review finding that the child is no longer at risk (Art 30 k1 b: "nếu
/// trẻ em không còn nguy cơ bị xâm hại"); a review proposing to continue found the opposite. So
/// the chair cannot end the plan in answer to it: the chair refuses (`plan_returned`), and a new
/// review proposes the end. A case may still end for another reason (`other`), as in any open
/// stage, or be handed over.
#[test]
fn the_chair_cannot_end_the_plan_in_answer_to_a_proposal_to_continue() {
    let mut c = reviewed(ReviewProposal::Continue);
    let e = c
        .record("2026-12-11 09:00", closed(CloseReason::PlanCompleted))
        .unwrap_err();
    assert!(e.message_vi().contains("Mẫu 06"), "{}", e.message_vi());
    let e = c
        .record("2026-12-11 09:00", review(ReviewProposal::End))
        .unwrap_err();
    assert!(
        e.message_vi().contains("đồng ý tiếp tục") && e.message_vi().contains("trả lại"),
        "the refusal says what to record: {}",
        e.message_vi()
    );
    assert_eq!(
        c.ok("2026-12-11 09:00", closed(CloseReason::Other)),
        Stage::Closed
    );
}

/// A history that stopped at a review proposing to continue, recorded under the old rules,
/// loads (nothing is refused or lost) and now shows what the law asks next: the chair's
/// decision (Art 30 k1 c), recordable as for a new review.
#[test]
fn a_continue_review_recorded_under_the_old_rules_now_awaits_the_chair() {
    let mut c = Case::new("2026-11-23 08:00");
    c.events = old_history(&[]);
    assert_eq!(
        bvte_domain::codes::Code::code(c.state().stage()),
        "continuing"
    );
    assert_eq!(c.ok("2026-12-11 09:00", continuation("")), Stage::Planning);
    assert_eq!(c.state().cycle, 2);
}
