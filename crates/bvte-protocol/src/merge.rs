//! How a device applies a change made elsewhere (design §5). Fields merge last-writer-wins by
//! (clock, device); a change whose author had not seen the local version of a field is
//! *concurrent* with it, and both values are kept in a conflict for the officer to resolve.
//! Events (case steps) merge by id: every event from every device is kept.

use crate::change::DeviceId;
use crate::hlc::Hlc;

/// The version of a field: the clock value and device of the change that last set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// When.
    pub hlc: Hlc,
    /// Where (breaks ties between equal clocks).
    pub device: DeviceId,
}

/// What to do with an incoming field value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldMerge {
    /// The incoming value replaces the local one.
    Apply,
    /// The local value is newer: keep it.
    Keep,
    /// The two were written without seeing each other: record a conflict. `remote_wins` says
    /// which value stays in the record meanwhile (the last writer's), so every device shows the
    /// same value until the officer chooses.
    Conflict {
        /// Whether the incoming value is the last writer's.
        remote_wins: bool,
    },
}

/// Merges one field. `local` is the field's current version here (none if never set) and
/// `local_base` the version its author had seen; `remote` is the incoming change's version and
/// `remote_base` the version its author had seen. Two writes conflict when neither author had
/// seen the other's; otherwise the later one, in the order the authors saw, wins.
pub fn merge_field(
    local: Option<Version>,
    local_base: Option<Hlc>,
    remote: Version,
    remote_base: Option<Hlc>,
) -> FieldMerge {
    let Some(local) = local else {
        return FieldMerge::Apply;
    };
    if local == remote {
        return FieldMerge::Keep;
    }
    let remote_saw_local = remote_base.is_some_and(|b| b >= local.hlc);
    let local_saw_remote = local_base.is_some_and(|b| b >= remote.hlc);
    match (remote_saw_local, local_saw_remote) {
        (true, _) => FieldMerge::Apply,
        (false, true) => FieldMerge::Keep,
        (false, false) => FieldMerge::Conflict {
            remote_wins: remote > local,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn v(ms: u64, d: u8) -> Version {
        Version {
            hlc: Hlc {
                millis: ms,
                counter: 0,
            },
            device: Uuid::from_bytes([d; 16]),
        }
    }

    #[test]
    fn a_new_field_is_taken() {
        assert_eq!(merge_field(None, None, v(5, 1), None), FieldMerge::Apply);
    }

    #[test]
    fn an_edit_made_after_seeing_the_local_value_replaces_it() {
        let local = v(10, 1);
        assert_eq!(
            merge_field(Some(local), None, v(20, 2), Some(local.hlc)),
            FieldMerge::Apply
        );
    }

    #[test]
    fn edits_made_without_seeing_each_other_conflict_and_agree_on_the_winner() {
        // Both edited a field whose version was 5.
        let a = v(10, 1);
        let b = v(12, 2);
        let base = Some(Hlc {
            millis: 5,
            counter: 0,
        });
        // Device A receives B's edit; device B receives A's edit.
        assert_eq!(
            merge_field(Some(a), base, b, base),
            FieldMerge::Conflict { remote_wins: true }
        );
        assert_eq!(
            merge_field(Some(b), base, a, base),
            FieldMerge::Conflict { remote_wins: false }
        );
    }

    #[test]
    fn an_old_change_arriving_after_the_edit_that_followed_it_is_ignored() {
        // A wrote 10; B saw it and wrote 20; C applied B's 20 first, then A's 10 arrives.
        let a = v(10, 1);
        let b = v(20, 2);
        assert_eq!(merge_field(Some(b), Some(a.hlc), a, None), FieldMerge::Keep);
    }

    #[test]
    fn the_same_change_twice_changes_nothing() {
        let a = v(10, 1);
        assert_eq!(merge_field(Some(a), None, a, None), FieldMerge::Keep);
    }
}
