//! Sync between real processes: a `bvte-server` on a loopback port, commune installations
//! driven through the `bvte` CLI, and a proxy that cuts connections mid-transfer. After every
//! fault the next successful sync must leave every device with the same register, nothing lost
//! and nothing doubled.

use anyhow::Result;
use bvte_e2e::device::Device;
use bvte_e2e::proxy::Proxy;
use bvte_e2e::server::Server;
use proptest::prelude::*;
use serde_json::Value;

mod sync_incident;
mod sync_recovery;
mod sync_report;
mod sync_update;

const XA: &str = "09955";
const XA_KHAC: &str = "00004";

fn children(d: &Device) -> usize {
    d.register().expect("export").0.len()
}

/// The error code a failed `--json` command printed.
fn error_code(d: &Device, args: &[&str]) -> String {
    let out = d.run(args, None).expect("run bvte");
    assert!(!out.status.success(), "{args:?} should fail");
    assert_eq!(out.status.code(), Some(8), "sync failures exit with 8");
    let v: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
    v["error"]["code"].as_str().unwrap_or_default().to_string()
}

fn synced(d: &Device) -> Value {
    d.sync().expect("sync succeeds")
}

#[test]
fn two_installations_converge_and_a_conflict_waits_for_the_officer() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::init(dir.path(), &[XA, XA_KHAC])?;
    server.start()?;
    let (url, fp) = (server.url(), server.fingerprint.clone());
    let a = Device::init(dir.path(), "may-van-phong", XA)?;
    let b = Device::init(dir.path(), "may-xach-tay", XA)?;
    a.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    let code_b = server.enroll_code(XA)?;
    b.enroll(&url, &code_b, &fp)?;

    a.ok(&["demo", "--children", "40", "--seed", "5"], None)?;
    let anh = b.add_child("Phạm Thị Ánh")?;
    let before = a.json(&["sync", "--status", "--json"], None)?;
    assert!(
        before["pending"].as_u64().unwrap() > 40,
        "demo data waits to be sent"
    );

    let ra = synced(&a);
    assert_eq!(ra["pending"], 0, "everything acknowledged: {ra}");
    assert_eq!(ra["pushed"], before["pending"]);
    let rb = synced(&b);
    assert_eq!(
        (rb["pushed"].as_u64(), rb["pending"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(rb["pulled"], ra["pushed"], "B received all of A's changes");
    let ra2 = synced(&a);
    assert_eq!(ra2["pulled"], 1);
    assert_eq!(
        a.register()?,
        b.register()?,
        "same children and cases on both"
    );
    assert_eq!(children(&a), 41);

    // Nothing to do: nothing moves.
    let idle = synced(&b);
    assert_eq!(
        (idle["pushed"].as_u64(), idle["pulled"].as_u64()),
        (Some(0), Some(0))
    );

    // The same name changed offline on both machines.
    a.rename_child(&anh, "Phạm Thị Ánh Hồng")?;
    b.rename_child(&anh, "Phạm Thị Ánh Dương")?;
    synced(&a);
    assert_eq!(synced(&b)["conflicts"], 1);
    assert_eq!(synced(&a)["conflicts"], 1);
    assert_eq!(
        a.register()?,
        b.register()?,
        "both show the same value meanwhile"
    );
    for d in [&a, &b] {
        let list = d.json(&["conflict", "list", "--json"], None)?;
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 1, "one open conflict");
        let mut values = [
            list[0]["kept"]["value"].as_str().unwrap().to_string(),
            list[0]["other"]["value"].as_str().unwrap().to_string(),
        ];
        values.sort();
        assert_eq!(values, ["Phạm Thị Ánh Dương", "Phạm Thị Ánh Hồng"]);
        let mut authors = [
            list[0]["kept"]["author"].as_str().unwrap().to_string(),
            list[0]["other"]["author"].as_str().unwrap().to_string(),
        ];
        authors.sort();
        assert_eq!(authors, ["may-van-phong", "may-xach-tay"]);
    }
    let open = a.json(&["conflict", "list", "--json"], None)?;
    let chosen = open[0]["other"]["value"].as_str().unwrap().to_string();
    let id = open[0]["id"].as_i64().unwrap().to_string();
    a.ok(&["conflict", "resolve", &id, "--take", "other"], None)?;
    synced(&a);
    synced(&b);
    for d in [&a, &b] {
        assert_eq!(
            d.json(&["conflict", "list", "--json"], None)?,
            Value::Array(vec![])
        );
        let shown = d.json(&["child", "show", &anh, "--json"], None)?;
        assert_eq!(shown["full_name"], chosen.as_str());
    }
    assert_eq!(a.register()?, b.register()?);

    // A used code, a code for another commune, a wrong fingerprint: refused, nothing stored.
    let c = Device::init(dir.path(), "may-thu-ba", XA)?;
    let refused_enroll = |code: &str, fp: &str| {
        error_code(
            &c,
            &[
                "enroll",
                "--server",
                &url,
                "--code",
                code,
                "--fingerprint",
                fp,
                "--json",
            ],
        )
    };
    assert_eq!(refused_enroll(&code_b, &fp), "code_used");
    let other_code = server.enroll_code(XA_KHAC)?;
    assert_eq!(refused_enroll(&other_code, &fp), "commune_mismatch");
    let wrong_fp = "ab".repeat(32);
    let fresh = server.enroll_code(XA)?;
    assert_eq!(refused_enroll(&fresh, &wrong_fp), "wrong_fingerprint");
    assert_eq!(error_code(&c, &["sync", "--json"]), "not_enrolled");
    // The code was not spent by the refused attempt.
    c.enroll(&url, &fresh, &fp)?;
    synced(&c);
    assert_eq!(
        c.register()?,
        a.register()?,
        "a new device gets the whole register"
    );

    // Another commune's device sees none of it.
    let d = Device::init(dir.path(), "xa-khac", XA_KHAC)?;
    d.enroll(&url, &other_code, &fp)?;
    let rd = synced(&d);
    assert_eq!(rd["pulled"], 0);
    assert_eq!(children(&d), 0);

    // A revoked device is refused and keeps its unsent work.
    let device_b = b.json(&["info", "--json"], None)?["device_id"]
        .as_str()
        .unwrap()
        .to_string();
    server.admin(&["device", "revoke", "--device", &device_b])?;
    b.add_child("Đỗ Văn Bình")?;
    assert_eq!(error_code(&b, &["sync", "--json"]), "revoked");
    let status = b.json(&["sync", "--status", "--json"], None)?;
    assert_eq!(
        status["pending"], 1,
        "the new child is still waiting: {status}"
    );
    assert!(status["last_error"].as_str().unwrap_or_default().len() > 10);
    Ok(())
}

#[test]
fn cut_connections_and_a_killed_server_lose_nothing_and_double_nothing() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::init(dir.path(), &[XA])?;
    server.start()?;
    let proxy = Proxy::start(server.addr())?;
    let fp = server.fingerprint.clone();
    let a = Device::init(dir.path(), "a", XA)?;
    let b = Device::init(dir.path(), "b", XA)?;
    a.enroll(&proxy.url(), &server.enroll_code(XA)?, &fp)?;
    b.enroll(&proxy.url(), &server.enroll_code(XA)?, &fp)?;
    a.ok(&["demo", "--children", "1200", "--seed", "7"], None)?;

    // Cut in the middle of the push: the sync fails in plain words, then resumes.
    proxy.cut_after(40_000, u64::MAX);
    let err = a.sync().expect_err("a cut push fails");
    assert!(err.contains("Không kết nối được máy chủ"), "{err}");
    let pending_after_cut = a.json(&["sync", "--status", "--json"], None)?["pending"]
        .as_u64()
        .unwrap();
    assert!(pending_after_cut > 0);
    proxy.heal();
    assert_eq!(synced(&a)["pending"], 0);

    // Cut while the answer to a push is on its way back: the server stored the page but the
    // device never heard. The next sync must learn it from the server and double nothing.
    // Where that answer starts depends on the TLS handshake's size, so try cut points until
    // one lands there (seen as a sync that had less to send than was pending).
    let mut ack_lost = false;
    for (round, limit) in (1_000u64..6_000).step_by(250).enumerate() {
        let seed = (100 + round).to_string();
        a.ok(&["demo", "--children", "20", "--seed", &seed], None)?;
        let pending = a.json(&["sync", "--status", "--json"], None)?["pending"].clone();
        proxy.cut_after(u64::MAX, limit);
        let failed = a.sync().is_err();
        proxy.heal();
        let healed = synced(&a);
        assert_eq!(healed["pending"], 0);
        if failed && healed["pushed"].as_u64() < pending.as_u64() {
            ack_lost = true;
            break;
        }
    }
    assert!(
        ack_lost,
        "a cut landed between the server storing a page and the device hearing it"
    );

    // Cut in the middle of a pull.
    proxy.cut_after(u64::MAX, 60_000);
    b.sync().expect_err("a cut pull fails");
    proxy.heal();
    synced(&b);
    assert_eq!(a.register()?, b.register()?);
    let (kids, _) = a.register()?;
    let mut ids: Vec<&str> = kids.iter().filter_map(|k| k["id"].as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), kids.len(), "no child doubled");
    assert!(kids.len() >= 1200, "no child lost");
    assert!(
        proxy.cuts() >= 3,
        "the proxy really cut connections: {}",
        proxy.cuts()
    );

    // The server killed with SIGKILL while a push is being written, then restarted.
    let mut killed_mid_sync = false;
    for (round, delay_ms) in [350u64, 250, 500, 150, 700].into_iter().enumerate() {
        let seed = (20 + round).to_string();
        a.ok(&["demo", "--children", "800", "--seed", &seed], None)?;
        let syncing = {
            let db = a.db.clone();
            std::thread::spawn(move || Device { db, clock: None }.sync())
        };
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        server.kill9()?;
        let outcome = syncing.join().expect("sync thread");
        server.start()?;
        if outcome.is_err() {
            killed_mid_sync = true;
            break;
        }
    }
    assert!(
        killed_mid_sync,
        "the kill landed during a sync in at least one round"
    );
    assert_eq!(
        synced(&a)["pending"],
        0,
        "everything reaches the restarted server"
    );
    synced(&b);
    assert_eq!(
        a.register()?,
        b.register()?,
        "no loss, no duplicate after the kill"
    );
    Ok(())
}

