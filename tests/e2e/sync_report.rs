//! Issue 11 across real processes: two communes sync through a real `bvte-server`; the server's
//! report of each commune, computed from the records it materialised on push, equals that
//! commune's own `bvte report`, and the area's report equals the sum of the two. A child moved
//! from one commune to the other counts in the new one only, on the server as on the PCs; a
//! deleted child counts nowhere.

use super::{XA, XA_KHAC, synced};
use anyhow::Result;
use bvte_e2e::device::Device;
use bvte_e2e::server::Server;
use serde_json::{Map, Value, json};

/// Today in Vietnam, dd/mm/yyyy.
fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7"))
        .format("%d/%m/%Y")
        .to_string()
}

const FROM: &str = "01/01/2025";

/// A report without the time it was made (the only field that may differ).
fn figures(mut report: Value) -> Value {
    if let Some(o) = report.as_object_mut() {
        o.remove("generated_at");
    }
    report
}

/// A commune's own report.
fn own(d: &Device) -> Result<Value> {
    let to = today();
    Ok(figures(d.json(
        &["report", "--from", FROM, "--to", &to, "--format", "json"],
        None,
    )?))
}

/// The server's report of `commune` (the area's when `None`).
fn on_server(server: &Server, commune: Option<&str>) -> Result<Value> {
    let to = today();
    let mut args = vec!["report", "--from", FROM, "--to", &to, "--format", "json"];
    if let Some(c) = commune {
        args.extend(["--commune", c]);
    }
    Ok(figures(serde_json::from_str(&server.admin(&args)?)?))
}

/// The sum of two reports: numbers added, the completeness lists joined, other values kept
/// when equal (and emptied when not: the commune code).
fn sum(a: &Value, b: &Value, key: &str) -> Value {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => json!(x.as_u64().unwrap() + y.as_u64().unwrap()),
        (Value::Object(x), Value::Object(y)) => {
            let mut out = Map::new();
            for k in x.keys().chain(y.keys()) {
                let zero = json!(0);
                let v = sum(x.get(k).unwrap_or(&zero), y.get(k).unwrap_or(&zero), k);
                out.insert(k.clone(), v);
            }
            Value::Object(out)
        }
        (Value::Array(x), Value::Array(y)) if key == "completeness" => {
            sorted(x.iter().chain(y).cloned().collect())
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{key}");
            Value::Array(x.iter().zip(y).map(|(p, q)| sum(p, q, key)).collect())
        }
        (x, y) if x == y => x.clone(),
        _ => json!(""),
    }
}

fn sorted(mut gaps: Vec<Value>) -> Value {
    gaps.sort_by_key(Value::to_string);
    Value::Array(gaps)
}

/// The area report with its completeness list in a comparable order.
fn comparable(mut r: Value) -> Value {
    let gaps = r["completeness"].as_array().cloned().unwrap_or_default();
    r["completeness"] = sorted(gaps);
    r
}

fn total(r: &Value) -> u64 {
    r["children"]["total"].as_u64().unwrap_or_default()
}

/// Both communes' own reports equal the server's, and the area's is their sum.
fn check(server: &Server, a: &Device, b: &Device) -> Result<(Value, Value)> {
    let (ra, rb) = (own(a)?, own(b)?);
    assert_eq!(on_server(server, Some(XA))?, ra, "commune A on the server");
    assert_eq!(
        on_server(server, Some(XA_KHAC))?,
        rb,
        "commune B on the server"
    );
    assert_eq!(
        comparable(on_server(server, None)?),
        sum(&ra, &rb, ""),
        "the area is the sum of its communes"
    );
    Ok((ra, rb))
}

#[test]
fn the_servers_reports_equal_the_communes_own_and_the_area_is_their_sum() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::init_with(dir.path(), &[XA, XA_KHAC], &["--area", "Cụm xã thử"])?;
    server.start()?;
    let (url, fp) = (server.url(), server.fingerprint.clone());
    let a = Device::init(dir.path(), "xa-a", XA)?;
    let b = Device::init(dir.path(), "xa-b", XA_KHAC)?;
    a.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    b.enroll(&url, &server.enroll_code(XA_KHAC)?, &fp)?;
    a.ok(&["demo", "--children", "60", "--seed", "3"], None)?;
    b.ok(&["demo", "--children", "40", "--seed", "4"], None)?;
    let leaving = a.add_child("Đinh Văn Hưng")?;
    let duplicate = a.add_child("Bản Ghi Trùng")?;
    synced(&a);
    synced(&b);
    let status = a.json(&["sync", "--status", "--json"], None)?;
    assert_eq!(
        status["area_name"], "Cụm xã thử",
        "the PC learned the area's name"
    );
    let (ra, rb) = check(&server, &a, &b)?;
    assert!(total(&ra) >= 62 && total(&rb) >= 40, "{ra}");
    assert!(
        ra["cases"]["handled"].as_u64() > Some(0),
        "demo cases: {ra}"
    );

    // A deletes a duplicate and the child moves to B.
    a.delete_child(&duplicate, "Nhập trùng")?;
    let moved = json!({
        "full_name": "Đinh Văn Hưng", "date_of_birth": "2016-03-08", "sex": "male",
        "residence_status": "thuong_tru", "village": "Tổ 4", "commune_code": XA_KHAC
    });
    a.ok(
        &["child", "update", &leaving, "--json", "-"],
        Some(&moved.to_string()),
    )?;
    synced(&a);
    synced(&b);
    synced(&a);
    let (ra2, rb2) = check(&server, &a, &b)?;
    assert_eq!(
        total(&ra2),
        total(&ra) - 2,
        "A lost the deleted and the moved child"
    );
    assert_eq!(total(&rb2), total(&rb) + 1, "B counts the moved child");
    Ok(())
}
