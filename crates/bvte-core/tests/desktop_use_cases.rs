//! The use cases behind the desktop window, on real temporary databases: set-up, unlocking with
//! lock-out, the overview's numbers, the children list rows, the profile's history, settings.

use bvte_core::app::{self, SetupInput};
use bvte_core::children::ChildQuery;
use bvte_core::error::{CoreError, Problem};
use bvte_core::lockout::Moment;
use bvte_domain::child::ChildInput;
use bvte_domain::time::parse_instant;
use serde_json::json;

fn now() -> bvte_domain::Instant {
    parse_instant("t", "2026-11-29 09:00").unwrap()
}

/// A moment known by the wall clock only: the lock-out's fallback after a restart.
fn at(t: bvte_domain::Instant) -> Moment {
    Moment::wall_only(t)
}

fn setup(dir: &std::path::Path, demo: bool) -> (std::path::PathBuf, bvte_core::Session, String) {
    let db = dir.join("bvte.db");
    let (s, code) = app::setup(
        &db,
        &SetupInput {
            commune_code: "09955".into(),
            officer_name: "Nguyễn Văn Cán Bộ".into(),
            chair_name: String::new(),
            passphrase: "mật khẩu dài đủ".into(),
            passphrase_confirm: "mật khẩu dài đủ".into(),
            load_demo: demo,
        },
        now(),
    )
    .unwrap();
    (db, s, code)
}

#[test]
fn set_up_refuses_mismatched_or_short_passphrases_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bvte.db");
    let mut input = SetupInput {
        commune_code: "09955".into(),
        officer_name: "A".into(),
        chair_name: String::new(),
        passphrase: "mật khẩu một".into(),
        passphrase_confirm: "mật khẩu hai".into(),
        load_demo: false,
    };
    let e = app::setup(&db, &input, now()).unwrap_err();
    assert_eq!(
        Problem::from(e).fields[0].field.as_deref(),
        Some("passphrase_confirm")
    );
    input.passphrase = "ngắn".into();
    input.passphrase_confirm = "ngắn".into();
    assert_eq!(
        app::setup(&db, &input, now()).unwrap_err().code(),
        "passphrase_too_short"
    );
    input.passphrase = "đủ dài rồi đấy".into();
    input.passphrase_confirm = "đủ dài rồi đấy".into();
    input.commune_code = "09958".into();
    let e = app::setup(&db, &input, now()).unwrap_err();
    assert!(e.to_string().contains("09955"), "names the successor: {e}");
    assert!(!db.exists());
    assert_eq!(app::status(&db, None, &at(now())).state, "setup");
}

