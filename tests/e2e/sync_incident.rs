//! Issue 15 item 3 across real processes: commune A, where a child living in commune B was
//! harmed, records the child (not resident here, home B), receives the report and takes the
//! first steps (Decree 56 Art 25 k1, Art 26 k1, Art 31 k3 a, Art 32 k2); planning is refused
//! there (Law on Children Art 52 k2). The hand-over (`transferred` to B) moves the record and
//! the case home through a real `bvte-server`: B receives the child and the case with every
//! step and plans; neither PC has a change refused; A keeps a read-only trace and no longer
//! counts the child.

use super::{XA, XA_KHAC, synced};
use anyhow::Result;
use bvte_e2e::device::Device;
use bvte_e2e::server::Server;
use serde_json::{Value, json};

fn step(d: &Device, case: &str, s: Value) -> std::process::Output {
    d.run(&["case", "step", case, "--json", "-"], Some(&s.to_string()))
        .expect("run bvte")
}

fn ok_step(d: &Device, case: &str, s: Value) {
    let out = step(d, case, s.clone());
    assert!(
        out.status.success(),
        "{s}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7"))
        .format("%d/%m/%Y")
        .to_string()
}

fn report(d: &Device) -> Result<Value> {
    d.json(
        &[
            "report",
            "--from",
            "01/01/2025",
            "--to",
            &today(),
            "--format",
            "json",
        ],
        None,
    )
}

fn no_refusals(d: &Device, who: &str) -> Result<()> {
    let status = d.json(&["sync", "--status", "--json"], None)?;
    assert_eq!(
        status["refusals"].as_array().map(Vec::len),
        Some(0),
        "{who}: no change refused (no forbidden_scope stall): {status}"
    );
    Ok(())
}

