//! Scope: a device may neither read nor write another commune's data (design §7). Every record
//! belongs to the commune of its child: a child names its commune, a case names its child, a
//! case step names its case. The first change of a record fixes its commune.

use crate::error::{Refusal, StorageError, StorageResult};
use crate::push::PushTx;
use crate::storage::DeviceAuth;
use bvte_protocol::{Change, ChangeKind, Entity};
use serde_json::Value;
use uuid::Uuid;

/// The commune `change` belongs to, after checking it is the device's; records the commune of
/// a new record.
///
/// Errors: `Refused` with `forbidden_scope` (another commune's record) or `bad_request` (a new
/// record that does not say where it belongs, or names an unknown parent).
pub fn check(tx: &mut impl PushTx, device: &DeviceAuth, change: &Change) -> StorageResult<String> {
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
            let commune = match change.entity {
                Entity::Child => claimed.map(str::to_owned).ok_or_else(|| {
                    bad(
                        "commune_code",
                        "bị thiếu cho trẻ mới",
                        "is missing for a new child",
                    )
                })?,
                Entity::Case => parent_scope(tx, change, "child_id", Entity::Child)?,
                Entity::CaseEvent => parent_scope(tx, change, "case_id", Entity::Case)?,
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
    tx: &mut impl PushTx,
    change: &Change,
    key: &str,
    parent: Entity,
) -> StorageResult<String> {
    let id = change
        .fields
        .get(key)
        .and_then(Value::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
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
