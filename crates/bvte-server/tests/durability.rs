//! What survives a restart and a `kill -9` in the middle of pushing.

mod common;

use bvte_protocol::api::PushRequest;
use common::{A, Site};
use std::sync::mpsc;

#[test]
fn a_restarted_server_keeps_devices_and_changes() {
    let site = Site::new();
    let server = site.serve();
    let mut writer = server.device(&site, A);
    let reader = server.device(&site, A);
    let changes: Vec<_> = (0..4).map(|_| writer.new_child(A).1).collect();
    writer.push(changes.clone()).unwrap();
    let log = server.log.clone();
    let status = server.terminate();
    assert!(status.success(), "SIGTERM is a clean stop: {status:?}");
    assert!(std::fs::read_to_string(log).unwrap().contains("stopped"));

    let server = site.serve();
    let client = |token: &str| {
        bvte_client::Client::new(&server.url, &site.fingerprint)
            .unwrap()
            .with_token(token.to_owned())
    };
    assert_eq!(
        client(&writer.token).status().unwrap().acked_seq,
        4,
        "tokens and acknowledgements survive a restart"
    );
    let pulled = client(&reader.token).pull(0, 100).unwrap();
    let got: Vec<_> = pulled.changes.into_iter().map(|s| s.change).collect();
    assert_eq!(got, changes);
}

#[test]
fn kill_9_during_pushes_loses_no_acked_change_and_no_page_is_partial() {
    const PAGE: u64 = 10;
    let site = Site::new();
    let server = site.serve();
    let mut dev = server.device(&site, A);
    let token = dev.token.clone();
    let url = server.url.clone();
    let fingerprint = site.fingerprint.clone();
    let pages: Vec<Vec<_>> = (0..400)
        .map(|_| (0..PAGE).map(|_| dev.new_child(A).1).collect())
        .collect();

    let (tx, rx) = mpsc::channel();
    let pusher = std::thread::spawn(move || {
        let client = bvte_client::Client::new(&url, &fingerprint)
            .unwrap()
            .with_token(token);
        let mut acked = 0;
        for page in pages {
            match client.push(&PushRequest { changes: page }) {
                Ok(r) => {
                    acked = r.acked_seq;
                    let _ = tx.send(acked);
                }
                Err(_) => break,
            }
        }
        acked
    });
    // Kill while pushes are streaming in.
    while rx.recv().unwrap() < 20 * PAGE {}
    server.kill9();
    let last_acked = pusher.join().unwrap();
    assert!(last_acked >= 20 * PAGE);

    let server = site.serve();
    let restarted = server
        .client()
        .with_token(dev.token.clone())
        .status()
        .unwrap();
    assert!(
        restarted.acked_seq >= last_acked,
        "every acknowledged change survives: server {} < acked {last_acked}",
        restarted.acked_seq
    );
    assert_eq!(
        restarted.acked_seq % PAGE,
        0,
        "a page is stored whole or not at all"
    );

    let reader = server.device(&site, A);
    let mut seqs = Vec::new();
    let mut cursor = 0;
    loop {
        let page = reader.client.pull(cursor, 1000).unwrap();
        seqs.extend(page.changes.iter().map(|s| s.change.seq));
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    let expected: Vec<u64> = (1..=restarted.acked_seq).collect();
    assert_eq!(seqs, expected, "dense, in order, matching acked_seq");
}
