//! `cargo xtask bench import`: the budgets of importing an officer's list and exporting the
//! children list (issue 12), recorded in BENCHMARKS.md between the `bench:import` markers.

use crate::bench::{date, find, machine, run_bench, verdict, write_section};
use anyhow::Result;
use serde_json::Value;

const START: &str = "<!-- bench:import:start -->";
const END: &str = "<!-- bench:import:end -->";

fn row(r: &Value, what: &str) -> (String, bool) {
    let p95 = r["p95_ms"].as_f64().unwrap_or(f64::NAN);
    let budget = r["budget_ms"].as_f64().unwrap_or(f64::NAN);
    let ok = p95 <= budget;
    (
        format!(
            "| {what} | {} | {:.0} ms | **{p95:.0} ms** | ≤ {budget:.0} ms — {} |\n",
            r["rows"],
            r["median_ms"].as_f64().unwrap_or(f64::NAN),
            verdict(ok),
        ),
        ok,
    )
}

/// A 5,000-row list previewed and imported; 10,000 children exported as .xlsx.
///
/// `BVTE_BENCH_PROFILE=dev` measures the dev profile instead (workspace crates unoptimised), on a
/// machine where a release build cannot be made; the section says so.
pub fn import() -> Result<()> {
    let dev = std::env::var("BVTE_BENCH_PROFILE").is_ok_and(|p| p == "dev");
    let mut args = vec!["bench", "--locked", "-p", "bvte-core", "--bench", "import"];
    if dev {
        args.extend(["--profile", "dev"]);
    }
    let cmd = format!("cargo {}", args.join(" "));
    println!("xtask: {cmd} (imports a 5,000-row list, exports 10,000 children)");
    let results = run_bench(&args, &[])?;
    let profile = if dev {
        " **Dev profile** (`BVTE_BENCH_PROFILE=dev`: the bvte crates unoptimised, dependencies at \
         opt-level 2), so these are upper bounds of a release build."
    } else {
        ""
    };
    let preview = find(&results, "import_preview")?;
    let mut rows = String::new();
    let mut all_ok = true;
    for (name, what) in [
        (
            "import_preview",
            "read, convert, validate, find duplicates (the preview, `--dry-run`)",
        ),
        ("import_write", "the same and the import in one batch"),
        (
            "children_xlsx",
            "children list as .xlsx (`child list --xlsx`)",
        ),
    ] {
        let (line, ok) = row(find(&results, name)?, what);
        rows.push_str(&line);
        all_ok &= ok;
    }
    let section = format!(
        "{START}\n\
         Command: `{xtask}` (runs `{cmd}`), {date}.\n\
         Machine: {machine}.\n\n\
         {runs} runs each, into an encrypted database.{profile}\n\n\
         | step | rows | median | p95 | budget (issue 12) |\n\
         |---|---|---|---|---|\n\
         {rows}\n\
         {verdict}.\n\
         {END}",
        xtask = if dev {
            "BVTE_BENCH_PROFILE=dev cargo xtask bench import"
        } else {
            "cargo xtask bench"
        },
        date = date(),
        machine = machine(),
        runs = preview["runs"],
        verdict = if all_ok {
            "All within budget"
        } else {
            "Over budget"
        },
    );
    write_section(START, END, &section)?;
    println!("\nxtask: BENCHMARKS.md import section updated");
    Ok(())
}
