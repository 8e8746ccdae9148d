//! Area budgets (issue 11): the area report over 30 communes of 5,000 children (and 500 cases)
//! each (≤ 2 s) and a dashboard page with those 30 communes (≤ 300 ms), measured against the
//! real `bvte-server` process. Each commune is a real encrypted commune database filled with
//! demonstration data and synced through the server (so the server materialises its records as
//! in the field). The report is timed as `bvte-server report --format json` (a process reading
//! the server's database), the page as the dashboard's overview `GET /` for a signed-in
//! supervisor, timed by curl (`time_total`, TLS on loopback included). Prints one JSON object
//! per measurement.
//!
//! `BVTE_BENCH_AREA_COMMUNES` and `BVTE_BENCH_AREA_CHILDREN` make it smaller (a quick check
//! in debug); the budgets hold for the defaults. `BVTE_BENCH_KEEP=1` keeps the server's data
//! folder (printed) to profile `bvte-server report` on it afterwards.

use anyhow::{Context, Result, ensure};
use bvte_core::Session;
use bvte_core::sync::{enroll, sync_now};
use bvte_e2e::server::{Server, server_bin};
use bvte_store::{KdfParams, Origin};
use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const PASS: &str = "mật khẩu đo hiệu năng";
const USER: &str = "giam.sat";
const USER_PASSWORD: &str = "mật khẩu giám sát khu vực";

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// A commune's PC: demonstration data, enrolled, synced.
fn commune(
    dir: &Path,
    code: &str,
    children: usize,
    seed: u64,
    server: &Server,
) -> Result<(Session, u64)> {
    let (mut s, _) = Session::init(
        &dir.join(format!("{code}.db")),
        PASS,
        code,
        code,
        KdfParams::default(),
        bvte_core::now(),
    )?;
    s.set_origin(Origin::Cli);
    s.generate_demo_sized(
        children,
        Some(children / 10),
        seed,
        bvte_core::now(),
        |_, _| {},
    )?;
    enroll(
        &mut s,
        &server.url(),
        &server.enroll_code(code)?,
        &server.fingerprint,
        code,
        bvte_core::now(),
    )?;
    let pushed = sync_now(&mut s, &bvte_core::now, &mut |_| {})?.pushed;
    Ok((s, pushed))
}

