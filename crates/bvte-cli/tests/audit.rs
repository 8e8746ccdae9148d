//! Issue 14 with the real `bvte` binary: the audit trail answers "who saw this child's file?" —
//! views, changes, prints, exports, backups, sign-ins and wrong passphrases, by record id and
//! never by name — and `bvte audit verify` says whether it is intact, naming the first entry
//! that was tampered with.

mod common;

use common::{Env, child, run};
use serde_json::Value;

const PASS: &str = "mật khẩu nhật ký";

fn trail(env: &Env) -> Vec<Value> {
    env.ok(&["audit", "list", "--json"], None)
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn the_trail_says_who_saw_and_did_what_by_id_only_and_verifies() {
    let env = Env::new(PASS, Some("Cán bộ Lan"));
    let id = env.add_child(child("Nguyễn Văn Đức", "2015-05-05"));
    env.ok(&["child", "show", &id, "--json"], None);
    env.ok(&["export", "--json"], None);
    let list = env.path("danh-sach.xlsx");
    let out = env.run(&["child", "list", "--xlsx", list.to_str().unwrap()], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let backup = env.path("b.bvte-backup");
    env.ok(&["backup", "--out", backup.to_str().unwrap()], None);
    // A wrong passphrase, then the right one.
    let wrong = run(&["info", "--db", env.db()], None, "sai mật khẩu", &[]);
    assert_eq!(wrong.code, 5);
    env.ok(&["info", "--json"], None);

    let t = trail(&env);
    let has = |action: &str, target: &str| {
        t.iter()
            .any(|e| e["action"] == action && e["target"].as_str().unwrap_or("").contains(target))
    };
    assert!(has("change", &format!("child:{id}")), "the child added");
    assert!(
        has("view_child", &format!("child:{id}")),
        "the child's record shown"
    );
    assert!(has("export", "register"));
    assert!(has("export", "children_list"), "the list saved as .xlsx");
    assert!(has("backup", "register"));
    assert!(has("sign_in", "session"));
    let failed: Vec<_> = t
        .iter()
        .filter(|e| e["action"] == "sign_in_failed")
        .collect();
    assert_eq!(failed.len(), 1, "{t:?}");
    assert!(failed[0]["detail"].as_str().unwrap().contains("1 lần"));
    assert!(t.iter().all(|e| e["actor"] == "Cán bộ Lan"), "who: {t:?}");
    let text = serde_json::to_string(&t).unwrap();
    assert!(
        !text.contains("Đức") && !text.contains("Nguyễn"),
        "never a name: {text}"
    );

    // Only the views of that child's file.
    let views = env.ok(&["audit", "list", "--action", "view_child", "--json"], None);
    assert_eq!(views.as_array().unwrap().len(), 1);

    // "Who saw this child's file?": that child only, newest first; another child's view is not
    // listed.
    let other = env.add_child(child("Lò Thị Mây", "2016-06-06"));
    env.ok(&["child", "show", &other, "--json"], None);
    let mine = env.ok(&["audit", "record", "--child", &id, "--json"], None);
    let mine = mine.as_array().unwrap();
    assert!(mine.iter().any(|r| r["action"] == "view_child"
        && r["actor"] == "Cán bộ Lan"
        && r["records"][0]["id"] == id.as_str()));
    assert!(
        mine.windows(2)
            .all(|w| w[0]["seq"].as_i64() > w[1]["seq"].as_i64()),
        "newest first"
    );
    assert!(
        !serde_json::to_string(mine).unwrap().contains(&other),
        "nothing about another child"
    );
    let out = env.run(&["audit", "record", "--child", "khong-phai-ma"], None);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("trẻ em"), "{}", out.stderr);

    let out = env.run(&["audit", "verify"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("nguyên vẹn"), "{}", out.stdout);
    let v = env.ok(&["audit", "verify", "--json"], None);
    assert_eq!(v["intact"], true);
}

#[test]
fn a_tampered_trail_fails_verify_naming_the_first_broken_entry() {
    let env = Env::new(PASS, None);
    env.add_child(child("Nguyễn Văn Đức", "2015-05-05"));
    env.add_child(child("Trần Thị Hương", "2016-06-06"));
    // Someone holding the key rewrites who did entry 2.
    let s = bvte_store::Store::open(&env.db, bvte_store::Unlock::Passphrase(PASS)).unwrap();
    s.debug_execute(
        "DROP TRIGGER audit_log_append_only_update;
         UPDATE audit_log SET actor = 'người khác' WHERE seq = 2;",
    )
    .unwrap();
    drop(s);
    let out = env.run(&["audit", "verify"], None);
    assert_eq!(out.code, 7, "{}", out.stderr);
    assert!(out.stderr.contains("mục số 2"), "{}", out.stderr);
    let bad = env.run(&["audit", "list", "--action", "xem"], None);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("view_child"), "{}", bad.stderr);
}
