//! Records as changes carry them (`patch`, `child_patch`, `case_patch`): the checks know exactly
//! the fields the record types have, accept what the forms store whatever the clocks, and never
//! refuse text the forms cleaned.

use bvte_domain::case::CaseData;
use bvte_domain::case_patch::{CASE_FIELDS, EVENT_FIELDS, check_case_event, check_case_patch};
use bvte_domain::child::{ChildData, ChildInput, ValidationContext};
use bvte_domain::child_patch::{CHILD_FIELDS, CHILD_REQUIRED, check_child_patch};
use bvte_domain::event::{CaseEvent, StepInput};
use bvte_domain::text::{check_stored_line, check_stored_text, clean_line, clean_text};
use bvte_domain::time::parse_instant;
use bvte_domain::{Instant, PatchContext, ValidationError};
use chrono::NaiveDate;
use proptest::prelude::*;
use rstest::rstest;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use uuid::Uuid;

fn t(s: &str) -> Instant {
    parse_instant("t", s).unwrap()
}

fn ctx(new_record: bool) -> PatchContext {
    let now = t("2026-11-29T09:00:00+07:00");
    PatchContext {
        now,
        made_at: now,
        new_record,
    }
}

/// A child with every optional part filled, as the form stores it.
fn full_child() -> Value {
    let input: ChildInput = serde_json::from_value(json!({
        "full_name": "Nguyễn Thị Dũng", "date_of_birth": "05/09/2015", "sex": "female",
        "ethnicity": "Kinh", "personal_id": "001215012345", "residence_status": "khong_cu_tru",
        "commune_code": "09955", "village": "Thôn Đông",
        "home": {"commune_code": "00004", "address": "Tổ 5"},
        "carers": [{"relation": "mother", "full_name": "Lê Thị Hoa", "birth_year": 1988}],
        "special_circumstances": [{"group": "a", "subgroup": 3, "since": "2020-01-01", "until": "2030-01-01"}],
        "at_risk": true, "disability": {"level": "mild", "note": "x"},
        "schooling": {"status": "in_school", "school": "TH", "grade": "5A"}, "notes": "n"
    }))
    .unwrap();
    let data = input
        .validate(&ValidationContext {
            today: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            default_commune: "09955".into(),
        })
        .unwrap();
    serde_json::to_value(data).unwrap()
}

fn full_case() -> Value {
    json!({
        "child_id": Uuid::now_v7(), "received_at": "2026-11-29T01:30:00Z", "category": "abused",
        "abuse_forms": ["violence"], "environment": "family", "incident_commune": "09955",
        "residence_commune": "09955", "incident_place": "", "channel": "phone", "summary": ""
    })
}

fn full_event(id: Uuid) -> Value {
    json!({
        "id": id, "case_id": Uuid::now_v7(), "occurred_at": "2026-11-29T01:30:00Z",
        "recorded_at": "2026-11-29T01:30:00Z", "author": "Chị Lan", "step": "verification",
        "data": {"findings": "", "confirmed": true}
    })
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut k: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    k.sort();
    k
}

#[test]
fn the_field_lists_are_the_record_types() {
    assert_eq!(keys(&full_child()), sorted(&CHILD_FIELDS));
    assert_eq!(keys(&full_case()), sorted(&CASE_FIELDS));
    assert_eq!(keys(&full_event(Uuid::now_v7())), sorted(&EVENT_FIELDS));
    // Required: exactly the fields without which the type cannot be read.
    let child = full_child();
    for f in CHILD_FIELDS {
        let mut v = child.clone();
        v.as_object_mut().unwrap().remove(f);
        let reads = serde_json::from_value::<ChildData>(v).is_ok();
        assert_eq!(reads, !CHILD_REQUIRED.contains(&f), "{f}");
    }
}

