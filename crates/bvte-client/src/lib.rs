//! # bvte-client — the district server's API, from a device
//!
//! Owns: HTTPS to the district server with the certificate pinned by fingerprint (`tls`),
//! gzip both ways, bytes counted on the wire, and errors an officer can act on (`error`).
//! Blocking: the sync engine runs on its own thread.
//!
//! Must never touch the local database: `bvte-core` decides what to send and applies answers.

mod error;
mod tls;

pub use error::ClientError;
pub use tls::Fingerprint;

use bvte_protocol::api::{
    API_PREFIX, ApiError, EPOCH_HEADER, EnrollRequest, EnrollResponse, KnownRequest, KnownResponse,
    OwnResponse, PullResponse, PushRequest, PushResponse, SERVER_ID_HEADER, StatusResponse,
};
use bvte_update::LatestRelease;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

/// Who answered: the server's identity headers of the last answer (issue 10, item 6).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ServerIdentity {
    /// The server's database ([`SERVER_ID_HEADER`]); none from an older server.
    pub server_id: Option<Uuid>,
    /// The server's run ([`EPOCH_HEADER`]); none from an older server.
    pub epoch: Option<Uuid>,
}

/// Bodies larger than this are gzip-compressed before sending.
const COMPRESS_ABOVE: usize = 1024;

/// How long a package download may take (15 MB at 20 kB/s).
pub const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// A writer that keeps its own error, to tell a full disk from a cut connection.
struct Sink<'a> {
    out: &'a mut dyn Write,
    error: Option<std::io::Error>,
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf).inspect_err(|e| {
            self.error = Some(std::io::Error::new(e.kind(), e.to_string()));
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush().inspect_err(|e| {
            self.error = Some(std::io::Error::new(e.kind(), e.to_string()));
        })
    }
}

/// Largest answer accepted after decompression (a pull page is far smaller).
const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

/// A connection to one district server.
pub struct Client {
    http: reqwest::blocking::Client,
    base: String,
    pinned: Fingerprint,
    verifier: Arc<tls::PinnedVerifier>,
    token: Option<String>,
    sent: AtomicU64,
    received: AtomicU64,
    identity: Mutex<ServerIdentity>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("base", &self.base).finish()
    }
}

/// The server's base address as given by a person: `https://` is added when missing, and a
/// trailing slash removed. Plain `http://` is refused: the data is about children.
pub fn normalise_url(text: &str) -> Result<String, ClientError> {
    let t = text.trim();
    if t.starts_with("http://") {
        return Err(ClientError::Config {
            field: Some("server_url"),
            message: "Địa chỉ máy chủ phải bắt đầu bằng https:// (dữ liệu được mã hoá trên \
                      đường truyền)"
                .into(),
            message_en: "The server address must start with https:// (the data is encrypted \
                         on the wire)"
                .into(),
        });
    }
    let host = t
        .strip_prefix("https://")
        .unwrap_or(t)
        .trim_end_matches('/');
    let url = format!("https://{host}");
    if host.is_empty() || host.contains(char::is_whitespace) || host.contains('/') {
        return Err(ClientError::Config {
            field: Some("server_url"),
            message: format!(
                "Địa chỉ máy chủ «{text}» không hợp lệ; ví dụ đúng: https://192.168.1.10:8443"
            ),
            message_en: format!(
                "The server address «{text}» is not valid; for example: https://192.168.1.10:8443"
            ),
        });
    }
    Ok(url)
}

impl Client {
    /// A client for the server at `base_url` that trusts only the certificate with this
    /// SHA-256 fingerprint (64 hex digits).
    pub fn new(base_url: &str, fingerprint_hex: &str) -> Result<Client, ClientError> {
        let pinned = Fingerprint::parse(fingerprint_hex).ok_or_else(|| ClientError::Config {
            field: Some("fingerprint"),
            message: "Dấu vân tay chứng chỉ phải gồm đúng 64 chữ số thập lục phân (0–9, a–f), \
                          như lệnh `bvte-server fingerprint` in ra"
                .into(),
            message_en: "The certificate fingerprint must be exactly 64 hexadecimal digits \
                             (0–9, a–f), as `bvte-server fingerprint` prints it"
                .into(),
        })?;
        let base = normalise_url(base_url)?;
        let (config, verifier) = tls::pinned_config(pinned).map_err(ClientError::config)?;
        let http = reqwest::blocking::Client::builder()
            .tls_backend_preconfigured(config)
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .no_proxy()
            .build()
            .map_err(ClientError::config)?;
        Ok(Client {
            http,
            base,
            pinned,
            verifier,
            token: None,
            sent: AtomicU64::new(0),
            received: AtomicU64::new(0),
            identity: Mutex::new(ServerIdentity::default()),
        })
    }

