//! The push rules, written once for every storage backend (design §5): for each change in
//! order, a change already held is a duplicate; a sequence number must follow the last one held;
//! a clock far ahead of the server's is refused; the record must be in the device's commune.
//!
//! Reads first, writes last. [`apply`] asks the backend once for everything the page needs to
//! know ([`PushReads::held`]: the device's highest sequence number, which of the page's change
//! ids and sequence numbers are stored, the communes of the records it names), decides every
//! change in memory and returns the [`Accepted`] page, without writing. The backend then writes
//! it: the communes of new records and the device's row first, and as the very last step before
//! commit the `server_seq` counter, taken once for the page, with all its changes inserted in the
//! same statement numbered from it. The counter row stays locked from that update until commit,
//! so server sequence numbers follow commit order (a pull never skips a change that commits
//! later with a smaller number), while all the per-change work runs in parallel with other
//! devices' pushes. The write must store nothing unless the device's highest sequence number is
//! still [`Accepted::acked_before`] (two pushes of one device at once: one of them decides again).
//! A page that moves a child ([`Move`], rare) also writes, in the same transaction after its
//! changes, the move and the copies of the moved records' history, numbered from the same
//! counter after the page's changes.

use crate::error::{Refusal, StorageError, StorageResult};
use crate::scope::{self, Scope, Scopes};
use crate::storage::{DeviceAuth, PushOutcome};
use bvte_protocol::{Change, Entity};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What is stored already that a page needs to know.
#[derive(Debug, Default)]
pub struct Held {
    /// The highest sequence number of the device held.
    pub acked_seq: u64,
    /// Those of the page's change ids that are stored (by any device).
    pub ids: HashSet<Uuid>,
    /// Those of the page's sequence numbers under which the device has a change stored.
    pub seqs: HashSet<u64>,
    /// Where those of the asked records that are known belong.
    pub scopes: HashMap<(Entity, Uuid), Scope>,
}

/// What the rules read from a backend, once per page.
pub trait PushReads {
    /// What is stored of `device` and of `changes` (its page), and the communes of `records`
    /// (every record the scope rules may look up for the page, from [`scope::records`]).
    fn held(
        &mut self,
        device: Uuid,
        changes: &[Change],
        records: &[(Entity, Uuid)],
    ) -> StorageResult<Held>;
}

/// The commune of a record first seen in this page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewScope {
    /// Kind of record.
    pub entity: Entity,
    /// The record.
    pub entity_id: Uuid,
    /// Its commune.
    pub commune: String,
    /// Its parent (a case's child, a step's case).
    pub parent: Option<Uuid>,
}

/// A child moving to another commune, with its cases and their steps: the backend records the
/// move and publishes the whole history of the moved records to the receiving commune.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    /// The child.
    pub child: Uuid,
    /// The commune it moves to.
    pub to: String,
}

/// A change to store.
#[derive(Clone, Debug)]
pub struct NewChange<'a> {
    /// The change as sent.
    pub change: &'a Change,
    /// The commune it belongs to.
    pub commune: String,
}

/// A page the rules accepted: what the backend writes, in this order (see the module
/// documentation).
#[derive(Debug)]
pub struct Accepted<'a> {
    /// The device's highest sequence number the page was decided against: the write stores
    /// nothing unless it is still the one held.
    pub acked_before: u64,
    /// What the device is told once the page is committed.
    pub outcome: PushOutcome,
    /// Communes of the new records.
    pub scopes: Vec<NewScope>,
    /// New changes, in the order sent (server sequence numbers follow it).
    pub changes: Vec<NewChange<'a>>,
    /// Children moved by the page, in order: written after its changes, in the same
    /// transaction.
    pub moves: Vec<Move>,
}

impl NewChange<'_> {
    /// The change as stored and pulled (JSON).
    ///
    /// Errors: `Backend` when it cannot be serialised.
    pub fn body(&self) -> StorageResult<String> {
        serde_json::to_string(self.change).map_err(|e| StorageError::Backend(e.to_string()))
    }
}

/// The communes of the records a page names: read once for the page, then those set by the
/// page's own new records on top.
struct PageScopes {
    known: HashMap<(Entity, Uuid), Scope>,
    /// Records read (known or not).
    read: HashSet<(Entity, Uuid)>,
    new: Vec<NewScope>,
    moves: Vec<Move>,
}

