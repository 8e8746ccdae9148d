//! `bvte-server report`: figures from the records the server materialised on push (issue 11),
//! on SQLite and PostgreSQL. The comparison with the communes' own reports, through the real
//! `bvte` CLI, is in the end-to-end sync tests (`tests/e2e/sync_report.rs`).

mod common;

use bvte_protocol::{ChangeKind, Entity};
use common::{A, B, Site};
use serde_json::{Value, json};

fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap())
        .format("%d/%m/%Y")
        .to_string()
}

/// The report (JSON) of `commune` (the area's when `None`) from 1 January 2026 to today.
fn report(site: &Site, commune: Option<&str>) -> Value {
    let to = today();
    let mut args = vec!["report", "--from", "01/01/2026", "--to", to.as_str()];
    if let Some(c) = commune {
        args.extend(["--commune", c]);
    }
    let out = site.cli(&args);
    assert!(out.status.success(), "report failed: {out:?}");
    serde_json::from_slice(&out.stdout).expect("report JSON")
}

fn figures(r: &Value) -> (u64, u64, u64) {
    (
        r["children"]["total"].as_u64().unwrap(),
        r["cases"]["received"].as_u64().unwrap(),
        r["cases"]["by_stage"]["received"].as_u64().unwrap(),
    )
}

/// A child with a case and a step in A; a child deleted in A; one child moved from A to B.
fn push_records(site: &Site, server: &common::Server) {
    let mut a = server.device(site, A);
    let (kept, c1) = a.new_child(A);
    let (case, c2) = a.new_case(kept);
    let c3 = a.new_step(case);
    let (gone, c4) = a.new_child(A);
    let mut tomb = a.change(
        Entity::Child,
        gone,
        json!({"seen": {a.id.to_string(): c4.seq}, "reason": "Nhập trùng"}),
    );
    tomb.kind = ChangeKind::Tombstone;
    let (mover, c5) = a.new_child(A);
    let mut away = a.change(Entity::Child, mover, json!({"commune_code": B}));
    // Made after the record, having seen it (as the PC's clock orders its own changes).
    away.hlc.counter = c5.hlc.counter + 1;
    away.base_hlc.insert("commune_code".into(), c5.hlc);
    let answer = a.push(vec![c1, c2, c3, c4, tomb, c5, away]).unwrap();
    assert!(answer.refused.is_empty(), "{answer:?}");
}

#[test]
fn the_server_counts_each_communes_current_records() {
    let site = Site::new();
    let server = site.serve();
    push_records(&site, &server);
    // A: the child with its case (at its first stage); the deleted child and the one that left are not.
    assert_eq!(figures(&report(&site, Some(A))), (1, 1, 1));
    assert_eq!(
        figures(&report(&site, Some(B))),
        (1, 0, 0),
        "the child moved to B"
    );
    let area = report(&site, None);
    assert_eq!(figures(&area), (2, 1, 1), "the area: A and B together");
    assert_eq!(area["commune_code"], "");
}

/// Puts the site's database back to schema version 3 (before records were kept), keeping the
/// change log.
fn downgrade_to_version_3(site: &Site) {
    match &site.database {
        Some(db) => db
            .connect()
            .batch_execute(
                "DROP TABLE releases; DROP TABLE reporting_deadlines; ALTER TABLE enroll_codes DROP COLUMN revoked_at; ALTER TABLE devices DROP COLUMN last_sync;
                 DROP TABLE web_sessions; DROP TABLE users; DROP TABLE records;
                 UPDATE schema_version SET version = 3;",
            )
            .unwrap(),
        None => rusqlite::Connection::open(site.data().join("server.db"))
            .unwrap()
            .execute_batch(
                "DROP TABLE releases; DROP TABLE reporting_deadlines; ALTER TABLE enroll_codes DROP COLUMN revoked_at; ALTER TABLE devices DROP COLUMN last_sync;
                 DROP TABLE web_sessions; DROP TABLE users; DROP TABLE records;
                 PRAGMA user_version = 3;",
            )
            .unwrap(),
    }
}