#[test]
fn one_typo_is_forgiven_and_repeated_failures_make_the_officer_wait() {
    let dir = tempfile::tempdir().unwrap();
    let (db, s, code) = setup(dir.path(), false);
    drop(s);
    assert_eq!(app::status(&db, None, &at(now())).state, "locked");
    for i in 1..=4 {
        match app::unlock(&db, "sai", &at(now())) {
            Err(CoreError::WrongPassphrase {
                failures,
                retry_after_seconds: 0,
            }) => assert_eq!(failures, i),
            other => panic!("{other:?}"),
        }
    }
    match app::unlock(&db, "sai", &at(now())) {
        Err(CoreError::WrongPassphrase {
            failures: 5,
            retry_after_seconds: 30,
        }) => {}
        other => panic!("{other:?}"),
    }
    // Even the right passphrase waits until the time is up.
    match app::unlock(&db, "mật khẩu dài đủ", &at(now())) {
        Err(CoreError::LockedOut {
            retry_after_seconds: 30,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    let later = now() + chrono::Duration::seconds(31);
    let s = app::unlock(&db, "mật khẩu dài đủ", &at(later)).unwrap();
    assert_eq!(
        app::status(&db, Some(&s), &at(later)).failed_attempts,
        0,
        "a success clears the count"
    );
    drop(s);
    // The recovery code sets a new passphrase and is replaced by a new one.
    let (s, fresh) = app::recover(&db, &code, "mật khẩu mới tinh", &at(later)).unwrap();
    drop(s);
    assert_ne!(fresh, code);
    assert!(app::unlock(&db, "mật khẩu dài đủ", &at(later)).is_err());
    app::unlock(&db, "mật khẩu mới tinh", &at(later)).unwrap();
    assert_eq!(
        app::recover(&db, &code, "mật khẩu khác nữa", &at(later))
            .unwrap_err()
            .code(),
        "wrong_passphrase",
        "the code used no longer opens"
    );
    app::recover(&db, &fresh, "mật khẩu khác nữa", &at(later)).unwrap();
}

#[test]
fn the_overview_counts_every_breakdown_and_lists_due_deadlines() {
    let dir = tempfile::tempdir().unwrap();
    let (_db, s, _) = setup(dir.path(), true);
    let o = s.overview(now()).unwrap();
    assert_eq!(o.children_total, app::DEMO_CHILDREN as u64);
    assert_eq!(o.by_group.len(), 14, "all 14 groups, zeros included");
    assert_eq!(
        o.by_residence.iter().map(|c| c.count).sum::<u64>(),
        o.children_total,
        "every child is resident or temporary resident"
    );
    let d = o.by_group.iter().find(|g| g.code == "d").unwrap();
    assert!(
        d.count > 0 && d.count <= o.disabled,
        "group d children are counted as disabled"
    );
    assert!(o.open_cases > 0);
    assert!(
        o.due.iter().any(|d| d.overdue),
        "the demo has overdue deadlines"
    );
    let first_pending = o.due.iter().position(|d| !d.overdue).unwrap();
    assert!(
        o.due[..first_pending].iter().all(|d| d.overdue),
        "overdue first"
    );
    assert!(
        o.due[first_pending..]
            .windows(2)
            .all(|w| w[0].due_at <= w[1].due_at)
    );
    let by_stage: u64 = o.cases_by_stage.iter().map(|c| c.count).sum();
    assert_eq!(by_stage, s.case_summaries(now()).unwrap().len() as u64);
}

#[test]
fn list_rows_profile_history_and_settings() {
    let dir = tempfile::tempdir().unwrap();
    let (_db, mut s, _) = setup(dir.path(), false);
    let input: ChildInput = serde_json::from_value(json!({
        "full_name": "Trần Thị Bình", "date_of_birth": "10/10/2016", "sex": "female",
        "residence_status": "thuong_tru", "village": "Thôn Đông",
        "special_circumstances": [{"group": "d", "subgroup": 2}]
    }))
    .unwrap();
    let c = s.add_child(&input, now()).unwrap().child;
    let mut edited = input.clone();
    edited.village = Some("Thôn Đoài".into());
    s.update_child(c.id, &edited, now()).unwrap();
    let page = s
        .child_page(
            &ChildQuery {
                text: Some("tran binh".into()),
                limit: 10,
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].age, Some(10));
    assert_eq!(page.rows[0].groups, vec!["d"]);
    assert!(page.rows[0].disabled);
    let bad = s.child_page(
        &ChildQuery {
            group: Some("zz".into()),
            limit: 10,
            ..Default::default()
        },
        now(),
    );
    assert_eq!(bad.unwrap_err().code(), "unknown_code");
    let p = s.child_profile(c.id, now()).unwrap();
    assert_eq!(p.history.len(), 2);
    assert_eq!(
        p.history[0].fields,
        vec!["village"],
        "newest first, only what changed"
    );
    assert_eq!(p.history[0].author, "Nguyễn Văn Cán Bộ");
    assert_eq!(p.history[0].origin, "ui");
    let mut st = s.settings().unwrap();
    assert_eq!(st.commune_header, "ỦY BAN NHÂN DÂN XÃ THẠCH THẤT");
    assert_eq!(st.idle_lock_minutes, 10);
    st.idle_lock_minutes = 0;
    assert_eq!(s.save_settings(&st).unwrap_err().code(), "out_of_range");
    st.idle_lock_minutes = 5;
    st.officer_name = "Lê Thị Mới".into();
    assert_eq!(s.save_settings(&st).unwrap().idle_lock_minutes, 5);
    assert_eq!(
        s.author(),
        "Lê Thị Mới",
        "later changes carry the new officer"
    );
}

#[test]
fn commune_search_tells_the_dai_dongs_apart() {
    let hits = app::search_communes("dai dong");
    assert!(hits.len() >= 4);
    let provinces: std::collections::BTreeSet<&str> =
        hits.iter().map(|h| h.province_name.as_str()).collect();
    assert!(
        provinces.len() >= 4,
        "each Đại Đồng shows its province: {provinces:?}"
    );
    let old = app::search_communes("09958");
    assert_eq!(old[0].code, "09955");
    assert!(old[0].note.as_deref().unwrap_or("").contains("Đại Đồng"));
}

#[test]
fn a_clock_corrected_after_five_wrong_passphrases_never_locks_the_officer_out_for_a_year() {
    // The PC clock ran a year ahead while the officer mistyped five times; then someone put it
    // right. The wait must stay the rule's 30 seconds, counted from when the clock was seen to
    // go back, not a year.
    let dir = tempfile::tempdir().unwrap();
    let (db, s, _) = setup(dir.path(), false);
    drop(s);
    let ahead = now() + chrono::Duration::days(365);
    for _ in 0..5 {
        assert!(app::unlock(&db, "sai", &at(ahead)).is_err());
    }
    let corrected = now();
    let wait = app::status(&db, None, &at(corrected)).retry_after_seconds;
    assert!(
        wait.is_some_and(|w| (1..=30).contains(&w)),
        "at most the rule's first wait: {wait:?}"
    );
    let later = corrected + chrono::Duration::seconds(31);
    assert_eq!(app::status(&db, None, &at(later)).retry_after_seconds, None);
    app::unlock(&db, "mật khẩu dài đủ", &at(later)).expect("the right passphrase opens after 30 s");
}

/// Issue 14: "who saw this child's file?" — the trail filtered to one child lists the views of
/// its record and of its cases, and nothing about another child; pages follow one another.
#[test]
fn the_audit_view_answers_who_saw_a_childs_file() {
    use bvte_core::audit::AuditFilter;
    let dir = tempfile::tempdir().unwrap();
    let (_db, s, _) = setup(dir.path(), true);
    let cases = s.case_summaries(now()).unwrap();
    let case = &cases[0];
    let other = cases
        .iter()
        .find(|c| c.child_id != case.child_id)
        .expect("the demo has cases of two children");
    s.child_profile(case.child_id, now()).unwrap();
    s.case_view(case.id, now()).unwrap();
    s.child_profile(other.child_id, now()).unwrap();

    let page = s
        .audit_page(&AuditFilter {
            child: Some(case.child_id),
            ..Default::default()
        })
        .unwrap();
    let seen: Vec<(&str, &str)> = page
        .rows
        .iter()
        .filter(|r| r.action.starts_with("view_"))
        .map(|r| (r.action.as_str(), r.records[0].kind.as_str()))
        .collect();
    // Newest first: the case, then the child's record (the demo's own views come after).
    assert_eq!(seen[..2], [("view_case", "case"), ("view_child", "child")]);
    assert_eq!(page.rows[0].action_vi, "Xem vụ việc");
    assert_eq!(page.rows[0].actor, "Nguyễn Văn Cán Bộ");
    let other_id = other.child_id.to_string();
    assert!(
        page.rows
            .iter()
            .all(|r| r.records.iter().all(|x| x.id != other_id)),
        "nothing about another child"
    );
    // The demo's own changes to this child and its steps are there too, oldest last.
    assert!(
        page.rows
            .iter()
            .any(|r| r.action == "change" && r.records.iter().any(|x| x.kind == "case_event"))
    );

    // Only views, two per page, newest first, then the older page.
    let first = s
        .audit_page(&AuditFilter {
            action: Some("view_child".into()),
            limit: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(first.rows.len(), 1);
    assert_eq!(first.rows[0].records[0].id, other_id);
    let older = s
        .audit_page(&AuditFilter {
            action: Some("view_child".into()),
            limit: Some(1),
            before: first.next_before,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(older.rows[0].records[0].id, case.child_id.to_string());
    assert!(older.rows[0].seq < first.rows[0].seq);
    assert_eq!(older.next_before, None, "two views in all");

    let e = s
        .audit_page(&AuditFilter {
            action: Some("xem".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.code(), "unknown_code");
    let v = s.audit_verdict().unwrap();
    assert_eq!((v.first_broken, v.reason), (None, None));
    assert!(v.entries > 3);
}
