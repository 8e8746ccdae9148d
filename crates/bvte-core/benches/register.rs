//! Register benchmarks (design §8): search p95 over 100,000 children (budget ≤ 10 ms), insert
//! throughput, and a backup of that database (issue 14: ≤ 10 s while the window keeps answering,
//! measured as the searches run meanwhile) and its restore. Run by `cargo xtask bench`, which records the results in BENCHMARKS.md.
//! Prints one JSON object per measurement on stdout.

use bvte_core::Session;
use bvte_store::children::{ChildFilter, Page};
use bvte_store::{KdfParams, Origin, Unlock};
use serde_json::json;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let n: usize = std::env::var("BVTE_BENCH_CHILDREN")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.db");
    let now = bvte_core::now();
    let (mut s, _) = Session::init(
        &path,
        "mật khẩu đo hiệu năng",
        "09955",
        "Cán bộ đo",
        KdfParams::default(),
        now,
    )
    .expect("init");

    // Batch insert (demo data goes through validation, 500 per transaction).
    let t = Instant::now();
    s.generate_demo(n, 2026, now, |_, _| {}).expect("demo");
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({"bench": "insert_batch", "children": n, "seconds": secs, "per_second": n as f64 / secs})
    );

    // One child per transaction, as an officer saving a form (synchronous = FULL).
    let input: bvte_domain::child::ChildInput = serde_json::from_value(json!({
        "full_name": "Nguyễn Thị Đo", "date_of_birth": "2015-05-05", "sex": "female",
        "residence_status": "thuong_tru", "village": "Thôn Đông",
        "carers": [{"relation": "mother", "full_name": "Lê Thị Hoa"}]
    }))
    .expect("input");
    let singles = 200;
    let t = Instant::now();
    for _ in 0..singles {
        s.add_child(&input, now).expect("add");
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({"bench": "insert_single", "children": singles, "seconds": secs, "per_second": singles as f64 / secs, "ms_each": secs * 1000.0 / singles as f64})
    );
    drop(s);

    // Unlock (Argon2id + open + migrate check).
    let t = Instant::now();
    let s = Session::open(
        &path,
        Unlock::Passphrase("mật khẩu đo hiệu năng"),
        Origin::Cli,
    )
    .expect("open");
    println!(
        "{}",
        json!({"bench": "unlock", "ms": t.elapsed().as_secs_f64() * 1000.0})
    );

    // Search as the officer types: common and rare names, prefixes, villages, ids.
    let sample: Vec<String> = s
        .store
        .list_children(
            &ChildFilter::default(),
            Page {
                offset: 0,
                limit: 200,
            },
        )
        .expect("sample")
        .into_iter()
        .map(|c| c.data.full_name)
        .collect();
    let mut queries: Vec<String> = vec![
        "nguyen",
        "nguyen thi",
        "ng",
        "tran van",
        "dang",
        "le thi h",
        "pham",
        "ngoc",
        "anh",
        "thon dong",
        "hoang minh",
        "vu",
        "001",
        "bui thi",
        "do van",
        "huong",
        "linh",
        "nam",
        "mai",
        "trung",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    queries.extend(sample.iter().step_by(10).cloned());
    queries.extend(
        sample
            .iter()
            .step_by(10)
            .map(|n| bvte_domain::text::fold(n)),
    );
    let mut times = Vec::new();
    let mut per_query: Vec<(Duration, usize, &str)> = queries
        .iter()
        .map(|q| (Duration::ZERO, 0, q.as_str()))
        .collect();
    for _ in 0..25 {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let r = s.search_children(q, 50).expect("search");
            let e = t.elapsed();
            times.push(e);
            per_query[i].0 += e;
            per_query[i].1 = r.len();
        }
    }
    times.sort();
    per_query.sort_by_key(|q| std::cmp::Reverse(q.0));
    let slowest: Vec<_> = per_query
        .iter()
        .take(5)
        .map(|(d, n, q)| json!({"query": q, "mean_ms": d.as_secs_f64() * 1000.0 / 25.0, "results": n}))
        .collect();
    println!(
        "{}",
        json!({
            "bench": "search", "children": n + singles, "queries": times.len(), "limit": 50,
            "p50_ms": percentile(&times, 0.5), "p95_ms": percentile(&times, 0.95), "max_ms": percentile(&times, 1.0),
            "budget_p95_ms": 10.0, "slowest": slowest
        })
    );

    // A filtered page of the list (group d, ordered by name) and its count.
    let f = ChildFilter {
        group: Some(bvte_domain::groups::Group::D),
        on_date: Some(chrono::Utc::now().date_naive()),
        ..Default::default()
    };
    let mut times = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let page = s
            .store
            .list_children(
                &f,
                Page {
                    offset: 0,
                    limit: 100,
                },
            )
            .expect("list");
        let total = s.store.count_children(&f).expect("count");
        std::hint::black_box((page.len(), total));
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "{}",
        json!({"bench": "list_filtered_page", "p50_ms": percentile(&times, 0.5), "p95_ms": percentile(&times, 0.95)})
    );
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "{}",
        json!({"bench": "database_size", "children": n + singles, "bytes": size})
    );

    // A backup while the officer searches: the backup runs on another thread from its own
    // connection; the searches go on on the session's.
    let out = dir.path().join("sao-luu.bvte-backup");
    let job = s.store.backup_job().expect("backup job");
    let t = Instant::now();
    let writer = {
        let out = out.clone();
        std::thread::spawn(move || {
            job.write(&out, "bench", now).expect("backup");
            Instant::now()
        })
    };
    let mut during = Vec::new();
    while !writer.is_finished() {
        for q in queries.iter().take(20) {
            let q0 = Instant::now();
            std::hint::black_box(s.search_children(q, 50).expect("search"));
            during.push(q0.elapsed());
        }
    }
    let done = writer.join().expect("backup thread");
    let secs = (done - t).as_secs_f64();
    during.sort();
    let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    println!(
        "{}",
        json!({"bench": "backup", "children": n + singles, "seconds": secs, "bytes": bytes,
               "searches_during": during.len(),
               "search_p95_during_ms": if during.is_empty() { 0.0 } else { percentile(&during, 0.95) },
               "search_max_during_ms": if during.is_empty() { 0.0 } else { percentile(&during, 1.0) }})
    );
    drop(s);
    let restored = dir.path().join("restored.db");
    let t = Instant::now();
    bvte_core::backup::restore(
        &out,
        &restored,
        Unlock::Passphrase("mật khẩu đo hiệu năng"),
        now,
    )
    .expect("restore");
    println!(
        "{}",
        json!({"bench": "restore", "seconds": t.elapsed().as_secs_f64()})
    );
}
