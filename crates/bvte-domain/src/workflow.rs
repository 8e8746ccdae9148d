//! The Decree 56/2017 case workflow. A case's state is *derived* by folding its events; nothing
//! about the stage is stored. `admit` decides whether the law allows a new step now, and says
//! why not; `next_steps` lists what may be recorded next, marking what the law requires.
//!
//! The fold is total and order-independent: events merged from two devices may arrive in any
//! order and need not have passed `admit` together, so every event updates the state in a
//! defined way and the events are sorted by (occurred_at, recorded_at, id) first.

use crate::codes::Code;
use crate::error::ValidationError;
use crate::event::{CaseEvent, CloseReason, ReviewProposal, Step, StepKind};
use crate::time::{Instant, end_of_day, format_local, local_date};
use chrono::{Days, NaiveDate};
use serde::Serialize;

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
        /// Ended.
        Closed = ("closed", "Đã kết thúc", "Closed"),
        /// Handed over to another commune.
        Transferred = ("transferred", "Đã chuyển cho xã khác", "Transferred"),
    }
);

/// A temporary separation (Decree 56 Art 32).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Separation {
    /// When it was decided (and started).
    pub decided_at: Instant,
    /// Days in total, extensions included.
    pub total_days: u32,
    /// When it was revoked.
    pub revoked_at: Option<Instant>,
}

impl Separation {
    /// The end of its term: the end (23:59:59, Vietnam time) of the day `total_days` calendar
    /// days after the day it was decided (Civil Code 2015 Art 147 k2–k3 for counting; calendar
    /// days, never moved to a working day: Decree 56 Art 32 k3 caps how long a child is kept
    /// apart, `deadline.rs`).
    pub fn ends_at(&self) -> Instant {
        // Checked: days from a synced event can be anything (an overflow once panicked, issue
        // 10); past the last date there is, the term ends on that date.
        let last_day = local_date(self.decided_at)
            .checked_add_days(Days::new(u64::from(self.total_days)))
            .unwrap_or(NaiveDate::MAX);
        end_of_day(last_day)
    }

    /// Whether it is in force at `t`: not revoked, and its term not ended. Decree 56 Art 32 k3
    /// ("thời hạn cách ly tối đa không quá 15 ngày trừ trường hợp phải tiếp tục cách ly theo yêu
    /// cầu của cơ quan có thẩm quyền") gives a separation a term: at its end the separation
    /// lapses by itself, whether or not a revocation was recorded.
    pub fn in_force_at(&self, t: Instant) -> bool {
        self.revoked_at.is_none_or(|r| t < r) && t <= self.ends_at()
    }

    /// Whether its term ended at `t` without a revocation recorded.
    pub fn lapsed_at(&self, t: Instant) -> bool {
        self.revoked_at.is_none() && t > self.ends_at()
    }
}

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
    /// Plan cycle, from 1; a review proposing to continue starts the next (Art 30 k1 c).
    pub cycle: u32,
    /// When the current cycle began (the review that started it), for cycles after the first.
    pub cycle_started_at: Option<Instant>,
    /// Plan drafted in this cycle.
    pub plan_drafted_at: Option<Instant>,
    /// Plan submitted in this cycle (cleared when the chair returns it).
    pub plan_submitted_at: Option<Instant>,
    /// Plan approved in this cycle.
    pub plan_approved_at: Option<Instant>,
    /// A review in this cycle proposing to end the plan.
    pub end_proposed_at: Option<Instant>,
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
        cycle: 1,
        cycle_started_at: None,
        plan_drafted_at: None,
        plan_submitted_at: None,
        plan_approved_at: None,
        end_proposed_at: None,
        closed: None,
        transferred: None,
        last_at: received_at,
        residence_elsewhere: None,
    };
    for e in sorted {
        apply(&mut s, e.occurred_at, &e.step);
    }
    s
}

/// Folds a stored case's events, knowing its communes ([`CaseState::with_communes`]).
pub fn fold_case(data: &crate::case::CaseData, events: &[CaseEvent]) -> CaseState {
    fold(data.received_at, events).with_communes(&data.incident_commune, &data.residence_commune)
}

