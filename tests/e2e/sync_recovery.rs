//! Issues 10 and 14 across real processes: a PC restored from an older backup (`bvte backup`,
//! `bvte restore`), a server restored from an older backup, a PC whose copy predates its
//! enrollment, a change the server refuses, and a change no PC of this version can apply. After each, nothing is lost, nothing
//! is doubled, and every PC ends with the same register.

use super::{XA, XA_KHAC, children, synced};
use anyhow::{Context, Result};
use bvte_client::Client;
use bvte_e2e::device::Device;
use bvte_e2e::server::Server;
use bvte_protocol::api::{EnrollRequest, PushRequest};
use bvte_protocol::{Change, ChangeKind, Entity, FORMAT, Hlc};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The files of an installation: the database and its key file.
fn files(db: &Path) -> [PathBuf; 2] {
    let mut keys = db.as_os_str().to_owned();
    keys.push(".keys");
    [db.to_path_buf(), PathBuf::from(keys)]
}

/// Copies the database files of `from` (a closed database: every `bvte` run has ended) to
/// `to`, as a backup or a restore would, leaving no journal of the replaced one behind.
fn copy_db(from: &Path, to: &Path) -> Result<()> {
    for (f, t) in files(from).iter().zip(files(to)) {
        std::fs::copy(f, &t).with_context(|| format!("copy {}", f.display()))?;
    }
    for suffix in ["-wal", "-shm"] {
        let mut j = to.as_os_str().to_owned();
        j.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(j));
    }
    Ok(())
}

/// Copies the server's database files (`server.db` and its journal, as they are after the
/// server stopped) from folder `from` to folder `to`, replacing what `to` had.
fn copy_server_db(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for name in ["server.db", "server.db-wal", "server.db-shm"] {
        let (f, t) = (from.join(name), to.join(name));
        if f.exists() {
            std::fs::copy(&f, &t).with_context(|| format!("copy {}", f.display()))?;
        } else {
            let _ = std::fs::remove_file(&t);
        }
    }
    Ok(())
}