    /// The same client, sending this device token.
    pub fn with_token(mut self, token: String) -> Client {
        self.token = Some(token);
        self
    }

    /// Bytes sent and received on the wire so far (bodies, compressed as sent).
    pub fn traffic(&self) -> (u64, u64) {
        (
            self.sent.load(Ordering::Relaxed),
            self.received.load(Ordering::Relaxed),
        )
    }

    /// Exchanges a one-time enrollment code for a device token.
    pub fn enroll(&self, req: &EnrollRequest) -> Result<EnrollResponse, ClientError> {
        self.post("/enroll", req)
    }

    /// Sends a page of this device's changes.
    pub fn push(&self, req: &PushRequest) -> Result<PushResponse, ClientError> {
        self.post("/push", req)
    }

    /// Fetches the changes of the device's commune after `after`.
    pub fn pull(&self, after: u64, limit: u32) -> Result<PullResponse, ClientError> {
        self.get(&format!("/changes?after={after}&limit={limit}"))
    }

    /// The device's standing and the server's clock.
    pub fn status(&self) -> Result<StatusResponse, ClientError> {
        self.get("/status")
    }

    /// [`Client::status`], asking also whether the server still holds `change` numbered
    /// `cursor` (what this device last read).
    pub fn status_at(&self, cursor: u64, change: Uuid) -> Result<StatusResponse, ClientError> {
        self.get(&format!("/status?cursor={cursor}&cursor_change={change}"))
    }

    /// This device's own changes after sequence number `after`.
    pub fn own(&self, after: u64, limit: u32) -> Result<OwnResponse, ClientError> {
        self.get(&format!("/own?after={after}&limit={limit}"))
    }

    /// Which of these changes the server holds.
    pub fn known(&self, req: &KnownRequest) -> Result<KnownResponse, ClientError> {
        self.post("/known", req)
    }

    /// The newest release the server holds for this kind of PC (`target`, e.g. `deb-amd64`).
    pub fn latest_release(&self, target: &str) -> Result<LatestRelease, ClientError> {
        self.get(&format!("/release?target={target}"))
    }