/// Every object path of a JSON value (`carers.0`, `disability`…), the root as "".
fn objects(v: &Value, path: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            out.push(path.clone());
            for (k, v) in m {
                objects(v, format!("{path}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                objects(v, format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// For every key of every object in `full`: without it, the check accepts exactly when the
/// record type still reads (a required part missing is refused, an optional one is not), except
/// for the keys in `rule_required` that a rule requires although the type does without; with
/// an extra key anywhere, the check refuses (a newer version's field is never dropped silently).
fn agrees_with_the_type<T: DeserializeOwned>(
    full: Value,
    rule_required: &[&str],
    check: impl Fn(&Map<String, Value>) -> Result<(), bvte_domain::ValidationErrors>,
) {
    let as_map = |v: &Value| v.as_object().unwrap().clone();
    assert_eq!(check(&as_map(&full)), Ok(()));
    let mut paths = Vec::new();
    objects(&full, String::new(), &mut paths);
    for p in paths {
        let keys: Vec<String> = full
            .pointer(&p)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        for k in keys {
            let mut v = full.clone();
            v.pointer_mut(&p)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .remove(&k);
            let reads = serde_json::from_value::<T>(v.clone()).is_ok()
                && !rule_required.contains(&format!("{p}/{k}").as_str());
            assert_eq!(check(&as_map(&v)).is_ok(), reads, "without {p}/{k}");
        }
        let mut v = full.clone();
        v.pointer_mut(&p).unwrap()["from_a_newer_version"] = json!(1);
        let e = check(&as_map(&v)).unwrap_err();
        assert_eq!(e.0[0].code(), "invalid_shape", "extra key in {p}");
    }
}

#[test]
fn required_and_unknown_parts_follow_the_record_types() {
    // A new child has a date of birth or an estimated age (`ChildInput::validate`).
    let birth = ["/date_of_birth"];
    agrees_with_the_type::<ChildData>(full_child(), &birth, |m| check_child_patch(m, &ctx(true)));
    agrees_with_the_type::<CaseData>(full_case(), &[], |m| check_case_patch(m, &ctx(true)));
    let id = Uuid::now_v7();
    agrees_with_the_type::<CaseEvent>(full_event(id), &[], |m| check_case_event(m, id, &ctx(true)));
}

#[rstest]
// The PC judged the age on its date (29/11, age 15); the change's clock says 30/11, the 16th
// birthday: the PC's clock was minutes behind the clock value it adopted from another device.
#[case::eve_of_birthday(
    "2010-11-30",
    "2026-11-30T00:01:00+07:00",
    "2026-11-30T00:03:00+07:00",
    true
)]
#[case::sixteen_long_ago(
    "2010-11-01",
    "2026-11-29T09:00:00+07:00",
    "2026-11-29T09:00:00+07:00",
    false
)]
// A change made yesterday and pushed today: judged on the day it was made.
#[case::pushed_later(
    "2010-11-30",
    "2026-11-29T09:00:00+07:00",
    "2026-12-05T09:00:00+07:00",
    true
)]
fn a_new_child_is_judged_on_the_day_the_change_was_made(
    #[case] born: &str,
    #[case] made_at: &str,
    #[case] now: &str,
    #[case] accepted: bool,
) {
    let mut child = full_child();
    child["date_of_birth"] = json!(born);
    let ctx = PatchContext {
        now: t(now),
        made_at: t(made_at),
        new_record: true,
    };
    let r = check_child_patch(child.as_object().unwrap(), &ctx);
    assert_eq!(r.is_ok(), accepted, "{r:?}");
}

#[rstest]
#[case::hours_ahead("2026-11-30T08:00:00+07:00", true)]
#[case::two_days_ahead("2026-12-01T10:00:00+07:00", false)]
fn dates_a_wrong_time_zone_puts_ahead_pass_absurd_ones_do_not(
    #[case] received_at: &str,
    #[case] accepted: bool,
) {
    let mut case = full_case();
    case["received_at"] = json!(t(received_at));
    let r = check_case_patch(case.as_object().unwrap(), &ctx(true));
    assert_eq!(r.is_ok(), accepted, "{r:?}");
}

