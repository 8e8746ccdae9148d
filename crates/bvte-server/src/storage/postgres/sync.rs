//! Push and pull on PostgreSQL. A push is two statements, each its own transaction. The first
//! reads, from one snapshot, everything the rules of [`crate::push`] need to decide the page in
//! memory. The second writes the accepted page and commits at once: it advances the device's
//! row only if its `acked_seq` is still the one the page was decided against (otherwise a push
//! of the same device came in between, and the page is decided again), records the communes of
//! new records, and only then takes the `server_seq` counter, once for the page, inserting all
//! its changes numbered from it. The counter row stays locked from there until the commit that
//! ends the statement, so server sequence numbers follow commit order, yet it is held only for
//! inserting a few rows and the commit's flush, with no round trip to this process in between.
//! A pull is one statement, so one snapshot.

use super::pool::Conn;
use super::{from_db, to_db};
use crate::error::{StorageError, StorageResult};
use crate::push::{self, Accepted, Held, Move, PushReads};
use crate::scope::Scope;
use crate::storage::{DeviceAuth, OwnPage, PullPage, PushOutcome};
use bvte_protocol::api::{OwnChange, RefusedChange, ServerChange};
use bvte_protocol::{Change, Entity};
use postgres::error::SqlState;
use uuid::Uuid;

/// How many times a page is decided and written before the push answers "busy": again when a
/// push of the same device, or one storing the same new record or change id, came in between.
const ATTEMPTS: usize = 3;

/// Reads a page needs, on a connection outside any transaction.
struct PgReads<'a> {
    conn: &'a mut Conn,
}

impl PushReads for PgReads<'_> {
    fn held(
        &mut self,
        device: Uuid,
        changes: &[Change],
        records: &[(Entity, Uuid)],
    ) -> StorageResult<Held> {
        let ids: Vec<Uuid> = changes.iter().map(|c| c.change_id).collect();
        // A number beyond what the database can hold is held nowhere.
        let seqs: Vec<i64> = changes
            .iter()
            .filter_map(|c| i64::try_from(c.seq).ok())
            .collect();
        let entities: Vec<&str> = records.iter().map(|(e, _)| e.code()).collect();
        let entity_ids: Vec<Uuid> = records.iter().map(|&(_, id)| id).collect();
        // One statement, so one snapshot; array_agg keeps the three scope arrays aligned. Each
        // id is looked up on its own behind a fence (OFFSET 0), so the plan, prepared once per
        // connection, stays one index probe per id as the tables grow: written set-wise
        // (`= ANY`, `IN`) it is planned as a scan of the whole table while that is small, and
        // the plan is kept while the table grows.
        let st = self.conn.stmt(
            "SELECT d.acked_seq,
                 ARRAY(SELECT c.change_id FROM unnest($2::uuid[]) AS i (id),
                     LATERAL (SELECT c.change_id FROM changes c WHERE c.change_id = i.id
                              OFFSET 0) c),
                 ARRAY(SELECT c.refusal FROM unnest($2::uuid[]) AS i (id),
                     LATERAL (SELECT c.refusal FROM changes c WHERE c.change_id = i.id
                                  AND c.refusal IS NOT NULL OFFSET 0) c),
                 ARRAY(SELECT c.seq FROM unnest($3::int8[]) AS i (seq),
                     LATERAL (SELECT c.seq FROM changes c WHERE c.device_id = $1
                                  AND c.seq = i.seq OFFSET 0) c),
                 s.entities, s.ids, s.communes, s.former
             FROM devices d,
                 LATERAL (SELECT array_agg(e.entity) AS entities, array_agg(e.entity_id) AS ids,
                              array_agg(e.commune_code) AS communes,
                              array_agg(e.former) AS former
                          FROM unnest($4::text[], $5::uuid[]) AS r (entity, entity_id),
                              LATERAL (SELECT e.entity, e.entity_id, e.commune_code, e.former
                                       FROM entity_scope e
                                       WHERE e.entity = r.entity AND e.entity_id = r.entity_id
                                       OFFSET 0) e) s
             WHERE d.device_id = $1",
        )?;
        let row = self
            .conn
            .client
            .query_one(&st, &[&device, &ids, &seqs, &entities, &entity_ids])?;
        let refusals: Vec<String> = row.try_get(2)?;
        let held_seqs: Vec<i64> = row.try_get(3)?;
        let scope_entities: Option<Vec<String>> = row.try_get(4)?;
        let scope_ids: Option<Vec<Uuid>> = row.try_get(5)?;
        let scope_communes: Option<Vec<String>> = row.try_get(6)?;
        let scope_former: Option<Vec<String>> = row.try_get(7)?;
        let (scope_entities, scope_ids, scope_communes, scope_former) = (
            scope_entities.unwrap_or_default(),
            scope_ids.unwrap_or_default(),
            scope_communes.unwrap_or_default(),
            scope_former.unwrap_or_default(),
        );
        if scope_ids.len() != scope_entities.len()
            || scope_ids.len() != scope_communes.len()
            || scope_ids.len() != scope_former.len()
        {
            return Err(StorageError::Corrupt);
        }
        Ok(Held {
            acked_seq: from_db(row.try_get(0)?)?,
            ids: row.try_get::<_, Vec<Uuid>>(1)?.into_iter().collect(),
            refused: refusals
                .iter()
                .map(|r| parse_refusal(r).map(|r| (r.change_id, r)))
                .collect::<StorageResult<_>>()?,
            seqs: held_seqs
                .into_iter()
                .map(from_db)
                .collect::<StorageResult<_>>()?,
            scopes: scope_entities
                .iter()
                .zip(scope_ids)
                .zip(scope_communes.into_iter().zip(scope_former))
                .map(|((entity, id), (commune, former))| {
                    let entity = Entity::from_code(entity).ok_or(StorageError::Corrupt)?;
                    Ok(((entity, id), Scope::stored(commune, &former)))
                })
                .collect::<StorageResult<_>>()?,
        })
    }
}

