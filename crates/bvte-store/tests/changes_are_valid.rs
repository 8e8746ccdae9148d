//! The district server's check of a pushed change (`bvte_protocol::check_change`, issue 10
//! item 5) never refuses what the PCs really produce: random children typed with messy text
//! (decomposed Vietnamese, stray spaces, labels instead of codes), edits, cases with steps,
//! deletions, restores and conflicts settled by an officer, on two PCs that sync, written through
//! the store's public API; then every change in push order is checked as the server would, its
//! clock minutes behind the PC's, the first change of each record as a new record.

mod support;

use bvte_domain::case::{CaseContext, CaseInput};
use bvte_domain::child::{ChildInput, ValidationContext};
use bvte_domain::event::StepInput;
use bvte_domain::time::{from_unix_millis, local_date, parse_instant, to_rfc3339_local};
use bvte_domain::{ChildId, Instant};
use bvte_protocol::hlc::MAX_DRIFT_MS;
use bvte_protocol::{Change, Entity, check_change};
use bvte_store::children::ChildFilter;
use bvte_store::{Origin, Store, WriteCtx};
use chrono::TimeDelta;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::HashSet;
use support::{all, device};

/// Minute `k` of the scenario: from 23:00 in Vietnam, so dates roll over to the next day.
fn at(k: u32) -> Instant {
    parse_instant("t", "2026-11-29T23:00:00+07:00").unwrap() + TimeDelta::minutes(i64::from(k))
}

fn w(k: u32) -> WriteCtx {
    WriteCtx {
        origin: Origin::Ui,
        author: "Nguyễn Thị Lan".into(),
        account: String::new(),
        now: at(k),
    }
}

/// The server reduced to an ordered log (as in `support::Relay`, with this file's clock).
#[derive(Default)]
struct Relay {
    log: Vec<Change>,
}

impl Relay {
    fn sync(&mut self, store: &mut Store, k: u32) {
        let own = store.installation().device_id;
        for c in store.outbox(store.acked_seq().unwrap(), 10_000).unwrap() {
            if !self.log.iter().any(|l| l.change_id == c.change_id) {
                self.log.push(c.clone());
            }
            store.set_acked_seq(c.seq).unwrap();
        }
        let cursor = store.pull_cursor().unwrap() as usize;
        let page: Vec<Change> = self.log[cursor..]
            .iter()
            .filter(|c| c.device_id != own)
            .cloned()
            .collect();
        store
            .apply_remote(
                &page,
                self.log.len() as u64,
                None,
                at(k),
                at(k).timestamp_millis() as u64,
            )
            .unwrap();
    }
}

/// Pieces of text as officers type and paste it: decomposed Vietnamese, odd spaces,
/// compatibility characters, emoji; with line breaks and tabs when `lines`.
fn typed(lines: bool) -> impl Strategy<Value = String> {
    let mut pieces = vec![
        "Nguyễn",
        "Nguye\u{302}\u{303}n",
        "Thị",
        "Đặng",
        "Dũng",
        " ",
        "  ",
        "\u{a0}",
        "\u{3000}",
        "a\u{301}",
        "\u{301}",
        "e\u{323}\u{302}",
        "\u{212b}",
        "🙂",
        "ﬁ",
        "x",
        "O'Brien",
    ];
    if lines {
        pieces.extend(["\t", "\n", "\r\n", "\r"]);
    }
    prop_oneof![
        3 => prop::collection::vec(prop::sample::select(pieces), 0..8).prop_map(|v| v.concat()),
        // Any printable text (no control characters, which every form refuses).
        1 => "\\PC{0,16}",
    ]
}

/// Free text (notes, assessments).
fn messy() -> impl Strategy<Value = String> {
    typed(true)
}

/// One line (a village, an occupation).
fn line() -> impl Strategy<Value = String> {
    typed(false)
}

/// A name: one line that is seldom empty.
fn name() -> impl Strategy<Value = String> {
    (
        pick(&["Lan", " Nguye\u{302}\u{303}n", "Đức ", "Hoa\u{a0}"]),
        line(),
    )
        .prop_map(|(a, b)| a + &b)
}

fn opt<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::of(s)
}

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(items).prop_map(str::to_string)
}

/// A date `days` before 30/11/2026, typed either way.
fn date(days: u32, typed: bool) -> String {
    let d =
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap() - TimeDelta::days(i64::from(days));
    if typed {
        d.format("%d/%m/%Y").to_string()
    } else {
        d.to_string()
    }
}

