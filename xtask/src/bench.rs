//! `cargo xtask bench`: runs the benchmark binaries and rewrites their section of BENCHMARKS.md
//! with the numbers, the command and the machine, so the file never shows numbers nobody ran.

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::process::Command;

const START: &str = "<!-- bench:register:start -->";
const END: &str = "<!-- bench:register:end -->";
const DESKTOP_START: &str = "<!-- bench:desktop:start -->";
const DESKTOP_END: &str = "<!-- bench:desktop:end -->";

pub(crate) fn machine() -> String {
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

pub(crate) fn date() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

pub(crate) fn find<'a>(results: &'a [Value], name: &str) -> Result<&'a Value> {
    results
        .iter()
        .find(|v| v["bench"] == name)
        .with_context(|| format!("benchmark {name} printed no result"))
}

fn ms(v: &Value, key: &str) -> String {
    format!("{:.2} ms", v[key].as_f64().unwrap_or(f64::NAN))
}

/// The sections of BENCHMARKS.md, in the order they run.
pub const SECTIONS: &[&str] = &[
    "register", "forms", "report", "area", "import", "desktop", "sync", "packages",
];

/// Runs the named sections (all when `only` is empty) and records each in BENCHMARKS.md.
pub fn bench(only: &[String]) -> Result<()> {
    crate::sys::check_toolchain()?;
    crate::sys::ensure_packages(&["gcc", "make", "perl", "pkg-config"])?;
    if let Some(unknown) = only.iter().find(|s| !SECTIONS.contains(&s.as_str())) {
        bail!(
            "unknown benchmark section {unknown:?}; choose from {}",
            SECTIONS.join(", ")
        );
    }
    let wanted = |s: &str| only.is_empty() || only.iter().any(|o| o == s);
    if wanted("register") {
        register()?;
    }
    if wanted("forms") {
        forms()?;
    }
    if wanted("report") {
        crate::bench_report::report()?;
    }
    if wanted("area") {
        crate::bench_report::area()?;
    }
    if wanted("import") {
        crate::bench_import::import()?;
    }
    if wanted("desktop") {
        desktop()?;
    }
    if wanted("sync") {
        sync()?;
    }
    if wanted("packages") {
        crate::bench_packages::packages()?;
    }
    Ok(())
}

/// Search and insert over 100,000 children.
fn register() -> Result<()> {
    let cmd = "cargo bench --locked -p bvte-core --bench register";
    println!("xtask: {cmd} (about a minute: it builds a commune of 100,000 children)");
    let results = run_bench(
        &[
            "bench",
            "--locked",
            "-p",
            "bvte-core",
            "--bench",
            "register",
        ],
        &[],
    )?;
    let search = find(&results, "search")?;
    let batch = find(&results, "insert_batch")?;
    let single = find(&results, "insert_single")?;
    let unlock = find(&results, "unlock")?;
    let list = find(&results, "list_filtered_page")?;
    let size = find(&results, "database_size")?;
    let backup = find(&results, "backup")?;
    let restore = find(&results, "restore")?;
    let backup_secs = backup["seconds"].as_f64().unwrap_or(f64::NAN);
    let p95 = search["p95_ms"].as_f64().unwrap_or(f64::NAN);
    let verdict = verdict(p95 <= 10.0);
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
         | database size with {children} children and their cases | {mb:.0} MB | — |\n\
         | backup of that database (one file, {backup_mb:.0} MB) while searches go on | {backup_secs:.1} s; meanwhile {searches} searches, p95 {during95}, max {during_max} | ≤ 10 s, window answering (issue 14) — {backup_verdict} |\n\
         | restore of that backup (checksum, page authentication, integrity) | {restore_secs:.1} s | — |\n\n\
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
        backup_mb = backup["bytes"].as_f64().unwrap_or(0.0) / 1e6,
        searches = backup["searches_during"],
        during95 = ms(backup, "search_p95_during_ms"),
        during_max = ms(backup, "search_max_during_ms"),
        backup_verdict = self::verdict(backup_secs <= 10.0),
        restore_secs = restore["seconds"].as_f64().unwrap_or(f64::NAN),
    );
    write_section(START, END, &section)?;
    println!("\nxtask: BENCHMARKS.md updated ({verdict}: search p95 {p95:.2} ms)");
    Ok(())
}

/// Replaces the text between two markers of BENCHMARKS.md (markers included in `section`).
pub(crate) fn write_section(start: &str, end: &str, section: &str) -> Result<()> {
    let path = crate::root().join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&path).context("read BENCHMARKS.md")?;
    let (Some(a), Some(b)) = (text.find(start), text.find(end)) else {
        bail!("BENCHMARKS.md lacks the {start} … {end} markers");
    };
    let new = format!("{}{}{}", &text[..a], section, &text[b + end.len()..]);
    std::fs::write(&path, new).context("write BENCHMARKS.md")
}

