//! Property tests: the fold does not depend on the order events arrive in, any sequence of
//! admitted steps yields a consistent stage, and deadlines counted in working days never fall
//! on a day off.

mod common;

use bvte_domain::CaseId;
use bvte_domain::calendar::WorkingCalendar;
use bvte_domain::deadline::{DeadlineRule, deadlines};
use bvte_domain::event::*;
use bvte_domain::reference::calendar;
use bvte_domain::time::local_date;
use bvte_domain::workflow::{Stage, admit, fold, next_steps};
use chrono::{Duration, NaiveDate};
use common::*;
use proptest::prelude::*;

/// A random walk through the workflow: at each step pick one of the steps the law allows now.
fn walk(choices: &[(u8, u16, bool, u8)]) -> (CaseId, bvte_domain::time::Instant, Vec<CaseEvent>) {
    let id = CaseId::generate();
    let received = at("2026-01-05 08:00");
    let mut events = Vec::new();
    let mut t = received;
    for &(pick, minutes, flag, days) in choices {
        let state = fold(received, &events);
        // Ending a case is always allowed; take that exit rarely so walks go deep.
        let options: Vec<_> = next_steps(&state, t)
            .into_iter()
            .filter(|o| {
                pick < 6
                    || o.required
                    || !matches!(o.step, StepKind::Closed | StepKind::Transferred)
            })
            .collect();
        if options.is_empty() {
            break;
        }
        let kind = options[pick as usize % options.len()].step;
        let step = match kind {
            StepKind::InitialAssessment => initial(flag),
            StepKind::SeparationDecided => separation(1 + u32::from(days) % 15),
            StepKind::SeparationExtended => extend(1 + u32::from(days) % 6),
            StepKind::Review => review(if flag {
                ReviewProposal::End
            } else {
                ReviewProposal::Continue
            }),
            StepKind::Closed if state.stage() == Stage::Closing => {
                closed(CloseReason::PlanCompleted)
            }
            other => payload(other),
        };
        t += Duration::minutes(i64::from(minutes));
        if admit(&state, &step, t).is_ok() {
            events.push(ev(id, t, step));
        }
    }
    (id, received, events)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_fold_ignores_arrival_order(
        choices in prop::collection::vec((any::<u8>(), 1u16..3000, any::<bool>(), any::<u8>()), 1..40),
        seed in any::<u64>(),
    ) {
        let (_, received, events) = walk(&choices);
        let mut shuffled = events.clone();
        // Deterministic shuffle from the seed.
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(fold(received, &events), fold(received, &shuffled));
    }

    #[test]
    fn admitted_steps_give_a_consistent_stage(
        choices in prop::collection::vec((any::<u8>(), 1u16..3000, any::<bool>(), any::<u8>()), 1..40),
    ) {
        let (_, received, events) = walk(&choices);
        let s = fold(received, &events);
        let stage = s.stage();
        // The stage agrees with the milestones it is derived from.
        match stage {
            Stage::Received => prop_assert!(s.initial_assessment_at.is_none()),
            Stage::InitialAssessed => prop_assert!(s.initial_assessment_at.is_some() && s.detailed_assessment_at.is_none()),
            Stage::Planning => prop_assert!(s.plan_submitted_at.is_none() && s.plan_approved_at.is_none()),
            // Art 28 k2 b: no dossier without the needs meeting's minutes (Art 27 k2).
            Stage::AwaitingApproval => prop_assert!(s.plan_drafted_at.is_some() && s.needs_meeting_at.is_some() && s.plan_approved_at.is_none()),
            Stage::Implementing => prop_assert!(s.plan_approved_at.is_some()),
            Stage::Closing => prop_assert!(s.end_proposed_at.is_some()),
            // Art 30 k1 c: the proposal awaits the chair, the approved plan still in force.
            Stage::Continuing => prop_assert!(s.continue_proposed_at.is_some() && s.plan_approved_at.is_some()),
            Stage::Closed => prop_assert!(s.closed.is_some()),
            Stage::Transferred => prop_assert!(s.transferred.is_some()),
        }
        // Any plan step implies the initial assessment came first, and separation never
        // exceeds the legal maximum.
        if s.plan_drafted_at.is_some() {
            prop_assert!(s.initial_assessment_at.is_some());
        }
        if let Some(sep) = &s.separation {
            prop_assert!(sep.total_days <= 15);
        }
        // A closed case offers no next step.
        if !s.is_open() {
            prop_assert!(next_steps(&s, s.last_at).is_empty());
        }
    }

    #[test]
    fn working_day_deadlines_never_fall_on_a_day_off(
        choices in prop::collection::vec((any::<u8>(), 1u16..6000, any::<bool>(), any::<u8>()), 1..40),
    ) {
        let (_, received, events) = walk(&choices);
        let s = fold(received, &events);
        for d in deadlines(&s, calendar(), s.last_at) {
            if matches!(d.rule, DeadlineRule::Plan5WorkingDays | DeadlineRule::Approval2WorkingDays) {
                prop_assert!(calendar().is_working_day(local_date(d.due_at)), "{:?}", d);
            }
        }
    }

    #[test]
    fn adding_working_days_lands_on_a_working_day_n_days_later(
        offset in 0i64..(365 * 14),
        n in 1u32..40,
    ) {
        let cal: &WorkingCalendar = calendar();
        let from = NaiveDate::from_ymd_opt(2017, 1, 1).unwrap() + Duration::days(offset);
        let to = cal.add_working_days(from, n);
        prop_assert!(cal.is_working_day(to));
        prop_assert_eq!(cal.working_days_between(from, to), n);
    }
}

#[test]
fn random_walks_reach_every_stage() {
    // Guards the generator above: if walks stalled early, the properties would prove little.
    let mut seen = std::collections::BTreeSet::new();
    let mut rng = 12345u64;
    for _ in 0..500 {
        let choices: Vec<(u8, u16, bool, u8)> = (0..40)
            .map(|_| {
                rng = rng
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let r = rng >> 16;
                (
                    (r & 0xff) as u8,
                    1 + ((r >> 8) % 3000) as u16,
                    (r >> 20) & 1 == 1,
                    (r >> 24) as u8,
                )
            })
            .collect();
        let (_, received, events) = walk(&choices);
        for n in 0..=events.len() {
            seen.insert(fold(received, &events[..n]).stage());
        }
    }
    assert_eq!(
        seen.len(),
        <Stage as bvte_domain::codes::Code>::ALL.len(),
        "stages reached: {seen:?}"
    );
}
