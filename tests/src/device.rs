//! A commune installation driven through the real `bvte` CLI: its own encrypted database,
//! enrolled with a real server, synced on demand.

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The passphrase every test device uses.
pub const PASSPHRASE: &str = "mật khẩu thử 123";

/// A case as compared between devices: id, stage, number of steps.
pub type CaseKey = (String, String, usize);

/// A register as compared between devices: children (without local write times) and cases.
pub type Register = (Vec<Value>, Vec<CaseKey>);

/// One installation.
pub struct Device {
    /// Its database file.
    pub db: PathBuf,
    /// The PC's clock, as an offset from the real one (`+365d`, `-1y`…): the CLI then runs
    /// under libfaketime (Debian `faketime`), so the process really reads that time.
    pub clock: Option<String>,
}

impl Device {
    /// `bvte init` for a commune in `dir/name.db`.
    pub fn init(dir: &Path, name: &str, commune: &str) -> Result<Device> {
        let d = Device {
            db: dir.join(format!("{name}.db")),
            clock: None,
        };
        d.ok(&["init", "--commune", commune], None)?;
        d.ok(&["--officer", name, "info"], None)?;
        Ok(d)
    }

    /// Runs `bvte ARGS --db DB`, whatever the outcome.
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Result<Output> {
        let mut cmd = match &self.clock {
            None => Command::new(crate::cli_bin()),
            Some(offset) => {
                let mut c = Command::new("faketime");
                c.args(["-f", offset]).arg(crate::cli_bin());
                c
            }
        };
        let mut child = cmd
            .args(args)
            .arg("--db")
            .arg(&self.db)
            .env("BVTE_PASSPHRASE", PASSPHRASE)
            .env("BVTE_OFFICER", self.name())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot start bvte")?;
        if let Some(s) = stdin {
            child.stdin.take().expect("piped").write_all(s.as_bytes())?;
        }
        Ok(child.wait_with_output()?)
    }

    /// Runs and requires success; returns stdout.
    pub fn ok(&self, args: &[&str], stdin: Option<&str>) -> Result<String> {
        let out = self.run(args, stdin)?;
        if !out.status.success() {
            bail!(
                "bvte {args:?} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Runs with `--json` and parses the answer.
    pub fn json(&self, args: &[&str], stdin: Option<&str>) -> Result<Value> {
        let out = self.ok(args, stdin)?;
        serde_json::from_str(out.trim()).with_context(|| format!("not JSON: {out}"))
    }

    fn name(&self) -> String {
        self.db
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Enrolls with a server (or a proxy in front of it).
    pub fn enroll(&self, url: &str, code: &str, fingerprint: &str) -> Result<Value> {
        self.json(
            &[
                "enroll",
                "--server",
                url,
                "--code",
                code,
                "--fingerprint",
                fingerprint,
                "--name",
                &self.name(),
                "--json",
            ],
            None,
        )
    }

    /// One `bvte sync --json`; the failure's stderr when it fails.
    pub fn sync(&self) -> std::result::Result<Value, String> {
        let out = self
            .run(&["sync", "--json"], None)
            .map_err(|e| e.to_string())?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if out.status.success() {
            serde_json::from_str(stdout.trim()).map_err(|e| format!("{e}: {stdout}"))
        } else {
            Err(format!(
                "exit {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    /// Adds a child; returns its id.
    pub fn add_child(&self, name: &str) -> Result<String> {
        let doc = serde_json::json!({
            "full_name": name, "date_of_birth": "2016-03-08", "sex": "male",
            "residence_status": "thuong_tru", "village": "Thôn Đông"
        });
        let v = self.json(&["child", "add", "--json", "-"], Some(&doc.to_string()))?;
        Ok(v["id"]
            .as_str()
            .ok_or_else(|| anyhow!("no id: {v}"))?
            .to_string())
    }

    /// Renames a child made by [`Device::add_child`] (the record is replaced with the same
    /// fields and the new name; the village is kept as stored).
    pub fn rename_child(&self, id: &str, name: &str) -> Result<()> {
        let shown = self.json(&["child", "show", id, "--json"], None)?;
        let village = shown["village"].as_str().unwrap_or("Thôn Đông");
        let doc = serde_json::json!({
            "full_name": name, "date_of_birth": "2016-03-08", "sex": "male",
            "residence_status": "thuong_tru", "village": village
        });
        self.ok(
            &["child", "update", id, "--json", "-"],
            Some(&doc.to_string()),
        )?;
        Ok(())
    }

    /// Deletes a child's record.
    pub fn delete_child(&self, id: &str, reason: &str) -> Result<()> {
        self.ok(&["child", "delete", id, "--reason", reason], None)?;
        Ok(())
    }

    /// The ids of the deleted children, sorted.
    pub fn deleted(&self) -> Result<Vec<String>> {
        let v = self.json(&["child", "deleted", "--json"], None)?;
        let mut ids: Vec<String> = v
            .as_array()
            .ok_or_else(|| anyhow!("not a list: {v}"))?
            .iter()
            .filter_map(|d| d["id"].as_str().map(str::to_string))
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// The register as comparable data: children without the local write times, cases by id
    /// with their stage and steps.
    pub fn register(&self) -> Result<Register> {
        let v = self.json(&["export", "--json"], None)?;
        let mut children: Vec<Value> = v["children"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|mut c| {
                if let Some(o) = c.as_object_mut() {
                    o.remove("created_at");
                    o.remove("updated_at");
                }
                c
            })
            .collect();
        children.sort_by_key(|c| c["id"].as_str().unwrap_or_default().to_string());
        let mut cases: Vec<CaseKey> = v["cases"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap_or_default().to_string(),
                    c["stage"].as_str().unwrap_or_default().to_string(),
                    c["steps"].as_array().map(Vec::len).unwrap_or(0),
                )
            })
            .collect();
        cases.sort();
        Ok((children, cases))
    }
}
