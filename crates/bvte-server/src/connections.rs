//! Bounds on connections (issue 10, denial of service): how many may be open at once, in all
//! and from one address, and how long a client may leave the server waiting.
//!
//! A cap alone would let anyone who opens that many slow connections lock everybody out, so:
//! - every wait on a client is bounded: the TLS handshake, the request headers (also the idle
//!   time between two requests on a kept-alive connection), the whole request with its body
//!   (`api/deadline.rs`), and a client that stops reading the answer;
//! - one address may hold only [`Limits::max_per_address`] of the [`Limits::max_total`]
//!   connections, so a single machine cannot take them all (a commune's PCs behind one router
//!   share an address: the default leaves them plenty).
//!
//! A connection over either cap is closed at once, before its TLS handshake, at no cost to the
//! server; the PC says it cannot reach the server and tries again later, as after any cut.

use axum_server::accept::Accept;
use std::collections::HashMap;
use std::future::{Future, Ready};
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;

/// What `serve` allows.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections open at once, in all.
    pub max_total: usize,
    /// Connections open at once from one client address.
    pub max_per_address: usize,
    /// The TLS handshake.
    pub handshake: Duration,
    /// A request's headers, from the first byte awaited (on a kept-alive connection: from the
    /// end of the previous answer).
    pub headers: Duration,
    /// A whole request, body included, until its answer is ready.
    pub request: Duration,
    /// A client that reads nothing of its answer for this long is cut off.
    pub write_stall: Duration,
}

impl Limits {
    /// The caps given, with the default timeouts, or every timeout set to `slow_client` (the
    /// tests' hidden setting, so that they need not wait for minutes).
    pub fn new(max_total: usize, max_per_address: usize, slow_client: Option<Duration>) -> Self {
        let or = |default: Duration| slow_client.unwrap_or(default);
        Limits {
            max_total,
            max_per_address,
            handshake: or(Duration::from_secs(10)),
            headers: or(Duration::from_secs(30)),
            request: or(crate::api::DEFAULT_REQUEST_TIMEOUT),
            write_stall: or(Duration::from_secs(60)),
        }
    }
}

/// The connections open now.
#[derive(Default)]
struct Open {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

/// The acceptor that counts connections and refuses those over a cap (the innermost one: it
/// runs before the TLS handshake). It also sets `TCP_NODELAY`: an answer written as headers
/// then body must not wait for the client's delayed ACK (40 ms on Linux).
#[derive(Clone)]
pub struct CapAcceptor {
    open: Arc<Mutex<Open>>,
    limits: Limits,
}

impl CapAcceptor {
    /// An acceptor enforcing `limits`.
    pub fn new(limits: Limits) -> Self {
        CapAcceptor {
            open: Arc::default(),
            limits,
        }
    }

    /// Counts a new connection from `ip`, unless a cap is reached.
    fn admit(&self, ip: IpAddr) -> io::Result<Permit> {
        let mut open = self
            .open
            .lock()
            .map_err(|_| io::Error::other("connection count unavailable"))?;
        let from_ip = open.by_address.get(&ip).copied().unwrap_or(0);
        if open.total >= self.limits.max_total {
            return Err(io::Error::other(format!(
                "refused: {} connections open, the most allowed (--max-connections)",
                open.total
            )));
        }
        if from_ip >= self.limits.max_per_address {
            return Err(io::Error::other(format!(
                "refused: {from_ip} connections open from one address, the most allowed \
                 (--max-connections-per-address)"
            )));
        }
        open.total += 1;
        *open.by_address.entry(ip).or_default() += 1;
        Ok(Permit {
            open: Arc::clone(&self.open),
            ip,
        })
    }
}

impl<S> Accept<TcpStream, S> for CapAcceptor {
    type Stream = Guarded<TcpStream>;
    type Service = S;
    type Future = Ready<io::Result<(Self::Stream, S)>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        let admitted = stream
            .peer_addr()
            .and_then(|peer| self.admit(peer.ip()))
            .and_then(|permit| {
                stream.set_nodelay(true)?;
                Ok(Guarded {
                    _permit: permit,
                    inner: stream,
                    write_stall: self.limits.write_stall,
                    stalled: None,
                })
            });
        std::future::ready(admitted.map(|s| (s, service)))
    }
}

/// One counted connection; uncounted when dropped (the connection closed).
struct Permit {
    open: Arc<Mutex<Open>>,
    ip: IpAddr,
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Ok(mut open) = self.open.lock() {
            open.total = open.total.saturating_sub(1);
            if let Some(n) = open.by_address.get_mut(&self.ip) {
                *n -= 1;
                if *n == 0 {
                    open.by_address.remove(&self.ip);
                }
            }
        }
    }
}

/// A counted connection whose writes fail once the client has read nothing for
/// `write_stall` (the kernel's buffer stays full): a client that never reads its answer
/// cannot hold the connection for ever.
pub struct Guarded<S> {
    // Declared first, so dropped first: the connection is uncounted before its socket closes
    // (a client that sees the close and connects again finds its place free).
    _permit: Permit,
    inner: S,
    write_stall: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> Guarded<S> {
    /// Turns a pending write into an error once it has been pending for too long.
    fn check_stall<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let stall = self.write_stall;
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(stall)));
        if timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading the answer",
            )));
        }
        Poll::Pending
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Guarded<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Guarded<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.check_stall(cx, poll)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.check_stall(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.check_stall(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acceptor(total: usize, per_address: usize) -> CapAcceptor {
        CapAcceptor::new(Limits::new(total, per_address, None))
    }

    #[test]
    fn one_address_cannot_take_every_connection() {
        let a = acceptor(4, 2);
        let greedy: IpAddr = [10, 0, 0, 7].into();
        let other: IpAddr = [10, 0, 0, 8].into();
        let held = [a.admit(greedy).unwrap(), a.admit(greedy).unwrap()];
        assert!(a.admit(greedy).is_err(), "a third from the same address");
        let mine = a.admit(other).expect("another address still gets in");
        drop(held);
        let again = a.admit(greedy).expect("closed connections are uncounted");
        drop((mine, again));
        let open = a.open.lock().unwrap();
        assert_eq!(
            (open.total, open.by_address.len()),
            (0, 0),
            "nothing left counted"
        );
    }

    #[test]
    fn the_total_cap_holds_across_addresses() {
        let a = acceptor(2, 2);
        let _held: Vec<_> = (1..=2u8)
            .map(|i| a.admit([10, 0, 0, i].into()).unwrap())
            .collect();
        let refused = a.admit([10, 0, 0, 9].into()).err().expect("over the total");
        assert!(
            refused.to_string().contains("--max-connections"),
            "{refused}"
        );
    }
}
