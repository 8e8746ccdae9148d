//! Bad input: every refusal has a stable code, names its field and says how to fix it.

mod common;

use bvte_domain::case::CaseInput;
use bvte_domain::child::{ChildInput, ValidationContext};
use bvte_domain::event::{Step, StepInput};
use bvte_domain::{ChildId, ValidationErrors};
use chrono::NaiveDate;
use common::at;
use serde_json::json;

fn ctx() -> ValidationContext {
    ValidationContext {
        today: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        default_commune: "09955".into(),
    }
}

fn child(v: serde_json::Value) -> Result<bvte_domain::child::ChildData, ValidationErrors> {
    let input: ChildInput = serde_json::from_value(v).expect("well-formed input");
    input.validate(&ctx())
}

fn codes(e: &ValidationErrors) -> Vec<(&'static str, Option<String>)> {
    e.0.iter()
        .map(|e| (e.code(), e.field().map(str::to_string)))
        .collect()
}

#[test]
fn a_valid_child_is_normalised() {
    let c = child(json!({
        "full_name": "  Nguye\u{302}\u{303}n  Thị   Dũng ",
        "date_of_birth": "05/09/2015",
        "sex": "female",
        "residence_status": "tam_tru",
        "ethnicity": "Kinh",
        "personal_id": "001 215 012 345",
        "village": "Thôn Đông",
        "special_circumstances": [{"group": "đ"}, {"group": "a", "subgroup": 3, "since": "2020-01-01"}],
        "carers": [{"relation": "mother", "full_name": "Lê Thị Hoa", "birth_year": 1988, "deceased": false}]
    }))
    .unwrap();
    assert_eq!(
        c.full_name, "Nguyễn Thị Dũng",
        "NFC, trimmed, single spaces"
    );
    assert_eq!(c.date_of_birth, NaiveDate::from_ymd_opt(2015, 9, 5));
    assert_eq!(c.personal_id.as_deref(), Some("001215012345"));
    assert_eq!(
        c.commune_code, "09955",
        "defaults to the installation's commune"
    );
    assert_eq!(c.special_circumstances.len(), 2);
    assert_eq!(c.ethnicity.unwrap().system, "121-TCTK");
}

#[test]
fn future_and_impossible_dates_are_refused() {
    let e = child(json!({"full_name": "A B", "date_of_birth": "01/01/2027", "sex": "male", "residence_status": "thuong_tru"}))
        .unwrap_err();
    assert_eq!(
        codes(&e),
        vec![("future_date", Some("date_of_birth".into()))]
    );
    assert!(e.first().message_vi().contains("tương lai"));
    let e = child(json!({"full_name": "A B", "date_of_birth": "30/02/2016", "sex": "male", "residence_status": "thuong_tru"}))
        .unwrap_err();
    assert_eq!(
        codes(&e),
        vec![("impossible_date", Some("date_of_birth".into()))]
    );
}

#[test]
fn a_sixteen_year_old_is_not_a_child() {
    let e = child(json!({"full_name": "A B", "date_of_birth": "29/11/2010", "sex": "male", "residence_status": "thuong_tru"}))
        .unwrap_err();
    assert_eq!(e.first().code(), "not_a_child");
    assert!(
        e.first().message_vi().contains("16 tuổi"),
        "{}",
        e.first().message_vi()
    );
    // One day younger is still a child.
    child(json!({"full_name": "A B", "date_of_birth": "30/11/2010", "sex": "male", "residence_status": "thuong_tru"}))
        .unwrap();
    // An estimated age of 16 is refused too.
    let e = child(json!({"full_name": "A B", "estimated_age": {"years": 16}, "sex": "male", "residence_status": "thuong_tru"}))
        .unwrap_err();
    assert_eq!(e.first().code(), "out_of_range");
}

#[test]
fn every_problem_is_reported_at_once_on_its_field() {
    let e = child(json!({
        "full_name": "",
        "sex": "boy",
        "residence_status": "",
        "commune_code": "09958",
        "personal_id": "123",
        "special_circumstances": [{"group": "z"}, {"group": "a", "subgroup": 9}],
        "carers": [{"relation": "mother", "full_name": "X\u{0}Y"}]
    }))
    .unwrap_err();
    let got = codes(&e);
    for want in [
        ("required", Some("full_name".to_string())),
        ("birth_ambiguous", Some("date_of_birth".into())),
        ("unknown_code", Some("sex".into())),
        ("required", Some("residence_status".into())),
        ("merged_commune", Some("commune_code".into())),
        ("bad_personal_id", Some("personal_id".into())),
        (
            "unknown_code",
            Some("special_circumstances[0].group".into()),
        ),
        (
            "unknown_subgroup",
            Some("special_circumstances[1].subgroup".into()),
        ),
        ("control_character", Some("carers[0].full_name".into())),
    ] {
        assert!(got.contains(&want), "missing {want:?} in {got:?}");
    }
    let sex = e.0.iter().find(|e| e.field() == Some("sex")).unwrap();
    assert!(
        sex.message_vi().contains("male (Nam)"),
        "lists allowed values: {}",
        sex.message_vi()
    );
}

