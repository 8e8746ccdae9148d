//! Import batches (issue 12): all or nothing, listed, and undone with tombstones that another
//! device applies like any deletion.

mod support;

use bvte_domain::ChildId;
use bvte_store::imports::NewImport;
use support::*;

fn meta() -> NewImport {
    NewImport {
        file_name: "ds.xlsx".into(),
        encoding: "tcvn3".into(),
        rows: 3,
        skipped_duplicates: 0,
        rejected: 1,
    }
}

#[test]
fn a_batch_is_written_whole_or_not_at_all_and_undone_on_every_device() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = device(dir.path(), "a.db");
    let mut b = device(dir.path(), "b.db");
    let mut relay = Relay::default();
    let kid = add_child(&mut a, "Lò Thị Mỷ", 1);
    let data = vec![kid.data.clone()];

    // An update of a record that is not there fails the whole batch: nothing added.
    let missing = ChildId::generate();
    let err = a
        .record_import(
            &meta(),
            &data,
            &[(missing, kid.data.clone())],
            &w("Cán bộ", 2),
        )
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(names(&a).len(), 1, "nothing of the failed batch stays");
    assert!(a.import_batches().unwrap().is_empty());

    let mut other = kid.data.clone();
    other.village = "Bản Phìn".into();
    let batch = a
        .record_import(&meta(), &data, &[(kid.id, other)], &w("Cán bộ", 3))
        .unwrap();
    assert_eq!((batch.imported, batch.updated, batch.rejected), (1, 1, 1));
    assert_eq!(names(&a).len(), 2);
    assert_eq!(a.import_batches().unwrap(), vec![batch.clone()]);
    relay.sync(&mut a, 3);
    relay.sync(&mut b, 3);
    assert_eq!(
        names(&b),
        names(&a),
        "the imported children reach the other PC"
    );

    assert_eq!(
        a.undo_import(&batch.id, "Hoàn tác", &w("Cán bộ", 4))
            .unwrap(),
        1,
        "only the child it added"
    );
    assert_eq!(names(&a).len(), 1, "the updated record stays");
    relay.sync(&mut a, 5);
    relay.sync(&mut b, 5);
    assert_eq!(
        names(&b),
        names(&a),
        "the undo is a deletion on the other PC too"
    );
    assert_eq!(b.deleted_children().unwrap().len(), 1);
    assert_eq!(b.deleted_children().unwrap()[0].reason, "Hoàn tác");
    let undone = a.import_batch(&batch.id).unwrap();
    assert!(undone.undone_at.is_some());
    assert_eq!(undone.undone_by.as_deref(), Some("Cán bộ"));
}
