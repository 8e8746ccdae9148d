//! A small connection pool: at most [`MAX_CONNECTIONS`] connections, opened on demand, each
//! with its own cache of prepared statements; a closed connection is dropped, not reused.

use super::connect::Target;
use crate::error::{StorageError, StorageResult};
use postgres::{Client, GenericClient, Statement};
use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Connections one server process opens at most (PostgreSQL's default limit is 100 for all).
const MAX_CONNECTIONS: usize = 10;

/// How long a request waits for a free connection before answering "busy".
const WAIT_FOR_CONNECTION: Duration = Duration::from_secs(30);

/// Prepared statements of one connection, by their SQL text.
pub(super) type Cache = HashMap<&'static str, Statement>;

/// One connection and its prepared statements.
pub(super) struct Conn {
    /// The connection.
    pub(super) client: Client,
    /// Its prepared statements.
    pub(super) cache: Cache,
}

impl Conn {
    /// The prepared statement for `sql` on this connection (prepared once).
    pub(super) fn stmt(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        prepared(&mut self.cache, &mut self.client, sql)
    }
}

/// The prepared statement for `sql`, preparing it through `client` (the connection or an open
/// transaction on it) the first time. Prepared statements outlive the transaction.
pub(super) fn prepared<C: GenericClient>(
    cache: &mut Cache,
    client: &mut C,
    sql: &'static str,
) -> Result<Statement, postgres::Error> {
    if let Some(s) = cache.get(sql) {
        return Ok(s.clone());
    }
    let s = client.prepare(sql)?;
    cache.insert(sql, s.clone());
    Ok(s)
}

struct Slots {
    idle: Vec<Conn>,
    /// Connections open, idle or in use.
    open: usize,
}

/// The pool.
pub(super) struct Pool {
    target: Target,
    slots: Mutex<Slots>,
    freed: Condvar,
}

/// Locks a mutex; a panic elsewhere leaves the pool usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A connection taken from the pool; goes back when dropped (even on a panic).
struct Lease<'a> {
    pool: &'a Pool,
    conn: Option<Conn>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        self.pool.release(self.conn.take());
    }
}

impl Pool {
    /// A pool for `target`, starting with one open connection.
    pub(super) fn new(target: Target, first: Client) -> Pool {
        Pool {
            target,
            slots: Mutex::new(Slots {
                idle: vec![Conn {
                    client: first,
                    cache: Cache::new(),
                }],
                open: 1,
            }),
            freed: Condvar::new(),
        }
    }

    /// Runs `f` on a connection. An open transaction that `f` leaves rolls back when dropped.
    ///
    /// Errors: `Busy` when no connection frees up in time; connection errors; `f`'s errors.
    pub(super) fn with<T>(
        &self,
        f: impl FnOnce(&mut Conn) -> StorageResult<T>,
    ) -> StorageResult<T> {
        let mut lease = Lease {
            pool: self,
            conn: Some(self.take()?),
        };
        match lease.conn.as_mut() {
            Some(conn) => f(conn),
            None => Err(StorageError::Backend("no connection".into())),
        }
    }

    fn take(&self) -> StorageResult<Conn> {
        let deadline = Instant::now() + WAIT_FOR_CONNECTION;
        let mut slots = lock(&self.slots);
        loop {
            while let Some(conn) = slots.idle.pop() {
                if !conn.client.is_closed() {
                    return Ok(conn);
                }
                slots.open -= 1;
            }
            if slots.open < MAX_CONNECTIONS {
                slots.open += 1;
                break;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(StorageError::Busy);
            }
            slots = self
                .freed
                .wait_timeout(slots, left)
                .map(|(guard, _)| guard)
                .unwrap_or_else(|poisoned| poisoned.into_inner().0);
        }
        drop(slots);
        match self.target.connect() {
            Ok(client) => Ok(Conn {
                client,
                cache: Cache::new(),
            }),
            Err(e) => {
                self.release(None);
                Err(e)
            }
        }
    }

    /// Gives a connection back (or frees its slot when it is closed or gone).
    fn release(&self, conn: Option<Conn>) {
        let mut slots = lock(&self.slots);
        match conn {
            Some(c) if !c.client.is_closed() => slots.idle.push(c),
            _ => slots.open = slots.open.saturating_sub(1),
        }
        drop(slots);
        self.freed.notify_one();
    }
}
