//! The kept inputs follow every sync: a commune whose records changed is read again, one whose
//! records did not is not, and a child moving between communes leaves one and joins the other.

use super::ReportCache;
use crate::storage::{self, DeviceAuth, Location, Storage};
use crate::test_fixtures::{child_fields, enroll};
use bvte_protocol::{Change, ChangeKind, Entity, Hlc};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;
use uuid::Uuid;

const A: &str = "09955";
const B: &str = "00004";

fn push(storage: &dyn Storage, device: &DeviceAuth, seq: u64, child: Uuid, fields: Value) {
    let now = crate::clock::now_ms();
    let change = Change {
        change_id: Uuid::now_v7(),
        device_id: device.device_id,
        seq,
        hlc: Hlc {
            millis: now,
            counter: seq as u32,
        },
        entity: Entity::Child,
        entity_id: child,
        kind: ChangeKind::UpsertFields,
        fields: fields.as_object().cloned().unwrap_or_else(Map::new),
        base_hlc: Default::default(),
        author: "Cán bộ xã".into(),
        format: bvte_protocol::FORMAT,
        base_cursor: 0,
    };
    let out = storage.push(device, &[change], now).unwrap();
    assert!(out.refused.is_empty(), "{out:?}");
}

/// Children per commune in the kept inputs, and in the area's.
fn counts(cache: &ReportCache, storage: &dyn Storage) -> (Vec<(String, usize)>, usize) {
    let all = BTreeSet::from([A.to_owned(), B.to_owned()]);
    let inputs = cache.inputs(storage, &all).unwrap();
    let each: Vec<(String, usize)> = inputs
        .communes
        .iter()
        .map(|(c, i)| (c.clone(), i.children.len()))
        .collect();
    let area = inputs.parts().iter().map(|i| i.children.len()).sum();
    (each, area)
}

#[test]
fn a_commune_is_read_again_after_a_sync_changes_it_and_only_then() {
    let dir = tempfile::tempdir().unwrap();
    let storage = storage::open_at(&Location::Sqlite(dir.path().join("server.db")), true).unwrap();
    let storage = storage.as_ref();
    let pc_a = enroll(storage, A, "AAAABBBBCCCC");
    let _pc_b = enroll(storage, B, "DDDDEEEEFFFF");
    let cache = ReportCache::default();
    let (mai, lan) = (Uuid::now_v7(), Uuid::now_v7());

    push(storage, &pc_a, 1, mai, child_fields(A, "Lò Thị Mai"));
    let (each, area) = counts(&cache, storage);
    assert_eq!(each, vec![(B.into(), 0), (A.into(), 1)]);
    assert_eq!(area, 1);

    let all = BTreeSet::from([A.to_owned(), B.to_owned()]);
    let before = cache.inputs(storage, &all).unwrap();
    push(storage, &pc_a, 2, lan, child_fields(A, "Lò Thị Lan"));
    let after = cache.inputs(storage, &all).unwrap();
    assert_eq!(
        after.communes[1].1.children.len(),
        2,
        "the new child is counted"
    );
    assert!(
        Arc::ptr_eq(&before.communes[0].1, &after.communes[0].1),
        "a commune nothing reached is not read again"
    );
    assert!(!Arc::ptr_eq(&before.communes[1].1, &after.communes[1].1));
    let again = cache.inputs(storage, &all).unwrap();
    assert!(
        Arc::ptr_eq(&after.communes[1].1, &again.communes[1].1),
        "nothing changed: kept"
    );

    // Mai moves to commune B: she leaves A's figures and joins B's.
    push(storage, &pc_a, 3, mai, json!({ "commune_code": B }));
    let (each, area) = counts(&cache, storage);
    assert_eq!(each, vec![(B.into(), 1), (A.into(), 1)]);
    assert_eq!(area, 2);
}

#[test]
fn the_server_reads_ahead_after_a_sync() {
    let dir = tempfile::tempdir().unwrap();
    let storage = storage::open_at(&Location::Sqlite(dir.path().join("server.db")), true).unwrap();
    let pc = enroll(storage.as_ref(), A, "GGGGHHHHJJJJ");
    let cache = Arc::new(ReportCache::default());
    push(
        storage.as_ref(),
        &pc,
        1,
        Uuid::now_v7(),
        child_fields(A, "Lò Thị Mai"),
    );
    cache.refresh_soon(storage.clone());
    let kept = |cache: &ReportCache| {
        cache
            .communes
            .lock()
            .unwrap()
            .get(A)
            .map(|e| e.input.children.len())
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while kept(&cache).is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(kept(&cache), Some(1), "read ahead, before any page asked");
}
