//! A TCP proxy between devices and the server that can cut connections after a number of bytes
//! in either direction: a network that drops in the middle of a push or a pull.

use anyhow::Result;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Byte limits per connection; `u64::MAX` means never cut.
#[derive(Default)]
struct Limits {
    upload: AtomicU64,
    download: AtomicU64,
    cuts: AtomicU64,
}

/// A running proxy.
pub struct Proxy {
    /// The address devices connect to.
    pub addr: SocketAddr,
    limits: Arc<Limits>,
    stop: Arc<AtomicBool>,
}

impl Proxy {
    /// Listens on a loopback port and forwards every connection to `target`.
    pub fn start(target: SocketAddr) -> Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let limits = Arc::new(Limits::default());
        limits.upload.store(u64::MAX, Ordering::SeqCst);
        limits.download.store(u64::MAX, Ordering::SeqCst);
        let stop = Arc::new(AtomicBool::new(false));
        let (l, s) = (limits.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = conn else { continue };
                let Ok(server) = TcpStream::connect(target) else {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                };
                let up = l.upload.load(Ordering::SeqCst);
                let down = l.download.load(Ordering::SeqCst);
                pump(&client, &server, up, l.clone());
                pump(&server, &client, down, l.clone());
            }
        });
        Ok(Proxy { addr, limits, stop })
    }

    /// `https://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// New connections are cut after `upload` bytes from the device or `download` bytes from
    /// the server, whichever comes first.
    pub fn cut_after(&self, upload: u64, download: u64) {
        self.limits.upload.store(upload, Ordering::SeqCst);
        self.limits.download.store(download, Ordering::SeqCst);
    }

    /// New connections pass untouched.
    pub fn heal(&self) {
        self.cut_after(u64::MAX, u64::MAX);
    }

    /// How many connections were cut so far.
    pub fn cuts(&self) -> u64 {
        self.limits.cuts.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

/// Copies `from` → `to` on a thread until EOF or `limit` bytes, then shuts both down.
fn pump(from: &TcpStream, to: &TcpStream, limit: u64, limits: Arc<Limits>) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else {
        return;
    };
    std::thread::spawn(move || {
        let mut sent = 0u64;
        let mut buf = [0u8; 8192];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let allowed = (limit - sent).min(n as u64) as usize;
            if to.write_all(&buf[..allowed]).is_err() {
                break;
            }
            sent += allowed as u64;
            if sent >= limit {
                limits.cuts.fetch_add(1, Ordering::SeqCst);
                break;
            }
        }
        let _ = from.shutdown(Shutdown::Both);
        let _ = to.shutdown(Shutdown::Both);
    });
}
