//! The Decree 56/2017 case workflow. A case's state is *derived* by folding its events; nothing
//! about the stage is stored. `admit` decides whether the law allows a new step now, and says
//! why not; `next_steps` lists what may be recorded next, marking what the law requires.
//!
//! The fold is total and order-independent: events merged from two devices may arrive in any
//! order and need not have passed `admit` together, so every event updates the state in a
//! defined way and the events are sorted by (occurred_at, recorded_at, id) first.

use crate::event::{CaseEvent, CloseReason, ReviewProposal, Step};
use crate::time::Instant;
use serde::Serialize;

mod admit; // whether a step is allowed now
mod next; // what may come next
mod separation; // a temporary separation's term

pub use admit::admit;
pub use next::{NextStep, next_steps, refused_steps};
pub use separation::Separation;

/// Temporary separation lasts at most 15 days in total (Decree 56 Art 32 k3).
pub const MAX_SEPARATION_DAYS: u32 = 15;

crate::code_enum!(
    /// Where a case stands.
    Stage {
        /// Report recorded; initial assessment due.
        Received = ("received", "Đã tiếp nhận, chờ đánh giá ban đầu", "Received, awaiting initial assessment"),
        /// Initial assessment done; detailed assessment due.
        InitialAssessed = ("initial_assessed", "Đã đánh giá ban đầu, chờ đánh giá chi tiết", "Initially assessed"),
        /// Building the support and intervention plan.
        Planning = ("planning", "Đang xây dựng kế hoạch hỗ trợ, can thiệp", "Planning"),
        /// Plan submitted to the chair.
        AwaitingApproval = ("awaiting_approval", "Chờ Chủ tịch UBND xã phê duyệt kế hoạch", "Awaiting the chair's approval"),
        /// Plan approved and being carried out.
        Implementing = ("implementing", "Đang thực hiện kế hoạch", "Implementing the plan"),
        /// Review proposes ending the plan; the chair's decision is due.
        Closing = ("closing", "Đề nghị kết thúc kế hoạch, chờ quyết định", "Awaiting closure"),
        /// Review proposes continuing with a new plan (Art 30 k1 c); the chair's decision is due:
        /// agreeing (`continuation_approved`) starts the next cycle, refusing (`plan_returned`)
        /// keeps the approved plan going.
        Continuing = ("continuing", "Đề nghị tiếp tục xây dựng kế hoạch mới, chờ Chủ tịch UBND xã quyết định", "Proposal to continue with a new plan, awaiting the chair's decision"),
        /// Ended.
        Closed = ("closed", "Đã kết thúc", "Closed"),
        /// Handed over to another commune.
        Transferred = ("transferred", "Đã chuyển cho xã khác", "Transferred"),
    }
);

