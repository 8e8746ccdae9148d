//! Figures about cases: the period's caseload, its breakdowns, deadlines and steps.

use crate::input::{ReportCase, ReportInput};
use crate::period::Period;
use crate::tally::{bump, codes, zeros};
use bvte_domain::Instant;
use bvte_domain::calendar::WorkingCalendar;
use bvte_domain::case::{AbuseForm, CaseCategory, Channel, Environment};
use bvte_domain::codes::Code;
use bvte_domain::deadline::{Deadline, DeadlineRule, DeadlineStatus, deadlines_with};
use bvte_domain::event::{CaseEvent, CloseReason, Step};
use bvte_domain::reference::deadline_settings;
use bvte_domain::workflow::{CaseState, Stage, fold};
use serde::Serialize;
use std::collections::BTreeMap;

/// A case of the period's caseload, folded at the period's end.
pub struct Handled<'a> {
    /// The case.
    pub case: &'a ReportCase,
    /// Its state from the steps that happened by the period's end.
    pub at_end: CaseState,
    /// Whether it was received in the period (else it was open at the period's start).
    pub received_in_period: bool,
}

impl Handled<'_> {
    /// The deadlines of the case at the period's end, judged at the end or at `now` if sooner.
    pub fn deadlines(&self, period: &Period, cal: &WorkingCalendar, now: Instant) -> Vec<Deadline> {
        // The province's reading of Decree 56 Art 28 k1, as the case view uses it.
        let settings = deadline_settings(&self.case.data().incident_commune);
        deadlines_with(&self.at_end, cal, &settings, now.min(period.end()))
    }

    fn steps_in<'b>(&'b self, period: &'b Period) -> impl Iterator<Item = &'b CaseEvent> + 'b {
        self.case
            .events()
            .iter()
            .filter(move |e| period.contains(e.occurred_at))
    }
}

fn folded_before(case: &ReportCase, keep: impl Fn(&CaseEvent) -> bool) -> CaseState {
    let events: Vec<CaseEvent> = case.events().iter().filter(|e| keep(e)).cloned().collect();
    // A case handed over to the commune keeping it goes on there (Law on Children Art 52 k2).
    fold(case.data().received_at, &events).kept_by(case.keeper())
}

/// The caseload: cases received in the period, and cases received before it still open at its
/// start.
pub fn caseload<'a>(parts: &[&'a ReportInput], period: &Period) -> Vec<Handled<'a>> {
    let (start, end) = (period.start(), period.end());
    parts
        .iter()
        .flat_map(|p| p.cases.iter())
        .filter(|c| c.data().received_at <= end)
        .filter_map(|c| {
            let received_in_period = c.data().received_at >= start;
            if !received_in_period && !folded_before(c, |e| e.occurred_at < start).is_open() {
                return None;
            }
            Some(Handled {
                case: c,
                at_end: folded_before(c, |e| e.occurred_at <= end),
                received_in_period,
            })
        })
        .collect()
}

/// How many deadlines of one rule were met, missed, or are still running.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DeadlineCount {
    /// Done within the limit.
    pub met: u64,
    /// Done after the limit, or not done by it.
    pub overdue: u64,
    /// Limit later today (only when the period ends today).
    pub pending: u64,
}

/// Case figures (`cases.*`). Every breakdown lists every code, with 0 where none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CaseFigures {
    /// Received in the period.
    pub received: u64,
    /// Received in the period or open at its start (the caseload).
    pub handled: u64,
    /// Of the caseload, still open at the period's end.
    pub open_at_end: u64,
    /// Received in the period, by category.
    pub by_category: BTreeMap<String, u64>,
    /// Received in the period, by form of abuse (a case with two forms counts under both).
    pub by_abuse_form: BTreeMap<String, u64>,
    /// Received in the period, by environment.
    pub by_environment: BTreeMap<String, u64>,
    /// Received in the period, by channel.
    pub by_channel: BTreeMap<String, u64>,
    /// The caseload by stage at the period's end.
    pub by_stage: BTreeMap<String, u64>,
    /// Deadlines falling in the period, by rule.
    pub deadlines: BTreeMap<String, DeadlineCount>,
    /// Cases with an emergency measure or separation in the period.
    pub emergency_measures: u64,
    /// Temporary separations decided in the period (Mẫu 07).
    pub separations: u64,
    /// Plans approved in the period (Mẫu 05).
    pub plans_approved: u64,
    /// Reviews in the period that started a new plan cycle.
    pub plans_repeated: u64,
    /// Cases whose plan ended in the period (closed as plan completed).
    pub plans_ended: u64,
    /// Cases closed in the period, for any reason.
    pub closed: u64,
    /// Cases transferred to another commune in the period.
    pub transferred: u64,
}

