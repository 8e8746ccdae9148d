//! Issue 14, backups as the desktop app makes them: on closing and once a day when work was
//! recorded, "Sao lưu ngay", the last N kept in the chosen folder; the restore list that finds
//! backups on a USB stick; and a new PC set up from a backup.

use bvte_core::app::{self, SetupInput};
use bvte_core::backup::{self, find_backups};
use bvte_domain::child::ChildInput;
use bvte_domain::time::parse_instant;
use serde_json::json;
use std::path::Path;

const PASS: &str = "mật khẩu dài đủ";

fn at(s: &str) -> bvte_domain::Instant {
    parse_instant("t", s).unwrap()
}

fn ready(db: &Path) -> bvte_core::Session {
    let input: SetupInput = serde_json::from_value(json!({
        "commune_code": "09955", "officer_name": "Nguyễn Thị Hòa",
        "passphrase": PASS, "passphrase_confirm": PASS, "load_demo": false
    }))
    .unwrap();
    app::setup(db, &input, at("2026-12-01 08:00")).unwrap().0
}

fn add(s: &mut bvte_core::Session, name: &str, now: &str) {
    let input: ChildInput = serde_json::from_value(json!({
        "full_name": name, "date_of_birth": "2015-05-05", "sex": "female",
        "residence_status": "thuong_tru", "village": "Thôn 1"
    }))
    .unwrap();
    s.add_child(&input, at(now)).unwrap();
}

fn files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

#[test]
fn the_app_backs_up_on_closing_and_daily_only_when_work_was_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let default = dir.path().join("Documents/BVTE/Sao lưu");
    let mut s = ready(&dir.path().join("bvte.db"));
    assert!(
        !s.auto_backup(&default, true, at("2026-12-01 09:00"))
            .unwrap(),
        "an empty register is not backed up"
    );
    add(&mut s, "Nguyễn Văn Đức", "2026-12-01 09:00");
    assert!(
        s.auto_backup(&default, false, at("2026-12-01 10:00"))
            .unwrap(),
        "never backed up"
    );
    assert_eq!(files(&default), 1);
    let st = s.backup_status(&default).unwrap();
    assert!(!st.changed_since);
    assert_eq!(
        st.last_at.as_deref(),
        Some(at("2026-12-01 10:00").to_rfc3339().as_str())
    );
    assert!(
        !s.auto_backup(&default, true, at("2026-12-01 11:00"))
            .unwrap(),
        "nothing new"
    );

    add(&mut s, "Trần Thị Hương", "2026-12-01 12:00");
    assert!(
        !s.auto_backup(&default, false, at("2026-12-01 13:00"))
            .unwrap(),
        "the daily backup waits a day"
    );
    assert!(
        s.auto_backup(&default, true, at("2026-12-01 17:00"))
            .unwrap(),
        "on closing"
    );
    add(&mut s, "Lê Văn Ba", "2026-12-02 08:00");
    assert!(
        s.auto_backup(&default, false, at("2026-12-02 17:01"))
            .unwrap(),
        "a day later"
    );
    assert_eq!(files(&default), 3);

    // The folder and the number kept are the officer's choice (a USB stick).
    let usb = dir.path().join("usb");
    let mut set = s.settings().unwrap();
    set.backup_folder = usb.to_string_lossy().into_owned();
    set.backup_keep = 2;
    s.save_settings(&set).unwrap();
    for (i, t) in ["2026-12-03 08:00", "2026-12-03 08:01", "2026-12-03 08:02"]
        .iter()
        .enumerate()
    {
        add(&mut s, &format!("Trẻ {i}"), t);
        s.backup_now(&default, at(t)).unwrap();
    }
    assert_eq!(files(&usb), 2, "the last two kept");
    set.backup_keep = 0;
    let e = s.save_settings(&set).unwrap_err();
    assert_eq!(e.code(), "out_of_range");
}

#[test]
fn a_new_pc_is_set_up_from_the_backup_found_on_a_usb_stick() {
    let dir = tempfile::tempdir().unwrap();
    let old_pc = dir.path().join("old/bvte.db");
    let mut s = ready(&old_pc);
    add(&mut s, "Nguyễn Văn Đức", "2026-12-01 09:00");
    let usb = dir.path().join("media/officer/USB");
    s.backup_to_folder(&usb.join("BVTE"), 10, at("2026-12-01 10:00"))
        .unwrap();
    add(&mut s, "Trần Thị Hương", "2026-12-02 09:00");
    s.backup_to_folder(&usb.join("BVTE"), 10, at("2026-12-02 10:00"))
        .unwrap();
    std::fs::write(usb.join("notes.bvte-backup"), b"not a backup").unwrap();
    drop(s);

    let found = find_backups(&[dir.path().join("media/officer"), dir.path().join("missing")]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        found[0].taken_at,
        at("2026-12-02 10:00").to_rfc3339(),
        "newest first"
    );
    assert!(
        found[0].commune_name.contains(','),
        "{}",
        found[0].commune_name
    );
    assert!(found[0].path.ends_with(".bvte-backup"));

    let new_pc = dir.path().join("new/bvte.db");
    let e = backup::restore_at_setup(
        &new_pc,
        Path::new(&found[0].path),
        "sai mật khẩu",
        at("2026-12-05 08:00"),
    )
    .unwrap_err();
    assert_eq!(e.code(), "wrong_passphrase");
    assert!(!new_pc.exists(), "nothing written");
    let restored = backup::restore_at_setup(
        &new_pc,
        Path::new(&found[0].path),
        PASS,
        at("2026-12-05 08:00"),
    )
    .unwrap();
    let n = restored
        .store
        .count_children(&bvte_store::children::ChildFilter::default())
        .unwrap();
    assert_eq!(n, 2);
    drop(restored);
    let e = backup::restore_at_setup(
        &new_pc,
        Path::new(&found[1].path),
        PASS,
        at("2026-12-05 08:00"),
    )
    .unwrap_err();
    assert_eq!(
        e.code(),
        "already_exists",
        "never over a register from the set-up screen"
    );
}
