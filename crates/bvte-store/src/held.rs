//! Changes received that this version cannot apply, kept aside (issue 10, item 5): a change
//! of a newer BVTE's format ([`bvte_protocol::FORMAT`]), or one whose content this version
//! cannot read or apply. The pull goes on without them, so one change never stops a commune's
//! sync; the officer is told (a newer format means: update BVTE), and every sync tries them
//! again in the order they arrived, so after an update they are applied like any other.

use crate::Store;
use crate::apply::{Applied, Applying, apply_or_hold, stored_clock};
use crate::error::{Result, StoreError};
use bvte_domain::Instant;
use bvte_protocol::{Change, FORMAT};
use rusqlite::{Transaction, params};
use serde::Serialize;

bvte_domain::code_enum!(
    /// Why a change was kept aside.
    HeldReason {
        /// Made by a newer BVTE: update BVTE to apply it.
        NewerFormat = ("newer_format", "Từ phiên bản BVTE mới hơn", "From a newer BVTE"),
        /// Its content could not be read or applied by this version.
        Unreadable = ("unreadable", "Không đọc được", "Unreadable"),
    }
);

/// What is kept aside, for the status bar and `bvte sync --status`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct HeldSummary {
    /// Changes kept aside in all.
    pub held: u64,
    /// Of those, made by a newer BVTE: this PC needs an update.
    pub newer_format: u64,
}

/// Whether a failure to apply a change comes from the change itself (kept aside) rather than
/// from the database (a full disk, a lock: the page stops and is tried again).
pub(crate) fn holdable(e: &StoreError) -> bool {
    match e {
        StoreError::Corrupt { .. } | StoreError::Invalid(_) | StoreError::NotFound { .. } => true,
        StoreError::Sqlite(e) => matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::ConstraintViolation)
        ),
        _ => false,
    }
}

/// Why it could not be applied, for the record (codes and field names, never values).
pub(crate) fn detail(e: &StoreError) -> String {
    let text = match e {
        StoreError::Corrupt { reason, .. } => reason.clone(),
        other => other.code().to_string(),
    };
    // A serde message may quote a value: keep only what precedes it.
    text.split(['`', '"', '“'])
        .next()
        .unwrap_or("")
        .trim()
        .chars()
        .take(200)
        .collect()
}

/// Keeps `c` aside (again: a change kept already keeps its place in the order of arrival).
pub(crate) fn hold(
    tx: &Transaction<'_>,
    c: &Change,
    reason: HeldReason,
    detail: &str,
    now: Instant,
) -> Result<()> {
    tx.execute(
        "INSERT INTO held_changes (change_id, body, format, reason, detail, held_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (change_id) DO UPDATE SET reason = excluded.reason,
             detail = excluded.detail",
        params![
            c.change_id.to_string(),
            serde_json::to_string(c)?,
            c.format,
            bvte_domain::codes::Code::code(reason),
            detail,
            now.to_rfc3339(),
        ],
    )?;
    Ok(())
}

impl Store {
    /// Tries again the changes kept aside, oldest first: those this version now understands
    /// are applied (and leave the list), the others stay. `understood` is the newest format
    /// this build reads: [`FORMAT`] (a test may pretend to be a newer build); `server_now_ms`
    /// the server's clock, as in [`Store::apply_remote`].
    pub fn retry_held(
        &mut self,
        understood: u16,
        now: Instant,
        server_now_ms: u64,
    ) -> Result<Applied> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let kept: Vec<(String, String)> = tx
            .prepare("SELECT change_id, body FROM held_changes WHERE format <= ?1 ORDER BY rowid")?
            .query_map([understood], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Applied::default();
        if kept.is_empty() {
            return Ok(out);
        }
        let mut clock = stored_clock(&tx)?;
        let ctx = Applying {
            path: &path,
            now,
            understood,
            server_now_ms,
        };
        for (id, body) in kept {
            let Ok(change) = serde_json::from_str::<Change>(&body) else {
                continue;
            };
            let mut one = Applied::default();
            apply_or_hold(&tx, &ctx, &change, &mut clock, &mut one)?;
            if one.held == 0 {
                tx.execute("DELETE FROM held_changes WHERE change_id = ?1", [&id])?;
            }
            out.applied += one.applied;
            out.duplicates += one.duplicates;
            out.conflicts += one.conflicts;
            out.held += one.held;
        }
        crate::sync::meta_set(&tx, "hlc", &clock.to_string())?;
        tx.commit()?;
        Ok(out)
    }

    /// How many changes are kept aside, and how many of them need a newer BVTE.
    pub fn held_summary(&self) -> Result<HeldSummary> {
        let (held, newer): (i64, i64) = self.conn.query_row(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE format > ?1) FROM held_changes",
            [FORMAT],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(HeldSummary {
            held: held as u64,
            newer_format: newer as u64,
        })
    }
}
