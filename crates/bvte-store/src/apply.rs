//! Applying changes made on other devices (design §5): each page of a pull goes in with the
//! pull cursor in one transaction, so a cut connection resumes where it stopped and a page
//! applied twice changes nothing (changes are known by id).
//!
//! Fields merge last-writer-wins by (clock, device), so every device ends with the same values
//! whatever order changes arrive in. When the two edits were made without either author seeing
//! the other's (judged by the version each author saw, `base_hlc`), the losing value is kept in
//! `conflicts` for an officer to decide. Case steps are events: all are kept, by id. A deletion
//! (tombstone) takes effect only if it saw every edit of the record (`deletion.rs`).

use crate::Store;
use crate::cases::insert_event;
use crate::children::write_row;
use crate::deletion;
use crate::error::{Result, StoreError};
use crate::held::{self, HeldReason};
use crate::sync::{meta_get, meta_set};
use bvte_domain::Instant;
use bvte_domain::case::CaseData;
use bvte_domain::child::ChildData;
use bvte_domain::event::CaseEvent;
use bvte_domain::{CaseId, ChildId};
use bvte_protocol::merge::{FieldMerge, Version, merge_field};
use bvte_protocol::{Change, ChangeKind, Entity, FORMAT, Hlc};
use chrono::DateTime;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;
use uuid::Uuid;

/// What a page did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Changes new to this device.
    pub applied: u64,
    /// Changes it already had.
    pub duplicates: u64,
    /// New conflicts recorded.
    pub conflicts: u64,
    /// Changes kept aside, not applied: from a newer BVTE, or unreadable (see `held`).
    pub held: u64,
}

/// The current version of one field: the change-log entry with the greatest (clock, device)
/// that set it.
struct Head {
    version: Version,
    base: Option<Hlc>,
    value: Value,
    author: String,
}

fn heads(tx: &Transaction<'_>, entity: Entity, id: Uuid) -> Result<HashMap<String, Head>> {
    let mut q = tx.prepare_cached(
        "SELECT hlc, device_id, fields, base_hlc, author FROM change_log
         WHERE entity = ?1 AND entity_id = ?2 AND kind = 'upsert_fields'",
    )?;
    let rows = q.query_map(params![entity.code(), id.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out: HashMap<String, Head> = HashMap::new();
    for row in rows {
        let (hlc, device, fields, base, author) = row?;
        let (Ok(hlc), Ok(device)) = (hlc.parse::<Hlc>(), device.parse::<Uuid>()) else {
            continue;
        };
        let version = Version { hlc, device };
        let fields: Map<String, Value> = serde_json::from_str(&fields)?;
        let base: HashMap<String, Hlc> = serde_json::from_str(&base)?;
        for (f, v) in fields {
            if out.get(&f).is_some_and(|h| h.version >= version) {
                continue;
            }
            let head = Head {
                version,
                base: base.get(&f).copied(),
                value: v,
                author: author.clone(),
            };
            out.insert(f, head);
        }
    }
    Ok(out)
}

fn millis_to_instant(ms: u64) -> Instant {
    DateTime::from_timestamp_millis(ms as i64).unwrap_or_default()
}

pub(crate) fn corrupt(path: &Path, what: String) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        reason: format!("thay đổi nhận từ máy chủ: {what}"),
    }
}

