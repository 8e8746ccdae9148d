//! Accounts and roles on the real `bvte` binary (issue 14): the local admin adds an officer and
//! a leader, each signs in with their own passphrase (`BVTE_ACCOUNT`), the backend refuses what
//! a role may not do (exit 9, in Vietnamese), a removed account no longer opens the register,
//! the recovery code still does, and the audit trail names the account of every entry and the
//! wrong passphrases before a sign-in.

mod common;

use common::{Out, child, run};
use serde_json::Value;
use std::path::PathBuf;

const ADMIN: &str = "mật khẩu của quản trị";
const OFFICER: &str = "mật khẩu của cán bộ";
const LEADER: &str = "mật khẩu của lãnh đạo";

struct Register {
    _dir: tempfile::TempDir,
    db: PathBuf,
    code: String,
}

impl Register {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("xa.db");
        let out = run(
            &[
                "init",
                "--db",
                db.to_str().unwrap(),
                "--commune",
                "09955",
                "--officer",
                "Nguyễn Thị Hòa",
                "--json",
            ],
            None,
            ADMIN,
            &[],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let code = out.json()["recovery_code"].as_str().unwrap().to_string();
        Self {
            _dir: dir,
            db,
            code,
        }
    }

    /// Runs `args` on the register as `account` (none: no `BVTE_ACCOUNT`) with `pass`.
    fn as_(&self, account: Option<&str>, pass: &str, args: &[&str], env: &[(&str, &str)]) -> Out {
        let mut a = args.to_vec();
        a.extend(["--db", self.db.to_str().unwrap()]);
        let mut e = env.to_vec();
        if let Some(name) = account {
            e.push(("BVTE_ACCOUNT", name));
        }
        run(&a, None, pass, &e)
    }
}

