//! The dashboard's accounts and sessions in PostgreSQL (`storage::accounts`).

use super::pool::prepared;
use super::{PostgresStorage, from_db, from_db_opt, to_db};
use crate::codes::Digest32;
use crate::error::{StorageError, StorageResult};
use crate::storage::{SessionRow, UserRow, WebSession};
use postgres::Row;

const USERS: &str = "SELECT name, role, password_hash, created_at, failures, failures_since,
     locked_until, last_sign_in FROM users ORDER BY name";
const USER: &str = "SELECT name, role, password_hash, created_at, failures, failures_since,
     locked_until, last_sign_in FROM users WHERE name = $1";

fn user_row(r: &Row) -> StorageResult<UserRow> {
    let failures: i64 = r.try_get(4)?;
    Ok(UserRow {
        name: r.try_get(0)?,
        role: r.try_get(1)?,
        password_hash: r.try_get(2)?,
        created_at_ms: from_db(r.try_get(3)?)?,
        failures: u32::try_from(failures).map_err(|_| StorageError::Corrupt)?,
        failures_since_ms: from_db(r.try_get(5)?)?,
        locked_until_ms: from_db(r.try_get(6)?)?,
        last_sign_in_ms: from_db_opt(r.try_get(7)?)?,
    })
}

impl PostgresStorage {
    pub(super) fn add_user_impl(&self, u: &UserRow) -> StorageResult<bool> {
        self.pool.with(|conn| {
            let st = conn.stmt(
                "INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (name) DO NOTHING",
            )?;
            let n = conn.client.execute(
                &st,
                &[&u.name, &u.role, &u.password_hash, &to_db(u.created_at_ms)?],
            )?;
            Ok(n == 1)
        })
    }

    pub(super) fn users_impl(&self) -> StorageResult<Vec<UserRow>> {
        self.pool.with(|conn| {
            let st = conn.stmt(USERS)?;
            conn.client.query(&st, &[])?.iter().map(user_row).collect()
        })
    }

    pub(super) fn user_impl(&self, name: &str) -> StorageResult<Option<UserRow>> {
        self.pool.with(|conn| {
            let st = conn.stmt(USER)?;
            conn.client
                .query_opt(&st, &[&name])?
                .as_ref()
                .map(user_row)
                .transpose()
        })
    }

    pub(super) fn remove_user_impl(&self, name: &str) -> StorageResult<bool> {
        self.pool.with(|conn| {
            let super::pool::Conn { client, cache } = conn;
            let mut tx = client.transaction()?;
            let st = prepared(
                cache,
                &mut tx,
                "DELETE FROM web_sessions WHERE user_name = $1",
            )?;
            tx.execute(&st, &[&name])?;
            let st = prepared(cache, &mut tx, "DELETE FROM users WHERE name = $1")?;
            let n = tx.execute(&st, &[&name])?;
            tx.commit()?;
            Ok(n == 1)
        })
    }

    pub(super) fn set_failures_impl(
        &self,
        name: &str,
        failures: u32,
        since_ms: u64,
        locked_until_ms: u64,
    ) -> StorageResult<()> {
        self.pool.with(|conn| {
            let st = conn.stmt(
                "UPDATE users SET failures = $2, failures_since = $3, locked_until = $4
                 WHERE name = $1",
            )?;
            conn.client.execute(
                &st,
                &[
                    &name,
                    &i64::from(failures),
                    &to_db(since_ms)?,
                    &to_db(locked_until_ms)?,
                ],
            )?;
            Ok(())
        })
    }

    pub(super) fn start_session_impl(
        &self,
        s: &WebSession,
        stale_before_ms: u64,
    ) -> StorageResult<()> {
        self.pool.with(|conn| {
            let super::pool::Conn { client, cache } = conn;
            let mut tx = client.transaction()?;
            let st = prepared(
                cache,
                &mut tx,
                "DELETE FROM web_sessions WHERE last_seen < $1",
            )?;
            tx.execute(&st, &[&to_db(stale_before_ms)?])?;
            let st = prepared(
                cache,
                &mut tx,
                "INSERT INTO web_sessions (token_hash, user_name, csrf_token, created_at, last_seen)
                 VALUES ($1, $2, $3, $4, $5)",
            )?;
            let hash: &[u8] = &s.token_hash;
            tx.execute(
                &st,
                &[
                    &hash,
                    &s.user_name,
                    &s.csrf_token,
                    &to_db(s.created_at_ms)?,
                    &to_db(s.last_seen_ms)?,
                ],
            )?;
            let st = prepared(
                cache,
                &mut tx,
                "UPDATE users SET failures = 0, failures_since = 0, locked_until = 0,
                     last_sign_in = $2 WHERE name = $1",
            )?;
            tx.execute(&st, &[&s.user_name, &to_db(s.created_at_ms)?])?;
            tx.commit()?;
            Ok(())
        })
    }

    pub(super) fn session_impl(&self, token_hash: &Digest32) -> StorageResult<Option<SessionRow>> {
        self.pool.with(|conn| {
            let st = conn.stmt(
                "SELECT s.user_name, s.csrf_token, s.created_at, s.last_seen, u.role
                 FROM web_sessions s JOIN users u ON u.name = s.user_name
                 WHERE s.token_hash = $1",
            )?;
            let hash: &[u8] = token_hash;
            let Some(r) = conn.client.query_opt(&st, &[&hash])? else {
                return Ok(None);
            };
            Ok(Some(SessionRow {
                session: WebSession {
                    token_hash: *token_hash,
                    user_name: r.try_get(0)?,
                    csrf_token: r.try_get(1)?,
                    created_at_ms: from_db(r.try_get(2)?)?,
                    last_seen_ms: from_db(r.try_get(3)?)?,
                },
                role: r.try_get(4)?,
            }))
        })
    }

    pub(super) fn touch_session_impl(
        &self,
        token_hash: &Digest32,
        now_ms: u64,
    ) -> StorageResult<()> {
        self.pool.with(|conn| {
            let st = conn.stmt("UPDATE web_sessions SET last_seen = $2 WHERE token_hash = $1")?;
            let hash: &[u8] = token_hash;
            conn.client.execute(&st, &[&hash, &to_db(now_ms)?])?;
            Ok(())
        })
    }

    pub(super) fn end_session_impl(&self, token_hash: &Digest32) -> StorageResult<()> {
        self.pool.with(|conn| {
            let st = conn.stmt("DELETE FROM web_sessions WHERE token_hash = $1")?;
            let hash: &[u8] = token_hash;
            conn.client.execute(&st, &[&hash])?;
            Ok(())
        })
    }
}
