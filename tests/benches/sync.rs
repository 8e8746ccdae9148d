//! Sync budgets (design §8): the first sync of a commune with 5,000 children and 500 cases onto a
//! new device (≤ 5 s on loopback, ≤ 2 MB on the wire), an incremental sync with nothing to do
//! (≤ 50 ms), and the server under load (≥ 500 pushes/s of 10 changes each, p99 ≤ 50 ms), with
//! copying the whole database file as the naive alternative. The server is the real
//! `bvte-server` process; devices and the load generator run in this process (so the load comes
//! from a second process on loopback). Prints one JSON object per measurement. With
//! `BVTE_BENCH_DATABASE_URL` (an empty PostgreSQL database) the load runs a second time against
//! a server on PostgreSQL.

use anyhow::Result;
use bvte_client::Client;
use bvte_core::Session;
use bvte_core::sync::{enroll, sync_now};
use bvte_e2e::server::Server;
use bvte_protocol::api::{EnrollRequest, PushRequest};
use bvte_protocol::{Change, ChangeKind, Entity, Hlc};
use bvte_store::{KdfParams, Origin, Unlock};
use serde_json::json;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};
use uuid::Uuid;

const XA: &str = "09955";
const PASS: &str = "mật khẩu đo hiệu năng";

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn device(dir: &Path, name: &str, server: &Server) -> Result<Session> {
    let (mut s, _) = Session::init(
        &dir.join(format!("{name}.db")),
        PASS,
        XA,
        name,
        KdfParams::default(),
        bvte_core::now(),
    )?;
    s.set_origin(Origin::Cli);
    enroll(
        &mut s,
        &server.url(),
        &server.enroll_code(XA)?,
        &server.fingerprint,
        name,
        bvte_core::now(),
    )?;
    Ok(s)
}

/// Sends a file over a plain loopback TCP connection and returns the seconds it took.
fn copy_over_loopback(path: &Path) -> Result<f64> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let receiver = std::thread::spawn(move || -> Result<u64> {
        let (mut s, _) = listener.accept()?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf)?;
        Ok(buf.len() as u64)
    });
    let started = Instant::now();
    let bytes = std::fs::read(path)?;
    let mut s = TcpStream::connect(addr)?;
    s.write_all(&bytes)?;
    drop(s);
    let got = receiver.join().expect("receiver")?;
    anyhow::ensure!(got == bytes.len() as u64);
    Ok(started.elapsed().as_secs_f64())
}

