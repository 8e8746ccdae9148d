//! Completeness before sending (issue 11): a step dated within its legal limit but entered
//! after the limit had passed is listed, so the officer can explain it before the report counts
//! the limit as met.

use super::*;

/// Emergency measures taken at 15:00, within the 12 hours that run from the 08:00 report (Decree
/// 56 Art 31 k2), recorded `recorded` later.
fn emergency_case(kid: &Child, recorded: Instant) -> (Case, Vec<CaseEvent>) {
    let c = case_of(kid.id, at(2026, 10, 5, 8, 0), CaseCategory::Abused);
    let mut measures = ev(
        &c,
        at(2026, 10, 5, 15, 0),
        Step::EmergencyMeasures(Default::default()),
    );
    measures.recorded_at = recorded;
    let events = vec![ev(&c, at(2026, 10, 5, 9, 0), initial(true)), measures];
    (c, events)
}

#[test]
fn a_step_entered_after_its_limit_passed_is_listed_and_one_entered_in_time_is_not() {
    let kid = child(data(day(2016, 1, 1), Sex::Female));
    let (late, late_ev) = emergency_case(&kid, at(2026, 10, 6, 10, 0));
    let (in_time, in_time_ev) = emergency_case(&kid, at(2026, 10, 5, 15, 30));
    let r = report(&input(
        &[kid],
        &[rc(&late, &late_ev), rc(&in_time, &in_time_ev)],
    ));
    let d = r.cases.deadlines["emergency_12h"];
    assert_eq!((d.met, d.overdue), (2, 0), "both are met, as dated");
    let listed: Vec<(&str, String, Option<&str>)> = r
        .completeness
        .iter()
        .filter(|g| g.kind == "step_recorded_late")
        .map(|g| (g.kind, g.id.clone(), g.rule))
        .collect();
    assert_eq!(
        listed,
        vec![(
            "step_recorded_late",
            late.id.to_string(),
            Some("emergency_12h")
        )]
    );
    let gap = r
        .completeness
        .iter()
        .find(|g| g.kind == "step_recorded_late")
        .unwrap();
    assert_eq!(gap.record, "case");
    assert!(
        gap.label_vi().contains("sau khi đã quá hạn"),
        "{}",
        gap.label_vi()
    );
}