/// A record entered twice on two PCs is deleted on one of them. The deletion reaches the other
/// PC through the real server; an edit the deleting PC had not seen keeps the record and waits
/// for an officer (both sides shown) instead of vanishing; deleting it after seeing the edit
/// removes it everywhere, and it can still be brought back.
#[test]
fn a_deletion_reaches_every_installation_and_never_swallows_an_edit() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::init(dir.path(), &[XA])?;
    server.start()?;
    let (url, fp) = (server.url(), server.fingerprint.clone());
    let a = Device::init(dir.path(), "may-van-phong", XA)?;
    let b = Device::init(dir.path(), "may-xach-tay", XA)?;
    a.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    b.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    let kept = a.add_child("Lò Văn Minh")?;
    let twice = b.add_child("Lò Văn Minh")?;
    for d in [&a, &b, &a] {
        synced(d);
    }
    assert_eq!(children(&b), 2, "the same child, entered on both PCs");

    // The office PC deletes the copy; the laptop, not yet synced, corrects its name.
    a.delete_child(&twice, "Nhập trùng với hồ sơ cùng tên")?;
    assert_eq!(children(&a), 1);
    b.rename_child(&twice, "Lò Văn Minh Đức")?;
    synced(&a);
    assert_eq!(synced(&b)["conflicts"], 1);
    assert_eq!(synced(&a)["conflicts"], 1);
    for d in [&a, &b] {
        assert_eq!(children(d), 2, "the edit kept the record");
        let shown = d.json(&["child", "show", &twice, "--json"], None)?;
        assert_eq!(shown["full_name"], "Lò Văn Minh Đức");
        let list = d.json(&["conflict", "list", "--json"], None)?;
        assert_eq!(list[0]["field"], "_record");
        assert_eq!(
            list[0]["other"]["value"]["reason"],
            "Nhập trùng với hồ sơ cùng tên"
        );
        assert_eq!(list[0]["other"]["author"], "may-van-phong");
        assert_eq!(list[0]["kept"]["author"], "may-xach-tay");
    }
    // The laptop's officer agrees it is a copy and deletes it after all.
    let id = b.json(&["conflict", "list", "--json"], None)?[0]["id"].to_string();
    b.ok(&["conflict", "resolve", &id, "--take", "other"], None)?;
    synced(&b);
    synced(&a);
    for d in [&a, &b] {
        assert_eq!(
            d.json(&["conflict", "list", "--json"], None)?,
            Value::Array(vec![])
        );
        assert_eq!(d.deleted()?, vec![twice.clone()]);
        let (kids, _) = d.register()?;
        assert_eq!(kids.len(), 1);
        assert_eq!(kids[0]["id"], kept.as_str());
    }
    // Brought back on one PC, back on both.
    a.ok(&["child", "restore", &twice], None)?;
    synced(&a);
    synced(&b);
    assert_eq!(children(&b), 2);
    assert_eq!(a.register()?, b.register()?);
    assert!(b.deleted()?.is_empty());
    Ok(())
}