/// Runs a bench target and returns the JSON objects it printed.
pub(crate) fn run_bench(args: &[&str], env: &[(&str, &str)]) -> Result<Vec<Value>> {
    let out = Command::new(crate::sys::cargo())
        .args(args)
        .envs(env.iter().copied())
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
    Ok(results)
}

/// The desktop budgets: the real app in Xvfb through WebDriver with 10,000 children.
fn desktop() -> Result<()> {
    crate::ui::build()?;
    // Measured as officers run it: the release build.
    crate::sys::step(
        "cargo build --release (desktop app and CLI)",
        &crate::sys::cargo(),
        &[
            "build",
            "--release",
            "--locked",
            "-p",
            "bvte-desktop",
            "-p",
            "bvte-cli",
        ],
    )?;
    let bin = crate::target_dir().join("release").join("bvte-desktop");
    let cmd = "cargo bench --locked -p bvte-e2e --bench desktop";
    println!("xtask: {cmd} (the real app with 10,000 children)");
    let results = run_bench(
        &["bench", "--locked", "-p", "bvte-e2e", "--bench", "desktop"],
        &[("BVTE_DESKTOP_BIN", &bin.to_string_lossy())],
    )?;
    let launch = find(&results, "window_usable")?;
    let search = find(&results, "search_as_you_type")?;
    let memory = find(&results, "resident_memory")?;
    let floor = find(&results, "memory_at_unlock")?;
    let by_process = |v: &Value| {
        v["by_process"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .map(|p| {
                        format!(
                            "{} {:.0} MB",
                            p[0].as_str().unwrap_or("?"),
                            p[1].as_f64().unwrap_or(f64::NAN)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    let section = format!(
        "{DESKTOP_START}\n\
         Command: `cargo xtask bench` (runs `{cmd}` on the release build), {date}.\n\
         Machine: {machine}; Xvfb 1280×800, WebKitGTK through tauri-driver.\n\n\
         | measurement | result | budget (design §8) |\n\
         |---|---|---|\n\
         | launch to a usable window (WebDriver session request → unlock screen ready), {runs} runs | median {l50:.0} ms, max {lmax:.0} ms | ≤ 1 s — {lv} |\n\
         | search as you type, {children} children, {queries} queries (input event of the last key → next frame with the new first page, measured in the page) | p50 {s50:.0} ms, max {smax:.0} ms | ≤ 100 ms — {sv} |\n\
         | memory of the app and its WebKit processes ({procs} processes) after scrolling the list of {children}: proportional set size (a page shared by several processes counted once) | {pss:.0} MB (summed resident set sizes, shared libraries counted in every process: {rss:.0} MB) | ≤ 320 MB — {mv} |\n\
         | the same, at the unlock screen before anything is read from the register (the floor of WebKitGTK and the app) | {fpss:.0} MB | — |\n\
         | what BVTE adds above that floor (after scrolling − at the unlock screen) | {added:.0} MB | ≤ 80 MB — {av} |\n\
         | the app's own process (`bvte-desktop`) after scrolling | {own:.0} MB | ≤ 150 MB — {ov} |\n\n\
         By process after scrolling: {procs_after}. At the unlock screen: {procs_floor}.\n\
         {DESKTOP_END}",
        date = date(),
        machine = machine(),
        runs = launch["runs"],
        l50 = n(launch, "median_ms"),
        lmax = n(launch, "max_ms"),
        lv = verdict(n(launch, "median_ms") <= 1000.0),
        children = search["children"],
        queries = search["queries"],
        s50 = n(search, "p50_ms"),
        smax = n(search, "max_ms"),
        sv = verdict(n(search, "p50_ms") <= 100.0),
        procs = memory["processes"],
        rss = n(memory, "rss_mb"),
        pss = n(memory, "pss_mb"),
        mv = verdict(n(memory, "pss_mb") <= 320.0),
        added = n(memory, "pss_mb") - n(floor, "pss_mb"),
        av = verdict(n(memory, "pss_mb") - n(floor, "pss_mb") <= 80.0),
        own = own_process(memory),
        ov = verdict(own_process(memory) <= 150.0),
        fpss = n(floor, "pss_mb"),
        procs_after = by_process(memory),
        procs_floor = by_process(floor),
    );
    write_section(DESKTOP_START, DESKTOP_END, &section)?;
    println!("\nxtask: BENCHMARKS.md desktop section updated");
    Ok(())
}

/// The proportional set size of the app's own process (`bvte-desktop`) in a memory reading;
/// NaN when it is missing (then the verdict is "over budget", never a silent pass).
fn own_process(v: &Value) -> f64 {
    v["by_process"]
        .as_array()
        .and_then(|ps| {
            ps.iter()
                .find(|p| p[0].as_str().is_some_and(|n| n.starts_with("bvte-desktop")))
        })
        .and_then(|p| p[1].as_f64())
        .unwrap_or(f64::NAN)
}

const FORMS_START: &str = "<!-- bench:forms:start -->";
const FORMS_END: &str = "<!-- bench:forms:end -->";

/// Forms to PDF, and LibreOffice converting a comparable DOCX in the same run.
fn forms() -> Result<()> {
    crate::sys::ensure_packages(&["libreoffice-writer"])?;
    let cmd = "cargo bench --locked -p bvte-forms --bench forms";
    println!("xtask: {cmd}");
    let results = run_bench(
        &["bench", "--locked", "-p", "bvte-forms", "--bench", "forms"],
        &[],
    )?;
    let mut rows = String::new();
    let mut worst_ms: f64 = 0.0;
    let mut worst_kb: f64 = 0.0;
    for r in results.iter().filter(|r| r["bench"] == "form_render") {
        let ms = r["p95_ms"].as_f64().unwrap_or(f64::NAN);
        let kb = r["bytes"].as_f64().unwrap_or(f64::NAN) / 1024.0;
        worst_ms = worst_ms.max(ms);
        worst_kb = worst_kb.max(kb);
        rows.push_str(&format!(
            "| Mẫu {} {} | {:.2} ms | {ms:.2} ms | {kb:.1} KB | {} |\n",
            r["form"].as_str().unwrap_or("?"),
            r["variant"].as_str().unwrap_or("?"),
            r["median_ms"].as_f64().unwrap_or(f64::NAN),
            r["pages"],
        ));
    }
    let lo = find(&results, "libreoffice_docx_to_pdf")?;
    let lo_line = match lo["skipped"].as_str() {
        Some(why) => format!("LibreOffice: not measured ({why})."),
        None => format!(
            "The everyday alternative, LibreOffice ({}) converting a comparable one-page Mẫu 01 DOCX to PDF in the same run: first conversion {:.0} ms, then median {:.0} ms, p95 {:.0} ms, {:.1} KB.",
            lo["version"].as_str().unwrap_or(""),
            lo["first_ms"].as_f64().unwrap_or(f64::NAN),
            lo["median_ms"].as_f64().unwrap_or(f64::NAN),
            lo["p95_ms"].as_f64().unwrap_or(f64::NAN),
            lo["bytes"].as_f64().unwrap_or(f64::NAN) / 1024.0,
        ),
    };
    let verdict = verdict(worst_ms <= 20.0 && worst_kb <= 100.0);
    let section = format!(
        "{FORMS_START}\n\
         Command: `cargo xtask bench` (runs `{cmd}`), {date}.\n\
         Machine: {machine}.\n\n\
         | form | median | p95 (budget ≤ 20 ms) | size (budget ≤ 100 KB) | pages |\n\
         |---|---|---|---|---|\n\
         {rows}\n\
         Worst p95 {worst_ms:.2} ms, largest {worst_kb:.1} KB — {verdict}. {lo_line}\n\
         {FORMS_END}",
        date = date(),
        machine = machine(),
    );
    write_section(FORMS_START, FORMS_END, &section)?;
    println!("\nxtask: BENCHMARKS.md forms section updated ({verdict})");
    Ok(())
}

const SYNC_START: &str = "<!-- bench:sync:start -->";
const SYNC_END: &str = "<!-- bench:sync:end -->";

/// Sync: first and empty syncs against the real server, the server under load, and copying the
/// database file as the naive alternative.
fn sync() -> Result<()> {
    crate::sys::step(
        "cargo build --release (server)",
        &crate::sys::cargo(),
        &["build", "--release", "--locked", "-p", "bvte-server"],
    )?;
    let bin = crate::target_dir().join("release").join("bvte-desktop");
    // The same server load on PostgreSQL, in a database made afresh for this run.
    let postgres = crate::postgres::ensure("BVTE_BENCH_DATABASE_URL")?;
    let bench_db = crate::postgres::fresh_database(&postgres, "bvte_bench")?;
    let cmd = "cargo bench --locked -p bvte-e2e --bench sync";
    println!(
        "xtask: {cmd} (a commune of 5,000 children and 500 cases, then 10 s of load on SQLite and 10 s on PostgreSQL)"
    );
    let results = run_bench(
        &["bench", "--locked", "-p", "bvte-e2e", "--bench", "sync"],
        &[
            ("BVTE_DESKTOP_BIN", &bin.to_string_lossy()),
            ("BVTE_BENCH_DATABASE_URL", &bench_db),
        ],
    )?;
    let push = find(&results, "initial_push")?;
    let first = find(&results, "first_sync")?;
    let empty = find(&results, "empty_sync")?;
    let copy = find(&results, "copy_database")?;
    let server_push = |backend: &str| {
        results
            .iter()
            .find(|v| v["bench"] == "server_push" && v["backend"] == backend)
            .with_context(|| format!("benchmark server_push on {backend} printed no result"))
    };
    let load = server_push("sqlite")?;
    let pg = server_push("postgres")?;
    let pg_version =
        crate::sys::output("psql", &[postgres.as_str(), "-tAqc", "SHOW server_version"])
            .map(|v| v.split_whitespace().next().unwrap_or("").to_string())
            .unwrap_or_default();
    let mb = |b: f64| b / 1e6;
    let first_bytes = n(first, "bytes_received") + n(first, "bytes_sent");
    let section = format!(
        "{SYNC_START}\n\
         Command: `cargo xtask bench` (runs `{cmd}` against the release `bvte-server`), {date}.\n\
         Machine: {machine}; server and devices on loopback, HTTPS (rustls), gzip.\n\n\
         | measurement | result | budget (design §8) |\n\
         |---|---|---|\n\
         | first sync onto a new device: {children} children, {cases} cases ({changes} changes) | {fs:.2} s, {fmb:.2} MB on the wire | ≤ 5 s — {fv}; ≤ 2 MB — {bv} |\n\
         | incremental sync with nothing to do, {runs} runs | p50 {e50:.1} ms, p95 {e95:.1} ms | ≤ 50 ms — {ev} |\n\
         | server: pushes of 10 changes from {threads} devices at once (SQLite), {reqs} requests | {rate:.0} pushes/s, p50 {l50:.1} ms, p99 {l99:.1} ms | ≥ 500/s, p99 ≤ 50 ms — {lv} |\n\
         | server on PostgreSQL {pg_version} (same machine, TCP loopback): pushes of 10 changes from {pg_threads} devices at once, {pg_reqs} requests | {pg_rate:.0} pushes/s, p50 {pg50:.1} ms, p99 {pg99:.1} ms | same budget — {pgv} |\n\
         | the office PC's first push of the same commune | {ps:.2} s, {pmb:.2} MB sent | — |\n\
         | naive alternative: copy the whole database file over loopback | {cs:.2} s, {cmb:.2} MB (cannot merge two devices' work, needs the key file too) | — |\n\
         {SYNC_END}",
        date = date(),
        machine = machine(),
        children = first["children"],
        cases = first["cases"],
        changes = first["changes"],
        fs = n(first, "seconds"),
        fmb = mb(first_bytes),
        fv = verdict(n(first, "seconds") <= 5.0),
        bv = verdict(mb(first_bytes) <= 2.0),
        runs = empty["runs"],
        e50 = n(empty, "p50_ms"),
        e95 = n(empty, "p95_ms"),
        ev = verdict(n(empty, "p50_ms") <= 50.0),
        threads = load["threads"],
        reqs = load["requests"],
        rate = n(load, "per_second"),
        l50 = n(load, "p50_ms"),
        l99 = n(load, "p99_ms"),
        lv = verdict(n(load, "per_second") >= 500.0 && n(load, "p99_ms") <= 50.0),
        pg_threads = pg["threads"],
        pg_reqs = pg["requests"],
        pg_rate = n(pg, "per_second"),
        pg50 = n(pg, "p50_ms"),
        pg99 = n(pg, "p99_ms"),
        pgv = verdict(n(pg, "per_second") >= 500.0 && n(pg, "p99_ms") <= 50.0),
        ps = n(push, "seconds"),
        pmb = mb(n(push, "bytes_sent")),
        cs = n(copy, "seconds"),
        cmb = mb(n(copy, "bytes")),
    );
    write_section(SYNC_START, SYNC_END, &section)?;
    println!("\nxtask: BENCHMARKS.md sync section updated");
    Ok(())
}

/// How BENCHMARKS.md says whether a figure meets its budget.
pub(crate) fn verdict(ok: bool) -> &'static str {
    if ok { "within budget" } else { "OVER BUDGET" }
}

/// A number of a bench result (NaN when missing, so a missing figure never passes a budget).
fn n(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or(f64::NAN)
}
