//! The administration commands, as the district's IT officer runs them.

mod common;

use common::{Site, assert_refused_as_newer, last_line, run, stdout};

#[test]
fn init_prints_the_fingerprint_that_fingerprint_prints() {
    let site = Site::new();
    let fp = &site.fingerprint;
    assert_eq!(fp.len(), 64, "SHA-256 is 64 hex digits: {fp:?}");
    assert!(
        fp.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    let out = site.cli(&["fingerprint"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        format!("{fp}\n"),
        "the officer compares these two by eye"
    );
}

#[test]
fn the_key_file_is_readable_only_by_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::new();
    let mode = std::fs::metadata(site.data().join("key.pem"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o077,
        0,
        "the TLS private key must not be readable by others"
    );
}

#[test]
fn init_refuses_to_overwrite_an_existing_database() {
    let site = Site::new();
    // SQLite: the file must stay byte for byte; PostgreSQL: `init` finds the remembered URL.
    let db_file = site.data().join("server.db");
    let before = std::fs::read(&db_file).ok();
    let out = site.cli(&["init"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "existing data is bad input, not success"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("không ghi đè"),
        "says nothing was overwritten: {err}"
    );
    assert_eq!(std::fs::read(&db_file).ok(), before);
    let list = site.cli(&["commune", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(
        rows.as_array().map(Vec::len),
        Some(2),
        "the communes registered before are still there"
    );
    let fp = site.cli(&["fingerprint"]);
    assert_eq!(
        last_line(&fp),
        site.fingerprint,
        "the pinned certificate is unchanged"
    );
}

#[test]
fn communes_are_five_digit_codes_and_adding_twice_is_harmless() {
    let site = Site::new();
    assert_eq!(
        site.cli(&["commune", "add", "--code", "9955"])
            .status
            .code(),
        Some(3)
    );
    assert_eq!(
        site.cli(&["commune", "add", "--code", "0995x"])
            .status
            .code(),
        Some(3)
    );
    assert!(
        site.cli(&["commune", "add", "--code", common::A])
            .status
            .success()
    );
    let list = site.cli(&["commune", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let codes: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, [common::B, common::A], "each commune once, by code");
}

#[test]
fn enroll_codes_are_grouped_and_only_for_registered_communes() {
    let site = Site::new();
    let code = site.enroll_code(common::A);
    let groups: Vec<&str> = code.split('-').collect();
    assert_eq!(groups.len(), 3, "ABCD-EFGH-JKMN: {code}");
    assert!(groups.iter().all(|g| g.len() == 4));
    assert!(
        !code.contains(['I', 'L', 'O', 'U']),
        "no ambiguous letters: {code}"
    );

    let json = site.cli(&["enroll-code", "--commune", common::A, "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["code"].as_str().unwrap().len(), 14);
    assert!(
        chrono::DateTime::parse_from_rfc3339(doc["expires_at"].as_str().unwrap()).is_ok(),
        "expires_at is RFC 3339: {doc}"
    );

    let out = site.cli(&["enroll-code", "--commune", "12345"]);
    assert_eq!(out.status.code(), Some(4), "unknown commune is not found");
    assert!(String::from_utf8_lossy(&out.stderr).contains("commune add"));
}

#[test]
fn an_unreachable_postgres_is_one_clear_line_without_the_password() {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    let url = "postgres://bvte:mat-khau-bi-mat@127.0.0.1:1/bvte";
    let site = Site::new();
    for args in [
        &["commune", "list"][..],
        &["device", "list"][..],
        &["enroll-code", "--commune", common::A][..],
    ] {
        let mut all = args.to_vec();
        all.extend(["--database-url", url]);
        let out = site.cli(&all);
        assert_eq!(out.status.code(), Some(7), "a storage problem: {args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("PostgreSQL") && err.contains("127.0.0.1:1"),
            "says which server could not be reached: {err}"
        );
        assert!(
            !err.contains("mat-khau-bi-mat"),
            "never the password: {err}"
        );
        // One line, after the warning that a password was typed on the command line.
        let lines: Vec<&str> = err
            .lines()
            .filter(|l| !l.starts_with("Cảnh báo") && !l.starts_with("Warning"))
            .collect();
        assert_eq!(lines.len(), 1, "one line: {err}");
    }

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("new");
    let out = run(&[
        "init",
        "--data",
        data.to_str().unwrap(),
        "--database-url",
        url,
    ]);
    assert_eq!(out.status.code(), Some(7));
    assert!(!data.exists(), "a failed init leaves nothing behind");

    let out = site.cli(&[
        "commune",
        "list",
        "--database-url",
        "mysql://u:mat-khau@h/db",
    ]);
    assert_eq!(out.status.code(), Some(3), "an unknown scheme is bad input");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("postgres://") && !err.contains("mat-khau"),
        "{err}"
    );
}

#[test]
fn commands_on_a_missing_folder_say_to_run_init() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("none");
    let out = run(&["device", "list", "--data", data.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("init"));
    let out = run(&["device", "revoke", "--device", "not-a-uuid", "--data", "x"]);
    assert_eq!(out.status.code(), Some(2), "usage errors are clap's");
}

#[test]
fn a_database_from_a_newer_version_is_refused_not_damaged() {
    if common::skip_on_postgres("a_database_from_a_newer_version_is_refused_not_damaged") {
        return; // tests/postgres.rs has the same check for PostgreSQL
    }
    let site = Site::new();
    let db = site.data().join("server.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    assert_refused_as_newer(&site);
}

/// The permission bits of `path`.
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_data_folder_others_can_read_is_made_owner_only_when_the_server_starts() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::new();
    let data = site.data();
    assert_eq!(mode(&data), 0o700, "init makes it owner-only");
    // Someone (a copy, a restore, `chmod -R`) made it readable by every account.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let server = site.serve();
    assert_eq!(mode(&data), 0o700, "serve tightens it before listening");
    let log = server.log_text();
    assert!(
        log.contains("0755") && log.contains("0700"),
        "the log says what was changed: {log}"
    );
    drop(server);
    // `init` into a folder that already existed, readable by all: tightened too.
    let dir = tempfile::tempdir().unwrap();
    let loose = dir.path().join("srv");
    std::fs::create_dir(&loose).unwrap();
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = run(&["init", "--data", loose.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode(&loose), 0o700);
}

#[test]
fn the_database_url_comes_from_the_environment_and_a_password_on_the_command_line_warns() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = dir.path().join("elsewhere.db");
    let url = format!("sqlite://{}", db.display());
    let out = common::bin()
        .args(["init", "--data", data.to_str().unwrap()])
        .env("BVTE_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(db.is_file(), "the database is where the environment says");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("Cảnh báo"),
        "no warning from the environment: {err}"
    );
    let out = common::bin()
        .args(["commune", "add", "--code", common::A, "--data"])
        .arg(&data)
        .env("BVTE_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");

    // A password typed on the command line: still used, with a warning that never repeats it.
    let secret = "postgres://bvte:mat-khau-bi-mat@127.0.0.1:1/bvte";
    let out = run(&[
        "commune",
        "list",
        "--data",
        data.to_str().unwrap(),
        "--database-url",
        secret,
    ]);
    assert_eq!(out.status.code(), Some(7), "the flag is still used");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Cảnh báo")
            && err.contains("Warning")
            && err.contains("BVTE_DATABASE_URL")
            && err.contains("--database-url"),
        "warns in Vietnamese and English and says what to use instead: {err}"
    );
    assert!(
        !err.contains("mat-khau-bi-mat"),
        "never the password: {err}"
    );
}
