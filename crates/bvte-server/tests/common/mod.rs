//! The test harness: a data folder made by the real `bvte-server init`, the real server process
//! on port 0 (killed when dropped), and builders for changes.
//!
//! Backend: SQLite in the data folder, or PostgreSQL when `BVTE_TEST_DATABASE_URL` is set (e.g.
//! `postgres://bvte:bvte@127.0.0.1/postgres`, a role that may create databases): every site
//! then gets a fresh database `bvte_t_…`, made through that URL and dropped at the end.
#![allow(dead_code)] // each test file uses part of it

use bvte_client::{Client, ClientError};
use bvte_protocol::api::{EnrollRequest, PushRequest, PushResponse};
use bvte_protocol::{Change, ChangeKind, DeviceId, Entity, Hlc};
use serde_json::{Map, Value, json};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};
use tempfile::TempDir;
use uuid::Uuid;

/// Commune A of the tests.
pub const A: &str = "09955";
/// Commune B of the tests.
pub const B: &str = "00004";

/// The officer every test device enrolls with, and the author of the changes it makes.
pub const OFFICER: &str = "Trần Thị Lan";

/// The binary under test: this build's, or `BVTE_SERVER_BIN` (to run the suite against another
/// build, e.g. to see a new test fail on the previous release).
pub fn bin() -> Command {
    match std::env::var_os("BVTE_SERVER_BIN") {
        Some(other) => Command::new(other),
        None => Command::new(env!("CARGO_BIN_EXE_bvte-server")),
    }
}

/// Runs a command, returning its output.
pub fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .env_remove("BVTE_DATABASE_URL")
        .output()
        .unwrap()
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The last line of stdout.
pub fn last_line(o: &Output) -> String {
    stdout(o).lines().last().unwrap_or_default().to_owned()
}

