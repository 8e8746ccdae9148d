//! This device's changes the server refused one by one (issue 10, items 1 and 5): a record of
//! a child who moved to another commune, content the server could not accept. Each keeps what
//! the server said, so the officer reads why and what to do; it stays listed until marked as
//! seen. The change itself stays applied on this PC (nothing here is undone behind the
//! officer's back); nobody else receives it.

use crate::Store;
use crate::error::Result;
use bvte_domain::Instant;
use bvte_protocol::api::RefusedChange;
use rusqlite::{Connection, params};
use serde::Serialize;

/// A refused change, as listed for the officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Refusal {
    /// The change.
    pub change_id: String,
    /// Kind of record (`child`, `case`, `case_event`; empty when the change is no longer here).
    pub entity: String,
    /// The record.
    pub entity_id: String,
    /// The server's code (`moved`, `forbidden_scope`, `invalid`).
    pub code: String,
    /// What the server said, in Vietnamese.
    pub message: String,
    /// What the server said, in English.
    pub message_en: String,
    /// When this PC learned of it (RFC 3339).
    pub refused_at: String,
}

/// Records what the server refused (once each).
pub(crate) fn record(conn: &Connection, refused: &[RefusedChange], now: Instant) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO sync_refusals (change_id, seq, entity, entity_id, code, message, message_en,
                                    refused_at)
         SELECT ?1, ?2, COALESCE(l.entity, ''), COALESCE(l.entity_id, ''), ?3, ?4, ?5, ?6
         FROM (SELECT 1) LEFT JOIN change_log l ON l.change_id = ?1
         ON CONFLICT (change_id) DO NOTHING",
    )?;
    for r in refused {
        insert.execute(params![
            r.change_id.to_string(),
            r.seq as i64,
            r.code,
            r.message,
            r.message_en,
            now.to_rfc3339()
        ])?;
    }
    Ok(())
}

impl Store {
    /// Records the changes the server refused.
    pub fn record_refusals(&mut self, refused: &[RefusedChange], now: Instant) -> Result<()> {
        if refused.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        record(&tx, refused, now)?;
        tx.commit()?;
        Ok(())
    }

    /// The refused changes not yet marked as seen, newest first.
    pub fn refusals(&self) -> Result<Vec<Refusal>> {
        let mut q = self.conn.prepare_cached(
            "SELECT change_id, entity, entity_id, code, message, message_en, refused_at
             FROM sync_refusals WHERE seen_at IS NULL ORDER BY refused_at DESC, seq DESC",
        )?;
        let rows = q.query_map([], |r| {
            Ok(Refusal {
                change_id: r.get(0)?,
                entity: r.get(1)?,
                entity_id: r.get(2)?,
                code: r.get(3)?,
                message: r.get(4)?,
                message_en: r.get(5)?,
                refused_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Marks every refusal listed so far as seen by the officer.
    pub fn mark_refusals_seen(&mut self, now: Instant) -> Result<u64> {
        let n = self.conn.execute(
            "UPDATE sync_refusals SET seen_at = ?1 WHERE seen_at IS NULL",
            [now.to_rfc3339()],
        )?;
        Ok(n as u64)
    }
}
