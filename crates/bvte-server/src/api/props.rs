//! Property test of the HTTP surface (issue 10, item 13): arbitrary methods, paths, queries,
//! headers and bodies sent to [`super::router`] in process (no socket) are answered with a JSON
//! answer: a refusal is an `ApiError` with a stable code and both messages, never a 500 and
//! never a panic. Bodies are noise, arbitrary JSON, or valid enrollments and pushes with one
//! field replaced by anything; some are sent with the enrolled device's real token so that the
//! push and pull paths past authentication are reached too.

use super::{AppState, router};
use crate::codes::{enroll_code_hash, normalize_enroll_code};
use crate::storage::{self, Location};
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use bvte_protocol::api::{ApiError, EnrollResponse};
use bvte_protocol::{Change, ChangeKind, Entity, Hlc};
use flate2::Compression;
use flate2::write::GzEncoder;
use http_body_util::BodyExt;
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use std::io::Write;
use tower::ServiceExt;
use uuid::Uuid;

const COMMUNE: &str = "09955";

/// A server with commune 09955 and one enrolled device: its router and its token.
struct Fixture {
    _dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
    app: Router,
    device: Uuid,
    token: String,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let location = Location::Sqlite(dir.path().join("server.db"));
        let storage = storage::open_at(&location, true).unwrap();
        let now = crate::clock::now_ms();
        storage.add_commune(COMMUNE, now).unwrap();
        let code = "ABCD-EFGH-JKMN";
        let hash = enroll_code_hash(&normalize_enroll_code(code).unwrap());
        storage
            .add_enroll_code(&hash, COMMUNE, now, now + 3_600_000)
            .unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let app = router(AppState {
            storage,
            identity: super::Identity::new(Uuid::now_v7()),
            data: dir.path().into(),
            reports: Default::default(),
        });
        let device = Uuid::now_v7();
        let mut fixture = Fixture {
            _dir: dir,
            runtime,
            app,
            device,
            token: String::new(),
        };
        let enrollment = json!({"code": code, "device_id": device,
            "device_name": "Máy tính UBND xã", "commune_code": COMMUNE});
        let (status, body) = fixture.send(
            Method::POST,
            "/api/v1/enroll",
            &[("content-type", "application/json")],
            serde_json::to_vec(&enrollment).unwrap(),
        );
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        let answer: EnrollResponse = serde_json::from_slice(&body).unwrap();
        fixture.token = answer.token;
        fixture
    }

    /// Sends one request through the router; the status and the whole body.
    fn send(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> (StatusCode, Vec<u8>) {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(Body::from(body)).unwrap();
        self.runtime.block_on(async {
            let res = self.app.clone().oneshot(req).await.unwrap();
            let status = res.status();
            let body = res.into_body().collect().await.unwrap().to_bytes();
            (status, body.to_vec())
        })
    }

    /// A valid push of one new child, as JSON.
    fn push(&self, seq: u64) -> Value {
        let mut fields = Map::new();
        fields.insert("full_name".into(), json!("Nguyễn Văn An"));
        fields.insert("commune_code".into(), json!(COMMUNE));
        let change = Change {
            change_id: Uuid::now_v7(),
            device_id: self.device,
            seq,
            hlc: Hlc {
                millis: crate::clock::now_ms(),
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
        };
        json!({ "changes": [change] })
    }
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "\\PC{0,30}".prop_map(Value::from),
        "[0-9A-Z-]{0,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 20, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// `doc` with the value at one place (chosen by `pick` among its fields, nested ones
/// included) replaced by `value`.
fn replace_one(doc: &mut Value, pick: usize, value: Value) {
    fn places(v: &Value, out: &mut Vec<String>, at: &str) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, x)| {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                places(x, out, &p);
            }),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                places(x, out, &p);
            }),
            _ => {}
        }
    }
    let mut all = vec![String::new()];
    places(doc, &mut all, "");
    let at = &all[pick % all.len()];
    match doc.pointer_mut(at) {
        Some(slot) => *slot = value,
        None => *doc = value,
    }
}

/// What a request carries: where, how, and which body.
#[derive(Debug, Clone)]
struct Probe {
    method: Method,
    uri: String,
    content_type: Option<String>,
    encoding: Option<String>,
    length: Option<String>,
    auth: u8,
    other_token: String,
    body: BodyKind,
    gzip: bool,
}

#[derive(Debug, Clone)]
enum BodyKind {
    Bytes(Vec<u8>),
    Json(Value),
    Enrollment(usize, Value),
    Push(u64, Option<(usize, Value)>),
}

