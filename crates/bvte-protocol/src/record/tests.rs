use super::*;
use crate::change::Entity;
use serde_json::json;
use uuid::Uuid;

fn dev(n: u8) -> DeviceId {
    Uuid::from_bytes([n; 16])
}

fn hlc(ms: u64) -> Hlc {
    Hlc {
        millis: ms,
        counter: 0,
    }
}

fn change(
    device: u8,
    seq: u64,
    ms: u64,
    kind: ChangeKind,
    fields: Value,
    base: &[(&str, u64)],
) -> Change {
    Change {
        change_id: Uuid::now_v7(),
        device_id: dev(device),
        seq,
        hlc: hlc(ms),
        entity: Entity::Child,
        entity_id: Uuid::from_bytes([9; 16]),
        kind,
        fields: fields.as_object().cloned().unwrap_or_default(),
        base_hlc: base
            .iter()
            .map(|(f, b)| ((*f).to_owned(), hlc(*b)))
            .collect(),
        author: String::new(),
        format: crate::FORMAT,
        base_cursor: 0,
    }
}

fn edit(device: u8, seq: u64, ms: u64, fields: Value, base: &[(&str, u64)]) -> Change {
    change(device, seq, ms, ChangeKind::UpsertFields, fields, base)
}

fn state(changes: &[&Change]) -> Record {
    let mut r = Record::default();
    for c in changes {
        r.apply(c);
    }
    r
}

#[test]
fn fields_end_the_same_whatever_order_the_changes_arrive_in() {
    let made = edit(1, 1, 10, json!({"village": "Thôn 1", "sex": "nu"}), &[]);
    let later = edit(2, 1, 20, json!({"village": "Thôn 2"}), &[("village", 10)]);
    // Made without seeing `later`: a conflict whose last writer (`later`) stays.
    let concurrent = edit(1, 2, 15, json!({"village": "Thôn 3"}), &[("village", 10)]);
    let one = state(&[&made, &later, &concurrent]);
    let other = state(&[&made, &concurrent, &later]);
    assert_eq!(one.fields, other.fields);
    assert_eq!(one.fields["village"], "Thôn 2");
    assert_eq!(one.fields["sex"], "nu");
    assert_eq!((one.created_ms, one.updated_ms), (10, 20));
}

#[test]
fn a_deletion_counts_only_when_it_saw_every_edit() {
    let made = edit(1, 1, 10, json!({"village": "Thôn 1"}), &[]);
    let tomb = change(
        1,
        2,
        20,
        ChangeKind::Tombstone,
        json!({"seen": {dev(1).to_string(): 1}, "reason": "trùng"}),
        &[],
    );
    assert!(state(&[&made, &tomb]).deleted());
    // Another PC edited it without seeing the deletion: the record stays.
    let unseen = edit(2, 1, 18, json!({"village": "Thôn 2"}), &[("village", 10)]);
    assert!(!state(&[&made, &unseen, &tomb]).deleted());
    assert!(!state(&[&made, &tomb, &unseen]).deleted());
    // A tombstone that cannot be read deletes nothing.
    let unreadable = change(1, 2, 20, ChangeKind::Tombstone, json!({"seen": 3}), &[]);
    assert!(!state(&[&made, &unreadable]).deleted());
}

#[test]
fn a_step_keeps_its_first_content() {
    let first = change(1, 1, 10, ChangeKind::AppendEvent, json!({"kind": "a"}), &[]);
    let again = change(2, 1, 20, ChangeKind::AppendEvent, json!({"kind": "b"}), &[]);
    assert_eq!(state(&[&first, &again]).fields["kind"], "a");
}