/// The record's stored fields and creation time, when it exists.
fn current(
    tx: &Transaction<'_>,
    entity: Entity,
    id: Uuid,
) -> Result<Option<(Map<String, Value>, String)>> {
    let sql = match entity {
        Entity::Child => "SELECT data, created_at FROM children WHERE id = ?1",
        Entity::Case => "SELECT data, created_at FROM cases WHERE id = ?1",
        Entity::CaseEvent => return Ok(None),
    };
    let mut row: Option<(String, String)> = tx
        .query_row(sql, [id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if row.is_none() && entity == Entity::Child {
        row = deletion::buried(tx, id)?;
    }
    match row {
        None => Ok(None),
        Some((data, created)) => Ok(Some((serde_json::from_str(&data)?, created))),
    }
}

impl Store {
    /// Applies a page of changes from the server and moves the pull cursor to `cursor` (the
    /// server's number of the change `cursor_change`), in one transaction.
    ///
    /// One change never stops a pull (issue 10, item 5): a change of a newer BVTE's format, or
    /// one this version cannot apply, is kept aside ([`crate::held`]) and the page goes on;
    /// only a failure of the database itself (a full disk…) stops it, with nothing applied.
    /// `server_now_ms` is the server's clock in the page's answer: it bounds how far a received
    /// stamp may move this PC's clock ([`Hlc::adopt`]).
    pub fn apply_remote(
        &mut self,
        changes: &[Change],
        cursor: u64,
        cursor_change: Option<Uuid>,
        now: Instant,
        server_now_ms: u64,
    ) -> Result<Applied> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = Applied::default();
        let mut clock = stored_clock(&tx)?;
        let ctx = Applying {
            path: &path,
            now,
            understood: FORMAT,
            server_now_ms,
        };
        for c in changes {
            apply_or_hold(&tx, &ctx, c, &mut clock, &mut out)?;
        }
        meta_set(&tx, "hlc", &clock.to_string())?;
        meta_set(&tx, "sync.cursor", &cursor.to_string())?;
        match cursor_change {
            Some(id) => meta_set(&tx, "sync.cursor_change", &id.to_string())?,
            None if cursor == 0 => {
                tx.execute("DELETE FROM meta WHERE key = 'sync.cursor_change'", [])?;
            }
            None => {}
        }
        tx.commit()?;
        Ok(out)
    }
}

/// This device's clock as last stored (the start of time when none is stored yet).
pub(crate) fn stored_clock(tx: &Transaction<'_>) -> Result<Hlc> {
    Ok(meta_get(tx, "hlc")?
        .and_then(|s| s.parse::<Hlc>().ok())
        .unwrap_or_default())
}

/// How received changes are applied: the database file (for messages), the time, the newest
/// format this build reads ([`FORMAT`]; a test may pretend to be a newer build) and the
/// server's clock (bounding [`Hlc::adopt`]).
pub(crate) struct Applying<'a> {
    pub(crate) path: &'a Path,
    pub(crate) now: Instant,
    pub(crate) understood: u16,
    pub(crate) server_now_ms: u64,
}

/// Applies `c`, or keeps it aside when this version cannot (see [`Store::apply_remote`]). Each
/// change is applied inside a savepoint, so one that fails half-way leaves nothing.
pub(crate) fn apply_or_hold(
    tx: &Transaction<'_>,
    ctx: &Applying<'_>,
    c: &Change,
    clock: &mut Hlc,
    out: &mut Applied,
) -> Result<()> {
    let (path, now) = (ctx.path, ctx.now);
    if c.format > ctx.understood {
        held::hold(tx, c, HeldReason::NewerFormat, "", now)?;
        out.held += 1;
        return Ok(());
    }
    tx.execute_batch("SAVEPOINT one_change")?;
    match apply_one(tx, path, c, now) {
        Ok(done) => {
            tx.execute_batch("RELEASE one_change")?;
            match done {
                Done::Duplicate => out.duplicates += 1,
                Done::Applied { conflicts } => {
                    out.applied += 1;
                    out.conflicts += conflicts;
                    // Later local edits must order after what this device has seen (within
                    // a bound: a stamp far ahead of the server's clock does not drag it).
                    *clock = Hlc::adopt(*clock, c.hlc, ctx.server_now_ms);
                }
            }
            Ok(())
        }
        Err(e) if held::holdable(&e) => {
            tx.execute_batch("ROLLBACK TO one_change; RELEASE one_change")?;
            held::hold(tx, c, HeldReason::Unreadable, &held::detail(&e), now)?;
            out.held += 1;
            Ok(())
        }
        Err(e) => {
            // The whole page rolls back with the transaction.
            let _ = tx.execute_batch("ROLLBACK TO one_change; RELEASE one_change");
            Err(e)
        }
    }
}

