//! The district server's check of a pushed change (issue 10 item 5): a change some device could
//! not apply is refused with a stable code on its field, what the forms store passes, and no
//! input makes the check panic or repeat the refused value.

use bvte_domain::time::parse_instant;
use bvte_domain::{Instant, ValidationErrors};
use bvte_protocol::{Change, ChangeKind, Entity, Hlc, check_change};
use proptest::prelude::*;
use rstest::rstest;
use serde_json::{Map, Value, json};
use uuid::Uuid;

const STEP: &str = "0196f000-0000-7000-8000-000000000001";

fn now() -> Instant {
    parse_instant("t", "2026-11-29T09:00:00+07:00").unwrap()
}

fn change(entity: Entity, kind: ChangeKind, fields: Value) -> Change {
    let Value::Object(fields) = fields else {
        panic!("fields are an object")
    };
    Change {
        change_id: Uuid::now_v7(),
        device_id: Uuid::from_bytes([7; 16]),
        seq: 1,
        hlc: Hlc {
            millis: now().timestamp_millis() as u64,
            counter: 0,
        },
        entity,
        entity_id: Uuid::parse_str(STEP).unwrap(),
        kind,
        fields,
        base_hlc: Default::default(),
        author: "Chị Lan".into(),
        format: bvte_protocol::FORMAT,
        base_cursor: 0,
    }
}

/// A child as the register's form stores it (every field, as `ChildInput::validate` makes them).
fn child() -> Value {
    json!({
        "full_name": "Nguyễn Thị Dũng", "date_of_birth": "2015-09-05", "estimated_age": null,
        "sex": "female", "ethnicity": {"system": "121-TCTK", "code": "01"},
        "personal_id": "001215012345", "residence_status": "thuong_tru", "commune_code": "09955",
        "village": "Thôn Đông",
        "carers": [{"relation": "mother", "full_name": "Lê Thị Hoa", "birth_year": 1988,
                    "occupation": "Làm ruộng", "phone": "0912 345 678", "address": "",
                    "deceased": false, "lives_with_child": true}],
        "special_circumstances": [{"group": "a", "subgroup": 3, "since": "2020-01-01", "until": null},
                                  {"group": "dd", "subgroup": null, "since": null, "until": null}],
        "at_risk": true, "disability": {"level": "mild", "note": "Khiếm thị"},
        "schooling": {"status": "in_school", "school": "Trường TH Đông", "grade": "5A"},
        "notes": "Dòng một\nDòng hai\tcó tab"
    })
}

fn case() -> Value {
    json!({
        "child_id": "0196f000-0000-7000-8000-00000000000c", "received_at": "2026-11-29T01:30:00Z",
        "category": "abused", "abuse_forms": ["violence", "neglect"], "environment": "family",
        "incident_commune": "09955", "residence_commune": "09955", "incident_place": "Thôn Đông",
        "channel": "hotline_111", "summary": "Hàng xóm báo trẻ bị đánh."
    })
}

fn step(kind: &str, data: Value) -> Value {
    json!({
        "id": STEP, "case_id": "0196f000-0000-7000-8000-0000000000ca",
        "occurred_at": "2026-11-29T01:30:00Z", "recorded_at": "2026-11-29T01:31:02.123456789Z",
        "author": "Chị Lan", "step": kind, "data": data
    })
}

fn with(mut base: Value, path: &str, value: Value) -> Value {
    let mut at = &mut base;
    let parts: Vec<&str> = path.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        at = match p.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[*p],
        };
    }
    let last = parts[parts.len() - 1];
    if value == json!("<remove>") {
        at.as_object_mut().unwrap().remove(last);
    } else {
        at[last] = value;
    }
    base
}

