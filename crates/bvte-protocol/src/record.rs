//! A record's current state built from the changes made to it, with the rules a device applies
//! (`merge`, and the deletion rule of `bvte-store`'s `deletion.rs`), for a holder that keeps no
//! register of its own: the area server materialises each record with it on push, so its
//! figures for a commune equal the commune's own (issue 11).
//!
//! Fields merge as a device merges them ([`merge_field`]): the field's head is the newest
//! version (clock, device) of any change that set it, with the version its author had seen; an
//! incoming value replaces the current one when [`merge_field`] applies it or makes it the
//! conflict's winner. Conflicts themselves are the officers' business and are not kept here.
//! A step (event) is its first content. A child's deletion takes effect when some tombstone saw
//! every edit of the record (by device sequence numbers) — and, like on a device, only while the
//! child has no case, which the holder judges from its cases.

use crate::change::{Change, ChangeKind, DeviceId};
use crate::hlc::Hlc;
use crate::merge::{FieldMerge, Version, merge_field};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The head of one field: the newest change that set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    /// Its clock.
    pub hlc: Hlc,
    /// Its device.
    pub device: DeviceId,
    /// The version of the field its author had seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Hlc>,
}

/// A record's current state. Stored as JSON by the server: fields may be added (with
/// `serde(default)`), never renamed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The merged fields (an event's content, for a step).
    pub fields: Map<String, Value>,
    /// Each field's head.
    #[serde(default)]
    pub heads: BTreeMap<String, Head>,
    /// The clock (ms) of the earliest change: when the record was made.
    #[serde(default)]
    pub created_ms: u64,
    /// The clock (ms) of the latest change.
    #[serde(default)]
    pub updated_ms: u64,
    /// For each device, the highest sequence number of its field changes.
    #[serde(default)]
    pub edits: BTreeMap<String, u64>,
    /// For each device, the highest of its sequence numbers some tombstone had seen.
    #[serde(default)]
    pub seen: BTreeMap<String, u64>,
    /// Whether a deletion was received.
    #[serde(default)]
    pub tombstoned: bool,
}

impl Record {
    /// Applies one change made to this record (changes of one record may come in any order
    /// between devices; each device's own in order).
    pub fn apply(&mut self, c: &Change) {
        let ms = c.hlc.millis;
        if self.created_ms == 0 || ms < self.created_ms {
            self.created_ms = ms;
        }
        self.updated_ms = self.updated_ms.max(ms);
        match c.kind {
            ChangeKind::UpsertFields => self.merge(c),
            ChangeKind::AppendEvent => {
                if self.fields.is_empty() {
                    self.fields = c.fields.clone();
                }
            }
            ChangeKind::Tombstone => {
                self.tombstoned = true;
                // A tombstone whose `seen` cannot be read saw nothing, so it deletes nothing.
                let seen: BTreeMap<String, u64> = c
                    .fields
                    .get("seen")
                    .and_then(|s| serde_json::from_value(s.clone()).ok())
                    .unwrap_or_default();
                for (device, seq) in seen {
                    let e = self.seen.entry(device).or_default();
                    *e = (*e).max(seq);
                }
            }
        }
    }

    fn merge(&mut self, c: &Change) {
        let remote = Version {
            hlc: c.hlc,
            device: c.device_id,
        };
        for (field, value) in &c.fields {
            let head = self.heads.get(field).copied();
            let local = head.map(|h| Version {
                hlc: h.hlc,
                device: h.device,
            });
            let base = c.base_hlc.get(field).copied();
            match merge_field(local, head.and_then(|h| h.base), remote, base) {
                FieldMerge::Apply | FieldMerge::Conflict { remote_wins: true } => {
                    self.fields.insert(field.clone(), value.clone());
                }
                FieldMerge::Keep | FieldMerge::Conflict { remote_wins: false } => {}
            }
            if local.is_none_or(|l| remote > l) {
                let head = Head {
                    hlc: c.hlc,
                    device: c.device_id,
                    base,
                };
                self.heads.insert(field.clone(), head);
            }
        }
        let device = c.device_id.to_string();
        let e = self.edits.entry(device).or_default();
        *e = (*e).max(c.seq);
    }

    /// Whether a deletion saw every edit of the record: a child so deleted is out of the
    /// register unless it has a case.
    pub fn deleted(&self) -> bool {
        self.tombstoned
            && self
                .edits
                .iter()
                .all(|(d, seq)| self.seen.get(d).is_some_and(|s| s >= seq))
    }
}

#[cfg(test)]
mod tests;
