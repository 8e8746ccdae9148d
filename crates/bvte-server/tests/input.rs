//! Malformed, truncated, oversized and compressed bodies: always a JSON `ApiError`, never a
//! crash or a plain-text answer, and nothing stored.

mod common;

use bvte_protocol::api::{ApiError, MAX_BODY_BYTES, MAX_PUSH_CHANGES, PushRequest};
use common::{A, Site, api_code};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

const JSON: (&str, &str) = ("Content-Type", "application/json");

fn error(body: &[u8]) -> ApiError {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("not an ApiError ({e}): {}", String::from_utf8_lossy(body)))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn malformed_and_truncated_json_are_bad_requests() {
    let site = Site::new();
    let server = site.serve();
    let mut dev = server.device(&site, A);
    let (_, c) = dev.new_child(A);
    let full = serde_json::to_vec(&PushRequest { changes: vec![c] }).unwrap();

    for body in [
        b"{not json".to_vec(),
        full[..full.len() / 2].to_vec(),
        b"{}".to_vec(),
    ] {
        let (status, answer) = dev.client.post_raw("/push", body, &[JSON]).unwrap();
        assert_eq!(status, 400);
        let e = error(&answer);
        assert_eq!(e.code, "bad_request");
        assert!(!e.message.is_empty() && !e.message_en.is_empty());
    }
    let (status, answer) = dev
        .client
        .post_raw("/push", full.clone(), &[("Content-Type", "text/plain")])
        .unwrap();
    assert_eq!((status, error(&answer).code.as_str()), (415, "bad_request"));
    assert_eq!(dev.client.status().unwrap().acked_seq, 0, "nothing stored");

    let (status, _) = dev.client.post_raw("/push", full, &[JSON]).unwrap();
    assert_eq!(status, 200, "the whole body is accepted");
}

#[test]
fn a_gzip_body_is_accepted() {
    let site = Site::new();
    let server = site.serve();
    let mut dev = server.device(&site, A);
    let (_, c) = dev.new_child(A);
    let body = gzip(&serde_json::to_vec(&PushRequest { changes: vec![c] }).unwrap());
    let (status, answer) = dev
        .client
        .post_raw("/push", body, &[JSON, ("Content-Encoding", "gzip")])
        .unwrap();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    assert_eq!(dev.client.status().unwrap().acked_seq, 1);

    let (status, answer) = dev
        .client
        .post_raw(
            "/push",
            b"not gzip".to_vec(),
            &[JSON, ("Content-Encoding", "gzip")],
        )
        .unwrap();
    assert_eq!((status, error(&answer).code.as_str()), (400, "bad_request"));
}

#[test]
fn oversized_bodies_and_gzip_bombs_are_too_large() {
    let site = Site::new();
    let server = site.serve();
    let dev = server.device(&site, A);

    let big = vec![b' '; MAX_BODY_BYTES + 1];
    let (status, answer) = dev.client.post_raw("/push", big, &[JSON]).unwrap();
    assert_eq!((status, error(&answer).code.as_str()), (413, "too_large"));

    // 64 MiB of spaces compress to ~64 KiB: the server stops inflating at the limit.
    let bomb = gzip(&vec![b' '; 8 * MAX_BODY_BYTES]);
    assert!(bomb.len() < MAX_BODY_BYTES / 10);
    let (status, answer) = dev
        .client
        .post_raw("/push", bomb, &[JSON, ("Content-Encoding", "gzip")])
        .unwrap();
    assert_eq!((status, error(&answer).code.as_str()), (413, "too_large"));

    let mut d = server.device(&site, A);
    let many: Vec<_> = (0..=MAX_PUSH_CHANGES).map(|_| d.new_child(A).1).collect();
    assert_eq!(api_code(d.push(many)), (413, "too_large".into(), None));
}

#[test]
fn unknown_routes_answer_a_json_404_with_security_headers() {
    let site = Site::new();
    let server = site.serve();
    let client = server.client();
    let (status, answer) = client
        .post_raw("/nowhere", b"{}".to_vec(), &[JSON])
        .unwrap();
    assert_eq!((status, error(&answer).code.as_str()), (404, "not_found"));
    let (status, answer) = client.post_raw("/status", Vec::new(), &[JSON]).unwrap();
    assert_eq!(status, 405, "status is GET only");
    assert_eq!(error(&answer).code, "bad_request");
}

#[test]
fn an_oversized_enrollment_is_too_large_before_any_token() {
    let site = Site::new();
    let server = site.serve();
    let client = server.client();
    // A valid enrollment with a fresh code, padded with JSON whitespace to 17 KiB: an
    // enrollment is a few hundred bytes, and no one without a token may make the server read
    // more than 16 KiB (it used to read up to 8 MiB).
    let enrollment = serde_json::json!({
        "code": site.enroll_code(A),
        "device_id": uuid::Uuid::now_v7(),
        "device_name": "Máy tính UBND xã",
        "commune_code": A,
    });
    let mut padded = serde_json::to_vec(&enrollment).unwrap();
    padded.splice(1..1, std::iter::repeat_n(b' ', 17 * 1024));
    for (body, headers) in [
        (padded.clone(), vec![JSON]),
        (gzip(&padded), vec![JSON, ("Content-Encoding", "gzip")]),
    ] {
        let (status, answer) = client.post_raw("/enroll", body, &headers).unwrap();
        let e = error(&answer);
        assert_eq!((status, e.code.as_str()), (413, "too_large"));
        assert!(
            e.message.contains("16 KiB") && e.message.contains("tên thiết bị"),
            "says the limit and what to check, in Vietnamese: {}",
            e.message
        );
    }
}
