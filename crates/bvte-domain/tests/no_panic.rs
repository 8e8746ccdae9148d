//! Property tests (issue 10, item 13): every parser the CLI and the server reach through
//! `bvte-domain` answers arbitrary input with a value or an error, never a panic. Dates in
//! every accepted form and broken ones, counts of working days, search text, names, commune,
//! ethnicity and group codes, and the JSON documents of a child, a case and a step: both
//! arbitrary JSON and valid documents with one field replaced by anything.
//!
//! Once found here: adding 4,000,000,000 working days overflowed the date (kept below as a
//! regression case); separation days from a synced event overflowed the fold and the deadline.

mod common;

use bvte_domain::case::{CaseContext, CaseInput};
use bvte_domain::child_input::{ChildInput, ValidationContext};
use bvte_domain::event::{CaseEvent, SeparationExtended, Step, StepInput};
use bvte_domain::groups::Group;
use bvte_domain::reference::{calendar, ethnic_groups, units};
use bvte_domain::sanitize::clean_strings;
use bvte_domain::text::{clean_line, clean_text, collation_key, fold, truncate_for_message};
use bvte_domain::time::{parse_date, parse_instant};
use bvte_domain::workflow::{admit, fold as fold_case, next_steps};
use bvte_domain::{CaseId, ChildId};
use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Text as people and scripts type it: anything printable, digits and separators, or
/// Vietnamese with decomposed diacritics and control characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,40}",
        "[0-9/.:T +Z-]{0,30}",
        "[aăâbcdđeêghiklmnoôơpqrstuưvxyAĐ \u{300}-\u{323}\u{0}-\u{1f}]{0,30}",
        any::<String>(),
    ]
}

/// Dates and times in every accepted shape, with numbers anywhere in their range.
fn date_like() -> impl Strategy<Value = String> {
    let n = || prop_oneof![0u64..100, 0u64..10_000, any::<u64>()];
    prop_oneof![
        (n(), n(), n(), "[/.-]").prop_map(|(d, m, y, s)| format!("{d}{s}{m}{s}{y}")),
        (n(), n(), n()).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        (n(), n(), n(), n(), n(), n(), "[T ]").prop_map(|(y, mo, d, h, mi, s, sep)| {
            format!("{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}")
        }),
        (n(), n(), n(), "[+-]", n(), n()).prop_map(|(y, mo, d, sign, oh, om)| {
            format!("{y:04}-{mo:02}-{d:02}T23:59:59{sign}{oh:02}:{om:02}")
        }),
        (n(), n(), n(), n(), n()).prop_map(|(d, m, y, h, mi)| format!("{d}/{m}/{y} {h}:{mi}")),
        text(),
    ]
}

/// Any JSON value, a few levels deep, its strings dates or text.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        date_like().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// `doc` with one value (chosen by `pick` among its fields, nested ones included, or the whole
/// document) replaced by `value`.
fn mutated(mut doc: Value, pick: usize, value: Value) -> Value {
    fn places(v: &Value, at: &str, out: &mut Vec<String>) {
        let mut visit = |key: String, x: &Value| {
            let p = format!("{at}/{key}");
            out.push(p.clone());
            places(x, &p, out);
        };
        match v {
            Value::Object(m) => m
                .iter()
                .for_each(|(k, x)| visit(k.replace('~', "~0").replace('/', "~1"), x)),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, x)| visit(i.to_string(), x)),
            _ => {}
        }
    }
    let mut all = vec![String::new()];
    places(&doc, "", &mut all);
    match doc.pointer_mut(&all[pick % all.len()]) {
        Some(slot) => *slot = value,
        None => doc = value,
    }
    doc
}

fn child_doc() -> Value {
    json!({"full_name": "Nguyễn Thị Dũng", "date_of_birth": "05/09/2015", "sex": "female",
           "residence_status": "thuong_tru", "ethnicity": "Kinh", "commune_code": "09955",
           "special_circumstances": [{"group": "d", "subgroup": 1, "since": "01/01/2020"}],
           "carers": [{"relation": "mother", "full_name": "Lê Thị Hoa", "birth_year": 1990}]})
}

fn case_doc() -> Value {
    json!({"child_id": "x", "received_at": "2026-11-29 08:00", "category": "abused",
           "abuse_forms": ["violence"], "environment": "family", "channel": "phone"})
}

const STEPS: &[&str] = &[
    "intake",
    "verification",
    "initial_assessment",
    "emergency_measures",
    "separation_decided",
    "separation_extended",
    "separation_revoked",
    "detailed_assessment",
    "needs_meeting",
    "plan_drafted",
    "plan_submitted",
    "plan_approved",
    "plan_returned",
    "implementation_activity",
    "review",
    "continuation_approved",
    "closed",
    "transferred",
];

fn now() -> bvte_domain::Instant {
    common::at("2026-11-29 10:00")
}

/// Parses a child document as the CLI does: JSON into `ChildInput`, then validation.
fn child(v: Value) {
    if let Ok(input) = serde_json::from_value::<ChildInput>(v) {
        let ctx = ValidationContext {
            today: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            default_commune: "09955".into(),
        };
        let _ = input.validate(&ctx);
    }
}