/// A family moves to another commune: the officer changes the child's commune, and the
/// receiving commune's PC gets the child with the case and its steps as they were (the whole
/// history, not only what follows the move). The receiving commune carries the case on; the
/// commune the child left keeps what it had and no longer receives the child's changes.
#[test]
fn a_child_who_moves_reaches_the_new_commune_with_its_case() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::init(dir.path(), &[XA, XA_KHAC])?;
    server.start()?;
    let (url, fp) = (server.url(), server.fingerprint.clone());
    let a = Device::init(dir.path(), "xa-cu", XA)?;
    let b = Device::init(dir.path(), "xa-moi", XA_KHAC)?;
    a.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    b.enroll(&url, &server.enroll_code(XA_KHAC)?, &fp)?;
    let kid = a.add_child("Đinh Văn Hưng")?;
    let received = (chrono::Utc::now() - chrono::Duration::hours(3)).to_rfc3339();
    let case = a.json(
        &["case", "open", "--json", "-"],
        Some(&serde_json::json!({"child_id": kid, "received_at": received,
            "category": "abused", "abuse_forms": ["violence"], "environment": "family",
            "channel": "phone", "reporter": {"full_name": "Người Báo Tin", "phone": "", "address": ""}})
        .to_string()),
    )?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    synced(&a);
    synced(&b);
    assert_eq!(children(&b), 0, "another commune's child stays out of B");

    let moved = serde_json::json!({
        "full_name": "Đinh Văn Hưng", "date_of_birth": "2016-03-08", "sex": "male",
        "residence_status": "thuong_tru", "village": "Tổ 4", "commune_code": XA_KHAC
    });
    a.ok(
        &["child", "update", &kid, "--json", "-"],
        Some(&moved.to_string()),
    )?;
    synced(&a);
    synced(&b);
    let (kids, cases) = b.register()?;
    assert_eq!(kids.len(), 1, "the child arrived: {kids:?}");
    assert_eq!(kids[0]["id"], kid.as_str());
    assert_eq!(kids[0]["commune_code"], XA_KHAC);
    assert_eq!(kids[0]["village"], "Tổ 4");
    assert_eq!(
        cases,
        vec![(case.clone(), "received".to_string(), 1)],
        "with its case"
    );

    // B carries the case on; A keeps its copy as it was and receives no more.
    b.ok(
        &["case", "step", &case, "--json", "-"],
        Some(r#"{"step": "initial_assessment", "data": {"serious_risk": false}}"#),
    )?;
    synced(&b);
    let ra = synced(&a);
    assert_eq!(ra["pulled"], 0, "nothing of B's reaches A: {ra}");
    assert_eq!(b.register()?.1[0].1, "initial_assessed");
    assert_eq!(a.register()?.1[0].1, "received");
    Ok(())
}