/// A stored refusal.
fn parse_refusal(text: &str) -> StorageResult<RefusedChange> {
    serde_json::from_str(text).map_err(|_| StorageError::Corrupt)
}

/// Stores a page of changes (one transaction: the writing statement).
pub(super) fn push(
    conn: &mut Conn,
    device: &DeviceAuth,
    changes: &[Change],
    now_ms: u64,
) -> StorageResult<PushOutcome> {
    for attempt in 1..=ATTEMPTS {
        let page = push::apply(&mut PgReads { conn }, device, changes, now_ms)?;
        match write(conn, device, &page, now_ms) {
            Ok(true) => return Ok(page.outcome),
            Ok(false) => {}
            // Another device stored the same new record or change id first: decided again,
            // it is a duplicate or a known record now.
            Err(e) if attempt < ATTEMPTS && e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(StorageError::Busy)
}

/// Writes an accepted page in one statement, committed on its own; `false` (nothing written)
/// when the device's `acked_seq` is no longer the one the page was decided against.
fn write(
    conn: &mut Conn,
    device: &DeviceAuth,
    page: &Accepted<'_>,
    now_ms: u64,
) -> Result<bool, WriteError> {
    let received = to_db(now_ms)?;
    if page.changes.is_empty() {
        // Only duplicates: nothing to number (and no new record without a change).
        debug_assert!(page.scopes.is_empty());
        let st = conn.stmt("UPDATE devices SET last_seen = $1 WHERE device_id = $2")?;
        conn.client.execute(&st, &[&received, &device.device_id])?;
        return Ok(true);
    }
    let scope_entities: Vec<&str> = page.scopes.iter().map(|s| s.entity.code()).collect();
    let scope_ids: Vec<Uuid> = page.scopes.iter().map(|s| s.entity_id).collect();
    let scope_communes: Vec<&str> = page.scopes.iter().map(|s| s.commune.as_str()).collect();
    let scope_parents: Vec<Option<Uuid>> = page.scopes.iter().map(|s| s.parent).collect();
    let count = i64::try_from(page.changes.len()).map_err(|_| StorageError::Corrupt)?;
    let mut ids = Vec::with_capacity(page.changes.len());
    let mut seqs = Vec::with_capacity(page.changes.len());
    let mut communes = Vec::with_capacity(page.changes.len());
    let mut entities = Vec::with_capacity(page.changes.len());
    let mut entity_ids = Vec::with_capacity(page.changes.len());
    let mut bodies = Vec::with_capacity(page.changes.len());
    let mut refusals = Vec::with_capacity(page.changes.len());
    for new in &page.changes {
        ids.push(new.change.change_id);
        seqs.push(to_db(new.change.seq)?);
        communes.push(new.commune.as_str());
        entities.push(new.change.entity.code());
        entity_ids.push(new.change.entity_id);
        bodies.push(new.body(&device.officer)?);
        refusals.push(new.refusal_text()?);
    }
    // In order: the device's row (only if nothing moved it, and only while the counter row
    // exists, so its acked_seq never advances alone), the new records' communes, then the
    // counter (its sub-selects run those two first) and the changes numbered from it. The
    // counter row stays locked from its update to the commit ending this statement.
    let st = conn.stmt(
        "WITH device AS (
             UPDATE devices SET acked_seq = $1, last_seen = $2
             WHERE device_id = $3 AND acked_seq = $4
                 AND EXISTS (SELECT 1 FROM counters WHERE name = 'server_seq')
             RETURNING device_id
         ), scopes AS (
             INSERT INTO entity_scope (entity, entity_id, commune_code, parent_id)
             SELECT s.entity, s.entity_id, s.commune_code, s.parent_id
             FROM device, unnest($5::text[], $6::uuid[], $7::text[], $15::uuid[])
                 AS s (entity, entity_id, commune_code, parent_id)
             RETURNING 1
         ), counter AS (
             UPDATE counters SET value = value + $8
             WHERE name = 'server_seq' AND EXISTS (SELECT 1 FROM device)
                 AND (SELECT count(*) FROM scopes) = cardinality($5::text[])
             RETURNING value
         )
         INSERT INTO changes (server_seq, change_id, device_id, seq, commune_code, entity,
             entity_id, received_at, body, refusal)
         SELECT counter.value - $8 + page.n, page.change_id, $3, page.seq, page.commune_code,
             page.entity, page.entity_id, $2, page.body, page.refusal
         FROM counter, unnest($9::uuid[], $10::int8[], $11::text[], $12::text[], $13::uuid[],
             $14::text[], $16::text[]) WITH ORDINALITY
             AS page (change_id, seq, commune_code, entity, entity_id, body, refusal, n)",
    )?;
    // A page that touches records (almost every page) updates them, and a page that moves a
    // child writes the move, in the same transaction; the records first, so their rows are
    // locked before the counter. A page of duplicates only is the one statement above,
    // committed on its own.
    let acked = to_db(page.outcome.acked_seq)?;
    let before = to_db(page.acked_before)?;
    let params: [&(dyn postgres::types::ToSql + Sync); 16] = [
        &acked,
        &received,
        &device.device_id,
        &before,
        &scope_entities,
        &scope_ids,
        &scope_communes,
        &count,
        &ids,
        &seqs,
        &communes,
        &entities,
        &entity_ids,
        &bodies,
        &scope_parents,
        &refusals,
    ];
    let touched = crate::records::touched(page);
    let moves = !page.moves.is_empty();
    if touched.is_empty() && !moves {
        return finish(conn.client.execute(&st, &params)?, count);
    }
    conn.client.batch_execute("BEGIN")?;
    let written = (|| -> Result<u64, WriteError> {
        if !touched.is_empty() {
            super::records::write(conn, &touched)?;
        }
        let n = conn.client.execute(&st, &params)?;
        if n == page.changes.len() as u64 {
            page.moves.iter().try_for_each(|m| move_child(conn, m))?;
        }
        Ok(n)
    })();
    // Nothing stays unless the whole page was stored.
    let whole = matches!(written, Ok(n) if n == page.changes.len() as u64);
    conn.client
        .batch_execute(if whole { "COMMIT" } else { "ROLLBACK" })?;
    finish(written?, count)
}

/// What the write statement's count of inserted changes means.
fn finish(inserted: u64, count: i64) -> Result<bool, WriteError> {
    match inserted {
        0 => Ok(false),
        n if n == count as u64 => Ok(true),
        n => Err(StorageError::Backend(format!("{n} of {count} changes stored")).into()),
    }
}

/// Moves a child with its cases and their steps, and publishes their whole history to the
/// commune it moves to, numbered from the counter after the page (whose row this transaction
/// holds locked).
fn move_child(conn: &mut Conn, m: &Move) -> Result<(), WriteError> {
    // The number under which the commune it leaves receives the move.
    let st = conn.stmt("SELECT server_seq FROM changes WHERE change_id = $1")?;
    let moved_at = from_db(conn.client.query_one(&st, &[&m.by])?.try_get(0)?)?;
    let st = conn.stmt(
        "SELECT entity, entity_id, commune_code, former FROM entity_scope
             WHERE entity = 'child' AND entity_id = $1
         UNION ALL SELECT entity, entity_id, commune_code, former FROM entity_scope
             WHERE entity = 'case' AND parent_id = $1
         UNION ALL SELECT e.entity, e.entity_id, e.commune_code, e.former FROM entity_scope k
             JOIN entity_scope e ON e.parent_id = k.entity_id AND e.entity = 'case_event'
             WHERE k.entity = 'case' AND k.parent_id = $1",
    )?;
    let rows = conn.client.query(&st, &[&m.child])?;
    let (mut entities, mut ids, mut communes, mut formers) = (vec![], vec![], vec![], vec![]);
    for row in &rows {
        let now = Scope::stored(row.try_get(2)?, row.try_get(3)?).moved_to(&m.to, moved_at);
        entities.push(row.try_get::<_, String>(0)?);
        ids.push(row.try_get::<_, Uuid>(1)?);
        communes.push(now.commune.clone());
        formers.push(now.former_text());
    }
    let st = conn.stmt(
        "WITH moved AS (
             UPDATE entity_scope s SET commune_code = u.commune_code, former = u.former
             FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[])
                 AS u (entity, entity_id, commune_code, former)
             WHERE s.entity = u.entity AND s.entity_id = u.entity_id
             RETURNING s.entity, s.entity_id
         )
         SELECT c.server_seq FROM changes c JOIN moved
             ON c.entity = moved.entity AND c.entity_id = moved.entity_id
         WHERE c.refusal IS NULL
         ORDER BY c.server_seq",
    )?;
    let history: Vec<i64> = conn
        .client
        .query(&st, &[&entities, &ids, &communes, &formers])?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    if history.is_empty() {
        return Ok(());
    }
    let st = conn.stmt(
        "WITH counter AS (
             UPDATE counters SET value = value + cardinality($1::int8[])
             WHERE name = 'server_seq' RETURNING value
         )
         INSERT INTO copies (pos, commune_code, server_seq)
         SELECT counter.value - cardinality($1::int8[]) + h.n, $2, h.server_seq
         FROM counter, unnest($1::int8[]) WITH ORDINALITY AS h (server_seq, n)",
    )?;
    conn.client.execute(&st, &[&history, &m.to])?;
    Ok(())
}

