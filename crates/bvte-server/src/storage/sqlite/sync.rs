//! Push and pull on SQLite. A push is one `IMMEDIATE` transaction (the single writer): the
//! rules of [`crate::push`] decide the page from a few reads, then the page is written, the
//! `server_seq` counter last, and committed.

use crate::error::{StorageError, StorageResult};
use crate::push::{self, Accepted, Held, Move, PushReads};
use crate::scope::Scope;
use crate::storage::{DeviceAuth, OwnPage, PullPage, PushOutcome};
use bvte_protocol::api::{OwnChange, RefusedChange, ServerChange};
use bvte_protocol::{Change, Entity};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

/// An open push transaction, as the rules read it. Statements are cached and the database is
/// in the process, so one lookup per change costs little.
struct SqliteReads<'a> {
    tx: &'a Connection,
}

impl PushReads for SqliteReads<'_> {
    fn held(
        &mut self,
        device: Uuid,
        changes: &[Change],
        records: &[(Entity, Uuid)],
    ) -> StorageResult<Held> {
        let device = device.to_string();
        let mut held = Held {
            acked_seq: self
                .tx
                .prepare_cached("SELECT acked_seq FROM devices WHERE device_id = ?1")?
                .query_row([&device], |r| r.get(0))?,
            ..Held::default()
        };
        let mut known = self
            .tx
            .prepare_cached("SELECT refusal FROM changes WHERE change_id = ?1")?;
        let mut at = self.tx.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM changes WHERE device_id = ?1 AND seq = ?2)",
        )?;
        for change in changes {
            let found: Option<Option<String>> = known
                .query_row([change.change_id.to_string()], |r| r.get(0))
                .optional()?;
            if let Some(refusal) = found {
                held.ids.insert(change.change_id);
                if let Some(r) = refusal {
                    held.refused.insert(change.change_id, parse_refusal(&r)?);
                }
            }
            if at.query_row(params![&device, change.seq], |r| r.get(0))? {
                held.seqs.insert(change.seq);
            }
        }
        let mut scope = self.tx.prepare_cached(
            "SELECT commune_code, former FROM entity_scope WHERE entity = ?1 AND entity_id = ?2",
        )?;
        for &(entity, id) in records {
            let found: Option<(String, String)> = scope
                .query_row(params![entity.code(), id.to_string()], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            if let Some((commune, former)) = found {
                held.scopes
                    .insert((entity, id), Scope::stored(commune, &former));
            }
        }
        Ok(held)
    }
}

/// A stored refusal.
pub(super) fn parse_refusal(text: &str) -> StorageResult<RefusedChange> {
    serde_json::from_str(text).map_err(|_| StorageError::Corrupt)
}

/// Stores a page of changes in one transaction.
pub(super) fn push(
    conn: &mut Connection,
    device: &DeviceAuth,
    changes: &[Change],
    now_ms: u64,
) -> StorageResult<PushOutcome> {
    // IMMEDIATE: the write lock from the start, so the page is decided against what it writes
    // over (`Accepted::acked_before` holds by construction).
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let page = push::apply(&mut SqliteReads { tx: &tx }, device, changes, now_ms)?;
    write(&tx, device, &page, now_ms)?;
    tx.commit()?;
    Ok(page.outcome)
}

