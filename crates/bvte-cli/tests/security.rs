//! The real `bvte` binary against the faults of issue 10 items 8, 9 and 11: the lock-out after
//! wrong passphrases holds on the command line too, every file holding the register is readable
//! by its owner only whatever the umask, and secrets need not be typed on the command line
//! (where `ps` and the shell history would keep them); a recovery code, once used, is replaced.

mod common;

use common::{Env, Out, child};
use std::path::Path;

const PASS: &str = "mật khẩu khóa an toàn";

/// Runs `bvte` under `umask 022` (the usual default, which makes new files 0644) with `pass` as
/// the passphrase, no inherited BVTE_* settings, `env` and `stdin`.
fn bvte_umask_022(args: &[&str], stdin: Option<&str>, pass: &str, env: &[(&str, &str)]) -> Out {
    use std::io::Write;
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "umask 022 && exec \"$@\"", "sh"])
        .arg(assert_cmd::cargo::cargo_bin("bvte"))
        .args(args)
        .env("BVTE_PASSPHRASE", pass)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for k in [
        "BVTE_DB",
        "BVTE_RECOVERY_CODE",
        "BVTE_LANG",
        "BVTE_OFFICER",
        "BVTE_FORMS_DIR",
        "BVTE_NEW_PASSPHRASE",
    ] {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut p = cmd.spawn().unwrap();
    let mut input = p.stdin.take().unwrap();
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    drop(input);
    let o = p.wait_with_output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// The permission bits of `path`.
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}

/// A database made by `bvte init` under umask 022; returns it with its recovery code.
fn init(dir: &Path) -> (std::path::PathBuf, String) {
    let db = dir.join("xa.db");
    let out = bvte_umask_022(
        &[
            "init",
            "--db",
            db.to_str().unwrap(),
            "--commune",
            "09955",
            "--json",
        ],
        None,
        PASS,
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let code = out.json()["recovery_code"].as_str().unwrap().to_string();
    (db, code)
}

#[test]
fn five_wrong_passphrases_make_the_sixth_attempt_wait_even_with_the_right_one() {
    let env = Env::new(PASS, None);
    assert!(
        env.ok(&["info", "--json"], None)["device_id"].is_string(),
        "the right passphrase opens at first"
    );
    for i in 1..=5 {
        let out = common::run(&["info", "--db", env.db()], None, "mật khẩu sai", &[]);
        assert_eq!(out.code, 5, "attempt {i}: {}", out.stderr);
        assert!(out.stderr.contains("Sai mật khẩu"), "{}", out.stderr);
    }
    let before = env.file_bytes();
    // The sixth attempt, with the right passphrase and a child to add: refused before opening.
    let out = env.run(
        &["child", "add", "--json", "-"],
        Some(&child("Nguyễn Thị Khóa", "01/02/2016").to_string()),
    );
    assert_eq!(
        out.code, 5,
        "exit 5 as for a wrong passphrase (docs/json.md): {}",
        out.stderr
    );
    let line = out.stderr.trim();
    assert_eq!(line.lines().count(), 1, "one line: {line}");
    assert!(
        line.starts_with("Lỗi: Đã nhập sai mật khẩu 5 lần liên tiếp"),
        "says why: {line}"
    );
    let wait: u32 = line
        .split("Hãy chờ ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("says how long to wait: {line}"));
    assert!(
        (1..=30).contains(&wait),
        "at most the first wait, 30 s: {line}"
    );
    assert!(line.contains("giây"), "in seconds: {line}");
    assert_eq!(out.json()["error"]["code"], "locked_out");
    assert_eq!(env.file_bytes(), before, "nothing was opened or written");
    // English too.
    let out = common::run(&["info", "--db", env.db(), "--lang", "en"], None, PASS, &[]);
    assert_eq!(out.code, 5);
    assert!(out.stderr.contains("wait"), "{}", out.stderr);
}

#[test]
fn during_the_lock_out_the_recovery_code_still_opens_and_nothing_secret_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let (db, code) = init(dir.path());
    let dbs = db.to_str().unwrap();
    for _ in 0..5 {
        let out = bvte_umask_022(&["info", "--db", dbs], None, "sai nữa rồi", &[]);
        assert_eq!(out.code, 5);
    }
    let attempts = with_suffix(&db, ".attempts");
    let text = std::fs::read_to_string(&attempts).expect("the failures are recorded");
    assert!(
        !text.contains("sai nữa rồi"),
        "never the passphrase: {text}"
    );
    let out = bvte_umask_022(&["export", "--db", dbs, "--json"], None, PASS, &[]);
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(out.stderr.contains("Hãy chờ"), "{}", out.stderr);
    // What the message offers works: 160 random bits need no lock-out.
    let out = bvte_umask_022(
        &["info", "--db", dbs],
        None,
        "",
        &[("BVTE_RECOVERY_CODE", &code)],
    );
    assert_eq!(out.code, 0, "the recovery code opens: {}", out.stderr);
    let out = bvte_umask_022(&["info", "--db", dbs], None, PASS, &[]);
    assert_eq!(out.code, 0, "and clears the count: {}", out.stderr);
}

#[test]
fn every_file_holding_the_register_is_owner_only_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = init(dir.path());
    let dbs = db.to_str().unwrap();
    assert_eq!(mode(&db), 0o600, "the database after init");
    assert_eq!(mode(&with_suffix(&db, ".keys")), 0o600, "its key file");
    // Writes, then a wrong passphrase (the attempts file).
    let out = bvte_umask_022(
        &["child", "add", "--db", dbs, "--json", "-"],
        Some(&child("Trần Văn Riêng", "03/04/2015").to_string()),
        PASS,
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(mode(&db), 0o600, "the database after a write");
    for suffix in ["-wal", "-shm"] {
        let f = with_suffix(&db, suffix);
        if f.exists() {
            assert_eq!(mode(&f), 0o600, "{suffix}");
        }
    }
    let out = bvte_umask_022(&["info", "--db", dbs], None, "sai mật khẩu", &[]);
    assert_eq!(out.code, 5);
    assert_eq!(mode(&with_suffix(&db, ".attempts")), 0o600);
    // A printed form and an export.
    let pdf = dir.path().join("mau-01.pdf");
    let out = bvte_umask_022(
        &[
            "print",
            "--db",
            dbs,
            "--blank",
            "--form",
            "01",
            "--out",
            pdf.to_str().unwrap(),
        ],
        None,
        PASS,
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(mode(&pdf), 0o600, "a printed form");
    let export = dir.path().join("xuat.json");
    let out = bvte_umask_022(
        &["export", "--db", dbs, "--out", export.to_str().unwrap()],
        None,
        PASS,
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(mode(&export), 0o600, "an export");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&export).unwrap()).unwrap();
    assert_eq!(doc["children"][0]["full_name"], "Trần Văn Riêng");
}

#[test]
fn files_left_readable_by_an_older_version_are_tightened_when_opened() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = init(dir.path());
    for f in [db.clone(), with_suffix(&db, ".keys")] {
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let out = bvte_umask_022(&["info", "--db", db.to_str().unwrap()], None, PASS, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&with_suffix(&db, ".keys")), 0o600);
}

