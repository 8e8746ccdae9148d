//! Making this device's own history whole again (issue 10, items 2 and 4).
//!
//! - **A database replaced by an older copy** (restored from a backup, copied back): the server
//!   holds changes this copy lost, and the officer may already have recorded new ones under
//!   the same sequence numbers. [`Store::reconcile_own`] takes the lost ones back from the
//!   server and gives the new ones numbers after the server's, keeping their content and ids,
//!   so nothing is lost, nothing is doubled and no number is used twice.
//! - **A device given a new id** by the server (its old id was known there and not proven):
//!   [`Store::adopt_device_id`] moves the changes the server does not hold onto the new id, so
//!   they are sent; those it holds stay under the old id, and come back like any other
//!   device's changes.
//!
//! Only changes nobody else has seen are renumbered. A deletion among them names, per device,
//! the highest number of the edits it had seen: that is recomputed from the log after
//! renumbering, never claiming an edit its author had not seen.

use crate::Store;
use crate::apply::{Applied, Applying, apply_or_hold, stored_clock};
use crate::deletion;
use crate::error::Result;
use crate::refusals;
use crate::sync::{meta_get, meta_set};
use bvte_domain::Instant;
use bvte_protocol::api::OwnChange;
use bvte_protocol::{Entity, FORMAT};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::HashSet;
use uuid::Uuid;

/// Who settles a deletion decided again here: the sync itself, not an officer.
const SYSTEM: &str = "BVTE";

/// What making the history whole did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Reconciled {
    /// Own changes the server held that this copy had lost, now back.
    pub recovered: u64,
    /// Own changes the server did not hold, given new numbers (or the new id) to be sent.
    pub renumbered: u64,
}

