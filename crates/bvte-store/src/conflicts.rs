//! Conflicts kept by sync for an officer to decide (design §5: detected and shown, never
//! silently lost). Choosing a value writes it as a new edit made after seeing both, which
//! settles the conflict on every device once it syncs. A deletion that met an edit it had not
//! seen is a conflict on the whole record (`deletion.rs`).

use crate::Store;
use crate::deletion::RECORD;
use crate::error::{Result, StoreError};
use crate::write::{WriteCtx, record_change};
use bvte_domain::ChildId;
use bvte_protocol::{ChangeKind, Entity};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

/// One side of a conflict.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ConflictSide {
    /// The value (JSON).
    pub value: Value,
    /// Who set it.
    pub author: String,
    /// When (RFC 3339, from the clock of the device that set it).
    pub at: String,
    /// The device that set it.
    pub device_id: String,
}

/// An open conflict. (The UI receives it flattened into bvte-core's `ConflictView`, so its
/// TypeScript type is not written on its own.)
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Conflict {
    /// Id, to resolve it.
    pub id: i64,
    /// `child` or `case`.
    pub entity: String,
    /// The record.
    pub entity_id: String,
    /// The field (as named in the record's JSON).
    pub field: String,
    /// The value in the record now (the later edit by clock).
    pub kept: ConflictSide,
    /// The other value.
    pub other: ConflictSide,
    /// When this device found it (RFC 3339).
    pub detected_at: String,
}

fn side(value: String, hlc: String, device: String, author: String) -> ConflictSide {
    let at = hlc
        .parse::<bvte_protocol::Hlc>()
        .ok()
        .and_then(|h| chrono::DateTime::from_timestamp_millis(h.millis as i64))
        .map(|d| d.to_rfc3339())
        .unwrap_or_default();
    ConflictSide {
        value: serde_json::from_str(&value).unwrap_or(Value::Null),
        author,
        at,
        device_id: device,
    }
}

impl Store {
    /// Open conflicts, oldest first.
    pub fn open_conflicts(&self) -> Result<Vec<Conflict>> {
        let mut q = self.conn.prepare_cached(
            "SELECT id, entity, entity_id, field, kept_value, kept_hlc, kept_device, kept_author,
                    other_value, other_hlc, other_device, other_author, detected_at
             FROM conflicts WHERE resolved_at IS NULL ORDER BY id",
        )?;
        let rows = q.query_map([], |r| {
            Ok(Conflict {
                id: r.get(0)?,
                entity: r.get(1)?,
                entity_id: r.get(2)?,
                field: r.get(3)?,
                kept: side(r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?),
                other: side(r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?),
                detected_at: r.get(12)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Settles a conflict with the value the officer chose (`take_other`: the value not in the
    /// record now). The choice is written as a new edit of the field, so it syncs.
    /// A deletion conflict (field [`RECORD`]) is settled by keeping the record, or by deleting
    /// it again, after seeing every edit (`take_other`).
    pub fn resolve_conflict(&mut self, id: i64, take_other: bool, w: &WriteCtx) -> Result<()> {
        let deletion: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT entity_id, other_value FROM conflicts
                 WHERE id = ?1 AND resolved_at IS NULL AND field = ?2",
                params![id, RECORD],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((child, other)) = deletion {
            let child = ChildId(child.parse().map_err(|_| StoreError::Corrupt {
                path: self.path.clone(),
                reason: "xung đột: mã bản ghi không hợp lệ".into(),
            })?);
            if !take_other {
                return self.keep_child(child, w);
            }
            let other: Value = serde_json::from_str(&other)?;
            let reason = other["reason"].as_str().unwrap_or_default().to_string();
            return self.delete_child(child, &reason, w);
        }
        let device = self.installation.device_id;
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let row: Option<(String, String, String, String, String)> = tx
            .query_row(
                "SELECT entity, entity_id, field, kept_value, other_value FROM conflicts
                 WHERE id = ?1 AND resolved_at IS NULL",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((entity, entity_id, field, kept, other)) = row else {
            return Err(StoreError::NotFound {
                what: "xung đột",
                id: id.to_string(),
            });
        };
        let chosen: Value = serde_json::from_str(if take_other { &other } else { &kept })?;
        let entity = Entity::from_code(&entity).unwrap_or(Entity::Child);
        let entity_uuid: Uuid = entity_id.parse().map_err(|_| StoreError::Corrupt {
            path: path.clone(),
            reason: "xung đột: mã bản ghi không hợp lệ".into(),
        })?;
        let table = if entity == Entity::Case {
            "cases"
        } else {
            "children"
        };
        let (data, created): (String, String) = tx.query_row(
            &format!("SELECT data, created_at FROM {table} WHERE id = ?1"),
            [&entity_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut data: Map<String, Value> = serde_json::from_str(&data)?;
        data.insert(field.clone(), chosen.clone());
        crate::apply::materialise(&path, &tx, entity, entity_uuid, data, &created, w.now)?;
        let mut fields = Map::new();
        fields.insert(field.clone(), chosen);
        record_change(
            &tx,
            device,
            w,
            entity,
            entity_uuid,
            ChangeKind::UpsertFields,
            fields,
        )?;
        tx.execute(
            "UPDATE conflicts SET resolved_at = ?1, resolved_by = ?2
             WHERE resolved_at IS NULL AND entity = ?3 AND entity_id = ?4 AND field = ?5",
            params![
                w.now.to_rfc3339(),
                w.author,
                entity.code(),
                entity_id,
                field
            ],
        )?;
        tx.commit()?;
        Ok(())
    }
}
