//! The dashboard's sign-in, session and CSRF rules through the real router in process (no
//! socket): what a browser would be answered.

use super::{WebState, router};
use crate::accounts::{self, SessionLimits};
use crate::storage::{self, Location, UserRow};
use axum::Router;
use axum::body::Body;
use axum::http::header::{LOCATION, REFERRER_POLICY, SET_COOKIE};
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub(super) const HOST: &str = "127.0.0.1:8443";
pub(super) const PASSWORD: &str = "mật khẩu đủ dài 2026";

/// Fields drop in order: the router (and the storage in it) before the database.
pub(super) struct Fixture {
    app: Router,
    pub(super) storage: std::sync::Arc<dyn crate::storage::Storage>,
    runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
    _database: Option<TestDatabase>,
}

/// A fresh PostgreSQL database when `BVTE_TEST_DATABASE_URL` is set (as `cargo xtask test`
/// does for the server's suite), dropped at the end.
struct TestDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl TestDatabase {
    fn create() -> Option<TestDatabase> {
        let admin_url = std::env::var("BVTE_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())?;
        let name = format!("bvte_w_{}", uuid::Uuid::now_v7().simple());
        let mut admin = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let (base, query) = admin_url.split_once('?').unwrap_or((&admin_url, ""));
        let authority = base.find("://").map_or(0, |i| i + 3);
        let path = base[authority..]
            .find('/')
            .map_or(base.len(), |i| i + authority);
        let mut url = format!("{}/{name}", &base[..path]);
        if !query.is_empty() {
            url = format!("{url}?{query}");
        }
        Some(TestDatabase {
            admin_url,
            name,
            url,
        })
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

pub(super) struct Answer {
    pub(super) status: StatusCode,
    pub(super) referrer_policy: String,
    pub(super) location: String,
    pub(super) cookie: String,
    pub(super) body: String,
}

impl Fixture {
    pub(super) fn new(limits: SessionLimits) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let database = TestDatabase::create();
        let location = match &database {
            Some(db) => Location::Postgres(db.url.clone()),
            None => Location::Sqlite(dir.path().join("server.db")),
        };
        let storage = storage::open_at(&location, true).unwrap();
        for (name, role) in [("giam.sat", "supervisor"), ("quan.tri", "admin")] {
            storage
                .add_user(&UserRow {
                    name: name.into(),
                    role: role.into(),
                    password_hash: accounts::hash_password(PASSWORD).unwrap(),
                    created_at_ms: 0,
                    failures: 0,
                    failures_since_ms: 0,
                    locked_until_ms: 0,
                    last_sign_in_ms: None,
                })
                .unwrap();
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let app = router(WebState {
            storage: storage.clone(),
            limits,
            reports: Default::default(),
        });
        Fixture {
            app,
            storage,
            runtime,
            _dir: dir,
            _database: database,
        }
    }

    pub(super) fn send(
        &self,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Answer {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header("host", HOST);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if method == "POST" {
            req = req.header("content-type", "application/x-www-form-urlencoded");
        }
        let req = req.body(Body::from(body.to_owned())).unwrap();
        let app = self.app.clone();
        self.runtime.block_on(async move {
            let res = app.oneshot(req).await.unwrap();
            let header = |name| {
                res.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned()
            };
            let (status, location, cookie) = (res.status(), header(LOCATION), header(SET_COOKIE));
            let referrer_policy = header(REFERRER_POLICY);
            let body = res.into_body().collect().await.unwrap().to_bytes();
            Answer {
                status,
                referrer_policy,
                location,
                cookie,
                body: String::from_utf8_lossy(&body).into_owned(),
            }
        })
    }

    pub(super) fn sign_in(&self, name: &str, password: &str) -> Answer {
        let body = format!("name={}&password={}", enc(name), enc(password));
        self.send(
            "POST",
            "/sign-in",
            &[("origin", &format!("https://{HOST}"))],
            &body,
        )
    }

    /// Signs in and returns the `Cookie` header to send, and the page's form token.
    pub(super) fn session(&self, name: &str) -> (String, String) {
        let a = self.sign_in(name, PASSWORD);
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let cookie = a.cookie.split(';').next().unwrap().to_owned();
        let page = self.send("GET", "/overdue", &[("cookie", &cookie)], "");
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let csrf = page
            .body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_owned();
        (cookie, csrf)
    }
}

pub(super) fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn a_wrong_password_is_refused_and_the_right_one_gives_a_strict_session_cookie() {
    let f = Fixture::new(SessionLimits::default());
    let wrong = f.sign_in("giam.sat", "không phải mật khẩu");
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.cookie.is_empty(), "no cookie: {}", wrong.cookie);
    assert!(
        wrong
            .body
            .contains("Tên đăng nhập hoặc mật khẩu không đúng"),
        "{}",
        wrong.body
    );
    let unknown = f.sign_in("không.có", PASSWORD);
    assert_eq!(
        unknown.status,
        StatusCode::UNAUTHORIZED,
        "an unknown name: the same answer"
    );

    let ok = f.sign_in("giam.sat", PASSWORD);
    assert_eq!(
        (ok.status, ok.location.as_str()),
        (StatusCode::SEE_OTHER, "/")
    );
    for attribute in [
        "__Host-bvte_session=",
        "Secure",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
    ] {
        assert!(
            ok.cookie.contains(attribute),
            "{attribute} in {}",
            ok.cookie
        );
    }
    let token = ok
        .cookie
        .split(';')
        .next()
        .unwrap()
        .split('=')
        .nth(1)
        .unwrap();
    assert_eq!(
        data_encoding::BASE64URL_NOPAD
            .decode(token.as_bytes())
            .unwrap()
            .len(),
        32
    );
}

#[test]
fn five_wrong_passwords_lock_the_account_even_against_the_right_one() {
    let f = Fixture::new(SessionLimits::default());
    for _ in 0..4 {
        assert_eq!(
            f.sign_in("giam.sat", "sai mật khẩu").status,
            StatusCode::UNAUTHORIZED
        );
    }
    let fifth = f.sign_in("giam.sat", "sai mật khẩu");
    assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(fifth.body.contains("Tài khoản tạm khóa"), "{}", fifth.body);
    let right = f.sign_in("giam.sat", PASSWORD);
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked: {}",
        right.body
    );
    assert!(right.cookie.is_empty());
    // Another account is not affected.
    assert_eq!(
        f.sign_in("quan.tri", PASSWORD).status,
        StatusCode::SEE_OTHER
    );
}

#[test]
fn signing_out_needs_the_sessions_form_token() {
    let f = Fixture::new(SessionLimits::default());
    let (cookie, csrf) = f.session("giam.sat");
    let own = format!("https://{HOST}");
    let headers = [("cookie", cookie.as_str()), ("origin", own.as_str())];
    let missing = f.send("POST", "/sign-out", &headers, "");
    assert_eq!(missing.status, StatusCode::FORBIDDEN, "{}", missing.body);
    let wrong = f.send("POST", "/sign-out", &headers, "csrf=abc");
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(
        f.send("GET", "/", &headers[..1], "").status,
        StatusCode::OK,
        "still signed in"
    );

    let out = f.send("POST", "/sign-out", &headers, &format!("csrf={csrf}"));
    assert_eq!(
        (out.status, out.location.as_str()),
        (StatusCode::SEE_OTHER, "/sign-in")
    );
    assert!(out.cookie.contains("Max-Age=0"), "{}", out.cookie);
    let after = f.send("GET", "/", &headers[..1], "");
    assert_eq!(after.status, StatusCode::SEE_OTHER, "the session is over");
}

#[test]
fn a_form_sent_from_another_site_is_refused() {
    let f = Fixture::new(SessionLimits::default());
    let (cookie, csrf) = f.session("giam.sat");
    let body = format!("csrf={csrf}");
    for headers in [
        vec![
            ("cookie", cookie.as_str()),
            ("origin", "https://evil.example"),
        ],
        vec![
            ("cookie", cookie.as_str()),
            ("sec-fetch-site", "cross-site"),
        ],
        vec![
            ("cookie", cookie.as_str()),
            ("origin", "http://127.0.0.1:8443"),
        ],
    ] {
        let a = f.send("POST", "/sign-out", &headers, &body);
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    let login = format!("name=giam.sat&password={}", enc(PASSWORD));
    let a = f.send(
        "POST",
        "/sign-in",
        &[("origin", "https://evil.example")],
        &login,
    );
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a.cookie.is_empty());
}

#[test]
fn a_supervisor_is_refused_the_administrators_page() {
    let f = Fixture::new(SessionLimits::default());
    let (supervisor, _) = f.session("giam.sat");
    let a = f.send("GET", "/accounts", &[("cookie", &supervisor)], "");
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a.body.contains("chỉ dành cho quản trị viên"), "{}", a.body);
    let (admin, _) = f.session("quan.tri");
    let a = f.send("GET", "/accounts", &[("cookie", &admin)], "");
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("giam.sat"), "{}", a.body);
}

