//! Report benchmarks (issue 11): the commune report of a year for 5,000 children and 500 cases,
//! as JSON (budget ≤ 200 ms), PDF and XLSX (≤ 500 ms each), the register read from the
//! encrypted database included, as the desktop's Báo cáo screen and `bvte report` make it.
//! Run by `cargo xtask bench`, which records the results in BENCHMARKS.md.
//! Prints one JSON object per measurement on stdout.

use bvte_core::Session;
use bvte_core::report::ReportFormat;
use bvte_store::KdfParams;
use chrono::Datelike;
use serde_json::json;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let children = env("BVTE_BENCH_REPORT_CHILDREN", 5_000);
    let cases = env("BVTE_BENCH_REPORT_CASES", 500);
    let runs = env("BVTE_BENCH_REPORT_RUNS", 20).max(1);
    let dir = tempfile::tempdir().expect("temp dir");
    let now = bvte_core::now();
    let (mut s, _) = Session::init(
        &dir.path().join("bench.db"),
        "mật khẩu đo hiệu năng",
        "09955",
        "Cán bộ đo",
        KdfParams::default(),
        now,
    )
    .expect("init");
    s.generate_demo_sized(children, Some(cases), 2026, now, |_, _| {})
        .expect("demo");
    let today = bvte_domain::time::local_date(now);
    let from = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January");
    let period = bvte_report::Period::new(from, today, now).expect("period");

    let measure = |name: &str, budget_ms: u64, f: &dyn Fn() -> usize| {
        let mut times = Vec::with_capacity(runs);
        let mut bytes = 0;
        for _ in 0..runs {
            let t = Instant::now();
            bytes = f();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "{}",
            json!({
                "bench": name, "children": children, "cases": cases, "runs": runs,
                "median_ms": percentile(&times, 0.5), "p95_ms": percentile(&times, 0.95),
                "max_ms": percentile(&times, 1.0), "bytes": bytes, "budget_ms": budget_ms,
            })
        );
    };
    measure("report_json", 200, &|| {
        let r = s.report(&period, now).expect("report");
        serde_json::to_vec(&r).expect("json").len()
    });
    measure("report_pdf", 500, &|| {
        s.report_file(ReportFormat::Pdf, &period, now)
            .expect("pdf")
            .len()
    });
    measure("report_xlsx", 500, &|| {
        s.report_file(ReportFormat::Xlsx, &period, now)
            .expect("xlsx")
            .len()
    });
}