#[test]
fn passwd_reads_the_recovery_code_from_stdin_and_issues_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let (db, old_code) = init(dir.path());
    let dbs = db.to_str().unwrap();
    let new_pass = [("BVTE_NEW_PASSPHRASE", "mật khẩu mới sau khi quên")];
    let out = bvte_umask_022(
        &["passwd", "--db", dbs, "--recovery-code", "-"],
        Some(&format!("{old_code}\n")),
        "",
        &new_pass,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !out.stderr.contains("Cảnh báo"),
        "no warning: the code was not on the command line: {}",
        out.stderr
    );
    let new_code = out
        .stdout
        .split_whitespace()
        .find(|w| w.len() == 39 && w.matches('-').count() == 7)
        .unwrap_or_else(|| panic!("shows the new recovery code: {}", out.stdout))
        .to_string();
    assert_ne!(new_code, old_code);
    assert!(
        out.stdout.contains("mã khôi phục cũ không còn dùng được"),
        "{}",
        out.stdout
    );
    assert_eq!(
        mode(&with_suffix(&db, ".keys")),
        0o600,
        "the rewritten key file"
    );
    // The new passphrase opens; the old code no longer does; the new one does.
    let out = bvte_umask_022(
        &["info", "--db", dbs],
        None,
        "mật khẩu mới sau khi quên",
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = bvte_umask_022(
        &["info", "--db", dbs],
        None,
        "",
        &[("BVTE_RECOVERY_CODE", &old_code)],
    );
    assert_eq!(out.code, 5, "the used code is refused: {}", out.stderr);
    let out = bvte_umask_022(
        &["info", "--db", dbs],
        None,
        "",
        &[("BVTE_RECOVERY_CODE", &new_code)],
    );
    assert_eq!(out.code, 0, "the new code opens: {}", out.stderr);
}

#[test]
fn a_secret_given_as_a_flag_still_works_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (db, code) = init(dir.path());
    let dbs = db.to_str().unwrap();
    let out = bvte_umask_022(
        &[
            "passwd",
            "--db",
            dbs,
            "--recovery-code",
            &code,
            "--new-passphrase",
            "mật khẩu mới qua cờ lệnh",
        ],
        None,
        "",
        &[],
    );
    assert_eq!(out.code, 0, "the flags keep working: {}", out.stderr);
    assert!(
        out.stderr.contains("Cảnh báo")
            && out.stderr.contains("--recovery-code")
            && out.stderr.contains("BVTE_RECOVERY_CODE")
            && out.stderr.contains("Warning"),
        "warns in Vietnamese and English and says what to use instead: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("--new-passphrase"),
        "the new passphrase too: {}",
        out.stderr
    );
    assert!(!out.stderr.contains(&code), "never repeats the secret");
    // From the environment: no warning.
    let out = bvte_umask_022(
        &["info", "--db", dbs],
        None,
        "mật khẩu mới qua cờ lệnh",
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("Cảnh báo"), "{}", out.stderr);
}
