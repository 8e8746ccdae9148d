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
    /// Communes the record moved away from, oldest first, each with the server sequence number
    /// of the change that moved the child away from it (published to that commune: a device of
    /// it whose pull cursor has reached that number has learned of the move). Their devices may
    /// still send the edits they made before they learned of it, so nothing is lost, but no
    /// longer receive the record.
    pub former: Vec<Former>,
}

/// A commune a record moved away from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Former {
    /// The commune.
    pub commune: String,
    /// The server sequence number of the change that moved the child away from it (0 for a
    /// move stored before these numbers were kept: every device of it is taken to know).
    pub moved_at: u64,
}

impl Scope {
    /// The commune's entry among the former ones.
    pub fn former_entry(&self, commune: &str) -> Option<&Former> {
        self.former.iter().find(|f| f.commune == commune)
    }

    /// Where the record is once moved to `to` by the change numbered `moved_at`: a commune it
    /// comes back to receives it again.
    pub fn moved_to(&self, to: &str, moved_at: u64) -> Scope {
        let mut former: Vec<Former> = self
            .former
            .iter()
            .filter(|f| f.commune != to)
            .cloned()
            .collect();
        if self.commune != to {
            former.retain(|f| f.commune != self.commune);
            former.push(Former {
                commune: self.commune.clone(),
                moved_at,
            });
        }
        Scope {
            commune: to.to_owned(),
            former,
        }
    }

    /// A stored scope: the commune, and the former communes comma-separated, each as
    /// `CODE@SEQ` (`CODE` alone as stored before the numbers were kept).
    pub fn stored(commune: String, former: &str) -> Scope {
        Scope {
            commune,
            former: former
                .split(',')
                .filter(|f| !f.is_empty())
                .map(|f| {
                    let (code, at) = f.split_once('@').unwrap_or((f, "0"));
                    Former {
                        commune: code.to_owned(),
                        moved_at: at.parse().unwrap_or(0),
                    }
                })
                .collect(),
        }
    }

    /// The former communes as stored.
    pub fn former_text(&self) -> String {
        self.former
            .iter()
            .map(|f| format!("{}@{}", f.commune, f.moved_at))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Whether a device of `commune` may write the record with `change` (issue 10, item 1):
    /// always for the record's commune; for a commune the record moved away from, only an edit
    /// made before that commune learned of the move (its author's pull cursor had not reached
    /// the move), and never one that moves the child (`moves`). Nothing else may.
    ///
    /// Errors: `forbidden_scope` for a commune that never held the record; `moved` otherwise.
    pub fn admit(&self, commune: &str, change: &Change, moves: bool) -> Result<(), Refusal> {
        if self.commune == commune {
            return Ok(());
        }
        let Some(former) = self.former_entry(commune) else {
            return Err(Refusal::ForbiddenScope);
        };
        if moves || change.base_cursor >= former.moved_at {
            return Err(Refusal::Moved {
                to: self.commune.clone(),
            });
        }
        Ok(())
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
    /// Moves a child, with its cases and their steps, to commune `to`, by change `by`.
    fn move_child(&mut self, id: Uuid, to: &str, by: Uuid) -> StorageResult<()>;
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
/// another commune), `moved` (a child that moved away from the device's commune: see
/// [`Scope::admit`]) or `bad_request` (a new record that does not say where it belongs, or
/// names an unknown parent; a commune code that is not five digits). The push refuses such a
/// change alone; the rest of its page is stored.
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
        let to =
            claimed.filter(|to| *to != scope.commune && change.kind == ChangeKind::UpsertFields);
        scope
            .admit(mine, change, to.is_some())
            .map_err(StorageError::Refused)?;
        if let Some(to) = to {
            tx.move_child(change.entity_id, to, change.change_id)?;
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
            scope
                .admit(mine, change, false)
                .map_err(StorageError::Refused)?;
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
    use super::{Former, Scope};
    use crate::error::Refusal;
    use bvte_protocol::{Change, ChangeKind, Entity, Hlc};
    use uuid::Uuid;

    fn edit(base_cursor: u64) -> Change {
        Change {
            change_id: Uuid::now_v7(),
            device_id: Uuid::now_v7(),
            seq: 1,
            hlc: Hlc::default(),
            entity: Entity::Child,
            entity_id: Uuid::now_v7(),
            kind: ChangeKind::UpsertFields,
            fields: Default::default(),
            base_hlc: Default::default(),
            author: String::new(),
            format: bvte_protocol::FORMAT,
            base_cursor,
        }
    }

    #[test]
    fn a_move_remembers_where_the_record_was_and_when_and_a_return_forgets_it() {
        let at_a = Scope::stored("09955".into(), "");
        let at_b = at_a.moved_to("00004", 10);
        assert_eq!(at_b, Scope::stored("00004".into(), "09955@10"));
        let at_c = at_b.moved_to("00007", 20);
        assert_eq!(at_c.former_text(), "09955@10,00004@20");
        let back = at_c.moved_to("09955", 30);
        assert_eq!(back, Scope::stored("09955".into(), "00004@20,00007@30"));
        assert_eq!(
            back.moved_to("09955", 40),
            back,
            "staying put changes nothing"
        );
        assert_eq!(
            Scope::stored("00004".into(), "09955").former,
            vec![Former {
                commune: "09955".into(),
                moved_at: 0
            }],
            "a move stored before the numbers were kept"
        );
    }

    #[test]
    fn a_former_commune_may_only_send_what_it_wrote_before_learning_of_the_move() {
        let at_b = Scope::stored("09955".into(), "").moved_to("00004", 10);
        assert_eq!(
            at_b.admit("00004", &edit(0), true),
            Ok(()),
            "the commune it is in"
        );
        assert_eq!(
            at_b.admit("09955", &edit(9), false),
            Ok(()),
            "written before its cursor reached the move"
        );
        let moved = Err(Refusal::Moved { to: "00004".into() });
        assert_eq!(
            at_b.admit("09955", &edit(10), false),
            moved,
            "written after"
        );
        assert_eq!(at_b.admit("09955", &edit(0), true), moved, "never moves it");
        assert_eq!(
            at_b.admit("00007", &edit(0), false),
            Err(Refusal::ForbiddenScope),
            "a commune that never held it"
        );
        let legacy = Scope::stored("00004".into(), "09955");
        assert_eq!(legacy.admit("09955", &edit(0), false), moved, "an old move");
    }
}
