//! The Decree 56 workflow: temporary separation (Art 32), and separations recorded under the
//! old rules.

mod common;

use bvte_domain::codes::Code;
use bvte_domain::deadline::{DeadlineRule, DeadlineStatus, deadlines};
use bvte_domain::event::*;
use bvte_domain::reference::calendar;
use bvte_domain::time::Instant;
use bvte_domain::workflow::{CaseState, Stage, admit, fold, next_steps};
use common::*;

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

/// A separation decision as the officer types it (Mẫu 07).
fn decision_input(data: serde_json::Value) -> StepInput {
    StepInput {
        step: "separation_decided".into(),
        occurred_at: Some("2026-12-01 10:00".into()),
        data,
    }
}

/// Decree 56 Art 32 k2: the chair of the commune "nơi trẻ em cư trú hoặc nơi xảy ra trường hợp
/// quy định tại khoản 1 Điều này có thẩm quyền ra quyết định tạm thời cách ly trẻ em … theo Mẫu số
/// 07 … và bố trí nơi tạm trú an toàn … và áp dụng biện pháp chăm sóc thay thế"; k4: "cần được
/// thực hiện ngay việc giao chăm sóc thay thế". A decision is recorded with its number, the safe
/// shelter, the alternative carer, and which chair of which commune decided; each missing field
/// is refused with its own Vietnamese message.
#[test]
fn a_separation_decision_names_the_shelter_the_carer_and_the_chair_who_decided() {
    let full = serde_json::json!({
        "decision_no": "08/QĐ-UBND", "grounds": "by_parent_or_carer", "separated_from": ["father"],
        "days": 7, "shelter": "Nhà bà ngoại, thôn Tây", "carer": "Bà ngoại của trẻ",
        "decided_by": "Nguyễn Văn Minh", "decision_commune": "09955"
    });
    let now = at("2026-12-07 10:00");
    let (_, step) = decision_input(full.clone()).parse(now).unwrap();
    let Step::SeparationDecided(d) = step else {
        panic!("{step:?}")
    };
    assert_eq!(d.decided_by, "Nguyễn Văn Minh");
    assert_eq!(d.decision_commune, "09955");
    for (field, says) in [
        ("shelter", "nơi tạm trú an toàn"),
        ("carer", "chăm sóc thay thế"),
        ("decision_no", "số quyết định"),
        ("decided_by", "Chủ tịch"),
        ("decision_commune", "xã"),
    ] {
        let mut data = full.clone();
        data[field] = serde_json::json!("");
        let e = decision_input(data).parse(now).unwrap_err();
        let e = e.first();
        assert_eq!(e.code(), "required", "{field}: {e:?}");
        assert_eq!(e.field(), Some(format!("data.{field}").as_str()));
        assert!(
            e.message_vi().contains(says),
            "{field}: the message names it: {}",
            e.message_vi()
        );
    }
    let mut data = full.clone();
    data["decision_commune"] = serde_json::json!("99999");
    let e = decision_input(data).parse(now).unwrap_err();
    assert_eq!(e.first().code(), "unknown_commune");
}

/// Separation decisions recorded before the decision named the chair and the commune (issue 15
/// item 11), as stored and synced then: no `decided_by`, no `decision_commune`, and an empty
/// shelter. They load and fold as before.
#[test]
fn separation_decisions_recorded_without_the_new_fields_load() {
    let old: Vec<CaseEvent> = serde_json::from_str(
        r#"[{"id":"019ab0e0-0000-7000-8000-000000000111","case_id":"019ab0e0-0000-7000-8000-0000000000e1",
        "occurred_at":"2026-11-23T03:00:00Z","recorded_at":"2026-11-23T03:00:00Z","author":"Cán bộ A",
        "step":"separation_decided","data":{"decision_no":"","grounds":"by_parent_or_carer",
        "separated_from":["father"],"days":10,"shelter":"","carer":"Bà ngoại"}}]"#,
    )
    .expect("old events still deserialise");
    let Step::SeparationDecided(d) = &old[0].step else {
        panic!()
    };
    assert!(d.decided_by.is_empty() && d.decision_commune.is_empty());
    let s = fold(at("2026-11-23 08:00"), &old);
    assert_eq!(s.separation.as_ref().map(|s| s.total_days), Some(10));
    assert!(
        deadlines(&s, calendar(), at("2026-11-24 10:00"))
            .iter()
            .any(|d| d.rule == DeadlineRule::Separation15Days)
    );
}

/// Decree 56 Art 32 k2: "Chủ tịch Ủy ban nhân dân cấp xã nơi trẻ em cư trú hoặc nơi xảy ra
/// trường hợp quy định tại khoản 1 Điều này có thẩm quyền ra quyết định tạm thời cách ly": a
/// decision by the chair of a third commune is refused when the case's communes are known.
#[test]
fn only_the_chair_of_the_residence_or_incident_commune_decides_a_separation() {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(true));
    let by = |commune: &str| {
        Step::SeparationDecided(SeparationDecided {
            grounds: Some(SeparationGround::ByParentOrCarer),
            days: 5,
            decision_commune: commune.into(),
            ..Default::default()
        })
    };
    let t = at("2026-11-23 10:00");
    // Kept by 09955 (where it happened), the child lives in 09952.
    let s = c.state().with_communes("09955", "09952");
    admit(&s, &by("09955"), t).expect("the incident commune's chair");
    admit(&s, &by("09952"), t).expect("the residence commune's chair");
    let e = admit(&s, &by("00004"), t).unwrap_err();
    assert_eq!(e.code(), "step_not_allowed");
    assert!(
        e.message_vi().contains("Điều 32 khoản 2"),
        "{}",
        e.message_vi()
    );
    // The residence not known: the chair may be the residence's, not checked.
    let s = c.state().with_communes("09955", "");
    admit(&s, &by("00004"), t).expect("residence unknown");
}