/// The folded state of a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaseState {
    /// When the report was received.
    pub received_at: Instant,
    /// First verification.
    pub verified_at: Option<Instant>,
    /// First initial assessment.
    pub initial_assessment_at: Option<Instant>,
    /// Whether the (latest) initial assessment found serious risk.
    pub serious_risk: bool,
    /// Whether the (latest) initial assessment found that the parent or carer is the one causing
    /// the harm (Decree 56 Art 31 k1, second trigger).
    pub caused_by_parent_or_carer: bool,
    /// First emergency measure or separation.
    pub emergency_at: Option<Instant>,
    /// The latest separation.
    pub separation: Option<Separation>,
    /// Earlier separations, replaced by a later decision once they had ended, oldest first:
    /// their deadlines stay on the record.
    pub earlier_separations: Vec<Separation>,
    /// Latest detailed assessment.
    pub detailed_assessment_at: Option<Instant>,
    /// First detailed assessment (may start the plan's clock, [`crate::deadline::PlanClockStart`]).
    pub first_detailed_assessment_at: Option<Instant>,
    /// Plan cycle, from 1; the chair's agreement to a review's proposal to continue starts the
    /// next (Art 30 k1 c).
    pub cycle: u32,
    /// When the current cycle began, for cycles after the first: the chair's agreement
    /// (`continuation_approved`), or, in histories recorded before that decision could be
    /// recorded, the review proposing to continue.
    pub cycle_started_at: Option<Instant>,
    /// When each cycle after the first began, oldest first (the last is `cycle_started_at`):
    /// the new plans the reports count.
    pub cycle_starts: Vec<Instant>,
    /// The first needs meeting of this cycle (Decree 56 Art 27 k2), whose minutes belong to the
    /// dossier submitted to the chair (Art 28 k2 b).
    pub needs_meeting_at: Option<Instant>,
    /// Plan drafted in this cycle.
    pub plan_drafted_at: Option<Instant>,
    /// Plan submitted in this cycle (cleared when the chair returns it).
    pub plan_submitted_at: Option<Instant>,
    /// The first submission of this cycle's plan to the chair, which meets the 5 working days
    /// of Decree 56 Art 28 k1 ("xây dựng kế hoạch … trình Chủ tịch"); kept when the chair
    /// returns the plan.
    pub plan_first_submitted_at: Option<Instant>,
    /// Plan approved in this cycle.
    pub plan_approved_at: Option<Instant>,
    /// A review in this cycle proposing to end the plan.
    pub end_proposed_at: Option<Instant>,
    /// A review in this cycle proposing to continue with a new plan (Art 30 k1 c), awaiting the
    /// chair's decision.
    pub continue_proposed_at: Option<Instant>,
    /// Closed.
    pub closed: Option<(Instant, CloseReason)>,
    /// Transferred (to commune code).
    pub transferred: Option<(Instant, String)>,
    /// Latest `occurred_at` of any event.
    pub last_at: Instant,
    /// The child's residence commune, when it is another commune than the one where the case is
    /// kept (its incident commune): set by [`CaseState::with_communes`] / [`fold_case`], `None`
    /// from [`fold`] alone. Law on Children Art 52 k2 gives the plan to the residence commune.
    pub residence_elsewhere: Option<String>,
    /// The case's incident and residence communes when both are known (set with
    /// `residence_elsewhere`): whose chair may decide a separation (Decree 56 Art 32 k2).
    pub communes_known: Option<(String, String)>,
}

impl CaseState {
    /// The state of a case kept by its `incident_commune` whose child lives in
    /// `residence_commune`. `admit` does not know the installation's commune; a case is opened
    /// with this commune as its incident commune unless the officer names another (`CaseInput`,
    /// `CaseContext::default_commune`), so the case's own incident commune stands for "here".
    /// An empty commune (not known) is never "elsewhere".
    pub fn with_communes(mut self, incident_commune: &str, residence_commune: &str) -> Self {
        let (i, r) = (incident_commune.trim(), residence_commune.trim());
        self.residence_elsewhere =
            (!i.is_empty() && !r.is_empty() && i != r).then(|| r.to_string());
        self.communes_known = (!i.is_empty() && !r.is_empty()).then(|| (i.into(), r.into()));
        self
    }

    /// The state as the commune `own` (the installation's commune, or the commune a report is
    /// for) sees it: "here" is `own` rather than the incident commune. A case handed over to
    /// `own` (its latest `transferred` step names `own`) is open here, at the stage its steps
    /// reached: the commune where the child lives carries on from the first steps taken where
    /// it happened (Decree 56 Art 25 k1, Art 26 k1; Law on Children Art 52 k2: "Ủy ban nhân dân
    /// cấp xã nơi trẻ em cư trú chủ trì … xây dựng, phê duyệt, thực hiện kế hoạch"). For the
    /// commune that handed it over it stays transferred, a read-only trace. The residence
    /// commune is "elsewhere" when it is known and is not `own`. An empty `own` changes nothing.
    pub fn kept_by(mut self, own: &str) -> Self {
        let own = own.trim();
        if own.is_empty() {
            return self;
        }
        if self.transferred.as_ref().is_some_and(|(_, to)| to == own) {
            self.transferred = None;
        }
        if let Some((_, r)) = &self.communes_known {
            self.residence_elsewhere = (r != own).then(|| r.clone());
        }
        self
    }

