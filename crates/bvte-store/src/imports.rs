//! Import batches (issue 12): the children one import of a list added or updated, written in
//! one transaction with the batch that names them, and undone as a whole with tombstones
//! (`deletion.rs`), so an undo syncs like any deletion.

use crate::Store;
use crate::children::{require_child, write_row};
use crate::deletion::{case_count, seen_here, settle_child};
use crate::error::{Result, StoreError};
use crate::write::{WriteCtx, changed_fields, record_change, to_fields};
use bvte_domain::ChildId;
use bvte_domain::child::ChildData;
use bvte_protocol::{ChangeKind, Entity};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// What an import read, for its batch record.
#[derive(Debug, Clone, Default)]
pub struct NewImport {
    /// The file's name (without its folder).
    pub file_name: String,
    /// The encoding found (`unicode`, `tcvn3`, …).
    pub encoding: String,
    /// Rows read.
    pub rows: u32,
    /// Rows that matched a child already in the register and were left alone.
    pub skipped_duplicates: u32,
    /// Rows refused.
    pub rejected: u32,
}

/// One import, as the import history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportBatch {
    /// Its id (to undo it).
    pub id: String,
    /// The file imported.
    pub file_name: String,
    /// When (RFC 3339).
    pub imported_at: String,
    /// Who imported it.
    pub author: String,
    /// The encoding found.
    pub encoding: String,
    /// Rows read.
    pub rows: u32,
    /// Children added.
    pub imported: u32,
    /// Children updated.
    pub updated: u32,
    /// Rows left alone as duplicates.
    pub skipped_duplicates: u32,
    /// Rows refused.
    pub rejected: u32,
    /// When it was undone (RFC 3339), if it was.
    pub undone_at: Option<String>,
    /// Who undid it.
    pub undone_by: Option<String>,
}

const COLUMNS: &str = "id, file_name, imported_at, author, encoding, rows, imported, updated,
    skipped_duplicates, rejected, undone_at, undone_by";

fn row_to_batch(r: &rusqlite::Row<'_>) -> rusqlite::Result<ImportBatch> {
    Ok(ImportBatch {
        id: r.get(0)?,
        file_name: r.get(1)?,
        imported_at: r.get(2)?,
        author: r.get(3)?,
        encoding: r.get(4)?,
        rows: r.get(5)?,
        imported: r.get(6)?,
        updated: r.get(7)?,
        skipped_duplicates: r.get(8)?,
        rejected: r.get(9)?,
        undone_at: r.get(10)?,
        undone_by: r.get(11)?,
    })
}

