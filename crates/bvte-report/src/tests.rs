//! One test per figure, on records built by hand; every expected count is worked out in the
//! test from the records it builds, with the records at a boundary said so.

use crate::*;
use bvte_domain::case::{AbuseForm, Case, CaseCategory, CaseData, Channel, Environment};
use bvte_domain::child::{
    Carer, CarerRelation, Child, ChildData, Disability, DisabilityLevel, EstimatedAge,
    ResidenceStatus, Sex,
};
use bvte_domain::ethnicity::Ethnicity;
use bvte_domain::event::*;
use bvte_domain::groups::{Group, SpecialCircumstance};
use bvte_domain::time::from_local;
use bvte_domain::{CaseId, ChildId, EventId, Instant};
use chrono::NaiveDate;
use serde_json::Value;

mod late;
mod plan_cycles;
mod records;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Vietnam wall-clock time.
fn at(y: i32, m: u32, d: u32, h: u32, mi: u32) -> Instant {
    from_local(day(y, m, d).and_hms_opt(h, mi, 0).unwrap())
}

/// October 2026 (no public holiday in it), reported on 30 November 2026.
fn october() -> Period {
    Period::new(day(2026, 10, 1), day(2026, 10, 31), now()).unwrap()
}

fn now() -> Instant {
    at(2026, 11, 30, 12, 0)
}

fn data(dob: NaiveDate, sex: Sex) -> ChildData {
    ChildData {
        full_name: "Nguyễn Thị Bí Mật".into(),
        date_of_birth: Some(dob),
        estimated_age: None,
        sex,
        ethnicity: Some(Ethnicity {
            system: "121-TCTK".into(),
            code: "01".into(),
        }),
        personal_id: Some("001234567890".into()),
        residence_status: ResidenceStatus::ThuongTru,
        commune_code: "09955".into(),
        village: "Thôn 1".into(),
        carers: vec![],
        special_circumstances: vec![],
        at_risk: false,
        disability: None,
        schooling: None,
        notes: "Ghi chú riêng tư".into(),
        home: None,
    }
}

fn child(d: ChildData) -> Child {
    Child {
        id: ChildId::generate(),
        data: d,
        created_at: at(2026, 1, 1, 8, 0),
        updated_at: at(2026, 1, 1, 8, 0),
    }
}

fn input(children: &[Child], cases: &[ReportCase]) -> ReportInput {
    ReportInput {
        commune_code: "09955".into(),
        children: children.iter().map(ReportChild::from_child).collect(),
        cases: cases.to_vec(),
    }
}

fn report(i: &ReportInput) -> Report {
    build(i, &october(), bvte_domain::reference::calendar(), now())
}

fn case_of(child: ChildId, received_at: Instant, category: CaseCategory) -> Case {
    Case {
        id: CaseId::generate(),
        data: CaseData {
            child_id: child,
            received_at,
            category,
            abuse_forms: vec![],
            environment: Environment::Family,
            incident_commune: "09955".into(),
            residence_commune: "09955".into(),
            incident_place: "Nhà ông Bí Mật".into(),
            channel: Channel::Hotline111,
            summary: "Tóm tắt có tên Bí Mật".into(),
        },
        created_at: received_at,
    }
}

fn ev(case: &Case, t: Instant, step: Step) -> CaseEvent {
    CaseEvent {
        id: EventId::generate(),
        case_id: case.id,
        occurred_at: t,
        recorded_at: t,
        author: "Cán bộ A".into(),
        step,
    }
}

fn rc(case: &Case, events: &[CaseEvent]) -> ReportCase {
    ReportCase::new(case, events)
}

fn closed(reason: CloseReason) -> Step {
    Step::Closed(Closed {
        reason: Some(reason),
        note: String::new(),
        ..Default::default()
    })
}

