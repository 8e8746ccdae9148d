//! The administration pages and the reporting deadline through the real router in process:
//! who may open them, the form token, the one-time code, devices and the deadline's status.

use super::tests::{Fixture, HOST};
use crate::accounts::SessionLimits;
use crate::codes::{enroll_code_hash, normalize_enroll_code, token_hash};
use crate::error::{Refusal, StorageError};
use crate::storage::{DeviceAuth, Enrollment};
use axum::http::StatusCode;
use bvte_domain::time::{from_unix_millis, local_date};
use uuid::Uuid;

/// The `cookie` and `origin` headers of a signed-in browser on this server's pages.
fn browser(cookie: &str) -> [(&'static str, String); 2] {
    [
        ("cookie", cookie.to_owned()),
        ("origin", format!("https://{HOST}")),
    ]
}

fn post(f: &Fixture, cookie: &str, uri: &str, body: &str) -> super::tests::Answer {
    let h = browser(cookie);
    let h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
    f.send("POST", uri, &h, body)
}

fn get(f: &Fixture, cookie: &str, uri: &str) -> super::tests::Answer {
    f.send("GET", uri, &[("cookie", cookie)], "")
}

/// The one-time code shown on the page, if any.
fn shown_code(body: &str) -> Option<String> {
    body.split("id=\"one-time-code\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .map(str::to_owned)
}

/// Enrolls a device with `code` as the desktop app does (through the storage's enroll rule).
fn enroll(f: &Fixture, code: &str, commune: &str, name: &str) -> Result<DeviceAuth, StorageError> {
    let canonical = normalize_enroll_code(code).expect("a well-formed code");
    f.storage.enroll(&Enrollment {
        code_hash: enroll_code_hash(&canonical),
        device_id: Uuid::now_v7(),
        fresh_id: Uuid::now_v7(),
        proven: None,
        device_name: name.into(),
        officer: "Cán bộ xã".into(),
        commune_code: commune.into(),
        token_hash: token_hash(&format!("token-{name}")),
        now_ms: crate::clock::now_ms(),
    })
}

#[test]
fn a_supervisor_can_neither_open_nor_post_to_the_admin_pages() {
    let f = Fixture::new(SessionLimits::default());
    f.storage.add_commune("09955", 0).unwrap();
    let (cookie, csrf) = f.session("giam.sat");
    for page in ["/admin/communes", "/admin/codes", "/admin/devices"] {
        let a = get(&f, &cookie, page);
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{page}");
        assert!(a.body.contains("403"), "{}", a.body);
    }
    let overview = get(&f, &cookie, "/");
    assert!(!overview.body.contains("/admin/codes"), "no admin link");
    let a = post(
        &f,
        &cookie,
        "/admin/codes",
        &format!("csrf={csrf}&commune=09955&valid_days=7"),
    );
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(shown_code(&a.body).is_none());
    assert!(f.storage.enroll_codes().unwrap().is_empty(), "no code made");
    let a = post(
        &f,
        &cookie,
        "/admin/communes",
        &format!("csrf={csrf}&code=09956"),
    );
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(f.storage.communes().unwrap().len(), 1, "no commune added");
}

#[test]
fn admin_forms_without_the_form_token_or_from_another_site_change_nothing() {
    let f = Fixture::new(SessionLimits::default());
    f.storage.add_commune("09955", 0).unwrap();
    let (cookie, csrf) = f.session("quan.tri");
    let forms = [
        ("/admin/communes", "code=09956".to_owned()),
        ("/admin/codes", "commune=09955&valid_days=7".to_owned()),
        ("/admin/codes/revoke", format!("id={}", "0".repeat(64))),
        ("/admin/devices/revoke", format!("id={}", Uuid::now_v7())),
        (
            "/deadline",
            "title=Q&period_from=01/01/2026&period_to=30/06/2026&due_on=05/07/2026".to_owned(),
        ),
    ];
    for (uri, body) in &forms {
        for body in [body.clone(), format!("{body}&csrf=sai")] {
            let a = post(&f, &cookie, uri, &body);
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{uri} {body}");
            assert!(a.body.contains("mã biểu mẫu"), "{}", a.body);
        }
        let a = f.send(
            "POST",
            uri,
            &[("cookie", &cookie), ("origin", "https://evil.example")],
            &format!("{body}&csrf={csrf}"),
        );
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{uri} from another site");
    }
    assert_eq!(f.storage.communes().unwrap().len(), 1);
    assert!(f.storage.enroll_codes().unwrap().is_empty());
    assert!(f.storage.deadline().unwrap().is_none());
}

#[test]
fn an_enrollment_code_is_shown_once_enrolls_one_device_and_the_device_can_be_revoked() {
    let f = Fixture::new(SessionLimits::default());
    let (cookie, csrf) = f.session("quan.tri");
    let bad = post(
        &f,
        &cookie,
        "/admin/communes",
        &format!("csrf={csrf}&code=9955"),
    );
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("đúng 5 chữ số"), "{}", bad.body);
    let added = post(
        &f,
        &cookie,
        "/admin/communes",
        &format!("csrf={csrf}&code=09955"),
    );
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert!(added.body.contains("Đã đăng ký xã 09955"), "{}", added.body);
    assert!(
        get(&f, &cookie, "/admin/communes")
            .body
            .contains("data-commune=\"09955\"")
    );

    let unknown = post(
        &f,
        &cookie,
        "/admin/codes",
        &format!("csrf={csrf}&commune=01234&valid_days=7"),
    );
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(
        unknown.body.contains("chưa được đăng ký"),
        "{}",
        unknown.body
    );
    let issued = post(
        &f,
        &cookie,
        "/admin/codes",
        &format!("csrf={csrf}&commune=09955&valid_days=7"),
    );
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let code = shown_code(&issued.body).expect("the new code is shown");
    assert!(issued.body.contains("chỉ hiện một lần"), "{}", issued.body);
    let stored = f.storage.enroll_codes().unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].code_hash,
        enroll_code_hash(&normalize_enroll_code(&code).unwrap()),
        "the code shown is the one stored (as its hash)"
    );
    let list = get(&f, &cookie, "/admin/codes");
    assert!(!list.body.contains(&code), "never shown again");
    let english = get(&f, &cookie, "/admin/codes?lang=en");
    assert!(
        english.body.contains("Enrollment codes"),
        "{}",
        english.body
    );
    assert!(english.body.contains("Unused"));
    assert!(!english.body.contains(&code));
    assert!(shown_code(&list.body).is_none());
    assert!(list.body.contains("Chưa dùng"), "{}", list.body);

    let device = enroll(&f, &code, "09955", "Máy tính xã 1").unwrap();
    assert!(
        matches!(
            enroll(&f, &code, "09955", "Máy khác"),
            Err(StorageError::Refused(Refusal::CodeUsed))
        ),
        "one device per code"
    );
    assert!(get(&f, &cookie, "/admin/codes").body.contains("Đã dùng"));
    let devices = get(&f, &cookie, "/admin/devices");
    assert!(devices.body.contains("Máy tính xã 1"), "{}", devices.body);
    assert!(devices.body.contains(&device.device_id.to_string()));
    assert!(devices.body.contains("Đang hoạt động"));

    let revoked = post(
        &f,
        &cookie,
        "/admin/devices/revoke",
        &format!("csrf={csrf}&id={}", device.device_id),
    );
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert!(
        revoked.body.contains("không đồng bộ được nữa"),
        "{}",
        revoked.body
    );
    assert!(matches!(
        f.storage
            .authenticate(&token_hash("token-Máy tính xã 1"), crate::clock::now_ms()),
        Err(StorageError::Refused(Refusal::Revoked))
    ));
    let unknown = post(
        &f,
        &cookie,
        "/admin/devices/revoke",
        &format!("csrf={csrf}&id={}", Uuid::now_v7()),
    );
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
}

