//! Whether a change can be applied by every device (issue 10 item 5): the district server checks
//! each pushed change with `bvte-domain`'s rules before storing it, and refuses an invalid one
//! alone, with its reasons, so that no device ever receives a change it cannot apply.
//!
//! The rules are those of the forms, applied to the record's fields as the change carries them
//! (`bvte_domain::child_patch`, `bvte_domain::case_patch`). Nothing that depends on other records
//! or on the order of steps is judged: PCs record offline, and every change of every PC must stay
//! applicable whatever arrives first.

use crate::change::{Change, ChangeKind, Entity};
use bvte_domain::case_patch::{check_case_event, check_case_patch};
use bvte_domain::child_patch::{check_child_patch, check_child_tombstone};
use bvte_domain::text::{MAX_NAME_CHARS, check_stored_line};
use bvte_domain::{Instant, PatchContext, ValidationError, ValidationErrors};

/// Whether the content of `change` is something every device running this version can apply:
/// the fields of its entity with the right types and values, by bvte-domain's rules, and a kind
/// of change the PCs make for that entity.
///
/// `new_record`: the record is not known yet (this is its first change), so its required fields
/// must all be there (and a new child must be under 16 when the change was made, by the change's
/// clock). `now`: the checker's clock; dates and times up to
/// [`bvte_domain::patch::CLOCK_TOLERANCE_HOURS`] after it pass, so a PC whose clock is ahead is
/// not refused.
///
/// # Errors
/// Every problem found (at most [`bvte_domain::patch::MAX_REPORTED_ERRORS`]), each on its field
/// (a JSON path in `fields`, or `kind` / `author`) with Vietnamese and English messages that
/// never repeat the refused value.
pub fn check_change(
    change: &Change,
    new_record: bool,
    now: Instant,
) -> Result<(), ValidationErrors> {
    let ctx = PatchContext {
        now,
        made_at: bvte_domain::time::from_unix_millis(change.hlc.millis).unwrap_or(now),
        new_record,
    };
    let content = match (change.entity, change.kind) {
        (Entity::Child, ChangeKind::UpsertFields) => check_child_patch(&change.fields, &ctx),
        (Entity::Child, ChangeKind::Tombstone) => check_child_tombstone(&change.fields),
        (Entity::Case, ChangeKind::UpsertFields) => check_case_patch(&change.fields, &ctx),
        (Entity::CaseEvent, ChangeKind::AppendEvent) => {
            check_case_event(&change.fields, change.entity_id, &ctx)
        }
        // Cases and steps are never deleted, steps never edited, records other than steps never
        // appended (`bvte_store`): a PC applying such a change would do nothing with it.
        (entity, kind) => Err(ValidationError::UnknownCode {
            field: "kind".into(),
            value: kind.code().into(),
            allowed: kinds_made(entity)
                .iter()
                .map(|k| k.code().to_string())
                .collect(),
        }
        .into()),
    };
    let mut errors = content.err().map(|e| e.0).unwrap_or_default();
    // The officer's name as set up on the PC (`clean_line`), shown in every record's history.
    if let Err(e) = check_stored_line("author", &change.author, MAX_NAME_CHARS) {
        errors.insert(0, e.without_value());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(errors))
    }
}

/// The kinds of change the PCs make for each kind of record.
fn kinds_made(entity: Entity) -> &'static [ChangeKind] {
    match entity {
        Entity::Child => &[ChangeKind::UpsertFields, ChangeKind::Tombstone],
        Entity::Case => &[ChangeKind::UpsertFields],
        Entity::CaseEvent => &[ChangeKind::AppendEvent],
    }
}
