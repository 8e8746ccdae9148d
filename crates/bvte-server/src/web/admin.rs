//! The administration pages (administrators only; a supervisor gets 403): the area's communes
//! (list, register), the one-time enrollment codes (make one for a commune, see which are
//! unused, used, expired or withdrawn, withdraw one) and the enrolled devices (which PC of which
//! commune, its last sync, revoke it) — the `bvte-server commune`, `enroll-code` and `device`
//! commands in the browser, on the same storage calls. Every form carries the session's token
//! and passes the origin check ([`super::session`]).
//!
//! A new enrollment code is shown once, in the answer to the form that made it (never stored,
//! never logged: the log line names the route only, and the answer is `Cache-Control: no-store`).

use super::pages::{ForbiddenPage, Frame};
use super::session::{Signed, forbidden};
use super::{WebState, html, local_time};
use crate::accounts::Role;
use crate::clock::now_ms;
use crate::codes::{enroll_code_hash, hex, new_enroll_code, normalize_enroll_code};
use crate::commune::valid_commune_code;
use crate::error::StorageError;
use crate::storage::{CommuneRow, DeviceRow, EnrollCodeRow, Storage};
use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;

/// The refusal of a form without the session's token.
pub const CSRF_REFUSED: &str = "Yêu cầu bị từ chối: thiếu hoặc sai mã biểu mẫu; hãy tải lại trang (request refused: missing or wrong form token).";

/// Longest validity of an enrollment code, in days.
const MAX_VALID_DAYS: u32 = 90;

/// What a page says after a form: a message, and whether it reports a mistake.
#[derive(Default)]
pub(super) struct Notice {
    pub(super) text: String,
    pub(super) error: bool,
}

impl Notice {
    fn ok(text: impl Into<String>) -> Notice {
        Notice {
            text: text.into(),
            error: false,
        }
    }

    fn error(text: impl Into<String>) -> Notice {
        Notice {
            text: text.into(),
            error: true,
        }
    }
}

/// One line of the communes page.
pub(super) struct CommuneView {
    code: String,
    name: String,
    added: String,
    active: usize,
    last_sync: String,
}

/// One line of the codes page.
pub(super) struct CodeView {
    id: String,
    hash: String,
    commune: String,
    created: String,
    expires: String,
    state: String,
    revocable: bool,
}

/// One line of the devices page.
pub(super) struct DeviceView {
    id: String,
    name: String,
    commune: String,
    commune_name: String,
    enrolled: String,
    last_seen: String,
    last_sync: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "admin_communes.html")]
struct CommunesPage {
    f: Frame,
    notice: Notice,
    communes: Vec<CommuneView>,
}

#[derive(Template)]
#[template(path = "admin_codes.html")]
struct CodesPage {
    f: Frame,
    notice: Notice,
    /// The registered communes: code and official name.
    communes: Vec<(String, String)>,
    /// The code just made (shown once) and its commune.
    fresh: Option<(String, String, String)>,
    codes: Vec<CodeView>,
}

#[derive(Template)]
#[template(path = "admin_devices.html")]
struct DevicesPage {
    f: Frame,
    notice: Notice,
    devices: Vec<DeviceView>,
}

/// What the administration pages read.
struct Loaded {
    area: Option<String>,
    communes: Vec<CommuneRow>,
    devices: Vec<DeviceRow>,
    codes: Vec<EnrollCodeRow>,
}

/// Runs `f` on the blocking pool, then reads what the pages show (after the change, so the page
/// shows it). A storage failure is a 503.
async fn run<T: Send + 'static>(
    state: &WebState,
    f: impl FnOnce(&dyn Storage) -> Result<T, StorageError> + Send + 'static,
) -> Result<(T, Loaded), Response> {
    let storage: Arc<dyn Storage> = state.storage.clone();
    tokio::task::spawn_blocking(move || {
        let out = f(&*storage)?;
        let loaded = Loaded {
            area: storage.area_name()?,
            communes: storage.communes()?,
            devices: storage.devices()?,
            codes: storage.enroll_codes()?,
        };
        Ok::<_, StorageError>((out, loaded))
    })
    .await
    .ok()
    .and_then(Result::ok)
    .ok_or_else(|| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "Máy chủ tạm thời không đọc được dữ liệu; hãy thử lại (storage unavailable).",
        )
            .into_response()
    })
}