fn codes(r: Result<(), ValidationErrors>) -> Vec<(String, String)> {
    r.err()
        .map(|e| {
            e.0.iter()
                .map(|e| (e.code().to_string(), e.field().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn what_the_forms_store_is_accepted() {
    let ok = |c: Change, new| assert_eq!(codes(check_change(&c, new, now())), vec![]);
    ok(
        change(Entity::Child, ChangeKind::UpsertFields, child()),
        true,
    );
    ok(change(Entity::Case, ChangeKind::UpsertFields, case()), true);
    let intake = json!({"child_condition": "Có vết bầm", "likely_consequences": "", "family_circumstances": "",
        "current_carer": "Bà ngoại", "prior_support": "", "notes": ""});
    ok(
        change(
            Entity::CaseEvent,
            ChangeKind::AppendEvent,
            step("intake", intake),
        ),
        true,
    );
    let plan = json!({"goals": "An toàn", "activities": [{"service": "Tư vấn", "start": "2026-12-01",
        "end": null, "responsible": "Xã", "provider": "", "cost": 500000, "note": ""}], "monitoring": ""});
    ok(
        change(
            Entity::CaseEvent,
            ChangeKind::AppendEvent,
            step("plan_drafted", plan),
        ),
        true,
    );
    let tomb = json!({"reason": "Nhập trùng", "seen": {"07070707-0707-0707-0707-070707070707": 3}});
    ok(change(Entity::Child, ChangeKind::Tombstone, tomb), false);
    // An edit carries only what changed; keeping a deleted record carries nothing.
    ok(
        change(
            Entity::Child,
            ChangeKind::UpsertFields,
            json!({"village": "Thôn 2"}),
        ),
        false,
    );
    ok(
        change(Entity::Child, ChangeKind::UpsertFields, json!({})),
        false,
    );
    // A child with no registered residence, or one whose residence is unknown (an abandoned
    // child): what the register's form now offers, on a new record and an edit (issue 16).
    for code in ["noi_o_hien_tai", "chua_ro"] {
        ok(
            change(
                Entity::Child,
                ChangeKind::UpsertFields,
                with(child(), "residence_status", json!(code)),
            ),
            true,
        );
        ok(
            change(
                Entity::Child,
                ChangeKind::UpsertFields,
                json!({ "residence_status": code }),
            ),
            false,
        );
    }
}

#[rstest]
#[case::wrong_type("full_name", json!(42), "invalid_shape", "full_name")]
#[case::empty_name("full_name", json!(""), "required", "full_name")]
#[case::untrimmed("full_name", json!(" Nguyễn Thị Dũng"), "not_normalized", "full_name")]
#[case::double_space("full_name", json!("Nguyễn  Thị Dũng"), "not_normalized", "full_name")]
#[case::not_nfc("full_name", json!("Nguye\u{302}\u{303}n Thị Dũng"), "not_normalized", "full_name")]
#[case::control("full_name", json!("Dũng\u{7}"), "control_character", "full_name")]
#[case::name_too_long("full_name", json!("a".repeat(101)), "too_long", "full_name")]
#[case::ten_megabytes("notes", json!("a".repeat(10 << 20)), "too_long", "notes")]
#[case::carriage_return("notes", json!("a\r\nb"), "not_normalized", "notes")]
#[case::date_as_typed("date_of_birth", json!("05/09/2015"), "bad_date", "date_of_birth")]
#[case::impossible_date("date_of_birth", json!("2015-02-30"), "bad_date", "date_of_birth")]
#[case::future_birth("date_of_birth", json!("2026-12-05"), "future_date", "date_of_birth")]
#[case::before_1900("date_of_birth", json!("1899-12-31"), "date_too_old", "date_of_birth")]
#[case::too_old_for_new("date_of_birth", json!("2010-11-01"), "not_a_child", "date_of_birth")]
#[case::label_not_code("sex", json!("Nữ"), "unknown_code", "sex")]
#[case::unknown_code("residence_status", json!("permanent"), "unknown_code", "residence_status")]
#[case::ethnicity_system("ethnicity.system", json!("1019/QĐ-TCTK"), "unknown_code", "ethnicity.system")]
#[case::ethnicity_code("ethnicity.code", json!("99"), "unknown_code", "ethnicity.code")]
#[case::ethnicity_name("ethnicity", json!("Kinh"), "invalid_shape", "ethnicity")]
#[case::personal_id("personal_id", json!("0012 1501 2345"), "bad_personal_id", "personal_id")]
#[case::unknown_commune("commune_code", json!("99999"), "unknown_commune", "commune_code")]
#[case::merged_commune("commune_code", json!("00001"), "merged_commune", "commune_code")]
#[case::commune_spaces("commune_code", json!(" 09955"), "not_normalized", "commune_code")]
#[case::village_list("village", json!(["Thôn Đông"]), "invalid_shape", "village")]
#[case::relation("carers.0.relation", json!("uncle"), "unknown_code", "carers[0].relation")]
#[case::carer_name("carers.0.full_name", json!("<remove>"), "required", "carers[0].full_name")]
#[case::birth_year("carers.0.birth_year", json!(1850), "out_of_range", "carers[0].birth_year")]
#[case::fraction("carers.0.birth_year", json!(1988.5), "invalid_shape", "carers[0].birth_year")]
#[case::carer_email("carers.0.email", json!("a@b.vn"), "invalid_shape", "carers[0].email")]
#[case::deceased("carers.0.deceased", json!("no"), "invalid_shape", "carers[0].deceased")]
#[case::carers_object("carers", json!({}), "invalid_shape", "carers")]
#[case::group("special_circumstances.0.group", json!("z"), "unknown_code", "special_circumstances[0].group")]
#[case::group_letter("special_circumstances.1.group", json!("đ"), "unknown_code", "special_circumstances[1].group")]
#[case::subgroup("special_circumstances.0.subgroup", json!(9), "unknown_subgroup", "special_circumstances[0].subgroup")]
#[case::inverted("special_circumstances.0.until", json!("2019-01-01"), "period_inverted", "special_circumstances[0].until")]
#[case::duplicate("special_circumstances.1.group", json!("a"), "duplicate_group", "special_circumstances[1].group")]
#[case::at_risk("at_risk", json!("yes"), "invalid_shape", "at_risk")]
#[case::disability_note("disability.note", json!("<remove>"), "required", "disability.note")]
#[case::disability_level("disability.level", json!("total"), "unknown_code", "disability.level")]
#[case::schooling_extra("schooling.teacher", json!("Cô Mai"), "invalid_shape", "schooling.teacher")]
#[case::unknown_field("nickname", json!("Bé"), "invalid_shape", "nickname")]
#[case::required_on_new("sex", json!("<remove>"), "required", "sex")]
#[case::both_births("estimated_age", json!({"years": 3, "as_of": "2026-01-01"}), "birth_ambiguous", "date_of_birth")]
fn a_bad_child_field_is_refused(
    #[case] path: &str,
    #[case] value: Value,
    #[case] code: &str,
    #[case] field: &str,
) {
    let c = change(
        Entity::Child,
        ChangeKind::UpsertFields,
        with(child(), path, value),
    );
    let got = codes(check_change(&c, true, now()));
    assert!(
        got.contains(&(code.to_string(), field.to_string())),
        "{code} on {field} expected, got {got:?}"
    );
}

#[rstest]
#[case::years(json!({"years": 16, "as_of": "2026-01-01"}), "out_of_range", "estimated_age.years")]
#[case::as_of(json!({"years": 3}), "required", "estimated_age.as_of")]
#[case::extra(json!({"years": 3, "as_of": "2026-01-01", "by": "x"}), "invalid_shape", "estimated_age.by")]
#[case::neither(json!(null), "birth_ambiguous", "date_of_birth")]
fn a_bad_estimated_age_is_refused(#[case] est: Value, #[case] code: &str, #[case] field: &str) {
    let fields = with(
        with(child(), "date_of_birth", json!(null)),
        "estimated_age",
        est,
    );
    let c = change(Entity::Child, ChangeKind::UpsertFields, fields);
    let got = codes(check_change(&c, true, now()));
    assert!(
        got.contains(&(code.to_string(), field.to_string())),
        "{got:?}"
    );
}

#[test]
fn an_edit_is_not_judged_on_age_nor_on_fields_it_does_not_carry() {
    // Registered at 15, edited at 16: the edit carries the corrected date of birth only.
    let fix = json!({"date_of_birth": "2010-11-01"});
    let c = change(Entity::Child, ChangeKind::UpsertFields, fix);
    assert_eq!(codes(check_change(&c, false, now())), vec![]);
    // As a first change the same fields are a record without a name, sex…: refused.
    let got = codes(check_change(&c, true, now()));
    assert!(
        got.contains(&("required".into(), "full_name".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("not_a_child".into(), "date_of_birth".into())),
        "{got:?}"
    );
}

#[rstest]
#[case::forms_missing("abuse_forms", json!([]), "required", "abuse_forms")]
#[case::form_code("abuse_forms", json!(["beating"]), "unknown_code", "abuse_forms[0]")]
#[case::future("received_at", json!("2026-12-01T09:00:00Z"), "future_date", "received_at")]
#[case::unreadable("received_at", json!("29/11/2026 08:00"), "bad_date", "received_at")]
#[case::reporter("reporter", json!({"full_name": "Người báo"}), "invalid_shape", "reporter")]
#[case::commune("incident_commune", json!("0995"), "unknown_commune", "incident_commune")]
#[case::child_id("child_id", json!("not-a-uuid"), "invalid_shape", "child_id")]
#[case::channel("channel", json!(111), "invalid_shape", "channel")]
#[case::summary("summary", json!(" tóm tắt"), "not_normalized", "summary")]
#[case::missing("environment", json!("<remove>"), "required", "environment")]
fn a_bad_case_field_is_refused(
    #[case] path: &str,
    #[case] value: Value,
    #[case] code: &str,
    #[case] field: &str,
) {
    let c = change(
        Entity::Case,
        ChangeKind::UpsertFields,
        with(case(), path, value),
    );
    let got = codes(check_change(&c, true, now()));
    assert!(
        got.contains(&(code.to_string(), field.to_string())),
        "{got:?}"
    );
}

#[rstest]
#[case::unknown_step("teleport", json!({}), "unknown_code", "step")]
#[case::newer_field("verification", json!({"findings": "", "photos": []}), "invalid_shape", "data.photos")]
#[case::days_text("separation_decided", json!({"grounds": "plan_refused", "days": "5"}), "invalid_shape", "data.days")]
#[case::days_negative("separation_decided", json!({"grounds": "plan_refused", "days": -5}), "out_of_range", "data.days")]
#[case::too_long_apart("separation_decided", json!({"grounds": "plan_refused", "days": 16}), "separation_too_long", "data.days")]
#[case::grounds("separation_decided", json!({"grounds": "anger", "days": 3}), "unknown_code", "data.grounds")]
#[case::no_grounds("separation_decided", json!({"days": 3}), "required", "data.grounds")]
#[case::decision_lines("separation_revoked", json!({"decision_no": "12\n13"}), "control_character", "data.decision_no")]
#[case::measures("emergency_measures", json!({"measures": ["first_aid", 3]}), "invalid_shape", "data.measures[1]")]
#[case::level("initial_assessment", json!({"criteria": [{"criterion": "a", "level": "extreme"}]}), "unknown_code", "data.criteria[0].level")]
#[case::row_field("review", json!({"proposal": "end", "harm": [{"score": 1}]}), "invalid_shape", "data.harm[0].score")]
#[case::no_reason("closed", json!({"note": ""}), "required", "data.reason")]
#[case::plan_date("plan_drafted", json!({"activities": [{"start": "01/12/2026"}]}), "not_normalized", "data.activities[0].start")]
#[case::to_commune("transferred", json!({"to_commune": "99999"}), "unknown_commune", "data.to_commune")]
#[case::data_untrimmed("needs_meeting", json!({"participants": "Xã "}), "not_normalized", "data.participants")]
#[case::data_list("plan_submitted", json!(["note"]), "invalid_shape", "data")]
fn a_bad_step_is_refused(
    #[case] kind: &str,
    #[case] data: Value,
    #[case] code: &str,
    #[case] field: &str,
) {
    let c = change(Entity::CaseEvent, ChangeKind::AppendEvent, step(kind, data));
    let got = codes(check_change(&c, true, now()));
    assert!(
        got.contains(&(code.to_string(), field.to_string())),
        "{got:?}"
    );
}

#[rstest]
#[case::other_id("id", json!("0196f000-0000-7000-8000-0000000000ff"), "invalid_shape", "id")]
#[case::future("occurred_at", json!("2026-12-01T09:00:00Z"), "future_date", "occurred_at")]
#[case::no_author("author", json!("<remove>"), "required", "author")]
#[case::extra("device", json!("PC 2"), "invalid_shape", "device")]
fn a_bad_step_record_is_refused(
    #[case] path: &str,
    #[case] value: Value,
    #[case] code: &str,
    #[case] field: &str,
) {
    let fields = with(step("plan_submitted", json!({"note": ""})), path, value);
    let c = change(Entity::CaseEvent, ChangeKind::AppendEvent, fields);
    let got = codes(check_change(&c, true, now()));
    assert!(
        got.contains(&(code.to_string(), field.to_string())),
        "{got:?}"
    );
}

#[rstest]
#[case::no_reason(json!({"reason": "", "seen": {}}), "required", "reason")]
#[case::reason_missing(json!({"seen": {}}), "required", "reason")]
#[case::seen_device(json!({"reason": "Nhập trùng", "seen": {"PC-2": 1}}), "invalid_shape", "seen.PC-2")]
#[case::seen_number(json!({"reason": "Nhập trùng", "seen": {"07070707-0707-0707-0707-070707070707": -1}}), "out_of_range", "seen.07070707-0707-0707-0707-070707070707")]
#[case::extra(json!({"reason": "Nhập trùng", "seen": {}, "purge": true}), "invalid_shape", "purge")]
fn a_bad_deletion_is_refused(#[case] fields: Value, #[case] code: &str, #[case] field: &str) {
    let c = change(Entity::Child, ChangeKind::Tombstone, fields);
    let got = codes(check_change(&c, false, now()));
    assert!(
        got.contains(&(code.to_string(), field.to_string())),
        "{got:?}"
    );
}

#[rstest]
#[case::case_deleted(Entity::Case, ChangeKind::Tombstone)]
#[case::step_edited(Entity::CaseEvent, ChangeKind::UpsertFields)]
#[case::step_deleted(Entity::CaseEvent, ChangeKind::Tombstone)]
#[case::child_appended(Entity::Child, ChangeKind::AppendEvent)]
fn a_kind_of_change_no_pc_makes_is_refused(#[case] entity: Entity, #[case] kind: ChangeKind) {
    let c = change(entity, kind, json!({}));
    let got = codes(check_change(&c, false, now()));
    assert_eq!(got, vec![("unknown_code".into(), "kind".into())]);
}

#[test]
fn the_author_is_a_name_as_the_pc_stores_it() {
    let mut c = change(Entity::Child, ChangeKind::UpsertFields, json!({}));
    c.author = "Chị Lan\u{1b}[31m".into();
    let got = codes(check_change(&c, false, now()));
    assert_eq!(got, vec![("control_character".into(), "author".into())]);
}

#[test]
fn a_pc_clock_ahead_by_hours_is_not_refused_but_a_year_ahead_is() {
    // A PC set to the wrong time zone: its dates are hours ahead of the server's clock.
    let ahead = with(case(), "received_at", json!("2026-11-29T12:00:00Z"));
    let c = change(Entity::Case, ChangeKind::UpsertFields, ahead);
    assert_eq!(codes(check_change(&c, true, now())), vec![]);
    let absurd = with(case(), "received_at", json!("2027-11-29T12:00:00Z"));
    let c = change(Entity::Case, ChangeKind::UpsertFields, absurd);
    assert_eq!(
        codes(check_change(&c, true, now())),
        vec![("future_date".into(), "received_at".into())]
    );
}

#[test]
fn a_refusal_never_repeats_the_value_and_says_what_to_do_in_both_languages() {
    let secret = "Nguyễn Bí Mật";
    let mut bad = child();
    for f in [
        "sex",
        "residence_status",
        "commune_code",
        "date_of_birth",
        "personal_id",
    ] {
        bad[f] = json!(secret);
    }
    bad["full_name"] = json!(format!(" {secret}"));
    bad["ethnicity"] = json!({"system": secret, "code": secret});
    bad["carers"][0]["relation"] = json!(secret);
    bad[secret] = json!(secret);
    let c = change(Entity::Child, ChangeKind::UpsertFields, bad);
    let errors = check_change(&c, true, now()).unwrap_err();
    assert!(errors.0.len() >= 9, "{errors:?}");
    for e in &errors.0 {
        let (vi, en) = (e.message_vi(), e.message_en());
        assert!(
            !vi.contains("Bí Mật") && !en.contains("Bí Mật"),
            "{vi} / {en}"
        );
        assert!(!vi.is_empty() && !en.is_empty() && vi != en);
    }
}

// ---- Never a panic, whatever the fields ----

const KEYS: &[&str] = &[
    "full_name",
    "date_of_birth",
    "estimated_age",
    "years",
    "as_of",
    "sex",
    "ethnicity",
    "system",
    "code",
    "personal_id",
    "residence_status",
    "commune_code",
    "village",
    "carers",
    "relation",
    "birth_year",
    "deceased",
    "special_circumstances",
    "group",
    "subgroup",
    "since",
    "until",
    "at_risk",
    "disability",
    "level",
    "note",
    "schooling",
    "status",
    "grade",
    "notes",
    "child_id",
    "received_at",
    "category",
    "abuse_forms",
    "incident_commune",
    "summary",
    "id",
    "case_id",
    "occurred_at",
    "recorded_at",
    "author",
    "step",
    "data",
    "reason",
    "seen",
    "days",
    "decision_no",
    "grounds",
    "criteria",
    "activities",
    "start",
    "end",
    "cost",
    "to_commune",
    "measures",
    "proposal",
    "harm",
];

const WORDS: &[&str] = &[
    "2015-09-05",
    "2026-11-29T01:00:00Z",
    "09955",
    "00001",
    "a",
    "dd",
    "đ",
    "abused",
    "male",
    "mother",
    "in_school",
    "mild",
    "121-TCTK",
    "01",
    "intake",
    "separation_decided",
    "closed",
    "plan_drafted",
    "transferred",
    "review",
    "high",
    "end",
    "other",
    STEP,
    "001215012345",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::from),
        prop::sample::select(WORDS).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(KEYS).prop_map(str::to_string),
        1 => ".{0,8}",
    ]
}

fn fields() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((key(), json_value()), 0..12).prop_map(|kv| kv.into_iter().collect())
}

fn entity_kind() -> impl Strategy<Value = (Entity, ChangeKind)> {
    let e = prop::sample::select(vec![Entity::Child, Entity::Case, Entity::CaseEvent]);
    let k = prop::sample::select(vec![
        ChangeKind::UpsertFields,
        ChangeKind::AppendEvent,
        ChangeKind::Tombstone,
    ]);
    (e, k)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Arbitrary JSON as the fields of any kind of change, with an arbitrary clock: an answer,
    /// never a panic, and every refusal names a field and says something in both languages.
    #[test]
    fn any_fields_get_an_answer_not_a_panic(
        (entity, kind) in entity_kind(),
        fields in fields(),
        step_kind in prop::sample::select(WORDS),
        data in json_value(),
        new_record in any::<bool>(),
        millis in any::<u64>(),
    ) {
        let mut c = change(entity, kind, Value::Object(fields));
        c.hlc.millis = millis;
        if let Err(e) = check_change(&c, new_record, now()) {
            for e in &e.0 {
                prop_assert!(!e.message_vi().is_empty() && !e.message_en().is_empty());
            }
        }
        // A step-shaped record with arbitrary data reaches the payload checks.
        let mut s = step(step_kind, data);
        s["id"] = json!(c.entity_id.to_string());
        let c = change(Entity::CaseEvent, ChangeKind::AppendEvent, s);
        let _ = check_change(&c, new_record, now());
    }
}
