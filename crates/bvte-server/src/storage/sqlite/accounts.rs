//! The dashboard's accounts and sessions in SQLite (`storage::accounts`).

use super::{SqliteStorage, lock};
use crate::codes::Digest32;
use crate::error::StorageResult;
use crate::storage::{SessionRow, UserRow, WebSession};
use rusqlite::{OptionalExtension, Row, params};

const USER_COLUMNS: &str = "name, role, password_hash, created_at, failures, failures_since,
     locked_until, last_sign_in";

fn user_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        name: r.get(0)?,
        role: r.get(1)?,
        password_hash: r.get(2)?,
        created_at_ms: r.get(3)?,
        failures: r.get(4)?,
        failures_since_ms: r.get(5)?,
        locked_until_ms: r.get(6)?,
        last_sign_in_ms: r.get(7)?,
    })
}

impl SqliteStorage {
    pub(super) fn add_user_impl(&self, u: &UserRow) -> StorageResult<bool> {
        let n = lock(&self.writer).execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO NOTHING",
            params![u.name, u.role, u.password_hash, u.created_at_ms],
        )?;
        Ok(n == 1)
    }

    pub(super) fn users_impl(&self) -> StorageResult<Vec<UserRow>> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))?;
            let rows = stmt.query_map([], user_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    pub(super) fn user_impl(&self, name: &str) -> StorageResult<Option<UserRow>> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"))?;
            Ok(stmt.query_row([name], user_row).optional()?)
        })
    }

    pub(super) fn remove_user_impl(&self, name: &str) -> StorageResult<bool> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM web_sessions WHERE user_name = ?1", [name])?;
        let n = tx.execute("DELETE FROM users WHERE name = ?1", [name])?;
        tx.commit()?;
        Ok(n == 1)
    }

    pub(super) fn set_failures_impl(
        &self,
        name: &str,
        failures: u32,
        since_ms: u64,
        locked_until_ms: u64,
    ) -> StorageResult<()> {
        lock(&self.writer).execute(
            "UPDATE users SET failures = ?2, failures_since = ?3, locked_until = ?4 WHERE name = ?1",
            params![name, failures, since_ms, locked_until_ms],
        )?;
        Ok(())
    }

    pub(super) fn start_session_impl(
        &self,
        s: &WebSession,
        stale_before_ms: u64,
    ) -> StorageResult<()> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction()?;
        tx.execute(
            "DELETE FROM web_sessions WHERE last_seen < ?1",
            [stale_before_ms],
        )?;
        tx.execute(
            "INSERT INTO web_sessions (token_hash, user_name, csrf_token, created_at, last_seen)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                &s.token_hash[..],
                s.user_name,
                s.csrf_token,
                s.created_at_ms,
                s.last_seen_ms
            ],
        )?;
        tx.execute(
            "UPDATE users SET failures = 0, failures_since = 0, locked_until = 0,
                 last_sign_in = ?2 WHERE name = ?1",
            params![s.user_name, s.created_at_ms],
        )?;
        tx.commit()?;
        Ok(())
    }

    pub(super) fn session_impl(&self, token_hash: &Digest32) -> StorageResult<Option<SessionRow>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT s.user_name, s.csrf_token, s.created_at, s.last_seen, u.role
                 FROM web_sessions s JOIN users u ON u.name = s.user_name
                 WHERE s.token_hash = ?1",
            )?;
            Ok(stmt
                .query_row([&token_hash[..]], |r| {
                    Ok(SessionRow {
                        session: WebSession {
                            token_hash: *token_hash,
                            user_name: r.get(0)?,
                            csrf_token: r.get(1)?,
                            created_at_ms: r.get(2)?,
                            last_seen_ms: r.get(3)?,
                        },
                        role: r.get(4)?,
                    })
                })
                .optional()?)
        })
    }

    pub(super) fn touch_session_impl(
        &self,
        token_hash: &Digest32,
        now_ms: u64,
    ) -> StorageResult<()> {
        lock(&self.writer).execute(
            "UPDATE web_sessions SET last_seen = ?2 WHERE token_hash = ?1",
            params![&token_hash[..], now_ms],
        )?;
        Ok(())
    }

    pub(super) fn end_session_impl(&self, token_hash: &Digest32) -> StorageResult<()> {
        lock(&self.writer).execute(
            "DELETE FROM web_sessions WHERE token_hash = ?1",
            [&token_hash[..]],
        )?;
        Ok(())
    }
}