#[test]
fn a_period_must_not_end_before_it_starts_nor_lie_in_the_future() {
    let e = Period::new(day(2026, 10, 31), day(2026, 10, 1), now()).unwrap_err();
    assert_eq!(e.code(), "period_inverted");
    assert!(
        e.message_vi().contains("trước ngày bắt đầu"),
        "{}",
        e.message_vi()
    );
    // Today (30/11 in Vietnam) is allowed; tomorrow is not.
    assert!(Period::new(day(2026, 11, 1), day(2026, 11, 30), now()).is_ok());
    let e = Period::new(day(2026, 11, 1), day(2026, 12, 1), now()).unwrap_err();
    assert_eq!(e.code(), "future_date");
    assert!(e.message_vi().contains("01/12/2026"), "{}", e.message_vi());
    // 30/11 23:30 UTC is already 1 December in Vietnam: 1 December is then today.
    let late = chrono::DateTime::parse_from_rfc3339("2026-11-30T23:30:00Z")
        .unwrap()
        .to_utc();
    assert!(Period::new(day(2026, 12, 1), day(2026, 12, 1), late).is_ok());
}

#[test]
fn children_total_counts_the_register_at_the_periods_end() {
    let born_on_last_day = child(data(day(2026, 10, 31), Sex::Male)); // counted: born in time
    let born_after = child(data(day(2026, 11, 1), Sex::Male)); // not yet born at the end
    let mut added_later = child(data(day(2020, 1, 1), Sex::Female));
    added_later.created_at = at(2026, 11, 1, 0, 0); // recorded after the period
    let mut added_on_last_second = child(data(day(2020, 1, 1), Sex::Female));
    added_on_last_second.created_at = at(2026, 10, 31, 23, 59); // still in it
    let seventeen = child(data(day(2009, 6, 1), Sex::Female)); // 17 on 31/10/2026
    let eighteen = child(data(day(2008, 10, 31), Sex::Female)); // 18 on the last day: out
    let deleted = child(data(day(2015, 1, 1), Sex::Male));
    let mut i = input(
        &[
            born_on_last_day,
            born_after,
            added_later,
            added_on_last_second,
            seventeen,
            eighteen,
        ],
        &[],
    );
    i.children.push(ReportChild::deleted(&deleted));
    let r = report(&i);
    // born_on_last_day, added_on_last_second, seventeen.
    assert_eq!(r.children.total, 3);
    assert_eq!(r.children.under_16, 2, "the 17-year-old is not under 16");
    assert_eq!(r.children.by_age_band["16_17"], 1);
}

#[test]
fn children_by_residence_sex_and_ethnicity() {
    let mut kids = vec![];
    for (res, sex, eth) in [
        (ResidenceStatus::ThuongTru, Sex::Male, Some("01")),
        (ResidenceStatus::ThuongTru, Sex::Female, Some("01")),
        (ResidenceStatus::TamTru, Sex::Female, Some("04")),
        (ResidenceStatus::ChuaRo, Sex::Unknown, None),
    ] {
        let mut d = data(day(2018, 3, 3), sex);
        d.residence_status = res;
        d.ethnicity = eth.map(|c| Ethnicity {
            system: "121-TCTK".into(),
            code: c.into(),
        });
        kids.push(child(d));
    }
    let c = report(&input(&kids, &[])).children;
    assert_eq!(c.by_residence["thuong_tru"], 2);
    assert_eq!(c.by_residence["tam_tru"], 1);
    assert_eq!(c.by_residence["chua_ro"], 1);
    assert_eq!(c.by_residence["noi_o_hien_tai"], 0, "every code is listed");
    assert_eq!(c.by_sex["male"], 1);
    assert_eq!(c.by_sex["female"], 2);
    assert_eq!(c.by_sex["unknown"], 1);
    assert_eq!(c.by_ethnicity["01"], 2);
    assert_eq!(c.by_ethnicity["04"], 1);
    assert_eq!(c.by_ethnicity["unknown"], 1);
    assert_eq!(c.by_ethnicity["54"], 0, "every ethnic group is listed");
    assert_eq!(c.by_residence.values().sum::<u64>(), c.total);
}

