//! The change feed: the change log read in local order, for the UI (refresh when a record
//! changed by sync or by the CLI) and, later, for the sync client's outbox.

use crate::Store;
use crate::error::Result;
use bvte_protocol::{Change, ChangeKind, Entity, Hlc};
use rusqlite::params;
use serde::Serialize;

/// One entry of the feed.
#[derive(Debug, Clone, Serialize)]
pub struct FeedEntry {
    /// Position in this database's feed.
    pub local_seq: i64,
    /// The change.
    pub change: Change,
    /// Origin code (`ui`, `cli`, `sync`…).
    pub origin: String,
    /// Author.
    pub author: String,
    /// When it was written (RFC 3339).
    pub recorded_at: String,
}

impl Store {
    /// Changes after `local_seq`, oldest first, at most `limit`.
    pub fn changes_after(&self, local_seq: i64, limit: u32) -> Result<Vec<FeedEntry>> {
        self.feed_where(
            "local_seq > ?1 ORDER BY local_seq LIMIT ?2",
            params![local_seq, limit],
        )
    }

    /// Change-log rows matching a condition (with its ORDER BY and LIMIT).
    pub(crate) fn feed_where(
        &self,
        condition: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<FeedEntry>> {
        let mut q = self.conn.prepare_cached(&format!(
            "SELECT local_seq, change_id, device_id, seq, hlc, entity, entity_id, kind, fields,
                    base_hlc, origin, author, recorded_at, format, base_cursor
             FROM change_log WHERE {condition}"
        ))?;
        let rows = q.query_map(args, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, String>(9)?,
                r.get::<_, String>(10)?,
                r.get::<_, String>(11)?,
                r.get::<_, String>(12)?,
                r.get::<_, u16>(13)?,
                r.get::<_, i64>(14)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                ls,
                cid,
                dev,
                seq,
                hlc,
                ent,
                eid,
                kind,
                fields,
                base,
                origin,
                author,
                at,
                format,
                cursor,
            ) = row?;
            let bad = |what: &str| crate::StoreError::Corrupt {
                path: self.path.clone(),
                reason: format!("nhật ký thay đổi: {what} không hợp lệ"),
            };
            out.push(FeedEntry {
                local_seq: ls,
                change: Change {
                    change_id: cid.parse().map_err(|_| bad("change_id"))?,
                    device_id: dev.parse().map_err(|_| bad("device_id"))?,
                    seq: seq as u64,
                    hlc: hlc.parse::<Hlc>().map_err(|_| bad("hlc"))?,
                    entity: Entity::from_code(&ent).ok_or_else(|| bad("entity"))?,
                    entity_id: eid.parse().map_err(|_| bad("entity_id"))?,
                    kind: ChangeKind::from_code(&kind).ok_or_else(|| bad("kind"))?,
                    fields: serde_json::from_str(&fields)?,
                    base_hlc: serde_json::from_str(&base)?,
                    author: author.clone(),
                    format,
                    base_cursor: cursor.max(0) as u64,
                },
                origin,
                author,
                recorded_at: at,
            });
        }
        Ok(out)
    }

    /// The position of the latest change (0 when there is none).
    pub fn last_change_seq(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(local_seq), 0) FROM change_log",
            [],
            |r| r.get(0),
        )?)
    }
}