/// Parses a case document, then a step on a fresh case; an admitted step is folded and its
/// deadlines and next steps listed, as `bvte case step` does.
fn case_and_step(case: Value, step: Value) {
    if let Ok(input) = serde_json::from_value::<CaseInput>(case) {
        let ctx = CaseContext {
            now: now(),
            default_commune: "09955".into(),
            child_birth_date: NaiveDate::from_ymd_opt(2015, 1, 1),
            child_commune: "09955".into(),
        };
        let _ = input.validate(ChildId::generate(), &ctx);
    }
    if let Ok(input) = serde_json::from_value::<StepInput>(step)
        && let Ok((t, step)) = input.parse(now())
    {
        let received = common::at("2026-11-28 08:00");
        let state = fold_case(received, &[]);
        if admit(&state, &step, t).is_ok() {
            let events = [common::ev(CaseId::generate(), t, step)];
            let state = fold_case(received, &events);
            let _ = bvte_domain::deadline::deadlines(&state, calendar(), now());
            let _ = next_steps(&state, now());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn dates_and_times_parse_or_are_refused(s in date_like()) {
        if let Ok(d) = parse_date("date", &s) {
            let _ = calendar().is_working_day(d);
            let _ = calendar().roll_forward(d);
        }
        let _ = parse_instant("at", &s);
    }

    #[test]
    fn any_count_of_working_days_gives_a_date_or_none(
        s in date_like(),
        n in prop_oneof![0u32..50, 0u32..200_000, any::<u32>()],
    ) {
        let d = parse_date("date", &s).unwrap_or(NaiveDate::MAX);
        if let Some(r) = calendar().checked_add_working_days(d, n) {
            prop_assert!(r >= d);
        }
        let _ = calendar().working_days_between(d, d);
    }

    #[test]
    fn text_is_cleaned_folded_or_refused(s in text()) {
        let _ = clean_line("full_name", &s, 100);
        let _ = clean_text("note", &s, 20_000);
        let _ = fold(&s);
        let _ = collation_key(&s);
        let _ = truncate_for_message(&s);
        let _ = units().lookup(&s);
        let _ = units().require_current("commune_code", &s);
        let _ = ethnic_groups().resolve("ethnicity", &s);
        let _ = Group::parse_code("group", &s);
        let _ = bvte_domain::deletion::check_deletion(&s, 0);
    }

    #[test]
    fn arbitrary_json_documents_are_refused_or_read(v in json_value(), w in json_value()) {
        child(v.clone());
        case_and_step(v.clone(), w.clone());
        let mut v = v;
        let _ = clean_strings(&mut v, "data");
    }

    #[test]
    fn documents_with_one_field_replaced_are_refused_or_read(
        pick in any::<usize>(),
        value in json_value(),
        step in prop::sample::select(STEPS),
        occurred in date_like(),
    ) {
        child(mutated(child_doc(), pick, value.clone()));
        let step_doc = json!({"step": step, "occurred_at": occurred, "data": value.clone()});
        case_and_step(mutated(case_doc(), pick, value.clone()), step_doc);
        let step_base = json!({"step": "initial_assessment", "occurred_at": "29/11/2026 09:30",
            "data": {"serious_risk": true, "conclusion": "Nguye\u{302}\u{303}n"}});
        case_and_step(Value::Null, mutated(step_base, pick, value.clone()));
        let data_field = json!({"step": step, "data": {"days": value.clone(), "extra_days": value}});
        case_and_step(Value::Null, data_field);
    }

    #[test]
    fn separations_of_any_length_from_other_pcs_are_folded(
        days in any::<u32>(),
        extras in prop::collection::vec(any::<u32>(), 0..4),
    ) {
        // Events arrive by sync as other PCs stored them: not parsed here again.
        let case = CaseId::generate();
        let received = common::at("2026-11-28 08:00");
        let mut events: Vec<CaseEvent> = vec![
            common::ev(case, received, common::initial(true)),
            common::ev(case, received, common::separation(days)),
        ];
        for extra_days in extras {
            let step = Step::SeparationExtended(SeparationExtended {
                extra_days,
                ..Default::default()
            });
            events.push(common::ev(case, received, step));
        }
        let state = fold_case(received, &events);
        let _ = bvte_domain::deadline::deadlines(&state, calendar(), now());
        let _ = next_steps(&state, now());
    }
}

proptest! {
    // Few cases: a search folds the names of all 3,321 communes (slow in a debug build).
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_search_text_finds_communes_or_none(s in text(), limit in any::<usize>()) {
        let _ = units().search(&s, limit);
    }
}

#[test]
fn a_separation_extended_by_95_million_days_is_folded() {
    // The minimal case proptest found: the deadline's date overflowed.
    let case = CaseId::generate();
    let received = common::at("2026-11-28 08:00");
    let extended = Step::SeparationExtended(SeparationExtended {
        extra_days: 95_005_452,
        ..Default::default()
    });
    let events = [
        common::ev(case, received, common::initial(true)),
        common::ev(case, received, common::separation(0)),
        common::ev(case, received, extended.clone()),
        common::ev(
            case,
            received,
            Step::SeparationExtended(SeparationExtended {
                extra_days: u32::MAX,
                ..Default::default()
            }),
        ),
    ];
    let state = fold_case(received, &events);
    assert_eq!(
        state.separation.as_ref().map(|s| s.total_days),
        Some(u32::MAX)
    );
    let due = bvte_domain::deadline::deadlines(&state, calendar(), now());
    assert!(!due.is_empty(), "the deadlines are still listed");
    assert!(
        admit(&state, &extended, now()).is_err(),
        "and no more days may be added"
    );
}

#[test]
fn four_billion_working_days_is_none_not_a_panic() {
    let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    assert_eq!(calendar().checked_add_working_days(d, 4_000_000_000), None);
    assert_eq!(calendar().checked_add_working_days(NaiveDate::MAX, 1), None);
    assert_eq!(calendar().roll_forward(NaiveDate::MAX), NaiveDate::MAX);
}