/// Writes an accepted page: new records' communes and the device's row, then the counter and
/// the changes numbered from it.
fn write(
    tx: &Connection,
    auth: &DeviceAuth,
    page: &Accepted<'_>,
    now_ms: u64,
) -> StorageResult<()> {
    let device = &auth.device_id.to_string();
    let mut scope = tx.prepare_cached(
        "INSERT INTO entity_scope (entity, entity_id, commune_code, parent_id)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for s in &page.scopes {
        scope.execute(params![
            s.entity.code(),
            s.entity_id.to_string(),
            s.commune,
            s.parent.map(|p| p.to_string())
        ])?;
    }
    tx.prepare_cached("UPDATE devices SET acked_seq = ?1, last_seen = ?2 WHERE device_id = ?3")?
        .execute(params![page.outcome.acked_seq, now_ms, device])?;
    if page.changes.is_empty() {
        return Ok(());
    }
    let count = page.changes.len() as u64;
    let last: u64 = tx
        .prepare_cached(
            "UPDATE counters SET value = value + ?1 WHERE name = 'server_seq' RETURNING value",
        )?
        .query_row([count], |r| r.get(0))?;
    let first = last.checked_sub(count - 1).ok_or(StorageError::Corrupt)?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO changes (server_seq, change_id, device_id, seq, commune_code, entity,
             entity_id, received_at, body, refusal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for (server_seq, new) in (first..).zip(&page.changes) {
        let change = new.change;
        insert.execute(params![
            server_seq,
            change.change_id.to_string(),
            device,
            change.seq,
            new.commune,
            change.entity.code(),
            change.entity_id.to_string(),
            now_ms,
            new.body(&auth.officer)?,
            new.refusal_text()?
        ])?;
    }
    super::records::write(tx, page)?;
    for m in &page.moves {
        move_child(tx, m)?;
    }
    Ok(())
}

/// Moves a child with its cases and their steps, and publishes their whole history to the
/// commune it moves to (numbered from the counter, after the page).
fn move_child(tx: &Connection, m: &Move) -> StorageResult<()> {
    let child = m.child.to_string();
    // The number under which the commune it leaves receives the move.
    let moved_at: u64 = tx
        .prepare_cached("SELECT server_seq FROM changes WHERE change_id = ?1")?
        .query_row([m.by.to_string()], |r| r.get(0))?;
    let moved: Vec<(String, String, String, String)> = tx
        .prepare_cached(
            "SELECT entity, entity_id, commune_code, former FROM entity_scope
                 WHERE entity = 'child' AND entity_id = ?1
             UNION ALL SELECT entity, entity_id, commune_code, former FROM entity_scope
                 WHERE entity = 'case' AND parent_id = ?1
             UNION ALL SELECT e.entity, e.entity_id, e.commune_code, e.former FROM entity_scope k
                 JOIN entity_scope e ON e.parent_id = k.entity_id AND e.entity = 'case_event'
                 WHERE k.entity = 'case' AND k.parent_id = ?1",
        )?
        .query_map([&child], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut history = Vec::new();
    for (entity, id, commune, former) in moved {
        let now = Scope::stored(commune, &former).moved_to(&m.to, moved_at);
        tx.prepare_cached(
            "UPDATE entity_scope SET commune_code = ?3, former = ?4
             WHERE entity = ?1 AND entity_id = ?2",
        )?
        .execute(params![entity, id, now.commune, now.former_text()])?;
        // Refused changes are nobody's to receive.
        let mut seqs = tx.prepare_cached(
            "SELECT server_seq FROM changes
             WHERE entity = ?1 AND entity_id = ?2 AND refusal IS NULL",
        )?;
        for seq in seqs.query_map(params![entity, id], |r| r.get::<_, u64>(0))? {
            history.push(seq?);
        }
    }
    history.sort_unstable();
    if history.is_empty() {
        return Ok(());
    }
    let count = history.len() as u64;
    let last: u64 = tx
        .prepare_cached(
            "UPDATE counters SET value = value + ?1 WHERE name = 'server_seq' RETURNING value",
        )?
        .query_row([count], |r| r.get(0))?;
    let first = last.checked_sub(count - 1).ok_or(StorageError::Corrupt)?;
    let mut copy = tx
        .prepare_cached("INSERT INTO copies (pos, commune_code, server_seq) VALUES (?1, ?2, ?3)")?;
    for (pos, seq) in (first..).zip(history) {
        copy.execute(params![pos, m.to, seq])?;
    }
    Ok(())
}

/// A page of the commune's changes after `after`, leaving out the device's own.
pub(super) fn pull(
    conn: &Connection,
    device: &DeviceAuth,
    after: u64,
    limit: usize,
) -> StorageResult<PullPage> {
    // One read transaction: the page and `more` come from the same snapshot.
    conn.execute_batch("BEGIN DEFERRED")?;
    let page = pull_page(conn, device, after, limit);
    conn.execute_batch(if page.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
    page
}

fn pull_page(
    conn: &Connection,
    device: &DeviceAuth,
    after: u64,
    limit: usize,
) -> StorageResult<PullPage> {
    // The commune's changes, and the copies of the history of records that moved to it.
    let mut stmt = conn.prepare_cached(
        "SELECT server_seq, device_id, body, change_id FROM changes
             WHERE commune_code = ?1 AND server_seq > ?2
         UNION ALL
         SELECT p.pos, c.device_id, c.body, c.change_id FROM copies p
             JOIN changes c ON c.server_seq = p.server_seq
             WHERE p.commune_code = ?1 AND p.pos > ?2
         ORDER BY 1 LIMIT ?3",
    )?;
    let own = device.device_id.to_string();
    let mut cursor = after;
    let mut cursor_change = None;
    let mut changes = Vec::new();
    let mut rows = stmt.query(params![&device.commune_code, after, limit as u64])?;
    while let Some(row) = rows.next()? {
        cursor = row.get(0)?;
        let id: String = row.get(3)?;
        cursor_change = Some(Uuid::parse_str(&id).map_err(|_| StorageError::Corrupt)?);
        let author: String = row.get(1)?;
        if author == own {
            continue;
        }
        let body: String = row.get(2)?;
        let change: Change =
            serde_json::from_str(&body).map_err(|e| StorageError::Backend(e.to_string()))?;
        changes.push(ServerChange {
            server_seq: cursor,
            change,
        });
    }
    let more: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM changes WHERE commune_code = ?1 AND server_seq > ?2)
                 OR EXISTS (SELECT 1 FROM copies WHERE commune_code = ?1 AND pos > ?2)",
        )?
        .query_row(params![&device.commune_code, cursor], |r| r.get(0))?;
    Ok(PullPage {
        changes,
        cursor,
        more,
        cursor_change,
    })
}

/// Whether the commune's row numbered `cursor` (a change or a copy) is change `change_id`.
pub(super) fn cursor_holds(
    conn: &Connection,
    device: &DeviceAuth,
    cursor: u64,
    change_id: Uuid,
) -> StorageResult<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM changes
                            WHERE server_seq = ?1 AND commune_code = ?2 AND change_id = ?3)
                 OR EXISTS (SELECT 1 FROM copies p JOIN changes c ON c.server_seq = p.server_seq
                            WHERE p.pos = ?1 AND p.commune_code = ?2 AND c.change_id = ?3)",
        )?
        .query_row(
            params![cursor, &device.commune_code, change_id.to_string()],
            |r| r.get(0),
        )?)
}

