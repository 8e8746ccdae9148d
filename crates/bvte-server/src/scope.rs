//! Scope: a device may neither read nor write another commune's data (design §7). Every record
//! belongs to the commune of its child: a child names its commune, a case names its child, a
//! case step names its case. The first change of a record fixes its commune; a child moves to
//! another commune (with its cases and their steps) when its `commune_code` is changed.

use crate::error::{Refusal, StorageError, StorageResult};
use crate::storage::DeviceAuth;
use bvte_protocol::{Change, ChangeKind, Entity};
use serde_json::Value;
use uuid::Uuid;

/// Where a known record belongs: its commune, and the communes it moved away from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// The commune whose devices receive the record's changes.
    pub commune: String,
    /// Communes the record moved away from: their devices may still send the edits they made
    /// before they learned of the move, so nothing is lost, but no longer receive it.
    pub former: Vec<String>,
}

impl Scope {
    /// Whether a device of `commune` may write the record.
    pub fn admits(&self, commune: &str) -> bool {
        self.commune == commune || self.former.iter().any(|f| f == commune)
    }

    /// Where the record is once moved to `to`: a commune it comes back to receives it again.
    pub fn moved_to(&self, to: &str) -> Scope {
        let mut former: Vec<String> = self.former.iter().filter(|f| *f != to).cloned().collect();
        if self.commune != to && !former.contains(&self.commune) {
            former.push(self.commune.clone());
        }
        Scope {
            commune: to.to_owned(),
            former,
        }
    }

    /// A stored scope: the commune, and the former communes comma-separated.
    pub fn stored(commune: String, former: &str) -> Scope {
        Scope {
            commune,
            former: former
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }

    /// The former communes as stored.
    pub fn former_text(&self) -> String {
        self.former.join(",")
    }
}

/// The communes of records, as a push sees them.
pub trait Scopes {
    /// Where a known record belongs.
    fn scope_of(&mut self, entity: Entity, id: Uuid) -> StorageResult<Option<Scope>>;
    /// Records the commune of a new record, and its parent (a case's child, a step's case).
    fn set_scope(
        &mut self,
        entity: Entity,
        id: Uuid,
        commune: &str,
        parent: Option<Uuid>,
    ) -> StorageResult<()>;
    /// Moves a child, with its cases and their steps, to commune `to`.
    fn move_child(&mut self, id: Uuid, to: &str) -> StorageResult<()>;
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

/// The commune `change` is published to, after checking the device may write it; records the
/// commune of a new record, and a child's move.
///
/// A child whose `commune_code` is changed to another commune *moves* there, with its cases and
/// their steps (design §5, scope changes): the change that moves it is published to the commune
/// it leaves, so that commune's devices see where it went, and the receiving commune is sent the
/// whole history of the moved records.
///
/// Errors: `Refused` with `forbidden_scope` (another commune's record, or a new child for
/// another commune) or `bad_request` (a new record that does not say where it belongs, or names
/// an unknown parent; a commune code that is not five digits).
pub fn check(tx: &mut impl Scopes, device: &DeviceAuth, change: &Change) -> StorageResult<String> {
    let mine = device.commune_code.as_str();
    let claimed = match change.fields.get("commune_code") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return Err(bad("commune_code", "không phải chuỗi", "is not a string")),
    };
    let claimed = match (change.entity, claimed) {
        (Entity::Child, Some(c)) if c.len() != 5 || !c.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(bad(
                "commune_code",
                "không phải mã xã 5 chữ số",
                "is not a five-digit commune code",
            ));
        }
        (Entity::Child, c) => c,
        _ => None,
    };
    if let Some(scope) = tx.scope_of(change.entity, change.entity_id)? {
        if !scope.admits(mine) {
            return Err(StorageError::Refused(Refusal::ForbiddenScope));
        }
        if change.kind == ChangeKind::UpsertFields
            && let Some(to) = claimed.filter(|to| *to != scope.commune)
        {
            tx.move_child(change.entity_id, to)?;
        }
        return Ok(scope.commune);
    }
    if change.kind == ChangeKind::Tombstone {
        return Err(bad(
            "entity_id",
            "là bản ghi máy chủ chưa biết",
            "is a record the server does not know",
        ));
    }
    let (commune, parent) = match parent_of(change.entity) {
        None => {
            let commune = claimed.ok_or_else(|| {
                bad(
                    "commune_code",
                    "bị thiếu cho trẻ mới",
                    "is missing for a new child",
                )
            })?;
            if commune != mine {
                return Err(StorageError::Refused(Refusal::ForbiddenScope));
            }
            (commune.to_owned(), None)
        }
        Some((key, parent)) => {
            let (id, scope) = parent_scope(tx, change, key, parent)?;
            if !scope.admits(mine) {
                return Err(StorageError::Refused(Refusal::ForbiddenScope));
            }
            // A record made under a parent that has moved goes where the parent is now.
            (scope.commune, Some(id))
        }
    };
    tx.set_scope(change.entity, change.entity_id, &commune, parent)?;
    Ok(commune)
}

/// The parent record named by `fields[key]`, and where it belongs.
fn parent_scope(
    tx: &mut impl Scopes,
    change: &Change,
    key: &str,
    parent: Entity,
) -> StorageResult<(Uuid, Scope)> {
    let id = parent_id(change, key)
        .ok_or_else(|| bad(key, "bị thiếu hoặc không hợp lệ", "is missing or invalid"))?;
    let scope = tx.scope_of(parent, id)?.ok_or_else(|| {
        bad(
            key,
            "là bản ghi máy chủ chưa biết",
            "is a record the server does not know",
        )
    })?;
    Ok((id, scope))
}

/// A `bad_request` about one field of a change (the field's name, never its value).
fn bad(field: &str, vi: &str, en: &str) -> StorageError {
    StorageError::Refused(Refusal::bad(
        format!("Thay đổi không hợp lệ: {field} {vi}."),
        format!("Invalid change: {field} {en}."),
    ))
}

#[cfg(test)]
mod tests {
    use super::Scope;

    #[test]
    fn a_move_remembers_where_the_record_was_and_a_return_forgets_it() {
        let at_a = Scope::stored("09955".into(), "");
        let at_b = at_a.moved_to("00004");
        assert_eq!(at_b, Scope::stored("00004".into(), "09955"));
        assert!(at_b.admits("09955") && at_b.admits("00004") && !at_b.admits("00007"));
        let at_c = at_b.moved_to("00007");
        assert_eq!(at_c.former_text(), "09955,00004");
        let back = at_c.moved_to("09955");
        assert_eq!(back, Scope::stored("09955".into(), "00004,00007"));
        assert_eq!(back.moved_to("09955"), back, "staying put changes nothing");
    }
}
