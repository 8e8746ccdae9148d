//! Accounts in the key file (issue 14): each account's passphrase wraps the same database key,
//! so adding or removing one never re-encrypts the database; the recovery code still opens it;
//! a removed account's passphrase no longer does; a register made before accounts becomes the
//! local admin's at its first unlock.

use bvte_domain::role::Role;
use bvte_store::keys::{Envelope, envelope_path};
use bvte_store::{Account, KdfParams, RecoveryCode, Store, StoreError, Unlock};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const FAST: KdfParams = KdfParams {
    m_kib: 256,
    t: 1,
    p: 1,
};

fn now() -> bvte_domain::Instant {
    bvte_domain::time::parse_instant("t", "2026-12-08 09:00").unwrap()
}

fn account(name: &str, role: Role) -> Account {
    Account {
        name: name.into(),
        role,
    }
}

fn new_register(dir: &Path) -> (PathBuf, RecoveryCode) {
    let path = dir.join("xa.db");
    let (store, code) = Store::create_with(
        &path,
        &account("Nguyễn Thị Hòa", Role::Admin),
        "mật khẩu quản trị",
        "09955",
        FAST,
        now(),
    )
    .unwrap();
    drop(store);
    (path, code)
}

fn digest(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

fn is_account_error(e: &StoreError, code: &str) -> bool {
    matches!(e, StoreError::Account(a) if a.code() == code)
}

#[test]
fn each_account_opens_with_its_own_passphrase_and_the_database_is_never_re_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let (path, code) = new_register(dir.path());
    let before = digest(&path);

    let admin = Store::open(&path, Unlock::Passphrase("mật khẩu quản trị")).unwrap();
    assert_eq!(
        admin.account(),
        Some(&account("Nguyễn Thị Hòa", Role::Admin))
    );
    admin
        .add_account(&account("Lê Văn Nam", Role::Officer), "mật khẩu cán bộ")
        .unwrap();
    admin
        .add_account(&account("Trần Thị Mai", Role::Leader), "mật khẩu lãnh đạo")
        .unwrap();
    // Names are unique whatever their case (and their Unicode form).
    let taken = admin
        .add_account(&account("LÊ VĂN NAM", Role::Leader), "khác hẳn 123")
        .unwrap_err();
    assert!(is_account_error(&taken, "account_exists"), "{taken}");
    assert!(taken.to_string().contains("Lê Văn Nam"), "{taken}");
    drop(admin);

    // The name picks the account, typed in any case or with combining marks.
    let officer = Store::open(
        &path,
        Unlock::Account("le\u{302} va\u{306}n nam", "mật khẩu cán bộ"),
    )
    .unwrap();
    assert_eq!(officer.account().map(|a| a.role), Some(Role::Officer));
    drop(officer);
    // Another account's passphrase is wrong for this one.
    assert!(matches!(
        Store::open(&path, Unlock::Account("Lê Văn Nam", "mật khẩu quản trị")),
        Err(StoreError::WrongPassphrase)
    ));
    // With several accounts, a passphrase alone says whose it is not.
    let e = Store::open(&path, Unlock::Passphrase("mật khẩu cán bộ")).unwrap_err();
    assert!(is_account_error(&e, "account_required"), "{e}");
    assert!(e.to_string().contains("--account"), "{e}");
    let e = Store::open(&path, Unlock::Account("Không Có", "x")).unwrap_err();
    assert!(is_account_error(&e, "no_such_account"), "{e}");

    // Removing an account: its passphrase no longer opens; the others and the recovery code do.
    let admin = Store::open(
        &path,
        Unlock::Account("nguyễn thị hòa", "mật khẩu quản trị"),
    )
    .unwrap();
    assert_eq!(
        admin.remove_account("lê văn nam").unwrap().name,
        "Lê Văn Nam"
    );
    let e = admin.remove_account("Nguyễn Thị Hòa").unwrap_err();
    assert!(is_account_error(&e, "last_admin"), "{e}");
    drop(admin);
    assert!(Store::open(&path, Unlock::Account("Lê Văn Nam", "mật khẩu cán bộ")).is_err());
    Store::open(&path, Unlock::Account("Trần Thị Mai", "mật khẩu lãnh đạo")).unwrap();
    let by_code = Store::open(&path, Unlock::Recovery(&code)).unwrap();
    assert_eq!(by_code.account(), None);
    drop(by_code);

    // A new passphrase for one account leaves the others alone.
    let admin = Store::open(
        &path,
        Unlock::Account("Nguyễn Thị Hòa", "mật khẩu quản trị"),
    )
    .unwrap();
    admin
        .set_account_passphrase("trần thị mai", "mật khẩu mới của lãnh đạo")
        .unwrap();
    drop(admin);
    assert!(matches!(
        Store::open(&path, Unlock::Account("Trần Thị Mai", "mật khẩu lãnh đạo")),
        Err(StoreError::WrongPassphrase)
    ));
    Store::open(
        &path,
        Unlock::Account("Trần Thị Mai", "mật khẩu mới của lãnh đạo"),
    )
    .unwrap();
    Store::open(
        &path,
        Unlock::Account("Nguyễn Thị Hòa", "mật khẩu quản trị"),
    )
    .unwrap();

    assert_eq!(
        Store::accounts_of(&path)
            .unwrap()
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        ["Nguyễn Thị Hòa", "Trần Thị Mai"]
    );
    assert_eq!(
        before,
        digest(&path),
        "the database file was never rewritten"
    );
}

