//! Issue 14 with the real `bvte` binary: a backup, the PC wiped, a restore gives back the same
//! register (`bvte export`); a restore never replaces work silently nor another commune's
//! register; a folder of automatic backups keeps the last N; bad backups change nothing.

mod common;

use common::{Env, child, run};
use serde_json::Value;

const PASS: &str = "mật khẩu sao lưu";

fn export(env: &Env) -> Value {
    let mut v = env.ok(&["export", "--json"], None);
    // When the export was made is not part of the register.
    if let Some(o) = v.as_object_mut() {
        o.remove("exported_at");
    }
    v
}

#[test]
fn backup_wipe_restore_gives_back_the_same_register() {
    let env = Env::new(PASS, Some("Cán bộ Lan"));
    env.add_child(child("Nguyễn Văn Đức", "2015-05-05"));
    env.add_child(child("Trần Thị Hương", "2016-06-06"));
    let before = export(&env);
    let file = env.path("sao-luu.bvte-backup");
    let out = env.ok(&["backup", "--out", file.to_str().unwrap(), "--json"], None);
    assert_eq!(out["backup"]["commune_code"], "09955");
    assert_eq!(out["backup"]["unsent_changes"], 2);

    // The PC is wiped: the database and its key file are gone.
    std::fs::remove_file(&env.db).unwrap();
    std::fs::remove_file(env.path("xa.db.keys")).unwrap();
    let done = env.ok(
        &["restore", "--from", file.to_str().unwrap(), "--json"],
        None,
    );
    assert_eq!(done["children"], 2);
    assert!(done["kept"].is_null(), "nothing was replaced");
    assert_eq!(export(&env), before, "the same register, record for record");
}

#[test]
fn a_restore_over_work_says_what_would_be_lost_and_needs_yes() {
    let env = Env::new(PASS, None);
    env.add_child(child("Nguyễn Văn Đức", "2015-05-05"));
    let file = env.path("b.bvte-backup");
    env.ok(&["backup", "--out", file.to_str().unwrap()], None);
    env.add_child(child("Lê Văn Ba", "2017-07-07"));

    let out = env.run(&["restore", "--from", file.to_str().unwrap()], None);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stdout.contains("chưa gửi lên máy chủ"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("--yes"), "{}", out.stderr);
    assert_eq!(env.count(), 2, "nothing replaced");

    let done = env.ok(
        &[
            "restore",
            "--from",
            file.to_str().unwrap(),
            "--yes",
            "--json",
        ],
        None,
    );
    assert_eq!(done["children"], 1);
    assert_eq!(done["replaced"]["unsent_changes"], 2);
    let kept = done["kept"].as_str().unwrap();
    assert!(kept.contains("truoc-khoi-phuc"), "{kept}");
    let old = run(&["child", "list", "--json", "--db", kept], None, PASS, &[]);
    assert_eq!(
        old.json().as_array().unwrap().len(),
        2,
        "the old register is whole"
    );
    assert_eq!(env.count(), 1);
}

#[test]
fn another_communes_backup_and_bad_files_change_nothing() {
    let env = Env::new(PASS, None);
    env.add_child(child("Nguyễn Văn Đức", "2015-05-05"));
    let file = env.path("b.bvte-backup");
    env.ok(&["backup", "--out", file.to_str().unwrap()], None);

    // Another commune's database at the target.
    let other = env.path("khac.db");
    let init = run(
        &[
            "init",
            "--db",
            other.to_str().unwrap(),
            "--commune",
            "00004",
            "--json",
        ],
        None,
        PASS,
        &[],
    );
    assert_eq!(init.code, 0, "{}", init.stderr);
    let out = run(
        &[
            "restore",
            "--from",
            file.to_str().unwrap(),
            "--yes",
            "--db",
            other.to_str().unwrap(),
        ],
        None,
        PASS,
        &[],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("xã khác"), "{}", out.stderr);

    // The wrong passphrase, a truncated copy, a file that is no backup.
    let target = env.path("moi.db");
    let t = target.to_str().unwrap();
    let out = run(
        &["restore", "--from", file.to_str().unwrap(), "--db", t],
        None,
        "sai mật khẩu",
        &[],
    );
    assert_eq!(out.code, 5, "{}", out.stderr);
    let bytes = std::fs::read(&file).unwrap();
    let cut = env.path("cut.bvte-backup");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = run(
        &["restore", "--from", cut.to_str().unwrap(), "--db", t],
        None,
        PASS,
        &[],
    );
    assert_eq!(out.code, 7, "{}", out.stderr);
    assert!(out.stderr.contains("thiếu phần cuối"), "{}", out.stderr);
    let out = run(&["restore", "--from", env.db(), "--db", t], None, PASS, &[]);
    assert_eq!(out.code, 7, "{}", out.stderr);
    assert!(
        out.stderr.contains("không phải bản sao lưu"),
        "{}",
        out.stderr
    );
    assert!(!target.exists(), "nothing written");

    // A backup is never written over an existing file.
    let out = env.run(&["backup", "--out", file.to_str().unwrap()], None);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
}

#[test]
fn a_backup_folder_keeps_the_communes_last_backups() {
    let env = Env::new(PASS, None);
    env.add_child(child("Nguyễn Văn Đức", "2015-05-05"));
    let folder = env.path("usb");
    std::fs::create_dir(&folder).unwrap();
    // Somebody else's file in the folder is never touched.
    std::fs::write(folder.join("bao-cao.xlsx"), b"x").unwrap();
    let mut made = Vec::new();
    for _ in 0..3 {
        let out = env.ok(
            &[
                "backup",
                "--folder",
                folder.to_str().unwrap(),
                "--keep",
                "2",
                "--json",
            ],
            None,
        );
        made.push(out["file"].as_str().unwrap().to_string());
        // Names carry the second: wait for the next one.
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let mut left: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    left.sort();
    let mut expect = vec![folder.join("bao-cao.xlsx").to_string_lossy().into_owned()];
    expect.extend(made[1..].iter().cloned());
    expect.sort();
    assert_eq!(left, expect, "the oldest backup went, the newest two stay");
    assert!(made[0].contains("bvte-09955-"), "{}", made[0]);
}
