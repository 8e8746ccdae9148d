//! What may be recorded next, and what the law requires ([`next_steps`], [`refused_steps`]).

use super::{CaseState, Stage, admit};
use crate::codes::Code;
use crate::error::ValidationError;
use crate::event::{Step, StepKind};
use crate::time::Instant;
use serde::Serialize;

/// A step that may be recorded next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NextStep {
    /// The step.
    pub step: StepKind,
    /// Whether the law requires it (as opposed to allowing it).
    pub required: bool,
}

/// Steps that may be recorded next (those `admit` accepts now), required ones first.
pub fn next_steps(s: &CaseState, now: Instant) -> Vec<NextStep> {
    let t = now.max(s.last_at);
    let mut out: Vec<NextStep> = StepKind::ALL
        .iter()
        .copied()
        .filter(|k| admit(s, &sample(*k), t).is_ok())
        .map(|k| NextStep {
            step: k,
            required: is_required(s, k),
        })
        .collect();
    out.sort_by_key(|n| !n.required);
    out
}

/// Steps the law does not allow now, each with the refusal [`admit`] would give, so a form can
/// say so as soon as one is chosen. The report (Mẫu 01) is left out: it is recorded when the
/// case is opened, never chosen as a step.
pub fn refused_steps(s: &CaseState, now: Instant) -> Vec<(StepKind, ValidationError)> {
    let t = now.max(s.last_at);
    StepKind::ALL
        .iter()
        .copied()
        .filter(|k| *k != StepKind::Intake)
        .filter_map(|k| admit(s, &sample(k), t).err().map(|e| (k, e)))
        .collect()
}

fn is_required(s: &CaseState, k: StepKind) -> bool {
    use StepKind as K;
    match (s.stage(), k) {
        (Stage::Received, K::InitialAssessment) => true,
        // Either trigger of Art 31 k1 (serious harm or risk, or harm by the parent or carer).
        (_, K::EmergencyMeasures) => s.emergency_required() && s.emergency_at.is_none(),
        (Stage::InitialAssessed, K::DetailedAssessment) => true,
        (Stage::Planning, K::PlanDrafted) => s.plan_drafted_at.is_none(),
        // Art 27 k2, Art 28 k2 b: the meeting's minutes go with the plan to the chair.
        (Stage::Planning, K::NeedsMeeting) => s.needs_meeting_at.is_none(),
        (Stage::Planning, K::PlanSubmitted) => s.plan_drafted_at.is_some(),
        (Stage::AwaitingApproval, K::PlanApproved) => true,
        (Stage::Implementing, K::Review) => true,
        (Stage::Closing, K::Closed) => true,
        // Art 30 k1 c: the proposal to continue is decided by the chair; agreeing starts the new
        // cycle (refusing, `plan_returned`, is offered but not asked for).
        (Stage::Continuing, K::ContinuationApproved) => true,
        // Law on Children Art 52 k2: the residence commune plans; here the case is handed over
        // once it is assessed (planning refused above).
        (
            Stage::Planning
            | Stage::AwaitingApproval
            | Stage::Implementing
            | Stage::Closing
            | Stage::Continuing,
            K::Transferred,
        ) => s.residence_elsewhere.is_some(),
        _ => false,
    }
}

/// A representative payload of each kind, for asking `admit` which kinds fit the stage.
fn sample(k: StepKind) -> Step {
    use crate::event::*;
    match k {
        StepKind::Intake => Step::Intake(Default::default()),
        StepKind::Verification => Step::Verification(Default::default()),
        StepKind::InitialAssessment => Step::InitialAssessment(Default::default()),
        StepKind::EmergencyMeasures => Step::EmergencyMeasures(Default::default()),
        StepKind::SeparationDecided => Step::SeparationDecided(Default::default()),
        StepKind::SeparationExtended => Step::SeparationExtended(SeparationExtended {
            extra_days: 1,
            ..Default::default()
        }),
        StepKind::SeparationRevoked => Step::SeparationRevoked(Default::default()),
        StepKind::DetailedAssessment => Step::DetailedAssessment(Default::default()),
        StepKind::NeedsMeeting => Step::NeedsMeeting(Default::default()),
        StepKind::PlanDrafted => Step::PlanDrafted(Default::default()),
        StepKind::PlanSubmitted => Step::PlanSubmitted(Default::default()),
        StepKind::PlanApproved => Step::PlanApproved(Default::default()),
        StepKind::PlanReturned => Step::PlanReturned(Default::default()),
        StepKind::ImplementationActivity => Step::ImplementationActivity(Default::default()),
        StepKind::Review => Step::Review(Default::default()),
        StepKind::ContinuationApproved => Step::ContinuationApproved(Default::default()),
        StepKind::Closed => Step::Closed(Closed {
            reason: Some(CloseReason::Other),
            note: "-".into(),
            // Closing stays on offer when a required emergency measure is missing: it is
            // allowed with the reason (Art 31 k1–2), which the form asks for.
            no_emergency_reason: "-".into(),
        }),
        StepKind::Transferred => Step::Transferred(Default::default()),
    }
}
