//! Who is signed in, and the checks every request passes: the session cookie
//! (`__Host-bvte_session`: `Secure`, `HttpOnly`, `SameSite=Strict`, `Path=/`; only its SHA-256 is
//! stored), its idle and absolute expiry (`crate::accounts`), the reader's language, and CSRF —
//! a request that changes something must come from the server's own pages (`Origin` and
//! `Sec-Fetch-Site`) and carry the session's form token.

use super::WebState;
use super::text::Lang;
use crate::accounts::{self, Role};
use crate::clock::now_ms;
use crate::storage::WebSession;
use axum::extract::{FromRequestParts, Request};
use axum::http::header::{COOKIE, HOST, ORIGIN, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// The session cookie's name. `__Host-`: the browser accepts it only `Secure`, with `Path=/`
/// and no `Domain`, so no other site or sub-domain can set it.
pub const COOKIE_NAME: &str = "__Host-bvte_session";
/// The language cookie (not a secret).
pub const LANG_COOKIE: &str = "bvte_lang";

/// A cookie's value from the request's headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The `Set-Cookie` of a new session.
pub fn session_cookie(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={token}; Secure; HttpOnly; SameSite=Strict; Path=/"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

/// The `Set-Cookie` that removes the session cookie.
pub fn cleared_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "__Host-bvte_session=; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age=0",
    )
}

/// The reader's language: `?lang=` first, then the cookie, else Vietnamese.
pub fn lang(parts_headers: &HeaderMap, query: Option<&str>) -> Lang {
    query
        .and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("lang="))
                .and_then(Lang::parse)
        })
        .or_else(|| cookie(parts_headers, LANG_COOKIE).and_then(Lang::parse))
        .unwrap_or(Lang::Vi)
}

/// The reader's language as an extractor.
pub struct Reader(pub Lang);

impl<S: Sync> FromRequestParts<S> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Reader(lang(&parts.headers, parts.uri.query())))
    }
}

/// A signed-in account. A request without a valid session is sent to the sign-in page (an
/// expired one with a note saying so).
pub struct Signed {
    /// The session.
    pub session: WebSession,
    /// The account's role.
    pub role: Role,
    /// The reader's language.
    pub lang: Lang,
}

impl FromRequestParts<WebState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, Response> {
        let lang = lang(&parts.headers, parts.uri.query());
        let Some(token) = cookie(&parts.headers, COOKIE_NAME).map(str::to_owned) else {
            return Err(Redirect::to("/sign-in").into_response());
        };
        let (storage, limits) = (state.storage.clone(), state.limits);
        let found = tokio::task::spawn_blocking(move || {
            accounts::session(&*storage, &token, now_ms(), limits)
        })
        .await;
        match found {
            Ok(Ok(Some((session, role)))) => Ok(Signed {
                session,
                role,
                lang,
            }),
            Ok(Ok(None)) => {
                let mut res = Redirect::to("/sign-in?expired=1").into_response();
                res.headers_mut().insert(SET_COOKIE, cleared_cookie());
                Err(res)
            }
            _ => Err(StatusCode::SERVICE_UNAVAILABLE.into_response()),
        }
    }
}

impl Signed {
    /// Whether `token` (from a submitted form) is this session's form token, compared in
    /// constant time.
    pub fn csrf_ok(&self, token: &str) -> bool {
        let (a, b) = (self.session.csrf_token.as_bytes(), token.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// Refuses (403) a request that may change something (any method but GET and HEAD) unless it
/// comes from the server's own pages: `Sec-Fetch-Site`, when sent, is `same-origin` (or `none`:
/// typed by the user), and `Origin`, when sent, is `https://` and this request's `Host`.
pub async fn same_origin(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let h = req.headers();
    let site_ok = h
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|s| s == "same-origin" || s == "none");
    let host = h.get(HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let origin_ok = h
        .get(ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|o| !host.is_empty() && o == format!("https://{host}"));
    if site_ok && origin_ok {
        next.run(req).await
    } else {
        forbidden(
            "Yêu cầu bị từ chối: biểu mẫu không gửi từ trang của máy chủ này (request refused: not sent from this server's pages).",
        )
    }
}

/// A plain 403 answer.
pub fn forbidden(text: &'static str) -> Response {
    (StatusCode::FORBIDDEN, text).into_response()
}