#[test]
fn the_incident_commune_acts_first_and_hands_the_child_and_case_over_home() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::init(dir.path(), &[XA, XA_KHAC])?;
    server.start()?;
    let (url, fp) = (server.url(), server.fingerprint.clone());
    let a = Device::init(dir.path(), "xa-noi-xay-ra", XA)?;
    let b = Device::init(dir.path(), "xa-noi-cu-tru", XA_KHAC)?;
    a.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    b.enroll(&url, &server.enroll_code(XA_KHAC)?, &fp)?;

    // A records the visiting child: kept by A, living in B.
    let added = a.json(
        &["child", "add", "--json", "-"],
        Some(
            &json!({"full_name": "Lò Văn Pá", "date_of_birth": "2016-04-02", "sex": "male",
                "residence_status": "khong_cu_tru", "village": "Chợ xã",
                "home": {"commune_code": XA_KHAC, "address": "Tổ dân phố 7"}})
            .to_string(),
        ),
    )?;
    let child = added["id"].as_str().expect("child id").to_string();
    let received = (chrono::Utc::now() - chrono::Duration::hours(6)).to_rfc3339();
    let open = a.json(
        &["case", "open", "--json", "-"],
        Some(
            &json!({"child_id": child, "received_at": received, "category": "abused",
                "abuse_forms": ["violence"], "environment": "community", "channel": "police",
                "intake": {"child_condition": "Bị đánh ở chợ"}})
            .to_string(),
        ),
    )?;
    let case = open["id"].as_str().expect("case id").to_string();
    let shown = a.json(&["case", "show", &case, "--json"], None)?;
    assert_eq!(
        (&shown["incident_commune"], &shown["residence_commune"]),
        (&json!(XA), &json!(XA_KHAC)),
        "the residence commune is the child's home"
    );
    // The first steps, here.
    ok_step(
        &a,
        &case,
        json!({"step": "verification", "data": {"findings": "Xác minh tại chợ", "confirmed": true}}),
    );
    ok_step(
        &a,
        &case,
        json!({"step": "initial_assessment", "data": {"serious_risk": true}}),
    );
    ok_step(
        &a,
        &case,
        json!({"step": "emergency_measures", "data": {"measures": ["first_aid"], "description": "Sơ cứu"}}),
    );
    ok_step(
        &a,
        &case,
        json!({"step": "separation_decided", "data": {"decision_no": "12/QĐ-UBND",
            "grounds": "by_parent_or_carer", "days": 10, "shelter": "Nhà tạm lánh",
            "carer": "Bà Lò Thị Mai", "decided_by": "Nguyễn Văn Quyết", "decision_commune": XA}}),
    );
    ok_step(
        &a,
        &case,
        json!({"step": "detailed_assessment", "data": {"plan_needed": true}}),
    );
    let refused = step(
        &a,
        &case,
        json!({"step": "plan_drafted", "data": {"goals": "An toàn"}}),
    );
    assert_eq!(
        refused.status.code(),
        Some(6),
        "planned by the residence commune"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Điều 52 khoản 2"));
    let ra = report(&a)?;
    assert_eq!(ra["children"]["total"], 0, "not one of A's children: {ra}");
    assert_eq!(ra["cases"]["received"], 1, "A received the report");
    synced(&a);
    no_refusals(&a, "A")?;

    // The hand-over.
    ok_step(
        &a,
        &case,
        json!({"step": "transferred", "data": {"to_commune": XA_KHAC, "note": "Chuyển về nơi cư trú"}}),
    );
    let moved = a.json(&["child", "show", &child, "--json"], None)?;
    assert_eq!(moved["commune_code"], XA_KHAC);
    assert_eq!(moved["residence_status"], "chua_ro");
    assert_eq!(moved["village"], "Tổ dân phố 7");
    synced(&a);
    no_refusals(&a, "A")?;

    // B receives the child and the case with every step, and plans.
    synced(&b);
    let home = b.json(&["child", "show", &child, "--json"], None)?;
    assert_eq!(home["full_name"], "Lò Văn Pá");
    assert_eq!(home["commune_code"], XA_KHAC);
    let at_b = b.json(&["case", "show", &case, "--json"], None)?;
    let kinds: Vec<&str> = at_b["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["step"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "intake",
            "verification",
            "initial_assessment",
            "emergency_measures",
            "separation_decided",
            "detailed_assessment",
            "transferred"
        ],
        "the whole history"
    );
    assert_eq!(
        at_b["stage"], "planning",
        "it goes on in B: {}",
        at_b["stage"]
    );
    ok_step(
        &b,
        &case,
        json!({"step": "needs_meeting", "data": {"participants": "Chủ tịch UBND xã, gia đình", "conclusions": "Lập kế hoạch"}}),
    );
    ok_step(
        &b,
        &case,
        json!({"step": "plan_drafted", "data": {"goals": "An toàn cho trẻ"}}),
    );
    let rb = synced(&b);
    assert_eq!(rb["refused"], 0, "{rb}");
    no_refusals(&b, "B")?;
    let rb = report(&b)?;
    assert_eq!(rb["children"]["total"], 1, "B counts its child: {rb}");
    assert_eq!(rb["cases"]["received"], 1);

    // A: a read-only trace, no longer counted.
    synced(&a);
    no_refusals(&a, "A")?;
    let trace = a.json(&["case", "show", &case, "--json"], None)?;
    assert_eq!(trace["stage"], "transferred");
    let late = step(
        &a,
        &case,
        json!({"step": "verification", "data": {"findings": "Bổ sung"}}),
    );
    assert_eq!(late.status.code(), Some(6), "A no longer records steps");
    let ra = report(&a)?;
    assert_eq!(
        (&ra["children"]["total"], &ra["cases"]["received"]),
        (&json!(0), &json!(0)),
        "{ra}"
    );
    // The server's records, materialised on push, give each commune the same figures.
    for (d, commune) in [(&a, XA), (&b, XA_KHAC)] {
        let to = today();
        let args = [
            "report",
            "--from",
            "01/01/2025",
            "--to",
            &to,
            "--format",
            "json",
            "--commune",
            commune,
        ];
        let mut on_server: Value = serde_json::from_str(&server.admin(&args)?)?;
        let mut own = report(d)?;
        for r in [&mut on_server, &mut own] {
            r.as_object_mut().map(|o| o.remove("generated_at"));
        }
        assert_eq!(on_server, own, "commune {commune} on the server");
    }
    Ok(())
}
