//! The dashboard's pages: sign-in and sign-out, the overview, the overdue cases, the accounts
//! (administrators only) and the area report's files.

use super::deadline::{self, DeadlineForm, DeadlineView};
use super::session::{Reader, Signed, cleared_cookie, forbidden, session_cookie};
use super::text::{Lang, Texts};
use super::view::{self, Dashboard};
use super::{WebState, html};
use crate::accounts::{self, Role, SignIn};
use crate::clock::now_ms;
use crate::report::{FileFormat, issuer, render};
use crate::report_cache::Inputs;
use crate::reporting::DeadlineStatus;
use crate::storage::{DeadlineRow, DeviceRow};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use bvte_domain::time::{from_unix_millis, local_date, parse_date};
use bvte_report::Period;
use chrono::Datelike;
use serde::Deserialize;
use std::collections::BTreeSet;

/// What every page around the content shows.
pub(super) struct Frame {
    pub(super) t: &'static Texts,
    /// The administration pages' and the deadline's words.
    pub(super) a: &'static super::admin_text::AdminTexts,
    pub(super) lang: &'static str,
    pub(super) user: String,
    pub(super) role: &'static str,
    pub(super) csrf: String,
    pub(super) admin: bool,
    pub(super) area: String,
    /// `?from=…&to=…` of the period shown, for links that keep it.
    pub(super) query: String,
    /// Which page (`overview`, `overdue`, `accounts`), for the menu.
    pub(super) page: &'static str,
}