/// Replaces a child's content inside `tx`; only changed fields go to the change log. Returns
/// whether anything changed.
fn update_in(
    tx: &Transaction<'_>,
    device: Uuid,
    id: ChildId,
    data: &ChildData,
    w: &WriteCtx,
) -> Result<bool> {
    require_child(tx, id)?;
    let (old, created): (String, String) = tx.query_row(
        "SELECT data, created_at FROM children WHERE id = ?1",
        [id.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let old: ChildData = serde_json::from_str(&old)?;
    let changes = changed_fields(&to_fields(&old)?, &to_fields(data)?);
    if changes.is_empty() {
        return Ok(false);
    }
    let created = created.parse().unwrap_or(w.now);
    write_row(tx, id, data, created, w.now)?;
    record_change(
        tx,
        device,
        w,
        Entity::Child,
        id.0,
        ChangeKind::UpsertFields,
        changes,
    )?;
    Ok(true)
}

impl Store {
    /// Adds `added` and applies `updates` (children already validated by `bvte-domain`) in one
    /// transaction with the batch that records them: all or nothing. Returns the batch.
    pub fn record_import(
        &mut self,
        meta: &NewImport,
        added: &[ChildData],
        updates: &[(ChildId, ChildData)],
        w: &WriteCtx,
    ) -> Result<ImportBatch> {
        self.record_import_with(meta, added, updates, w, &mut |_, _| {})
    }

    /// [`Store::record_import`], calling `progress(done, total)` after each row written (the
    /// added children, then the updated ones).
    pub fn record_import_with(
        &mut self,
        meta: &NewImport,
        added: &[ChildData],
        updates: &[(ChildId, ChildData)],
        w: &WriteCtx,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportBatch> {
        let total = added.len() + updates.len();
        let device = self.installation.device_id;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let batch = Uuid::now_v7().to_string();
        let mut members: Vec<(ChildId, &str)> = Vec::new();
        for d in added {
            let id = ChildId::generate();
            write_row(&tx, id, d, w.now, w.now)?;
            record_change(
                &tx,
                device,
                w,
                Entity::Child,
                id.0,
                ChangeKind::UpsertFields,
                to_fields(d)?,
            )?;
            members.push((id, "added"));
            progress(members.len(), total);
        }
        let mut updated = 0u32;
        for (i, (id, d)) in updates.iter().enumerate() {
            if update_in(&tx, device, *id, d, w)? {
                updated += 1;
                members.push((*id, "updated"));
            }
            progress(added.len() + i + 1, total);
        }
        let out = ImportBatch {
            id: batch.clone(),
            file_name: meta.file_name.clone(),
            imported_at: w.now.to_rfc3339(),
            author: w.author.clone(),
            encoding: meta.encoding.clone(),
            rows: meta.rows,
            imported: u32::try_from(added.len()).unwrap_or(u32::MAX),
            updated,
            skipped_duplicates: meta.skipped_duplicates + u32::try_from(updates.len()).unwrap_or(0)
                - updated,
            rejected: meta.rejected,
            undone_at: None,
            undone_by: None,
        };
        tx.execute(
            &format!("INSERT INTO import_batches ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, NULL)"),
            params![
                out.id,
                out.file_name,
                out.imported_at,
                out.author,
                out.encoding,
                out.rows,
                out.imported,
                out.updated,
                out.skipped_duplicates,
                out.rejected
            ],
        )?;
        let mut m = tx.prepare_cached(
            "INSERT INTO import_batch_children (batch_id, child_id, action) VALUES (?1, ?2, ?3)",
        )?;
        for (id, action) in &members {
            m.execute(params![batch, id.to_string(), action])?;
        }
        drop(m);
        tx.commit()?;
        Ok(out)
    }

    /// The imports made on this PC, newest first.
    pub fn import_batches(&self) -> Result<Vec<ImportBatch>> {
        let mut q = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM import_batches ORDER BY imported_at DESC, id DESC"
        ))?;
        let rows = q.query_map([], row_to_batch)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One import.
    pub fn import_batch(&self, id: &str) -> Result<ImportBatch> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM import_batches WHERE id = ?1"),
                [id],
                row_to_batch,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "lần nhập",
                id: id.to_string(),
            })
    }

    /// The children an import added that are still in the register, with their number of cases.
    pub fn import_added(&self, id: &str) -> Result<Vec<(ChildId, usize)>> {
        let mut q = self.conn.prepare_cached(
            "SELECT m.child_id, (SELECT count(*) FROM cases WHERE cases.child_id = m.child_id)
             FROM import_batch_children m JOIN children c ON c.id = m.child_id
             WHERE m.batch_id = ?1 AND m.action = 'added' ORDER BY c.sort_key",
        )?;
        let rows = q.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (child, cases) = row?;
            if let Ok(c) = child.parse() {
                out.push((c, usize::try_from(cases).unwrap_or(0)));
            }
        }
        Ok(out)
    }

    /// Undoes an import: deletes, with `reason` (checked by `bvte_domain::deletion`), every
    /// child it added that is still in the register, in one transaction, and marks the batch
    /// undone. Children it updated keep their records. Refused, with nothing written, when a
    /// case was opened for one of them. Returns how many records were deleted.
    pub fn undo_import(&mut self, id: &str, reason: &str, w: &WriteCtx) -> Result<u32> {
        let batch = self.import_batch(id)?;
        let added = self.import_added(id)?;
        let device = self.installation.device_id;
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if batch.undone_at.is_some() {
            return Ok(0);
        }
        let mut deleted = 0u32;
        for (child, _) in added {
            let cases = case_count(&tx, child.0)?;
            if cases > 0 {
                return Err(StoreError::Invalid(
                    bvte_domain::ValidationError::ChildHasCases { cases }.into(),
                ));
            }
            let mut fields = Map::new();
            fields.insert("reason".into(), json!(reason));
            fields.insert("seen".into(), Value::Object(seen_here(&tx, child.0)?));
            record_change(
                &tx,
                device,
                w,
                Entity::Child,
                child.0,
                ChangeKind::Tombstone,
                fields,
            )?;
            settle_child(&tx, &path, child.0, w.now, &w.author)?;
            deleted += 1;
        }
        tx.execute(
            "UPDATE import_batches SET undone_at = ?2, undone_by = ?3 WHERE id = ?1",
            params![id, w.now.to_rfc3339(), w.author],
        )?;
        tx.commit()?;
        Ok(deleted)
    }
}
