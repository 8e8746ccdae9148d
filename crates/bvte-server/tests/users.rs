//! `bvte-server user add | list | remove`: the area dashboard's accounts, on SQLite and
//! PostgreSQL. Sign-in, sessions and CSRF are tested through the router (`src/web/tests.rs`)
//! and in a real browser (`tests/e2e/dashboard.rs`).

mod common;

use common::Site;
use std::io::Write;
use std::process::{Output, Stdio};

/// `bvte-server ARGS --data DIR` with `stdin` typed in and extra environment variables.
fn with_input(site: &Site, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let data = site.data();
    let mut cmd = common::bin();
    cmd.args(args)
        .arg("--data")
        .arg(&data)
        .env_remove("BVTE_DATABASE_URL")
        .env_remove("BVTE_USER_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn accounts_are_added_listed_and_removed() {
    let site = Site::new();
    let add = [
        "user",
        "add",
        "--name",
        "Nguyễn Thị Hoa",
        "--role",
        "supervisor",
    ];
    let short = with_input(&site, &add, "ngắn\n", &[]);
    assert!(!short.status.success());
    let err = String::from_utf8_lossy(&short.stderr);
    assert!(
        err.contains("Mật khẩu quá ngắn") && err.contains("12"),
        "{err}"
    );

    let ok = with_input(&site, &add, "một câu mật khẩu dài\n", &[]);
    assert!(ok.status.success(), "{ok:?}");
    let admin = ["user", "add", "--name", "quan.tri", "--role", "admin"];
    let env = with_input(
        &site,
        &admin,
        "",
        &[("BVTE_USER_PASSWORD", "mật khẩu từ biến môi trường")],
    );
    assert!(env.status.success(), "{env:?}");
    let again = with_input(&site, &add, "một câu mật khẩu dài\n", &[]);
    assert!(!again.status.success(), "a name is taken once");
    assert!(String::from_utf8_lossy(&again.stderr).contains("Đã có tài khoản"));

    let list = site.cli(&["user", "list", "--json"]);
    assert!(list.status.success(), "{list:?}");
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let users: Vec<(&str, &str)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["name"].as_str().unwrap(), u["role"].as_str().unwrap()))
        .collect();
    assert_eq!(
        users,
        [("Nguyễn Thị Hoa", "supervisor"), ("quan.tri", "admin")]
    );
    let text = String::from_utf8_lossy(&list.stdout).into_owned();
    assert!(!text.contains("argon2"), "no hash is ever printed: {text}");

    let gone = site.cli(&["user", "remove", "--name", "quan.tri"]);
    assert!(gone.status.success(), "{gone:?}");
    let missing = site.cli(&["user", "remove", "--name", "quan.tri"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("Không có tài khoản"));
    let human = site.cli(&["user", "list"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("Nguyễn Thị Hoa") && !text.contains("quan.tri"),
        "{text}"
    );
}

/// `curl` against the served dashboard (self-signed certificate) with a cookie jar; returns
/// its output.
fn curl(jar: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new("curl")
        .args(["-sS", "-k", "-c"])
        .arg(jar)
        .arg("-b")
        .arg(jar)
        .args(args)
        .output()
        .expect("curl (Debian's curl package) runs");
    assert!(out.status.success(), "curl {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// An administrator makes an enrollment code in the browser: the page shows it, the server's
/// log names the route and nothing else, so the code is never written anywhere.
#[test]
fn an_enrollment_code_made_on_the_dashboard_is_never_logged() {
    let site = Site::new();
    let password = "mật khẩu quản trị khu vực";
    let add = with_input(
        &site,
        &["user", "add", "--name", "quan.tri", "--role", "admin"],
        "",
        &[("BVTE_USER_PASSWORD", password)],
    );
    assert!(add.status.success(), "{add:?}");
    let server = site.serve();
    let jar = site.data().join("..").join("cookies.txt");
    let origin = format!("Origin: {}", server.url);
    let signed = curl(
        &jar,
        &[
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-H",
            &origin,
            "--data-urlencode",
            "name=quan.tri",
            "--data-urlencode",
            &format!("password={password}"),
            &format!("{}/sign-in", server.url),
        ],
    );
    assert_eq!(signed, "303");
    let page = curl(&jar, &[&format!("{}/admin/codes", server.url)]);
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let made = curl(
        &jar,
        &[
            "-H",
            &origin,
            "--data-urlencode",
            &format!("csrf={csrf}"),
            "--data-urlencode",
            &format!("commune={}", common::A),
            "--data-urlencode",
            "valid_days=7",
            &format!("{}/admin/codes", server.url),
        ],
    );
    let code = made
        .split("id=\"one-time-code\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("the code is shown")
        .to_owned();
    assert_eq!(code.len(), 14, "{code}");
    let log = server.log_text();
    assert!(log.contains("POST /admin/codes 200"), "{log}");
    for form in [code.clone(), code.replace('-', "")] {
        assert!(!log.contains(&form), "the code is in the log: {log}");
    }
    let again = curl(&jar, &[&format!("{}/admin/codes", server.url)]);
    assert!(!again.contains(&code), "shown once");
}
