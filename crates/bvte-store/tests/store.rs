//! The store on real temporary files: encryption, unlocking, schema guard, change log, search.

use bvte_domain::case::CaseInput;
use bvte_domain::child::{ChildInput, ValidationContext};
use bvte_domain::event::StepInput;
use bvte_domain::time::parse_instant;
use bvte_domain::workflow::{admit, fold};
use bvte_store::children::{ChildFilter, Page};
use bvte_store::keys::envelope_path;
use bvte_store::{KdfParams, Origin, RecoveryCode, Store, StoreError, Unlock, WriteCtx};
use serde_json::json;
use std::path::{Path, PathBuf};

const FAST: KdfParams = KdfParams {
    m_kib: 256,
    t: 1,
    p: 1,
};

fn now() -> bvte_domain::Instant {
    parse_instant("t", "2026-11-29 09:00").unwrap()
}

fn w() -> WriteCtx {
    WriteCtx {
        origin: Origin::Cli,
        author: "Cán bộ Thử".into(),
        account: String::new(),
        now: now(),
    }
}

fn new_db(dir: &Path) -> (PathBuf, Store, RecoveryCode) {
    let path = dir.join("xa.db");
    let (store, code) = Store::create(&path, "mật khẩu 123", "09955", FAST, now()).unwrap();
    (path, store, code)
}

fn child(store: &mut Store, v: serde_json::Value) -> bvte_domain::child::Child {
    let ctx = ValidationContext {
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        default_commune: "09955".into(),
    };
    let data = serde_json::from_value::<ChildInput>(v)
        .unwrap()
        .validate(&ctx)
        .unwrap();
    store.insert_child(&data, &w()).unwrap()
}

fn kid(name: &str) -> serde_json::Value {
    json!({"full_name": name, "date_of_birth": "2015-05-05", "sex": "female", "residence_status": "thuong_tru"})
}

#[test]
fn the_file_is_encrypted_and_opens_only_with_the_right_secret() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store, code) = new_db(dir.path());
    child(&mut store, kid("Nguyễn Thị Dũng"));
    drop(store);
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        !bytes.starts_with(b"SQLite format 3"),
        "no plain SQLite header"
    );
    assert!(
        !bytes.windows("Dũng".len()).any(|w| w == "Dũng".as_bytes()),
        "names are not readable in the file"
    );
    let before = std::fs::read(&path).unwrap();
    match Store::open(&path, Unlock::Passphrase("mật khẩu sai")) {
        Err(StoreError::WrongPassphrase) => {}
        other => panic!("expected WrongPassphrase, got {other:?}"),
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "a failed unlock changes nothing"
    );
    let store = Store::open(&path, Unlock::Passphrase("mật khẩu 123")).unwrap();
    assert_eq!(store.count_children(&ChildFilter::default()).unwrap(), 1);
    drop(store);
    let store = Store::open(
        &path,
        Unlock::Recovery(&RecoveryCode::parse(&code.display())),
    )
    .unwrap();
    assert_eq!(store.installation().commune_code, "09955");
    let (cipher, _sqlite) = store.engine_versions().unwrap();
    assert!(cipher.starts_with('4'), "SQLCipher 4.x, got {cipher}");
}

#[test]
fn a_new_passphrase_replaces_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store, code) = new_db(dir.path());
    drop(store);
    Store::change_passphrase(&path, Unlock::Recovery(&code), "mật khẩu mới").unwrap();
    assert!(matches!(
        Store::open(&path, Unlock::Passphrase("mật khẩu 123")),
        Err(StoreError::WrongPassphrase)
    ));
    Store::open(&path, Unlock::Passphrase("mật khẩu mới")).unwrap();
}

#[test]
fn init_refuses_to_overwrite_and_open_reports_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store, _) = new_db(dir.path());
    drop(store);
    assert!(matches!(
        Store::create(&path, "x", "09955", FAST, now()),
        Err(StoreError::AlreadyExists(_))
    ));
    assert!(matches!(
        Store::open(&dir.path().join("khac.db"), Unlock::Passphrase("x")),
        Err(StoreError::NoDatabase(_))
    ));
    // A key file from another installation does not open this database.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let (other_path, s2, _) = new_db(&other);
    drop(s2);
    std::fs::copy(envelope_path(&other_path), envelope_path(&path)).unwrap();
    assert!(matches!(
        Store::open(&path, Unlock::Passphrase("mật khẩu 123")),
        Err(StoreError::KeyMismatch(_))
    ));
}