    /// The derived stage.
    pub fn stage(&self) -> Stage {
        if self.transferred.is_some() {
            Stage::Transferred
        } else if self.closed.is_some() {
            Stage::Closed
        } else if self.end_proposed_at.is_some() {
            Stage::Closing
        } else if self.continue_proposed_at.is_some() {
            Stage::Continuing
        } else if self.plan_approved_at.is_some() {
            Stage::Implementing
        } else if self.plan_submitted_at.is_some() {
            Stage::AwaitingApproval
        } else if self.detailed_assessment_at.is_some() || self.cycle > 1 {
            Stage::Planning
        } else if self.initial_assessment_at.is_some() {
            Stage::InitialAssessed
        } else {
            Stage::Received
        }
    }

    /// Whether the case is still open.
    pub fn is_open(&self) -> bool {
        !matches!(self.stage(), Stage::Closed | Stage::Transferred)
    }

    /// Whether the child needs emergency protection, so that emergency measures (or a temporary
    /// separation) are due within 12 hours of receipt. Decree 56 Art 31 k1 names two triggers:
    /// "trẻ em đang bị đe dọa hoặc bị gây tổn hại nghiêm trọng đến tính mạng, sức khỏe, nhân
    /// phẩm" (also Art 26 k3) *or* "cha, mẹ, người chăm sóc trẻ em chính là người gây tổn hại cho
    /// trẻ em"; Art 31 k2 gives "không quá 12 giờ từ khi nhận được thông tin".
    pub fn emergency_required(&self) -> bool {
        self.serious_risk || self.caused_by_parent_or_carer
    }

    /// The separation in force at `t` (decided, not revoked, its term not ended), if any.
    pub fn separation_in_force(&self, t: Instant) -> Option<&Separation> {
        self.separation.as_ref().filter(|s| s.in_force_at(t))
    }
}

/// Folds a case's events into its state. Order of `events` does not matter.
pub fn fold(received_at: Instant, events: &[CaseEvent]) -> CaseState {
    let mut sorted: Vec<&CaseEvent> = events.iter().collect();
    sorted.sort_by_key(|e| (e.occurred_at, e.recorded_at, e.id));
    let mut s = CaseState {
        received_at,
        verified_at: None,
        initial_assessment_at: None,
        serious_risk: false,
        caused_by_parent_or_carer: false,
        emergency_at: None,
        separation: None,
        earlier_separations: Vec::new(),
        detailed_assessment_at: None,
        first_detailed_assessment_at: None,
        cycle: 1,
        cycle_started_at: None,
        cycle_starts: Vec::new(),
        needs_meeting_at: None,
        plan_drafted_at: None,
        plan_submitted_at: None,
        plan_first_submitted_at: None,
        plan_approved_at: None,
        end_proposed_at: None,
        continue_proposed_at: None,
        closed: None,
        transferred: None,
        last_at: received_at,
        residence_elsewhere: None,
        communes_known: None,
    };
    for e in sorted {
        apply(&mut s, e.occurred_at, &e.step);
    }
    s
}

/// Folds a stored case's events as the commune `own` keeping it sees them
/// ([`CaseState::with_communes`], [`CaseState::kept_by`]).
pub fn fold_case_kept_by(
    data: &crate::case::CaseData,
    events: &[CaseEvent],
    own: &str,
) -> CaseState {
    fold_case(data, events).kept_by(own)
}

/// Folds a stored case's events, knowing its communes ([`CaseState::with_communes`]).
pub fn fold_case(data: &crate::case::CaseData, events: &[CaseEvent]) -> CaseState {
    fold(data.received_at, events).with_communes(&data.incident_commune, &data.residence_commune)
}

/// Starts the next plan cycle at `t` (Decree 56 Art 30 k1 c): each plan is built on its own
/// meeting and submitted with its minutes (Art 28 k2 b), so the last cycle's milestones are not
/// this one's.
fn start_cycle(s: &mut CaseState, t: Instant) {
    s.cycle += 1;
    s.cycle_started_at = Some(t);
    s.cycle_starts.push(t);
    s.needs_meeting_at = None;
    s.plan_drafted_at = None;
    s.plan_submitted_at = None;
    s.plan_first_submitted_at = None;
    s.plan_approved_at = None;
    s.end_proposed_at = None;
    s.continue_proposed_at = None;
}