fn probe() -> impl Strategy<Value = Probe> {
    let any_method = prop::sample::select(vec![
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::HEAD,
    ]);
    // Mostly the routes as a client calls them, so that the bodies and queries reach the
    // parsers; sometimes any method on any path.
    let route = prop_oneof![
        3 => Just((Method::POST, "/api/v1/enroll".to_owned())),
        4 => Just((Method::POST, "/api/v1/push".to_owned())),
        3 => Just((Method::GET, "/api/v1/changes".to_owned())),
        1 => Just((Method::GET, "/api/v1/status".to_owned())),
        2 => (any_method, "/[a-z0-9/._%-]{0,30}"),
    ];
    let query = prop_oneof![
        2 => Just(String::new()),
        1 => ("\\PC{0,10}", "\\PC{0,10}")
            .prop_map(|(a, l)| format!("?after={}&limit={}", urlish(&a), urlish(&l))),
        2 => (any::<i128>(), any::<i64>()).prop_map(|(a, l)| format!("?after={a}&limit={l}")),
        1 => "[&=a-z0-9%]{0,20}".prop_map(|q| format!("?{q}")),
    ];
    let header = |usual: Option<&'static str>, known: &'static [&'static str]| {
        prop_oneof![
            6 => Just(usual.map(str::to_owned)),
            1 => prop::sample::select(known).prop_map(|s| Some(s.to_owned())),
            1 => "[ -~]{0,20}".prop_map(Some),
        ]
    };
    let body = prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..200).prop_map(BodyKind::Bytes),
        2 => json_value().prop_map(BodyKind::Json),
        3 => (any::<usize>(), json_value()).prop_map(|(p, v)| BodyKind::Enrollment(p, v)),
        4 => (0u64..4, prop::option::weighted(0.75, (any::<usize>(), json_value())))
            .prop_map(|(s, m)| BodyKind::Push(s, m)),
    ];
    let auth = prop_oneof![5 => Just(1u8), 1 => Just(0u8), 1 => Just(2u8), 1 => Just(3u8)];
    (
        (route, query),
        header(
            Some("application/json"),
            &["application/json; charset=utf-8", "text/plain", ""],
        ),
        header(None, &["gzip", "identity", "br"]),
        header(None, &["0", "10", "99999999999", "-1"]),
        (auth, "[ -~]{0,50}"),
        (body, prop::bool::weighted(0.1)),
    )
        .prop_map(
            |(
                ((method, path), query),
                content_type,
                encoding,
                length,
                (auth, other),
                (body, flip),
            )| {
                // A gzip body when the header says so, except now and then.
                let gzip = (encoding.as_deref() == Some("gzip")) != flip;
                Probe {
                    method,
                    uri: format!("{path}{query}"),
                    content_type,
                    encoding,
                    length,
                    auth,
                    other_token: other,
                    body,
                    gzip,
                }
            },
        )
}

/// Percent-encodes anything outside a safe set, so the URI stays valid.
fn urlish(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn run(f: &Fixture, p: &Probe) -> Result<(), TestCaseError> {
    let mut body = match &p.body {
        BodyKind::Bytes(b) => b.clone(),
        BodyKind::Json(v) => serde_json::to_vec(v).unwrap(),
        BodyKind::Enrollment(pick, v) => {
            let mut doc = json!({"code": "WXYZ-WXYZ-WXYZ", "device_id": Uuid::now_v7(),
                "device_name": "Máy tính", "commune_code": COMMUNE});
            replace_one(&mut doc, *pick, v.clone());
            serde_json::to_vec(&doc).unwrap()
        }
        BodyKind::Push(seq, change) => {
            let mut doc = f.push(*seq);
            if let Some((pick, v)) = change {
                replace_one(&mut doc, *pick, v.clone());
            }
            serde_json::to_vec(&doc).unwrap()
        }
    };
    if p.gzip {
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(&body).unwrap();
        body = gz.finish().unwrap();
    }
    let bearer = format!("Bearer {}", f.token);
    let other = format!("Bearer {}", p.other_token);
    let mut headers: Vec<(&str, &str)> = Vec::new();
    match p.auth {
        1 => headers.push(("authorization", bearer.as_str())),
        2 => headers.push(("authorization", other.as_str())),
        3 => headers.push(("authorization", p.other_token.as_str())),
        _ => {}
    }
    let optional = [
        ("content-type", &p.content_type),
        ("content-encoding", &p.encoding),
        ("content-length", &p.length),
    ];
    for (name, value) in optional {
        if let Some(v) = value {
            headers.push((name, v.as_str()));
        }
    }
    let Ok(uri) = p.uri.parse::<axum::http::Uri>() else {
        return Ok(()); // not a request a client can send
    };
    if headers
        .iter()
        .any(|(_, v)| axum::http::HeaderValue::from_str(v).is_err())
    {
        return Ok(());
    }
    let (status, answer) = f.send(p.method.clone(), &uri.to_string(), &headers, body);
    prop_assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{:?}", p);
    if p.method == Method::HEAD {
        return Ok(()); // no body by definition
    }
    if status.is_success() {
        let parsed: Result<Value, _> = serde_json::from_slice(&answer);
        prop_assert!(parsed.is_ok(), "a JSON answer: {:?}", p);
    } else {
        let error: ApiError = serde_json::from_slice(&answer).map_err(|e| {
            TestCaseError::fail(format!(
                "not an ApiError ({e}): {} for {p:?}",
                String::from_utf8_lossy(&answer)
            ))
        })?;
        prop_assert!(!error.code.is_empty() && !error.message.is_empty());
        prop_assert!(!error.message_en.is_empty());
    }
    Ok(())
}

#[test]
fn any_request_gets_a_json_answer_never_a_500_or_a_panic() {
    let fixture = Fixture::new();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(400));
    runner
        .run(&probe(), |p| run(&fixture, &p))
        .unwrap_or_else(|e| panic!("{e}"));
}
