//! The records' current state on PostgreSQL (`crate::records`): written with each page inside
//! its transaction (rows locked in key order, before the counter, so concurrent pushes neither
//! lose an update nor deadlock), rebuilt from the change log when the table is made, read for
//! reports.

use super::pool::Conn;
use super::sync::WriteError;
use crate::error::{StorageError, StorageResult};
use crate::records::{self, Stored};
use crate::storage::RecordRow;
use bvte_protocol::{Change, Entity};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Applies a page's changes to the records they touch, in the open transaction. A record new
/// to the server is inserted: another push inserting it at the same time makes this one fail
/// with a unique violation, and the push is decided again (never an update lost).
pub(super) fn write(
    conn: &mut Conn,
    touched: &BTreeMap<(&'static str, Uuid), Vec<&Change>>,
) -> Result<(), WriteError> {
    let entities: Vec<&str> = touched.keys().map(|k| k.0).collect();
    let ids: Vec<Uuid> = touched.keys().map(|k| k.1).collect();
    let st = conn.stmt(
        "SELECT r.entity, r.entity_id, r.state
         FROM unnest($1::text[], $2::uuid[]) WITH ORDINALITY AS k (entity, entity_id, n)
         JOIN records r ON r.entity = k.entity AND r.entity_id = k.entity_id
         ORDER BY k.n FOR UPDATE OF r",
    )?;
    let mut stored = HashMap::new();
    for row in conn.client.query(&st, &[&entities, &ids])? {
        stored.insert((row.try_get(0)?, row.try_get(1)?), row.try_get(2)?);
    }
    let mut new = Rows::default();
    let mut old = Rows::default();
    for ((entity, id), s) in records::apply_page(touched, &stored)? {
        let rows = if stored.contains_key(&(entity.to_owned(), id)) {
            &mut old
        } else {
            &mut new
        };
        rows.push(entity, id, s);
    }
    if !new.ids.is_empty() {
        let st = conn.stmt(
            "INSERT INTO records (entity, entity_id, state, deleted)
             SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::bool[])",
        )?;
        new.execute(conn, &st)?;
    }
    if !old.ids.is_empty() {
        let st = conn.stmt(
            "UPDATE records r SET state = u.state, deleted = u.deleted
             FROM unnest($1::text[], $2::uuid[], $3::text[], $4::bool[])
                 AS u (entity, entity_id, state, deleted)
             WHERE r.entity = u.entity AND r.entity_id = u.entity_id",
        )?;
        old.execute(conn, &st)?;
    }
    Ok(())
}

/// Records to write, as arrays.
#[derive(Default)]
struct Rows {
    entities: Vec<&'static str>,
    ids: Vec<Uuid>,
    states: Vec<String>,
    deleted: Vec<bool>,
}

impl Rows {
    fn push(&mut self, entity: &'static str, id: Uuid, s: Stored) {
        self.entities.push(entity);
        self.ids.push(id);
        self.states.push(s.state);
        self.deleted.push(s.deleted);
    }

    fn execute(&self, conn: &mut Conn, st: &postgres::Statement) -> Result<u64, postgres::Error> {
        conn.client.execute(
            st,
            &[&self.entities, &self.ids, &self.states, &self.deleted],
        )
    }
}

/// Fills the records from the change log (the migration that makes the table), in its
/// transaction.
pub(super) fn rebuild(tx: &mut postgres::Transaction<'_>) -> StorageResult<()> {
    let rows = tx.query(
        "SELECT entity, entity_id, body FROM changes WHERE refusal IS NULL ORDER BY server_seq",
        &[],
    )?;
    let built = records::rebuild(rows.iter().map(|r| {
        Ok((
            r.try_get::<_, String>(0)?,
            r.try_get::<_, Uuid>(1)?,
            r.try_get::<_, String>(2)?,
        ))
    }))?;
    let mut all = Rows::default();
    for ((entity, id), record) in built {
        all.push(entity.code(), id, records::to_stored(&record)?);
    }
    tx.execute(
        "INSERT INTO records (entity, entity_id, state, deleted)
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::bool[])",
        &[&all.entities, &all.ids, &all.states, &all.deleted],
    )?;
    Ok(())
}

/// The records of `commune` (all when none), with their communes, in one snapshot.
pub(super) fn read(conn: &mut Conn, commune: Option<&str>) -> StorageResult<Vec<RecordRow>> {
    let st = conn.stmt(
        "SELECT r.entity, r.entity_id, s.commune_code, r.state, r.deleted
         FROM records r JOIN entity_scope s ON s.entity = r.entity AND s.entity_id = r.entity_id
         WHERE $1::text IS NULL OR s.commune_code = $1",
    )?;
    conn.client
        .query(&st, &[&commune])?
        .iter()
        .map(|r| {
            Ok(RecordRow {
                entity: Entity::from_code(r.try_get(0)?).ok_or(StorageError::Corrupt)?,
                id: r.try_get(1)?,
                commune: r.try_get(2)?,
                state: r.try_get(3)?,
                deleted: r.try_get(4)?,
            })
        })
        .collect()
}

/// The last server sequence number published to `commune` (`Storage::commune_version`).
pub(super) fn version(conn: &mut Conn, commune: &str) -> StorageResult<u64> {
    let st = conn.stmt(
        "SELECT GREATEST(
             coalesce((SELECT max(server_seq) FROM changes WHERE commune_code = $1), 0),
             coalesce((SELECT max(pos) FROM copies WHERE commune_code = $1), 0))::bigint",
    )?;
    let v: i64 = conn.client.query_one(&st, &[&commune])?.try_get(0)?;
    u64::try_from(v).map_err(|_| StorageError::Corrupt)
}