/// The figures over the caseload.
pub fn figures(
    load: &[Handled<'_>],
    period: &Period,
    cal: &WorkingCalendar,
    now: Instant,
) -> CaseFigures {
    let mut f = CaseFigures {
        by_category: zeros(codes::<CaseCategory>()),
        by_abuse_form: zeros(codes::<AbuseForm>()),
        by_environment: zeros(codes::<Environment>()),
        by_channel: zeros(codes::<Channel>()),
        by_stage: zeros(codes::<Stage>()),
        deadlines: DeadlineRule::ALL
            .iter()
            .filter(|r| !r.is_guidance())
            .map(|r| (r.code().to_string(), DeadlineCount::default()))
            .collect(),
        ..Default::default()
    };
    for h in load {
        let d = h.case.data();
        f.handled += 1;
        if h.received_in_period {
            f.received += 1;
            bump(&mut f.by_category, d.category.code());
            for a in &d.abuse_forms {
                bump(&mut f.by_abuse_form, a.code());
            }
            bump(&mut f.by_environment, d.environment.code());
            bump(&mut f.by_channel, d.channel.code());
        }
        f.open_at_end += u64::from(h.at_end.is_open());
        bump(&mut f.by_stage, h.at_end.stage().code());
        for dl in h.deadlines(period, cal, now) {
            // Legal limits only: a guidance time (the initial assessment's 12 hours, which
            // Decree 56 derives from Art 31 k2 but never sets on its own) is not a breach.
            if dl.guidance || !period.contains(dl.due_at) {
                continue;
            }
            let count = f.deadlines.entry(dl.rule.code().to_string()).or_default();
            match dl.status {
                DeadlineStatus::Met => count.met += 1,
                DeadlineStatus::MetLate | DeadlineStatus::Overdue | DeadlineStatus::Missed => {
                    count.overdue += 1
                }
                DeadlineStatus::Pending => count.pending += 1,
                // Never on a legal limit.
                DeadlineStatus::PastGuidance => {}
            }
        }
        let mut emergency = false;
        for e in h.steps_in(period) {
            match &e.step {
                Step::EmergencyMeasures(_) => emergency = true,
                Step::SeparationDecided(_) => {
                    emergency = true;
                    f.separations += 1;
                }
                Step::PlanApproved(_) => f.plans_approved += 1,
                _ => {}
            }
        }
        // Decree 56 Art 30 k1 c: a new plan cycle starts when the chair agrees to a review's
        // proposal to continue; in histories recorded before that decision could be, the
        // review opened it (the fold's reading). The whole history is folded: such a review's
        // cycle is known from the next cycle's first step, which may come after the period.
        f.plans_repeated += folded_before(h.case, |_| true)
            .cycle_starts
            .iter()
            .filter(|t| period.contains(**t))
            .count() as u64;
        f.emergency_measures += u64::from(emergency);
        if let Some((t, reason)) = h.at_end.closed
            && period.contains(t)
            && h.at_end.transferred.is_none()
        {
            f.closed += 1;
            f.plans_ended += u64::from(reason == CloseReason::PlanCompleted);
        }
        if let Some((t, _)) = &h.at_end.transferred
            && period.contains(*t)
        {
            f.transferred += 1;
        }
    }
    f
}