fn apply(s: &mut CaseState, t: Instant, step: &Step) {
    s.last_at = s.last_at.max(t);
    match step {
        Step::Intake(_) | Step::NeedsMeeting(_) | Step::ImplementationActivity(_) => {}
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
        Step::DetailedAssessment(_) => s.detailed_assessment_at = Some(t),
        Step::PlanDrafted(_) => {
            s.plan_drafted_at.get_or_insert(t);
        }
        Step::PlanSubmitted(_) => s.plan_submitted_at = Some(t),
        Step::PlanApproved(_) => {
            s.plan_approved_at.get_or_insert(t);
        }
        Step::PlanReturned(_) => {
            if s.plan_approved_at.is_none() {
                s.plan_submitted_at = None;
            } else {
                // Decree 56 Art 30 k1 b: ending the plan is "trình Chủ tịch"; the chair's
                // refusal sends the proposal back, and the approved plan goes on (`admit`).
                s.end_proposed_at = None;
            }
        }
        Step::Review(r) => match r.proposal {
            Some(ReviewProposal::Continue) => {
                s.cycle += 1;
                s.cycle_started_at = Some(t);
                s.plan_drafted_at = None;
                s.plan_submitted_at = None;
                s.plan_approved_at = None;
                s.end_proposed_at = None;
            }
            Some(ReviewProposal::End) => s.end_proposed_at = Some(t),
            None => {}
        },
        Step::Closed(c) => {
            s.closed
                .get_or_insert((t, c.reason.unwrap_or(CloseReason::Other)));
        }
        Step::Transferred(x) => {
            s.transferred.get_or_insert((t, x.to_commune.clone()));
        }
    }
}

/// Why a step is refused: Vietnamese and English reasons.
fn refuse(kind: StepKind, vi: &str, en: &str) -> ValidationError {
    ValidationError::StepNotAllowed {
        step: kind.code().to_string(),
        reason_vi: vi.to_string(),
        reason_en: en.to_string(),
    }
}

/// Refuses a step dated before the step it depends on.
fn after(
    kind: StepKind,
    t: Instant,
    prev: StepKind,
    prev_at: Option<Instant>,
) -> Result<(), ValidationError> {
    match prev_at {
        Some(p) if t < p => Err(ValidationError::StepBeforePrevious {
            step: kind.code().to_string(),
            previous: prev.code().to_string(),
            previous_at: format_local(p),
        }),
        _ => Ok(()),
    }
}