/// An error of [`write`]: the database's own (kept whole, to recognise a unique violation) or
/// another.
pub(super) enum WriteError {
    Db(postgres::Error),
    Other(StorageError),
}

impl WriteError {
    fn code(&self) -> Option<&SqlState> {
        match self {
            WriteError::Db(e) => e.code(),
            WriteError::Other(_) => None,
        }
    }
}

impl From<postgres::Error> for WriteError {
    fn from(e: postgres::Error) -> Self {
        WriteError::Db(e)
    }
}

impl From<StorageError> for WriteError {
    fn from(e: StorageError) -> Self {
        WriteError::Other(e)
    }
}

impl From<WriteError> for StorageError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Db(e) => e.into(),
            WriteError::Other(e) => e,
        }
    }
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
            cursor_change: None,
        });
    };
    let fetch = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
    // The commune's changes, and the copies of the history of records that moved to it.
    let st = conn.stmt(
        "(SELECT server_seq, device_id, body, change_id FROM changes
              WHERE commune_code = $1 AND server_seq > $2 ORDER BY server_seq LIMIT $3)
         UNION ALL
         (SELECT p.pos, c.device_id, c.body, c.change_id FROM copies p
              JOIN changes c ON c.server_seq = p.server_seq
              WHERE p.commune_code = $1 AND p.pos > $2 ORDER BY p.pos LIMIT $3)
         ORDER BY 1 LIMIT $3",
    )?;
    let rows = conn
        .client
        .query(&st, &[&device.commune_code, &after_db, &fetch])?;
    let more = rows.len() > limit;
    let mut cursor = after;
    let mut cursor_change = None;
    let mut changes = Vec::new();
    for row in rows.iter().take(limit) {
        cursor = from_db(row.try_get(0)?)?;
        cursor_change = Some(row.try_get::<_, Uuid>(3)?);
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
        cursor_change,
    })
}

