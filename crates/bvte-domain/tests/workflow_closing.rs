//! The Decree 56 workflow: emergencies (Art 31) and closing without erasing a missed duty;
//! cases recorded under the old rules.

mod common;

use bvte_domain::deadline::{DeadlineRule, DeadlineStatus, deadlines};
use bvte_domain::event::*;
use bvte_domain::reference::calendar;
use bvte_domain::workflow::{Stage, fold, next_steps};
use common::*;

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
