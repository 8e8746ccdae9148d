//! `cargo xtask bench report`: the commune report's budgets (issue 11), recorded in
//! BENCHMARKS.md between the `bench:report` markers; `cargo xtask bench area`: the area
//! report over 30 communes and a dashboard page, between the `bench:area` markers.

use crate::bench::{date, find, machine, run_bench, verdict, write_section};
use anyhow::Result;
use serde_json::Value;

const START: &str = "<!-- bench:report:start -->";
const END: &str = "<!-- bench:report:end -->";
const AREA_START: &str = "<!-- bench:area:start -->";
const AREA_END: &str = "<!-- bench:area:end -->";

fn row(r: &Value, what: &str) -> (String, bool) {
    let p95 = r["p95_ms"].as_f64().unwrap_or(f64::NAN);
    let budget = r["budget_ms"].as_f64().unwrap_or(f64::NAN);
    let ok = p95 <= budget;
    (
        format!(
            "| {what} | {:.1} ms | **{p95:.1} ms** | ≤ {budget:.0} ms — {} | {:.1} KB |\n",
            r["median_ms"].as_f64().unwrap_or(f64::NAN),
            verdict(ok),
            r["bytes"].as_f64().unwrap_or(f64::NAN) / 1024.0,
        ),
        ok,
    )
}

/// The commune report of this year for 5,000 children and 500 cases, as JSON, PDF and XLSX.
pub fn report() -> Result<()> {
    let cmd = "cargo bench --locked -p bvte-core --bench report";
    println!("xtask: {cmd} (builds a commune of 5,000 children and 500 cases first)");
    let results = run_bench(
        &["bench", "--locked", "-p", "bvte-core", "--bench", "report"],
        &[],
    )?;
    let json = find(&results, "report_json")?;
    let mut rows = String::new();
    let mut all_ok = true;
    for (name, what) in [
        (
            "report_json",
            "JSON (`bvte report --format json`, the Báo cáo screen)",
        ),
        ("report_pdf", "PDF (Decree 30 layout, charts)"),
        ("report_xlsx", "XLSX (one sheet per table)"),
    ] {
        let (line, ok) = row(find(&results, name)?, what);
        rows.push_str(&line);
        all_ok &= ok;
    }
    let section = format!(
        "{START}\n\
         Command: `cargo xtask bench` (runs `{cmd}`), {date}.\n\
         Machine: {machine}.\n\n\
         The report of 1 January to today for {children} children and {cases} cases, {runs} runs each, \
         reading the register from the encrypted database included.\n\n\
         | output | median | p95 | budget (issue 11) | size |\n\
         |---|---|---|---|---|\n\
         {rows}\n\
         {verdict}.\n\
         {END}",
        date = date(),
        machine = machine(),
        children = json["children"],
        cases = json["cases"],
        runs = json["runs"],
        verdict = if all_ok {
            "All within budget"
        } else {
            "Over budget"
        },
    );
    write_section(START, END, &section)?;
    println!("\nxtask: BENCHMARKS.md report section updated");
    Ok(())
}

/// The area report over 30 communes of 5,000 children each, and the dashboard's overview with
/// them, against the release `bvte-server`.
pub fn area() -> Result<()> {
    // The dashboard page is timed with curl.
    crate::sys::ensure_packages(&["curl"])?;
    crate::sys::step(
        "cargo build --release (server)",
        &crate::sys::cargo(),
        &["build", "--release", "--locked", "-p", "bvte-server"],
    )?;
    // `server_bin()` is the file next to this path.
    let bin = crate::target_dir().join("release").join("bvte-desktop");
    let cmd = "cargo bench --locked -p bvte-e2e --bench area";
    println!("xtask: {cmd} (30 communes of 5,000 children and 500 cases synced first)");
    let results = run_bench(
        &["bench", "--locked", "-p", "bvte-e2e", "--bench", "area"],
        &[("BVTE_DESKTOP_BIN", &bin.to_string_lossy())],
    )?;
    let report = find(&results, "area_report")?;
    let mut rows = String::new();
    let mut all_ok = true;
    for (name, what) in [
        (
            "area_report",
            "area report (`bvte-server report --format json`, a process reading the server's records)",
        ),
        (
            "dashboard_first_page",
            "the first dashboard overview after the 30 communes synced (the server read them ahead; curl over HTTPS on loopback, one run)",
        ),
        (
            "dashboard_page",
            "dashboard overview `GET /` for a signed-in supervisor (curl over HTTPS on loopback)",
        ),
        (
            "dashboard_page_after_sync",
            "dashboard overview right after a commune synced new records (that commune read again)",
        ),
    ] {
        let (line, ok) = row(find(&results, name)?, what);
        rows.push_str(&line);
        all_ok &= ok;
    }
    let section = format!(
        "{AREA_START}\n\
         Command: `cargo xtask bench area` (runs `{cmd}` against the release `bvte-server`), {date}.\n\
         Machine: {machine}.\n\n\
         {communes} communes, {children} children in all, each commune synced from its own encrypted \
         database; {runs} runs of the report.\n\n\
         | measurement | median | p95 | budget (issue 11) | size |\n\
         |---|---|---|---|---|\n\
         {rows}\n\
         {verdict}.\n\
         {AREA_END}",
        date = date(),
        machine = machine(),
        communes = report["communes"],
        children = report["children"],
        runs = report["runs"],
        verdict = if all_ok {
            "All within budget"
        } else {
            "Over budget"
        },
    );
    write_section(AREA_START, AREA_END, &section)?;
    println!("\nxtask: BENCHMARKS.md area section updated");
    Ok(())
}
