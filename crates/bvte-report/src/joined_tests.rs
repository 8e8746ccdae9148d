//! An area's report from its communes' inputs, without copying them, is the report of their
//! joined input: the same figures, deadlines, indicators and gaps, and each is their sum.

use crate::{ReportCase, ReportChild, ReportInput, build, build_joined};
use bvte_domain::case::{Case, CaseCategory, CaseData, Channel, Environment};
use bvte_domain::child::{Child, ChildData, ChildInput, ValidationContext};
use bvte_domain::time::from_unix_millis;
use bvte_domain::{CaseId, ChildId};
use serde_json::json;

fn commune(code: &str, born: &[&str]) -> ReportInput {
    let at = from_unix_millis(1_790_000_000_000).unwrap();
    let children: Vec<Child> = born
        .iter()
        .map(|dob| {
            let input: ChildInput = serde_json::from_value(json!({
                "full_name": "Lò Văn A", "date_of_birth": dob, "sex": "male",
                "residence_status": "thuong_tru", "village": "Thôn 1", "commune_code": code
            }))
            .unwrap();
            let ctx = ValidationContext {
                today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                default_commune: code.into(),
            };
            let data: ChildData = input.validate(&ctx).unwrap();
            Child {
                id: ChildId::generate(),
                data,
                created_at: at,
                updated_at: at,
            }
        })
        .collect();
    let cases: Vec<ReportCase> = children
        .iter()
        .take(1)
        .map(|c| {
            let case = Case {
                id: CaseId::generate(),
                data: CaseData {
                    child_id: c.id,
                    received_at: from_unix_millis(1_793_000_000_000).unwrap(),
                    category: CaseCategory::Abused,
                    abuse_forms: vec![],
                    environment: Environment::School,
                    incident_commune: code.into(),
                    residence_commune: code.into(),
                    incident_place: String::new(),
                    channel: Channel::Hotline111,
                    summary: String::new(),
                },
                created_at: from_unix_millis(1_793_000_000_000).unwrap(),
            };
            ReportCase::new(&case, &[]).kept_by(code)
        })
        .collect();
    ReportInput {
        commune_code: code.into(),
        children: children.iter().map(ReportChild::from_child).collect(),
        cases,
    }
}

#[test]
fn an_areas_report_from_its_communes_is_the_report_of_their_joined_records() {
    let a = commune("09955", &["2015-01-02", "2020-06-30", "2012-11-11"]);
    let b = commune("00004", &["2019-03-04", "2024-12-25"]);
    let now = from_unix_millis(1_796_000_000_000).unwrap();
    let period = crate::Period::new(
        chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        now,
    )
    .unwrap();
    let cal = bvte_domain::reference::calendar();
    let joined = build(&ReportInput::joined("", &[&a, &b]), &period, cal, now);
    let parts = build_joined("", &[&a, &b], &period, cal, now);
    assert_eq!(parts, joined);
    assert_eq!(parts.children.total, 5);
    assert_eq!(parts.cases.received, 2);
    let (ra, rb) = (build(&a, &period, cal, now), build(&b, &period, cal, now));
    assert_eq!(parts.children.total, ra.children.total + rb.children.total);
    assert_eq!(
        parts.completeness.len(),
        ra.completeness.len() + rb.completeness.len()
    );
}
