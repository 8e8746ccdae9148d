//! Schema migrations: append-only `.sql` files embedded at compile time, applied in order in one
//! transaction each. `PRAGMA user_version` holds how many have been applied, so a build that
//! meets a database from a newer build refuses it instead of damaging it.

use crate::error::{StorageError, StorageResult};
use rusqlite::Connection;

/// The migrations, oldest first. Never edit or reorder a landed entry; append new ones.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "20261201100000_create_server",
        include_str!("../../../migrations/20261201100000_create_server.sql"),
    ),
    (
        "20261201200000_moves",
        include_str!("../../../migrations/20261201200000_moves.sql"),
    ),
    (
        "20261207100000_hardening",
        include_str!("../../../migrations/20261207100000_hardening.sql"),
    ),
    (
        RECORDS,
        include_str!("../../../migrations/20261207200000_records.sql"),
    ),
    (
        "20261207300000_accounts",
        include_str!("../../../migrations/20261207300000_accounts.sql"),
    ),
    (
        "20261207400000_admin_deadlines",
        include_str!("../../../migrations/20261207400000_admin_deadlines.sql"),
    ),
];

/// The migration that makes the records' table, which the server then fills from the change
/// log in the same transaction (`records::rebuild`).
pub const RECORDS: &str = "20261207200000_records";

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database up to date.
///
/// Errors: `SchemaTooNew` for a database from a newer build; database errors.
pub fn migrate(conn: &mut Connection) -> StorageResult<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > latest() {
        return Err(StorageError::SchemaTooNew {
            found: current,
            known: latest(),
        });
    }
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        if *name == RECORDS {
            super::records::rebuild(&tx)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
