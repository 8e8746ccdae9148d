//! Sync bookkeeping on the device (design §5): the enrollment with the district server, the
//! outbox (this device's changes the server has not acknowledged), the pull cursor, and the
//! outcome of the last attempt, all in `meta` under `sync.*` keys.

use crate::Store;
use crate::error::Result;
use bvte_domain::Instant;
use bvte_protocol::hlc::MAX_DRIFT_MS;
use bvte_protocol::{Change, Entity, Hlc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// What enrollment gave this device.
#[derive(Clone, PartialEq, Eq)]
pub struct Enrollment {
    /// The server's address (`https://host:port`).
    pub server_url: String,
    /// SHA-256 fingerprint of the server's certificate (64 hex digits).
    pub fingerprint: String,
    /// The device's bearer token (a secret; kept only in the encrypted database).
    pub token: String,
    /// When the device enrolled.
    pub enrolled_at: Instant,
    /// The server's identity (its database), when the server told it.
    pub server_id: Option<String>,
}

impl std::fmt::Debug for Enrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrollment")
            .field("server_url", &self.server_url)
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// Where sync stands, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    /// The server, when enrolled.
    pub server_url: Option<String>,
    /// This device's changes not yet acknowledged by the server.
    pub pending: u64,
    /// Highest own sequence number the server acknowledged.
    pub acked_seq: u64,
    /// Last server sequence number applied here.
    pub cursor: u64,
    /// When a sync last completed (RFC 3339).
    pub last_success_at: Option<String>,
    /// The last attempt's error, in Vietnamese, when it failed after the last success.
    pub last_error: Option<String>,
    /// When that error happened (RFC 3339).
    pub last_error_at: Option<String>,
    /// Server clock minus this PC's clock at the last contact, in milliseconds.
    pub clock_offset_ms: Option<i64>,
    /// Conflicts waiting for an officer.
    pub open_conflicts: u64,
    /// Changes of this device the server refused, not yet marked as seen.
    pub refused: u64,
    /// Changes received and kept aside, not applied (see `held`).
    pub held: u64,
    /// Of those, made by a newer BVTE: this PC needs an update.
    pub newer_format: u64,
    /// The name of the area the server serves, as it said at the last sync.
    pub area_name: Option<String>,
}

pub(crate) fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

fn reset_pull(conn: &Connection) -> Result<()> {
    meta_set(conn, "sync.cursor", "0")?;
    conn.execute("DELETE FROM meta WHERE key = 'sync.cursor_change'", [])?;
    Ok(())
}

