//! The current state of every record, kept by the server (issue 11): each accepted change is
//! applied to its record with the merge rule the devices use (`bvte_protocol::record`), in the
//! transaction that stores it, so the area's figures come from the same records as each
//! commune's own. Written once for both backends: they read the page's records, call
//! [`apply_page`] and write what it returns.
//!
//! A record's commune is not kept here: it is the record's row in `entity_scope`, which a move
//! already changes for the child, its cases and their steps.

use crate::error::{StorageError, StorageResult};
use crate::push::Accepted;
use bvte_protocol::record::Record;
use bvte_protocol::{Change, Entity, FORMAT};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// A record's key.
pub type Key = (Entity, Uuid);

/// A record as stored: its state (JSON) and whether a deletion took effect on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    /// The state, as JSON.
    pub state: String,
    /// Whether a tombstone saw every edit ([`Record::deleted`]).
    pub deleted: bool,
}

/// The records a page changes, in key order (so concurrent writers lock rows in one order),
/// each with its changes in page order. Refused changes and changes of a newer format (which
/// this version cannot read; the devices keep them aside too) change nothing.
pub fn touched<'a>(page: &'a Accepted<'_>) -> BTreeMap<(&'static str, Uuid), Vec<&'a Change>> {
    let mut out: BTreeMap<(&'static str, Uuid), Vec<&Change>> = BTreeMap::new();
    for new in &page.changes {
        let c = new.change;
        if new.refusal.is_none() && c.format <= FORMAT {
            out.entry((c.entity.code(), c.entity_id))
                .or_default()
                .push(c);
        }
    }
    out
}

/// Parses a stored state.
///
/// Errors: `Corrupt` when it cannot be read.
pub fn parse(state: &str) -> StorageResult<Record> {
    serde_json::from_str(state).map_err(|_| StorageError::Corrupt)
}

/// The new state of each touched record, from its stored state (none when new).
///
/// Errors: `Corrupt` for a stored state that cannot be read.
pub fn apply_page(
    touched: &BTreeMap<(&'static str, Uuid), Vec<&Change>>,
    stored: &HashMap<(String, Uuid), String>,
) -> StorageResult<Vec<((&'static str, Uuid), Stored)>> {
    touched
        .iter()
        .map(|(&(entity, id), changes)| {
            let mut record = match stored.get(&(entity.to_owned(), id)) {
                Some(s) => parse(s)?,
                None => Record::default(),
            };
            for c in changes {
                record.apply(c);
            }
            Ok(((entity, id), to_stored(&record)?))
        })
        .collect()
}

/// A record as stored.
///
/// Errors: `Backend` when it cannot be serialised.
pub fn to_stored(record: &Record) -> StorageResult<Stored> {
    Ok(Stored {
        state: serde_json::to_string(record).map_err(|e| StorageError::Backend(e.to_string()))?,
        deleted: record.deleted(),
    })
}

/// Rebuilds every record from the change log, given in server order (`entity`, id, body):
/// what a database stored before the server kept records gets them on upgrade.
///
/// Errors: `Corrupt` for a stored change that cannot be read.
pub fn rebuild(
    log: impl IntoIterator<Item = StorageResult<(String, Uuid, String)>>,
) -> StorageResult<HashMap<Key, Record>> {
    let mut out: HashMap<Key, Record> = HashMap::new();
    for row in log {
        let (entity, id, body) = row?;
        let entity = Entity::from_code(&entity).ok_or(StorageError::Corrupt)?;
        let change: Change = serde_json::from_str(&body).map_err(|_| StorageError::Corrupt)?;
        if change.format <= FORMAT {
            out.entry((entity, id)).or_default().apply(&change);
        }
    }
    Ok(out)
}