/// The children's names, sorted (what an officer compares).
fn names(d: &Device) -> Vec<String> {
    let mut v: Vec<String> = d
        .register()
        .expect("export")
        .0
        .iter()
        .map(|c| c["full_name"].as_str().unwrap_or_default().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn a_pc_restored_from_an_older_copy_gets_its_own_later_work_back_and_loses_nothing() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::init(dir.path(), &[XA])?;
    server.start()?;
    let (url, fp) = (server.url(), server.fingerprint.clone());
    let a = Device::init(dir.path(), "may-van-phong", XA)?;
    let b = Device::init(dir.path(), "may-xach-tay", XA)?;
    a.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    b.enroll(&url, &server.enroll_code(XA)?, &fp)?;

    let mot = a.add_child("Nguyễn Văn Một")?;
    synced(&a);
    // The office's backup, as `bvte backup` makes it (issue 14).
    let backup = dir.path().join("sao-luu.bvte-backup");
    a.ok(&["backup", "--out", backup.to_str().unwrap()], None)?;

    // After the backup: more work, sent to the server.
    a.add_child("Trần Thị Hai")?;
    a.rename_child(&mot, "Nguyễn Văn Một Mới")?;
    synced(&a);

    // The disk fails; the office restores last week's backup and goes on working.
    a.ok(
        &["restore", "--from", backup.to_str().unwrap(), "--yes"],
        None,
    )?;
    assert_eq!(names(&a), ["Nguyễn Văn Một"], "the backup is older");
    a.add_child("Lê Văn Ba")?;
    let r = synced(&a);
    assert_eq!(r["pending"], 0, "everything reached the server: {r}");
    assert!(
        r["recovered"].as_u64() >= Some(2),
        "its own later work came back: {r}"
    );
    assert_eq!(
        r["renumbered"], 1,
        "the new child got a number the server had not used: {r}"
    );
    synced(&b);
    let want = ["Lê Văn Ba", "Nguyễn Văn Một Mới", "Trần Thị Hai"];
    assert_eq!(names(&a), want, "nothing lost on the restored PC");
    assert_eq!(names(&b), want, "the other PC has it all, once");
    assert_eq!(a.register()?, b.register()?);

    // And what it records next reaches the other PC.
    a.add_child("Phạm Thị Bốn")?;
    let r = synced(&a);
    assert_eq!(
        (r["pushed"].as_u64(), r["pending"].as_u64()),
        (Some(1), Some(0))
    );
    synced(&b);
    assert_eq!(children(&b), 4);
    assert_eq!(a.register()?, b.register()?);
    Ok(())
}

#[test]
fn a_server_restored_from_an_older_backup_is_read_again_and_given_back_what_it_lost() -> Result<()>
{
    let dir = tempfile::tempdir()?;
    let mut server = Server::init(dir.path(), &[XA])?;
    server.start()?;
    let (url, fp) = (server.url(), server.fingerprint.clone());
    let a = Device::init(dir.path(), "a", XA)?;
    let b = Device::init(dir.path(), "b", XA)?;
    a.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    b.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    a.add_child("Nguyễn Văn Một")?;
    synced(&a);
    synced(&b);

    // IT takes a backup of the server's database files (stopped), then work goes on.
    server.kill9()?;
    let backup = dir.path().join("server-backup");
    copy_server_db(server.data(), &backup)?;
    server.start()?;
    a.add_child("Trần Thị Hai")?;
    synced(&a);
    synced(&b);

    // The server's disk fails; IT restores the backup at the same address.
    server.kill9()?;
    copy_server_db(&backup, server.data())?;
    server.start()?;

    // B works first: its change takes the number under which the server had given A's.
    b.add_child("Lê Văn Ba")?;
    let rb = synced(&b);
    assert_eq!(
        rb["reread"], true,
        "B notices the server lost what it had read: {rb}"
    );
    let ra = synced(&a);
    assert_eq!(ra["pushed"], 1, "A sends again what the server lost: {ra}");
    assert_eq!(ra["reread"], true, "{ra}");
    synced(&b);
    let want = ["Lê Văn Ba", "Nguyễn Văn Một", "Trần Thị Hai"];
    assert_eq!(
        names(&a),
        want,
        "A misses nothing recorded after the restore"
    );
    assert_eq!(names(&b), want);
    assert_eq!(a.register()?, b.register()?);
    Ok(())
}

#[test]
fn a_pc_whose_copy_predates_its_enrollment_enrolls_again_under_a_new_identity() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::init(dir.path(), &[XA])?;
    server.start()?;
    let (url, fp) = (server.url(), server.fingerprint.clone());
    let a = Device::init(dir.path(), "a", XA)?;
    let b = Device::init(dir.path(), "b", XA)?;
    b.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    a.add_child("Nguyễn Văn Một")?;
    let backup = dir.path().join("truoc-dang-ky.db");
    copy_db(&a.db, &backup)?;
    let old_id = a.json(&["info", "--json"], None)?["device_id"].clone();
    a.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    synced(&a);
    a.add_child("Trần Thị Hai")?;
    synced(&a);

    copy_db(&backup, &a.db)?;
    a.add_child("Lê Văn Ba")?;
    let e = a.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    assert_eq!(
        e["new_device_id"], true,
        "a known id is not given again: {e}"
    );
    assert_ne!(a.json(&["info", "--json"], None)?["device_id"], old_id);
    let r = synced(&a);
    assert_eq!(r["pending"], 0, "{r}");
    synced(&b);
    let want = ["Lê Văn Ba", "Nguyễn Văn Một", "Trần Thị Hai"];
    assert_eq!(names(&a), want, "its work from before the copy came back");
    assert_eq!(names(&b), want, "once each");
    assert_eq!(a.register()?, b.register()?);
    Ok(())
}

#[test]
fn an_edit_the_server_refuses_is_shown_to_the_officer_and_holds_nothing_up() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::init(dir.path(), &[XA, XA_KHAC])?;
    server.start()?;
    let (url, fp) = (server.url(), server.fingerprint.clone());
    let office = Device::init(dir.path(), "office", XA)?;
    let laptop = Device::init(dir.path(), "laptop", XA)?;
    let other = Device::init(dir.path(), "xa-khac", XA_KHAC)?;
    for d in [&office, &laptop, &other] {
        let commune = if d.db == other.db { XA_KHAC } else { XA };
        d.enroll(&url, &server.enroll_code(commune)?, &fp)?;
    }
    let vang = office.add_child("Hoàng Thị Vàng")?;
    synced(&office);
    synced(&laptop);

    // The family moves: the office changes the child's commune.
    let moved = child_doc("Hoàng Thị Vàng", XA_KHAC);
    office.ok(
        &["child", "update", &vang, "--json", "-"],
        Some(&moved.to_string()),
    )?;
    synced(&office);
    synced(&laptop);
    synced(&other);

    // The laptop, which knows of the move, still edits the record, and adds a child of its own.
    let late = child_doc("Hoàng Thị Vàng Anh", XA_KHAC);
    laptop.ok(
        &["child", "update", &vang, "--json", "-"],
        Some(&late.to_string()),
    )?;
    laptop.add_child("Đỗ Văn Hồng")?;
    let r = synced(&laptop);
    assert_eq!(r["refused"], 1, "the late edit is refused: {r}");
    assert_eq!(r["pending"], 0, "and holds nothing up: {r}");
    let status = laptop.json(&["sync", "--status", "--json"], None)?;
    let why = status["refusals"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        why.contains("chuyển sang") && why.contains(XA_KHAC),
        "the officer reads where the child went: {status}"
    );
    let shown = laptop.ok(&["sync", "--status"], None)?;
    assert!(shown.contains("Máy chủ không nhận"), "{shown}");

    synced(&office);
    assert!(
        names(&office).contains(&"Đỗ Văn Hồng".to_string()),
        "the laptop's other change reached the office"
    );
    synced(&other);
    assert!(
        names(&other).contains(&"Hoàng Thị Vàng".to_string()),
        "the receiving commune keeps the record as it was: {:?}",
        names(&other)
    );
    Ok(())
}