#[test]
fn records_pushed_before_the_upgrade_are_counted_after_it() {
    let site = Site::new();
    {
        let server = site.serve();
        push_records(&site, &server);
        server.terminate();
    }
    let before = (report(&site, Some(A)), report(&site, Some(B)));
    downgrade_to_version_3(&site);
    // Any command opens the database and upgrades it.
    let after = (report(&site, Some(A)), report(&site, Some(B)));
    assert_eq!(figures(&after.0), (1, 1, 1));
    assert_eq!(figures(&after.0), figures(&before.0));
    assert_eq!(after.1["children"], before.1["children"]);
}

#[test]
fn a_wrong_period_or_commune_is_refused_and_nothing_is_written() {
    let site = Site::new();
    let out_file = site.data().join("bao-cao.json");
    let out = out_file.to_str().unwrap();
    let to = today();
    for (args, says) in [
        (
            vec!["--from", "31/03/2026", "--to", "01/03/2026"],
            "ngày kết thúc trước ngày bắt đầu",
        ),
        (
            vec!["--from", "01/01/2026", "--to", "01/01/2099"],
            "tương lai",
        ),
        (
            vec!["--from", "31/02/2026", "--to", to.as_str()],
            "không có thật",
        ),
        (
            vec![
                "--from",
                "01/01/2026",
                "--to",
                to.as_str(),
                "--commune",
                "00007",
            ],
            "không thuộc địa bàn",
        ),
    ] {
        let mut all = vec!["report", "--out", out];
        all.extend(args.iter().copied());
        let o = site.cli(&all);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?} must be refused");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!out_file.exists(), "{args:?}: nothing written");
    }
    let ok = site.cli(&["report", "--out", out, "--from", "01/01/2026", "--to", &to]);
    assert!(ok.status.success(), "{ok:?}");
    assert!(String::from_utf8_lossy(&ok.stdout).contains("toàn địa bàn"));
    assert!(out_file.exists());
}

#[test]
fn the_area_is_named_at_init_and_renamed_later() {
    let site = Site::new();
    let name = |site: &Site| common::stdout(&site.cli(&["area"])).trim().to_owned();
    assert!(name(&site).contains("Chưa đặt tên"), "{}", name(&site));
    // Typed decomposed (NFD), stored composed.
    let nfd = "Ti\u{0309}nh Ninh Bi\u{0300}nh";
    assert!(site.cli(&["area", nfd]).status.success());
    assert_eq!(name(&site), "Tỉnh Ninh Bình");
    let empty = site.cli(&["area", "  "]);
    assert!(!empty.status.success());
    assert_eq!(
        name(&site),
        "Tỉnh Ninh Bình",
        "an empty name changes nothing"
    );

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut args = vec![
        "init",
        "--area",
        "Cụm xã phía Bắc",
        "--data",
        data.to_str().unwrap(),
    ];
    let url = common::postgres_url().map(|u| common::TestDatabase::create(&u));
    if let Some(db) = &url {
        args.extend(["--database-url", db.url.as_str()]);
    }
    let out = common::run(&args);
    assert!(out.status.success(), "{out:?}");
    let shown = common::run(&["area", "--data", data.to_str().unwrap()]);
    assert_eq!(common::stdout(&shown).trim(), "Cụm xã phía Bắc");
}

#[test]
fn the_report_is_written_as_xlsx_and_pdf_files_but_not_to_the_screen() {
    let site = Site::new();
    let to = today();
    for (format, magic) in [("xlsx", &b"PK"[..]), ("pdf", &b"%PDF"[..])] {
        let screen = site.cli(&[
            "report",
            "--from",
            "01/01/2026",
            "--to",
            &to,
            "--format",
            format,
        ]);
        assert!(!screen.status.success(), "{format} to the screen");
        let err = String::from_utf8_lossy(&screen.stderr);
        assert!(err.contains("--out"), "{err}");
        let file = site.data().join(format!("bao-cao.{format}"));
        let out = file.to_str().unwrap();
        let ok = site.cli(&[
            "report",
            "--from",
            "01/01/2026",
            "--to",
            &to,
            "--format",
            format,
            "--out",
            out,
            "--commune",
            A,
        ]);
        assert!(ok.status.success(), "{ok:?}");
        let bytes = std::fs::read(&file).unwrap();
        assert!(bytes.starts_with(magic), "{format}");
    }
}
