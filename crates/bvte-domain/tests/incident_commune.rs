//! Issue 15 item 3: the commune where the abuse happened, or where the child is found, acts for
//! a child who lives in another commune; the commune where the child lives plans for it.
//!
//! - Decree 56 Art 25 k1: "… Ủy ban nhân dân cấp xã nơi trẻ em cư trú hoặc nơi xảy ra vụ việc
//!   xâm hại trẻ em" receives the information.
//! - Art 26 k1: the initial assessment by the commune's officer where the case is received.
//! - Art 31 k3 a: the first emergency action on receipt, by the commune where it happened.
//! - Art 32 k2: "Chủ tịch Ủy ban nhân dân cấp xã nơi trẻ em cư trú hoặc nơi xảy ra vụ việc"
//!   decides a temporary separation.
//! - Law on Children 2016 Art 52 k2: "Ủy ban nhân dân cấp xã nơi trẻ em cư trú chủ trì … xây
//!   dựng, phê duyệt, thực hiện kế hoạch hỗ trợ, can thiệp".
mod common;

use bvte_domain::child::{ChildInput, ResidenceStatus, ValidationContext};
use bvte_domain::event::*;
use bvte_domain::workflow::{Stage, admit, fold};
use chrono::NaiveDate;
use common::*;
use serde_json::json;

/// This commune (the incident commune) and the child's home commune.
const HERE: &str = "09955";
const HOME: &str = "00004";

fn ctx() -> ValidationContext {
    ValidationContext {
        today: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        default_commune: HERE.into(),
    }
}

