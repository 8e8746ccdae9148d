//! The push rules, written once for every storage backend (design §5): for each change in
//! order, a change already held is a duplicate; a sequence number must follow the last one held;
//! a clock far ahead of the server's is refused; the record must be in the device's commune.
//!
//! A page that breaks the protocol (another device's change, a reused or skipped sequence
//! number, a clock far ahead) is refused whole. A change that is well-formed but may not be
//! stored — another commune's record, a child that moved away (`scope`), content this version's
//! devices could not apply — is refused *alone* (issue 10, items 1 and 5): it keeps its sequence
//! number, so the device's later changes are stored, nobody receives it, and the device is told
//! why ([`RefusedChange`]). One bad change never stops a commune's sync.
//!
//! The author written on every stored change is the officer the device enrolled with, not the
//! name the change claims (issue 10, item 3).
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
use bvte_protocol::api::RefusedChange;
use bvte_protocol::validate::check_change;
use bvte_protocol::{Change, ChangeKind, Entity, FORMAT};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What is stored already that a page needs to know.
#[derive(Debug, Default)]
pub struct Held {
    /// The highest sequence number of the device held.
    pub acked_seq: u64,
    /// Those of the page's change ids that are stored (by any device).
    pub ids: HashSet<Uuid>,
    /// Of those, the ones that were refused, with what their device was told.
    pub refused: HashMap<Uuid, RefusedChange>,
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
    /// The change that moves it (its server sequence number tells when the commune it leaves
    /// learns of the move).
    pub by: Uuid,
}

/// A change to store.
#[derive(Clone, Debug)]
pub struct NewChange<'a> {
    /// The change as sent.
    pub change: &'a Change,
    /// The commune it belongs to ('' for a refused change: nobody receives it).
    pub commune: String,
    /// Why it was refused, when it was.
    pub refusal: Option<RefusedChange>,
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
    /// The change as stored and pulled (JSON), under the name of `author` (the officer its
    /// device enrolled with).
    ///
    /// Errors: `Backend` when it cannot be serialised.
    pub fn body(&self, author: &str) -> StorageResult<String> {
        let ser = |c: &Change| serde_json::to_string(c);
        let body = if self.change.author == author {
            ser(self.change)
        } else {
            ser(&Change {
                author: author.to_owned(),
                ..self.change.clone()
            })
        };
        body.map_err(|e| StorageError::Backend(e.to_string()))
    }

    /// What the device was told, as stored (JSON), for a refused change.
    ///
    /// Errors: `Backend` when it cannot be serialised.
    pub fn refusal_text(&self) -> StorageResult<Option<String>> {
        self.refusal
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StorageError::Backend(e.to_string()))
    }
}

/// Why the content of `change` cannot be stored, if it cannot: every device of this version
/// must be able to apply what the server stores (`bvte_protocol::validate`, the forms' rules on
/// the change's fields). A change of a newer format is stored as it is: this server cannot judge
/// it, and the devices that cannot apply it yet keep it aside until they are updated.
fn content(
    scopes: &mut impl Scopes,
    change: &Change,
    now_ms: u64,
) -> StorageResult<Option<Refusal>> {
    if change.format > FORMAT {
        return Ok(None);
    }
    let new_record = change.kind == ChangeKind::AppendEvent
        || scopes.scope_of(change.entity, change.entity_id)?.is_none();
    let now = bvte_domain::time::from_unix_millis(now_ms).unwrap_or_default();
    Ok(check_change(change, new_record, now).err().map(|errors| {
        let join = |f: fn(&bvte_domain::ValidationError) -> String| {
            errors.0.iter().map(f).collect::<Vec<_>>().join(" ")
        };
        Refusal::bad(
            format!(
                "Thay đổi không hợp lệ, máy chủ không nhận: {}",
                join(bvte_domain::ValidationError::message_vi)
            ),
            format!(
                "Invalid change, not accepted by the server: {}",
                join(bvte_domain::ValidationError::message_en)
            ),
        )
    }))
}

/// What a device is told of a change refused alone.
fn refused(change: &Change, r: &Refusal) -> RefusedChange {
    let (message, message_en) = r.messages();
    RefusedChange {
        change_id: change.change_id,
        seq: change.seq,
        code: match r {
            Refusal::BadRequest { .. } => "invalid",
            other => other.code(),
        }
        .to_owned(),
        message,
        message_en,
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

    fn move_child(&mut self, id: Uuid, to: &str, by: Uuid) -> StorageResult<()> {
        // The page's later changes to the child see it where it went, as if every device of
        // the commune it left knew (the number is only known once written). (Its cases read in
        // this page keep their old commune for the rest of the page; the backend moves them
        // after.)
        let scope = self.known.entry((Entity::Child, id)).or_default();
        *scope = scope.moved_to(to, 0);
        self.moves.push(Move {
            child: id,
            to: to.to_owned(),
            by,
        });
        Ok(())
    }
}

/// Decides a page of `device`'s changes. Reads only: the caller writes the accepted page (see
/// the module documentation).
///
/// Errors: `Refused` with `bad_request` (another device's change, a reused sequence number),
/// `seq_gap`, `clock_ahead`; storage errors. A change refused alone is in the outcome.
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
    let mut refusals = Vec::new();
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
            // A re-sent change that was refused is told so again.
            refusals.extend(held.refused.get(&change.change_id).cloned());
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
        let checked = match content(&mut scopes, change, now_ms)? {
            Some(invalid) => Err(StorageError::Refused(invalid)),
            None => scope::check(&mut scopes, device, change),
        };
        let (commune, refusal) = match checked {
            Ok(commune) => (commune, None),
            Err(StorageError::Refused(r)) => {
                let r = refused(change, &r);
                refusals.push(r.clone());
                (String::new(), Some(r))
            }
            Err(e) => return Err(e),
        };
        ids.insert(change.change_id);
        seqs.insert(change.seq);
        accepted.push(NewChange {
            change,
            commune,
            refusal,
        });
        acked_seq = change.seq;
    }
    let stored = u32::try_from(accepted.iter().filter(|c| c.refusal.is_none()).count())
        .map_err(|_| StorageError::Backend("too many changes in one page".into()))?;
    Ok(Accepted {
        acked_before,
        outcome: PushOutcome {
            acked_seq,
            stored,
            duplicates,
            refused: refusals,
        },
        scopes: scopes.new,
        changes: accepted,
        moves: scopes.moves,
    })
}