/// What applying one change did.
pub(crate) enum Done {
    /// This device had it already.
    Duplicate,
    /// Applied, with this many new conflicts.
    Applied {
        /// New conflicts.
        conflicts: u64,
    },
}

/// Applies one change made elsewhere: merges its fields, adds its event, or records its
/// deletion, and appends it to the change log.
///
/// Errors: `Corrupt` when its content cannot be read, or when another change of its device
/// already holds its sequence number; database errors.
pub(crate) fn apply_one(
    tx: &Transaction<'_>,
    path: &Path,
    c: &Change,
    now: Instant,
) -> Result<Done> {
    let known: Option<String> = tx
        .query_row(
            "SELECT change_id FROM change_log WHERE change_id = ?1
                OR (device_id = ?2 AND seq = ?3)",
            params![
                c.change_id.to_string(),
                c.device_id.to_string(),
                c.seq as i64
            ],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = known {
        if id != c.change_id.to_string() {
            return Err(corrupt(
                path,
                format!("số thứ tự {} của thiết bị bị dùng lại", c.seq),
            ));
        }
        return Ok(Done::Duplicate);
    }
    let mut conflicts = 0;
    // The child whose place in the register (deleted or not) this change may move.
    let mut settle = None;
    match (c.entity, c.kind) {
        (Entity::Child | Entity::Case, ChangeKind::UpsertFields) => {
            let (n, child) = apply_fields(tx, path, c, now)?;
            conflicts += n;
            settle = child;
        }
        (Entity::Child, ChangeKind::Tombstone) => settle = Some(c.entity_id),
        (Entity::CaseEvent, ChangeKind::AppendEvent) => {
            let event: CaseEvent = serde_json::from_value(Value::Object(c.fields.clone()))
                .map_err(|e| corrupt(path, format!("bước vụ việc: {e}")))?;
            let exists: Option<i64> = tx
                .query_row(
                    "SELECT 1 FROM case_events WHERE id = ?1",
                    [event.id.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            if exists.is_none() {
                insert_event(tx, &event)?;
            }
        }
        // Cases and their steps are never deleted (the app cannot send such a tombstone); one
        // from elsewhere stays in the log and does nothing.
        _ => {}
    }
    tx.execute(
        "INSERT INTO change_log (change_id, device_id, seq, hlc, entity, entity_id, kind,
                                 fields, base_hlc, origin, author, recorded_at, format,
                                 base_cursor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'sync', ?10, ?11, ?12, ?13)",
        params![
            c.change_id.to_string(),
            c.device_id.to_string(),
            c.seq as i64,
            c.hlc.to_string(),
            c.entity.code(),
            c.entity_id.to_string(),
            c.kind.code(),
            Value::Object(c.fields.clone()).to_string(),
            serde_json::to_string(&c.base_hlc)?,
            c.author,
            now.to_rfc3339(),
            c.format,
            c.base_cursor as i64,
        ],
    )?;
    if let Some(child) = settle {
        conflicts += deletion::settle_child(tx, path, child, now, &c.author)?;
    }
    Ok(Done::Applied { conflicts })
}

/// Merges one field change into the record; returns the number of conflicts recorded and the
/// child the record belongs to (whose deletion the change may bear on).
fn apply_fields(
    tx: &Transaction<'_>,
    path: &Path,
    c: &Change,
    now: Instant,
) -> Result<(u64, Option<Uuid>)> {
    let heads = heads(tx, c.entity, c.entity_id)?;
    let existing = current(tx, c.entity, c.entity_id)?;
    let (mut data, created) =
        existing.unwrap_or_else(|| (Map::new(), millis_to_instant(c.hlc.millis).to_rfc3339()));
    let remote = Version {
        hlc: c.hlc,
        device: c.device_id,
    };
    let mut conflicts = 0;
    for (field, value) in &c.fields {
        let head = heads.get(field);
        let merge = merge_field(
            head.map(|h| h.version),
            head.and_then(|h| h.base),
            remote,
            c.base_hlc.get(field).copied(),
        );
        let (head, remote_wins) = match (merge, head) {
            (FieldMerge::Keep, _) => continue,
            // `merge_field` answers `Apply` for a field never set here.
            (FieldMerge::Apply, head) | (FieldMerge::Conflict { .. }, head @ None) => {
                data.insert(field.clone(), value.clone());
                if head.is_some() {
                    // An edit made after seeing the current value settles older conflicts on it.
                    settle(tx, c, field, now)?;
                }
                continue;
            }
            (FieldMerge::Conflict { remote_wins }, Some(head)) => (head, remote_wins),
        };
        // The last writer's value stays in the record until the officer chooses.
        if remote_wins {
            data.insert(field.clone(), value.clone());
        }
        if head.value == *value {
            continue;
        }
        let (kept, other) = if remote_wins {
            (
                (value, remote, c.author.as_str()),
                (&head.value, head.version, head.author.as_str()),
            )
        } else {
            (
                (&head.value, head.version, head.author.as_str()),
                (value, remote, c.author.as_str()),
            )
        };
        tx.execute(
            "INSERT INTO conflicts (entity, entity_id, field, kept_value, kept_hlc,
                 kept_device, kept_author, other_value, other_hlc, other_device,
                 other_author, detected_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                c.entity.code(),
                c.entity_id.to_string(),
                field,
                kept.0.to_string(),
                kept.1.hlc.to_string(),
                kept.1.device.to_string(),
                kept.2,
                other.0.to_string(),
                other.1.hlc.to_string(),
                other.1.device.to_string(),
                other.2,
                now.to_rfc3339(),
            ],
        )?;
        conflicts += 1;
    }
    let child = match c.entity {
        Entity::Child => Some(c.entity_id),
        _ => data
            .get("child_id")
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok()),
    };
    materialise(path, tx, c.entity, c.entity_id, data, &created, now)?;
    Ok((conflicts, child))
}

