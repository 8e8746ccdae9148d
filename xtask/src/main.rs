//! `cargo xtask run | test | bench`: the only entry points a newcomer needs.
//!
//! - `run`: installs what is missing (with apt, as root), builds the UI and the app, and opens
//!   the desktop window; on a machine without a display it creates a demonstration commune and
//!   shows it through `bvte` instead.
//! - `test`: everything CI checks (`.ci/run` calls it): the UI's type check (no warnings), unit
//!   tests and build; formatting; clippy with warnings as errors; the dependency direction of the
//!   pure crates; every test of the workspace; the server's tests again on PostgreSQL; the
//!   generated TypeScript types up to date; the end-to-end tests of the real app under Xvfb.
//!   Then the packages of `dist`, from that debug build, installed and removed (as root).
//! - `bench`: the performance budgets, measured and recorded in BENCHMARKS.md.
//! - `dist [--release | --debug]`: the desktop app's .deb and .rpm and the server's .deb, in
//!   `target/dist/` (release by default).
//! - `fixture`: the upgrade fixture of this version (an encrypted register made by `bvte`).

mod bench;
mod bench_import;
mod bench_packages;
mod bench_report;
mod dist;
mod fixture;
mod package_check;
mod postgres;
mod server_deb;
mod sys;
mod ui;

use anyhow::{Result, bail};
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(),
        Some("test") => test(),
        Some("bench") => bench::bench(&args[1..]),
        Some("dist") => dist::dist(&args[1..]),
        Some("fixture") => fixture::fixture(),
        _ => {
            eprintln!(
                "usage: cargo xtask run | test | dist [--release | --debug] | bench [{}]…",
                bench::SECTIONS.join(" | ")
            );
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("xtask: {e:#}");
        std::process::exit(1);
    }
}

/// The repository root. Read when run (cargo sets `CARGO_MANIFEST_DIR` for `cargo run` and
/// `cargo test`) before the path compiled in: a target directory shared by two checkouts can
/// hand one checkout a binary built in the other, with the other's path inside.
pub fn root() -> PathBuf {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    dir.parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

/// The cargo target directory.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// Debian packages the build and the tests need.
const BUILD_PACKAGES: &[&str] = &["gcc", "make", "perl", "pkg-config"];
/// Debian packages the desktop app and its end-to-end tests need.
const DESKTOP_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "fonts-noto-core",
    "fonts-liberation2",
    // pdftotext, pdftoppm, pdffonts: the form tests read back the PDFs they print.
    "poppler-utils",
    // The sync tests run PCs whose clock is a year off under libfaketime.
    "faketime",
    // xwininfo: the installed package's window is looked for on the Xvfb screen.
    "x11-utils",
];

/// Debian packages the server's tests on PostgreSQL need, the browser the area dashboard's
/// end-to-end test drives (headless; Debian's chromium and its driver always match), and curl,
/// which a server test and the area bench send the dashboard's forms with.
const SERVER_PACKAGES: &[&str] = &["postgresql", "chromium", "chromium-driver", "curl"];

/// Crates that must stay pure, and what they must never depend on (README, Layout).
const PURE: &[&str] = &[
    "bvte-domain",
    "bvte-protocol",
    "bvte-report",
    "bvte-sheet",
    "bvte-import",
    "bvte-update",
];
const FORBIDDEN: &[&str] = &[
    "rusqlite",
    "libsqlite3-sys",
    "reqwest",
    "axum",
    "tokio",
    "tauri",
    "hyper",
];

/// Where ts-rs writes the TypeScript types of the desktop IPC (see .cargo/config.toml).
const BINDINGS: &str = "ui/src/lib/types/gen";

fn test() -> Result<()> {
    sys::check_toolchain()?;
    let packages: Vec<&str> = BUILD_PACKAGES
        .iter()
        .chain(DESKTOP_PACKAGES)
        .chain(SERVER_PACKAGES)
        .chain(dist::DIST_PACKAGES)
        .copied()
        .collect();
    sys::ensure_packages(&packages)?;
    sys::ensure_tauri_driver()?;
    ui::check_and_build()?;
    let cargo = sys::cargo();
    sys::step(
        "cargo fmt --check",
        &cargo,
        &["fmt", "--all", "--", "--check"],
    )?;
    sys::step(
        "cargo clippy",
        &cargo,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    check_pure_crates(&cargo)?;
    // One build of every target (the apps and the test harnesses) with the features that
    // `cargo test` unifies, so the apps under test are not compiled twice.
    sys::step(
        "cargo build (everything the tests run)",
        &cargo,
        dist::TEST_BUILD,
    )?;
    sys::step(
        "cargo test",
        &cargo,
        &["test", "--workspace", "--exclude", "bvte-e2e", "--locked"],
    )?;
    // The server's suite again, every test on its own fresh PostgreSQL database: the test
    // programs the step above built, run again (`cargo test -p bvte-server` would compile
    // dependencies a second time with the server's smaller feature set).
    let database_url = postgres::ensure("BVTE_TEST_DATABASE_URL")?;
    for exe in test_executables(&cargo, "bvte-server")? {
        let exe = exe.to_string_lossy();
        sys::step_env(
            "bvte-server tests on PostgreSQL",
            &exe,
            &[],
            &[("BVTE_TEST_DATABASE_URL", &database_url)],
        )?;
    }
    check_bindings()?;
    let bin = target_dir().join("debug").join("bvte-desktop");
    sys::step_env(
        "end-to-end tests (real app, Xvfb, WebDriver)",
        &cargo,
        &[
            "test",
            "--locked",
            "-p",
            "bvte-e2e",
            "--",
            "--test-threads=1",
        ],
        &[("BVTE_DESKTOP_BIN", &bin.to_string_lossy())],
    )?;
    // The packages of this very build (nothing compiled again), installed as an office would.
    let started = std::time::Instant::now();
    let packages = dist::package(dist::Profile::Debug)?;
    let packaged = started.elapsed();
    package_check::check(&packages)?;
    println!(
        "xtask: packages made in {:.0} s, installed and removed in {:.0} s",
        packaged.as_secs_f64(),
        (started.elapsed() - packaged).as_secs_f64()
    );
    println!("\nxtask: all checks passed");
    Ok(())
}

/// The test programs of `package` as the workspace's `cargo test` builds them (nothing is
/// compiled when that step ran before).
fn test_executables(cargo: &str, package: &str) -> Result<Vec<PathBuf>> {
    let out = sys::output(
        cargo,
        &[
            "test",
            "--workspace",
            "--exclude",
            "bvte-e2e",
            "--locked",
            "--no-run",
            "--message-format=json",
        ],
    )?;
    let exes: Vec<PathBuf> = out
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["profile"]["test"] == true)
        .filter(|m| {
            m["target"]["src_path"]
                .as_str()
                .is_some_and(|p| p.contains(&format!("/crates/{package}/")))
        })
        .filter_map(|m| m["executable"].as_str().map(PathBuf::from))
        .collect();
    if exes.is_empty() {
        bail!("no test program of {package} was found in `cargo test --no-run`'s output");
    }
    Ok(exes)
}

