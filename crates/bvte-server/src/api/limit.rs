//! Rate limits (design §7): repeated failed attempts from one address, a wrong enrollment code or
//! a wrong device token, are slowed down. After [`MAX_FAILURES`] failures within [`WINDOW`], that
//! address's enrollments are refused without looking at the code, and its requests with a wrong
//! token are answered "too many attempts", until the window has passed. A device whose token is
//! right is never slowed down, even behind the same address (a commune's PCs often share one).
//!
//! Codes and tokens are long enough that guessing them is hopeless anyway (about 60 and 256
//! bits); this keeps a script from hammering the server and makes the attempt visible in the log.
//! Behind a reverse proxy every client has the proxy's address: serve directly, as the README
//! says.

use crate::error::{FailedAttempt, Refusal};
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Failures allowed from one address within [`WINDOW`].
pub const MAX_FAILURES: u32 = 10;
/// How long failures are remembered.
pub const WINDOW: Duration = Duration::from_secs(10 * 60);

/// Recent failures by address.
#[derive(Clone, Default)]
pub struct Attempts(Arc<Mutex<HashMap<IpAddr, (Instant, u32)>>>);

impl Attempts {
    /// How long `ip` must still wait, when it has failed too often.
    fn wait(&self, ip: IpAddr, now: Instant) -> Option<Duration> {
        let map = self.0.lock().ok()?;
        let &(since, failures) = map.get(&ip)?;
        let left = WINDOW.checked_sub(now.duration_since(since))?;
        (failures >= MAX_FAILURES && !left.is_zero()).then_some(left)
    }

    /// Counts a failure of `ip`.
    fn failed(&self, ip: IpAddr, now: Instant) {
        let Ok(mut map) = self.0.lock() else {
            return;
        };
        // Forget addresses whose window has passed, so the map stays small.
        if map.len() > 10_000 {
            map.retain(|_, (since, _)| now.duration_since(*since) < WINDOW);
        }
        let entry = map.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }
}

/// The layer: refuses enrollments from an address that failed too often, turns a wrong token's
/// answer into "too many attempts" for it, and counts failures.
pub async fn limit(State(attempts): State<Attempts>, req: Request, next: Next) -> Response {
    let Some(ip) = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
    else {
        return next.run(req).await;
    };
    let enroll = req.uri().path() == "/api/v1/enroll";
    let now = Instant::now();
    let too_many = |left: Duration| {
        Refusal::TooManyAttempts {
            retry_after_s: left.as_secs().max(1),
        }
        .into_response()
    };
    if enroll && let Some(left) = attempts.wait(ip, now) {
        return too_many(left);
    }
    let res = next.run(req).await;
    if res.extensions().get::<FailedAttempt>().is_none() {
        return res;
    }
    attempts.failed(ip, now);
    match attempts.wait(ip, now) {
        Some(left) => too_many(left),
        None => res,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_waits_after_too_many_failures_and_is_let_in_when_the_window_passes() {
        let a = Attempts::default();
        let ip: IpAddr = [10, 0, 0, 7].into();
        let other: IpAddr = [10, 0, 0, 8].into();
        let t0 = Instant::now();
        for _ in 0..MAX_FAILURES - 1 {
            a.failed(ip, t0);
        }
        assert_eq!(a.wait(ip, t0), None, "nine failures are a typo or two");
        a.failed(ip, t0);
        assert_eq!(a.wait(ip, t0), Some(WINDOW));
        assert_eq!(a.wait(other, t0), None, "other addresses are not affected");
        let later = t0 + WINDOW;
        assert_eq!(a.wait(ip, later), None);
        a.failed(ip, later);
        assert_eq!(a.wait(ip, later), None, "the count starts again");
    }
}