/// The PostgreSQL URL the tests run against, or `None` for SQLite.
pub fn postgres_url() -> Option<String> {
    std::env::var("BVTE_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Whether this test should be skipped because it is about SQLite files; prints why.
pub fn skip_on_postgres(test: &str) -> bool {
    let skip = postgres_url().is_some();
    if skip {
        eprintln!("note: {test} is about SQLite files; skipped on PostgreSQL");
    }
    skip
}

/// Whether this test should be skipped because it needs PostgreSQL; prints why.
pub fn skip_without_postgres(test: &str) -> bool {
    let skip = postgres_url().is_none();
    if skip {
        eprintln!("note: {test} needs PostgreSQL; skipped (set BVTE_TEST_DATABASE_URL)");
    }
    skip
}

/// `url` with its database name replaced by `db` (the query string kept).
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let path = base[authority..]
        .find('/')
        .map_or(base.len(), |i| i + authority);
    let mut out = format!("{}/{db}", &base[..path]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// A fresh PostgreSQL database for one test, dropped (with its connections) at the end.
pub struct TestDatabase {
    admin_url: String,
    name: String,
    /// Its URL.
    pub url: String,
}

impl TestDatabase {
    /// `CREATE DATABASE bvte_t_<random>` through `admin_url`.
    pub fn create(admin_url: &str) -> TestDatabase {
        let name = format!("bvte_t_{}", Uuid::now_v7().simple());
        let mut admin = postgres::Client::connect(admin_url, postgres::NoTls)
            .unwrap_or_else(|e| panic!("BVTE_TEST_DATABASE_URL does not connect: {e}"));
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        TestDatabase {
            url: with_database(admin_url, &name),
            admin_url: admin_url.to_owned(),
            name,
        }
    }

    /// A connection to it.
    pub fn connect(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// A server data folder, initialised, with communes A and B registered.
pub struct Site {
    dir: TempDir,
    /// The certificate fingerprint printed by `init`.
    pub fingerprint: String,
    /// Its PostgreSQL database, when the tests run on PostgreSQL.
    pub database: Option<TestDatabase>,
}

/// Checks that `commune list` is refused because the database was made by a newer server
/// (schema version 99), with exit 7 and a message naming that version.
pub fn assert_refused_as_newer(site: &Site) {
    let out = site.cli(&["commune", "list"]);
    assert_eq!(out.status.code(), Some(7), "a storage problem");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("phiên bản mới hơn") && err.contains("99"),
        "{err}"
    );
}

impl Site {
    /// `init` + `commune add` for A and B. On PostgreSQL `init` gets `--database-url` and the
    /// later commands find it in `server.toml`.
    pub fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let database = postgres_url().map(|url| TestDatabase::create(&url));
        let site = Site {
            fingerprint: String::new(),
            dir,
            database,
        };
        let out = match &site.database {
            Some(db) => site.cli(&["init", "--database-url", db.url.as_str()]),
            None => site.cli(&["init"]),
        };
        assert!(out.status.success(), "init failed: {out:?}");
        let fingerprint = last_line(&out);
        for code in [A, B] {
            let out = site.cli(&["commune", "add", "--code", code]);
            assert!(out.status.success(), "commune add failed: {out:?}");
        }
        Site {
            fingerprint,
            ..site
        }
    }

    /// The data folder.
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Runs `bvte-server ARGS --data DIR`.
    pub fn cli(&self, args: &[&str]) -> Output {
        let data = self.data();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--data", data.to_str().unwrap()]);
        run(&all)
    }

    /// A fresh enrollment code for a commune (the last line of the human output).
    pub fn enroll_code(&self, commune: &str) -> String {
        let out = self.cli(&["enroll-code", "--commune", commune]);
        assert!(out.status.success(), "enroll-code failed: {out:?}");
        last_line(&out)
    }

    /// Starts `serve --listen 127.0.0.1:0`; returns once it printed its address.
    pub fn serve(&self) -> Server {
        self.serve_with_env(&[])
    }

    /// As [`Site::serve`], with extra environment variables (limits, timeouts).
    pub fn serve_with_env(&self, env: &[(&str, &str)]) -> Server {
        let log = self
            .dir
            .path()
            .join(format!("serve-{}.log", Uuid::now_v7()));
        let mut child = bin()
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(self.data())
            .env_remove("BVTE_DATABASE_URL")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!(
                    "no address printed: {line:?}; log: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            })
            .to_owned();
        Server {
            child,
            url,
            fingerprint: self.fingerprint.clone(),
            log,
        }
    }
}

/// A running server process.
pub struct Server {
    child: Child,
    /// `https://127.0.0.1:PORT`.
    pub url: String,
    fingerprint: String,
    /// Its stderr.
    pub log: PathBuf,
}

impl Server {
    /// A client without a token.
    pub fn client(&self) -> Client {
        Client::new(&self.url, &self.fingerprint).unwrap()
    }

    /// Enrolls a new device of `commune` with a fresh code.
    pub fn device(&self, site: &Site, commune: &str) -> Device {
        let id = Uuid::now_v7();
        let token = self.enroll(site, commune, id).unwrap().token;
        Device {
            id,
            client: self.client().with_token(token.clone()),
            token,
            next_seq: 1,
        }
    }

    /// Enrolls `id` for `commune` with a fresh code.
    pub fn enroll(
        &self,
        site: &Site,
        commune: &str,
        id: DeviceId,
    ) -> Result<bvte_protocol::api::EnrollResponse, ClientError> {
        self.client().enroll(&EnrollRequest {
            code: site.enroll_code(commune),
            device_id: id,
            device_name: "Máy tính UBND xã".into(),
            commune_code: commune.into(),
            officer_name: OFFICER.into(),
        })
    }

    /// Kills the process (SIGKILL) and waits for it.
    pub fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Sends SIGTERM and waits for the process to end.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        self.child.wait().unwrap()
    }

    /// The server's log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An enrolled device: its id, a client with its token, its next sequence number.
pub struct Device {
    /// Its id.
    pub id: DeviceId,
    /// Client with its token.
    pub client: Client,
    /// Its bearer token.
    pub token: String,
    /// The next `seq` to use.
    pub next_seq: u64,
}

impl Device {
    /// A change of this device with the next sequence number.
    pub fn change(&mut self, entity: Entity, entity_id: Uuid, fields: Value) -> Change {
        let seq = self.next_seq;
        self.next_seq += 1;
        change(self.id, seq, entity, entity_id, fields)
    }

    /// A new child of `commune`: a complete record, as a PC sends it.
    pub fn new_child(&mut self, commune: &str) -> (Uuid, Change) {
        let id = Uuid::now_v7();
        let c = self.change(Entity::Child, id, child_fields("Nguyễn Văn An", commune));
        (id, c)
    }

    /// A new case for `child`: a complete record, as a PC sends it.
    pub fn new_case(&mut self, child: Uuid) -> (Uuid, Change) {
        let id = Uuid::now_v7();
        let c = self.change(Entity::Case, id, case_fields(child));
        (id, c)
    }

    /// A new step (a verification) of `case`, as a PC sends it.
    pub fn new_step(&mut self, case: Uuid) -> Change {
        let id = Uuid::now_v7();
        let mut c = self.change(Entity::CaseEvent, id, step_fields(id, case));
        c.kind = ChangeKind::AppendEvent;
        c
    }

    /// Pushes changes.
    pub fn push(&self, changes: Vec<Change>) -> Result<PushResponse, ClientError> {
        self.client.push(&PushRequest { changes })
    }
}

/// The fields of a complete child record living in `commune`, as bvte-domain validates them.
pub fn child_fields(name: &str, commune: &str) -> Value {
    let input: bvte_domain::child::ChildInput = serde_json::from_value(json!({
        "full_name": name, "date_of_birth": "2016-03-08", "sex": "male",
        "residence_status": "thuong_tru", "village": "Thôn 3", "commune_code": commune
    }))
    .unwrap();
    let ctx = bvte_domain::child::ValidationContext {
        today: chrono::Utc::now().date_naive(),
        default_commune: commune.into(),
    };
    serde_json::to_value(input.validate(&ctx).unwrap()).unwrap()
}

/// The fields of a complete case of `child`.
pub fn case_fields(child: Uuid) -> Value {
    json!({
        "child_id": child, "received_at": chrono::Utc::now().to_rfc3339(),
        "category": "abused", "abuse_forms": ["neglect"], "environment": "family",
        "incident_commune": A, "residence_commune": A, "incident_place": "",
        "channel": "phone", "summary": ""
    })
}

/// The fields of a verification step `id` of `case`.
pub fn step_fields(id: Uuid, case: Uuid) -> Value {
    let now = chrono::Utc::now().to_rfc3339();
    json!({
        "id": id, "case_id": case, "occurred_at": now, "recorded_at": now,
        "author": OFFICER, "step": "verification", "data": {}
    })
}

/// Now, in milliseconds.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// A change with the clock at now.
pub fn change(
    device: DeviceId,
    seq: u64,
    entity: Entity,
    entity_id: Uuid,
    fields: Value,
) -> Change {
    let fields: Map<String, Value> = match fields {
        Value::Object(m) => m,
        _ => panic!("fields must be an object"),
    };
    Change {
        change_id: Uuid::now_v7(),
        device_id: device,
        seq,
        hlc: Hlc {
            millis: now_ms(),
            counter: 0,
        },
        entity,
        entity_id,
        kind: ChangeKind::UpsertFields,
        fields,
        base_hlc: Default::default(),
        author: OFFICER.into(),
        format: bvte_protocol::FORMAT,
        base_cursor: 0,
    }
}

/// The API error code of a failed call.
pub fn api_code<T: std::fmt::Debug>(r: Result<T, ClientError>) -> (u16, String, Option<u64>) {
    match r {
        Err(ClientError::Api { status, error }) => (status, error.code, error.acked_seq),
        other => panic!("expected an API error, got {other:?}"),
    }
}