#[test]
fn a_database_from_a_newer_build_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store, _) = new_db(dir.path());
    assert_eq!(
        store.installation().schema_version,
        bvte_store::migrate::latest()
    );
    store_bump_version(store, 99);
    let before = std::fs::read(&path).unwrap();
    match Store::open(&path, Unlock::Passphrase("mật khẩu 123")) {
        Err(StoreError::SchemaTooNew { found: 99, known }) => {
            assert_eq!(known, bvte_store::migrate::latest())
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

fn store_bump_version(store: Store, v: i64) {
    store.debug_set_user_version(v).unwrap();
}

#[test]
fn every_write_appends_one_attributed_change_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store, _) = new_db(dir.path());
    let c = child(&mut store, kid("Trần Văn An"));
    let mut data = c.data.clone();
    data.village = "Thôn Đông".into();
    store.update_child(c.id, &data, &w()).unwrap();
    // Saving the same content again writes nothing.
    store.update_child(c.id, &data, &w()).unwrap();
    let case_input: CaseInput = serde_json::from_value(json!({
        "child_id": c.id.to_string(), "received_at": "2026-11-29 08:00", "category": "abused",
        "abuse_forms": ["violence"], "environment": "family", "channel": "phone",
        "reporter": {"full_name": "Người Báo Tin", "phone": "0900000000", "address": ""}
    }))
    .unwrap();
    let new_case = case_input
        .validate(
            c.id,
            &bvte_domain::case::CaseContext {
                now: now(),
                default_commune: "09955".into(),
                child_birth_date: c.data.birth_date(),
                child_commune: "09955".into(),
            },
        )
        .unwrap();
    let (case, _) = store.insert_case(&new_case, &w()).unwrap();
    let (t, step) = serde_json::from_value::<StepInput>(
        json!({"step": "initial_assessment", "data": {"serious_risk": false}}),
    )
    .unwrap()
    .parse(now())
    .unwrap();
    store
        .append_event(case.id, t, step.clone(), &w(), |case, events| {
            admit(&fold(case.data.received_at, events), &step, t)
        })
        .unwrap();
    let feed = store.changes_after(0, 100).unwrap();
    let kinds: Vec<(&str, &str)> = feed
        .iter()
        .map(|e| (e.change.entity.code(), e.change.kind.code()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("child", "upsert_fields"),
            ("child", "upsert_fields"),
            ("case", "upsert_fields"),
            ("case_event", "append_event"),
            ("case_event", "append_event"),
        ]
    );
    let seqs: Vec<u64> = feed.iter().map(|e| e.change.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3, 4, 5], "dense per-device sequence");
    assert!(
        feed.windows(2).all(|p| p[0].change.hlc < p[1].change.hlc),
        "clock moves forward"
    );
    assert!(
        feed.iter()
            .all(|e| e.origin == "cli" && e.author == "Cán bộ Thử")
    );
    // The update carries only the changed field, and the version the author saw.
    let upd = &feed[1].change;
    assert_eq!(upd.fields.keys().collect::<Vec<_>>(), vec!["village"]);
    assert_eq!(upd.base_hlc.get("village"), Some(&feed[0].change.hlc));
    // The reporter never appears in the case as listed, nor in the change log (which syncs).
    let listed = serde_json::to_string(&store.case(case.id).unwrap()).unwrap();
    assert!(!listed.contains("Người Báo Tin"));
    assert!(
        !serde_json::to_string(&feed)
            .unwrap()
            .contains("Người Báo Tin")
    );
    assert_eq!(
        store.case_reporter(case.id).unwrap().unwrap().full_name,
        "Người Báo Tin"
    );
}

#[test]
fn a_refused_step_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store, _) = new_db(dir.path());
    let c = child(&mut store, kid("Lê Thị Hoa"));
    let new_case = serde_json::from_value::<CaseInput>(json!({
        "child_id": c.id.to_string(), "category": "at_risk_violence", "environment": "school", "channel": "school"
    }))
    .unwrap()
    .validate(
        c.id,
        &bvte_domain::case::CaseContext {
            now: now(),
            default_commune: "09955".into(),
            child_birth_date: c.data.birth_date(),
            child_commune: "09955".into(),
        },
    )
    .unwrap();
    let (case, _) = store.insert_case(&new_case, &w()).unwrap();
    let before = store.last_change_seq().unwrap();
    let (t, step) = serde_json::from_value::<StepInput>(json!({"step": "plan_approved"}))
        .unwrap()
        .parse(now())
        .unwrap();
    let err = store
        .append_event(case.id, t, step.clone(), &w(), |case, events| {
            admit(&fold(case.data.received_at, events), &step, t)
        })
        .unwrap_err();
    assert_eq!(err.code(), "step_not_allowed");
    assert_eq!(store.last_change_seq().unwrap(), before);
    assert_eq!(
        store.case_events(case.id).unwrap().len(),
        1,
        "only the report"
    );
}

