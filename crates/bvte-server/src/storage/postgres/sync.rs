//! Push and pull on PostgreSQL. A push is one transaction: it locks the device's row first (two
//! pushes of one device run one after the other), the rules of [`crate::push`] run inside it,
//! and the `server_seq` counter row, locked from the first stored change until commit, makes
//! server sequence numbers follow commit order. A pull is one statement, so one snapshot.

use super::pool::{Cache, Conn, prepared};
use super::{from_db, to_db};
use crate::error::{StorageError, StorageResult};
use crate::push::{self, PushTx};
use crate::storage::{DeviceAuth, PullPage, PushOutcome};
use bvte_protocol::api::ServerChange;
use bvte_protocol::{Change, Entity};
use postgres::Transaction;
use uuid::Uuid;

/// An open push transaction.
struct PgPushTx<'a, 'c> {
    tx: Transaction<'c>,
    cache: &'a mut Cache,
}

impl PushTx for PgPushTx<'_, '_> {
    fn change_known(&mut self, change_id: Uuid) -> StorageResult<bool> {
        let st = prepared(
            self.cache,
            &mut self.tx,
            "SELECT EXISTS (SELECT 1 FROM changes WHERE change_id = $1)",
        )?;
        Ok(self.tx.query_one(&st, &[&change_id])?.try_get(0)?)
    }

    fn change_at(&mut self, device: Uuid, seq: u64) -> StorageResult<Option<Uuid>> {
        let Ok(seq) = i64::try_from(seq) else {
            // Beyond what the database can hold, so nothing is stored there.
            return Ok(None);
        };
        let st = prepared(
            self.cache,
            &mut self.tx,
            "SELECT change_id FROM changes WHERE device_id = $1 AND seq = $2",
        )?;
        let row = self.tx.query_opt(&st, &[&device, &seq])?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    fn scope_of(&mut self, entity: Entity, id: Uuid) -> StorageResult<Option<String>> {
        let st = prepared(
            self.cache,
            &mut self.tx,
            "SELECT commune_code FROM entity_scope WHERE entity = $1 AND entity_id = $2",
        )?;
        let row = self.tx.query_opt(&st, &[&entity.code(), &id])?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    fn set_scope(&mut self, entity: Entity, id: Uuid, commune: &str) -> StorageResult<()> {
        let st = prepared(
            self.cache,
            &mut self.tx,
            "INSERT INTO entity_scope (entity, entity_id, commune_code) VALUES ($1, $2, $3)",
        )?;
        self.tx.execute(&st, &[&entity.code(), &id, &commune])?;
        Ok(())
    }

    fn insert(&mut self, change: &Change, commune: &str, received_ms: u64) -> StorageResult<u64> {
        let next = prepared(
            self.cache,
            &mut self.tx,
            "UPDATE counters SET value = value + 1 WHERE name = 'server_seq' RETURNING value",
        )?;
        let server_seq: i64 = self.tx.query_one(&next, &[])?.try_get(0)?;
        let body =
            serde_json::to_string(change).map_err(|e| StorageError::Backend(e.to_string()))?;
        let st = prepared(
            self.cache,
            &mut self.tx,
            "INSERT INTO changes (server_seq, change_id, device_id, seq, commune_code, entity,
                 entity_id, received_at, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )?;
        self.tx.execute(
            &st,
            &[
                &server_seq,
                &change.change_id,
                &change.device_id,
                &to_db(change.seq)?,
                &commune,
                &change.entity.code(),
                &change.entity_id,
                &to_db(received_ms)?,
                &body,
            ],
        )?;
        from_db(server_seq)
    }
}

/// Stores a page of changes in one transaction.
pub(super) fn push(
    conn: &mut Conn,
    device: &DeviceAuth,
    changes: &[Change],
    now_ms: u64,
) -> StorageResult<PushOutcome> {
    let Conn { client, cache } = conn;
    let mut tx = client.transaction()?;
    let st = prepared(
        cache,
        &mut tx,
        "SELECT acked_seq FROM devices WHERE device_id = $1 FOR UPDATE",
    )?;
    let acked: i64 = tx.query_one(&st, &[&device.device_id])?.try_get(0)?;
    let mut open = PgPushTx { tx, cache };
    let outcome = push::apply(&mut open, device, from_db(acked)?, changes, now_ms)?;
    let PgPushTx { mut tx, cache } = open;
    let st = prepared(
        cache,
        &mut tx,
        "UPDATE devices SET acked_seq = $1, last_seen = $2 WHERE device_id = $3",
    )?;
    tx.execute(
        &st,
        &[
            &to_db(outcome.acked_seq)?,
            &to_db(now_ms)?,
            &device.device_id,
        ],
    )?;
    tx.commit()?;
    Ok(outcome)
}

/// A page of the commune's changes after `after`, leaving out the device's own. One row more
/// than the page is read to know whether more follow, in the same statement (one snapshot).
pub(super) fn pull(
    conn: &mut Conn,
    device: &DeviceAuth,
    after: u64,
    limit: usize,
) -> StorageResult<PullPage> {
    let Ok(after_db) = i64::try_from(after) else {
        // A cursor beyond any number the server assigns: nothing after it.
        return Ok(PullPage {
            changes: Vec::new(),
            cursor: after,
            more: false,
        });
    };
    let fetch = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
    let st = conn.stmt(
        "SELECT server_seq, device_id, body FROM changes
         WHERE commune_code = $1 AND server_seq > $2 ORDER BY server_seq LIMIT $3",
    )?;
    let rows = conn
        .client
        .query(&st, &[&device.commune_code, &after_db, &fetch])?;
    let more = rows.len() > limit;
    let mut cursor = after;
    let mut changes = Vec::new();
    for row in rows.iter().take(limit) {
        cursor = from_db(row.try_get(0)?)?;
        let author: Uuid = row.try_get(1)?;
        if author == device.device_id {
            continue;
        }
        let body: &str = row.try_get(2)?;
        let change: Change =
            serde_json::from_str(body).map_err(|e| StorageError::Backend(e.to_string()))?;
        changes.push(ServerChange {
            server_seq: cursor,
            change,
        });
    }
    Ok(PullPage {
        changes,
        cursor,
        more,
    })
}