fn first_and_empty_sync(dir: &Path, server: &Server) -> Result<()> {
    let mut a = device(dir, "van-phong", server)?;
    let summary = a.generate_demo_sized(5_000, Some(500), 11, bvte_core::now(), |_, _| {})?;
    let push_started = Instant::now();
    let pushed = sync_now(&mut a, &bvte_core::now, &mut |_| {})?;
    let push_s = push_started.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({"bench": "initial_push", "children": 5_000, "cases": summary.cases,
               "changes": pushed.pushed, "seconds": push_s, "bytes_sent": pushed.bytes_sent})
    );

    let mut b = device(dir, "xach-tay", server)?;
    let started = Instant::now();
    let first = sync_now(&mut b, &bvte_core::now, &mut |_| {})?;
    let first_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        b.store.count_children(&Default::default())? == 5_000,
        "the new device holds the whole register"
    );
    println!(
        "{}",
        json!({"bench": "first_sync", "children": 5_000, "cases": summary.cases,
               "changes": first.pulled, "seconds": first_s,
               "bytes_received": first.bytes_received, "bytes_sent": first.bytes_sent})
    );

    let mut times = Vec::new();
    for _ in 0..30 {
        let started = Instant::now();
        let r = sync_now(&mut b, &bvte_core::now, &mut |_| {})?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(r.pushed == 0 && r.pulled == 0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{}",
        json!({"bench": "empty_sync", "runs": times.len(), "p50_ms": percentile(&times, 0.5),
               "p95_ms": percentile(&times, 0.95), "max_ms": times.last()})
    );

    let db = a.store.path().to_path_buf();
    drop(a);
    let file_bytes = std::fs::metadata(&db)?.len()
        + std::fs::metadata(db.with_extension("db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    let copy_s = copy_over_loopback(&db)?;
    println!(
        "{}",
        json!({"bench": "copy_database", "bytes": file_bytes, "seconds": copy_s})
    );
    // The copy is useless without the key file, and cannot merge two offices' work.
    let _ = Session::open(&db, Unlock::Passphrase(PASS), Origin::Cli)?;
    Ok(())
}

/// A new child as a device would send it: a complete record, which the server checks field by
/// field like every pushed change.
fn child_change(device: Uuid, seq: u64, n: u64) -> Change {
    let input: bvte_domain::child::ChildInput = serde_json::from_value(json!({
        "full_name": format!("Nguyễn Văn Tải {n}"), "date_of_birth": "2016-03-08",
        "sex": "male", "residence_status": "thuong_tru", "village": "Thôn Đông",
        "commune_code": XA
    }))
    .expect("a child");
    let ctx = bvte_domain::child::ValidationContext {
        today: bvte_core::now().date_naive(),
        default_commune: XA.into(),
    };
    let fields = match serde_json::to_value(input.validate(&ctx).expect("valid")) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => unreachable!("a child record is an object"),
    };
    Change {
        change_id: Uuid::now_v7(),
        device_id: device,
        seq,
        hlc: Hlc {
            millis: bvte_core::now().timestamp_millis() as u64,
            counter: 0,
        },
        entity: Entity::Child,
        entity_id: Uuid::now_v7(),
        kind: ChangeKind::UpsertFields,
        fields,
        base_hlc: Default::default(),
        author: "Trần Thị Lan".into(),
        format: bvte_protocol::FORMAT,
        base_cursor: 0,
    }
}

fn server_load(
    server: &Server,
    backend: &str,
    seconds: u64,
    threads: usize,
) -> Result<serde_json::Value> {
    let mut handles = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    for t in 0..threads {
        let (url, fp) = (server.url(), server.fingerprint.clone());
        let code = server.enroll_code(XA)?;
        handles.push(std::thread::spawn(move || -> Result<Vec<f64>> {
            let device = Uuid::now_v7();
            let client = Client::new(&url, &fp)?;
            let token = client
                .enroll(&EnrollRequest {
                    code,
                    device_id: device,
                    device_name: format!("tai-{t}"),
                    commune_code: XA.into(),
                    officer_name: "Trần Thị Lan".into(),
                })?
                .token;
            let client = Client::new(&url, &fp)?.with_token(token);
            let mut seq = 0;
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let changes: Vec<Change> = (0..10)
                    .map(|_| {
                        seq += 1;
                        child_change(device, seq, seq)
                    })
                    .collect();
                let started = Instant::now();
                let answer = client.push(&PushRequest { changes })?;
                latencies.push(started.elapsed().as_secs_f64() * 1000.0);
                anyhow::ensure!(answer.acked_seq == seq && answer.stored == 10);
            }
            Ok(latencies)
        }));
    }
    let started = Instant::now();
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.join().expect("load thread")?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    Ok(
        json!({"bench": "server_push", "backend": backend, "threads": threads,
              "requests": all.len(), "changes_per_request": 10,
              "per_second": all.len() as f64 / elapsed,
              "p50_ms": percentile(&all, 0.5), "p99_ms": percentile(&all, 0.99),
              "max_ms": all.last()}),
    )
}

fn main() -> Result<()> {
    // `cargo bench` passes --bench; nothing else to parse.
    let dir = tempfile::tempdir()?;
    let mut server = Server::init(dir.path(), &[XA])?;
    server.start()?;
    first_and_empty_sync(dir.path(), &server)?;
    println!("{}", server_load(&server, "sqlite", 10, 8)?);
    drop(server);
    // The same load on PostgreSQL, given an empty database (`cargo xtask bench` makes one).
    if let Some(url) = std::env::var("BVTE_BENCH_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        let mut server = Server::init_with(
            &dir.path().join("postgres"),
            &[XA],
            &["--database-url", url.as_str()],
        )?;
        server.start()?;
        println!("{}", server_load(&server, "postgres", 10, 8)?);
    }
    Ok(())
}