#[test]
fn search_is_folded_for_vietnamese_and_ordered_by_given_name() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store, _) = new_db(dir.path());
    for name in [
        "Nguyễn Thị Dũng",
        "Đặng Văn Ưng",
        "Trần Đức Đạt",
        "Nguyễn Văn An",
        "Lê Thị Dung",
    ] {
        child(&mut store, kid(name));
    }
    let mut with_parent = kid("Phạm Minh Khôi");
    with_parent["carers"] = json!([{"relation": "mother", "full_name": "Hoàng Thị Lựu"}]);
    with_parent["personal_id"] = json!("001215099887");
    child(&mut store, with_parent);
    let names = |q: &str| -> Vec<String> {
        store
            .list_children(
                &ChildFilter {
                    query: Some(q.into()),
                    ..Default::default()
                },
                Page::default(),
            )
            .unwrap()
            .into_iter()
            .map(|c| c.data.full_name)
            .collect()
    };
    assert_eq!(names("nguyen thi dung"), vec!["Nguyễn Thị Dũng"]);
    assert_eq!(names("dang"), vec!["Đặng Văn Ưng"], "đ folds to d");
    assert_eq!(names("ĐẠT"), vec!["Trần Đức Đạt"]);
    assert_eq!(names("ung"), vec!["Đặng Văn Ưng"]);
    // Given name first: An < Dung < Dũng.
    assert_eq!(names("nguy"), vec!["Nguyễn Văn An", "Nguyễn Thị Dũng"]);
    assert_eq!(names("dung"), vec!["Lê Thị Dung", "Nguyễn Thị Dũng"]);
    assert_eq!(
        names("luu"),
        vec!["Phạm Minh Khôi"],
        "found by the mother's name"
    );
    assert_eq!(
        names("0012150"),
        vec!["Phạm Minh Khôi"],
        "found by personal id prefix"
    );
    assert!(
        names("\"; DROP TABLE children; --").is_empty(),
        "query text is data, not SQL"
    );
    assert_eq!(store.count_children(&ChildFilter::default()).unwrap(), 6);
}

#[test]
fn lists_filter_by_group_residence_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store, _) = new_db(dir.path());
    let mut a = kid("Mồ Côi Một");
    a["special_circumstances"] = json!([{"group": "a", "subgroup": 3}]);
    child(&mut store, a);
    let mut b = kid("Tạm Trú Hai");
    b["residence_status"] = json!("tam_tru");
    b["at_risk"] = json!(true);
    child(&mut store, b);
    let mut d = kid("Khuyết Tật Ba");
    d["disability"] = json!({"level": "severe"});
    child(&mut store, d);
    let count = |f: ChildFilter| store.count_children(&f).unwrap();
    assert_eq!(
        count(ChildFilter {
            group: Some(bvte_domain::groups::Group::A),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        count(ChildFilter {
            orphan: Some(true),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        count(ChildFilter {
            residence: Some(bvte_domain::child::ResidenceStatus::TamTru),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        count(ChildFilter {
            at_risk: Some(true),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        count(ChildFilter {
            disabled: Some(true),
            ..Default::default()
        }),
        1
    );
    let page = store
        .list_children(
            &ChildFilter::default(),
            Page {
                offset: 1,
                limit: 1,
            },
        )
        .unwrap();
    assert_eq!(page.len(), 1, "paging happens in SQL");
}

/// The permission bits of `path`.
#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn the_database_its_key_file_and_its_wal_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, b"").unwrap();
    if mode(&probe) & 0o044 == 0 {
        eprintln!("note: this process's umask already hides new files from others");
    }
    let (path, mut store, _) = new_db(dir.path());
    child(&mut store, kid("Phạm Thị Riêng"));
    // While the store is open, the write-ahead log and its index exist next to the file.
    let suffixed = |s: &str| PathBuf::from(format!("{}{s}", path.display()));
    for f in [
        path.clone(),
        envelope_path(&path),
        suffixed("-wal"),
        suffixed("-shm"),
    ] {
        assert_eq!(mode(&f), 0o600, "{} holds the register", f.display());
    }
    drop(store);
    // A database left readable (by an older version, a copy, a restore) is tightened on open.
    for f in [path.clone(), envelope_path(&path)] {
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let store = Store::open(&path, Unlock::Passphrase("mật khẩu 123")).unwrap();
    for f in [path.clone(), envelope_path(&path), suffixed("-wal")] {
        assert_eq!(mode(&f), 0o600, "{} after opening", f.display());
    }
    drop(store);
}
