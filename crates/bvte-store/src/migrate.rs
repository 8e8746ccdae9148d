//! Schema migrations: append-only `.sql` files embedded at compile time, applied in order in one
//! transaction each. `PRAGMA user_version` holds how many have been applied, so a build that
//! meets a database from a newer build refuses it instead of damaging it.

use crate::error::{Result, StoreError};
use rusqlite::Connection;

/// The migrations, oldest first. Never edit or reorder a landed entry; append new ones.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "20261129100000_create_register",
        include_str!("../migrations/20261129100000_create_register.sql"),
    ),
    (
        "20261129150000_sync",
        include_str!("../migrations/20261129150000_sync.sql"),
    ),
    (
        "20261129190000_deleted_children",
        include_str!("../migrations/20261129190000_deleted_children.sql"),
    ),
    (
        "20261207090000_widen_clock_text",
        include_str!("../migrations/20261207090000_widen_clock_text.sql"),
    ),
    (
        "20261207120000_sync_hardening",
        include_str!("../migrations/20261207120000_sync_hardening.sql"),
    ),
    (
        "20261207170000_import_batches",
        include_str!("../migrations/20261207170000_import_batches.sql"),
    ),
    (
        "20261207180000_audit_log",
        include_str!("../migrations/20261207180000_audit_log.sql"),
    ),
    (
        "20261208000000_audit_account",
        include_str!("../migrations/20261208000000_audit_account.sql"),
    ),
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// The schema version of an open database (0: nothing applied yet).
pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the database up to date; refuses a newer one.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current = version(conn)?;
    if current > latest() {
        return Err(StoreError::SchemaTooNew {
            found: current,
            known: latest(),
        });
    }
    for (i, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bvte_protocol::Hlc;

    /// Migrations that landed before clock stamps had a fixed width.
    const BEFORE_WIDE_CLOCK: usize = 3;

    /// Clock values a PC may hold, across the old 4-digit text limit of the counter.
    fn stamps() -> Vec<Hlc> {
        let mut v = Vec::new();
        for millis in [1_764_387_000_000, 1_764_387_000_001, 1_764_387_000_010] {
            for counter in [
                0,
                1,
                0xf,
                0xffff,
                0x10000,
                0x10001,
                0xfffff,
                0x100000,
                u32::MAX,
            ] {
                v.push(Hlc { millis, counter });
            }
        }
        v
    }

    /// How BVTE before this migration wrote a stamp.
    fn legacy(h: Hlc) -> String {
        format!("{:016}-{:04x}", h.millis, h.counter)
    }

    #[test]
    fn stored_clock_stamps_are_rewritten_so_text_order_is_clock_order() {
        let mut conn = Connection::open_in_memory().unwrap();
        for (_, sql) in &MIGRATIONS[..BEFORE_WIDE_CLOCK] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", BEFORE_WIDE_CLOCK as i64)
            .unwrap();
        let stamps = stamps();
        // Stored in an order unrelated to the clock's, as a PC receives them.
        for (i, h) in stamps.iter().rev().enumerate() {
            conn.execute(
                "INSERT INTO change_log (change_id, device_id, seq, hlc, entity, entity_id, kind,
                     fields, base_hlc, origin, author, recorded_at)
                 VALUES (?1, 'd', ?2, ?3, 'child', 'e', 'upsert_fields', '{}', '{}', 'ui', 'a', 't')",
                rusqlite::params![format!("c{i}"), i as i64, legacy(*h)],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO conflicts (entity, entity_id, field, kept_value, kept_hlc,
                     kept_device, kept_author, other_value, other_hlc, other_device,
                     other_author, detected_at)
                 VALUES ('child', 'e', 'f', '1', ?1, 'd', 'a', '2', ?1, 'd', 'a', 't')",
                [legacy(*h)],
            )
            .unwrap();
        }
        let top = stamps.iter().max().copied().unwrap();
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('hlc', ?1)",
            [legacy(top)],
        )
        .unwrap();
        // A value this build could not have written is left as it was.
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('hlc.other', 'not a stamp')",
            [],
        )
        .unwrap();

        migrate(&mut conn).unwrap();

        let column = |sql: &str| -> Vec<String> {
            let mut q = conn.prepare(sql).unwrap();
            q.query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let mut sorted = stamps.clone();
        sorted.sort();
        let wide: Vec<String> = sorted.iter().map(Hlc::to_string).collect();
        // The same values, and the database's text order is now the clock's order.
        assert_eq!(column("SELECT hlc FROM change_log ORDER BY hlc"), wide);
        assert_eq!(
            column("SELECT kept_hlc FROM conflicts ORDER BY kept_hlc"),
            wide
        );
        assert_eq!(
            column("SELECT other_hlc FROM conflicts ORDER BY other_hlc"),
            wide
        );
        assert_eq!(
            column("SELECT value FROM meta WHERE key = 'hlc'"),
            [top.to_string()]
        );
        assert_eq!(
            column("SELECT value FROM meta WHERE key = 'hlc.other'"),
            ["not a stamp"]
        );
        // Comparisons the store makes in SQL (restamping, settling conflicts) agree too.
        let at_most = |h: Hlc| {
            column(&format!(
                "SELECT hlc FROM change_log WHERE hlc <= '{h}' ORDER BY hlc"
            ))
            .len()
        };
        for (i, h) in sorted.iter().enumerate() {
            assert_eq!(at_most(*h), i + 1, "values at most {h}");
        }
    }
}