/// One step of a random scenario.
#[derive(Debug, Clone)]
enum Op {
    Add(usize),
    Rename(usize, usize),
    Delete(usize, usize),
    Sync(usize, Option<(u64, u64)>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize).prop_map(Op::Add),
        (0..3usize, 0..16usize).prop_map(|(d, c)| Op::Rename(d, c)),
        (0..3usize, 0..16usize).prop_map(|(d, c)| Op::Delete(d, c)),
        (
            0..3usize,
            prop::option::of((2_000u64..20_000, 2_000u64..20_000))
        )
            .prop_map(|(d, cut)| Op::Sync(d, cut)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5, max_shrink_iters: 4, ..ProptestConfig::default() })]

    /// Random offline edits and deletions on three real installations, synced in random order
    /// through a proxy that sometimes cuts the connection: once everyone syncs without cuts, all
    /// three hold the same register and the same deleted records, with every child added
    /// anywhere exactly once in one or the other.
    #[test]
    fn three_installations_converge_whatever_the_order_and_the_cuts(ops in prop::collection::vec(op(), 4..14)) {
        let dir = tempfile::tempdir().unwrap();
        let mut server = Server::init(dir.path(), &[XA]).unwrap();
        server.start().unwrap();
        let proxy = Proxy::start(server.addr()).unwrap();
        let devices: Vec<Device> = (0..3)
            .map(|i| {
                let d = Device::init(dir.path(), &format!("thiet-bi-{i}"), XA).unwrap();
                d.enroll(&proxy.url(), &server.enroll_code(XA).unwrap(), &server.fingerprint).unwrap();
                d
            })
            .collect();
        let mut added = 0;
        for op in &ops {
            match *op {
                Op::Add(d) => {
                    devices[d].add_child(&format!("Nguyễn Văn Số {added}")).unwrap();
                    added += 1;
                }
                Op::Rename(d, c) => {
                    let (kids, _) = devices[d].register().unwrap();
                    if !kids.is_empty() {
                        let kid = &kids[c % kids.len()];
                        let name = format!("{} Mới", kid["full_name"].as_str().unwrap());
                        devices[d].rename_child(kid["id"].as_str().unwrap(), &name).unwrap();
                    }
                }
                Op::Delete(d, c) => {
                    let (kids, _) = devices[d].register().unwrap();
                    if !kids.is_empty() {
                        let kid = &kids[c % kids.len()];
                        devices[d].delete_child(kid["id"].as_str().unwrap(), "Nhập trùng").unwrap();
                    }
                }
                Op::Sync(d, cut) => {
                    match cut {
                        Some((up, down)) => proxy.cut_after(up, down),
                        None => proxy.heal(),
                    }
                    let _ = devices[d].sync();
                }
            }
        }
        proxy.heal();
        for _ in 0..2 {
            for d in &devices {
                prop_assert!(d.sync().is_ok());
            }
        }
        let first = devices[0].register().unwrap();
        let gone = devices[0].deleted().unwrap();
        prop_assert_eq!(first.0.len() + gone.len(), added);
        for d in &devices[1..] {
            prop_assert_eq!(&d.register().unwrap(), &first);
            prop_assert_eq!(&d.deleted().unwrap(), &gone);
        }
    }
}