fn meta_u64(conn: &Connection, key: &str) -> Result<u64> {
    Ok(meta_get(conn, key)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

impl Store {
    /// The enrollment, when this device has one.
    pub fn enrollment(&self) -> Result<Option<Enrollment>> {
        let get = |k: &str| meta_get(&self.conn, k);
        let server_id = get("sync.server_id")?;
        let (Some(server_url), Some(fingerprint), Some(token), Some(at)) = (
            get("sync.server_url")?,
            get("sync.fingerprint")?,
            get("sync.token")?,
            get("sync.enrolled_at")?,
        ) else {
            return Ok(None);
        };
        Ok(Some(Enrollment {
            server_url,
            fingerprint,
            token,
            enrolled_at: at.parse().unwrap_or_default(),
            server_id,
        }))
    }

    /// Saves an enrollment and what the server already holds from this device. Another
    /// server — another address, or a server whose database is not the one this device knew
    /// (initialised again at the same address) — starts the pull from the beginning.
    pub fn set_enrollment(&mut self, e: &Enrollment, acked_seq: u64) -> Result<()> {
        let tx = self.conn.transaction()?;
        let previous = meta_get(&tx, "sync.server_url")?;
        let previous_id = meta_get(&tx, "sync.server_id")?;
        meta_set(&tx, "sync.server_url", &e.server_url)?;
        meta_set(&tx, "sync.fingerprint", &e.fingerprint)?;
        meta_set(&tx, "sync.token", &e.token)?;
        meta_set(&tx, "sync.enrolled_at", &e.enrolled_at.to_rfc3339())?;
        meta_set(&tx, "sync.acked_seq", &acked_seq.to_string())?;
        if let Some(id) = &e.server_id {
            meta_set(&tx, "sync.server_id", id)?;
        }
        let other_server = previous.as_deref() != Some(e.server_url.as_str())
            || (e.server_id.is_some() && previous_id.is_some() && previous_id != e.server_id);
        if other_server {
            reset_pull(&tx)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The server identity this device last saw: its database and its run.
    pub fn server_identity(&self) -> Result<(Option<String>, Option<String>)> {
        Ok((
            meta_get(&self.conn, "sync.server_id")?,
            meta_get(&self.conn, "sync.epoch")?,
        ))
    }

    /// Remembers the server identity seen.
    pub fn set_server_identity(&mut self, server_id: &str, epoch: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        meta_set(&tx, "sync.server_id", server_id)?;
        meta_set(&tx, "sync.epoch", epoch)?;
        tx.commit()?;
        Ok(())
    }

    /// Remembers the name of the area the server serves (forgotten when it has none).
    pub fn set_server_area(&mut self, name: Option<&str>) -> Result<()> {
        match name {
            Some(name) => meta_set(&self.conn, "sync.area_name", name)?,
            None => {
                self.conn
                    .execute("DELETE FROM meta WHERE key = 'sync.area_name'", [])?;
            }
        }
        Ok(())
    }

    /// The pull cursor and the id of the change read there (what the device last read).
    pub fn pull_position(&self) -> Result<(u64, Option<uuid::Uuid>)> {
        Ok((
            self.pull_cursor()?,
            meta_get(&self.conn, "sync.cursor_change")?.and_then(|s| s.parse().ok()),
        ))
    }

    /// Reads the commune again from the start at the next pull: the server no longer holds
    /// what this device last read (restored from an older backup), or it is another server.
    /// Changes already here are recognised by id, so nothing is applied twice.
    pub fn reset_pull(&mut self) -> Result<()> {
        reset_pull(&self.conn)
    }

    /// Highest own sequence number the server acknowledged.
    pub fn acked_seq(&self) -> Result<u64> {
        meta_u64(&self.conn, "sync.acked_seq")
    }

    /// Records the server's acknowledgement. The server is the judge: a lower number (a server
    /// restored from backup) makes the device send those changes again.
    pub fn set_acked_seq(&mut self, seq: u64) -> Result<()> {
        meta_set(&self.conn, "sync.acked_seq", &seq.to_string())
    }

    /// Last server sequence number applied here.
    pub fn pull_cursor(&self) -> Result<u64> {
        meta_u64(&self.conn, "sync.cursor")
    }

    /// This device's changes after `after_seq`, in sequence order, at most `limit`.
    pub fn outbox(&self, after_seq: u64, limit: u32) -> Result<Vec<Change>> {
        let device = self.installation.device_id.to_string();
        Ok(self
            .feed_where(
                "device_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
                params![device, after_seq as i64, limit],
            )?
            .into_iter()
            .map(|e| e.change)
            .collect())
    }

    /// How many of this device's changes the server has not acknowledged.
    pub fn pending_changes(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM change_log WHERE device_id = ?1 AND seq > ?2",
            params![
                self.installation.device_id.to_string(),
                self.acked_seq()? as i64
            ],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    /// Whether the server holds every change made here to this record.
    pub fn on_server(&self, entity: Entity, id: uuid::Uuid) -> Result<bool> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM change_log
             WHERE entity = ?1 AND entity_id = ?2 AND device_id = ?3 AND seq > ?4",
            params![
                entity.code(),
                id.to_string(),
                self.installation.device_id.to_string(),
                self.acked_seq()? as i64
            ],
            |r| r.get(0),
        )?;
        Ok(n == 0)
    }

    /// Gives new clock stamps, from the server's clock, to unsent changes stamped more than
    /// the allowed drift ahead of it (a PC whose clock ran far ahead): the server would refuse
    /// them forever otherwise. Only changes nobody else has seen are touched. Returns how many.
    pub fn restamp_unsent(&mut self, server_now_ms: u64) -> Result<u64> {
        let device = self.installation.device_id.to_string();
        let acked = self.acked_seq()? as i64;
        let limit = server_now_ms.saturating_add(MAX_DRIFT_MS);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let ahead: Vec<(i64, Hlc)> = {
            let mut q = tx.prepare(
                "SELECT local_seq, hlc FROM change_log WHERE device_id = ?1 AND seq > ?2 ORDER BY seq",
            )?;
            let rows = q.query_map(params![device, acked], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?;
            let mut v = Vec::new();
            for row in rows {
                let (ls, hlc) = row?;
                if let Ok(h) = hlc.parse::<Hlc>()
                    && h.millis > limit
                {
                    v.push((ls, h));
                }
            }
            v
        };
        if ahead.is_empty() {
            return Ok(0);
        }
        let below = Hlc {
            millis: limit,
            counter: u32::MAX,
        };
        let mut clock: Hlc = tx
            .query_row(
                "SELECT MAX(hlc) FROM change_log WHERE hlc <= ?1",
                [below.to_string()],
                |r| r.get::<_, Option<String>>(0),
            )?
            .and_then(|s| s.parse().ok())
            .unwrap_or_default();
        for (local_seq, _) in &ahead {
            clock = Hlc::tick(clock, server_now_ms);
            tx.execute(
                "UPDATE change_log SET hlc = ?1 WHERE local_seq = ?2",
                params![clock.to_string(), local_seq],
            )?;
        }
        meta_set(&tx, "hlc", &clock.to_string())?;
        tx.commit()?;
        Ok(ahead.len() as u64)
    }

    /// Records how an attempt ended: success clears the last error.
    pub fn record_sync_outcome(
        &mut self,
        at: Instant,
        error: Option<&str>,
        clock_offset_ms: Option<i64>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        match error {
            None => {
                meta_set(&tx, "sync.last_success_at", &at.to_rfc3339())?;
                tx.execute(
                    "DELETE FROM meta WHERE key IN ('sync.last_error', 'sync.last_error_at')",
                    [],
                )?;
            }
            Some(e) => {
                meta_set(&tx, "sync.last_error", e)?;
                meta_set(&tx, "sync.last_error_at", &at.to_rfc3339())?;
            }
        }
        if let Some(o) = clock_offset_ms {
            meta_set(&tx, "sync.clock_offset_ms", &o.to_string())?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Where sync stands.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let get = |k: &str| meta_get(&self.conn, k);
        let held = self.held_summary()?;
        let open_conflicts: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM conflicts WHERE resolved_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        Ok(SyncStatus {
            server_url: get("sync.server_url")?,
            area_name: get("sync.area_name")?,
            pending: self.pending_changes()?,
            acked_seq: self.acked_seq()?,
            cursor: self.pull_cursor()?,
            last_success_at: get("sync.last_success_at")?,
            last_error: get("sync.last_error")?,
            last_error_at: get("sync.last_error_at")?,
            clock_offset_ms: get("sync.clock_offset_ms")?.and_then(|v| v.parse().ok()),
            open_conflicts: open_conflicts as u64,
            refused: self.conn.query_row(
                "SELECT COUNT(*) FROM sync_refusals WHERE seen_at IS NULL",
                [],
                |r| r.get::<_, i64>(0),
            )? as u64,
            held: held.held,
            newer_format: held.newer_format,
        })
    }
}