#[test]
fn an_expired_session_is_sent_back_to_sign_in() {
    let f = Fixture::new(SessionLimits {
        idle_ms: 300,
        absolute_ms: crate::accounts::ABSOLUTE_MS,
    });
    let (cookie, _) = f.session("giam.sat");
    std::thread::sleep(std::time::Duration::from_millis(400));
    let a = f.send("GET", "/", &[("cookie", &cookie)], "");
    assert_eq!(
        (a.status, a.location.as_str()),
        (StatusCode::SEE_OTHER, "/sign-in?expired=1")
    );
    let page = f.send("GET", &a.location, &[], "");
    assert!(
        page.body.contains("Phiên đăng nhập đã hết hạn"),
        "{}",
        page.body
    );
    let none = f.send("GET", "/", &[], "");
    assert_eq!(
        (none.status, none.location.as_str()),
        (StatusCode::SEE_OTHER, "/sign-in")
    );
}

#[test]
fn the_pages_switch_to_english_and_remember_it() {
    let f = Fixture::new(SessionLimits::default());
    let a = f.send("GET", "/sign-in?lang=en", &[], "");
    assert!(a.body.contains("Sign in"), "{}", a.body);
    assert!(a.cookie.contains("bvte_lang=en"), "{}", a.cookie);
    let b = f.send("GET", "/sign-in", &[("cookie", "bvte_lang=en")], "");
    assert!(b.body.contains("Password"));
    let c = f.send("GET", "/sign-in", &[], "");
    assert!(c.body.contains("Mật khẩu"));
}

