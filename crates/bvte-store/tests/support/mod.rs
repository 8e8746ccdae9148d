//! What the store's sync tests share: real databases, and an in-test relay that behaves like the
//! server (numbers changes in arrival order and gives each device the others' changes).
#![allow(dead_code)]

use bvte_domain::child::{Child, ChildInput, ValidationContext};
use bvte_domain::time::parse_instant;
use bvte_protocol::Change;
use bvte_store::children::{ChildFilter, Page};
use bvte_store::{KdfParams, Origin, Store, WriteCtx};
use serde_json::json;
use std::path::Path;

pub const FAST: KdfParams = KdfParams {
    m_kib: 256,
    t: 1,
    p: 1,
};

pub fn at(minute: u32) -> bvte_domain::Instant {
    parse_instant("t", &format!("2026-11-29 09:{minute:02}")).unwrap()
}

/// The server's clock at `minute`, as a pull answer gives it (the same as the PCs' here).
pub fn server(minute: u32) -> u64 {
    at(minute).timestamp_millis() as u64
}

pub fn w(author: &str, minute: u32) -> WriteCtx {
    WriteCtx {
        origin: Origin::Ui,
        author: author.into(),
        account: String::new(),
        now: at(minute),
    }
}

pub fn device(dir: &Path, name: &str) -> Store {
    Store::create(&dir.join(name), "mật khẩu 123", "09955", FAST, at(0))
        .unwrap_or_else(|e| panic!("create {name}: {e:?}"))
        .0
}

pub fn add_child(store: &mut Store, name: &str, minute: u32) -> Child {
    let ctx = ValidationContext {
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        default_commune: "09955".into(),
    };
    let data = serde_json::from_value::<ChildInput>(json!({
        "full_name": name, "date_of_birth": "2015-05-05", "sex": "female",
        "residence_status": "thuong_tru", "village": "Thôn 1"
    }))
    .unwrap()
    .validate(&ctx)
    .unwrap();
    store.insert_child(&data, &w("Cán bộ", minute)).unwrap()
}

pub fn rename(
    store: &mut Store,
    child: &Child,
    name: &str,
    village: &str,
    author: &str,
    minute: u32,
) {
    let mut data = store.child(child.id).unwrap().data;
    data.full_name = name.into();
    data.village = village.into();
    store
        .update_child(child.id, &data, &w(author, minute))
        .unwrap();
}

/// The server, reduced to what devices see of it: one ordered list of changes.
#[derive(Default)]
pub struct Relay {
    pub log: Vec<Change>,
}

impl Relay {
    /// Push everything the device has not had acknowledged, then pull what others sent.
    pub fn sync(&mut self, store: &mut Store, minute: u32) -> bvte_store::Applied {
        let own = store.installation().device_id;
        for c in store.outbox(store.acked_seq().unwrap(), 10_000).unwrap() {
            if !self.log.iter().any(|l| l.change_id == c.change_id) {
                self.log.push(c.clone());
            }
            store.set_acked_seq(c.seq).unwrap();
        }
        let cursor = store.pull_cursor().unwrap() as usize;
        let page: Vec<Change> = self.log[cursor..]
            .iter()
            .filter(|c| c.device_id != own)
            .cloned()
            .collect();
        store
            .apply_remote(
                &page,
                self.log.len() as u64,
                None,
                at(minute),
                server(minute),
            )
            .unwrap()
    }
}

pub fn all() -> Page {
    Page {
        offset: 0,
        limit: 10_000,
    }
}

pub fn names(store: &Store) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = store
        .list_children(&ChildFilter::default(), all())
        .unwrap()
        .into_iter()
        .map(|c| (c.id.to_string(), c.data.full_name, c.data.village))
        .collect();
    v.sort();
    v
}