impl Scopes for PageScopes {
    fn scope_of(&mut self, entity: Entity, id: Uuid) -> StorageResult<Option<Scope>> {
        let key = (entity, id);
        if let Some(scope) = self.known.get(&key) {
            return Ok(Some(scope.clone()));
        }
        if self.read.contains(&key) {
            return Ok(None);
        }
        // `scope::records` names every record `scope::check` looks up: never reached. Failing
        // closed: "unknown" here could let a record into the wrong commune.
        Err(StorageError::Backend(format!(
            "the commune of a {} was not read",
            entity.code()
        )))
    }

    fn set_scope(
        &mut self,
        entity: Entity,
        id: Uuid,
        commune: &str,
        parent: Option<Uuid>,
    ) -> StorageResult<()> {
        let scope = Scope {
            commune: commune.to_owned(),
            former: Vec::new(),
        };
        self.known.insert((entity, id), scope);
        self.new.push(NewScope {
            entity,
            entity_id: id,
            commune: commune.to_owned(),
            parent,
        });
        Ok(())
    }

    fn move_child(&mut self, id: Uuid, to: &str) -> StorageResult<()> {
        // The page's later changes to the child see it where it went. (Its cases read in this
        // page keep their old commune for the rest of the page; the backend moves them after.)
        let scope = self.known.entry((Entity::Child, id)).or_default();
        *scope = scope.moved_to(to);
        self.moves.push(Move {
            child: id,
            to: to.to_owned(),
        });
        Ok(())
    }
}

/// Decides a page of `device`'s changes. Reads only: the caller writes the accepted page (see
/// the module documentation).
///
/// Errors: `Refused` with `bad_request` (another device's change, a reused sequence number, a
/// malformed record), `seq_gap`, `clock_ahead`, `forbidden_scope`; storage errors.
pub fn apply<'c>(
    tx: &mut impl PushReads,
    device: &DeviceAuth,
    changes: &'c [Change],
    now_ms: u64,
) -> StorageResult<Accepted<'c>> {
    let refuse = |r: Refusal| Err(StorageError::Refused(r));
    let mut records: Vec<(Entity, Uuid)> = changes.iter().flat_map(scope::records).collect();
    records.sort_unstable_by_key(|&(entity, id)| (entity.code(), id));
    records.dedup();
    let held = tx.held(device.device_id, changes, &records)?;
    // What stays held when this page is refused (the whole page rolls back).
    let acked_before = held.acked_seq;
    let mut acked_seq = acked_before;
    let mut scopes = PageScopes {
        known: held.scopes,
        read: records.into_iter().collect(),
        new: Vec::new(),
        moves: Vec::new(),
    };
    // This page's own changes, as if already stored.
    let (mut ids, mut seqs) = (HashSet::new(), HashSet::new());
    let mut accepted = Vec::new();
    let mut duplicates = 0u32;
    for change in changes {
        if change.device_id != device.device_id {
            return refuse(Refusal::bad(
                "Thay đổi của thiết bị khác: mỗi thiết bị chỉ gửi thay đổi của chính mình.",
                "A change made by another device: a device only pushes its own changes.",
            ));
        }
        if held.ids.contains(&change.change_id) || ids.contains(&change.change_id) {
            duplicates += 1;
            continue;
        }
        if held.seqs.contains(&change.seq) || seqs.contains(&change.seq) {
            return refuse(Refusal::bad(
                format!(
                    "Số thứ tự {} đã được dùng cho một thay đổi khác.",
                    change.seq
                ),
                format!(
                    "Sequence number {} is already used by another change.",
                    change.seq
                ),
            ));
        }
        if change.seq != acked_seq + 1 {
            return refuse(Refusal::SeqGap {
                acked_seq: acked_before,
            });
        }
        if let Err(e) = change.hlc.check_ahead(now_ms) {
            return refuse(Refusal::ClockAhead {
                ahead_ms: e.ahead_ms,
            });
        }
        let commune = scope::check(&mut scopes, device, change)?;
        ids.insert(change.change_id);
        seqs.insert(change.seq);
        accepted.push(NewChange { change, commune });
        acked_seq = change.seq;
    }
    let stored = u32::try_from(accepted.len())
        .map_err(|_| StorageError::Backend("too many changes in one page".into()))?;
    Ok(Accepted {
        acked_before,
        outcome: PushOutcome {
            acked_seq,
            stored,
            duplicates,
        },
        scopes: scopes.new,
        changes: accepted,
        moves: scopes.moves,
    })
}
