//! Schema migrations: append-only `.sql` files embedded at compile time. The table
//! `schema_version` (made by the first file) holds how many have been applied, so a build that
//! meets a database from a newer build refuses it instead of damaging it. Migrating runs in one
//! transaction under an advisory lock, so two processes starting at once cannot both migrate.

use super::connect::Target;
use crate::error::{StorageError, StorageResult};
use postgres::Client;

/// The migrations, oldest first. Never edit or reorder a landed entry; append new ones.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "20261201100000_create_server",
        include_str!("../../../migrations/postgres/20261201100000_create_server.sql"),
    ),
    (
        "20261201200000_moves",
        include_str!("../../../migrations/postgres/20261201200000_moves.sql"),
    ),
    (
        "20261207100000_hardening",
        include_str!("../../../migrations/postgres/20261207100000_hardening.sql"),
    ),
    (
        RECORDS,
        include_str!("../../../migrations/postgres/20261207200000_records.sql"),
    ),
    (
        "20261207300000_accounts",
        include_str!("../../../migrations/postgres/20261207300000_accounts.sql"),
    ),
    (
        "20261207400000_admin_deadlines",
        include_str!("../../../migrations/postgres/20261207400000_admin_deadlines.sql"),
    ),
    (
        "20261208100000_releases",
        include_str!("../../../migrations/postgres/20261208100000_releases.sql"),
    ),
];

/// The migration that makes the records' table, which the server then fills from the change
/// log in the same transaction (`records::rebuild`).
pub const RECORDS: &str = "20261207200000_records";

/// Key of the advisory lock held while migrating ("BVTE").
const MIGRATION_LOCK: i64 = 0x4256_5445;

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Whether the database holds a BVTE schema.
///
/// Errors: database errors.
pub(super) fn initialised(client: &mut Client) -> StorageResult<bool> {
    Ok(client
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?
        .try_get(0)?)
}

/// The refusal to initialise a database that holds a schema already.
pub(super) fn already_initialised(target: &Target) -> StorageError {
    let d = &target.described;
    StorageError::invalid(
        format!(
            "Cơ sở dữ liệu PostgreSQL {d} đã có dữ liệu BVTE: không ghi đè. Hãy dùng cơ sở dữ liệu khác, hoặc bỏ `init` và chạy các lệnh khác với --database-url này"
        ),
        format!(
            "the PostgreSQL database {d} already holds BVTE data: not overwritten; use another database, or skip `init` and pass this --database-url to the other commands"
        ),
    )
}

/// Creates the schema (`create`, refusing a database that has one) or brings an existing one
/// up to date.
///
/// Errors: `Invalid` when creating over an existing schema; `NotFound` when opening a database
/// without one; `SchemaTooNew` for a database from a newer build; database errors.
pub(super) fn migrate(client: &mut Client, target: &Target, create: bool) -> StorageResult<()> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    let exists: bool = tx
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?
        .try_get(0)?;
    let current: i64 = match (exists, create) {
        (true, true) => return Err(already_initialised(target)),
        (false, false) => {
            let d = &target.described;
            return Err(StorageError::not_found(
                format!(
                    "Cơ sở dữ liệu PostgreSQL {d} chưa được khởi tạo: hãy chạy `bvte-server init --data THƯ_MỤC --database-url …` trước"
                ),
                format!(
                    "the PostgreSQL database {d} is not initialised: run `bvte-server init --data DIR --database-url …` first"
                ),
            ));
        }
        (false, true) => 0,
        (true, false) => tx
            .query_one("SELECT version FROM schema_version", &[])?
            .try_get(0)?,
    };
    if current > latest() {
        return Err(StorageError::SchemaTooNew {
            found: current,
            known: latest(),
        });
    }
    let applied = usize::try_from(current).map_err(|_| StorageError::Corrupt)?;
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(applied) {
        tx.batch_execute(sql)?;
        if *name == RECORDS {
            super::records::rebuild(&mut tx)?;
        }
        let version = i as i64 + 1;
        tx.execute("UPDATE schema_version SET version = $1", &[&version])?;
    }
    tx.commit()?;
    Ok(())
}
