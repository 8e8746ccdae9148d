//! Deleting a child's record, and agreeing on it across devices (design §5: tombstones;
//! conflicts are detected and shown, never silently lost).
//!
//! A deletion is a `tombstone` change naming every edit of the record its author had seen: for
//! each device, the highest sequence number of that device's edits to the record (`seen`).
//! Sequence numbers, not clock values: an edit made on a PC whose clock is behind carries a small
//! clock value although the deleter never saw it.
//!
//! The rule is evaluated from the change log after every change to the record, so every device
//! reaches the same answer whatever order the changes arrive in:
//! - the record is **deleted** when it has a tombstone, every edit of it was seen by some
//!   tombstone, and the child has no case;
//! - otherwise it **stays** in the register. A tombstone that did not take effect is
//!   *contested* unless an edit was made after seeing it (an officer's undo or "keep the
//!   record", whose `base_hlc[RECORD]` is at least the tombstone's clock). A contested tombstone
//!   is shown as a conflict on the record (field [`RECORD`]) until an officer keeps the record
//!   or deletes it again.
//!
//! A deleted record is moved whole to `deleted_children`, never destroyed.

use crate::Store;
use crate::children::{parse_child_row, require_child, write_row};
use crate::error::{Result, StoreError};
use crate::write::{WriteCtx, record_change, record_change_saw};
use bvte_domain::error::ValidationError;
use bvte_domain::{ChildId, Instant};
use bvte_protocol::{ChangeKind, Entity, Hlc};
use chrono::DateTime;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use uuid::Uuid;

/// The name, in a conflict and in `base_hlc`, of the record as a whole (not a field).
pub const RECORD: &str = "_record";

/// A child whose record was deleted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DeletedChild {
    /// The record's id.
    pub id: String,
    /// The child's name, to recognise the record.
    pub full_name: String,
    /// Date of birth (ISO), when known.
    pub birth_date: Option<String>,
    /// When it was deleted (RFC 3339, from the clock of the device that deleted it).
    pub deleted_at: String,
    /// Who deleted it.
    pub deleted_by: String,
    /// Why.
    pub reason: String,
}

/// A tombstone as read from the change log.
struct Tomb {
    hlc: Hlc,
    device: String,
    author: String,
    reason: String,
    seen: HashMap<String, u64>,
}

/// An edit (field change) of the record as read from the change log.
struct Edit {
    device: String,
    seq: u64,
    hlc: Hlc,
    author: String,
    fields: Vec<String>,
    /// The latest deletion its author had seen.
    saw: Option<Hlc>,
}

