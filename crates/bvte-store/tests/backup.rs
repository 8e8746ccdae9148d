//! Issue 14, backups in the store: a backup taken while the database is open restores to the
//! same register; a damaged, truncated, altered or foreign file, or the wrong passphrase, is
//! refused before anything is replaced.

mod support;

use bvte_store::backup::{self, MAGIC};
use bvte_store::{BackupError, Store, StoreError, Unlock};
use std::path::{Path, PathBuf};
use support::{add_child, at, device, names};

const PASS: Unlock<'static> = Unlock::Passphrase("mật khẩu 123");

fn backup_of(store: &Store, dir: &Path, name: &str) -> PathBuf {
    let out = dir.join(name);
    let info = store.backup(&out, "0.1.0", at(30)).unwrap();
    assert_eq!(info.commune_code, "09955");
    out
}

/// The kinds of error, as a test reads them.
fn code(e: &StoreError) -> &'static str {
    e.code()
}

#[test]
fn a_backup_restores_the_same_register_and_keeps_the_replaced_one_aside() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = device(dir.path(), "a.db");
    add_child(&mut a, "Nguyễn Văn Đức", 1);
    add_child(&mut a, "Trần Thị Hương", 2);
    let before = names(&a);
    let file = backup_of(&a, dir.path(), "sao-luu.bvte-backup");
    let info = backup::read_info(&file).unwrap();
    assert_eq!(
        (info.schema_version, info.unsent_changes),
        (a.installation().schema_version, 2)
    );
    assert_eq!(info.taken_at, at(30).to_rfc3339());
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(MAGIC));
    assert!(
        !bytes
            .windows("Hương".len())
            .any(|w| w == "Hương".as_bytes()),
        "no name in clear in the file"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "owner only");
    }

    // Work after the backup, then the PC's register is replaced by the backup.
    add_child(&mut a, "Lê Văn Ba", 3);
    let path = a.path().to_path_buf();
    drop(a);
    let (restored, kept) = backup::restore(&file, &path, PASS, ".truoc-khoi-phuc").unwrap();
    assert_eq!(restored, info);
    let back = Store::open(&path, PASS).unwrap();
    assert_eq!(names(&back), before, "the register as it was at the backup");
    let kept = kept.expect("the replaced register is kept");
    let old = Store::open(&kept, PASS).unwrap();
    assert_eq!(
        names(&old).len(),
        3,
        "the replaced register is whole, nothing lost"
    );
    assert!(
        !dir.path().read_dir().unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with('.')),
        "no temporary file left behind"
    );
}

#[test]
fn a_backup_never_overwrites_a_file_and_restores_to_a_new_path_with_the_recovery_code() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let (mut a, recovery) =
        Store::create(&path, "mật khẩu 123", "09955", support::FAST, at(0)).unwrap();
    add_child(&mut a, "Phạm Thị Lan", 1);
    let file = backup_of(&a, dir.path(), "b.bvte-backup");
    let e = a.backup(&file, "0.1.0", at(31)).unwrap_err();
    assert_eq!(code(&e), "backup_exists");
    assert!(e.to_string().contains("không ghi đè"), "{e}");

    let new = dir.path().join("moi").join("b.db");
    let (_, kept) = backup::restore(&file, &new, Unlock::Recovery(&recovery), ".cu").unwrap();
    assert!(kept.is_none());
    let b = Store::open(&new, PASS).unwrap();
    assert_eq!(names(&b), names(&a));
}

#[test]
fn bad_backups_and_the_wrong_passphrase_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = device(dir.path(), "a.db");
    add_child(&mut a, "Nguyễn Văn Đức", 1);
    let file = backup_of(&a, dir.path(), "good.bvte-backup");
    let good = std::fs::read(&file).unwrap();
    let target = dir.path().join("target.db");
    let try_restore = |bytes: &[u8], unlock: Unlock<'_>| -> StoreError {
        let f = dir.path().join("bad.bvte-backup");
        std::fs::write(&f, bytes).unwrap();
        let e = backup::restore(&f, &target, unlock, ".cu").unwrap_err();
        assert!(!target.exists(), "nothing written for {}", e.code());
        e
    };

    let e = try_restore(&good, Unlock::Passphrase("sai mật khẩu"));
    assert_eq!(code(&e), "wrong_passphrase");
    let e = try_restore(&good[..good.len() - 4096], PASS);
    assert_eq!(code(&e), "backup_truncated");
    assert!(e.to_string().contains("thiếu phần cuối"), "{e}");
    let e = try_restore(b"PK\x03\x04 a spreadsheet", PASS);
    assert_eq!(code(&e), "backup_not_a_backup");
    let e = try_restore(b"", PASS);
    assert_eq!(code(&e), "backup_not_a_backup");

    // One byte changed in the pages.
    let mut flipped = good.clone();
    let i = good.len() - 100;
    flipped[i] ^= 0x55;
    let e = try_restore(&flipped, PASS);
    assert_eq!(code(&e), "backup_damaged");

    // Pages altered and the checksum recomputed: SQLCipher's page authentication catches it.
    let header_len = u32::from_le_bytes(good[MAGIC.len()..MAGIC.len() + 4].try_into().unwrap());
    let start = MAGIC.len() + 4 + header_len as usize;
    let mut forged = flipped.clone();
    let header: serde_json::Value = serde_json::from_slice(&good[MAGIC.len() + 4..start]).unwrap();
    let mut header = header;
    use sha2::Digest;
    let sum = sha2::Sha256::digest(&forged[start..]);
    header["db_sha256"] = sum
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
        .into();
    let h = serde_json::to_vec(&header).unwrap();
    forged = [MAGIC, &(h.len() as u32).to_le_bytes(), &h, &forged[start..]].concat();
    let e = try_restore(&forged, PASS);
    assert_eq!(code(&e), "backup_damaged", "{e}");

    // The header says another commune than the pages hold.
    let mut header: serde_json::Value =
        serde_json::from_slice(&good[MAGIC.len() + 4..start]).unwrap();
    header["commune_code"] = "00004".into();
    let h = serde_json::to_vec(&header).unwrap();
    let relabelled = [MAGIC, &(h.len() as u32).to_le_bytes(), &h, &good[start..]].concat();
    let e = try_restore(&relabelled, PASS);
    assert_eq!(code(&e), "backup_damaged");

    // A backup from a newer BVTE (a schema this build does not know).
    let mut header: serde_json::Value =
        serde_json::from_slice(&good[MAGIC.len() + 4..start]).unwrap();
    header["schema_version"] = (a.installation().schema_version + 1).into();
    let h = serde_json::to_vec(&header).unwrap();
    let newer = [MAGIC, &(h.len() as u32).to_le_bytes(), &h, &good[start..]].concat();
    let e = try_restore(&newer, PASS);
    assert_eq!(code(&e), "backup_too_new");
    assert!(e.to_string().contains("mới hơn"), "{e}");
    assert!(matches!(e, StoreError::Backup(BackupError::TooNew(_))));
}
