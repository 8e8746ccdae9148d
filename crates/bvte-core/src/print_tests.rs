//! Tests of `print.rs`.
use super::*;
use bvte_store::KdfParams;

fn session() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let now = crate::now();
    let (s, _) = Session::init(
        &dir.path().join("x.db"),
        "mật khẩu thử in",
        "09955",
        "Lê Thị Hồng Nhung",
        KdfParams {
            m_kib: 256,
            t: 1,
            p: 1,
        },
        now,
    )
    .unwrap();
    (dir, s)
}

fn full_case(s: &mut Session) -> CaseId {
    let now = crate::now();
    let child: bvte_domain::child::ChildInput = serde_json::from_value(json!({
        "full_name": "Nguyễn Thị Bích Ngọc", "date_of_birth": "05/09/2015", "sex": "female",
        "residence_status": "thuong_tru", "village": "Thôn Đông",
        "carers": [{"relation": "father", "full_name": "Nguyễn Văn Ưng", "birth_year": 1985, "occupation": "Làm ruộng"},
                   {"relation": "mother", "full_name": "Đặng Thị Hoa"}]
    }))
    .unwrap();
    let child = s.add_child(&child, now).unwrap();
    let received = (now - chrono::Duration::days(30)).to_rfc3339();
    let input: bvte_domain::case::CaseInput = serde_json::from_value(json!({
        "child_id": child.child.id.to_string(), "received_at": received, "category": "abused",
        "abuse_forms": ["violence"], "environment": "family", "channel": "hotline_111",
        "reporter": {"full_name": "Người Báo Tin Kín", "phone": "0912345678", "address": ""},
        "intake": {"child_condition": "Có vết bầm ở tay"}
    }))
    .unwrap();
    let id = s.open_case(&input, now).unwrap().id;
    let at = |d: i64| (now - chrono::Duration::days(d)).to_rfc3339();
    for step in [
        json!({"step": "initial_assessment", "occurred_at": at(29), "data": {"serious_risk": true, "caused_by_parent_or_carer": true,
            "criteria": [{"criterion": "harm_severity", "level": "high", "note": "Nhiều vết bầm"}], "conclusion": "Nguy cơ cao"}}),
        json!({"step": "separation_decided", "occurred_at": at(29), "data": {"decision_no": "5", "grounds": "by_parent_or_carer",
            "separated_from": ["father"], "days": 10, "shelter": "Nhà bà ngoại", "carer": "Bà ngoại",
            "decided_by": "Trần Văn Quyết", "decision_commune": "09955"}}),
        json!({"step": "detailed_assessment", "occurred_at": at(25), "data": {"condition": "Ổn định", "plan_needed": true}}),
        json!({"step": "plan_drafted", "occurred_at": at(24), "data": {"goals": "An toàn",
            "activities": [{"service": "Tư vấn", "start": "2026-01-01", "cost": 1500000}], "monitoring": "Hằng tuần"}}),
        json!({"step": "needs_meeting", "occurred_at": at(24), "data": {"participants": "Chủ tịch UBND xã", "conclusions": "Tư vấn"}}),
        json!({"step": "plan_submitted", "occurred_at": at(24)}),
        json!({"step": "plan_approved", "occurred_at": at(23), "data": {"decision_no": "7/QĐ-UBND", "approver": "Chủ tịch"}}),
        json!({"step": "review", "occurred_at": at(1), "data": {"proposal": "end", "reasons": "Ổn định",
            "harm": [{"criterion": "harm_severity", "level": "low"}]}}),
    ] {
        let input: bvte_domain::event::StepInput = serde_json::from_value(step).unwrap();
        s.record_step(id, &input, now).unwrap();
    }
    id
}

#[test]
fn every_path_a_template_reads_exists_in_the_tree_of_a_full_case() {
    let (_d, mut s) = session();
    let id = full_case(&mut s);
    let templates = Templates::embedded();
    for t in templates.iter() {
        let data = s.form_data(t, id, crate::now()).unwrap();
        for path in t.paths() {
            // Optional values the fixture leaves out, and the report number the store has not.
            if [
                "case.report_no",
                "child.estimated_age",
                "steps.emergency_measures",
            ]
            .iter()
            .any(|p| path.starts_with(p))
            {
                continue;
            }
            let pointer = format!("/{}", path.replace('.', "/"));
            assert!(
                data.pointer(&pointer).is_some(),
                "Mẫu {} reads {path}, which core does not provide",
                t.form
            );
        }
        let reporter = data.get("reporter").is_some();
        assert_eq!(
            reporter,
            t.form == "01",
            "the reporter is in the tree of Mẫu 01 only"
        );
    }
}