/// The server takes an assessment whichever way its PC named the criteria: the codes PCs send
/// now, the wordings of the Vietnamese or English screens of PCs not yet updated, or an
/// officer's own criterion. `StepInput::parse` (which stores codes) and the server agree.
#[rstest]
#[case::codes("initial_assessment", "criteria", "harm_severity")]
#[case::vi_screen(
    "initial_assessment",
    "criteria",
    "Mức độ tổn hại đến tính mạng, sức khỏe, nhân phẩm của trẻ em"
)]
#[case::en_screen(
    "detailed_assessment",
    "criteria",
    "Severity of harm to life, health or dignity"
)]
#[case::template(
    "initial_assessment",
    "criteria",
    "1. Mức độ tổn hại đối với tính mạng, sức khỏe, nhân phẩm của trẻ em"
)]
#[case::review_vi(
    "review",
    "harm",
    "Mức độ tổn hại của trẻ em có còn nghiêm trọng không"
)]
#[case::review_en("review", "harm", "Is the harm still serious")]
#[case::officers_own("review", "self_protection", "Trẻ biết gọi 111")]
fn an_assessment_is_accepted_with_codes_or_the_old_wordings(
    #[case] step: &str,
    #[case] field: &str,
    #[case] criterion: &str,
) {
    let id = Uuid::now_v7();
    let mut event = full_event(id);
    event["step"] = json!(step);
    event["data"] = json!({ field: [{"criterion": criterion, "level": "high", "note": ""}] });
    if step == "review" {
        event["data"]["proposal"] = json!("end");
    }
    let r = check_case_event(event.as_object().unwrap(), id, &ctx(true));
    assert!(r.is_ok(), "{criterion}: {r:?}");
    // Recorded on a PC of this version, the fixed criteria are stored as codes.
    let input: StepInput =
        serde_json::from_value(json!({"step": step, "data": event["data"].clone()})).unwrap();
    let (_, stored) = input.parse(t("2026-11-29T09:00:00+07:00")).unwrap();
    let stored = serde_json::to_value(&stored).unwrap();
    let kept = &stored["data"][field][0]["criterion"];
    let expected = if field == "self_protection" {
        criterion
    } else {
        "harm_severity"
    };
    assert_eq!(kept, expected, "{criterion}");
    let mut synced = full_event(id);
    synced["step"] = json!(step);
    synced["data"] = stored["data"].clone();
    let r = check_case_event(synced.as_object().unwrap(), id, &ctx(true));
    assert!(r.is_ok(), "as stored: {r:?}");
}

#[test]
fn a_refusal_withholds_the_value_but_still_says_what_to_do() {
    let e = ValidationError::FutureDate {
        field: "date_of_birth".into(),
        value: "05/09/2030".into(),
    }
    .without_value();
    assert!(!e.message_vi().contains("2030") && !e.message_en().contains("2030"));
    assert!(e.message_vi().contains("tương lai"), "{}", e.message_vi());
    let e = ValidationError::BadPersonalId {
        value: "Nguyễn Văn A".into(),
    }
    .without_value();
    assert_eq!(
        e.message_vi(),
        "Mã định danh cá nhân không hợp lệ: phải gồm đúng 12 chữ số. Hãy kiểm tra lại, hoặc để trống nếu chưa biết."
    );
}

fn messy_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "Nguyễn",
        "Nguye\u{302}\u{303}n",
        " ",
        "  ",
        "\u{a0}",
        "\u{3000}",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "a\u{301}",
        "\u{301}",
        "e\u{323}\u{302}",
        "Đ",
        "\u{212b}",
        "\u{2126}",
        "\u{1100}\u{1161}",
        "🙂",
        "ﬁ",
        "x",
    ]);
    prop_oneof![
        prop::collection::vec(piece, 0..12).prop_map(|v| v.concat()),
        "\\PC{0,30}",
    ]
}

proptest! {
    /// Cleaning is idempotent, so whatever a form stored passes the synced-data check; and the
    /// check (with its shortcut for visibly clean text) accepts exactly what cleaning leaves as is.
    #[test]
    fn what_a_form_cleans_is_never_refused(s in messy_text()) {
        if let Ok(line) = clean_line("f", &s, 100) {
            prop_assert_eq!(check_stored_line("f", &line, 100), Ok(()));
        }
        if let Ok(text) = clean_text("f", &s, 100) {
            prop_assert_eq!(check_stored_text("f", &text, 100), Ok(()));
        }
        let fits = s.chars().count() <= 100;
        let kept = |c: Result<String, ValidationError>| fits && c.ok().as_deref() == Some(s.as_str());
        prop_assert_eq!(check_stored_line("f", &s, 100).is_ok(), kept(clean_line("f", &s, 100)));
        prop_assert_eq!(check_stored_text("f", &s, 100).is_ok(), kept(clean_text("f", &s, 100)));
    }
}