#[test]
fn editing_a_role_in_the_key_file_makes_that_passphrase_useless() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = new_register(dir.path());
    let admin = Store::open(&path, Unlock::Passphrase("mật khẩu quản trị")).unwrap();
    admin
        .add_account(&account("Lê Văn Nam", Role::Officer), "mật khẩu cán bộ")
        .unwrap();
    drop(admin);
    let keys = envelope_path(&path);
    let text = std::fs::read_to_string(&keys).unwrap();
    assert!(text.contains("\"officer\""));
    std::fs::write(&keys, text.replace("\"officer\"", "\"admin\"")).unwrap();
    assert!(matches!(
        Store::open(&path, Unlock::Account("Lê Văn Nam", "mật khẩu cán bộ")),
        Err(StoreError::WrongPassphrase)
    ));
}

#[test]
fn a_register_made_before_accounts_becomes_the_local_admins() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cu.db");
    let (store, _) = Store::create(&path, "mật khẩu cũ", "09955", FAST, now()).unwrap();
    drop(store);
    // The key file as BVTE wrote it before accounts (version 1): one passphrase, no name.
    let (own, _) = Envelope::read(&path)
        .unwrap()
        .unlock_account(None, "mật khẩu cũ")
        .unwrap();
    let old = Envelope::before_accounts(&own, "mật khẩu cũ", FAST).unwrap();
    assert!(!old.to_json().contains("account"));
    old.write(&path).unwrap();
    assert!(Store::accounts_of(&path).unwrap().is_empty());

    let store = Store::open(&path, Unlock::Passphrase("mật khẩu cũ")).unwrap();
    let admin = account(bvte_store::accounts::DEFAULT_ADMIN_NAME, Role::Admin);
    assert_eq!(store.account(), Some(&admin));
    drop(store);
    assert_eq!(Store::accounts_of(&path).unwrap(), vec![admin]);
    Store::open(&path, Unlock::Account("quản trị", "mật khẩu cũ")).unwrap();
}

#[test]
fn the_account_of_an_audit_entry_cannot_be_changed_unseen() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = new_register(dir.path());
    let store = Store::open(&path, Unlock::Passphrase("mật khẩu quản trị")).unwrap();
    let w = |account: &str| bvte_store::WriteCtx {
        origin: bvte_store::Origin::Cli,
        author: "Nguyễn Thị Hòa".into(),
        account: account.into(),
        now: now(),
    };
    // An entry from before accounts (no account) and two after.
    for account in ["", "Nguyễn Thị Hòa", "Lê Văn Nam"] {
        store
            .audit(
                &w(account),
                bvte_store::AuditAction::ViewChild,
                "child:x",
                "",
            )
            .unwrap();
    }
    assert_eq!(store.verify_audit().unwrap().first_broken, None);
    let entries = store.audit_entries(0, 10, None).unwrap();
    assert_eq!(
        entries
            .iter()
            .map(|e| e.account.as_str())
            .collect::<Vec<_>>(),
        ["", "Nguyễn Thị Hòa", "Lê Văn Nam"]
    );
    store
        .debug_execute(
            "DROP TRIGGER audit_log_append_only_update;
             UPDATE audit_log SET account = 'Nguyễn Thị Hòa' WHERE seq = 3;",
        )
        .unwrap();
    let (seq, why) = store.verify_audit().unwrap().first_broken.unwrap();
    assert_eq!(seq, 3);
    assert_eq!(why, "nội dung bị sửa");
}