#[test]
fn pages_let_the_browser_send_their_origin_with_a_form() {
    // Seen failing in Chromium (tests/e2e/dashboard.rs): under `Referrer-Policy: no-referrer`
    // a form is posted with `Origin: null`, which the origin check refuses, so nobody could sign in.
    let f = Fixture::new(SessionLimits::default());
    let page = f.send("GET", "/sign-in", &[], "");
    assert_eq!(page.referrer_policy, "same-origin");
    let login = format!("name=giam.sat&password={}", enc(PASSWORD));
    let null = f.send("POST", "/sign-in", &[("origin", "null")], &login);
    assert_eq!(
        null.status,
        StatusCode::FORBIDDEN,
        "an opaque origin is refused"
    );
}

#[test]
fn a_wrong_period_is_explained_not_computed() {
    let f = Fixture::new(SessionLimits::default());
    let (cookie, _) = f.session("giam.sat");
    for (query, says) in [
        (
            "from=31%2F03%2F2026&to=01%2F03%2F2026",
            "trước ngày bắt đầu",
        ),
        ("from=01%2F01%2F2026&to=01%2F01%2F2099", "tương lai"),
        ("from=31%2F02%2F2026&to=01%2F03%2F2026", "không có thật"),
    ] {
        let a = f.send("GET", &format!("/?{query}"), &[("cookie", &cookie)], "");
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(
            a.body.contains("Kỳ báo cáo không hợp lệ") && a.body.contains(says),
            "{query}: {}",
            a.body
        );
        assert!(
            !a.body.contains("download-xlsx"),
            "no download of a wrong period"
        );
        let file = f.send(
            "GET",
            &format!("/report.xlsx?{query}"),
            &[("cookie", &cookie)],
            "",
        );
        assert_eq!(file.status, StatusCode::BAD_REQUEST, "{query}");
    }
    let ok = f.send("GET", "/?from=01%2F01%2F2026", &[("cookie", &cookie)], "");
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.body.contains("download-xlsx"));
}