/// A child record as the CLI takes it, living in `commune`.
fn child_doc(name: &str, commune: &str) -> Value {
    json!({
        "full_name": name, "date_of_birth": "2016-03-08", "sex": "male",
        "residence_status": "thuong_tru", "village": "Thôn Đông", "commune_code": commune
    })
}

/// The fields of a complete child record, as a PC of this version sends a new child.
fn child_fields(name: &str) -> serde_json::Map<String, Value> {
    let input: bvte_domain::child::ChildInput =
        serde_json::from_value(child_doc(name, XA)).expect("a valid child");
    let ctx = bvte_domain::child::ValidationContext {
        today: chrono::Utc::now().date_naive(),
        default_commune: XA.into(),
    };
    match serde_json::to_value(input.validate(&ctx).expect("valid")) {
        Ok(Value::Object(m)) => m,
        other => panic!("a child record is an object: {other:?}"),
    }
}

#[test]
fn a_change_from_a_newer_bvte_waits_aside_and_never_stops_the_commune() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::init(dir.path(), &[XA])?;
    server.start()?;
    let (url, fp) = (server.url(), server.fingerprint.clone());
    let pc = Device::init(dir.path(), "pc", XA)?;
    pc.enroll(&url, &server.enroll_code(XA)?, &fp)?;

    // A PC already updated to a newer BVTE records a sex this version does not know.
    let newer = Uuid::now_v7();
    let token = Client::new(&url, &fp)?
        .enroll(&EnrollRequest {
            code: server.enroll_code(XA)?,
            device_id: newer,
            device_name: "Máy đã cập nhật".into(),
            commune_code: XA.into(),
            officer_name: "Trần Thị Lan".into(),
        })?
        .token;
    let change = |seq: u64, id: Uuid, fields: serde_json::Map<String, Value>, format: u16| Change {
        change_id: Uuid::now_v7(),
        device_id: newer,
        seq,
        hlc: Hlc {
            millis: bvte_core::now().timestamp_millis() as u64,
            counter: seq as u32,
        },
        entity: Entity::Child,
        entity_id: id,
        kind: ChangeKind::UpsertFields,
        fields,
        base_hlc: Default::default(),
        author: "Trần Thị Lan".into(),
        format,
        base_cursor: 0,
    };
    let x = Uuid::now_v7();
    let mut future = serde_json::Map::new();
    future.insert("sex".into(), json!("intersex"));
    let pushed = Client::new(&url, &fp)?
        .with_token(token)
        .push(&PushRequest {
            changes: vec![
                change(1, x, child_fields("Nguyễn Văn Xuân"), FORMAT),
                change(2, x, future, FORMAT + 1),
                change(3, Uuid::now_v7(), child_fields("Trần Thị Yến"), FORMAT),
            ],
        })?;
    assert_eq!(pushed.acked_seq, 3);

    let r = synced(&pc);
    assert_eq!(r["held"], 1, "the newer change waits aside: {r}");
    assert_eq!(r["newer_format"], 1, "{r}");
    assert_eq!(
        names(&pc),
        ["Nguyễn Văn Xuân", "Trần Thị Yến"],
        "everything else is applied, the change after it included"
    );
    let shown = pc.ok(&["sync", "--status"], None)?;
    assert!(shown.contains("Hãy cập nhật BVTE"), "{shown}");
    let again = synced(&pc);
    assert_eq!(
        (again["pulled"].as_u64(), again["held_total"].as_u64()),
        (Some(0), Some(1)),
        "the next sync goes on, the change still waits: {again}"
    );
    Ok(())
}
