//! PostgreSQL only (skipped without `BVTE_TEST_DATABASE_URL`): the schema version guard, the
//! remembered URL, and the one-line errors that never show the password. Everything else runs
//! on PostgreSQL through the common suite.

mod common;

use common::{
    Site, TestDatabase, assert_refused_as_newer, postgres_url, run, skip_without_postgres, stdout,
    with_database,
};
use std::os::unix::fs::PermissionsExt;

#[test]
fn a_newer_postgres_schema_version_is_refused_not_damaged() {
    if skip_without_postgres("a_newer_postgres_schema_version_is_refused_not_damaged") {
        return;
    }
    let site = Site::new();
    let db = site.database.as_ref().unwrap();
    db.connect()
        .batch_execute("UPDATE schema_version SET version = 99")
        .unwrap();
    assert_refused_as_newer(&site);
    let version: i64 = db
        .connect()
        .query_one("SELECT version FROM schema_version", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 99, "the newer schema is left as it was");
}

#[test]
fn init_remembers_the_url_privately_and_an_explicit_url_wins() {
    let Some(admin) = postgres_url() else {
        skip_without_postgres("init_remembers_the_url_privately_and_an_explicit_url_wins");
        return;
    };
    let db = TestDatabase::create(&admin);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_s = data.to_str().unwrap();
    let out = run(&["init", "--data", data_s, "--database-url", db.url.as_str()]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        !data.join("server.db").exists(),
        "no SQLite file beside PostgreSQL"
    );
    let settings = data.join("server.toml");
    let mode = std::fs::metadata(&settings).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "server.toml may hold a password");
    assert!(
        std::fs::read_to_string(&settings)
            .unwrap()
            .contains(&db.url)
    );

    let out = run(&["commune", "add", "--code", common::A, "--data", data_s]);
    assert!(
        out.status.success(),
        "later commands use the remembered URL: {out:?}"
    );
    let count: i64 = db
        .connect()
        .query_one("SELECT count(*) FROM communes", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 1, "the commune went to PostgreSQL");

    let out = run(&[
        "commune",
        "list",
        "--data",
        data_s,
        "--database-url",
        "postgres://bvte:x@127.0.0.1:1/bvte",
    ]);
    assert_eq!(
        out.status.code(),
        Some(7),
        "an explicit --database-url wins"
    );

    let out = run(&["init", "--data", data_s, "--database-url", db.url.as_str()]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "an initialised database is kept"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("không ghi đè"));
    let list = run(&["commune", "list", "--data", data_s]);
    assert_eq!(
        stdout(&list).lines().count(),
        1,
        "the commune is still there"
    );
}

#[test]
fn a_wrong_password_or_a_missing_database_is_one_line_without_the_password() {
    let Some(admin) = postgres_url() else {
        skip_without_postgres(
            "a_wrong_password_or_a_missing_database_is_one_line_without_the_password",
        );
        return;
    };
    let config: postgres::Config = admin.parse().unwrap();
    let Some(postgres::config::Host::Tcp(host)) = config.get_hosts().first() else {
        eprintln!("note: BVTE_TEST_DATABASE_URL is not over TCP; skipped");
        return;
    };
    let user = config.get_user().unwrap();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let site = Site::new();
    let wrong = format!("postgres://{user}:sai-mat-khau-9@{host}:{port}/postgres");
    let missing = with_database(&admin, "bvte_khong_co");
    for (url, says) in [(&wrong, "mật khẩu"), (&missing, "createdb")] {
        // From the environment, as the README says: typed as --database-url, the password
        // would also bring a warning line.
        let out = common::bin()
            .args(["device", "list", "--data"])
            .arg(site.data())
            .env("BVTE_DATABASE_URL", url.as_str())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(7), "a storage problem");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "says what to check: {err}");
        assert!(!err.contains("sai-mat-khau-9"), "never the password: {err}");
        if let Some(p) = config.get_password() {
            let p = String::from_utf8_lossy(p);
            assert!(
                !err.contains(&format!(":{p}@")),
                "never the password: {err}"
            );
        }
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    }
}