impl Frame {
    pub(super) fn new(
        s: &Signed,
        area: Option<String>,
        query: String,
        page: &'static str,
    ) -> Frame {
        let t = s.lang.texts();
        Frame {
            t,
            a: s.lang.admin(),
            lang: s.lang.code(),
            user: s.session.user_name.clone(),
            role: match (s.role, s.lang) {
                (Role::Admin, Lang::En) => "administrator",
                (Role::Supervisor, Lang::En) => "supervisor",
                (r, Lang::Vi) => r.label_vi(),
            },
            csrf: s.session.csrf_token.clone(),
            admin: s.role == Role::Admin,
            area: area.unwrap_or_default(),
            query,
            page,
        }
    }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    t: &'static Texts,
    lang: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    f: Frame,
    from: String,
    to: String,
    error: String,
    totals: Vec<(&'static str, u64)>,
    communes: Vec<view::CommuneLine>,
    tables: Vec<TableView>,
    /// The reporting deadline set last, with where the communes stand.
    deadline: Option<DeadlineView>,
    /// The deadline form's values, and what was wrong with them.
    deadline_form: DeadlineForm,
    deadline_error: String,
}

#[derive(Template)]
#[template(path = "overdue.html")]
struct OverduePage {
    f: Frame,
    lines: Vec<view::OverdueLine>,
    durations: Vec<String>,
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct AccountsPage {
    f: Frame,
    users: Vec<(String, &'static str, String, bool)>,
}

#[derive(Template)]
#[template(path = "forbidden.html")]
pub(super) struct ForbiddenPage {
    pub(super) f: Frame,
}

/// A table in the reader's language.
struct TableView {
    title: String,
    columns: Vec<String>,
    rows: Vec<(String, u8, Vec<u64>)>,
}

/// The period asked for (`?from=&to=`, dd/mm/yyyy or yyyy-mm-dd), by default from 1 January
/// of this year to today (Vietnam time).
#[derive(Default, Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

/// The period, its two dates as typed (dd/mm/yyyy), or the message of what is wrong.
fn period(q: &PeriodQuery, lang: Lang) -> (Result<Period, String>, String, String) {
    let now = from_unix_millis(now_ms()).unwrap_or_default();
    let today = local_date(now);
    let first = today.with_ordinal(1).unwrap_or(today);
    let given = |v: &Option<String>, default: chrono::NaiveDate| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map_or_else(|| default.format("%d/%m/%Y").to_string(), str::to_owned)
    };
    let (from_text, to_text) = (given(&q.from, first), given(&q.to, today));
    let msg =
        |e: bvte_domain::ValidationError| lang.pick(&e.message_vi(), &e.message_en()).to_owned();
    let p = parse_date("period_from", &from_text)
        .and_then(|f| Ok((f, parse_date("period_to", &to_text)?)))
        .and_then(|(f, t)| Period::new(f, t, now))
        .map_err(msg);
    (p, from_text, to_text)
}

/// What the overview and the overdue page read, in one blocking call.
type Loaded = (
    Inputs,
    BTreeSet<String>,
    Vec<DeviceRow>,
    Option<String>,
    Option<DeadlineRow>,
);

async fn load(state: &WebState) -> Result<Loaded, Response> {
    let (storage, reports) = (state.storage.clone(), state.reports.clone());
    tokio::task::spawn_blocking(move || -> Result<Loaded, crate::error::StorageError> {
        let all = storage.communes()?.into_iter().map(|c| c.code).collect();
        Ok((
            reports.inputs(storage.as_ref(), &all)?,
            all,
            storage.devices()?,
            storage.area_name()?,
            storage.deadline()?,
        ))
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

/// What a page computed: the dashboard of the period (none for a wrong one), the area's name
/// and where the communes stand against the reporting deadline.
type Computed = (Option<Dashboard>, Option<String>, Option<DeadlineStatus>);

/// The dashboard of a period, the area's name and the deadline's status; computed on the
/// blocking pool, since it reads and folds every record.
async fn computed(
    state: &WebState,
    period: Option<Period>,
    lang: Lang,
) -> Result<Computed, Response> {
    let (inputs, all, devices, area, deadline) = load(state).await?;
    let codes: Vec<String> = all.iter().cloned().collect();
    let status = deadline
        .as_ref()
        .map(|d| deadline::status(d, &codes, &devices));
    let Some(p) = period else {
        return Ok((None, area, status));
    };
    let d = tokio::task::spawn_blocking(move || {
        let now = from_unix_millis(now_ms()).unwrap_or_default();
        view::dashboard(&inputs, &devices, &p, now, lang)
    })
    .await
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())?;
    Ok((Some(d), area, status))
}

fn query_of(from: &str, to: &str) -> String {
    let enc = |s: &str| s.replace('/', "%2F");
    format!("from={}&to={}", enc(from), enc(to))
}

/// `GET /`: the area's totals and tables, one line per commune, the reporting deadline.
pub async fn overview(
    s: Signed,
    State(state): State<WebState>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    render_overview(s, state, q, None).await
}

/// The overview; `refused`: the deadline form as typed and what was wrong with it (400).
pub async fn render_overview(
    s: Signed,
    state: WebState,
    q: PeriodQuery,
    refused: Option<(DeadlineForm, String)>,
) -> Response {
    let (p, from, to) = period(&q, s.lang);
    let (d, area, status) = match computed(&state, p.as_ref().ok().cloned(), s.lang).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = Frame::new(&s, area, query_of(&from, &to), "overview");
    let error = match &p {
        Ok(_) => String::new(),
        Err(e) => format!("{} {e}", f.t.bad_period),
    };
    let (totals, tables, mut communes) = match d {
        Some(d) => (totals(&d, s.lang), tables(&d, s.lang), d.communes),
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    if let Some(st) = &status {
        for line in &mut communes {
            line.covered = st
                .communes
                .iter()
                .find(|c| c.code == line.code)
                .map(|c| c.covered);
        }
    }
    let (deadline_form, deadline_error) = match refused {
        Some((form, message)) => (form, message),
        None => (
            status
                .as_ref()
                .map(|st| DeadlineForm::of(&st.deadline))
                .unwrap_or_default(),
            String::new(),
        ),
    };
    let page = OverviewPage {
        f,
        from,
        to,
        error,
        totals,
        communes,
        tables,
        deadline: status.as_ref().map(|st| deadline::view(st, s.lang)),
        deadline_form,
        deadline_error,
    };
    let mut res = html(&page);
    if !page.error.is_empty() || !page.deadline_error.is_empty() {
        *res.status_mut() = StatusCode::BAD_REQUEST;
    }
    res
}

fn totals(d: &Dashboard, lang: Lang) -> Vec<(&'static str, u64)> {
    let (c, k) = (&d.area.children, &d.area.cases);
    let overdue: u64 = k.deadlines.values().map(|x| x.overdue).sum();
    vec![
        (lang.pick("Trẻ em", "Children"), c.total),
        (
            lang.pick("Trẻ em có hoàn cảnh đặc biệt", "In special circumstances"),
            c.in_special_circumstances,
        ),
        (lang.pick("Trẻ em khuyết tật", "Disabled"), c.disabled),
        (
            lang.pick("Mồ côi cả cha và mẹ", "Orphans of both parents"),
            c.double_orphans,
        ),
        (
            lang.pick("Có nguy cơ rơi vào hoàn cảnh đặc biệt", "At risk"),
            c.at_risk,
        ),
        (
            lang.pick("Vụ việc tiếp nhận trong kỳ", "Cases received"),
            k.received,
        ),
        (
            lang.pick("Vụ việc đang mở cuối kỳ", "Open at the end"),
            k.open_at_end,
        ),
        (lang.pick("Bước xử lý quá hạn", "Steps overdue"), overdue),
    ]
}

fn tables(d: &Dashboard, lang: Lang) -> Vec<TableView> {
    d.tables
        .iter()
        .map(|t| TableView {
            title: lang.pick(&t.vi, &t.en).to_owned(),
            columns: t
                .columns
                .iter()
                .map(|c| lang.pick(&c.vi, &c.en).to_owned())
                .collect(),
            rows: t
                .rows
                .iter()
                .map(|r| {
                    (
                        lang.pick(&r.vi, &r.en).to_owned(),
                        r.level,
                        r.values.clone(),
                    )
                })
                .collect(),
        })
        .collect()
}

/// `GET /overdue`: overdue steps across the communes, by case code.
pub async fn overdue(
    s: Signed,
    State(state): State<WebState>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let (p, from, to) = period(&q, s.lang);
    let (d, area, _) = match computed(&state, p.ok(), s.lang).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = Frame::new(&s, area, query_of(&from, &to), "overdue");
    let lines = d.map(|d| d.overdue).unwrap_or_default();
    let durations = lines
        .iter()
        .map(|l| view::duration(l.hours_overdue, s.lang))
        .collect();
    html(&OverduePage {
        f,
        lines,
        durations,
    })
}

/// `GET /accounts`: the accounts (administrators only; 403 for a supervisor).
pub async fn accounts(s: Signed, State(state): State<WebState>) -> Response {
    let storage = state.storage.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        Ok::<_, crate::error::StorageError>((storage.users()?, storage.area_name()?))
    })
    .await
    .ok()
    .and_then(Result::ok);
    let Some((users, area)) = loaded else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let f = Frame::new(&s, area, String::new(), "accounts");
    if s.role != Role::Admin {
        let mut res = html(&ForbiddenPage { f });
        *res.status_mut() = StatusCode::FORBIDDEN;
        return res;
    }
    let now = now_ms();
    let users = users
        .into_iter()
        .map(|u| {
            let role = Role::from_code(&u.role);
            (
                u.name,
                s.lang.pick(role.label_vi(), role.code()),
                u.last_sign_in_ms
                    .map_or_else(String::new, super::local_time),
                u.locked_until_ms > now,
            )
        })
        .collect();
    html(&AccountsPage { f, users })
}

/// `GET /sign-in`.
#[derive(Deserialize)]
pub struct SignInQuery {
    #[serde(default)]
    expired: Option<String>,
}

/// `GET /sign-in`: the form (with a note when the session expired).
pub async fn sign_in_page(Reader(lang): Reader, Query(q): Query<SignInQuery>) -> Response {
    let t = lang.texts();
    let message = if q.expired.is_some() {
        t.expired.to_owned()
    } else {
        String::new()
    };
    html(&SignInPage {
        t,
        lang: lang.code(),
        message,
    })
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

/// `POST /sign-in`: a session and its cookie, or the form again with what went wrong (401 for
/// a wrong name or password, 429 for a locked account).
pub async fn sign_in(
    Reader(lang): Reader,
    State(state): State<WebState>,
    Form(form): Form<SignInForm>,
) -> Response {
    let (storage, limits) = (state.storage.clone(), state.limits);
    let outcome = tokio::task::spawn_blocking(move || {
        accounts::sign_in(&*storage, &form.name, &form.password, now_ms(), limits)
    })
    .await;
    let t = lang.texts();
    let (status, message) = match outcome {
        Ok(Ok(SignIn::Ok { token, .. })) => {
            let mut res = Redirect::to("/").into_response();
            res.headers_mut().insert(SET_COOKIE, session_cookie(&token));
            return res;
        }
        Ok(Ok(SignIn::Wrong)) => (StatusCode::UNAUTHORIZED, t.wrong_password.to_owned()),
        Ok(Ok(SignIn::Locked { minutes })) => (
            StatusCode::TOO_MANY_REQUESTS,
            format!("{} {minutes}", t.locked),
        ),
        _ => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let mut res = html(&SignInPage {
        t,
        lang: lang.code(),
        message,
    });
    *res.status_mut() = status;
    res
}

/// A form that carries the session's token.
#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: Option<String>,
}

/// `POST /sign-out`: ends the session (403 without the session's form token).
pub async fn sign_out(
    s: Signed,
    State(state): State<WebState>,
    Form(form): Form<TokenForm>,
) -> Response {
    if !form.csrf.as_deref().is_some_and(|t| s.csrf_ok(t)) {
        return forbidden(
            "Yêu cầu bị từ chối: thiếu hoặc sai mã biểu mẫu; hãy tải lại trang (request refused: missing or wrong form token).",
        );
    }
    let storage = state.storage.clone();
    let hash = s.session.token_hash;
    let _ = tokio::task::spawn_blocking(move || storage.end_session(&hash)).await;
    let mut res = Redirect::to("/sign-in").into_response();
    res.headers_mut().insert(SET_COOKIE, cleared_cookie());
    res
}

/// `GET /report.xlsx`: the area report of the period as XLSX.
pub async fn report_xlsx(
    s: Signed,
    State(state): State<WebState>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    report_file(s, state, q, FileFormat::Xlsx).await
}

/// `GET /report.pdf`: the same as PDF.
pub async fn report_pdf(
    s: Signed,
    State(state): State<WebState>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    report_file(s, state, q, FileFormat::Pdf).await
}

async fn report_file(s: Signed, state: WebState, q: PeriodQuery, format: FileFormat) -> Response {
    let (p, _, _) = period(&q, s.lang);
    let p = match p {
        Ok(p) => p,
        Err(e) => return (StatusCode::BAD_REQUEST, e).into_response(),
    };
    let (inputs, _, _, area, _) = match load(&state).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let officer = s.session.user_name.clone();
    let made = tokio::task::spawn_blocking(move || {
        let now = from_unix_millis(now_ms()).unwrap_or_default();
        let cal = bvte_domain::reference::calendar();
        let report = bvte_report::build_joined("", &inputs.parts(), &p, cal, now);
        render(&report, issuer(area.as_deref(), None, &officer), format).map(|b| (b, p))
    })
    .await;
    let Ok(Ok((bytes, p))) = made else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let (ext, mime) = match format {
        FileFormat::Xlsx => (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        FileFormat::Pdf => ("pdf", "application/pdf"),
    };
    let name = format!(
        "bao-cao-khu-vuc-{}-{}.{ext}",
        p.from.format("%Y%m%d"),
        p.to.format("%Y%m%d")
    );
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static(mime)),
            (CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}