    /// Downloads the package `file` into `out`, refusing more than `max_bytes` (the size its
    /// manifest says): a server cannot fill the disk. Not compressed (packages are already),
    /// and given up to [`DOWNLOAD_TIMEOUT`] on a slow link. Returns the bytes written.
    pub fn download_release(
        &self,
        file: &str,
        out: &mut dyn Write,
        max_bytes: u64,
    ) -> Result<u64, ClientError> {
        let mut req = self
            .http
            .get(format!("{}{API_PREFIX}/release/file/{file}", self.base))
            .timeout(DOWNLOAD_TIMEOUT);
        if let Some(t) = &self.token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        let resp = req.send().map_err(|e| self.transport_error(e))?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            let mut body = Vec::new();
            let _ = resp.take(64 * 1024).read_to_end(&mut body);
            return decode::<()>((status, body)).map(|_| 0);
        }
        let mut sink = Sink { out, error: None };
        let copied = std::io::copy(&mut resp.take(max_bytes.saturating_add(1)), &mut sink);
        if let Some(e) = sink.error {
            return Err(ClientError::Disk(e.to_string()));
        }
        let n = copied
            .map_err(|e| ClientError::Unreachable(format!("kết nối bị ngắt khi nhận: {e}")))?;
        self.received.fetch_add(n, Ordering::Relaxed);
        if n > max_bytes {
            return Err(ClientError::Protocol(format!(
                "gói lớn hơn {max_bytes} byte như bản mô tả ghi"
            )));
        }
        Ok(n)
    }

    /// Who answered last (the identity headers of the last answer received).
    pub fn identity(&self) -> ServerIdentity {
        self.identity.lock().map(|g| *g).unwrap_or_default()
    }

    /// Sends raw bytes to an API path (tests of malformed input); returns status and body.
    pub fn post_raw(
        &self,
        path: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Result<(u16, Vec<u8>), ClientError> {
        let mut req = self.request(reqwest::Method::POST, path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.sent.fetch_add(body.len() as u64, Ordering::Relaxed);
        self.send(req.body(body))
    }

    fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        let json = serde_json::to_vec(body).map_err(|e| ClientError::Protocol(e.to_string()))?;
        let mut req = self
            .request(reqwest::Method::POST, path)
            .header("Content-Type", "application/json");
        let body = if json.len() > COMPRESS_ABOVE {
            req = req.header("Content-Encoding", "gzip");
            let mut gz = GzEncoder::new(Vec::with_capacity(json.len() / 4), Compression::fast());
            gz.write_all(&json)
                .and_then(|_| gz.finish())
                .map_err(|e| ClientError::Protocol(e.to_string()))?
        } else {
            json
        };
        self.sent.fetch_add(body.len() as u64, Ordering::Relaxed);
        let answer = self.send(req.body(body))?;
        decode(answer)
    }

    fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let answer = self.send(self.request(reqwest::Method::GET, path))?;
        decode(answer)
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::blocking::RequestBuilder {
        let mut req = self
            .http
            .request(method, format!("{}{API_PREFIX}{path}", self.base))
            .header("Accept", "application/json")
            .header("Accept-Encoding", "gzip");
        if let Some(t) = &self.token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        req
    }

    /// Sends, reads the whole answer (decompressed), and keeps the status.
    fn send(&self, req: reqwest::blocking::RequestBuilder) -> Result<(u16, Vec<u8>), ClientError> {
        let resp = req.send().map_err(|e| self.transport_error(e))?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
        };
        let answered = ServerIdentity {
            server_id: header(SERVER_ID_HEADER),
            epoch: header(EPOCH_HEADER),
        };
        if let Ok(mut last) = self.identity.lock() {
            *last = answered;
        }
        let gzip = resp
            .headers()
            .get("Content-Encoding")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"gzip"));
        let raw = resp
            .bytes()
            .map_err(|e| ClientError::Unreachable(format!("kết nối bị ngắt khi nhận: {e}")))?;
        self.received.fetch_add(raw.len() as u64, Ordering::Relaxed);
        let body = if gzip {
            let mut out = Vec::new();
            GzDecoder::new(&raw[..])
                .take(MAX_ANSWER_BYTES)
                .read_to_end(&mut out)
                .map_err(|e| ClientError::Protocol(format!("gzip: {e}")))?;
            out
        } else {
            raw.to_vec()
        };
        Ok((status, body))
    }

    fn transport_error(&self, e: reqwest::Error) -> ClientError {
        let refused = self.verifier.refused.lock().ok().and_then(|mut r| r.take());
        if let Some(got) = refused {
            return ClientError::WrongFingerprint {
                expected: self.pinned.to_string(),
                got: got.to_string(),
            };
        }
        let mut detail = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            detail = format!("{detail}: {s}");
            source = s.source();
        }
        ClientError::Unreachable(format!("{}: {detail}", self.base))
    }
}

/// The answer as `T`, or the server's error.
fn decode<T: DeserializeOwned>((status, body): (u16, Vec<u8>)) -> Result<T, ClientError> {
    if (200..300).contains(&status) {
        return serde_json::from_slice(&body).map_err(|e| ClientError::Protocol(e.to_string()));
    }
    let error = serde_json::from_slice::<ApiError>(&body).unwrap_or_else(|_| ApiError {
        code: format!("http_{status}"),
        message: format!("Máy chủ trả lời lỗi HTTP {status}"),
        message_en: format!("The server answered HTTP {status}"),
        acked_seq: None,
    });
    Err(ClientError::Api { status, error })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_completed_and_plain_http_refused() {
        assert_eq!(
            normalise_url(" 192.168.1.10:8443/ ").unwrap(),
            "https://192.168.1.10:8443"
        );
        assert!(normalise_url("http://10.0.0.1").is_err());
        assert!(normalise_url("https://").is_err());
    }

    #[test]
    fn an_unusable_fingerprint_is_refused_before_connecting() {
        let e = Client::new("https://127.0.0.1:1", "abc").unwrap_err();
        assert!(e.to_string().contains("64"));
    }

    #[test]
    fn an_error_answer_keeps_the_servers_code() {
        let body = br#"{"code":"seq_gap","message":"m","message_en":"e","acked_seq":4}"#.to_vec();
        let e = decode::<StatusResponse>((409, body)).unwrap_err();
        assert_eq!(e.api_code(), Some("seq_gap"));
        assert!(!e.is_transient());
        let e = decode::<StatusResponse>((502, b"<html>".to_vec())).unwrap_err();
        assert!(e.is_transient());
    }
}
