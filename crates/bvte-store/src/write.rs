//! Attributed writes: every write names its origin and author, and appends to the change log in
//! the same transaction (design §4, style habit 7).

use crate::error::Result;
use bvte_domain::Instant;
use bvte_protocol::{Change, ChangeKind, Entity, FORMAT, Hlc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use uuid::Uuid;

bvte_domain::code_enum!(
    /// Where a write came from.
    Origin {
        /// The desktop app.
        Ui = ("ui", "Ứng dụng", "App"),
        /// The `bvte` command line.
        Cli = ("cli", "Dòng lệnh", "Command line"),
        /// An import of a file.
        Import = ("import", "Nhập tệp", "Import"),
        /// Changes received from the district server.
        Sync = ("sync", "Đồng bộ", "Sync"),
        /// Demonstration data.
        Demo = ("demo", "Dữ liệu mẫu", "Demo data"),
    }
);

/// Who writes, from where, and when.
#[derive(Debug, Clone)]
pub struct WriteCtx {
    /// Origin.
    pub origin: Origin,
    /// The officer (name as set up on this installation).
    pub author: String,
    /// The account signed in (issue 14), entered in the audit trail; empty when none (the
    /// recovery code, tests).
    pub account: String,
    /// The time of the write.
    pub now: Instant,
}

/// Appends one change to the log, with the next dense sequence number of this device and the
/// next clock value, and records the new versions of the fields it sets.
pub(crate) fn record_change(
    tx: &Transaction<'_>,
    device_id: Uuid,
    w: &WriteCtx,
    entity: Entity,
    entity_id: Uuid,
    kind: ChangeKind,
    fields: Map<String, Value>,
) -> Result<Change> {
    record_change_saw(
        tx,
        device_id,
        w,
        entity,
        entity_id,
        kind,
        fields,
        BTreeMap::new(),
    )
}

/// [`record_change`], adding to the versions the author saw those in `saw` (the record-level
/// versions of `deletion.rs`, which are not fields).
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_change_saw(
    tx: &Transaction<'_>,
    device_id: Uuid,
    w: &WriteCtx,
    entity: Entity,
    entity_id: Uuid,
    kind: ChangeKind,
    fields: Map<String, Value>,
    saw: BTreeMap<String, Hlc>,
) -> Result<Change> {
    let last: Option<String> = tx
        .query_row("SELECT value FROM meta WHERE key = 'hlc'", [], |r| r.get(0))
        .optional()?;
    let last = last.and_then(|s| s.parse::<Hlc>().ok()).unwrap_or_default();
    let hlc = Hlc::tick(last, w.now.timestamp_millis().max(0) as u64);
    // The next number of this device's log, never one the server already holds (a device
    // restored from an older copy learns the server's count when it syncs: `reconcile`).
    let seq: u64 = tx.query_row(
        "SELECT max(COALESCE(MAX(seq), 0) + 1,
                    COALESCE((SELECT CAST(value AS INTEGER) FROM meta
                              WHERE key = 'sync.seq_floor'), 0))
         FROM change_log WHERE device_id = ?1",
        [device_id.to_string()],
        |r| r.get::<_, i64>(0),
    )? as u64;
    // What this device had received when the change was made (issue 10, item 1).
    let base_cursor: u64 = tx
        .query_row(
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sync.cursor'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .unwrap_or(0)
        .max(0) as u64;
    let mut base_hlc = if kind == ChangeKind::UpsertFields {
        field_versions(tx, entity, entity_id, fields.keys())?
    } else {
        BTreeMap::new()
    };
    base_hlc.extend(saw);
    let change = Change {
        change_id: Uuid::now_v7(),
        device_id,
        seq,
        hlc,
        entity,
        entity_id,
        kind,
        fields,
        base_hlc,
        author: w.author.clone(),
        format: FORMAT,
        base_cursor,
    };
    tx.execute(
        "INSERT INTO change_log (change_id, device_id, seq, hlc, entity, entity_id, kind, fields,
                                 base_hlc, origin, author, recorded_at, format, base_cursor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            change.change_id.to_string(),
            device_id.to_string(),
            seq as i64,
            hlc.to_string(),
            entity.code(),
            entity_id.to_string(),
            kind.code(),
            Value::Object(change.fields.clone()).to_string(),
            serde_json::to_string(&change.base_hlc)?,
            bvte_domain::codes::Code::code(w.origin),
            w.author,
            w.now.to_rfc3339(),
            FORMAT,
            base_cursor as i64,
        ],
    )?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('hlc', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [hlc.to_string()],
    )?;
    // The audit trail, in the same transaction (issue 14).
    if crate::audit::entered(w.origin) {
        crate::audit::append(
            tx,
            w,
            crate::audit::AuditAction::Change,
            &format!("{}:{entity_id}", entity.code()),
            kind.code(),
        )?;
    }
    Ok(change)
}

/// The version (clock value of the latest change) of each of `wanted` fields of a record,
/// derived from the change log: the log is the history, so nothing else needs to be kept in step.
pub(crate) fn field_versions<'a>(
    tx: &Transaction<'_>,
    entity: Entity,
    entity_id: Uuid,
    wanted: impl Iterator<Item = &'a String>,
) -> Result<BTreeMap<String, Hlc>> {
    let wanted: Vec<&String> = wanted.collect();
    let mut q = tx.prepare_cached(
        "SELECT hlc, fields FROM change_log WHERE entity = ?1 AND entity_id = ?2 AND kind = 'upsert_fields'",
    )?;
    let mut out: BTreeMap<String, Hlc> = BTreeMap::new();
    let rows = q.query_map(params![entity.code(), entity_id.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (hlc, fields) = row?;
        let Ok(hlc) = hlc.parse::<Hlc>() else {
            continue;
        };
        let fields: Map<String, Value> = serde_json::from_str(&fields)?;
        for f in wanted.iter().filter(|f| fields.contains_key(f.as_str())) {
            let e = out.entry((*f).clone()).or_insert(hlc);
            if hlc > *e {
                *e = hlc;
            }
        }
    }
    Ok(out)
}

/// The fields of a serialisable record as a JSON map.
pub(crate) fn to_fields<T: serde::Serialize>(v: &T) -> Result<Map<String, Value>> {
    match serde_json::to_value(v)? {
        Value::Object(m) => Ok(m),
        _ => Ok(Map::new()),
    }
}

/// The fields of `new` that differ from `old`.
pub(crate) fn changed_fields(
    old: &Map<String, Value>,
    new: &Map<String, Value>,
) -> Map<String, Value> {
    // A field the new content leaves out (one written only when set, such as a child's
    // `home`) is sent as null, so every device and the server clear it too.
    let removed = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .map(|k| (k.clone(), Value::Null));
    new.iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .chain(removed)
        .collect()
}