/// Writes a record's merged fields to its table (and search index).
pub(crate) fn materialise(
    path: &Path,
    tx: &Transaction<'_>,
    entity: Entity,
    id: Uuid,
    data: Map<String, Value>,
    created: &str,
    now: Instant,
) -> Result<()> {
    let created: Instant = created.parse().unwrap_or(now);
    match entity {
        Entity::Child => {
            let child: ChildData = serde_json::from_value(Value::Object(data))
                .map_err(|e| corrupt(path, format!("hồ sơ trẻ em: {e}")))?;
            write_row(tx, ChildId(id), &child, created, now)
        }
        Entity::Case => {
            let case: CaseData = serde_json::from_value(Value::Object(data))
                .map_err(|e| corrupt(path, format!("vụ việc: {e}")))?;
            // A case opened elsewhere for a child deleted here brings the child back (the
            // deletion becomes a conflict once the case is in, `deletion::settle_child`).
            deletion::revive(tx, path, case.child_id.0)?;
            tx.execute(
                "INSERT INTO cases (id, child_id, received_at, category, data, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id) DO UPDATE SET received_at = excluded.received_at,
                     category = excluded.category, data = excluded.data",
                params![
                    CaseId(id).to_string(),
                    case.child_id.to_string(),
                    case.received_at.to_rfc3339(),
                    bvte_domain::codes::Code::code(case.category),
                    serde_json::to_string(&case)?,
                    created.to_rfc3339(),
                ],
            )?;
            Ok(())
        }
        Entity::CaseEvent => Ok(()),
    }
}

/// Marks open conflicts on a field settled when `c` was made after seeing both their values.
fn settle(tx: &Transaction<'_>, c: &Change, field: &str, now: Instant) -> Result<()> {
    let Some(base) = c.base_hlc.get(field) else {
        return Ok(());
    };
    tx.execute(
        "UPDATE conflicts SET resolved_at = ?1, resolved_by = ?2
         WHERE resolved_at IS NULL AND entity = ?3 AND entity_id = ?4 AND field = ?5
           AND kept_hlc <= ?6 AND other_hlc <= ?6",
        params![
            now.to_rfc3339(),
            c.author,
            c.entity.code(),
            c.entity_id.to_string(),
            field,
            base.to_string()
        ],
    )?;
    Ok(())
}