fn carer() -> impl Strategy<Value = Value> {
    (
        pick(&["father", "mother", "grandparent", "Mẹ", "guardian", "other"]),
        name(),
        opt(1900i64..2027),
        (
            opt(line()),
            opt(pick(&["0912 345 678", " 0912345678 ", ""])),
            opt(line()),
        ),
        any::<(bool, bool)>(),
    )
        .prop_map(
            |(relation, full_name, birth_year, (occ, phone, address), (dead, lives))| {
                json!({"relation": relation, "full_name": full_name, "birth_year": birth_year,
                   "occupation": occ, "phone": phone, "address": address,
                   "deceased": dead, "lives_with_child": lives})
            },
        )
}

fn group() -> impl Strategy<Value = Value> {
    (
        pick(&["a", "b", "đ", "Đ", "dd", "I", "o"]),
        prop_oneof![3 => Just(None), 1 => (1i64..3).prop_map(Some)],
        opt((0u32..4000, any::<bool>())),
        opt((0u32..4000, any::<bool>())),
    )
        .prop_map(|(group, subgroup, since, until)| {
            // The end after the start (days back: fewer).
            let until = until.map(|(u, t)| (since.map_or(u, |(s, _)| u.min(s)), t));
            json!({"group": group, "subgroup": subgroup,
                   "since": since.map(|(d, t)| date(d, t)), "until": until.map(|(d, t)| date(d, t))})
        })
}

/// A child as a form or script sends it; most are valid, the others are skipped.
fn child() -> impl Strategy<Value = Value> {
    let birth = prop_oneof![
        // Around the 16th birthday too (16 years ≈ 5,844 days).
        (prop_oneof![0u32..5900, 5835u32..5850], any::<bool>())
            .prop_map(|(d, t)| json!({"date_of_birth": date(d, t)})),
        (0i64..16, opt((0u32..400, any::<bool>()))).prop_map(|(y, as_of)| {
            json!({"estimated_age": {"years": y, "as_of": as_of.map(|(d, t)| date(d, t))}})
        }),
    ];
    let who = (
        name(),
        birth,
        pick(&["male", "female", "unknown", "Nam", "Nữ", " female "]),
        opt(pick(&["Kinh", "01", "1", "Tày", " kinh ", "54"])),
        opt(pick(&["", "001215012345", " 0012 1501 2345 "])),
        pick(&["thuong_tru", "tam_tru", "Tạm trú"]),
        opt(pick(&["09955", " 09955 ", "00004", "00008"])),
    );
    let rest = (
        opt(line()),
        prop::collection::vec(carer(), 0..3),
        prop::collection::vec(group(), 0..2),
        any::<bool>(),
        opt((pick(&["mild", "severe", "unassessed"]), opt(line()))),
        opt((
            pick(&["in_school", "Đã bỏ học", "not_yet"]),
            opt(line()),
            opt(line()),
        )),
        opt(messy()),
    );
    (who, rest).prop_map(
        |((name, birth, sex, eth, pid, res, commune), (village, carers, groups, risk, dis, school, notes))| {
            let mut v = json!({
                "full_name": name, "sex": sex, "ethnicity": eth, "personal_id": pid,
                "residence_status": res, "commune_code": commune, "village": village,
                "carers": carers, "special_circumstances": groups, "at_risk": risk,
                "disability": dis.map(|(level, note)| json!({"level": level, "note": note})),
                "schooling": school.map(|(status, s, g)| json!({"status": status, "school": s, "grade": g})),
                "notes": notes,
            });
            v.as_object_mut().unwrap().extend(birth.as_object().unwrap().clone());
            v
        },
    )
}

fn case() -> impl Strategy<Value = Value> {
    (
        opt(0i64..3000),
        pick(&["abused", "at_risk_violence", "special_circumstances", "Trẻ em bị xâm hại"]),
        prop::collection::vec(pick(&["violence", "neglect", "Bóc lột", "other"]), 0..3),
        (pick(&["family", "school", "online"]), pick(&["hotline_111", "phone", "Gặp trực tiếp"])),
        (opt(pick(&["09955", " 00004"])), opt(line()), opt(messy())),
        (opt((name(), line())), opt((messy(), messy()))),
    )
        .prop_map(|(ago, category, forms, (env, channel), (commune, place, summary), (rep, intake))| {
            json!({
                "received_at": ago.map(|m| to_rfc3339_local(at(0) - TimeDelta::minutes(m))),
                "category": category, "abuse_forms": forms, "environment": env, "channel": channel,
                "incident_commune": commune, "incident_place": place, "summary": summary,
                "reporter": rep.map(|(n, p)| json!({"full_name": n, "phone": p})),
                "intake": intake.map(|(a, b)| json!({"child_condition": a, "notes": b})),
            })
        })
}

const STEPS: &[&str] = &[
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
    "Kết thúc vụ việc",
];