/// Whether the law allows recording `step` at `t` on a case in state `s`; if not, says why and
/// what to do first. `t` must already be checked not to be in the future.
pub fn admit(s: &CaseState, step: &Step, t: Instant) -> Result<(), ValidationError> {
    use StepKind as K;
    let kind = step.kind();
    let stage = s.stage();
    if !s.is_open() {
        return Err(refuse(
            kind,
            "vụ việc đã kết thúc hoặc đã chuyển cho xã khác. Nếu có thông tin mới, hãy mở vụ việc mới.",
            "the case is closed or transferred; open a new case for new information.",
        ));
    }
    after(kind, t, K::Intake, Some(s.received_at))?;
    let need_initial = || {
        if s.initial_assessment_at.is_none() {
            Err(refuse(
                kind,
                "cần đánh giá nguy cơ ban đầu (Mẫu 02) trước: kết quả đánh giá quyết định có áp dụng biện pháp can thiệp khẩn cấp hay không (Điều 26 khoản 2, 3 Nghị định 56/2017/NĐ-CP).",
                "record the initial assessment (form 02) first (Decree 56 Art 26 k2–3).",
            ))
        } else {
            after(kind, t, K::InitialAssessment, s.initial_assessment_at)
        }
    };
    // Law on Children 2016 Art 52 k2: "Ủy ban nhân dân cấp xã nơi trẻ em cư trú chủ trì …
    // xây dựng, phê duyệt, thực hiện kế hoạch hỗ trợ, can thiệp". The plan of a child living in
    // another commune is drafted, submitted and approved there: here the case is handed over.
    // The assessments stay allowed (Decree 56 Art 26, Art 27 k1, Art 32 k2 let the commune where
    // it happened act); events already recorded are folded as before.
    if let Some(residence) = &s.residence_elsewhere
        && matches!(
            step,
            Step::PlanDrafted(_) | Step::PlanSubmitted(_) | Step::PlanApproved(_)
        )
    {
        return Err(refuse(
            kind,
            &format!(
                "trẻ em cư trú tại xã khác (mã {residence}): Ủy ban nhân dân cấp xã nơi trẻ em cư trú xây dựng, phê duyệt và thực hiện kế hoạch hỗ trợ, can thiệp (Điều 52 khoản 2 Luật Trẻ em 2016). Hãy chuyển vụ việc cho xã nơi trẻ em cư trú (bước \"Chuyển vụ việc cho xã khác\")."
            ),
            &format!(
                "the child lives in another commune ({residence}): the residence commune drafts, approves and carries out the plan (Law on Children Art 52 k2). Hand the case over to it (`transferred`)."
            ),
        ));
    }
    match step {
        Step::Intake(_) => Err(refuse(
            kind,
            "thông tin tiếp nhận (Mẫu 01) được ghi khi mở vụ việc.",
            "the report (form 01) is recorded when the case is opened.",
        )),
        // Decree 56 Art 25 k2: checking "tính xác thực về hành vi xâm hại, tình trạng mất an
        // toàn, mức độ nguy cơ gây tổn hại đối với trẻ em khi được yêu cầu" sets no order among
        // the steps: allowed in any open stage (closed and transferred cases are refused above).
        Step::Verification(_) => Ok(()),
        Step::InitialAssessment(_) => {
            if s.initial_assessment_at.is_some() {
                Err(refuse(
                    kind,
                    "vụ việc đã có đánh giá nguy cơ ban đầu. Đánh giá tiếp theo là thu thập thông tin, đánh giá nguy cơ cụ thể (Mẫu 03).",
                    "the initial assessment is already recorded; the next assessment is the detailed one (form 03).",
                ))
            } else {
                Ok(())
            }
        }
        // Decree 56 Art 31 k3 a and k4 a: the officer and the police act on receipt ("Tiếp nhận
        // thông tin, kết nối với cơ quan công an để ngăn chặn …", "Tiếp nhận thông tin, triển
        // khai việc ngăn chặn …"), within 12 hours of it (k2): a measure may come before Mẫu 02.
        Step::EmergencyMeasures(_) => Ok(()),
        Step::SeparationDecided(_) => {
            need_initial()?;
            if s.separation_in_force(t).is_some() {
                return Err(refuse(
                    kind,
                    "đang có quyết định tạm thời cách ly còn hiệu lực. Hãy gia hạn hoặc hủy bỏ quyết định đó.",
                    "a temporary separation is already in force; extend or revoke it.",
                ));
            }
            Ok(())
        }
        Step::SeparationExtended(x) => {
            let sep = separation_in_force(s, kind, t)?;
            after(kind, t, K::SeparationDecided, Some(sep.decided_at))?;
            let total = sep.total_days.saturating_add(x.extra_days);
            // Decree 56 Art 32 k3: at most 15 days "trừ trường hợp phải tiếp tục cách ly theo
            // yêu cầu của cơ quan có thẩm quyền" — a court's decision (Law on Children Art 52 k3;
            // Circular 14/2020 Art 14 k3 b), recorded with `court`.
            if total > MAX_SEPARATION_DAYS && !x.by_court() {
                return Err(ValidationError::SeparationTooLong {
                    field: "data.extra_days".into(),
                    total_days: total,
                });
            }
            Ok(())
        }
        Step::SeparationRevoked(_) => {
            let sep = separation_in_force(s, kind, t)?;
            after(kind, t, K::SeparationDecided, Some(sep.decided_at))
        }
        Step::DetailedAssessment(_) => need_initial(),
        Step::NeedsMeeting(_) => {
            if s.detailed_assessment_at.is_none() && s.cycle == 1 {
                return Err(need_detailed(kind));
            }
            match stage {
                Stage::Planning => after(kind, t, K::DetailedAssessment, s.detailed_assessment_at),
                _ => Err(not_planning(kind)),
            }
        }
        Step::PlanDrafted(_) => match stage {
            Stage::Planning => {
                after(kind, t, K::DetailedAssessment, s.detailed_assessment_at)?;
                after(kind, t, K::Review, s.cycle_started_at)
            }
            Stage::Received | Stage::InitialAssessed => Err(need_detailed(kind)),
            _ => Err(not_planning(kind)),
        },
        Step::PlanSubmitted(_) => match (stage, s.plan_drafted_at) {
            (Stage::Planning, Some(d)) => after(kind, t, K::PlanDrafted, Some(d)),
            (Stage::Planning | Stage::Received | Stage::InitialAssessed, _) => Err(refuse(
                kind,
                "chưa có kế hoạch hỗ trợ, can thiệp (Mẫu 04). Hãy xây dựng kế hoạch trước khi trình (Điều 28 khoản 1, 2).",
                "no plan (form 04) has been drafted yet (Art 28 k1–2).",
            )),
            _ => Err(not_planning(kind)),
        },
        Step::PlanApproved(_) | Step::PlanReturned(_) => match stage {
            Stage::AwaitingApproval => after(kind, t, K::PlanSubmitted, s.plan_submitted_at),
            // Decree 56 Art 30 k1 b: the officer "Trình Chủ tịch Ủy ban nhân dân cấp xã việc kết
            // thúc kế hoạch hỗ trợ, can thiệp"; the chair decides. Agreeing is `closed`
            // (`plan_completed`); refusing is `plan_returned`: the chair sends the proposal back
            // and the approved plan goes on being carried out (stage `implementing`), until a
            // new review proposes ending it again or, if risk remains, a new plan cycle (Art 30
            // k1 c). The article names no other outcome of a refusal, so the case does not go
            // back to planning by itself. (A proposal to continue, Art 30 k1 c, is decided by the
            // chair's approval or return of the new cycle's plan, Art 28 k4: no separate step.)
            Stage::Closing if matches!(step, Step::PlanReturned(_)) => {
                after(kind, t, K::Review, s.end_proposed_at)
            }
            Stage::Implementing | Stage::Closing => Err(refuse(
                kind,
                "kế hoạch của chu kỳ này đã được phê duyệt.",
                "this cycle's plan is already approved.",
            )),
            _ => Err(refuse(
                kind,
                "kế hoạch chưa được trình Chủ tịch UBND xã. Hãy xây dựng kế hoạch (Mẫu 04) và ghi nhận việc trình trước khi phê duyệt (Điều 28 khoản 2, 4).",
                "the plan has not been submitted to the chair; draft (form 04) and submit it first (Art 28 k2, k4).",
            )),
        },
        Step::ImplementationActivity(_) | Step::Review(_) => match stage {
            Stage::Implementing => after(kind, t, K::PlanApproved, s.plan_approved_at),
            Stage::Closing => Err(refuse(
                kind,
                "rà soát đã đề nghị kết thúc kế hoạch; chờ Chủ tịch UBND xã quyết định: đồng ý thì ghi nhận \"Kết thúc vụ việc\", không đồng ý thì ghi nhận \"Chủ tịch trả lại\" để tiếp tục thực hiện kế hoạch (Điều 30 khoản 1 Nghị định 56/2017/NĐ-CP).",
                "the review proposed ending the plan; the chair's decision is pending: record `closed` if the chair agrees, `plan_returned` if not, and the plan goes on (Decree 56 Art 30 k1).",
            )),
            _ => Err(refuse(
                kind,
                "kế hoạch hỗ trợ, can thiệp chưa được phê duyệt (Điều 28 khoản 4, Điều 29, 30).",
                "the plan has not been approved yet (Arts 28 k4, 29, 30).",
            )),
        },
        // Decree 56 Art 32 k3 caps a temporary separation and says when the chair revokes it;
        // it does not forbid ending the case or handing it over while the separation runs (the
        // hand-over to the residence commune, Law on Children Art 52 k2, usually happens then).
        // The separation's deadline stays on the record after the case ends (`deadline.rs`).
        Step::Closed(c) => {
            // Decree 56 Art 26 k2: the initial assessment (Mẫu 02) is made "để có cơ sở áp dụng
            // hoặc không áp dụng các biện pháp can thiệp khẩn cấp"; "no intervention needed" is
            // that finding and cannot come before it.
            if c.reason == Some(CloseReason::NoInterventionNeeded)
                && s.initial_assessment_at.is_none()
            {
                return Err(refuse(
                    kind,
                    "chưa có đánh giá nguy cơ ban đầu (Mẫu 02): chỉ kết luận \"không cần hỗ trợ, can thiệp\" sau khi đánh giá (Điều 26 khoản 2 Nghị định 56/2017/NĐ-CP).",
                    "no initial assessment (form 02) yet: \"no intervention needed\" can only follow it (Decree 56 Art 26 k2).",
                ));
            }
            // Art 31 k1–2: a child who needs emergency protection must be protected "không quá
            // 12 giờ từ khi nhận được thông tin". Closing must not hide that the duty was not
            // done: without a recorded measure, the officer says why.
            if s.emergency_required()
                && s.emergency_at.is_none()
                && c.no_emergency_reason.trim().is_empty()
            {
                return Err(refuse(
                    kind,
                    "trẻ em cần được bảo vệ khẩn cấp nhưng chưa ghi nhận biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly nào. Hãy ghi nhận biện pháp đã áp dụng, hoặc ghi lý do không áp dụng vào ô \"Lý do không áp dụng biện pháp can thiệp khẩn cấp\" (Điều 31 khoản 1, 2 Nghị định 56/2017/NĐ-CP).",
                    "the child needs emergency protection but no emergency measure or separation is recorded: record it, or give the reason none was applied (no_emergency_reason) (Decree 56 Art 31 k1–2).",
                ));
            }
            match (c.reason, stage) {
                (Some(CloseReason::PlanCompleted), Stage::Closing) => {
                    after(kind, t, K::Review, s.end_proposed_at)
                }
                (Some(CloseReason::PlanCompleted), _) => Err(refuse(
                    kind,
                    "chỉ kết thúc kế hoạch sau khi rà soát, đánh giá (Mẫu 06) đề nghị kết thúc (Điều 30 khoản 1).",
                    "end the plan only after a review (form 06) proposes it (Art 30 k1).",
                )),
                (
                    Some(CloseReason::Unfounded | CloseReason::NoInterventionNeeded),
                    Stage::Received | Stage::InitialAssessed | Stage::Planning,
                ) => Ok(()),
                (Some(CloseReason::Unfounded | CloseReason::NoInterventionNeeded), _) => {
                    Err(refuse(
                        kind,
                        "kế hoạch đã được trình hoặc phê duyệt; hãy rà soát, đánh giá (Mẫu 06) rồi kết thúc kế hoạch.",
                        "a plan is submitted or approved; review it (form 06) and end it instead.",
                    ))
                }
                _ => Ok(()),
            }
        }
        Step::Transferred(_) => Ok(()),
    }
}

