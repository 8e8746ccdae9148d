//! Shared builders for the domain's integration tests.
#![allow(dead_code, missing_docs)]

use bvte_domain::event::*;
use bvte_domain::time::{Instant, parse_instant};
use bvte_domain::workflow::{CaseState, Stage, admit, fold};
use bvte_domain::{CaseId, EventId};

/// Vietnam wall-clock time "yyyy-mm-dd HH:MM".
pub fn at(s: &str) -> Instant {
    parse_instant("t", s).unwrap()
}

/// An event of `step` at `t`.
pub fn ev(case_id: CaseId, t: Instant, step: Step) -> CaseEvent {
    CaseEvent {
        id: EventId::generate(),
        case_id,
        occurred_at: t,
        recorded_at: t,
        author: "Cán bộ A".into(),
        step,
    }
}

/// An initial assessment.
pub fn initial(serious: bool) -> Step {
    Step::InitialAssessment(InitialAssessment {
        serious_risk: serious,
        ..Default::default()
    })
}

/// A temporary separation for `days`.
pub fn separation(days: u32) -> Step {
    Step::SeparationDecided(SeparationDecided {
        grounds: Some(SeparationGround::ByParentOrCarer),
        days,
        ..Default::default()
    })
}

/// An extension by `extra_days`.
pub fn extend(extra_days: u32) -> Step {
    Step::SeparationExtended(SeparationExtended {
        extra_days,
        ..Default::default()
    })
}

/// A review proposing `p`.
pub fn review(p: ReviewProposal) -> Step {
    Step::Review(Review {
        proposal: Some(p),
        ..Default::default()
    })
}

/// Closing for reason `r`.
pub fn closed(r: CloseReason) -> Step {
    Step::Closed(Closed {
        reason: Some(r),
        note: "ghi chú".into(),
        ..Default::default()
    })
}

/// A payload of each kind that passes the payload checks.
pub fn payload(kind: StepKind) -> Step {
    match kind {
        StepKind::Intake => Step::Intake(Default::default()),
        StepKind::Verification => Step::Verification(Default::default()),
        StepKind::InitialAssessment => initial(true),
        StepKind::EmergencyMeasures => Step::EmergencyMeasures(Default::default()),
        StepKind::SeparationDecided => separation(10),
        StepKind::SeparationExtended => extend(3),
        StepKind::SeparationRevoked => Step::SeparationRevoked(Default::default()),
        StepKind::DetailedAssessment => Step::DetailedAssessment(Default::default()),
        StepKind::NeedsMeeting => Step::NeedsMeeting(Default::default()),
        StepKind::PlanDrafted => Step::PlanDrafted(Default::default()),
        StepKind::PlanSubmitted => Step::PlanSubmitted(Default::default()),
        StepKind::PlanApproved => Step::PlanApproved(Default::default()),
        StepKind::PlanReturned => Step::PlanReturned(Default::default()),
        StepKind::ImplementationActivity => Step::ImplementationActivity(Default::default()),
        StepKind::Review => review(ReviewProposal::End),
        StepKind::ContinuationApproved => Step::ContinuationApproved(Default::default()),
        StepKind::Closed => closed(CloseReason::Other),
        StepKind::Transferred => Step::Transferred(Transferred {
            to_commune: "09955".into(),
            note: String::new(),
        }),
    }
}

/// A case under test, recorded the way the application records steps.
pub struct Case {
    pub id: CaseId,
    pub received: Instant,
    pub events: Vec<CaseEvent>,
}

impl Case {
    pub fn new(received: &str) -> Self {
        Self {
            id: CaseId::generate(),
            received: at(received),
            events: vec![],
        }
    }
    pub fn state(&self) -> CaseState {
        fold(self.received, &self.events)
    }
    /// Records a step the way the application does: admit first, then append.
    pub fn record(&mut self, t: &str, step: Step) -> Result<Stage, bvte_domain::ValidationError> {
        let t = at(t);
        admit(&self.state(), &step, t)?;
        self.events.push(ev(self.id, t, step));
        Ok(self.state().stage())
    }
    pub fn ok(&mut self, t: &str, step: Step) -> Stage {
        self.record(t, step).expect("step should be allowed")
    }
}

/// A payload of `kind` that passes the payload checks.
pub fn simple(kind: StepKind) -> Step {
    payload(kind)
}

/// An initial assessment that names the parent or carer as the one causing the harm.
pub fn caused_by_parent(serious: bool) -> Step {
    Step::InitialAssessment(InitialAssessment {
        serious_risk: serious,
        caused_by_parent_or_carer: true,
        ..Default::default()
    })
}

/// Closing for reason `r` with why no emergency measure was applied.
pub fn closed_with_reason_for_no_emergency(r: CloseReason, why: &str) -> Step {
    Step::Closed(Closed {
        reason: Some(r),
        note: "ghi chú".into(),
        no_emergency_reason: why.into(),
    })
}
