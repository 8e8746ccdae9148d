//! The records' current state on SQLite (`crate::records`): written with each page, rebuilt
//! from the change log when the table is made, read for reports.

use crate::error::{StorageError, StorageResult};
use crate::push::Accepted;
use crate::records::{self, Stored};
use crate::storage::RecordRow;
use bvte_protocol::Entity;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;
use uuid::Uuid;

fn upsert(tx: &Connection, entity: &str, id: Uuid, s: &Stored) -> StorageResult<()> {
    tx.prepare_cached(
        "INSERT INTO records (entity, entity_id, state, deleted) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (entity, entity_id) DO UPDATE SET state = excluded.state,
             deleted = excluded.deleted",
    )?
    .execute(params![entity, id.to_string(), s.state, s.deleted])?;
    Ok(())
}

/// Applies an accepted page to the records it touches (inside the push's transaction).
pub(super) fn write(tx: &Connection, page: &Accepted<'_>) -> StorageResult<()> {
    let touched = records::touched(page);
    let mut stored = HashMap::new();
    let mut read =
        tx.prepare_cached("SELECT state FROM records WHERE entity = ?1 AND entity_id = ?2")?;
    for &(entity, id) in touched.keys() {
        let state: Option<String> = read
            .query_row(params![entity, id.to_string()], |r| r.get(0))
            .optional()?;
        if let Some(state) = state {
            stored.insert((entity.to_owned(), id), state);
        }
    }
    for ((entity, id), s) in records::apply_page(&touched, &stored)? {
        upsert(tx, entity, id, &s)?;
    }
    Ok(())
}

/// Fills the records from the change log (the migration that makes the table).
pub(super) fn rebuild(tx: &Connection) -> StorageResult<()> {
    let mut stmt = tx.prepare(
        "SELECT entity, entity_id, body FROM changes WHERE refusal IS NULL ORDER BY server_seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let built = records::rebuild(rows.map(|row| {
        let (entity, id, body) = row?;
        let id = Uuid::parse_str(&id).map_err(|_| StorageError::Corrupt)?;
        Ok((entity, id, body))
    }))?;
    for ((entity, id), record) in built {
        upsert(tx, entity.code(), id, &records::to_stored(&record)?)?;
    }
    Ok(())
}

/// The records of `commune` (all when none), with their communes.
pub(super) fn read(conn: &Connection, commune: Option<&str>) -> StorageResult<Vec<RecordRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.entity, r.entity_id, s.commune_code, r.state, r.deleted
         FROM records r JOIN entity_scope s ON s.entity = r.entity AND s.entity_id = r.entity_id
         WHERE ?1 IS NULL OR s.commune_code = ?1",
    )?;
    let rows = stmt.query_map([commune], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, bool>(4)?,
        ))
    })?;
    rows.map(|row| {
        let (entity, id, commune, state, deleted) = row?;
        Ok(RecordRow {
            entity: Entity::from_code(&entity).ok_or(StorageError::Corrupt)?,
            id: Uuid::parse_str(&id).map_err(|_| StorageError::Corrupt)?,
            commune,
            state,
            deleted,
        })
    })
    .collect()
}

/// The last server sequence number published to `commune` (`Storage::commune_version`).
pub(super) fn version(conn: &Connection, commune: &str) -> StorageResult<u64> {
    let v: i64 = conn
        .prepare_cached(
            "SELECT max(coalesce((SELECT max(server_seq) FROM changes WHERE commune_code = ?1), 0),
                        coalesce((SELECT max(pos) FROM copies WHERE commune_code = ?1), 0))",
        )?
        .query_row([commune], |r| r.get(0))?;
    u64::try_from(v).map_err(|_| StorageError::Corrupt)
}