/// A step's form, filled from random text, a number, a flag and a choice.
fn step_data(kind: &str, t: &[String], n: u32, flag: bool, c: usize) -> Value {
    let t = |i: usize| t.get(i).cloned().unwrap_or_default();
    let of = |list: &[&str]| list[c % list.len()].to_string();
    let score = json!([{"criterion": t(4), "level": of(&["high", "medium", "low"]), "note": t(5)}]);
    match kind {
        "verification" => json!({"findings": t(0), "confirmed": flag}),
        "initial_assessment" => json!({"criteria": score, "serious_risk": flag,
            "caused_by_parent_or_carer": !flag, "safety_measures": t(0), "conclusion": t(1)}),
        "emergency_measures" => json!({"measures": [of(&["first_aid", "safe_place", "other"])],
            "description": t(0), "child_location": t(1), "evidence": t(2)}),
        "separation_decided" => json!({"decision_no": t(0),
            "grounds": of(&["by_parent_or_carer", "plan_refused", " further_abuse_risk "]),
            "separated_from": ["father"], "days": 1 + n % 15, "shelter": t(1), "carer": t(2)}),
        "separation_extended" => {
            json!({"decision_no": t(0), "extra_days": 1 + n % 5, "reason": t(1)})
        }
        "separation_revoked" => json!({"decision_no": t(0), "reason": t(1)}),
        "detailed_assessment" => json!({"condition": t(0), "family": t(1), "risk_factors": t(2),
            "needs": t(3), "criteria": score, "plan_needed": flag}),
        "needs_meeting" => json!({"participants": t(0), "conclusions": t(1)}),
        "plan_drafted" => {
            json!({"goals": t(0), "monitoring": t(1), "activities": [{"service": t(2),
            "start": of(&["01/12/2026", "2026-12-01", " 2/1/2027 ", ""]), "end": "31/12/2027",
            "responsible": t(3), "provider": t(4), "cost": n, "note": t(5)}]})
        }
        "plan_submitted" => json!({"note": t(0)}),
        "plan_approved" => json!({"decision_no": t(0), "approver": t(1)}),
        "plan_returned" => json!({"reason": t(0)}),
        "implementation_activity" => json!({"description": t(0)}),
        "review" => {
            json!({"harm": score, "self_protection": [], "proposal": of(&["end", "continue"]),
            "reasons": t(0)})
        }
        "continuation_approved" => json!({"decision_no": t(0), "note": t(1)}),
        "transferred" => json!({"to_commune": of(&["00004", " 00008 "]), "note": t(0)}),
        _ => json!({"reason": of(&["plan_completed", "unfounded", "other"]), "note": t(0)}),
    }
}

#[derive(Debug, Clone)]
enum Op {
    Add(usize, Value),
    Edit(usize, usize, Value),
    Delete(usize, usize, String),
    Restore(usize, usize),
    Open(usize, usize, Value),
    Step(
        usize,
        usize,
        String,
        Option<i64>,
        (Vec<String>, u32, bool, usize),
    ),
    Sync(usize),
    Resolve(usize, bool),
}

fn op() -> impl Strategy<Value = Op> {
    let d = 0..2usize;
    let i = 0..6usize;
    let bag = (
        prop::collection::vec(messy(), 6),
        any::<u32>(),
        any::<bool>(),
        any::<usize>(),
    );
    prop_oneof![
        4 => (d.clone(), child()).prop_map(|(d, c)| Op::Add(d, c)),
        3 => (d.clone(), i.clone(), child()).prop_map(|(d, i, c)| Op::Edit(d, i, c)),
        1 => (d.clone(), i.clone(), name()).prop_map(|(d, i, r)| Op::Delete(d, i, r)),
        1 => (d.clone(), i.clone()).prop_map(|(d, i)| Op::Restore(d, i)),
        2 => (d.clone(), i.clone(), case()).prop_map(|(d, i, c)| Op::Open(d, i, c)),
        4 => (d.clone(), i.clone(), pick(STEPS), opt(0i64..600), bag)
            .prop_map(|(d, i, s, ago, b)| Op::Step(d, i, s, ago, b)),
        3 => d.clone().prop_map(Op::Sync),
        1 => (d, any::<bool>()).prop_map(|(d, take)| Op::Resolve(d, take)),
    ]
}

