//! Denial of service (issue 10): clients that hold connections open without finishing their
//! TLS handshake, their headers or their body are cut off by the server, and meanwhile, or
//! once a full server has cut them off, a normal device still enrolls and syncs.
//!
//! The server's slow-client timeouts are shortened for the tests through
//! `BVTE_SERVER_SLOW_CLIENT_MS`. The slow clients read in ticks of [`TICK`] (the pace of the
//! trickle); each gives up after [`MAX_TICKS`] ticks, a bound far above the timeouts, only so
//! that a server that never cuts them off fails the test instead of hanging it.

mod common;

use bvte_client::ClientError;
use bvte_protocol::api::ApiError;
use common::{A, Server, Site};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// How long a slow client waits for the server between two bytes.
const TICK: Duration = Duration::from_millis(100);
/// 30 s of ticks: the server's timeouts in these tests are 2–3 s.
const MAX_TICKS: usize = 300;

/// Trusts the test server's self-signed certificate (the slow clients never get far enough
/// for a pinned fingerprint to matter; the normal client pins it).
#[derive(Debug)]
struct AnyCertificate(rustls::crypto::WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

type Tls = StreamOwned<ClientConnection, TcpStream>;

fn address(server: &Server) -> String {
    server.url.trim_start_matches("https://").to_owned()
}

/// A TCP connection to the server that sends nothing: a TLS handshake never begun.
fn raw(server: &Server) -> TcpStream {
    let tcp = TcpStream::connect(address(server)).unwrap();
    tcp.set_read_timeout(Some(TICK)).unwrap();
    tcp
}

/// A connection whose TLS handshake is done, reading in ticks.
fn tls(server: &Server) -> Tls {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(AnyCertificate(provider.signature_verification_algorithms));
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    let name = ServerName::try_from("localhost").unwrap();
    let conn = ClientConnection::new(Arc::new(config), name).unwrap();
    let mut stream = StreamOwned::new(conn, TcpStream::connect(address(server)).unwrap());
    while stream.conn.is_handshaking() {
        stream.conn.complete_io(&mut stream.sock).unwrap();
    }
    stream.sock.set_read_timeout(Some(TICK)).unwrap();
    stream
}

/// Waits one tick for the server: whether it has closed the connection. What it sent is
/// added to `answer`.
fn closed(stream: &mut impl Read, answer: &mut Vec<u8>) -> bool {
    let mut buf = [0u8; 4096];
    match stream.read(&mut buf) {
        Ok(0) => true,
        Ok(n) => {
            answer.extend_from_slice(&buf[..n]);
            false
        }
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => false,
        Err(_) => true,
    }
}

/// Sends `bytes` one per tick (then nothing) until the server closes the connection; returns
/// what the server answered. Panics if it never closes it.
fn trickle(mut stream: impl Read + Write, bytes: &[u8], what: &str) -> Vec<u8> {
    let mut answer = Vec::new();
    let mut next = bytes.iter();
    for _ in 0..MAX_TICKS {
        if let Some(b) = next.next()
            && stream
                .write_all(&[*b])
                .and_then(|()| stream.flush())
                .is_err()
        {
            return answer;
        }
        if closed(&mut stream, &mut answer) {
            return answer;
        }
    }
    panic!("the server never closed the connection of {what}");
}

/// Headers that never end: a request line, then one header line that goes on and on.
fn endless_headers() -> Vec<u8> {
    let mut h = b"POST /api/v1/enroll HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".to_vec();
    h.resize(h.len() + MAX_TICKS, b'a');
    h
}

/// An enrollment whose headers are complete and whose body (1,000 bytes announced) comes one
/// byte per tick.
fn slow_body() -> (Vec<u8>, Vec<u8>) {
    let head = b"POST /api/v1/enroll HTTP/1.1\r\nHost: localhost\r\n\
                 Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        .to_vec();
    (head, vec![b' '; 1000])
}

/// A device of commune A enrolls and pushes a child; a second one enrolls and receives it.
fn enroll_and_sync(site: &Site, server: &Server) {
    let mut writer = server.device(site, A);
    let (child, change) = writer.new_child(A);
    assert_eq!(writer.push(vec![change]).unwrap().stored, 1);
    let reader = server.device(site, A);
    let page = reader.client.pull(0, 1000).unwrap();
    assert!(
        page.changes.iter().any(|c| c.change.entity_id == child),
        "the second PC receives the first one's child"
    );
}

#[test]
fn slow_clients_are_cut_off_while_another_device_enrolls_and_syncs() {
    let site = Site::new();
    let server = site.serve_with_env(&[("BVTE_SERVER_SLOW_CLIENT_MS", "2000")]);

    let no_handshake = raw(&server);
    let mut slow_headers = tls(&server);
    let mut slow_body_stream = tls(&server);
    let (head, body) = slow_body();
    slow_body_stream.write_all(&head).unwrap();
    let held = [
        thread::spawn(move || trickle(no_handshake, b"", "a TLS handshake never begun")),
        thread::spawn(move || {
            // The request line goes out at once, the rest a byte per tick.
            let headers = endless_headers();
            slow_headers.write_all(&headers[..20]).unwrap();
            trickle(
                slow_headers,
                &headers[20..],
                "headers sent a byte at a time",
            )
        }),
        thread::spawn(move || trickle(slow_body_stream, &body, "a body sent a byte at a time")),
    ];

    enroll_and_sync(&site, &server);

    let answers: Vec<Vec<u8>> = held.into_iter().map(|t| t.join().unwrap()).collect();
    let body_answer = String::from_utf8_lossy(&answers[2]);
    assert!(
        body_answer.starts_with("HTTP/1.1 408"),
        "the slow body is told why: {body_answer}"
    );
    let json = &body_answer[body_answer.find('{').expect("a JSON answer")..];
    let error: ApiError = serde_json::from_str(json).unwrap();
    assert_eq!(error.code, "timeout");
    assert!(error.message.contains("giây"), "{}", error.message);

    enroll_and_sync(&site, &server);
}

#[test]
fn a_full_server_refuses_new_connections_until_the_slow_ones_are_cut_off() {
    let site = Site::new();
    let server = site.serve_with_env(&[
        ("BVTE_SERVER_MAX_CONNECTIONS", "3"),
        ("BVTE_SERVER_SLOW_CLIENT_MS", "3000"),
    ]);
    // Past their TLS handshake, so surely counted by the server; then silent.
    let holders: Vec<Tls> = (0..3).map(|_| tls(&server)).collect();

    let refused = server.enroll(&site, A, uuid::Uuid::now_v7());
    assert!(
        matches!(refused, Err(ClientError::Unreachable(_))),
        "over the cap a connection is closed at once: {refused:?}"
    );

    for (i, holder) in holders.into_iter().enumerate() {
        trickle(holder, b"", &format!("holder {i}"));
    }
    enroll_and_sync(&site, &server);
    assert!(
        server.log_text().contains("--max-connections"),
        "the refusal is in the server's log"
    );
}