fn names(v: &Value) -> Vec<(String, String)> {
    v["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_string(),
                a["role"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_admin_manages_accounts_and_each_role_is_refused_what_it_may_not_do() {
    let r = Register::new();
    // The officer who set the register up is its local admin; one account needs no name.
    let out = r.as_(None, ADMIN, &["account", "list", "--json"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        names(&out.json()),
        [("Nguyễn Thị Hòa".to_string(), "admin".to_string())]
    );

    for (name, role, pass) in [
        ("Lê Văn Nam", "officer", OFFICER),
        ("Trần Thị Mai", "leader", LEADER),
    ] {
        let out = r.as_(
            Some("Nguyễn Thị Hòa"),
            ADMIN,
            &["account", "add", name, "--role", role, "--json"],
            &[("BVTE_NEW_PASSPHRASE", pass)],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    // A name taken whatever its case; an unknown role.
    let out = r.as_(
        Some("Nguyễn Thị Hòa"),
        ADMIN,
        &["account", "add", "LÊ VĂN NAM", "--role", "leader"],
        &[("BVTE_NEW_PASSPHRASE", "một mật khẩu khác")],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("Đã có tài khoản “Lê Văn Nam”"),
        "{}",
        out.stderr
    );
    let out = r.as_(
        Some("Nguyễn Thị Hòa"),
        ADMIN,
        &["account", "add", "Ai Đó", "--role", "chu-tich"],
        &[("BVTE_NEW_PASSPHRASE", "một mật khẩu khác")],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("Không có vai trò"), "{}", out.stderr);

    // Several accounts: a passphrase alone does not say whose it is.
    let out = r.as_(None, ADMIN, &["child", "list", "--json"], &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("BVTE_ACCOUNT"), "{}", out.stderr);

    // The officer records (the name typed in any case); may not manage accounts.
    let a = [
        "child",
        "add",
        "--json",
        "-",
        "--db",
        r.db.to_str().unwrap(),
    ];
    let doc = child("Nguyễn Thị Dũng", "05/09/2015").to_string();
    let added = run(&a, Some(&doc), OFFICER, &[("BVTE_ACCOUNT", "lê văn nam")]);
    assert_eq!(added.code, 0, "{}", added.stderr);
    let child_id = added.json()["id"].as_str().unwrap().to_string();
    let out = r.as_(Some("Lê Văn Nam"), OFFICER, &["account", "list"], &[]);
    assert_eq!(out.code, 9, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "Vai trò “Cán bộ bảo vệ trẻ em” không được quản lý tài khoản. Hãy nhờ người quản trị"
        ),
        "{}",
        out.stderr
    );

    // The leader reads; may not add a child.
    let out = run(&a, Some(&doc), LEADER, &[("BVTE_ACCOUNT", "Trần Thị Mai")]);
    assert_eq!(out.code, 9, "{}", out.stderr);
    assert!(out.stderr.contains("Lãnh đạo UBND xã"), "{}", out.stderr);
    assert_eq!(out.json()["error"]["code"], "refused");
    let out = r.as_(
        Some("Trần Thị Mai"),
        LEADER,
        &["child", "show", &child_id, "--json"],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);

    // A wrong passphrase for the officer's account: exit 5, and entered at the next sign-in.
    let out = r.as_(
        Some("Lê Văn Nam"),
        "không phải mật khẩu",
        &["child", "list"],
        &[],
    );
    assert_eq!(out.code, 5, "{}", out.stderr);

    // The audit trail names the account of each entry.
    let out = r.as_(
        Some("Nguyễn Thị Hòa"),
        ADMIN,
        &["audit", "list", "--json", "--limit", "500"],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let entries = out.json();
    let entries = entries.as_array().unwrap();
    let of = |action: &str, account: &str| {
        entries
            .iter()
            .any(|e| e["action"] == action && e["account"] == account)
    };
    assert!(of("change", "Lê Văn Nam"), "{entries:#?}");
    assert!(of("view_child", "Trần Thị Mai"));
    assert!(of("refused", "Trần Thị Mai"));
    assert!(of("account", "Nguyễn Thị Hòa"));
    let failed = entries
        .iter()
        .find(|e| e["action"] == "sign_in_failed")
        .expect("the wrong passphrase is entered");
    assert!(
        failed["detail"]
            .as_str()
            .unwrap()
            .contains("tài khoản: Lê Văn Nam"),
        "{failed}"
    );
    for e in entries {
        assert!(
            !e.to_string().contains("Dũng"),
            "no child's name in the trail: {e}"
        );
    }
    let out = r.as_(Some("Nguyễn Thị Hòa"), ADMIN, &["audit", "verify"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);

    // A removed account's passphrase no longer opens the register; the recovery code does.
    let out = r.as_(
        Some("Nguyễn Thị Hòa"),
        ADMIN,
        &["account", "remove", "Lê Văn Nam", "--json"],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(names(&out.json()).len(), 2);
    let out = r.as_(Some("Lê Văn Nam"), OFFICER, &["child", "list"], &[]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.contains("Không có tài khoản “Lê Văn Nam”"),
        "{}",
        out.stderr
    );
    let out = r.as_(
        None,
        "",
        &["child", "list", "--json"],
        &[("BVTE_RECOVERY_CODE", &r.code)],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The last local admin stays.
    let out = r.as_(
        Some("Nguyễn Thị Hòa"),
        ADMIN,
        &["account", "remove", "nguyễn thị hòa"],
        &[],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("tài khoản quản trị cuối cùng"),
        "{}",
        out.stderr
    );
}

#[test]
fn each_account_changes_its_own_passphrase_and_only_the_admin_another_s() {
    let r = Register::new();
    let out = r.as_(
        None,
        ADMIN,
        &["account", "add", "Trần Thị Mai", "--role", "leader"],
        &[("BVTE_NEW_PASSPHRASE", LEADER)],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The leader may not set the admin's passphrase…
    let out = r.as_(
        Some("Trần Thị Mai"),
        LEADER,
        &["account", "passphrase", "Nguyễn Thị Hòa"],
        &[("BVTE_NEW_PASSPHRASE", "mật khẩu chiếm quyền")],
    );
    assert_eq!(out.code, 9, "{}", out.stderr);
    // …but sets her own.
    let out = r.as_(
        Some("Trần Thị Mai"),
        LEADER,
        &["account", "passphrase"],
        &[("BVTE_NEW_PASSPHRASE", "mật khẩu mới của lãnh đạo")],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = r.as_(Some("Trần Thị Mai"), LEADER, &["child", "list"], &[]);
    assert_eq!(
        out.code, 5,
        "the old passphrase no longer opens: {}",
        out.stderr
    );
    let out = r.as_(
        Some("Trần Thị Mai"),
        "mật khẩu mới của lãnh đạo",
        &["child", "list"],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The admin's passphrase is untouched.
    let out = r.as_(Some("Nguyễn Thị Hòa"), ADMIN, &["child", "list"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}
