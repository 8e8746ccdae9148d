//! New plan cycles in the period (Decree 56 Art 30 k1 c): counted when the chair agrees to a
//! review's proposal to continue, not when the review proposes it.

use super::*;

fn review_continue() -> Step {
    Step::Review(Review {
        proposal: Some(ReviewProposal::Continue),
        ..Default::default()
    })
}

fn agreed() -> Step {
    Step::ContinuationApproved(Default::default())
}

/// A: reviewed in September, the chair agrees in October: one new plan in October. B: reviewed
/// in October, the chair agrees in November: none in October. C: reviewed in October, the
/// chair refuses (`plan_returned`): none. D: reviewed in October under the old rules, then the
/// new plan drafted in November with no recorded decision: counted in October, as before.
#[test]
fn a_new_plan_counts_when_the_chair_agrees_to_continue() {
    let kid = child(data(day(2016, 1, 1), Sex::Female));
    let approved = || Step::PlanApproved(Default::default());
    let case = |events: &[(Instant, Step)]| {
        let c = case_of(kid.id, at(2026, 8, 3, 9, 0), CaseCategory::Abused);
        let mut all = vec![ev(&c, at(2026, 8, 10, 9, 0), approved())];
        all.extend(events.iter().map(|(t, s)| ev(&c, *t, s.clone())));
        (c, all)
    };
    let (a, a_ev) = case(&[
        (at(2026, 9, 28, 9, 0), review_continue()),
        (at(2026, 10, 2, 9, 0), agreed()),
    ]);
    let (b, b_ev) = case(&[
        (at(2026, 10, 28, 9, 0), review_continue()),
        (at(2026, 11, 2, 9, 0), agreed()),
    ]);
    let (c, c_ev) = case(&[
        (at(2026, 10, 12, 9, 0), review_continue()),
        (
            at(2026, 10, 13, 9, 0),
            Step::PlanReturned(Default::default()),
        ),
    ]);
    let (d, d_ev) = case(&[
        (at(2026, 10, 20, 9, 0), review_continue()),
        (at(2026, 11, 3, 9, 0), Step::PlanDrafted(Default::default())),
    ]);
    let cases = [rc(&a, &a_ev), rc(&b, &b_ev), rc(&c, &c_ev), rc(&d, &d_ev)];
    let r = report(&input(std::slice::from_ref(&kid), &cases));
    assert_eq!(r.cases.plans_repeated, 2, "a, and d as before");
    // At the end of October b awaits the chair; so does d as its steps by then show it (its
    // new plan is drafted in November).
    assert_eq!(r.cases.by_stage["continuing"], 2, "b and d");
}
