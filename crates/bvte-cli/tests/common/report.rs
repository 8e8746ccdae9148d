//! A register for the report tests: children of every kind the report counts, one deleted
//! record, and three cases (two received in the last days, one with its steps; one a month and
//! a half ago). Returns the names and reporter details that must never appear in a report.

use super::{Env, child};
use serde_json::{Value, json};

const PASS: &str = "mật khẩu thử nghiệm";

/// Today in Vietnam.
pub fn today() -> chrono::NaiveDate {
    bvte_domain::time::local_date(chrono::Utc::now())
}

/// A register with children of every kind the report counts, one deleted record, and three
/// cases: two received in the last days (one with its steps), one a month and a half ago.
pub fn register() -> (Env, Vec<String>) {
    let env = Env::new(PASS, None);
    let mut names = vec![];
    let mut add = |v: Value| {
        names.push(v["full_name"].as_str().unwrap().to_string());
        env.add_child(v)
    };
    let mai = add(child("Trần Thị Mai", "2014-06-01"));
    let mut v = child("Lò Văn Páo", "2019-02-03");
    v["sex"] = json!("male");
    v["residence_status"] = json!("tam_tru");
    v["village"] = json!("Bản Mường");
    v["at_risk"] = json!(true);
    v["special_circumstances"] =
        json!([{"group": "c", "subgroup": 2}, {"group": "d", "subgroup": 1}]);
    let pao = add(v);
    let mut v = child("Hoàng Thị Lan", "2011-09-09");
    v["carers"] = json!([
        {"relation": "father", "full_name": "Hoàng Văn Cha", "deceased": true},
        {"relation": "mother", "full_name": "Nguyễn Thị Mẹ", "deceased": true}
    ]);
    v["disability"] = json!({"level": "mild"});
    add(v);
    let mut v = child("Đặng Văn Tú", "2020-12-12");
    v["sex"] = json!("male");
    v["special_circumstances"] = json!([{"group": "a", "subgroup": 3}]);
    add(v);
    let gone = add(child("Nhập Trùng Thị Mai", "2014-06-01"));
    env.ok(
        &["child", "delete", &gone, "--reason", "Nhập trùng", "--json"],
        None,
    );
    let open = |child: &str, hours_ago: i64, cat: &str, env_: &str, channel: &str| {
        let received = (chrono::Utc::now() - chrono::Duration::hours(hours_ago)).to_rfc3339();
        let v = env.ok(
            &["case", "open", "--json", "-"],
            Some(&json!({"child_id": child, "received_at": received, "category": cat,
                "abuse_forms": if cat == "abused" { json!(["violence"]) } else { json!([]) },
                "environment": env_, "channel": channel,
                "reporter": {"full_name": "Người Báo Tin Kín", "phone": "0987654321", "address": ""}})
            .to_string()),
        );
        v["id"].as_str().unwrap().to_string()
    };
    let first = open(&mai, 20, "abused", "family", "hotline_111");
    open(&pao, 30, "at_risk_violence", "school", "school");
    open(&mai, 24 * 45, "abused", "online", "mailbox");
    let at = (chrono::Utc::now() - chrono::Duration::hours(19)).to_rfc3339();
    env.ok(
        &["case", "step", &first, "--json", "-"],
        Some(
            &json!({"step": "initial_assessment", "occurred_at": at,
            "data": {"serious_risk": true, "conclusion": "Nguy cơ cao"}})
            .to_string(),
        ),
    );
    names.extend(["Người Báo Tin Kín".into(), "0987654321".into()]);
    (env, names)
}