#[test]
fn the_tree_carries_labels_local_times_and_derived_values() {
    let (_d, mut s) = session();
    let id = full_case(&mut s);
    let t = Templates::embedded().get("07").unwrap();
    let d = s.form_data(t, id, crate::now()).unwrap();
    assert_eq!(d["commune"]["place"], "Thạch Thất");
    assert_eq!(d["commune"]["name_in_text"], "xã Thạch Thất");
    assert_eq!(
        d["settings"]["commune_header"],
        "ỦY BAN NHÂN DÂN XÃ THẠCH THẤT"
    );
    assert_eq!(d["case"]["category_title"], "BỊ XÂM HẠI");
    assert!(
        d["case"]["received_at"]
            .as_str()
            .unwrap()
            .ends_with("+07:00")
    );
    assert_eq!(d["child"]["father"]["full_name"], "Nguyễn Văn Ưng");
    assert_eq!(
        d["child"]["address"],
        "Thôn Đông, Xã Thạch Thất, Thành phố Hà Nội"
    );
    let sep = &d["steps"]["separation_decided"]["data"];
    assert_eq!(sep["separated_from_names"], "Nguyễn Văn Ưng");
    assert_eq!(sep["separated_from_carer"], false);
    // Decree 56 Art 32 k2: Mẫu 07 is signed by the chair who decided, for the commune recorded.
    assert_eq!(sep["signer"], "Trần Văn Quyết");
    assert_eq!(sep["decision_commune_name"], "Xã Thạch Thất");
    assert!(
        sep["grounds_label"]
            .as_str()
            .unwrap()
            .starts_with("Trẻ em bị xâm hại")
    );
    assert_eq!(d["steps"]["plan_drafted"]["data"]["total_cost"], 1_500_000);
    assert_eq!(
        d["steps"]["review"]["data"]["harm"][0]["level_label"],
        "Thấp"
    );
}

#[test]
fn forms_apply_once_their_step_is_recorded() {
    let (_d, mut s) = session();
    let now = crate::now();
    let child: bvte_domain::child::ChildInput = serde_json::from_value(json!({
        "full_name": "Trần Văn An", "date_of_birth": "01/01/2016", "sex": "male", "residence_status": "thuong_tru"
    }))
    .unwrap();
    let child = s.add_child(&child, now).unwrap();
    let input: bvte_domain::case::CaseInput = serde_json::from_value(json!({
        "child_id": child.child.id.to_string(), "category": "at_risk_violence",
        "environment": "family", "channel": "phone"
    }))
    .unwrap();
    let id = s.open_case(&input, now).unwrap().id;
    let forms: Vec<String> = s
        .applicable_forms(id)
        .unwrap()
        .into_iter()
        .map(|f| f.form)
        .collect();
    assert_eq!(forms, ["01"], "a new case has only its report");
    let err = s.print_form(id, "02", now).unwrap_err();
    assert_eq!(err.code(), "form_not_applicable");
    assert!(
        err.to_string().contains("Đánh giá nguy cơ ban đầu"),
        "{err}"
    );
    let err = s.print_form(id, "09", now).unwrap_err();
    assert_eq!(err.code(), "unknown_form");
    let pdf = s.print_form(id, "1", now).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(s.print_blank("03").unwrap().starts_with(b"%PDF"));
    assert!(
        blank_form(Templates::embedded(), "07")
            .unwrap()
            .starts_with(b"%PDF")
    );
}

#[test]
fn the_residence_of_a_child_with_none_registered_is_printed_as_recorded() {
    let (_d, mut s) = session();
    let now = crate::now();
    for (code, address) in [
        (
            "noi_o_hien_tai",
            "Thôn Đông, Xã Thạch Thất, Thành phố Hà Nội (nơi ở hiện tại, chưa đăng ký thường trú, tạm trú)",
        ),
        (
            "chua_ro",
            "chưa rõ (trẻ đang ở Thôn Đông, Xã Thạch Thất, Thành phố Hà Nội)",
        ),
    ] {
        let child: bvte_domain::child::ChildInput = serde_json::from_value(json!({
            "full_name": format!("Trẻ {code}"), "estimated_age": {"years": 1}, "sex": "unknown",
            "residence_status": code, "village": "Thôn Đông"
        }))
        .unwrap();
        let child = s.add_child(&child, now).unwrap();
        let input: bvte_domain::case::CaseInput = serde_json::from_value(json!({
            "child_id": child.child.id.to_string(), "category": "special_circumstances",
            "environment": "community", "channel": "police"
        }))
        .unwrap();
        let id = s.open_case(&input, now).unwrap().id;
        let t = Templates::embedded().get("01").unwrap();
        let d = s.form_data(t, id, now).unwrap();
        assert_eq!(d["child"]["address"], address, "{code}");
    }
}

/// A child who lives in another commune (issue 15 item 3): the forms give its residence as its
/// home address and commune, and where it is in this commune.
#[test]
fn the_residence_of_a_child_living_elsewhere_is_its_home() {
    let (_d, mut s) = session();
    let now = crate::now();
    let child: bvte_domain::child::ChildInput = serde_json::from_value(json!({
        "full_name": "Lò Văn Pá", "estimated_age": {"years": 9}, "sex": "male",
        "residence_status": "khong_cu_tru", "village": "Thôn Đông",
        "home": {"commune_code": "00004", "address": "Tổ dân phố 7"}
    }))
    .unwrap();
    let child = s.add_child(&child, now).unwrap();
    let input: bvte_domain::case::CaseInput = serde_json::from_value(json!({
        "child_id": child.child.id.to_string(), "category": "abused", "abuse_forms": ["violence"],
        "environment": "community", "channel": "police"
    }))
    .unwrap();
    let view = s.open_case(&input, now).unwrap();
    assert_eq!(
        view.residence_commune, "00004",
        "planned by the home commune"
    );
    let t = Templates::embedded().get("01").unwrap();
    let d = s.form_data(t, view.id, now).unwrap();
    assert_eq!(
        d["child"]["address"],
        "Tổ dân phố 7, Phường Ba Đình, Thành phố Hà Nội (trẻ đang ở Thôn Đông, Xã Thạch Thất, Thành phố Hà Nội)"
    );
}
