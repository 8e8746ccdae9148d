//! `cargo xtask fixture`: the upgrade fixture (issue 13, "Safe upgrades"): a small encrypted
//! register made by this version's `bvte`, with a known passphrase, committed under
//! `crates/bvte-store/tests/fixtures/upgrade/<version>/`. The store's test `upgrade_fixture`
//! opens every committed one with the current code and finds every record, so a migration that
//! loses or garbles data fails there. See that folder's README: each release keeps its own.

use crate::sys;
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// The passphrase of every fixture (test data only; the README says so too).
pub const PASSPHRASE: &str = "bvte-fixture-2026";

/// Children of the fixture: names with every kind of Vietnamese mark.
const CHILDREN: &[(&str, &str, &str)] = &[
    ("Nguyễn Thị Ánh Tuyết", "2014-03-15", "female"),
    ("Trần Văn Đức", "2016-08-02", "male"),
    ("Hoàng Thị Ngọc Hà", "2019-12-30", "female"),
    ("Lò Văn Thắng", "2011-05-09", "male"),
];

/// `cargo xtask fixture`.
pub fn fixture() -> Result<()> {
    sys::step(
        "cargo build (bvte)",
        &sys::cargo(),
        &["build", "--locked", "-p", "bvte-cli"],
    )?;
    let bvte = crate::target_dir().join("debug").join("bvte");
    let dir = crate::root()
        .join("crates/bvte-store/tests/fixtures/upgrade")
        .join(env!("CARGO_PKG_VERSION"));
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("bvte.db");
    for suffix in ["", ".keys", "-wal", "-shm", ".attempts"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let run = |args: &[&str], stdin: Option<&Value>| -> Result<Value> {
        let mut child = Command::new(&bvte)
            .args(args)
            .arg("--db")
            .arg(&db)
            .env("BVTE_PASSPHRASE", PASSPHRASE)
            .env("BVTE_OFFICER", "Cán bộ Kiểm thử")
            .env("BVTE_LANG", "vi")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", bvte.display()))?;
        if let Some(v) = stdin {
            child
                .stdin
                .take()
                .expect("piped")
                .write_all(v.to_string().as_bytes())?;
        }
        drop(child.stdin.take());
        let out = child.wait_with_output()?;
        if !out.status.success() {
            bail!(
                "bvte {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(serde_json::from_slice(&out.stdout).unwrap_or(Value::Null))
    };
    run(&["init", "--commune", "09955"], None)?;
    let mut ids = Vec::new();
    for (name, born, sex) in CHILDREN {
        let v = run(
            &["child", "add", "--json", "-"],
            Some(
                &json!({"full_name": name, "date_of_birth": born, "sex": sex,
                "residence_status": "thuong_tru", "village": "Thôn Đồng Tâm"}),
            ),
        )?;
        ids.push(
            v["id"]
                .as_str()
                .context("child add printed no id")?
                .to_string(),
        );
    }
    let case = run(
        &["case", "open", "--json", "-"],
        Some(
            &json!({"child_id": ids[0], "received_at": "2026-11-20T08:00:00+07:00",
            "category": "abused", "abuse_forms": ["violence"], "environment": "family",
            "channel": "hotline_111",
            "reporter": {"full_name": "Người Báo Tin Kín", "phone": "0912345678", "address": ""},
            "intake": {"child_condition": "Có vết bầm ở tay"}}),
        ),
    )?;
    let case = case["id"].as_str().context("case open printed no id")?;
    for step in [
        json!({"step": "initial_assessment", "data": {"serious_risk": true, "conclusion": "Nguy cơ cao"}}),
        json!({"step": "emergency_measures", "data": {"measures": ["police_intervention"]}}),
        json!({"step": "detailed_assessment", "data": {"condition": "Ổn định", "plan_needed": true}}),
    ] {
        run(&["case", "step", case, "--json", "-"], Some(&step))?;
    }
    // One file per database: the journal folded in, so git holds the whole register.
    let info = run(&["info", "--json"], None)?;
    let facts = json!({
        "bvte_version": env!("CARGO_PKG_VERSION"),
        "schema_version": info["schema_version"],
        "passphrase": PASSPHRASE,
        "made_by": "cargo xtask fixture",
    });
    std::fs::write(
        dir.join("fixture.json"),
        serde_json::to_string_pretty(&facts)? + "\n",
    )?;
    println!(
        "xtask: fixture written in {} (schema {}): {} children, one case with 4 steps; passphrase {PASSPHRASE}",
        dir.display(),
        info["schema_version"],
        CHILDREN.len()
    );
    leftovers(&dir)
}

/// Fails when the database left journal files beside it (they would be lost to git).
fn leftovers(dir: &Path) -> Result<()> {
    for e in std::fs::read_dir(dir)?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with("-wal") || name.ends_with("-shm") {
            bail!("{name} was left beside the fixture: the database was not closed cleanly");
        }
    }
    Ok(())
}