#[test]
fn children_by_age_band_at_the_periods_end() {
    let six_on_last_day = child(data(day(2020, 10, 31), Sex::Male)); // 6 → 6_10
    let six_next_day = child(data(day(2020, 11, 1), Sex::Male)); // still 5 → 0_5
    let eleven = child(data(day(2015, 10, 1), Sex::Male)); // 11 → 11_15
    let fifteen = child(data(day(2011, 1, 1), Sex::Male)); // 15 → 11_15
    let mut estimated = data(day(2000, 1, 1), Sex::Male);
    estimated.date_of_birth = None;
    estimated.estimated_age = Some(EstimatedAge {
        years: 8,
        as_of: day(2026, 6, 1),
    }); // born about 01/06/2018 → 8 → 6_10
    let mut unknown = data(day(2000, 1, 1), Sex::Male);
    unknown.date_of_birth = None;
    let kids = [
        six_on_last_day,
        six_next_day,
        eleven,
        fifteen,
        child(estimated),
        child(unknown),
    ];
    let c = report(&input(&kids, &[])).children;
    assert_eq!(c.by_age_band["0_5"], 1);
    assert_eq!(c.by_age_band["6_10"], 2);
    assert_eq!(c.by_age_band["11_15"], 2);
    assert_eq!(c.by_age_band["16_17"], 0);
    assert_eq!(c.by_age_band["unknown"], 1);
    assert_eq!(
        c.by_age_band.values().sum::<u64>(),
        c.total,
        "bands partition"
    );
}

