//! Building the input from records: whose records a commune's report counts, and the area's.

use super::*;
use std::collections::BTreeSet;

const A: &str = "09955";
const B: &str = "00004";

fn in_commune(commune: &str, sex: Sex) -> Child {
    child(ChildData {
        commune_code: commune.into(),
        ..data(day(2015, 5, 1), sex)
    })
}

#[test]
fn a_commune_counts_its_children_and_their_cases_with_their_steps_only() {
    let a = in_commune(A, Sex::Female);
    // A child moved from A to B: A's register still holds the record, naming B.
    let moved = in_commune(B, Sex::Male);
    let case_a = case_of(a.id, at(2026, 10, 5, 9, 0), CaseCategory::Abused);
    let case_moved = case_of(moved.id, at(2026, 10, 6, 9, 0), CaseCategory::Abused);
    // A case whose child is not in the register.
    let orphan = case_of(
        ChildId::generate(),
        at(2026, 10, 7, 9, 0),
        CaseCategory::Abused,
    );
    let step = ev(&case_a, at(2026, 10, 5, 10, 0), closed(CloseReason::Other));
    let (children, cases) = (
        [a.clone(), moved.clone()],
        [case_a.clone(), case_moved, orphan],
    );
    let events = [step.clone()];
    let records = Records {
        children: &children,
        cases: &cases,
        events: &events,
    };

    let of_a = records.commune_input(A);
    assert_eq!(of_a.commune_code, A);
    assert_eq!(
        of_a.children
            .iter()
            .map(ReportChild::id)
            .collect::<Vec<_>>(),
        vec![a.id]
    );
    assert_eq!(of_a.cases, vec![rc(&case_a, &[step])]);
    let r = report(&of_a);
    assert_eq!(
        (r.children.total, r.cases.received, r.cases.closed),
        (1, 1, 1)
    );

    let of_b = report(&records.commune_input(B));
    assert_eq!((of_b.children.total, of_b.cases.received), (1, 1));
    assert_eq!(of_b.children.by_sex["male"], 1, "the moved boy counts in B");
}

#[test]
fn the_area_counts_each_commune_once_and_equals_the_sum_of_its_communes() {
    let children = [
        in_commune(A, Sex::Female),
        in_commune(A, Sex::Male),
        in_commune(B, Sex::Female),
        in_commune("00007", Sex::Female),
    ];
    let cases = [
        case_of(children[0].id, at(2026, 10, 5, 9, 0), CaseCategory::Abused),
        case_of(children[2].id, at(2026, 10, 6, 9, 0), CaseCategory::Abused),
    ];
    let records = Records {
        children: &children,
        cases: &cases,
        events: &[],
    };
    let area: BTreeSet<String> = [A.to_owned(), B.to_owned()].into();
    let whole = report(&records.area_input("", &area));
    let (ra, rb) = (
        report(&records.commune_input(A)),
        report(&records.commune_input(B)),
    );
    assert_eq!(whole.children.total, ra.children.total + rb.children.total);
    assert_eq!(
        whole.children.total, 3,
        "the commune outside the area is left out"
    );
    assert_eq!(whole.cases.received, ra.cases.received + rb.cases.received);
    assert_eq!(
        whole.indicators[0].value,
        ra.indicators[0].value + rb.indicators[0].value
    );
    for (k, v) in &whole.children.by_sex {
        assert_eq!(*v, ra.children.by_sex[k] + rb.children.by_sex[k], "{k}");
    }
}