/// The 403 page of a supervisor (`None` for an administrator).
async fn refuse_non_admin(s: &Signed, state: &WebState, page: &'static str) -> Option<Response> {
    if s.role == Role::Admin {
        return None;
    }
    let storage = state.storage.clone();
    let area = tokio::task::spawn_blocking(move || storage.area_name())
        .await
        .ok()
        .and_then(Result::ok)
        .flatten();
    let mut res = html(&ForbiddenPage {
        f: Frame::new(s, area, String::new(), page),
    });
    *res.status_mut() = StatusCode::FORBIDDEN;
    Some(res)
}

/// Refuses (403) a form without the session's token.
/// The checks of every administration form: the session's form token, then the admin role.
async fn admin_post(
    s: &Signed,
    state: &WebState,
    token: Option<&str>,
    page: &'static str,
) -> Option<Response> {
    match check_token(s, token) {
        Some(r) => Some(r),
        None => refuse_non_admin(s, state, page).await,
    }
}

fn check_token(s: &Signed, token: Option<&str>) -> Option<Response> {
    (!token.is_some_and(|t| s.csrf_ok(t))).then(|| forbidden(CSRF_REFUSED))
}

fn with_status(mut res: Response, notice: &Notice) -> Response {
    if notice.error {
        *res.status_mut() = StatusCode::BAD_REQUEST;
    }
    res
}

fn communes_page(s: &Signed, l: Loaded, notice: Notice) -> Response {
    let communes = l
        .communes
        .iter()
        .map(|c| {
            let own: Vec<_> = l
                .devices
                .iter()
                .filter(|d| d.commune_code == c.code)
                .collect();
            CommuneView {
                code: c.code.clone(),
                name: super::view::commune_name(&c.code),
                added: day(c.added_at_ms),
                active: own.iter().filter(|d| d.revoked_at_ms.is_none()).count(),
                last_sync: own
                    .iter()
                    .filter_map(|d| d.last_sync_ms)
                    .max()
                    .map_or_else(String::new, local_time),
            }
        })
        .collect();
    let page = CommunesPage {
        f: Frame::new(s, l.area, String::new(), "admin_communes"),
        notice,
        communes,
    };
    with_status(html(&page), &page.notice)
}

/// A time as a day, dd/mm/yyyy (Vietnam).
fn day(ms: u64) -> String {
    local_time(ms)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// `GET /admin/communes`.
pub async fn communes(s: Signed, State(state): State<WebState>) -> Response {
    if let Some(r) = refuse_non_admin(&s, &state, "admin_communes").await {
        return r;
    }
    match run(&state, |_| Ok(())).await {
        Ok(((), l)) => communes_page(&s, l, Notice::default()),
        Err(r) => r,
    }
}

/// The form that registers a commune.
#[derive(Deserialize)]
pub struct CommuneForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    code: String,
}

/// `POST /admin/communes`: registers a commune (`bvte-server commune add`).
pub async fn add_commune(
    s: Signed,
    State(state): State<WebState>,
    Form(form): Form<CommuneForm>,
) -> Response {
    if let Some(r) = admin_post(&s, &state, form.csrf.as_deref(), "admin_communes").await {
        return r;
    }
    let a = s.lang.admin();
    let code = form.code.trim().to_owned();
    if !valid_commune_code(&code) {
        let msg = s.lang.pick(
            "Mã xã không hợp lệ: phải gồm đúng 5 chữ số, ví dụ 09955.",
            "The commune code must be exactly 5 digits, e.g. 09955.",
        );
        return match run(&state, |_| Ok(())).await {
            Ok(((), l)) => communes_page(&s, l, Notice::error(msg)),
            Err(r) => r,
        };
    }
    let c = code.clone();
    match run(&state, move |st| st.add_commune(&c, now_ms())).await {
        Ok((true, l)) => communes_page(&s, l, Notice::ok(format!("{} {code}.", a.commune_added))),
        Ok((false, l)) => communes_page(&s, l, Notice::ok(format!("{} {code}.", a.commune_exists))),
        Err(r) => r,
    }
}