fn history(tx: &Transaction<'_>, id: Uuid) -> Result<(Vec<Tomb>, Vec<Edit>)> {
    let mut q = tx.prepare_cached(
        "SELECT device_id, seq, hlc, kind, fields, base_hlc, author FROM change_log
         WHERE entity = 'child' AND entity_id = ?1 AND kind IN ('upsert_fields', 'tombstone')",
    )?;
    let rows = q.query_map([id.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let (mut tombs, mut edits) = (Vec::new(), Vec::new());
    for row in rows {
        let (device, seq, hlc, kind, fields, base, author) = row?;
        let Ok(hlc) = hlc.parse::<Hlc>() else {
            continue;
        };
        let fields: Map<String, Value> = serde_json::from_str(&fields)?;
        if kind == ChangeKind::Tombstone.code() {
            // A tombstone whose `seen` cannot be read saw nothing, so it deletes nothing.
            let seen = fields
                .get("seen")
                .and_then(|s| serde_json::from_value(s.clone()).ok())
                .unwrap_or_default();
            let reason = fields
                .get("reason")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            tombs.push(Tomb {
                hlc,
                device,
                author,
                reason,
                seen,
            });
        } else {
            let base: BTreeMap<String, Hlc> = serde_json::from_str(&base)?;
            edits.push(Edit {
                device,
                seq: seq as u64,
                hlc,
                author,
                fields: fields.keys().cloned().collect(),
                saw: base.get(RECORD).copied(),
            });
        }
    }
    Ok((tombs, edits))
}

/// For each device, the highest sequence number of its edits to the record in the log here.
pub(crate) fn seen_here(tx: &Transaction<'_>, id: Uuid) -> Result<Map<String, Value>> {
    let mut q = tx.prepare_cached(
        "SELECT device_id, MAX(seq) FROM change_log
         WHERE entity = 'child' AND entity_id = ?1 AND kind = 'upsert_fields' GROUP BY device_id",
    )?;
    let rows = q.query_map([id.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut out = Map::new();
    for row in rows {
        let (device, seq) = row?;
        out.insert(device, json!(seq));
    }
    Ok(out)
}

pub(crate) fn case_count(tx: &Transaction<'_>, id: Uuid) -> Result<usize> {
    let n: i64 = tx.query_row(
        "SELECT count(*) FROM cases WHERE child_id = ?1",
        [id.to_string()],
        |r| r.get(0),
    )?;
    Ok(n as usize)
}

fn clock_time(h: Hlc) -> String {
    DateTime::from_timestamp_millis(h.millis as i64)
        .unwrap_or_default()
        .to_rfc3339()
}

/// Moves the record out of the register (row, groups, search entry) into `deleted_children`.
fn bury(tx: &Transaction<'_>, id: Uuid, by: &Tomb) -> Result<()> {
    let row: Option<(i64, String, String, String)> = tx
        .query_row(
            "SELECT rowid, data, created_at, updated_at FROM children WHERE id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (deleted_at, who, reason) = (clock_time(by.hlc), &by.author, &by.reason);
    let Some((rowid, data, created, updated)) = row else {
        tx.execute(
            "UPDATE deleted_children SET deleted_at = ?2, deleted_by = ?3, reason = ?4
             WHERE id = ?1",
            params![id.to_string(), deleted_at, who, reason],
        )?;
        return Ok(());
    };
    tx.execute(
        "INSERT INTO deleted_children (id, data, created_at, updated_at, deleted_at, deleted_by,
                                       reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at,
             deleted_at = excluded.deleted_at, deleted_by = excluded.deleted_by,
             reason = excluded.reason",
        params![
            id.to_string(),
            data,
            created,
            updated,
            deleted_at,
            who,
            reason
        ],
    )?;
    tx.execute("DELETE FROM children_fts WHERE rowid = ?1", [rowid])?;
    tx.execute("DELETE FROM children WHERE id = ?1", [id.to_string()])?;
    Ok(())
}

/// Brings a deleted record back into the register (nothing when it is not deleted).
pub(crate) fn revive(tx: &Transaction<'_>, path: &Path, id: Uuid) -> Result<()> {
    let row: Option<(String, String, String)> = tx
        .query_row(
            "SELECT data, created_at, updated_at FROM deleted_children WHERE id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((data, created, updated)) = row else {
        return Ok(());
    };
    let in_register: Option<i64> = tx
        .query_row(
            "SELECT 1 FROM children WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    if in_register.is_none() {
        let c = parse_child_row(path, (id.to_string(), data, created, updated))?;
        write_row(tx, c.id, &c.data, c.created_at, c.updated_at)?;
    }
    tx.execute(
        "DELETE FROM deleted_children WHERE id = ?1",
        [id.to_string()],
    )?;
    Ok(())
}

/// The record's stored fields and creation time when it is deleted.
pub(crate) fn buried(tx: &Transaction<'_>, id: Uuid) -> Result<Option<(String, String)>> {
    Ok(tx
        .query_row(
            "SELECT data, created_at FROM deleted_children WHERE id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Marks the record's open conflicts settled: all of them, or those on `field`.
fn settle_open(
    tx: &Transaction<'_>,
    id: Uuid,
    field: Option<&str>,
    now: Instant,
    by: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE conflicts SET resolved_at = ?1, resolved_by = ?2
         WHERE resolved_at IS NULL AND entity = 'child' AND entity_id = ?3
           AND (?4 IS NULL OR field = ?4)",
        params![now.to_rfc3339(), by, id.to_string(), field],
    )?;
    Ok(())
}

/// Puts the child's record where the change log says it belongs (register or deleted) and keeps
/// its deletion conflict in step; `by` is the author of the change that led here. Returns the
/// number of conflicts recorded.
pub(crate) fn settle_child(
    tx: &Transaction<'_>,
    path: &Path,
    id: Uuid,
    now: Instant,
    by: &str,
) -> Result<u64> {
    // Almost every record was never deleted: one index probe, not its whole history.
    let deleted_once: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM change_log
                 WHERE entity = 'child' AND entity_id = ?1 AND kind = 'tombstone')",
        )?
        .query_row([id.to_string()], |r| r.get(0))?;
    if !deleted_once {
        return Ok(0);
    }
    let (tombs, edits) = history(tx, id)?;
    let Some(latest) = tombs
        .iter()
        .max_by(|a, b| (a.hlc, &a.device).cmp(&(b.hlc, &b.device)))
    else {
        return Ok(0);
    };
    let unseen: Vec<&Edit> = edits
        .iter()
        .filter(|e| {
            tombs
                .iter()
                .all(|t| t.seen.get(&e.device).copied().unwrap_or(0) < e.seq)
        })
        .collect();
    let cases = case_count(tx, id)?;
    if unseen.is_empty() && cases == 0 {
        bury(tx, id, latest)?;
        // Whoever deleted it had seen every edit: nothing on it is left to decide.
        settle_open(tx, id, None, now, by)?;
        return Ok(0);
    }
    revive(tx, path, id)?;
    let contested = tombs
        .iter()
        .filter(|t| !edits.iter().any(|e| e.saw.is_some_and(|s| s >= t.hlc)))
        .max_by(|a, b| (a.hlc, &a.device).cmp(&(b.hlc, &b.device)));
    let Some(tomb) = contested else {
        settle_open(tx, id, Some(RECORD), now, by)?;
        return Ok(0);
    };
    let open: Option<String> = tx
        .query_row(
            "SELECT other_hlc FROM conflicts WHERE resolved_at IS NULL AND entity = 'child'
               AND entity_id = ?1 AND field = ?2",
            params![id.to_string(), RECORD],
            |r| r.get(0),
        )
        .optional()?;
    // Compared as clock values, not text: a stamp's text form changed once (hlc.rs).
    if open.and_then(|o| o.parse::<Hlc>().ok()) == Some(tomb.hlc) {
        return Ok(0);
    }
    settle_open(tx, id, Some(RECORD), now, by)?;
    // The kept side: the latest edit the deletion did not see (or, when only a case keeps the
    // record, the latest edit), with the fields changed unseen and the number of cases.
    let kept = unseen
        .iter()
        .copied()
        .max_by_key(|e| e.hlc)
        .or_else(|| edits.iter().max_by_key(|e| e.hlc));
    let changed: BTreeSet<&str> = unseen
        .iter()
        .flat_map(|e| e.fields.iter().map(String::as_str))
        .collect();
    let (kept_hlc, kept_device, kept_author) = kept
        .map(|e| (e.hlc, e.device.clone(), e.author.clone()))
        .unwrap_or((tomb.hlc, tomb.device.clone(), tomb.author.clone()));
    tx.execute(
        "INSERT INTO conflicts (entity, entity_id, field, kept_value, kept_hlc, kept_device,
             kept_author, other_value, other_hlc, other_device, other_author, detected_at)
         VALUES ('child', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            id.to_string(),
            RECORD,
            json!({ "fields": changed, "cases": cases }).to_string(),
            kept_hlc.to_string(),
            kept_device,
            kept_author,
            json!({ "reason": tomb.reason }).to_string(),
            tomb.hlc.to_string(),
            tomb.device,
            tomb.author,
            now.to_rfc3339(),
        ],
    )?;
    Ok(1)
}

impl Store {
    /// Deletes a child's record: writes a tombstone naming every edit seen here and moves the
    /// record out of the register. `reason` was checked by `bvte_domain::deletion`. A child with
    /// cases is refused (the caller checks too).
    pub fn delete_child(&mut self, id: ChildId, reason: &str, w: &WriteCtx) -> Result<()> {
        let device = self.installation.device_id;
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        require_child(&tx, id)?;
        let cases = case_count(&tx, id.0)?;
        if cases > 0 {
            return Err(StoreError::Invalid(
                ValidationError::ChildHasCases { cases }.into(),
            ));
        }
        let mut fields = Map::new();
        fields.insert("reason".into(), json!(reason));
        fields.insert("seen".into(), Value::Object(seen_here(&tx, id.0)?));
        record_change(
            &tx,
            device,
            w,
            Entity::Child,
            id.0,
            ChangeKind::Tombstone,
            fields,
        )?;
        settle_child(&tx, &path, id.0, w.now, &w.author)?;
        tx.commit()?;
        Ok(())
    }

    /// Keeps a child's record against every deletion known here: undoes a deletion, or settles
    /// a deletion conflict in favour of the record. Written as an edit made after seeing the
    /// deletions, so it syncs.
    pub fn keep_child(&mut self, id: ChildId, w: &WriteCtx) -> Result<()> {
        let device = self.installation.device_id;
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let (tombs, _) = history(&tx, id.0)?;
        let Some(saw) = tombs.iter().map(|t| t.hlc).max() else {
            return Err(StoreError::NotFound {
                what: "hồ sơ trẻ em đã xóa",
                id: id.to_string(),
            });
        };
        record_change_saw(
            &tx,
            device,
            w,
            Entity::Child,
            id.0,
            ChangeKind::UpsertFields,
            Map::new(),
            BTreeMap::from([(RECORD.to_string(), saw)]),
        )?;
        settle_child(&tx, &path, id.0, w.now, &w.author)?;
        tx.commit()?;
        Ok(())
    }

    /// Deleted children, most recently deleted first.
    pub fn deleted_children(&self) -> Result<Vec<DeletedChild>> {
        let mut q = self.conn.prepare_cached(
            "SELECT id, data, deleted_at, deleted_by, reason FROM deleted_children
             ORDER BY deleted_at DESC, id",
        )?;
        let rows = q.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, data, deleted_at, deleted_by, reason) = row?;
            let data: bvte_domain::child::ChildData = serde_json::from_str(&data)?;
            out.push(DeletedChild {
                id,
                full_name: data.full_name.clone(),
                birth_date: data.birth_date().map(|d| d.to_string()),
                deleted_at,
                deleted_by,
                reason,
            });
        }
        Ok(out)
    }
}