fn visiting(extra: serde_json::Value) -> ChildInput {
    let mut v = json!({
        "full_name": "Lò Văn Pá", "estimated_age": {"years": 9}, "sex": "male",
        "residence_status": "khong_cu_tru",
        "home": {"commune_code": HOME, "address": "Tổ dân phố 3"},
        "village": "Chợ Thạch Thất"
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    serde_json::from_value(v).unwrap()
}

/// Art 25 k1, Art 26 k1: the commune where it happened records the child who lives elsewhere,
/// keeps the record, and knows where the child lives (whose commune will plan, Art 52 k2).
#[test]
fn the_incident_commune_records_a_child_who_lives_elsewhere() {
    let d = visiting(json!({}))
        .validate(&ctx())
        .expect("a visiting child");
    assert_eq!(d.residence_status, ResidenceStatus::KhongCuTru);
    assert_eq!(d.commune_code, HERE, "kept by the commune acting for it");
    assert!(d.lives_elsewhere());
    assert_eq!(d.residence_commune(), HOME);
    assert_eq!(d.home.as_ref().unwrap().address, "Tổ dân phố 3");
    bvte_domain::child::check_own_commune(&d, HERE).expect("kept here, so allowed here");
}

#[test]
fn a_child_said_to_live_elsewhere_names_another_commune() {
    let codes = |e: bvte_domain::ValidationErrors| {
        e.0.iter()
            .map(|e| (e.code(), e.field().unwrap_or("").to_string()))
            .collect::<Vec<_>>()
    };
    let no_home = visiting(json!({"home": null}))
        .validate(&ctx())
        .unwrap_err();
    assert_eq!(
        codes(no_home),
        [("required", "home.commune_code".to_string())]
    );
    let here = visiting(json!({"home": {"commune_code": HERE}}))
        .validate(&ctx())
        .unwrap_err();
    assert_eq!(
        codes(here.clone()),
        [("home_commune", "home.commune_code".to_string())]
    );
    assert!(
        here.0[0].message_vi().contains("thường trú"),
        "{}",
        here.0[0].message_vi()
    );
    let resident_with_home = visiting(json!({"residence_status": "thuong_tru"}))
        .validate(&ctx())
        .unwrap_err();
    assert_eq!(
        codes(resident_with_home),
        [("home_commune", "home.commune_code".to_string())]
    );
    let unknown = visiting(json!({"home": {"commune_code": "99999"}}))
        .validate(&ctx())
        .unwrap_err();
    assert_eq!(codes(unknown)[0].0, "unknown_commune");
}

/// The hand-over moves the record to the commune where the child lives (Law Art 52 k2), with
/// the address known there; that commune verifies the residence status.
#[test]
fn the_record_handed_over_is_kept_by_the_home_commune() {
    let d = visiting(json!({})).validate(&ctx()).unwrap();
    let moved = d.handed_over_home().expect("a visiting child goes home");
    assert_eq!(moved.commune_code, HOME);
    assert_eq!(moved.village, "Tổ dân phố 3");
    assert_eq!(moved.residence_status, ResidenceStatus::ChuaRo);
    assert!(moved.home.is_none() && !moved.lives_elsewhere());
    assert_eq!(moved.full_name, d.full_name);
    let resident = visiting(json!({"residence_status": "thuong_tru", "home": null}))
        .validate(&ctx())
        .unwrap();
    assert!(resident.handed_over_home().is_none());
}

/// Art 25 k1, 26 k1, 31 k3 a, 32 k2: receipt, verification, the initial assessment, emergency
/// measures and the separation decision are taken here; Law Art 52 k2: the plan is not.
#[test]
fn the_first_steps_are_taken_where_it_happened_and_the_plan_where_the_child_lives() {
    let mut c = Case::new("2026-11-23 08:00");
    let here = |c: &Case| c.state().with_communes(HERE, HOME).kept_by(HERE);
    let ok = |c: &mut Case, t: &str, step: Step| {
        admit(&here(c), &step, at(t)).expect("allowed where it happened");
        c.events.push(ev(c.id, at(t), step));
    };
    ok(
        &mut c,
        "2026-11-23 08:30",
        simple(StepKind::EmergencyMeasures),
    );
    ok(&mut c, "2026-11-23 09:00", simple(StepKind::Verification));
    ok(&mut c, "2026-11-23 10:00", initial(true));
    ok(
        &mut c,
        "2026-11-23 11:00",
        Step::SeparationDecided(SeparationDecided {
            decision_commune: HERE.into(),
            ..match separation(10) {
                Step::SeparationDecided(s) => s,
                _ => unreachable!(),
            }
        }),
    );
    ok(
        &mut c,
        "2026-11-24 10:00",
        simple(StepKind::DetailedAssessment),
    );
    let e = admit(
        &here(&c),
        &simple(StepKind::PlanDrafted),
        at("2026-11-25 09:00"),
    )
    .expect_err("Law Art 52 k2: planned by the residence commune");
    assert!(
        e.message_vi().contains("Điều 52 khoản 2"),
        "{}",
        e.message_vi()
    );
    // Handed over during the separation.
    ok(
        &mut c,
        "2026-11-25 09:00",
        Step::Transferred(Transferred {
            to_commune: HOME.into(),
            note: String::new(),
        }),
    );
    // Where it happened: a read-only trace.
    assert_eq!(here(&c).stage(), Stage::Transferred);
    admit(
        &here(&c),
        &simple(StepKind::Verification),
        at("2026-11-25 10:00"),
    )
    .expect_err("nothing more is recorded by the commune that handed it over");
    // Where the child lives: the case goes on from its steps, and the plan is made there.
    let home = c.state().with_communes(HERE, HOME).kept_by(HOME);
    assert_eq!(home.stage(), Stage::Planning);
    assert!(home.is_open());
    admit(
        &home,
        &simple(StepKind::PlanDrafted),
        at("2026-11-25 10:00"),
    )
    .expect("Law Art 52 k2: the residence commune drafts the plan");
    // Without a point of view the hand-over ends the case, as before.
    assert_eq!(fold(c.received, &c.events).stage(), Stage::Transferred);
}

/// A case received here for a child living here, about abuse that happened in another
/// commune: the residence commune is here, so the plan is made here (Law Art 52 k2).
#[test]
fn a_resident_harmed_elsewhere_is_planned_for_here() {
    let mut c = Case::new("2026-11-23 08:00");
    c.ok("2026-11-23 09:00", initial(false));
    c.ok("2026-11-24 10:00", simple(StepKind::DetailedAssessment));
    let s = c.state().with_communes(HOME, HERE).kept_by(HERE);
    admit(&s, &simple(StepKind::PlanDrafted), at("2026-11-25 09:00")).unwrap();
}
