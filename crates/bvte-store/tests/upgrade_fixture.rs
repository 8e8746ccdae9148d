//! Safe upgrades (issue 13): every register committed under `tests/fixtures/upgrade/<version>/`,
//! made by that version's `bvte` (`cargo xtask fixture`), opens with this build — migrated
//! forward after a copy of it is kept beside it — and every record is still there: the
//! children with their Vietnamese names, the case with its steps and its confidential reporter.

use bvte_store::children::{ChildFilter, Page};
use bvte_store::{Store, Unlock, migrate};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// The passphrase of the fixtures (test data only).
const PASSPHRASE: &str = "bvte-fixture-2026";

/// What `cargo xtask fixture` puts in every fixture.
const CHILDREN: &[&str] = &[
    "Hoàng Thị Ngọc Hà",
    "Lò Văn Thắng",
    "Nguyễn Thị Ánh Tuyết",
    "Trần Văn Đức",
];

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("bvte.db").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// The fixture copied to a temporary folder: the committed files are never opened for writing.
fn copied(fixture: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for f in ["bvte.db", "bvte.db.keys"] {
        std::fs::copy(fixture.join(f), dir.path().join(f)).unwrap();
    }
    let db = dir.path().join("bvte.db");
    (dir, db)
}

/// The schema the fixture was made at, as `cargo xtask fixture` recorded it.
fn made_at(fixture: &Path) -> i64 {
    let text = std::fs::read_to_string(fixture.join("fixture.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["schema_version"].as_i64().unwrap()
}

#[test]
fn every_committed_register_opens_with_every_record() {
    let all = fixtures();
    assert!(!all.is_empty(), "no upgrade fixture is committed");
    for fixture in all {
        let name = fixture.display().to_string();
        let (dir, db) = copied(&fixture);
        let store = Store::open(&db, Unlock::Passphrase(PASSPHRASE))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(store.installation().schema_version, migrate::latest());
        assert_eq!(store.installation().commune_code, "09955");

        let filter = ChildFilter::default();
        assert_eq!(
            store.count_children(&filter).unwrap(),
            CHILDREN.len() as u64,
            "{name}"
        );
        let children = store.list_children(&filter, Page::default()).unwrap();
        let mut names: Vec<&str> = children.iter().map(|c| c.data.full_name.as_str()).collect();
        names.sort();
        assert_eq!(names, CHILDREN, "{name}");
        for n in &names {
            assert_eq!(n.nfc().collect::<String>(), *n, "{name}: names stay NFC");
        }

        let cases = store.cases(None).unwrap();
        assert_eq!(cases.len(), 1, "{name}");
        let case = &cases[0];
        let child = store.child(case.data.child_id).unwrap();
        assert_eq!(child.data.full_name, "Nguyễn Thị Ánh Tuyết");
        let steps: Vec<String> = store
            .case_events(case.id)
            .unwrap()
            .iter()
            .map(|e| {
                serde_json::to_value(e).unwrap()["step"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            steps,
            [
                "intake",
                "initial_assessment",
                "emergency_measures",
                "detailed_assessment"
            ],
            "{name}"
        );
        let reporter = store.case_reporter(case.id).unwrap().unwrap();
        assert_eq!(reporter.full_name, "Người Báo Tin Kín");
        // Its single passphrase became the local admin account (issue 14).
        let admin = store.account().cloned().expect("an account signed in");
        assert_eq!(admin.role, bvte_domain::role::Role::Admin, "{name}");
        drop(store);
        assert_eq!(
            Store::accounts_of(&db).unwrap(),
            vec![admin.clone()],
            "{name}"
        );
        let again = Store::open(&db, Unlock::Account(&admin.name, PASSPHRASE))
            .unwrap_or_else(|e| panic!("{name}: by the account's name: {e}"));
        assert_eq!(again.account(), Some(&admin));
        assert!(again.verify_audit().unwrap().first_broken.is_none());
        drop(again);

        let older = made_at(&fixture);
        let copy = dir.path().join(format!("bvte.db.truoc-nang-cap-{older}"));
        assert_eq!(
            copy.is_file(),
            older < migrate::latest(),
            "{name}: a copy is kept exactly when the register was migrated"
        );
    }
}