/// Whether the commune's row numbered `cursor` (a change or a copy) is change `change_id`.
pub(super) fn cursor_holds(
    conn: &mut Conn,
    device: &DeviceAuth,
    cursor: u64,
    change_id: Uuid,
) -> StorageResult<bool> {
    let Ok(cursor) = i64::try_from(cursor) else {
        return Ok(false);
    };
    let st = conn.stmt(
        "SELECT EXISTS (SELECT 1 FROM changes
                        WHERE server_seq = $1 AND commune_code = $2 AND change_id = $3)
             OR EXISTS (SELECT 1 FROM copies p JOIN changes c ON c.server_seq = p.server_seq
                        WHERE p.pos = $1 AND p.commune_code = $2 AND c.change_id = $3)",
    )?;
    Ok(conn
        .client
        .query_one(&st, &[&cursor, &device.commune_code, &change_id])?
        .try_get(0)?)
}

/// The device's own changes after sequence number `after`, by sequence number.
pub(super) fn own(
    conn: &mut Conn,
    device: &DeviceAuth,
    after: u64,
    limit: usize,
) -> StorageResult<OwnPage> {
    let Ok(after) = i64::try_from(after) else {
        return Ok(OwnPage {
            changes: Vec::new(),
            more: false,
        });
    };
    let fetch = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
    let st = conn.stmt(
        "SELECT body, refusal FROM changes WHERE device_id = $1 AND seq > $2
         ORDER BY seq LIMIT $3",
    )?;
    let rows = conn
        .client
        .query(&st, &[&device.device_id, &after, &fetch])?;
    let more = rows.len() > limit;
    let changes = rows
        .iter()
        .take(limit)
        .map(|row| {
            let body: &str = row.try_get(0)?;
            let refusal: Option<&str> = row.try_get(1)?;
            Ok(OwnChange {
                change: serde_json::from_str(body).map_err(|_| StorageError::Corrupt)?,
                refused: refusal.map(parse_refusal).transpose()?,
            })
        })
        .collect::<StorageResult<_>>()?;
    Ok(OwnPage { changes, more })
}

/// Those of `ids` stored for the device's commune, or refused.
pub(super) fn known(
    conn: &mut Conn,
    device: &DeviceAuth,
    ids: &[Uuid],
) -> StorageResult<Vec<Uuid>> {
    let st = conn.stmt(
        "SELECT c.change_id FROM unnest($1::uuid[]) AS i (id),
             LATERAL (SELECT c.change_id FROM changes c WHERE c.change_id = i.id
                          AND (c.commune_code = $2 OR c.refusal IS NOT NULL) OFFSET 0) c",
    )?;
    conn.client
        .query(&st, &[&ids, &device.commune_code])?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
}