fn sc(
    group: Group,
    subgroup: Option<u8>,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> SpecialCircumstance {
    SpecialCircumstance {
        group,
        subgroup,
        since,
        until,
    }
}

#[test]
fn children_by_group_and_subgroup_on_the_last_day() {
    let mut a = data(day(2016, 1, 1), Sex::Male);
    // Two memberships of group c (sub-groups 1 and 3): counted once in c, once in each.
    a.special_circumstances = vec![
        sc(Group::C, Some(1), None, None),
        sc(Group::C, Some(3), Some(day(2026, 10, 31)), None), // starts on the last day
        sc(Group::Dd, None, None, None),
    ];
    let mut b = data(day(2016, 1, 1), Sex::Male);
    b.special_circumstances = vec![
        sc(Group::C, Some(1), None, Some(day(2026, 10, 30))), // ended before the last day
        sc(Group::K, Some(2), Some(day(2026, 11, 1)), None),  // starts after the period
    ];
    let mut c = data(day(2016, 1, 1), Sex::Male);
    c.special_circumstances = vec![sc(Group::C, None, None, None)]; // sub-group unknown
    let f = report(&input(&[child(a), child(b), child(c)], &[])).children;
    assert_eq!(f.by_group["c"], 2, "a and c");
    assert_eq!(f.by_group["c_1"], 1, "a only: b's membership ended");
    assert_eq!(f.by_group["c_3"], 1);
    assert_eq!(f.by_group["dd"], 1);
    assert_eq!(f.by_group["k"], 0);
    assert_eq!(f.by_group["k_2"], 0);
    assert_eq!(
        f.in_special_circumstances, 2,
        "b is in no group on the last day"
    );
    assert!(f.by_group.contains_key("o_3") && f.by_group.contains_key("i"));
    assert!(!f.by_group.contains_key("i_1"), "group i has no sub-groups");
}

fn parent(relation: CarerRelation, deceased: bool) -> Carer {
    Carer {
        relation,
        full_name: "Cha Mẹ Bí Mật".into(),
        birth_year: None,
        occupation: String::new(),
        phone: "0912345678".into(),
        address: String::new(),
        deceased,
        lives_with_child: false,
    }
}

#[test]
fn disabled_double_orphans_and_at_risk() {
    let mut recorded = data(day(2016, 1, 1), Sex::Male);
    recorded.disability = Some(Disability {
        level: DisabilityLevel::Mild,
        note: String::new(),
    });
    let mut group_d = data(day(2016, 1, 1), Sex::Male);
    group_d.special_circumstances = vec![sc(Group::D, Some(2), None, None)];
    let mut both_dead = data(day(2016, 1, 1), Sex::Male);
    both_dead.carers = vec![
        parent(CarerRelation::Father, true),
        parent(CarerRelation::Mother, true),
    ];
    both_dead.at_risk = true;
    let mut one_dead = data(day(2016, 1, 1), Sex::Male);
    one_dead.carers = vec![
        parent(CarerRelation::Father, true),
        parent(CarerRelation::Mother, false),
    ];
    one_dead.at_risk = true;
    let mut group_a_ended = data(day(2016, 1, 1), Sex::Male);
    group_a_ended.special_circumstances = vec![sc(Group::A, Some(3), None, Some(day(2026, 9, 1)))]; // adopted in September
    let kids = [recorded, group_d, both_dead, one_dead, group_a_ended].map(child);
    let f = report(&input(&kids, &[])).children;
    assert_eq!(f.disabled, 2, "recorded disability, group d");
    assert_eq!(f.double_orphans, 1, "only both_dead; one_dead has a mother");
    assert_eq!(f.at_risk, 2);
}

/// Cases around October: one received before it and still open, one closed before it, one in
/// it, one on its first and last seconds, one after it.
#[test]
fn cases_received_open_at_end_and_handled() {
    let kid = child(data(day(2016, 1, 1), Sex::Female));
    let id = kid.id;
    let still_open = case_of(id, at(2026, 9, 10, 9, 0), CaseCategory::Abused);
    let closed_before = case_of(id, at(2026, 8, 1, 9, 0), CaseCategory::Abused);
    let closed_ev = ev(
        &closed_before,
        at(2026, 8, 10, 9, 0),
        closed(CloseReason::Unfounded),
    );
    let first_second = case_of(id, at(2026, 10, 1, 0, 0), CaseCategory::AtRiskViolence);
    let last_second = case_of(id, october().end(), CaseCategory::AtRiskViolence);
    let closed_in = case_of(
        id,
        at(2026, 10, 5, 9, 0),
        CaseCategory::SpecialCircumstances,
    );
    let closed_in_ev = ev(
        &closed_in,
        at(2026, 10, 6, 9, 0),
        closed(CloseReason::NoInterventionNeeded),
    );
    let after = case_of(id, at(2026, 11, 1, 0, 0), CaseCategory::Abused);
    let cases = [
        rc(&still_open, &[]),
        rc(&closed_before, &[closed_ev]),
        rc(&first_second, &[]),
        rc(&last_second, &[]),
        rc(&closed_in, &[closed_in_ev]),
        rc(&after, &[]),
    ];
    let f = report(&input(&[kid], &cases)).cases;
    assert_eq!(f.received, 3, "first second, last second, closed_in");
    assert_eq!(f.handled, 4, "the three, and still_open from September");
    assert_eq!(f.open_at_end, 3, "all but closed_in");
    assert_eq!(f.closed, 1);
    assert_eq!(f.by_category["at_risk_violence"], 2);
    assert_eq!(f.by_category["special_circumstances"], 1);
    assert_eq!(
        f.by_category["abused"], 0,
        "still_open was received in September"
    );
}

#[test]
fn cases_by_abuse_form_environment_and_channel() {
    let kid = child(data(day(2016, 1, 1), Sex::Female));
    let mut a = case_of(kid.id, at(2026, 10, 2, 9, 0), CaseCategory::Abused);
    a.data.abuse_forms = vec![AbuseForm::Violence, AbuseForm::SexualAbuse];
    a.data.environment = Environment::School;
    a.data.channel = Channel::School;
    let mut b = case_of(kid.id, at(2026, 10, 3, 9, 0), CaseCategory::Abused);
    b.data.abuse_forms = vec![AbuseForm::Violence];
    b.data.environment = Environment::Online;
    b.data.channel = Channel::Mailbox;
    let mut before = case_of(kid.id, at(2026, 9, 3, 9, 0), CaseCategory::Abused);
    before.data.abuse_forms = vec![AbuseForm::Neglect]; // open, but received before October
    let cases = [rc(&a, &[]), rc(&b, &[]), rc(&before, &[])];
    let f = report(&input(&[kid], &cases)).cases;
    assert_eq!(f.by_abuse_form["violence"], 2);
    assert_eq!(f.by_abuse_form["sexual_abuse"], 1);
    assert_eq!(f.by_abuse_form["neglect"], 0);
    assert_eq!(f.by_environment["school"], 1);
    assert_eq!(f.by_environment["online"], 1);
    assert_eq!(f.by_environment["family"], 0);
    assert_eq!(f.by_channel["school"], 1);
    assert_eq!(f.by_channel["mailbox"], 1);
    assert_eq!(f.by_channel["hotline_111"], 0);
    assert_eq!(f.by_channel.values().sum::<u64>(), f.received);
}

fn initial(serious: bool) -> Step {
    Step::InitialAssessment(InitialAssessment {
        serious_risk: serious,
        ..Default::default()
    })
}

#[test]
fn cases_by_stage_at_the_periods_end_ignore_later_steps() {
    let kid = child(data(day(2016, 1, 1), Sex::Female));
    let a = case_of(kid.id, at(2026, 10, 5, 9, 0), CaseCategory::Abused);
    let a_ev = [
        ev(&a, at(2026, 10, 5, 10, 0), initial(false)),
        // Recorded later as happening in November: not part of October's picture.
        ev(
            &a,
            at(2026, 11, 3, 10, 0),
            Step::DetailedAssessment(Default::default()),
        ),
    ];
    let b = case_of(kid.id, at(2026, 10, 6, 9, 0), CaseCategory::Abused);
    let c = case_of(kid.id, at(2026, 9, 6, 9, 0), CaseCategory::Abused);
    let c_ev = [
        ev(&c, at(2026, 9, 6, 10, 0), initial(false)),
        ev(
            &c,
            at(2026, 9, 7, 10, 0),
            Step::DetailedAssessment(Default::default()),
        ),
        ev(
            &c,
            at(2026, 10, 20, 10, 0),
            Step::Transferred(Default::default()),
        ),
    ];
    let cases = [rc(&a, &a_ev), rc(&b, &[]), rc(&c, &c_ev)];
    let f = report(&input(&[kid], &cases)).cases;
    assert_eq!(
        f.by_stage["initial_assessed"], 1,
        "a: its detailed assessment is in November"
    );
    assert_eq!(f.by_stage["received"], 1, "b");
    assert_eq!(f.by_stage["transferred"], 1, "c, transferred in October");
    assert_eq!(f.by_stage["planning"], 0);
    assert_eq!(f.transferred, 1);
    assert_eq!(f.open_at_end, 2);
    assert_eq!(f.by_stage.values().sum::<u64>(), f.handled);
}

/// Case A (Monday 05/10 09:00): initial assessment in 6 hours (met), serious risk, emergency
/// measures the next morning (12-hour limit 05/10 21:00 missed); its plan and approval limits
/// are guidance in an emergency (Decree 56 Art 28 k1, k4 "trừ trường hợp khẩn cấp") and are not
/// counted. Case C (the same day, no emergency): plan submitted 09/10 (limit 12/10, met: Art 28
/// k1 is met by the submission) and approved 20/10 (limit Tue 13/10, late).
/// Case B (Friday 30/10 09:00): nothing done; its 12-hour limit (30/10 21:00) passed in the
/// period, its plan limit (06/11) is after it.
#[test]
fn deadlines_met_and_overdue_in_the_period() {
    let kid = child(data(day(2016, 1, 1), Sex::Female));
    let a = case_of(kid.id, at(2026, 10, 5, 9, 0), CaseCategory::Abused);
    let a_ev = [
        ev(&a, at(2026, 10, 5, 15, 0), initial(true)),
        ev(
            &a,
            at(2026, 10, 6, 8, 0),
            Step::EmergencyMeasures(Default::default()),
        ),
        ev(
            &a,
            at(2026, 10, 7, 8, 0),
            Step::DetailedAssessment(Default::default()),
        ),
        ev(
            &a,
            at(2026, 10, 9, 8, 0),
            Step::PlanDrafted(Default::default()),
        ),
        ev(
            &a,
            at(2026, 10, 9, 10, 0),
            Step::PlanSubmitted(Default::default()),
        ),
        ev(
            &a,
            at(2026, 10, 20, 10, 0),
            Step::PlanApproved(Default::default()),
        ),
    ];
    let c = case_of(kid.id, at(2026, 10, 5, 9, 0), CaseCategory::Abused);
    let c_ev: Vec<CaseEvent> = a_ev[2..]
        .iter()
        .map(|e| ev(&c, e.occurred_at, e.step.clone()))
        .chain([ev(&c, at(2026, 10, 5, 15, 0), initial(false))])
        .collect();
    let b = case_of(kid.id, at(2026, 10, 30, 9, 0), CaseCategory::Abused);
    let cases = [rc(&a, &a_ev), rc(&b, &[]), rc(&c, &c_ev)];
    let d = report(&input(&[kid], &cases)).cases.deadlines;
    let count = |rule: &str| (d[rule].met, d[rule].overdue, d[rule].pending);
    assert!(
        !d.contains_key("initial_assessment_12h"),
        "the initial assessment's 12 hours are guidance, not a legal limit (issue 15 item 9)"
    );
    assert_eq!(
        count("emergency_12h"),
        (0, 1, 0),
        "a late; b has no serious risk"
    );
    assert_eq!(
        count("plan_5_working_days"),
        (1, 0, 0),
        "c met it by submitting; a's is guidance (emergency); b's limit is in November"
    );
    assert_eq!(
        count("approval_2_working_days"),
        (0, 1, 0),
        "c late; a's is guidance"
    );
    assert_eq!(count("separation_15_days"), (0, 0, 0));
}

/// When the period ends today, a limit later today is still running: serious risk found at
/// 09:00 on a report received at 08:00 gives emergency measures until 20:00 (Art 31 k2).
#[test]
fn a_deadline_later_today_is_pending() {
    let kid = child(data(day(2016, 1, 1), Sex::Female));
    let morning = case_of(kid.id, at(2026, 11, 30, 8, 0), CaseCategory::Abused);
    let found = [ev(&morning, at(2026, 11, 30, 9, 0), initial(true))];
    let period = Period::new(day(2026, 11, 1), day(2026, 11, 30), now()).unwrap();
    let r = build(
        &input(&[kid], &[rc(&morning, &found)]),
        &period,
        bvte_domain::reference::calendar(),
        now(), // 12:00; the limit is 20:00
    );
    let d = r.cases.deadlines["emergency_12h"];
    assert_eq!((d.met, d.overdue, d.pending), (0, 0, 1));
    assert!(r.completeness.iter().all(|g| g.kind != "case_overdue"));
}

#[test]
fn emergency_measures_separations_plans_closures_in_the_period() {
    let kid = child(data(day(2016, 1, 1), Sex::Female));
    let sep = || {
        Step::SeparationDecided(SeparationDecided {
            days: 10,
            ..Default::default()
        })
    };
    let continue_ = Step::Review(Review {
        proposal: Some(ReviewProposal::Continue),
        ..Default::default()
    });
    // h: emergency measures and a separation in October: one case with emergency measures.
    let h = case_of(kid.id, at(2026, 10, 2, 9, 0), CaseCategory::Abused);
    let h_ev = [
        ev(&h, at(2026, 10, 2, 12, 0), initial(true)),
        ev(
            &h,
            at(2026, 10, 2, 13, 0),
            Step::EmergencyMeasures(Default::default()),
        ),
        ev(&h, at(2026, 10, 2, 14, 0), sep()),
        ev(
            &h,
            at(2026, 10, 8, 14, 0),
            Step::PlanApproved(Default::default()),
        ),
    ];
    // g: received in September; emergency measures in September (not counted), plan approved in
    // October, review starting a new cycle in October, approval again in November (not counted).
    let g = case_of(kid.id, at(2026, 9, 2, 9, 0), CaseCategory::Abused);
    let g_ev = [
        ev(
            &g,
            at(2026, 9, 2, 12, 0),
            Step::EmergencyMeasures(Default::default()),
        ),
        ev(
            &g,
            at(2026, 10, 1, 8, 0),
            Step::PlanApproved(Default::default()),
        ),
        ev(&g, at(2026, 10, 25, 8, 0), continue_),
        ev(
            &g,
            at(2026, 11, 5, 8, 0),
            Step::PlanApproved(Default::default()),
        ),
    ];
    // e: plan completed in October; f: closed as unfounded in October; x: closed in November.
    let e = case_of(kid.id, at(2026, 9, 1, 9, 0), CaseCategory::Abused);
    let e_ev = [ev(
        &e,
        at(2026, 10, 10, 9, 0),
        closed(CloseReason::PlanCompleted),
    )];
    let f = case_of(kid.id, at(2026, 10, 11, 9, 0), CaseCategory::Abused);
    let f_ev = [ev(
        &f,
        at(2026, 10, 12, 9, 0),
        closed(CloseReason::Unfounded),
    )];
    let x = case_of(kid.id, at(2026, 10, 11, 9, 0), CaseCategory::Abused);
    let x_ev = [ev(
        &x,
        at(2026, 11, 2, 9, 0),
        closed(CloseReason::Unfounded),
    )];
    let cases = [
        rc(&h, &h_ev),
        rc(&g, &g_ev),
        rc(&e, &e_ev),
        rc(&f, &f_ev),
        rc(&x, &x_ev),
    ];
    let c = report(&input(&[kid], &cases)).cases;
    assert_eq!(c.emergency_measures, 1, "h only; g's were in September");
    assert_eq!(c.separations, 1);
    assert_eq!(
        c.plans_approved, 2,
        "h and g in October; g's November approval is out"
    );
    assert_eq!(c.plans_repeated, 1);
    assert_eq!(c.plans_ended, 1, "e");
    assert_eq!(c.closed, 2, "e and f; x closed in November");
    assert_eq!(c.transferred, 0);
    assert_eq!(c.open_at_end, 3, "h, g, x");
}

/// 0101: three distinct abused children in October; one of them twice (family, then online).
#[test]
fn indicator_0101_abused_children_by_sex_age_and_environment() {
    let girl_7 = child(data(day(2019, 5, 1), Sex::Female)); // 7 at receipt
    let boy_12 = child(data(day(2014, 5, 1), Sex::Male));
    let boy_5 = child(data(day(2021, 5, 1), Sex::Male));
    let at_risk_girl = child(data(day(2015, 5, 1), Sex::Female));
    let mut one = case_of(girl_7.id, at(2026, 10, 3, 9, 0), CaseCategory::Abused);
    one.data.environment = Environment::Family;
    let mut two = case_of(girl_7.id, at(2026, 10, 20, 9, 0), CaseCategory::Abused);
    two.data.environment = Environment::Online;
    let mut three = case_of(boy_12.id, at(2026, 10, 4, 9, 0), CaseCategory::Abused);
    three.data.environment = Environment::School;
    let four = case_of(boy_5.id, at(2026, 10, 31, 23, 0), CaseCategory::Abused); // family
    let not_abused = case_of(
        at_risk_girl.id,
        at(2026, 10, 4, 9, 0),
        CaseCategory::AtRiskViolence,
    );
    let september = case_of(
        at_risk_girl.id,
        at(2026, 9, 30, 23, 0),
        CaseCategory::Abused,
    );
    let cases = [one, two, three, four, not_abused, september].map(|c| rc(&c, &[]));
    let r = report(&input(&[girl_7, boy_12, boy_5, at_risk_girl], &cases));
    let i = &r.indicators[0];
    assert_eq!(i.code, "0101");
    assert_eq!(i.value, 3);
    assert_eq!(i.breakdowns["sex"]["female"], 1);
    assert_eq!(i.breakdowns["sex"]["male"], 2);
    assert_eq!(i.breakdowns["age_band"]["0_5"], 1);
    assert_eq!(i.breakdowns["age_band"]["6_10"], 1);
    assert_eq!(i.breakdowns["age_band"]["11_15"], 1);
    assert_eq!(i.breakdowns["environment"]["family"], 2, "girl_7 and boy_5");
    assert_eq!(i.breakdowns["environment"]["online"], 1);
    assert_eq!(i.breakdowns["environment"]["school"], 1);
    assert_eq!(i.breakdowns["environment"]["community"], 0);
}

#[test]
fn completeness_lists_gaps_by_id_only() {
    let complete = child(data(day(2016, 1, 1), Sex::Female));
    let mut no_dob = data(day(2016, 1, 1), Sex::Female);
    no_dob.date_of_birth = None;
    no_dob.estimated_age = Some(EstimatedAge {
        years: 9,
        as_of: day(2026, 1, 1),
    });
    let no_dob = child(no_dob);
    let mut no_residence = data(day(2016, 1, 1), Sex::Female);
    no_residence.residence_status = ResidenceStatus::ChuaRo;
    no_residence.village = "  ".into();
    let no_residence = child(no_residence);
    // Received Sunday 20/09, nothing done since: its 12-hour and 5-working-day limits passed.
    let stuck = case_of(complete.id, at(2026, 9, 20, 9, 0), CaseCategory::Abused);
    // Received and closed in time: nothing to fix.
    let done = case_of(complete.id, at(2026, 10, 5, 9, 0), CaseCategory::Abused);
    let done_ev = [
        ev(&done, at(2026, 10, 5, 10, 0), initial(false)),
        ev(
            &done,
            at(2026, 10, 5, 11, 0),
            closed(CloseReason::NoInterventionNeeded),
        ),
    ];
    let kids = [complete.clone(), no_dob.clone(), no_residence.clone()];
    let r = report(&input(&kids, &[rc(&stuck, &[]), rc(&done, &done_ev)]));
    let got: Vec<(&str, String, Option<&str>)> = r
        .completeness
        .iter()
        .map(|g| (g.kind, g.id.clone(), g.rule))
        .collect();
    let (nd, nr, s) = (
        no_dob.id.to_string(),
        no_residence.id.to_string(),
        stuck.id.to_string(),
    );
    assert_eq!(
        got,
        vec![
            ("child_no_birth_date", nd, None),
            ("child_no_residence", nr.clone(), None),
            ("child_no_village", nr, None),
            ("case_overdue", s, Some("plan_5_working_days")),
        ]
    );
    assert_eq!(r.completeness[3].stage, Some("received"));
}

/// The names, the personal id, the carers' phone, the notes and the case's free text that the
/// records hold appear nowhere in the report.
#[test]
fn no_name_or_private_detail_reaches_the_report() {
    let mut d = data(day(2016, 1, 1), Sex::Female);
    d.carers = vec![parent(CarerRelation::Mother, false)];
    let kid = child(d);
    let case = case_of(kid.id, at(2026, 10, 5, 9, 0), CaseCategory::Abused);
    let i = input(
        &[kid],
        &[rc(
            &case,
            &[ev(&case, at(2026, 10, 5, 10, 0), initial(false))],
        )],
    );
    let text = serde_json::to_string(&report(&i)).unwrap();
    for secret in [
        "Bí Mật",
        "001234567890",
        "0912345678",
        "Ghi chú riêng tư",
        "Cán bộ A",
    ] {
        assert!(!text.contains(secret), "{secret} leaked");
        assert!(
            !format!("{i:?}").contains(secret),
            "{secret} is still in the input"
        );
    }
}

/// The JSON paths documented in docs/json.md exist with the right types.
#[test]
fn json_keys_are_stable() {
    let v: Value = serde_json::to_value(report(&input(&[], &[]))).unwrap();
    assert_eq!(v["format"], "bvte-report-v1");
    assert_eq!(v["provisional"], true);
    assert_eq!(v["period"]["from"], "2026-10-01");
    assert_eq!(v["period"]["to"], "2026-10-31");
    for path in [
        "/children/total",
        "/children/under_16",
        "/children/by_residence/thuong_tru",
        "/children/by_sex/female",
        "/children/by_age_band/16_17",
        "/children/by_ethnicity/01",
        "/children/by_group/a_4",
        "/children/by_group/dd",
        "/children/in_special_circumstances",
        "/children/disabled",
        "/children/double_orphans",
        "/children/at_risk",
        "/cases/received",
        "/cases/handled",
        "/cases/open_at_end",
        "/cases/by_category/abused",
        "/cases/by_abuse_form/trafficking",
        "/cases/by_environment/online",
        "/cases/by_channel/hotline_111",
        "/cases/by_stage/awaiting_approval",
        "/cases/deadlines/emergency_12h/met",
        "/cases/deadlines/plan_5_working_days/overdue",
        "/cases/deadlines/separation_15_days/pending",
        "/cases/emergency_measures",
        "/cases/separations",
        "/cases/plans_approved",
        "/cases/plans_repeated",
        "/cases/plans_ended",
        "/cases/closed",
        "/cases/transferred",
        "/indicators/0/breakdowns/environment/school",
    ] {
        assert_eq!(v.pointer(path), Some(&Value::from(0)), "{path}");
    }
    assert!(v["completeness"].as_array().unwrap().is_empty());
}

#[test]
fn period_errors_name_the_option_to_fix() {
    let e = Period::new(day(2026, 10, 31), day(2026, 10, 1), now()).unwrap_err();
    assert!(
        e.message_vi().starts_with("Ngày cuối kỳ báo cáo (--to)"),
        "{}",
        e.message_vi()
    );
    let e = Period::new(day(2026, 12, 5), day(2026, 12, 6), now()).unwrap_err();
    assert!(e.message_vi().contains("(--from)"), "{}", e.message_vi());
}

#[path = "layout_tests.rs"]
mod layout_tests;