fn apply(s: &mut CaseState, t: Instant, step: &Step) {
    s.last_at = s.last_at.max(t);
    // Histories recorded before the chair's decision on a proposal to continue could be
    // recorded (issue 15 item 10) went from the review straight to the next cycle's steps: the
    // first of them, met while the proposal awaits the decision, opens that cycle from the
    // review, as the review did then. `admit` refuses these steps before the decision now.
    if let Some(review) = s.continue_proposed_at
        && matches!(
            step,
            Step::NeedsMeeting(_)
                | Step::PlanDrafted(_)
                | Step::PlanSubmitted(_)
                | Step::PlanApproved(_)
        )
    {
        start_cycle(s, review);
    }
    match step {
        Step::Intake(_) | Step::ImplementationActivity(_) => {}
        Step::NeedsMeeting(_) => {
            s.needs_meeting_at.get_or_insert(t);
        }
        Step::Verification(_) => {
            s.verified_at.get_or_insert(t);
        }
        Step::InitialAssessment(a) => {
            s.initial_assessment_at.get_or_insert(t);
            s.serious_risk = a.serious_risk;
            s.caused_by_parent_or_carer = a.caused_by_parent_or_carer;
        }
        Step::EmergencyMeasures(_) => {
            s.emergency_at.get_or_insert(t);
        }
        Step::SeparationDecided(d) => {
            s.emergency_at.get_or_insert(t);
            if let Some(prev) = s.separation.take() {
                s.earlier_separations.push(prev);
            }
            s.separation = Some(Separation {
                decided_at: t,
                total_days: d.days,
                revoked_at: None,
            });
        }
        Step::SeparationExtended(x) => {
            if let Some(sep) = s.separation.as_mut().filter(|p| p.revoked_at.is_none()) {
                // Saturating: an event received by sync is folded as stored, whatever its days
                // (a sum past u32 once panicked, issue 10); `admit` refuses more than 15 days.
                sep.total_days = sep.total_days.saturating_add(x.extra_days);
            }
        }
        Step::SeparationRevoked(_) => {
            if let Some(sep) = s.separation.as_mut().filter(|p| p.revoked_at.is_none()) {
                sep.revoked_at = Some(t);
            }
        }
        Step::DetailedAssessment(_) => {
            s.detailed_assessment_at = Some(t);
            s.first_detailed_assessment_at.get_or_insert(t);
        }
        Step::PlanDrafted(_) => {
            s.plan_drafted_at.get_or_insert(t);
        }
        Step::PlanSubmitted(_) => {
            s.plan_submitted_at = Some(t);
            s.plan_first_submitted_at.get_or_insert(t);
        }
        Step::PlanApproved(_) => {
            s.plan_approved_at.get_or_insert(t);
        }
        Step::PlanReturned(_) => {
            if s.plan_approved_at.is_none() {
                s.plan_submitted_at = None;
            } else {
                // Decree 56 Art 30 k1 b–c: ending the plan or continuing with a new one is
                // "trình Chủ tịch"; the chair's refusal sends the proposal back, and the
                // approved plan goes on (`admit`).
                s.end_proposed_at = None;
                s.continue_proposed_at = None;
            }
        }
        // A review's proposal awaits the chair's decision (Art 30 k1 b–c); the latest one
        // stands.
        Step::Review(r) => match r.proposal {
            Some(ReviewProposal::Continue) => {
                s.continue_proposed_at = Some(t);
                s.end_proposed_at = None;
            }
            Some(ReviewProposal::End) => {
                s.end_proposed_at = Some(t);
                s.continue_proposed_at = None;
            }
            None => {}
        },
        // Art 30 k1 c: the chair agrees to continue; the next cycle, and its Art 28 time limits,
        // start from the decision. Without a proposal awaiting it (a merge of two devices'
        // steps) it changes nothing.
        Step::ContinuationApproved(_) => {
            if s.continue_proposed_at.is_some() {
                start_cycle(s, t);
            }
        }
        Step::Closed(c) => {
            s.closed
                .get_or_insert((t, c.reason.unwrap_or(CloseReason::Other)));
        }
        // The latest hand-over counts: a case handed over to the residence commune may be
        // handed on again from there (see `CaseState::kept_by`).
        Step::Transferred(x) => {
            s.transferred = Some((t, x.to_commune.clone()));
        }
    }
}