/// The TypeScript types are regenerated by `cargo test`; a difference from what is committed
/// means the UI was built against stale types.
fn check_bindings() -> Result<()> {
    if !root().join(".git").exists() {
        println!("xtask: not a git checkout; skipping the stale-bindings check");
        return Ok(());
    }
    let out = sys::output("git", &["status", "--porcelain", "--", BINDINGS])?;
    if !out.trim().is_empty() {
        bail!(
            "the TypeScript types in {BINDINGS} were stale and have been regenerated; commit them:\n{out}"
        );
    }
    println!("xtask: TypeScript bindings are up to date");
    Ok(())
}

fn check_pure_crates(cargo: &str) -> Result<()> {
    for krate in PURE {
        let out = sys::output(
            cargo,
            &[
                "tree", "--locked", "-p", krate, "-e", "normal", "--prefix", "none",
            ],
        )?;
        let bad: Vec<&str> = FORBIDDEN
            .iter()
            .copied()
            .filter(|f| out.lines().any(|l| l.split_whitespace().next() == Some(*f)))
            .collect();
        if !bad.is_empty() {
            bail!("{krate} must stay pure but depends on {}", bad.join(", "));
        }
    }
    println!(
        "xtask: dependency direction ok ({} stay free of I/O crates)",
        PURE.join(", ")
    );
    Ok(())
}

/// Demo passphrase, printed to the user: demonstration data only.
const DEMO_PASSPHRASE: &str = "bvte-demo-2026";

fn run() -> Result<()> {
    sys::check_toolchain()?;
    let packages: Vec<&str> = BUILD_PACKAGES
        .iter()
        .chain(DESKTOP_PACKAGES)
        .copied()
        .collect();
    sys::ensure_packages(&packages)?;
    ui::build()?;
    let cargo = sys::cargo();
    sys::step(
        "cargo build",
        &cargo,
        &["build", "--locked", "-p", "bvte-desktop", "-p", "bvte-cli"],
    )?;
    let has_display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if has_display {
        let app = target_dir().join("debug").join("bvte-desktop");
        println!(
            "\nxtask: starting {} (the first launch opens the set-up wizard)",
            app.display()
        );
        return sys::step("bvte-desktop", &app.to_string_lossy(), &[]);
    }
    println!("\nxtask: no graphical display here; showing BVTE through its command line instead.");
    cli_demo()
}

/// Without a display: a demonstration commune shown through the CLI.
fn cli_demo() -> Result<()> {
    let bvte = target_dir().join("debug").join("bvte");
    let db = target_dir().join("demo").join("bvte-demo.db");
    let env = [
        ("BVTE_PASSPHRASE", DEMO_PASSPHRASE),
        ("BVTE_OFFICER", "Cán bộ Demo"),
    ];
    let db_s = db.to_string_lossy().to_string();
    if !db.exists() {
        sys::step_env(
            "bvte demo (1,000 children)",
            &bvte.to_string_lossy(),
            &["demo", "--db", &db_s, "--children", "1000", "--seed", "1"],
            &env,
        )?;
    }
    sys::step_env(
        "bvte info",
        &bvte.to_string_lossy(),
        &["info", "--db", &db_s],
        &env,
    )?;
    sys::step_env(
        "bvte case list",
        &bvte.to_string_lossy(),
        &["case", "list", "--db", &db_s],
        &env,
    )?;
    println!(
        "\nBVTE is ready with a demonstration commune (passphrase: {DEMO_PASSPHRASE}). Try:\n\n  \
         export BVTE_PASSPHRASE={DEMO_PASSPHRASE}\n  \
         {bvte} child search --db {db_s} \"nguyen thi\"\n  \
         {bvte} --help\n",
        bvte = bvte.display()
    );
    Ok(())
}
