//! A change: one write to one record, as the device that made it saw it (design §5).

use crate::hlc::Hlc;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A device (one installation of the app or CLI on one database).
pub type DeviceId = Uuid;

/// The format of a change's content that this build writes and understands. A newer BVTE that
/// changes what a change may hold (a new step kind, a new field) raises it; a device that
/// receives a change of a higher format keeps it aside, applies everything else, asks the
/// officer to update BVTE and applies the kept change after the update (issue 10, item 5).
pub const FORMAT: u16 = 1;

fn format_one() -> u16 {
    1
}

/// Which kind of record a change is about. Wire format: do not rename.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// A child.
    Child,
    /// A case.
    Case,
    /// A case step.
    CaseEvent,
}

impl Entity {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Entity::Child => "child",
            Entity::Case => "case",
            Entity::CaseEvent => "case_event",
        }
    }

    /// Parses a code.
    pub fn from_code(s: &str) -> Option<Self> {
        [Entity::Child, Entity::Case, Entity::CaseEvent]
            .into_iter()
            .find(|e| e.code() == s)
    }
}

/// What a change does. Wire format: do not rename.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Sets some fields of a record (creating it if new).
    UpsertFields,
    /// Appends an event (events are never changed).
    AppendEvent,
    /// Deletes a record, leaving a tombstone so the deletion syncs.
    Tombstone,
}

impl ChangeKind {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::UpsertFields => "upsert_fields",
            ChangeKind::AppendEvent => "append_event",
            ChangeKind::Tombstone => "tombstone",
        }
    }

    /// Parses a code.
    pub fn from_code(s: &str) -> Option<Self> {
        [
            ChangeKind::UpsertFields,
            ChangeKind::AppendEvent,
            ChangeKind::Tombstone,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

/// One change. Field order and names are the wire format: do not rename or reorder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Globally unique id: a re-sent change is recognised and ignored.
    pub change_id: Uuid,
    /// The device that made it.
    pub device_id: DeviceId,
    /// Dense sequence number within the device's log (1, 2, 3, …).
    pub seq: u64,
    /// When, on the hybrid logical clock.
    pub hlc: Hlc,
    /// Which kind of record.
    pub entity: Entity,
    /// Which record.
    pub entity_id: Uuid,
    /// What the change does.
    pub kind: ChangeKind,
    /// The fields set (upsert) or the event (append).
    pub fields: Map<String, Value>,
    /// For each field set, the version the author saw before changing it (absent for a new
    /// field): a concurrent edit on another device is recognised by a different base.
    pub base_hlc: BTreeMap<String, Hlc>,
    /// Who made it, for the record's history. The device sends its officer's name; the server
    /// replaces it with the officer named when the device enrolled, so a device cannot put a
    /// change under somebody else's name.
    pub author: String,
    /// The format of the content ([`FORMAT`] when made by this build; 1 when absent: made
    /// before formats were numbered).
    #[serde(default = "format_one")]
    pub format: u16,
    /// The pull cursor of the device that made the change (the last server sequence number it
    /// had applied) when it made it: what it knew of the others' changes. The server admits an
    /// edit from a commune a child moved away from only when it was made before that commune
    /// learned of the move (0 when absent).
    #[serde(default)]
    pub base_cursor: u64,
}
