//! The area dashboard (issue 11): pages rendered on the server (askama templates in
//! `templates/`, one stylesheet in `static/`, nothing from the internet) for the area's
//! supervisors: the area's totals and tables, one line per commune with its last sync and what
//! it has left incomplete, the overdue steps across communes, the area report as XLSX or PDF.
//! Figures come from `bvte-report` over the records the server holds, as on the communes' PCs;
//! **no page shows a child's or a reporter's name** (the report input carries none).
//!
//! Accounts and sessions: `crate::accounts`; cookie, CSRF and language: [`session`].

mod admin;
#[cfg(test)]
mod admin_tests;
pub mod admin_text;
mod deadline;
mod pages;
mod session;
#[cfg(test)]
mod tests;
pub mod text;
mod view;

use crate::accounts::SessionLimits;
use crate::report_cache::ReportCache;
use crate::storage::Storage;
use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, SET_COOKIE,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::Arc;
use std::time::Instant;

/// What the pages share.
#[derive(Clone)]
pub struct WebState {
    /// The storage.
    pub storage: Arc<dyn Storage>,
    /// How long sessions last.
    pub limits: SessionLimits,
    /// The communes' report inputs, kept between pages.
    pub reports: Arc<ReportCache>,
}

/// The stylesheet, served by the server itself.
const CSS: &str = include_str!("../../static/dashboard.css");

/// The routes logged by path.
const ROUTES: [&str; 14] = [
    "/",
    "/deadline",
    "/admin/communes",
    "/admin/codes",
    "/admin/codes/revoke",
    "/admin/devices",
    "/admin/devices/revoke",
    "/sign-in",
    "/sign-out",
    "/overdue",
    "/accounts",
    "/report.xlsx",
    "/report.pdf",
    "/static/dashboard.css",
];

/// The dashboard's routes, with the origin check and the security headers.
pub fn router(state: WebState) -> Router {
    Router::new()
        .route("/", get(pages::overview))
        .route("/sign-in", get(pages::sign_in_page).post(pages::sign_in))
        .route("/sign-out", post(pages::sign_out))
        .route("/overdue", get(pages::overdue))
        .route("/accounts", get(pages::accounts))
        .route("/deadline", post(deadline::set))
        .route(
            "/admin/communes",
            get(admin::communes).post(admin::add_commune),
        )
        .route("/admin/codes", get(admin::codes).post(admin::issue_code))
        .route("/admin/codes/revoke", post(admin::revoke_code))
        .route("/admin/devices", get(admin::devices))
        .route("/admin/devices/revoke", post(admin::revoke_device))
        .route("/report.xlsx", get(pages::report_xlsx))
        .route("/report.pdf", get(pages::report_pdf))
        .route(
            "/static/dashboard.css",
            get(|| async { ([(CONTENT_TYPE, "text/css; charset=utf-8")], CSS) }),
        )
        .with_state(state)
        .layer(middleware::from_fn(session::same_origin))
        .layer(middleware::from_fn(headers))
}

/// Security headers on every page, the language remembered when switched, one log line per
/// request (method, route, status, duration — never a name or a value).
async fn headers(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    // Logged by route only: a path could hold anything.
    let route = ROUTES
        .into_iter()
        .find(|r| *r == req.uri().path())
        .unwrap_or("-");
    let switched = req
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang=")))
        .and_then(text::Lang::parse);
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Not `no-referrer`: with it, browsers send `Origin: null` on form posts, which the origin
    // check refuses.
    h.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(lang) = switched
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{}={}; Secure; SameSite=Strict; Path=/; Max-Age=31536000",
            session::LANG_COOKIE,
            lang.code()
        ))
    {
        h.append(SET_COOKIE, v);
    }
    eprintln!(
        "{method} {route} {} {:.1}ms",
        res.status().as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    res
}

/// A time in milliseconds as Vietnam's local time, dd/mm/yyyy hh:mm.
pub fn local_time(ms: u64) -> String {
    bvte_domain::time::from_unix_millis(ms)
        .map(|t| {
            t.with_timezone(&bvte_domain::time::vietnam())
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// A rendered template as an HTML answer (a template that fails to render is a 500, logged).
fn html<T: askama::Template>(t: &T) -> Response {
    match t.render() {
        Ok(body) => axum::response::Html(body).into_response(),
        Err(e) => {
            eprintln!("template error: {e}");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