fn codes_page(
    s: &Signed,
    l: Loaded,
    notice: Notice,
    fresh: Option<(String, String, String)>,
) -> Response {
    let a = s.lang.admin();
    let now = now_ms();
    let codes = l
        .codes
        .iter()
        .map(|c| {
            let state = if c.revoked_at_ms.is_some() {
                a.revoked.to_owned()
            } else if c.used_at_ms.is_some() {
                format!(
                    "{} {}",
                    a.used,
                    c.used_at_ms.map_or_else(String::new, local_time)
                )
            } else if now >= c.expires_at_ms {
                a.expired.to_owned()
            } else {
                a.unused.to_owned()
            };
            CodeView {
                id: hex(&c.code_hash[..4]),
                hash: hex(&c.code_hash),
                commune: c.commune_code.clone(),
                created: local_time(c.created_at_ms),
                expires: local_time(c.expires_at_ms),
                revocable: c.revoked_at_ms.is_none()
                    && c.used_at_ms.is_none()
                    && now < c.expires_at_ms,
                state,
            }
        })
        .collect();
    let page = CodesPage {
        f: Frame::new(s, l.area, String::new(), "admin_codes"),
        notice,
        communes: l
            .communes
            .into_iter()
            .map(|c| {
                let name = super::view::commune_name(&c.code);
                (c.code, name)
            })
            .collect(),
        fresh,
        codes,
    };
    with_status(html(&page), &page.notice)
}

/// `GET /admin/codes`: the codes and the form that makes one (never a code itself: only
/// hashes are stored).
pub async fn codes(s: Signed, State(state): State<WebState>) -> Response {
    if let Some(r) = refuse_non_admin(&s, &state, "admin_codes").await {
        return r;
    }
    match run(&state, |_| Ok(())).await {
        Ok(((), l)) => codes_page(&s, l, Notice::default(), None),
        Err(r) => r,
    }
}

/// The form that makes an enrollment code.
#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    commune: String,
    #[serde(default)]
    valid_days: String,
}