/// PCs whose clocks are a year off (the CLI runs under libfaketime, so the process really reads
/// that time). Each sync warns about the clock, because legal deadlines depend on it. Work from
/// the PC a year ahead is not refused forever, and it does not beat edits made later elsewhere.
/// The PC a year behind still orders its edits after what it has seen. All three converge.
#[test]
fn clocks_a_year_off_are_warned_about_and_still_converge() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::init(dir.path(), &[XA])?;
    server.start()?;
    let (url, fp) = (server.url(), server.fingerprint.clone());
    let mut ahead = Device::init(dir.path(), "nhanh-mot-nam", XA)?;
    let mut behind = Device::init(dir.path(), "cham-mot-nam", XA)?;
    let right = Device::init(dir.path(), "dung-gio", XA)?;
    ahead.clock = Some("+365d".into());
    behind.clock = Some("-365d".into());
    for d in [&ahead, &behind, &right] {
        d.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    }

    // A year ahead: warned, and the child is accepted (its stamp is brought back to the
    // server's clock before sending, since nobody had seen it).
    let id = ahead.add_child("Hà Văn Sơn")?;
    let ra = synced(&ahead);
    assert_eq!(
        (ra["pushed"].as_u64(), ra["pending"].as_u64()),
        (Some(1), Some(0)),
        "{ra}"
    );
    let warning = ra["clock_warning"].as_str().unwrap_or_default();
    assert!(
        warning.contains("nhanh") && warning.contains("ngày"),
        "says the PC is days ahead: {ra}"
    );
    assert!(ra["clock_offset_ms"].as_i64().unwrap_or(0) < -364 * 86_400_000);

    // Edited later on a PC with the right time: that edit wins everywhere, also on the PC a
    // year ahead.
    synced(&right);
    right.rename_child(&id, "Hà Văn Sơn (sửa đúng giờ)")?;
    synced(&right);
    synced(&ahead);
    let name = |d: &Device| -> Result<String> {
        let (children, _) = d.register()?;
        Ok(children
            .iter()
            .find(|c| c["id"] == id.as_str())
            .and_then(|c| c["full_name"].as_str())
            .unwrap_or_default()
            .to_string())
    };
    assert_eq!(name(&ahead)?, "Hà Văn Sơn (sửa đúng giờ)");
    assert!(
        ahead
            .json(&["conflict", "list", "--json"], None)?
            .as_array()
            .is_some_and(Vec::is_empty),
        "an edit made after seeing the other is no conflict"
    );

    // A year behind: warned; its edit, made after it received the others', wins everywhere.
    let rb = synced(&behind);
    assert!(
        rb["clock_warning"]
            .as_str()
            .unwrap_or_default()
            .contains("chậm"),
        "says the PC is behind: {rb}"
    );
    behind.rename_child(&id, "Hà Văn Sơn (sửa trên máy chậm giờ)")?;
    synced(&behind);
    synced(&right);
    synced(&ahead);
    for d in [&ahead, &right] {
        assert_eq!(name(d)?, "Hà Văn Sơn (sửa trên máy chậm giờ)");
    }
    assert_eq!(ahead.register()?, right.register()?);
    assert_eq!(behind.register()?, right.register()?);
    Ok(())
}