/// The separation in force at `t`, or why there is none: never decided or revoked, or lapsed at
/// the end of its term (Decree 56 Art 32 k3), which no extension or revocation can reach.
fn separation_in_force(
    s: &CaseState,
    kind: StepKind,
    t: Instant,
) -> Result<&Separation, ValidationError> {
    match &s.separation {
        Some(sep) if sep.in_force_at(t) => Ok(sep),
        Some(sep) if sep.lapsed_at(t) => Err(refuse(
            kind,
            &format!(
                "quyết định tạm thời cách ly đã hết thời hạn lúc {} và không còn hiệu lực: không thể gia hạn hay hủy bỏ. Nếu trẻ em vẫn cần được cách ly, hãy ghi nhận quyết định tạm thời cách ly mới hoặc quyết định của Tòa án (Điều 32 khoản 3 Nghị định 56/2017/NĐ-CP).",
                format_local(sep.ends_at())
            ),
            &format!(
                "the temporary separation's term ended at {} and it is no longer in force: it cannot be extended or revoked (Decree 56 Art 32 k3).",
                format_local(sep.ends_at())
            ),
        )),
        _ => Err(refuse(
            kind,
            "không có quyết định tạm thời cách ly nào đang có hiệu lực.",
            "no temporary separation is in force.",
        )),
    }
}

fn need_detailed(kind: StepKind) -> ValidationError {
    refuse(
        kind,
        "cần thu thập thông tin, đánh giá nguy cơ cụ thể (Mẫu 03) trước khi xây dựng kế hoạch (Điều 27, 28 Nghị định 56/2017/NĐ-CP).",
        "record the detailed assessment (form 03) before planning (Arts 27–28).",
    )
}

fn not_planning(kind: StepKind) -> ValidationError {
    refuse(
        kind,
        "vụ việc không ở giai đoạn xây dựng kế hoạch (kế hoạch đã được trình hoặc phê duyệt).",
        "the case is not in the planning stage.",
    )
}

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
        (Stage::Planning, K::PlanSubmitted) => s.plan_drafted_at.is_some(),
        (Stage::AwaitingApproval, K::PlanApproved) => true,
        (Stage::Implementing, K::Review) => true,
        (Stage::Closing, K::Closed) => true,
        // Law on Children Art 52 k2: the residence commune plans; here the case is handed over
        // once it is assessed (planning refused above).
        (
            Stage::Planning | Stage::AwaitingApproval | Stage::Implementing | Stage::Closing,
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