/// `POST /admin/codes`: makes a one-time enrollment code for a registered commune
/// (`bvte-server enroll-code`) and shows it, this once.
pub async fn issue_code(
    s: Signed,
    State(state): State<WebState>,
    Form(form): Form<CodeForm>,
) -> Response {
    if let Some(r) = admin_post(&s, &state, form.csrf.as_deref(), "admin_codes").await {
        return r;
    }
    let commune = form.commune.trim().to_owned();
    let days = form.valid_days.trim();
    let days = if days.is_empty() {
        Ok(7)
    } else {
        days.parse::<u32>()
            .ok()
            .filter(|d| (1..=MAX_VALID_DAYS).contains(d))
            .ok_or(())
    };
    let problem = if !valid_commune_code(&commune) {
        Some(s.lang.pick(
            "Hãy chọn một xã đã đăng ký.",
            "Choose a registered commune.",
        ))
    } else if days.is_err() {
        Some(s.lang.pick(
            "Số ngày hiệu lực phải là số nguyên từ 1 đến 90.",
            "Days valid must be a whole number from 1 to 90.",
        ))
    } else {
        None
    };
    let made = new_enroll_code()
        .ok()
        .and_then(|code| normalize_enroll_code(&code).map(|canonical| (code, canonical)));
    let (Some((code, canonical)), None, Ok(days)) = (made, problem, days) else {
        let msg = problem.unwrap_or("Hệ điều hành không cấp được số ngẫu nhiên (no randomness).");
        return match run(&state, |_| Ok(())).await {
            Ok(((), l)) => codes_page(&s, l, Notice::error(msg), None),
            Err(r) => r,
        };
    };
    let c = commune.clone();
    let added = run(&state, move |st| {
        let now = now_ms();
        let expires = now + u64::from(days) * 24 * 3600 * 1000;
        match st.add_enroll_code(&enroll_code_hash(&canonical), &c, now, expires) {
            Ok(()) => Ok(Some(expires)),
            Err(StorageError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    })
    .await;
    match added {
        Ok((Some(expires), l)) => {
            let fresh = Some((code, commune, local_time(expires)));
            codes_page(&s, l, Notice::default(), fresh)
        }
        Ok((None, l)) => {
            let msg = s.lang.pick(
                "Xã này chưa được đăng ký: hãy đăng ký xã trước ở trang Xã.",
                "This commune is not registered: register it first on the Communes page.",
            );
            codes_page(&s, l, Notice::error(msg), None)
        }
        Err(r) => r,
    }
}

/// The form that withdraws a code or revokes a device.
#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    id: String,
}

/// `POST /admin/codes/revoke`: withdraws an unused code (it expires now).
pub async fn revoke_code(
    s: Signed,
    State(state): State<WebState>,
    Form(form): Form<RevokeForm>,
) -> Response {
    if let Some(r) = admin_post(&s, &state, form.csrf.as_deref(), "admin_codes").await {
        return r;
    }
    let a = s.lang.admin();
    let hash: Option<[u8; 32]> = data_encoding::HEXLOWER_PERMISSIVE
        .decode(form.id.trim().as_bytes())
        .ok()
        .and_then(|h| h.try_into().ok());
    let done = run(&state, move |st| match hash {
        Some(h) => st.revoke_enroll_code(&h, now_ms()),
        None => Ok(false),
    })
    .await;
    match done {
        Ok((true, l)) => codes_page(&s, l, Notice::ok(a.code_revoked), None),
        Ok((false, l)) => codes_page(&s, l, Notice::error(a.code_not_revocable), None),
        Err(r) => r,
    }
}

fn devices_page(s: &Signed, l: Loaded, notice: Notice) -> Response {
    let devices = l
        .devices
        .iter()
        .map(|d| DeviceView {
            id: d.device_id.to_string(),
            name: d.name.clone(),
            commune: d.commune_code.clone(),
            commune_name: super::view::commune_name(&d.commune_code),
            enrolled: local_time(d.enrolled_at_ms),
            last_seen: d.last_seen_ms.map_or_else(String::new, local_time),
            last_sync: d.last_sync_ms.map_or_else(String::new, local_time),
            revoked: d.revoked_at_ms.is_some(),
        })
        .collect();
    let page = DevicesPage {
        f: Frame::new(s, l.area, String::new(), "admin_devices"),
        notice,
        devices,
    };
    with_status(html(&page), &page.notice)
}

/// `GET /admin/devices`.
pub async fn devices(s: Signed, State(state): State<WebState>) -> Response {
    if let Some(r) = refuse_non_admin(&s, &state, "admin_devices").await {
        return r;
    }
    match run(&state, |_| Ok(())).await {
        Ok(((), l)) => devices_page(&s, l, Notice::default()),
        Err(r) => r,
    }
}

/// `POST /admin/devices/revoke`: revokes a device's token (`bvte-server device revoke`).
pub async fn revoke_device(
    s: Signed,
    State(state): State<WebState>,
    Form(form): Form<RevokeForm>,
) -> Response {
    if let Some(r) = admin_post(&s, &state, form.csrf.as_deref(), "admin_devices").await {
        return r;
    }
    let a = s.lang.admin();
    let id = uuid::Uuid::parse_str(form.id.trim()).ok();
    let done = run(&state, move |st| match id {
        Some(id) => match st.revoke(id, now_ms()) {
            Ok(()) => Ok(true),
            Err(StorageError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        },
        None => Ok(false),
    })
    .await;
    match done {
        Ok((true, l)) => devices_page(&s, l, Notice::ok(a.device_revoked)),
        Ok((false, l)) => devices_page(&s, l, Notice::error(a.device_unknown)),
        Err(r) => r,
    }
}
