//! `cargo xtask bench`: runs the benchmark binaries and rewrites their section of BENCHMARKS.md
//! with the numbers, the command and the machine, so the file never shows numbers nobody ran.

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::process::Command;

const START: &str = "<!-- bench:register:start -->";
const END: &str = "<!-- bench:register:end -->";

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map(|k| k / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("PRETTY_NAME=")).map(|l| {
                l.trim_start_matches("PRETTY_NAME=")
                    .trim_matches('"')
                    .to_string()
            })
        })
        .unwrap_or_else(|| std::env::consts::OS.into());
    let rustc = crate::sys::output("rustc", &["--version"]).unwrap_or_default();
    format!(
        "{cpu}, {cores} cores, {mem_gib:.0} GiB RAM, {os}, {}",
        rustc.trim()
    )
}

fn date() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn find<'a>(results: &'a [Value], name: &str) -> Result<&'a Value> {
    results
        .iter()
        .find(|v| v["bench"] == name)
        .with_context(|| format!("benchmark {name} printed no result"))
}

fn ms(v: &Value, key: &str) -> String {
    format!("{:.2} ms", v[key].as_f64().unwrap_or(f64::NAN))
}

/// Runs the register benchmark and records it.
pub fn bench() -> Result<()> {
    crate::sys::check_toolchain()?;
    crate::sys::ensure_packages(&["gcc", "make", "perl", "pkg-config"])?;
    let cargo = crate::sys::cargo();
    let cmd = "cargo bench --locked -p bvte-core --bench register";
    println!("xtask: {cmd} (about a minute: it builds a commune of 100,000 children)");
    let out = Command::new(&cargo)
        .args([
            "bench",
            "--locked",
            "-p",
            "bvte-core",
            "--bench",
            "register",
        ])
        .current_dir(crate::root())
        .output()
        .context("cannot run cargo bench")?;
    if !out.status.success() {
        bail!(
            "benchmark failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let results: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    for r in &results {
        println!("{r}");
    }
    let search = find(&results, "search")?;
    let batch = find(&results, "insert_batch")?;
    let single = find(&results, "insert_single")?;
    let unlock = find(&results, "unlock")?;
    let list = find(&results, "list_filtered_page")?;
    let size = find(&results, "database_size")?;
    let p95 = search["p95_ms"].as_f64().unwrap_or(f64::NAN);
    let verdict = if p95 <= 10.0 {
        "within budget"
    } else {
        "OVER BUDGET"
    };
    let slowest: Vec<String> = search["slowest"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|q| {
                    format!(
                        "`{}` {:.2} ms",
                        q["query"].as_str().unwrap_or(""),
                        q["mean_ms"].as_f64().unwrap_or(0.0)
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let section = format!(
        "{START}\n\
         Command: `cargo xtask bench` (runs `{cmd}`), {date}.\n\
         Machine: {machine}.\n\n\
         | measurement | result | budget (design §8) |\n\
         |---|---|---|\n\
         | name search, {children} children, {queries} queries as typed, 50 results each | p50 {p50}, **p95 {p95s}**, max {max} | p95 ≤ 10 ms — {verdict} |\n\
         | insert, 500 children per transaction (demo/import path, validation included) | {batch_rate:.0} children/s | — |\n\
         | insert, one child per transaction (saving a form; synchronous=FULL) | {single_ms:.2} ms each ({single_rate:.0}/s) | — |\n\
         | filtered list page (group d, 100 rows) and its count | p50 {list50}, p95 {list95} | — |\n\
         | unlock (Argon2id 64 MiB × 3, open, schema check) | {unlock_ms} | — |\n\
         | database size with {children} children and their cases | {mb:.0} MB | — |\n\n\
         Slowest queries (mean): {slowest}.\n\
         {END}",
        date = date(),
        machine = machine(),
        children = search["children"],
        queries = search["queries"],
        p50 = ms(search, "p50_ms"),
        p95s = ms(search, "p95_ms"),
        max = ms(search, "max_ms"),
        batch_rate = batch["per_second"].as_f64().unwrap_or(0.0),
        single_ms = single["ms_each"].as_f64().unwrap_or(0.0),
        single_rate = single["per_second"].as_f64().unwrap_or(0.0),
        list50 = ms(list, "p50_ms"),
        list95 = ms(list, "p95_ms"),
        unlock_ms = ms(unlock, "ms"),
        mb = size["bytes"].as_f64().unwrap_or(0.0) / 1e6,
        slowest = slowest.join(", "),
    );
    let path = crate::root().join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&path).context("read BENCHMARKS.md")?;
    let (Some(a), Some(b)) = (text.find(START), text.find(END)) else {
        bail!("BENCHMARKS.md lacks the {START} … {END} markers");
    };
    let new = format!("{}{}{}", &text[..a], section, &text[b + END.len()..]);
    std::fs::write(&path, new).context("write BENCHMARKS.md")?;
    println!("\nxtask: BENCHMARKS.md updated ({verdict}: search p95 {p95:.2} ms)");
    Ok(())
}
