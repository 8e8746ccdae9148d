//! Issue 14: the permission matrix as the use cases apply it. Each account signs in with its
//! own passphrase; what its role may not do is refused by the session itself (so by the app and
//! the CLI alike) with the Vietnamese message of `access`, and entered in the audit trail under
//! that account.

use bvte_core::accounts::NewAccount;
use bvte_core::app;
use bvte_core::lockout::Moment;
use bvte_core::{CoreError, Session};
use bvte_domain::child::ChildInput;
use bvte_domain::event::StepInput;
use bvte_domain::role::Role;
use bvte_domain::time::parse_instant;
use bvte_store::{KdfParams, Origin, Unlock};
use serde_json::json;
use std::path::Path;

const FAST: KdfParams = KdfParams {
    m_kib: 256,
    t: 1,
    p: 1,
};

fn now() -> bvte_domain::Instant {
    parse_instant("t", "2026-12-08 09:00").unwrap()
}

fn child() -> ChildInput {
    serde_json::from_value(json!({
        "full_name": "Đinh Văn Tú", "date_of_birth": "01/01/2015",
        "sex": "male", "residence_status": "thuong_tru"
    }))
    .unwrap()
}

fn register(db: &Path) -> bvte_domain::CaseId {
    let (mut admin, _) = Session::init(
        db,
        "mật khẩu quản trị",
        "09955",
        "Nguyễn Thị Hòa",
        FAST,
        now(),
    )
    .unwrap();
    for (name, role, pass) in [
        ("Lê Văn Nam", Role::Officer, "mật khẩu cán bộ"),
        ("Trần Thị Mai", Role::Leader, "mật khẩu lãnh đạo"),
    ] {
        admin
            .add_account(
                &NewAccount {
                    name: name.into(),
                    role,
                    passphrase: pass.into(),
                    passphrase_confirm: pass.into(),
                },
                now(),
            )
            .unwrap();
    }
    let c = admin.add_child(&child(), now()).unwrap().child;
    let input = serde_json::from_value(json!({
        "child_id": c.id.to_string(), "category": "abused", "abuse_forms": ["violence"],
        "environment": "family", "channel": "phone"
    }))
    .unwrap();
    admin.open_case(&input, now()).unwrap().id
}

fn as_(db: &Path, name: &str, pass: &str) -> Session {
    app::open(db, Unlock::Account(name, pass), Origin::Cli, &Moment::now()).unwrap()
}

fn refused<T: std::fmt::Debug>(r: Result<T, CoreError>) -> String {
    match r {
        Err(e @ CoreError::Refused(_)) => {
            assert_eq!(e.code(), "refused");
            e.to_string()
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn each_role_is_refused_by_the_session_what_it_may_not_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("xa.db");
    let case = register(&db);

    let mut leader = as_(&db, "trần thị mai", "mật khẩu lãnh đạo");
    assert_eq!(leader.account().role, Role::Leader);
    assert_eq!(
        leader.case_summaries(now()).unwrap().len(),
        1,
        "the leader reads"
    );
    let msg = refused(leader.add_child(&child(), now()));
    assert!(
        msg.starts_with("Vai trò “Lãnh đạo UBND xã” không được thêm, sửa, xóa hồ sơ trẻ em."),
        "{msg}"
    );
    // An officer's step is refused before its form is looked at…
    let step = |code: &str| StepInput {
        step: code.into(),
        occurred_at: None,
        data: json!({}),
    };
    refused(leader.record_step(case, &step("verification"), now()));
    // …while the chair's decision passes the role's check: the workflow answers (no plan yet).
    match leader.record_step(case, &step("plan_approved"), now()) {
        Err(CoreError::Refused(r)) => panic!("the leader records the chair's approval: {r:?}"),
        Err(_) => {}
        Ok(_) => panic!("no plan to approve yet"),
    }
    refused(leader.accounts());
    drop(leader);

    let mut officer = as_(&db, "Lê Văn Nam", "mật khẩu cán bộ");
    officer.add_child(&child(), now()).unwrap();
    refused(officer.accounts());
    refused(officer.audit_verdict());
    let settings = officer.settings().unwrap();
    refused(officer.save_settings(&settings));
    drop(officer);

    let admin = as_(&db, "Nguyễn Thị Hòa", "mật khẩu quản trị");
    let trail = admin.audit_trail(0, 1000, None).unwrap();
    let by = |action: &str, account: &str| {
        trail
            .iter()
            .any(|e| e.action == action && e.account == account)
    };
    assert!(by("change", "Lê Văn Nam"), "the officer's new child");
    assert!(by("refused", "Trần Thị Mai"));
    assert!(by("refused", "Lê Văn Nam"));
    assert!(by("sign_in", "Trần Thị Mai"));
    assert!(admin.verify_audit().unwrap().first_broken.is_none());
}

#[test]
fn the_status_tells_the_window_what_to_show() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("xa.db");
    register(&db);
    let locked = app::status(&db, None, &Moment::now());
    assert_eq!(locked.state, "locked");
    assert_eq!(
        locked.accounts.as_deref(),
        Some(
            &[
                "Nguyễn Thị Hòa".to_string(),
                "Lê Văn Nam".into(),
                "Trần Thị Mai".into()
            ][..]
        )
    );
    let leader = as_(&db, "Trần Thị Mai", "mật khẩu lãnh đạo");
    let st = app::status(&db, Some(&leader), &Moment::now());
    let allowed: Vec<String> = st.allowed.unwrap().iter().map(|a| a.to_string()).collect();
    assert!(allowed.contains(&"view_records".to_string()));
    assert!(allowed.contains(&"approve_decision".to_string()));
    assert!(!allowed.contains(&"edit_children".to_string()));
    assert_eq!(st.account.unwrap().name, "Trần Thị Mai");
    assert!(st.accounts.is_none());
}
