//! The real `bvte` binary on `bvte report`: every figure checked against an independent count
//! over `bvte export` of the same database, no name in the report, and bad input refused with
//! a Vietnamese message and nothing written.

mod common;

use common::Env;
use common::report::{register, today};
use serde_json::Value;
use std::collections::BTreeMap;

const PASS: &str = "mật khẩu thử nghiệm";

fn count_by<'a>(items: impl Iterator<Item = &'a Value>, key: &str) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for v in items {
        *m.entry(v[key].as_str().unwrap().to_string()).or_insert(0) += 1;
    }
    m
}

/// Only the non-zero entries of a breakdown.
fn nonzero(v: &Value) -> BTreeMap<String, u64> {
    v.as_object()
        .unwrap()
        .iter()
        .filter(|(_, n)| n.as_u64() != Some(0))
        .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
        .collect()
}

fn in_groups(c: &Value) -> Vec<String> {
    c["special_circumstances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["group"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_figure_equals_a_count_over_the_export() {
    let (env, names) = register();
    let from = today() - chrono::Days::new(30);
    let (from_s, to_s) = (from.format("%d/%m/%Y").to_string(), today().to_string());
    let out = env.run(
        &["report", "--from", &from_s, "--to", &to_s, "--out", "-"],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = out.json();
    let export = env.ok(&["export", "--json"], None);
    let kids: Vec<&Value> = export["children"].as_array().unwrap().iter().collect();
    let cases: Vec<&Value> = export["cases"].as_array().unwrap().iter().collect();

    // Children: the export lists the register (the deleted record is not in it); all were
    // recorded today and are under 18.
    let c = &r["children"];
    assert_eq!(c["total"], kids.len(), "the deleted record is not counted");
    assert_eq!(kids.len(), 4);
    assert_eq!(
        nonzero(&c["by_residence"]),
        count_by(kids.iter().copied(), "residence_status")
    );
    assert_eq!(nonzero(&c["by_sex"]), count_by(kids.iter().copied(), "sex"));
    let at_risk = kids.iter().filter(|k| k["at_risk"] == true).count();
    assert_eq!(c["at_risk"], at_risk);
    let disabled = kids
        .iter()
        .filter(|k| !k["disability"].is_null() || in_groups(k).contains(&"d".to_string()))
        .count();
    assert_eq!(c["disabled"], disabled);
    let dead = |k: &Value, rel: &str| {
        k["carers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["relation"] == rel && p["deceased"] == true)
    };
    let orphans = kids
        .iter()
        .filter(|k| {
            in_groups(k).contains(&"a".to_string()) || (dead(k, "father") && dead(k, "mother"))
        })
        .count();
    assert_eq!(c["double_orphans"], orphans);
    for g in ["a", "c", "d", "k"] {
        let n = kids
            .iter()
            .filter(|k| in_groups(k).contains(&g.to_string()))
            .count();
        assert_eq!(c["by_group"][g], n, "group {g}");
    }

    // Cases: received in the last 30 days, and the case from 45 days ago still open.
    let start = from.and_hms_opt(0, 0, 0).unwrap();
    let received_in = |v: &&Value| {
        let t = chrono::DateTime::parse_from_rfc3339(v["received_at"].as_str().unwrap()).unwrap();
        t.naive_local() >= start
    };
    let recent: Vec<&Value> = cases.iter().copied().filter(received_in).collect();
    let k = &r["cases"];
    assert_eq!(k["received"], recent.len());
    assert_eq!(k["handled"], cases.len(), "the older case is still open");
    let open = cases
        .iter()
        .filter(|v| !["closed", "transferred"].contains(&v["stage"].as_str().unwrap()))
        .count();
    assert_eq!(k["open_at_end"], open);
    assert_eq!(
        nonzero(&k["by_channel"]),
        count_by(recent.iter().copied(), "channel")
    );
    assert_eq!(
        nonzero(&k["by_category"]),
        count_by(recent.iter().copied(), "category")
    );
    assert_eq!(
        nonzero(&k["by_environment"]),
        count_by(recent.iter().copied(), "environment")
    );
    assert_eq!(
        nonzero(&k["by_stage"]),
        count_by(cases.iter().copied(), "stage")
    );

    // Deadlines falling in the period, by the status `case show` gives them.
    let mut want: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for d in cases
        .iter()
        .flat_map(|v| v["deadlines"].as_array().unwrap())
    {
        let due = chrono::DateTime::parse_from_rfc3339(d["due_at"].as_str().unwrap()).unwrap();
        // Legal limits only: guidance (the initial assessment's 12 hours) is not reported.
        if due.naive_local() < start || due > chrono::Utc::now() || d["guidance"] == true {
            continue;
        }
        let e = want
            .entry(d["rule"].as_str().unwrap().to_string())
            .or_default();
        match d["status"].as_str().unwrap() {
            "met" => e.0 += 1,
            "met_late" | "overdue" | "missed" => e.1 += 1,
            s => panic!("a deadline already due is {s}"),
        }
    }
    assert!(!want.is_empty(), "the test has deadlines to compare");
    for (rule, (met, overdue)) in &want {
        assert_eq!(k["deadlines"][rule]["met"], *met, "{rule} met");
        assert_eq!(k["deadlines"][rule]["overdue"], *overdue, "{rule} overdue");
    }

    // Completeness: the children without a village (the helper sets none) and the overdue cases.
    let no_village = kids.iter().filter(|k| k["village"] == "").count();
    let gaps = r["completeness"].as_array().unwrap();
    assert_eq!(
        gaps.iter()
            .filter(|g| g["kind"] == "child_no_village")
            .count(),
        no_village
    );
    assert!(gaps.iter().all(|g| g.get("id").is_some()));

    let text = out.stdout;
    for name in &names {
        assert!(
            !text.contains(name.as_str()),
            "{name} appears in the report"
        );
    }
    assert_eq!(r["provisional"], true);
}

#[test]
fn the_report_goes_into_a_file_with_out() {
    let (env, _) = register();
    let file = env.path("bao-cao.json");
    let today = today().format("%d/%m/%Y").to_string();
    let out = env.run(
        &[
            "report",
            "--from",
            &today,
            "--to",
            &today,
            "--format",
            "json",
            "--out",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Đã ghi báo cáo"), "{}", out.stdout);
    let r: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(r["children"]["total"], 4);
}

#[test]
fn bad_input_is_refused_in_vietnamese_and_nothing_is_written() {
    let env = Env::new(PASS, None);
    let file = env.path("bao-cao.json");
    let f = file.to_str().unwrap();
    let today = today();
    let tomorrow = (today + chrono::Days::new(1))
        .format("%d/%m/%Y")
        .to_string();
    let last_week = (today - chrono::Days::new(7)).to_string();
    let today = today.to_string();
    for (args, code, says) in [
        (
            vec!["--from", &today, "--to", &last_week],
            3,
            "ngày kết thúc trước ngày bắt đầu",
        ),
        (vec!["--from", &today, "--to", &tomorrow], 3, "tương lai"),
        (
            vec!["--from", &tomorrow, "--to", &tomorrow],
            3,
            "Ngày đầu kỳ báo cáo (--from)",
        ),
        (
            vec!["--from", "31/02/2026", "--to", &today],
            3,
            "không có thật",
        ),
    ] {
        let mut a = vec!["report"];
        a.extend(args.iter().copied());
        a.extend(["--out", f]);
        let out = env.run(&a, None);
        assert_eq!(out.code, code, "{a:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{a:?}: {}", out.stderr);
        assert!(!file.exists(), "{a:?} wrote a file");
    }
}
