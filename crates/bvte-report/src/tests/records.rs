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
    assert_eq!(of_a.cases, vec![rc(&case_a, &[step]).kept_by(A)]);
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

/// Issue 15 item 3: a child who lives in B, harmed or found in A, is recorded by A (Decree 56
/// Art 25 k1, Art 26 k1) but is not one of A's children; A counts the case it keeps. Once the
/// case is handed over to B (Law on Children Art 52 k2), the record names B: B counts the child
/// and the case, which goes on there (not "transferred"); A counts neither.
#[test]
fn a_child_living_elsewhere_is_not_counted_among_the_communes_children() {
    use bvte_domain::child::{HomeResidence, ResidenceStatus};
    let resident = in_commune(A, Sex::Female);
    let visiting = child(ChildData {
        commune_code: A.into(),
        residence_status: ResidenceStatus::KhongCuTru,
        home: Some(HomeResidence {
            commune_code: B.into(),
            address: "Tổ 3".into(),
        }),
        ..data(day(2016, 2, 1), Sex::Male)
    });
    let case = case_of(visiting.id, at(2026, 10, 5, 9, 0), CaseCategory::Abused);
    let first = ev(&case, at(2026, 10, 5, 10, 0), initial(true));
    let children = [resident.clone(), visiting.clone()];
    let cases = [case.clone()];
    let events = [first.clone()];
    let records = Records {
        children: &children,
        cases: &cases,
        events: &events,
    };
    let of_a = report(&records.commune_input(A));
    assert_eq!(of_a.children.total, 1, "the resident only");
    assert_eq!(
        of_a.children.by_sex["male"], 0,
        "the visiting boy is not A's"
    );
    assert_eq!(of_a.children.by_residence.values().sum::<u64>(), 1);
    assert!(
        !of_a.children.by_residence.contains_key("khong_cu_tru"),
        "never counted, so not a breakdown of the register"
    );
    assert_eq!(of_a.cases.received, 1, "A received and handles the case");
    assert_eq!(report(&records.commune_input(B)).children.total, 0);

    // Handed over: the step, and the record moved home.
    let handed = ev(
        &case,
        at(2026, 10, 6, 9, 0),
        Step::Transferred(Transferred {
            to_commune: B.into(),
            note: String::new(),
        }),
    );
    let moved = Child {
        data: visiting.data.handed_over_home().unwrap(),
        ..visiting.clone()
    };
    let children = [resident, moved];
    let events = [first, handed];
    let records = Records {
        children: &children,
        cases: &cases,
        events: &events,
    };
    let (of_a, of_b) = (
        report(&records.commune_input(A)),
        report(&records.commune_input(B)),
    );
    assert_eq!((of_a.children.total, of_a.cases.received), (1, 0));
    assert_eq!((of_b.children.total, of_b.cases.received), (1, 1));
    assert_eq!(of_b.children.by_residence["chua_ro"], 1, "B verifies it");
    assert_eq!(of_b.cases.by_stage["transferred"], 0, "it goes on in B");
    assert_eq!(of_b.cases.by_stage["initial_assessed"], 1);
    assert_eq!(of_b.cases.open_at_end, 1);
}