impl Store {
    /// Makes this device's log agree with what the server holds of it. `server` holds every
    /// own change the server has with a sequence number above this device's acknowledged one,
    /// in order, and `server_acked` the highest. In one transaction: the changes missing here
    /// are applied; a change made here under a number the server holds for another change
    /// (made on this copy after it was restored) is set aside and, with every other change
    /// made here that the server lacks, numbered after `server_acked`, keeping its content and
    /// id; refusals are recorded; the acknowledgement becomes `server_acked`, which the next
    /// local number will never reuse.
    pub fn reconcile_own(
        &mut self,
        server: &[OwnChange],
        server_acked: u64,
        now: Instant,
        server_now_ms: u64,
    ) -> Result<Reconciled> {
        let device = self.installation.device_id;
        let dev = device.to_string();
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = Reconciled::default();
        let mut clock = stored_clock(&tx)?;
        let ctx = Applying {
            path: &path,
            now,
            understood: FORMAT,
            server_now_ms,
        };
        let mut refused = Vec::new();
        // Children whose deletion state is decided again once the numbers are final.
        let mut touched = HashSet::new();
        for own in server {
            let c = &own.change;
            if c.device_id != device {
                continue;
            }
            refused.extend(own.refused.clone());
            let have: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM change_log WHERE change_id = ?1)",
                [c.change_id.to_string()],
                |r| r.get(0),
            )?;
            if have {
                continue;
            }
            // A change made here under this number since the copy was taken: set aside,
            // numbered after the server's below.
            tx.execute(
                "UPDATE change_log SET seq = -seq WHERE device_id = ?1 AND seq = ?2",
                params![dev, c.seq as i64],
            )?;
            if own.refused.is_some() {
                // Refused: nobody has it, and neither should this copy.
                continue;
            }
            let mut one = Applied::default();
            apply_or_hold(&tx, &ctx, c, &mut clock, &mut one)?;
            out.recovered += one.applied + one.held;
            if c.entity == Entity::Child {
                touched.insert(c.entity_id);
            }
        }
        refusals::record(&tx, &refused, now)?;
        let renumbered = renumber_after(&tx, &dev, server_acked)?;
        out.renumbered = renumbered.len() as u64;
        touched.extend(children_of(&tx, &renumbered)?);
        for child in touched {
            deletion::settle_child(&tx, &path, child, now, SYSTEM)?;
        }
        meta_set(&tx, "hlc", &clock.to_string())?;
        meta_set(&tx, "sync.acked_seq", &server_acked.to_string())?;
        meta_set(&tx, "sync.seq_floor", &(server_acked + 1).to_string())?;
        tx.commit()?;
        Ok(out)
    }

    /// Ids of this device's changes the server has not acknowledged (what to ask the server
    /// about before taking a new id).
    pub fn unconfirmed_own(&self) -> Result<Vec<Uuid>> {
        let mut q = self.conn.prepare_cached(
            "SELECT change_id FROM change_log WHERE device_id = ?1 AND seq > ?2 ORDER BY seq",
        )?;
        let rows = q.query_map(
            params![
                self.installation.device_id.to_string(),
                self.acked_seq()? as i64
            ],
            |r| r.get::<_, String>(0),
        )?;
        let mut out = Vec::new();
        for row in rows {
            if let Ok(id) = row?.parse() {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Takes `new` as this device's id from now on (given by the server at enrollment). Of
    /// the changes made under the old id and not acknowledged, those the server holds
    /// (`known`) stay under the old id; the others move to the new id, numbered from 1 in
    /// order, to be sent. The pull starts again from the beginning, so what the server holds
    /// under the old id and this copy lacks comes back. Returns how many changes moved.
    pub fn adopt_device_id(
        &mut self,
        new: Uuid,
        known: &HashSet<Uuid>,
        now: Instant,
    ) -> Result<u64> {
        let old = self.installation.device_id;
        if old == new {
            return Ok(0);
        }
        let acked = self.acked_seq()? as i64;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let rows: Vec<(i64, String)> = tx
            .prepare(
                "SELECT local_seq, change_id FROM change_log
                 WHERE device_id = ?1 AND seq > ?2 ORDER BY local_seq",
            )?
            .query_map(params![old.to_string(), acked], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut next: i64 = tx.query_row(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log WHERE device_id = ?1",
            [new.to_string()],
            |r| r.get(0),
        )?;
        let mut moved = Vec::new();
        for (local_seq, id) in rows {
            if id.parse().is_ok_and(|id| known.contains(&id)) {
                continue;
            }
            tx.execute(
                "UPDATE change_log SET device_id = ?1, seq = ?2 WHERE local_seq = ?3",
                params![new.to_string(), next, local_seq],
            )?;
            next += 1;
            moved.push(local_seq);
        }
        fix_seen(&tx, &moved, &[old.to_string(), new.to_string()])?;
        let path = self.path.clone();
        for child in children_of(&tx, &moved)? {
            deletion::settle_child(&tx, &path, child, now, SYSTEM)?;
        }
        meta_set(&tx, "device_id", &new.to_string())?;
        let former = meta_get(&tx, "device.former_ids")?.unwrap_or_default();
        let former = if former.is_empty() {
            old.to_string()
        } else {
            format!("{former},{old}")
        };
        meta_set(&tx, "device.former_ids", &former)?;
        meta_set(&tx, "sync.acked_seq", "0")?;
        tx.execute("DELETE FROM meta WHERE key = 'sync.seq_floor'", [])?;
        meta_set(&tx, "sync.cursor", "0")?;
        tx.execute("DELETE FROM meta WHERE key = 'sync.cursor_change'", [])?;
        tx.commit()?;
        self.installation.device_id = new;
        Ok(moved.len() as u64)
    }
}

/// The children the changes at `local_seqs` are about (their deletion state may depend on the
/// numbers just given).
fn children_of(tx: &Transaction<'_>, local_seqs: &[i64]) -> Result<HashSet<Uuid>> {
    let mut q = tx.prepare_cached(
        "SELECT entity_id FROM change_log WHERE local_seq = ?1 AND entity = 'child'",
    )?;
    let mut out = HashSet::new();
    for &ls in local_seqs {
        let id: Option<String> = q.query_row([ls], |r| r.get(0)).optional()?;
        if let Some(id) = id.and_then(|s| s.parse().ok()) {
            out.insert(id);
        }
    }
    Ok(out)
}

/// Numbers after `after`, in the order they were made, this device's changes set aside
/// (negative numbers) and those above `after`; returns their places in the log.
fn renumber_after(tx: &Transaction<'_>, device: &str, after: u64) -> Result<Vec<i64>> {
    // Out of the way first, so no number is held twice on the way.
    tx.execute(
        "UPDATE change_log SET seq = -seq WHERE device_id = ?1 AND seq > ?2",
        params![device, after as i64],
    )?;
    let rows: Vec<i64> = tx
        .prepare(
            "SELECT local_seq FROM change_log WHERE device_id = ?1 AND seq < 0 ORDER BY local_seq",
        )?
        .query_map([device], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for (n, local_seq) in rows.iter().enumerate() {
        tx.execute(
            "UPDATE change_log SET seq = ?1 WHERE local_seq = ?2",
            params![after as i64 + 1 + n as i64, local_seq],
        )?;
    }
    fix_seen(tx, &rows, &[device.to_string()])?;
    Ok(rows)
}

/// Recomputes, for the deletions among the changes at `local_seqs`, what they had seen of the
/// edits of `devices`: the highest number X such that every edit of that device to the record
/// numbered up to X was in the log before the deletion.
fn fix_seen(tx: &Transaction<'_>, local_seqs: &[i64], devices: &[String]) -> Result<()> {
    for &tomb in local_seqs {
        let row: Option<(String, String)> = tx
            .query_row(
                "SELECT entity_id, fields FROM change_log
                 WHERE local_seq = ?1 AND kind = 'tombstone'",
                [tomb],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((record, fields)) = row else {
            continue;
        };
        let mut fields: Map<String, Value> = serde_json::from_str(&fields)?;
        let mut seen = match fields.remove("seen") {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        for device in devices {
            let edits: Vec<(i64, i64)> = tx
                .prepare_cached(
                    "SELECT seq, local_seq FROM change_log
                     WHERE entity = 'child' AND entity_id = ?1 AND device_id = ?2
                       AND kind = 'upsert_fields' AND seq > 0
                     ORDER BY seq",
                )?
                .query_map(params![record, device], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let upto = edits
                .iter()
                .take_while(|&&(_, at)| at < tomb)
                .map(|&(seq, _)| seq)
                .last();
            match upto {
                Some(seq) => seen.insert(device.clone(), json!(seq)),
                None => seen.remove(device),
            };
        }
        fields.insert("seen".into(), Value::Object(seen));
        tx.execute(
            "UPDATE change_log SET fields = ?1 WHERE local_seq = ?2",
            params![Value::Object(fields).to_string(), tomb],
        )?;
    }
    Ok(())
}