#[test]
fn a_megabyte_name_is_refused_without_echoing_it() {
    let e = child(json!({"full_name": "a".repeat(1 << 20), "date_of_birth": "2015-01-01", "sex": "male", "residence_status": "thuong_tru"}))
        .unwrap_err();
    assert_eq!(e.first().code(), "too_long");
    assert!(e.first().message_vi().len() < 300, "message stays short");
    assert!(e.first().message_vi().contains("1.048.576"));
}

#[test]
fn a_group_listed_twice_is_refused() {
    let e = child(json!({"full_name": "A B", "date_of_birth": "2015-01-01", "sex": "male", "residence_status": "thuong_tru",
        "special_circumstances": [{"group": "d"}, {"group": "d", "subgroup": 2}]}))
    .unwrap_err();
    assert_eq!(e.first().code(), "duplicate_group");
}

#[test]
fn a_case_for_a_child_who_was_sixteen_at_the_report_is_refused() {
    let input: CaseInput = serde_json::from_value(json!({
        "child_id": "x", "received_at": "2026-11-29 08:00", "category": "abused",
        "abuse_forms": ["violence"], "environment": "family", "channel": "phone"
    }))
    .unwrap();
    let ctx = bvte_domain::case::CaseContext {
        now: at("2026-11-29 09:00"),
        default_commune: "09955".into(),
        child_birth_date: NaiveDate::from_ymd_opt(2010, 11, 1),
        child_commune: "09955".into(),
    };
    let e = input.validate(ChildId::generate(), &ctx).unwrap_err();
    assert_eq!(e.first().code(), "not_a_child");
    let ctx = bvte_domain::case::CaseContext {
        child_birth_date: NaiveDate::from_ymd_opt(2012, 1, 1),
        ..ctx
    };
    let ok = input.validate(ChildId::generate(), &ctx).unwrap();
    assert_eq!(ok.data.received_at, at("2026-11-29 08:00"));
    let future: CaseInput = serde_json::from_value(json!({
        "child_id": "x", "received_at": "2026-11-30 08:00", "category": "abused",
        "abuse_forms": ["violence"], "environment": "family", "channel": "phone"
    }))
    .unwrap();
    assert_eq!(
        future
            .validate(ChildId::generate(), &ctx)
            .unwrap_err()
            .first()
            .code(),
        "future_date"
    );
}

#[test]
fn step_input_is_cleaned_and_checked() {
    let now = at("2026-11-29 10:00");
    let input: StepInput = serde_json::from_value(json!({
        "step": "initial_assessment",
        "occurred_at": "29/11/2026 09:30",
        "data": {"serious_risk": true, "conclusion": "Nguye\u{302}\u{303}n"}
    }))
    .unwrap();
    let (t, step) = input.parse(now).unwrap();
    assert_eq!(t, at("2026-11-29 09:30"));
    match step {
        Step::InitialAssessment(a) => {
            assert!(a.serious_risk);
            assert_eq!(a.conclusion, "Nguyễn");
        }
        other => panic!("{other:?}"),
    }
    let bad: StepInput = serde_json::from_value(json!({"step": "approve_plan"})).unwrap();
    assert_eq!(bad.parse(now).unwrap_err().first().code(), "unknown_code");
    let bad: StepInput =
        serde_json::from_value(json!({"step": "initial_assessment", "data": {"serious": true}}))
            .unwrap();
    assert_eq!(bad.parse(now).unwrap_err().first().code(), "invalid_shape");
    let bad: StepInput = serde_json::from_value(
        json!({"step": "separation_decided", "data": {"grounds": "plan_refused", "days": 20}}),
    )
    .unwrap();
    assert_eq!(
        bad.parse(now).unwrap_err().first().code(),
        "separation_too_long"
    );
    let bad: StepInput = serde_json::from_value(
        json!({"step": "review", "occurred_at": "2026-12-01 08:00", "data": {"proposal": "end"}}),
    )
    .unwrap();
    assert_eq!(bad.parse(now).unwrap_err().first().code(), "future_date");
}

#[test]
fn events_round_trip_through_json_with_their_step_code() {
    let e = common::ev(
        bvte_domain::CaseId::generate(),
        at("2026-11-29 09:00"),
        common::initial(true),
    );
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["step"], "initial_assessment");
    assert_eq!(v["data"]["serious_risk"], true);
    let back: bvte_domain::event::CaseEvent = serde_json::from_value(v).unwrap();
    assert_eq!(back, e);
}
