//! Scope: a device may neither read nor write another commune's data (design §7). Every record
//! belongs to the commune of its child: a child names its commune, a case names its child, a
//! case step names its case. The first change of a record fixes its commune.

use crate::error::{Refusal, StorageError, StorageResult};
use crate::storage::DeviceAuth;
use bvte_protocol::{Change, ChangeKind, Entity};
use serde_json::Value;
use uuid::Uuid;

/// The communes of records, as a push sees them.
pub trait Scopes {
    /// The commune of a known record.
    fn scope_of(&mut self, entity: Entity, id: Uuid) -> StorageResult<Option<String>>;
    /// Records the commune of a new record.
    fn set_scope(&mut self, entity: Entity, id: Uuid, commune: &str) -> StorageResult<()>;
}

/// The field naming a record's parent, and the parent's kind (a child has none).
fn parent_of(entity: Entity) -> Option<(&'static str, Entity)> {
    match entity {
        Entity::Child => None,
        Entity::Case => Some(("child_id", Entity::Child)),
        Entity::CaseEvent => Some(("case_id", Entity::Case)),
    }
}

/// The parent id a change names in `fields[key]`, when it is a valid id.
fn parent_id(change: &Change, key: &str) -> Option<Uuid> {
    change
        .fields
        .get(key)
        .and_then(Value::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
}

/// The records whose commune [`check`] may look up for `change`: its own, and the parent it
/// names (so a push can read them all at once).
pub fn records(change: &Change) -> impl Iterator<Item = (Entity, Uuid)> {
    let parent = parent_of(change.entity)
        .and_then(|(key, parent)| parent_id(change, key).map(|id| (parent, id)));
    std::iter::once((change.entity, change.entity_id)).chain(parent)
}

/// The commune `change` belongs to, after checking it is the device's; records the commune of
/// a new record.
///
/// Errors: `Refused` with `forbidden_scope` (another commune's record) or `bad_request` (a new
/// record that does not say where it belongs, or names an unknown parent).
pub fn check(tx: &mut impl Scopes, device: &DeviceAuth, change: &Change) -> StorageResult<String> {
    let mine = device.commune_code.as_str();
    let claimed = match change.fields.get("commune_code") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return Err(bad("commune_code", "không phải chuỗi", "is not a string")),
    };
    if change.entity == Entity::Child && claimed.is_some_and(|c| c != mine) {
        return Err(StorageError::Refused(Refusal::ForbiddenScope));
    }
    let commune = match tx.scope_of(change.entity, change.entity_id)? {
        Some(existing) => existing,
        None if change.kind == ChangeKind::Tombstone => {
            return Err(bad(
                "entity_id",
                "là bản ghi máy chủ chưa biết",
                "is a record the server does not know",
            ));
        }
        None => {
            let commune = match parent_of(change.entity) {
                None => claimed.map(str::to_owned).ok_or_else(|| {
                    bad(
                        "commune_code",
                        "bị thiếu cho trẻ mới",
                        "is missing for a new child",
                    )
                })?,
                Some((key, parent)) => parent_scope(tx, change, key, parent)?,
            };
            if commune != mine {
                return Err(StorageError::Refused(Refusal::ForbiddenScope));
            }
            tx.set_scope(change.entity, change.entity_id, &commune)?;
            commune
        }
    };
    if commune != mine {
        return Err(StorageError::Refused(Refusal::ForbiddenScope));
    }
    Ok(commune)
}

/// The commune of the parent record named by `fields[key]`.
fn parent_scope(
    tx: &mut impl Scopes,
    change: &Change,
    key: &str,
    parent: Entity,
) -> StorageResult<String> {
    let id = parent_id(change, key)
        .ok_or_else(|| bad(key, "bị thiếu hoặc không hợp lệ", "is missing or invalid"))?;
    tx.scope_of(parent, id)?.ok_or_else(|| {
        bad(
            key,
            "là bản ghi máy chủ chưa biết",
            "is a record the server does not know",
        )
    })
}

/// A `bad_request` about one field of a change (the field's name, never its value).
fn bad(field: &str, vi: &str, en: &str) -> StorageError {
    StorageError::Refused(Refusal::bad(
        format!("Thay đổi không hợp lệ: {field} {vi}."),
        format!("Invalid change: {field} {en}."),
    ))
}