#[test]
fn a_withdrawn_code_no_longer_enrolls() {
    let f = Fixture::new(SessionLimits::default());
    f.storage.add_commune("09955", 0).unwrap();
    let (cookie, csrf) = f.session("quan.tri");
    let issued = post(
        &f,
        &cookie,
        "/admin/codes",
        &format!("csrf={csrf}&commune=09955&valid_days=3"),
    );
    let code = shown_code(&issued.body).unwrap();
    let hash = crate::codes::hex(&f.storage.enroll_codes().unwrap()[0].code_hash);
    let done = post(
        &f,
        &cookie,
        "/admin/codes/revoke",
        &format!("csrf={csrf}&id={hash}"),
    );
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Đã thu hồi mã đăng ký"), "{}", done.body);
    assert!(matches!(
        enroll(&f, &code, "09955", "Máy tính xã 2"),
        Err(StorageError::Refused(Refusal::CodeExpired))
    ));
    let again = post(
        &f,
        &cookie,
        "/admin/codes/revoke",
        &format!("csrf={csrf}&id={hash}"),
    );
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("Không thu hồi được"), "{}", again.body);
}

/// The page's "covered" count and the missing communes' codes.
fn coverage(body: &str) -> (String, Vec<String>) {
    let count = body
        .split("id=\"coverage-count\">")
        .nth(1)
        .and_then(|r| r.split("<strong>").nth(1))
        .and_then(|r| r.split('<').next())
        .unwrap_or_default()
        .to_owned();
    let missing = body
        .split("id=\"missing-communes\">")
        .nth(1)
        .and_then(|r| r.split("</ul>").next())
        .map(|ul| {
            ul.split("data-commune=\"")
                .skip(1)
                .filter_map(|r| r.split('"').next())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    (count, missing)
}

#[test]
fn a_supervisor_sets_a_deadline_and_sees_which_communes_are_missing() {
    let f = Fixture::new(SessionLimits::default());
    for c in ["09955", "09956"] {
        f.storage.add_commune(c, 0).unwrap();
    }
    let (admin, admin_csrf) = f.session("quan.tri");
    let issued = post(
        &f,
        &admin,
        "/admin/codes",
        &format!("csrf={admin_csrf}&commune=09955&valid_days=7"),
    );
    let pc = enroll(&f, &shown_code(&issued.body).unwrap(), "09955", "PC").unwrap();
    // Enrolled today, then a sync finished (its pull reached the end).
    f.storage
        .note_synced(pc.device_id, crate::clock::now_ms())
        .unwrap();

    let (cookie, csrf) = f.session("giam.sat");
    let before = get(&f, &cookie, "/");
    assert!(
        before.body.contains("Chưa đặt kỳ báo cáo"),
        "{}",
        before.body
    );

    let wrong = post(
        &f,
        &cookie,
        "/deadline",
        &format!(
            "csrf={csrf}&title=Q&period_from=30/06/2026&period_to=01/01/2026&due_on=05/07/2026"
        ),
    );
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("trước ngày đầu kỳ"), "{}", wrong.body);
    assert!(
        wrong.body.contains("value=\"30/06/2026\""),
        "the form as typed"
    );
    assert!(f.storage.deadline().unwrap().is_none(), "nothing stored");

    // A half-year long past: the enrolled commune synced after its end, the other never did.
    let title = "Báo cáo 6 tháng đầu năm 2026";
    let set = post(
        &f,
        &cookie,
        "/deadline",
        &format!(
            "csrf={csrf}&title={}&period_from=01/01/2026&period_to=30/06/2026&due_on=05/07/2026",
            super::tests::enc(title)
        ),
    );
    assert_eq!(
        (set.status, set.location.as_str()),
        (StatusCode::SEE_OTHER, "/")
    );
    let page = get(&f, &cookie, "/");
    assert!(page.body.contains(title), "{}", page.body);
    assert!(page.body.contains("05/07/2026"));
    let (count, missing) = coverage(&page.body);
    assert_eq!((count.as_str(), missing), ("1/2", vec!["09956".to_owned()]));
    let today = local_date(from_unix_millis(crate::clock::now_ms()).unwrap());
    let due = chrono::NaiveDate::from_ymd_opt(2026, 7, 5).unwrap();
    let late = (today - due).num_days();
    if late > 0 {
        assert!(
            page.body.contains(&format!("Đã quá hạn {late} ngày")),
            "{}",
            page.body
        );
    }

    // A period ending today, due in ten days: nobody has synced after its end yet.
    let fmt = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let set = post(
        &f,
        &cookie,
        "/deadline",
        &format!(
            "csrf={csrf}&title=Q&period_from={}&period_to={}&due_on={}",
            fmt(today - chrono::Days::new(30)),
            fmt(today),
            fmt(today + chrono::Days::new(10))
        ),
    );
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    let page = get(&f, &cookie, "/");
    let (count, missing) = coverage(&page.body);
    assert_eq!((count.as_str(), missing.len()), ("0/2", 2));
    assert!(page.body.contains("Còn 10 ngày"), "{}", page.body);
    assert_eq!(f.storage.deadline().unwrap().unwrap().set_by, "giam.sat");
}
