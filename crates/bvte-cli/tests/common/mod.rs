//! Running the real `bvte` binary in tests: a clean environment, a fresh database per test.
#![allow(dead_code, missing_docs)]

pub mod report;

use assert_cmd::Command;
use serde_json::{Value, json};
use std::path::PathBuf;

/// What a run printed and how it ended.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// Standard output as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim()).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }
}

/// Runs `bvte` with `pass` as the passphrase, no inherited BVTE_* settings, and `env`.
pub fn run(args: &[&str], stdin: Option<&str>, pass: &str, env: &[(&str, &str)]) -> Out {
    let mut cmd = Command::cargo_bin("bvte").unwrap();
    cmd.args(args).env("BVTE_PASSPHRASE", pass);
    for k in [
        "BVTE_DB",
        "BVTE_RECOVERY_CODE",
        "BVTE_LANG",
        "BVTE_OFFICER",
        "BVTE_FORMS_DIR",
        "BVTE_REPORTS_DIR",
        "BVTE_ACCOUNT",
        "BVTE_NEW_PASSPHRASE",
    ] {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(s) = stdin {
        cmd.write_stdin(s.as_bytes().to_vec());
    }
    let o = cmd.output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// A database made with `bvte init` in a temporary folder.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub pass: &'static str,
}

impl Env {
    /// A new commune database (09955) protected by `pass`, set up by `officer` if given.
    pub fn new(pass: &'static str, officer: Option<&str>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("xa.db");
        let mut args = vec![
            "init",
            "--db",
            db.to_str().unwrap(),
            "--commune",
            "09955",
            "--json",
        ];
        if let Some(o) = officer {
            args.extend(["--officer", o]);
        }
        let out = run(&args, None, pass, &[]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        Self { dir, db, pass }
    }

    /// The database path as text.
    pub fn db(&self) -> &str {
        self.db.to_str().unwrap()
    }

    /// Runs a command on this database.
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Out {
        let mut a = args.to_vec();
        a.extend(["--db", self.db()]);
        run(&a, stdin, self.pass, &[])
    }

    /// Runs a command that must succeed, returning its JSON output.
    pub fn ok(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let out = self.run(args, stdin);
        assert_eq!(out.code, 0, "bvte {args:?} failed: {}", out.stderr);
        serde_json::from_str(out.stdout.trim()).unwrap_or(Value::Null)
    }

    /// Adds a child, returning its id.
    pub fn add_child(&self, v: Value) -> String {
        let out = self.ok(&["child", "add", "--json", "-"], Some(&v.to_string()));
        out["id"].as_str().unwrap().to_string()
    }

    /// How many children are listed.
    pub fn count(&self) -> usize {
        self.ok(&["child", "list", "--json"], None)
            .as_array()
            .unwrap()
            .len()
    }

    /// The database file's bytes.
    pub fn file_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.db).unwrap()
    }

    /// A path in the test's folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// A minimal valid child.
pub fn child(name: &str, dob: &str) -> Value {
    json!({"full_name": name, "date_of_birth": dob, "sex": "female", "residence_status": "thuong_tru"})
}