/// `curl` against the server (self-signed certificate), with a cookie jar.
fn curl(jar: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("curl")
        .args(["-sS", "-k", "-c"])
        .arg(jar)
        .arg("-b")
        .arg(jar)
        .args(args)
        .output()
        .context("curl is needed for the dashboard page's timing")?;
    ensure!(out.status.success(), "curl {args:?}: {out:?}");
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn main() -> Result<()> {
    let n_communes = env_or("BVTE_BENCH_AREA_COMMUNES", 30);
    let children = env_or("BVTE_BENCH_AREA_CHILDREN", 5_000);
    let codes: Vec<String> = bvte_domain::reference::units()
        .communes()
        .take(n_communes)
        .map(|c| c.code.clone())
        .collect();
    ensure!(codes.len() == n_communes, "not enough communes in the list");
    let dir = tempfile::tempdir()?;
    if std::env::var_os("BVTE_BENCH_KEEP").is_some() {
        eprintln!("area bench: data kept in {}", dir.path().display());
    }
    let dir = KeepOrNot(Some(dir));
    let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
    let mut server = Server::init_with(dir.path(), &refs, &["--area", "Địa bàn đo hiệu năng"])?;
    server.start()?;
    let started = Instant::now();
    let mut changes = 0;
    let mut pcs = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let (pc, pushed) = commune(dir.path(), code, children, 100 + i as u64, &server)?;
        changes += pushed;
        pcs.push(pc);
    }
    eprintln!(
        "area bench: {n_communes} communes of {children} children synced ({changes} changes) in {:.0} s",
        started.elapsed().as_secs_f64()
    );

    // The area report, as `bvte-server report` makes it from the server's records.
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let from = format!("01/01/{}", today.format("%Y"));
    let to = today.format("%d/%m/%Y").to_string();
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let out = server.admin(&["report", "--from", &from, "--to", &to, "--format", "json"])?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        bytes = out.len();
        let v: serde_json::Value = serde_json::from_str(&out)?;
        ensure!(
            v["children"]["total"].as_u64() >= Some((children * n_communes) as u64 / 2),
            "every commune's children are counted: {}",
            v["children"]["total"]
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{}",
        json!({"bench": "area_report", "communes": n_communes, "children": children * n_communes,
               "runs": times.len(), "median_ms": percentile(&times, 0.5),
               "p95_ms": percentile(&times, 0.95), "budget_ms": 2000, "bytes": bytes})
    );

    // A dashboard page: the overview of this year for a signed-in supervisor.
    let added = Command::new(server_bin())
        .args([
            "user",
            "add",
            "--name",
            USER,
            "--role",
            "supervisor",
            "--data",
        ])
        .arg(server.data())
        .env("BVTE_USER_PASSWORD", USER_PASSWORD)
        .output()?;
    ensure!(added.status.success(), "user add: {added:?}");
    let jar = dir.path().join("cookies.txt");
    let url = server.url();
    let origin = format!("Origin: {url}");
    let status = curl(
        &jar,
        &[
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-H",
            &origin,
            "--data-urlencode",
            &format!("name={USER}"),
            "--data-urlencode",
            &format!("password={USER_PASSWORD}"),
            &format!("{url}/sign-in"),
        ],
    )?;
    ensure!(status == "303", "signed in: {status}");
    // The first page after the communes synced (the server read them ahead).
    let t = Instant::now();
    let page = curl(&jar, &[&format!("{url}/")])?;
    let first_ms = t.elapsed().as_secs_f64() * 1000.0;
    ensure!(
        codes
            .iter()
            .all(|c| page.contains(&format!("data-commune=\"{c}\""))),
        "the overview lists every commune"
    );
    println!(
        "{}",
        json!({"bench": "dashboard_first_page", "communes": n_communes,
               "children": children * n_communes, "runs": 1,
               "median_ms": first_ms, "p95_ms": first_ms, "budget_ms": 300,
               "bytes": page.len()})
    );
    let page_time = |jar: &Path| -> Result<f64> {
        let out = curl(
            jar,
            &[
                "-o",
                "/dev/null",
                "-w",
                "%{http_code} %{time_total}",
                &format!("{url}/"),
            ],
        )?;
        let (code, secs) = out.split_once(' ').context("curl's timing")?;
        ensure!(code == "200", "the page: {out}");
        Ok(secs.trim().parse::<f64>()? * 1000.0)
    };
    let mut times = Vec::new();
    for _ in 0..10 {
        times.push(page_time(&jar)?);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{}",
        json!({"bench": "dashboard_page", "communes": n_communes,
               "children": children * n_communes, "runs": times.len(),
               "median_ms": percentile(&times, 0.5), "p95_ms": percentile(&times, 0.95),
               "budget_ms": 300, "bytes": page.len()})
    );

    // A page right after one commune synced new records (that commune is read again).
    let mut times = Vec::new();
    for (i, pc) in pcs.iter_mut().take(5).enumerate() {
        pc.generate_demo_sized(10, Some(1), 900 + i as u64, bvte_core::now(), |_, _| {})?;
        sync_now(pc, &bvte_core::now, &mut |_| {})?;
        times.push(page_time(&jar)?);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{}",
        json!({"bench": "dashboard_page_after_sync", "communes": n_communes,
               "children": children * n_communes, "runs": times.len(),
               "median_ms": percentile(&times, 0.5), "p95_ms": percentile(&times, 0.95),
               "budget_ms": 300, "bytes": page.len()})
    );
    Ok(())
}

/// The bench's folder, removed at the end unless `BVTE_BENCH_KEEP` is set.
struct KeepOrNot(Option<tempfile::TempDir>);
impl KeepOrNot {
    fn path(&self) -> &std::path::Path {
        self.0.as_ref().unwrap().path()
    }
}
impl Drop for KeepOrNot {
    fn drop(&mut self) {
        if std::env::var_os("BVTE_BENCH_KEEP").is_some()
            && let Some(d) = self.0.take()
        {
            let _ = d.keep();
        }
    }
}