#[test]
fn a_session_ends_after_its_absolute_limit_even_in_use_and_with_its_account() {
    let f = Fixture::new(SessionLimits {
        idle_ms: crate::accounts::IDLE_MS,
        absolute_ms: 3_000,
    });
    let (cookie, _) = f.session("giam.sat");
    let signed_in = std::time::Instant::now();
    for _ in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert_eq!(
            f.send("GET", "/", &[("cookie", &cookie)], "").status,
            StatusCode::OK
        );
    }
    std::thread::sleep(std::time::Duration::from_millis(3_100).saturating_sub(signed_in.elapsed()));
    let a = f.send("GET", "/", &[("cookie", &cookie)], "");
    assert_eq!(
        a.location, "/sign-in?expired=1",
        "used all along, still ended"
    );

    let (admin, _) = f.session("quan.tri");
    assert!(f.storage.remove_user("quan.tri").unwrap());
    let b = f.send("GET", "/", &[("cookie", &admin)], "");
    assert_eq!(
        b.status,
        StatusCode::SEE_OTHER,
        "a removed account's session is over"
    );
}

/// A commune with a child named `name` and a case received two weeks ago with no step since (so
/// past a legal limit), stored as a PC's push would store them. Returns the case's id.
fn synced_case(storage: &dyn crate::storage::Storage, commune: &str, name: &str) -> uuid::Uuid {
    use bvte_protocol::{Change, ChangeKind, Entity, Hlc};
    use serde_json::{Value, json};
    let now = crate::clock::now_ms();
    let device = crate::test_fixtures::enroll(storage, commune, "ABCDEFGHJKMN");
    let id = device.device_id;
    let change = |seq: u64, entity: Entity, entity_id: uuid::Uuid, fields: Value| Change {
        change_id: uuid::Uuid::now_v7(),
        device_id: id,
        seq,
        hlc: Hlc {
            millis: now,
            counter: seq as u32,
        },
        entity,
        entity_id,
        kind: ChangeKind::UpsertFields,
        fields: fields.as_object().cloned().unwrap(),
        base_hlc: Default::default(),
        author: "Cán bộ xã".into(),
        format: bvte_protocol::FORMAT,
        base_cursor: 0,
    };
    let child = uuid::Uuid::now_v7();
    let case = uuid::Uuid::now_v7();
    let received = chrono::Utc::now() - chrono::Duration::days(14);
    let changes = vec![
        change(
            1,
            Entity::Child,
            child,
            crate::test_fixtures::child_fields(commune, name),
        ),
        change(
            2,
            Entity::Case,
            case,
            json!({
                "child_id": child, "received_at": received.to_rfc3339(),
                "category": "abused", "abuse_forms": ["neglect"], "environment": "family",
                "incident_commune": commune, "residence_commune": commune, "incident_place": "",
                "channel": "phone", "summary": ""
            }),
        ),
    ];
    let out = storage.push(&device, &changes, now).unwrap();
    assert!(out.refused.is_empty(), "{out:?}");
    case
}

#[test]
fn a_supervisor_sees_the_commune_and_its_overdue_case_but_never_the_childs_name() {
    let f = Fixture::new(SessionLimits::default());
    let case = synced_case(&*f.storage, "09955", "Lò Thị Mỷ");
    let (cookie, _) = f.session("giam.sat");
    let overview = f.send("GET", "/", &[("cookie", &cookie)], "");
    assert_eq!(overview.status, StatusCode::OK);
    assert!(
        overview.body.contains("data-commune=\"09955\""),
        "{}",
        overview.body
    );
    let overdue = f.send("GET", "/overdue", &[("cookie", &cookie)], "");
    assert!(
        overdue.body.contains(&case.to_string()),
        "the case by its code: {}",
        overdue.body
    );
    for page in [&overview, &overdue] {
        assert!(
            !page.body.contains("Lò Thị Mỷ") && !page.body.contains("Mỷ"),
            "no name"
        );
    }
}
