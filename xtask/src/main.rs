//! `cargo xtask run | test | bench`: the only entry points a newcomer needs.
//!
//! - `run`: installs what is missing (with apt, as root), builds, and starts the product. Until
//!   the desktop app lands this creates a demonstration commune and shows it through `bvte`.
//! - `test`: everything CI checks: formatting, clippy with warnings as errors, the dependency
//!   direction of the pure crates, and every test of the workspace.
//! - `bench`: the performance budgets of `design.md` §8, recorded in BENCHMARKS.md.

mod bench;
mod sys;

use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(),
        Some("test") => test(),
        Some("bench") => bench::bench(),
        _ => {
            eprintln!("usage: cargo xtask run | test | bench");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("xtask: {e:#}");
        std::process::exit(1);
    }
}

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
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

/// Crates that must stay pure, and what they must never depend on (design §2).
const PURE: &[&str] = &["bvte-domain", "bvte-protocol"];
const FORBIDDEN: &[&str] = &[
    "rusqlite",
    "libsqlite3-sys",
    "reqwest",
    "axum",
    "tokio",
    "tauri",
    "hyper",
];

fn test() -> Result<()> {
    sys::check_toolchain()?;
    sys::ensure_packages(BUILD_PACKAGES)?;
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
    sys::step("cargo test", &cargo, &["test", "--workspace", "--locked"])?;
    println!("\nxtask: all checks passed");
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
    sys::ensure_packages(BUILD_PACKAGES)?;
    let cargo = sys::cargo();
    sys::step(
        "cargo build",
        &cargo,
        &["build", "--locked", "-p", "bvte-cli"],
    )?;
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
