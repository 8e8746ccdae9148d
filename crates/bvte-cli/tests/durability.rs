//! Issue 14, durability: the real `bvte` process killed with SIGKILL in the middle of a burst of
//! writes (demonstration data, written transaction by transaction). Afterwards every page passes
//! SQLCipher's and SQLite's checks, and every child another process had already seen committed
//! (what the officer was told was saved) is still there.

mod common;

use common::Env;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PASS: &str = "mật khẩu bền vững";

fn children(env: &Env) -> Option<u64> {
    let out = env.run(&["info", "--json"], None);
    (out.code == 0).then(|| out.json()["children"].as_u64().unwrap_or(0))
}

#[cfg(unix)]
#[test]
fn a_process_killed_during_a_burst_of_writes_leaves_a_whole_database_with_every_committed_write() {
    let env = Env::new(PASS, Some("Cán bộ Lan"));
    let mut writer = Command::new(assert_cmd::cargo::cargo_bin("bvte"))
        .args([
            "demo",
            "--children",
            "200000",
            "--seed",
            "7",
            "--db",
            env.db(),
        ])
        .env("BVTE_PASSPHRASE", PASS)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until another process sees committed children, then kill the writer at once,
    // mid-burst.
    let start = Instant::now();
    let seen = loop {
        if let Some(n) = children(&env).filter(|n| *n >= 1000) {
            break n;
        }
        assert!(
            writer.try_wait().unwrap().is_none(),
            "the burst ended before it was interrupted"
        );
        assert!(start.elapsed() < Duration::from_secs(300), "no write seen");
        std::thread::sleep(Duration::from_millis(200));
    };
    writer.kill().unwrap(); // SIGKILL
    writer.wait().unwrap();

    let out = env.run(&["info", "--check", "--json"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let info = out.json();
    assert_eq!(info["integrity"], "ok", "{info}");
    let after = info["children"].as_u64().unwrap();
    assert!(
        after >= seen,
        "every child seen committed is still there: saw {seen}, found {after}"
    );
    // And the register goes on: a new child is added and counted.
    env.add_child(common::child("Nguyễn Văn Sau", "2015-05-05"));
    assert_eq!(children(&env), Some(after + 1));
}