/// Applies one operation the way bvte-core does (the domain validates, the store writes);
/// input the forms refuse is skipped, as the officer would have had to correct it.
fn run(stores: &mut [Store], relay: &mut Relay, op: Op, k: u32) {
    let today = local_date(at(k));
    let ctx = ValidationContext {
        today,
        default_commune: "09955".into(),
    };
    let children = |s: &Store| s.list_children(&ChildFilter::default(), all()).unwrap();
    match op {
        Op::Add(d, c) => {
            let Ok(input) = serde_json::from_value::<ChildInput>(c) else {
                return;
            };
            if let Ok(data) = input.validate(&ctx) {
                stores[d].insert_child(&data, &w(k)).unwrap();
            }
        }
        Op::Edit(d, i, c) => {
            let known = children(&stores[d]);
            let (Some(kid), Ok(input)) = (
                known.get(i % known.len().max(1)),
                serde_json::from_value::<ChildInput>(c),
            ) else {
                return;
            };
            if let Ok(data) = input.validate(&ctx) {
                stores[d].update_child(kid.id, &data, &w(k)).unwrap();
            }
        }
        Op::Delete(d, i, reason) => {
            let known = children(&stores[d]);
            let Some(kid) = known.get(i % known.len().max(1)) else {
                return;
            };
            let cases = stores[d].cases(Some(kid.id)).unwrap().len();
            if let Ok(reason) = bvte_domain::deletion::check_deletion(&reason, cases) {
                stores[d].delete_child(kid.id, &reason, &w(k)).unwrap();
            }
        }
        Op::Restore(d, i) => {
            let gone = stores[d].deleted_children().unwrap();
            if let Some(kid) = gone.get(i % gone.len().max(1)) {
                let id = ChildId(kid.id.parse().unwrap());
                stores[d].keep_child(id, &w(k)).unwrap();
            }
        }
        Op::Open(d, i, mut c) => {
            let known = children(&stores[d]);
            let Some(kid) = known.get(i % known.len().max(1)) else {
                return;
            };
            c["child_id"] = json!(kid.id.to_string());
            let Ok(input) = serde_json::from_value::<CaseInput>(c) else {
                return;
            };
            let cctx = CaseContext {
                now: at(k),
                default_commune: "09955".into(),
                child_birth_date: kid.data.birth_date(),
                child_commune: kid.data.commune_code.clone(),
            };
            if let Ok(new) = input.validate(kid.id, &cctx) {
                stores[d].insert_case(&new, &w(k)).unwrap();
            }
        }
        Op::Step(d, i, kind, ago, (texts, n, flag, c)) => {
            let cases = stores[d].cases(None).unwrap();
            let Some(case) = cases.get(i % cases.len().max(1)) else {
                return;
            };
            let input = StepInput {
                step: kind.clone(),
                occurred_at: ago.map(|m| to_rfc3339_local(at(k) - TimeDelta::minutes(m))),
                data: step_data(&kind, &texts, n, flag, c),
            };
            // The workflow's order is not the server's business: any parsed step is recorded.
            if let Ok((occurred_at, step)) = input.parse(at(k)) {
                stores[d]
                    .append_event(case.id, occurred_at, step, &w(k), |_, _| Ok(()))
                    .unwrap();
            }
        }
        Op::Sync(d) => relay.sync(&mut stores[d], k),
        Op::Resolve(d, take) => {
            if let Some(c) = stores[d].open_conflicts().unwrap().first() {
                // Deleting again a child who has cases is refused, as in the app.
                let _ = stores[d].resolve_conflict(c.id, take, &w(k));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_change_the_pcs_make_passes_the_servers_check(ops in prop::collection::vec(op(), 10..60)) {
        let dir = tempfile::tempdir().unwrap();
        let mut stores = vec![device(dir.path(), "a.db"), device(dir.path(), "b.db")];
        let mut relay = Relay::default();
        for (k, op) in ops.into_iter().enumerate() {
            run(&mut stores, &mut relay, op, k as u32 + 1);
        }
        for _ in 0..2 {
            for s in stores.iter_mut() {
                relay.sync(s, 90);
            }
        }
        // The officers settle what sync could not decide, and sync again.
        for (d, s) in stores.iter_mut().enumerate() {
            for (i, c) in s.open_conflicts().unwrap().into_iter().enumerate() {
                // Deleting again a child who has cases is refused, as in the app.
                let _ = s.resolve_conflict(c.id, (i + d) % 2 == 0, &w(91));
            }
        }
        for _ in 0..2 {
            for s in stores.iter_mut() {
                relay.sync(s, 92);
            }
        }
        let mut known: HashSet<(Entity, uuid::Uuid)> = HashSet::new();
        for c in &relay.log {
            let new_record = known.insert((c.entity, c.entity_id));
            // The server's clock as far behind the PC's as sync allows.
            let now = from_unix_millis(c.hlc.millis - MAX_DRIFT_MS).unwrap();
            let verdict = check_change(c, new_record, now);
            prop_assert!(
                verdict.is_ok(),
                "{:?} {:?} (new: {new_record}) refused: {:?}\n{}",
                c.entity, c.kind, verdict.unwrap_err().to_reports(),
                Value::Object(c.fields.clone())
            );
        }
    }
}
