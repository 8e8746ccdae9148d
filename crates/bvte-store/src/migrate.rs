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
        "20261207120000_sync_hardening",
        include_str!("../migrations/20261207120000_sync_hardening.sql"),
    ),
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database up to date; refuses a newer one.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
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
