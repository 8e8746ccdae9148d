//! Push and pull on SQLite. A push is one `IMMEDIATE` transaction: the rules of
//! [`crate::push`] run inside it and it commits only when they all pass.

use crate::error::{StorageError, StorageResult};
use crate::push::{self, PushTx};
use crate::storage::{DeviceAuth, PullPage, PushOutcome};
use bvte_protocol::api::ServerChange;
use bvte_protocol::{Change, Entity};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

/// An open push transaction.
struct SqlitePushTx<'a> {
    tx: &'a Connection,
}

impl PushTx for SqlitePushTx<'_> {
    fn change_known(&mut self, change_id: Uuid) -> StorageResult<bool> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM changes WHERE change_id = ?1)")?;
        Ok(stmt.query_row([change_id.to_string()], |r| r.get(0))?)
    }

    fn change_at(&mut self, device: Uuid, seq: u64) -> StorageResult<Option<Uuid>> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT change_id FROM changes WHERE device_id = ?1 AND seq = ?2")?;
        let id: Option<String> = stmt
            .query_row(params![device.to_string(), seq], |r| r.get(0))
            .optional()?;
        id.map(|s| Uuid::parse_str(&s).map_err(|e| StorageError::Backend(e.to_string())))
            .transpose()
    }

    fn scope_of(&mut self, entity: Entity, id: Uuid) -> StorageResult<Option<String>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT commune_code FROM entity_scope WHERE entity = ?1 AND entity_id = ?2",
        )?;
        Ok(stmt
            .query_row(params![entity.code(), id.to_string()], |r| r.get(0))
            .optional()?)
    }

    fn set_scope(&mut self, entity: Entity, id: Uuid, commune: &str) -> StorageResult<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO entity_scope (entity, entity_id, commune_code) VALUES (?1, ?2, ?3)",
        )?;
        stmt.execute(params![entity.code(), id.to_string(), commune])?;
        Ok(())
    }

    fn insert(&mut self, change: &Change, commune: &str, received_ms: u64) -> StorageResult<u64> {
        let server_seq: u64 = self
            .tx
            .prepare_cached(
                "UPDATE counters SET value = value + 1 WHERE name = 'server_seq' RETURNING value",
            )?
            .query_row([], |r| r.get(0))?;
        let body =
            serde_json::to_string(change).map_err(|e| StorageError::Backend(e.to_string()))?;
        self.tx
            .prepare_cached(
                "INSERT INTO changes (server_seq, change_id, device_id, seq, commune_code, entity,
                     entity_id, received_at, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                server_seq,
                change.change_id.to_string(),
                change.device_id.to_string(),
                change.seq,
                commune,
                change.entity.code(),
                change.entity_id.to_string(),
                received_ms,
                body
            ])?;
        Ok(server_seq)
    }
}

/// Stores a page of changes in one transaction.
pub(super) fn push(
    conn: &mut Connection,
    device: &DeviceAuth,
    changes: &[Change],
    now_ms: u64,
) -> StorageResult<PushOutcome> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let id = device.device_id.to_string();
    let acked: u64 = tx
        .prepare_cached("SELECT acked_seq FROM devices WHERE device_id = ?1")?
        .query_row([&id], |r| r.get(0))?;
    let outcome = push::apply(
        &mut SqlitePushTx { tx: &tx },
        device,
        acked,
        changes,
        now_ms,
    )?;
    tx.prepare_cached("UPDATE devices SET acked_seq = ?1, last_seen = ?2 WHERE device_id = ?3")?
        .execute(params![outcome.acked_seq, now_ms, &id])?;
    tx.commit()?;
    Ok(outcome)
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
    let mut stmt = conn.prepare_cached(
        "SELECT server_seq, device_id, body FROM changes
         WHERE commune_code = ?1 AND server_seq > ?2 ORDER BY server_seq LIMIT ?3",
    )?;
    let own = device.device_id.to_string();
    let mut cursor = after;
    let mut changes = Vec::new();
    let mut rows = stmt.query(params![&device.commune_code, after, limit as u64])?;
    while let Some(row) = rows.next()? {
        cursor = row.get(0)?;
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
            "SELECT EXISTS (SELECT 1 FROM changes WHERE commune_code = ?1 AND server_seq > ?2)",
        )?
        .query_row(params![&device.commune_code, cursor], |r| r.get(0))?;
    Ok(PullPage {
        changes,
        cursor,
        more,
    })
}