/// The device's own changes after sequence number `after`, by sequence number.
pub(super) fn own(
    conn: &Connection,
    device: &DeviceAuth,
    after: u64,
    limit: usize,
) -> StorageResult<OwnPage> {
    let mut stmt = conn.prepare_cached(
        "SELECT body, refusal FROM changes WHERE device_id = ?1 AND seq > ?2
         ORDER BY seq LIMIT ?3",
    )?;
    let fetch = limit as u64 + 1;
    let rows: Vec<(String, Option<String>)> = stmt
        .query_map(params![device.device_id.to_string(), after, fetch], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let more = rows.len() > limit;
    let changes = rows
        .into_iter()
        .take(limit)
        .map(|(body, refusal)| {
            Ok(OwnChange {
                change: serde_json::from_str(&body).map_err(|_| StorageError::Corrupt)?,
                refused: refusal.as_deref().map(parse_refusal).transpose()?,
            })
        })
        .collect::<StorageResult<_>>()?;
    Ok(OwnPage { changes, more })
}

/// Those of `ids` stored for the device's commune, or refused.
pub(super) fn known(
    conn: &Connection,
    device: &DeviceAuth,
    ids: &[Uuid],
) -> StorageResult<Vec<Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM changes WHERE change_id = ?1
                            AND (commune_code = ?2 OR refusal IS NOT NULL))",
    )?;
    let mut out = Vec::new();
    for id in ids {
        if stmt.query_row(params![id.to_string(), &device.commune_code], |r| r.get(0))? {
            out.push(*id);
        }
    }
    Ok(out)
}
