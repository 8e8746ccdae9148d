//! Case steps as append-only events (design §3). Each event has the time it happened
//! (`occurred_at`), the time it was recorded, its author and a payload that mirrors the fields
//! of the official form where there is one (Mẫu 01–07, Decree 56/2017 appendix).
//! Payload field names are stored and synced: do not rename them.

use crate::child::CarerRelation;
use crate::codes::Code;
use crate::error::{ValidationError, ValidationErrors};
use crate::ids::{CaseId, EventId};
use crate::time::{Instant, not_future, parse_instant};
use serde::{Deserialize, Serialize};
use serde_json::Value;

crate::code_enum!(
    /// The kind of a case step, in the order Decree 56 Chapter III describes them.
    StepKind {
        /// Report received and recorded (Art 25 k1, Mẫu 01).
        Intake = ("intake", "Tiếp nhận thông tin (Mẫu 01)", "Report received (form 01)"),
        /// Information checked (Art 25 k2).
        Verification = ("verification", "Kiểm tra, xác minh thông tin", "Verification"),
        /// Initial risk and harm assessment (Art 26 k2, Mẫu 02).
        InitialAssessment = ("initial_assessment", "Đánh giá nguy cơ ban đầu (Mẫu 02)", "Initial risk assessment (form 02)"),
        /// Emergency protection measures (Art 31).
        EmergencyMeasures = ("emergency_measures", "Biện pháp can thiệp khẩn cấp", "Emergency measures"),
        /// Temporary separation decided (Art 32, Mẫu 07).
        SeparationDecided = ("separation_decided", "Quyết định tạm thời cách ly (Mẫu 07)", "Temporary separation decided (form 07)"),
        /// Temporary separation extended (Art 32 k3).
        SeparationExtended = ("separation_extended", "Gia hạn tạm thời cách ly", "Temporary separation extended"),
        /// Temporary separation revoked (Art 32 k3).
        SeparationRevoked = ("separation_revoked", "Hủy bỏ quyết định tạm thời cách ly", "Temporary separation revoked"),
        /// Detailed assessment (Art 27 k1, Mẫu 03).
        DetailedAssessment = ("detailed_assessment", "Thu thập thông tin, đánh giá nguy cơ cụ thể (Mẫu 03)", "Detailed assessment (form 03)"),
        /// Needs-determination meeting (Art 27 k2).
        NeedsMeeting = ("needs_meeting", "Họp xác định nhu cầu hỗ trợ, can thiệp", "Needs meeting"),
        /// Plan drafted (Art 28 k1, Mẫu 04).
        PlanDrafted = ("plan_drafted", "Xây dựng kế hoạch hỗ trợ, can thiệp (Mẫu 04)", "Plan drafted (form 04)"),
        /// Dossier submitted to the chair (Art 28 k2).
        PlanSubmitted = ("plan_submitted", "Trình Chủ tịch UBND xã phê duyệt kế hoạch", "Plan submitted to the chair"),
        /// Plan approved by the chair (Art 28 k4, Mẫu 05).
        PlanApproved = ("plan_approved", "Phê duyệt kế hoạch (Mẫu 05)", "Plan approved (form 05)"),
        /// Plan sent back by the chair for changes (Art 28 k4), or the chair's refusal of a
        /// review's proposal to end the plan (Art 30 k1 b) or to continue with a new one (Art 30
        /// k1 c).
        PlanReturned = ("plan_returned", "Chủ tịch trả lại kế hoạch, hoặc không đồng ý đề nghị kết thúc hay tiếp tục kế hoạch", "Returned by the chair (the plan, or a proposal to end or continue it)"),
        /// An implementation activity (Art 29).
        ImplementationActivity = ("implementation_activity", "Thực hiện kế hoạch", "Implementation activity"),
        /// Review after the plan (Art 30, Mẫu 06).
        Review = ("review", "Rà soát, đánh giá sau can thiệp (Mẫu 06)", "Review (form 06)"),
        /// The chair agrees to a review's proposal to continue (Art 30 k1 c): a new plan cycle
        /// starts from this decision.
        ContinuationApproved = ("continuation_approved", "Chủ tịch UBND xã đồng ý tiếp tục xây dựng, phê duyệt kế hoạch hỗ trợ, can thiệp", "The chair agreed to continue with a new plan"),
        /// Case ended.
        Closed = ("closed", "Kết thúc vụ việc", "Case closed"),
        /// Case handed to another commune (local practice, not a decree step).
        Transferred = ("transferred", "Chuyển vụ việc cho xã khác", "Transferred to another commune"),
    }
);

impl StepKind {
    /// Looks a step code up without an error.
    pub fn from_code_str(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.code() == s)
    }
}

crate::code_enum!(
    /// Risk or harm level on the forms' High / Medium / Low scale.
    RiskLevel {
        /// Cao.
        High = ("high", "Cao", "High"),
        /// Trung bình.
        Medium = ("medium", "Trung bình", "Medium"),
        /// Thấp.
        Low = ("low", "Thấp", "Low"),
    }
);

crate::code_enum!(
    /// Emergency measures (Decree 56 Art 31 k3).
    EmergencyMeasure {
        /// Work with the police to stop the harm.
        PoliceIntervention = ("police_intervention", "Phối hợp công an ngăn chặn hành vi xâm hại", "Police stopped the harm"),
        /// First aid, emergency care.
        FirstAid = ("first_aid", "Sơ cứu, cấp cứu, chăm sóc y tế", "First aid and medical care"),
        /// Keep objects and documents as evidence.
        EvidenceKept = ("evidence_kept", "Thu giữ đồ vật, tài liệu làm chứng cứ", "Evidence kept"),
        /// Move the child to a safe place.
        SafePlace = ("safe_place", "Đưa trẻ em đến nơi an toàn", "Child moved to a safe place"),
        /// Ask hotline 111 for support.
        Hotline = ("hotline_111", "Đề nghị Tổng đài 111 hỗ trợ", "Hotline 111 asked for support"),
        /// Other.
        Other = ("other", "Biện pháp khác", "Other"),
    }
);

crate::code_enum!(
    /// Grounds for a temporary separation (Decree 56 Art 32 k1).
    SeparationGround {
        /// Abused or at risk by the parent or carer.
        ByParentOrCarer = ("by_parent_or_carer", "Trẻ em bị xâm hại hoặc có nguy cơ bị bạo lực, bóc lột, bỏ rơi bởi cha, mẹ, người chăm sóc", "Abused or at risk by the parent or carer"),
        /// Parents refuse the plan.
        PlanRefused = ("plan_refused", "Cha, mẹ, người chăm sóc không thực hiện kế hoạch hỗ trợ, can thiệp", "Parents or carer refuse the plan"),
        /// Risk of further abuse by the parent or carer.
        FurtherAbuseRisk = ("further_abuse_risk", "Trẻ em có nguy cơ tiếp tục bị xâm hại bởi cha, mẹ, người chăm sóc", "Risk of further abuse by the parent or carer"),
    }
);

crate::code_enum!(
    /// What a review proposes to the chair (Decree 56 Art 30 k1 b, c).
    ReviewProposal {
        /// End the plan.
        End = ("end", "Đề nghị kết thúc kế hoạch hỗ trợ, can thiệp", "Propose ending the plan"),
        /// Build and approve a new plan.
        Continue = ("continue", "Đề nghị tiếp tục xây dựng, phê duyệt kế hoạch", "Propose a new plan cycle"),
    }
);

crate::code_enum!(
    /// Why a case ended.
    CloseReason {
        /// The chair ended the plan after a review (Art 30 k1 b).
        PlanCompleted = ("plan_completed", "Kết thúc kế hoạch hỗ trợ, can thiệp", "Plan completed"),
        /// The information proved unfounded on verification (Art 25 k2).
        Unfounded = ("unfounded", "Thông tin không có cơ sở sau xác minh", "Unfounded after verification"),
        /// Assessment found no support or intervention needed.
        NoInterventionNeeded = ("no_intervention_needed", "Không cần hỗ trợ, can thiệp", "No intervention needed"),
        /// Any other reason (a note is required).
        Other = ("other", "Lý do khác", "Other"),
    }
);

/// One criterion scored High / Medium / Low.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RiskScore {
    /// The criterion: a code of the form's fixed criteria (`harm_severity`, `abuser_access`,
    /// `care_obstacles`; the closed list per form is [`crate::criteria`]), or the officer's own
    /// criterion as typed. Steps recorded before criteria were codes may hold a wording instead,
    /// read as its code by [`crate::criteria::criterion_code`].
    pub criterion: String,
    /// Level.
    pub level: Option<RiskLevel>,
    /// Note.
    pub note: String,
}

/// Art 25 k2.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Verification {
    /// What was found.
    pub findings: String,
    /// Whether abuse or risk was confirmed.
    pub confirmed: Option<bool>,
}

/// Mẫu 02 — Art 26 k2.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InitialAssessment {
    /// Scored criteria.
    pub criteria: Vec<RiskScore>,
    /// The child's life, health or dignity is seriously harmed or at serious risk: emergency
    /// measures are due within 12 hours of receipt (Art 26 k3).
    pub serious_risk: bool,
    /// The parent or carer is the one causing the harm: the child needs emergency protection
    /// (Art 31 k1, second trigger), so emergency measures are due within 12 hours of receipt
    /// (Art 31 k2), exactly as with `serious_risk`.
    pub caused_by_parent_or_carer: bool,
    /// Temporary safety measures already taken.
    pub safety_measures: String,
    /// Conclusion.
    pub conclusion: String,
}

/// Art 31.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmergencyMeasures {
    /// Measures applied.
    pub measures: Vec<EmergencyMeasure>,
    /// What was done.
    pub description: String,
    /// Where the child is now.
    pub child_location: String,
    /// Evidence kept.
    pub evidence: String,
}

/// Mẫu 07 — Art 32. Art 32 k2: the chair of the commune "nơi trẻ em cư trú hoặc nơi xảy ra" the
/// case decides "theo Mẫu số 07", "bố trí nơi tạm trú an toàn" and "áp dụng biện pháp chăm sóc
/// thay thế"; k4: "cần được thực hiện ngay việc giao chăm sóc thay thế". A new decision is
/// refused without its number, shelter, carer, chair and commune ([`StepInput::parse`]); steps
/// recorded before these were required, or before `decided_by` and `decision_commune` existed
/// (`serde(default)`), load and sync as they are.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeparationDecided {
    /// Decision number ("Số: …/QĐ-UBND" on Mẫu 07).
    pub decision_no: String,
    /// Grounds (Art 32 k1).
    pub grounds: Option<SeparationGround>,
    /// Separated from.
    pub separated_from: Vec<CarerRelation>,
    /// Duration in days (at most 15 in total).
    pub days: u32,
    /// Safe temporary shelter (Art 32 k2; Law on Children Art 50 k2 b).
    pub shelter: String,
    /// Alternative carer: the person, family or facility the child is given to at once (Art 32
    /// k2, k4; Law on Children Art 52 k3).
    pub carer: String,
    /// Who decided: the full name of the chair (or of the vice-chair signing for the chair),
    /// printed where Mẫu 07 is signed. Empty in steps recorded before the field existed.
    pub decided_by: String,
    /// The commune whose chair decided (its code): where the child lives or where the case
    /// happened (Art 32 k2). Empty in steps recorded before the field existed.
    pub decision_commune: String,
}

/// Art 32 k3: the chair's extension, within 15 days in total; or a court's decision to continue
/// the separation beyond them (Art 32 k3 "trừ trường hợp phải tiếp tục cách ly theo yêu cầu của
/// cơ quan có thẩm quyền"; Law on Children Art 52 k3; Circular 14/2020 Art 14 k3 b: "đề nghị Tòa
/// án nhân dân cấp huyện quyết định tiếp tục cách ly trẻ em").
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeparationExtended {
    /// Decision number (the court's, when `court` is given).
    pub decision_no: String,
    /// Extra days.
    pub extra_days: u32,
    /// Reason.
    pub reason: String,
    /// The court that ordered the separation continued, when it did (the step is dated the day
    /// of its decision, which `decision_no` numbers); empty for the chair's extension. Only a
    /// court's continuation may take the total past 15 days. Empty in steps recorded before the
    /// field existed.
    pub court: String,
}

impl SeparationExtended {
    /// Whether a court ordered it (Circular 14/2020 Art 14 k3 b).
    pub fn by_court(&self) -> bool {
        !self.court.trim().is_empty()
    }
}

/// Art 32 k3.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeparationRevoked {
    /// Decision number.
    pub decision_no: String,
    /// Reason (parents or carer assessed able to keep the child safe, on Mẫu 03).
    pub reason: String,
}

/// Mẫu 03 — Art 27 k1 (a)–(h).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DetailedAssessment {
    /// (a) Physical, psychological and emotional condition.
    pub condition: String,
    /// (b) Family circumstances, relationships, protective capacity.
    pub family: String,
    /// (c) Factors of (further) abuse.
    pub risk_factors: String,
    /// (d) Schooling and self-protection.
    pub schooling_self_protection: String,
    /// (đ) Safety and support of the community.
    pub community: String,
    /// (e) Needs.
    pub needs: String,
    /// (g) The child's views and wishes.
    pub child_views: String,
    /// (h) The parents' or carer's views (left out when they cause the harm).
    pub carer_views: String,
    /// Scored criteria.
    pub criteria: Vec<RiskScore>,
    /// Whether a support and intervention plan is needed.
    pub plan_needed: bool,
}

/// Art 27 k2.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NeedsMeeting {
    /// Participants.
    pub participants: String,
    /// Conclusions.
    pub conclusions: String,
}

/// A row of the plan table (Art 28 k3).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanActivity {
    /// Service or task.
    pub service: String,
    /// Start date (yyyy-mm-dd after validation).
    pub start: Option<String>,
    /// Expected end date.
    pub end: Option<String>,
    /// Responsible body or person.
    pub responsible: String,
    /// Service provider.
    pub provider: String,
    /// Cost estimate in đồng.
    pub cost: Option<u64>,
    /// Notes.
    pub note: String,
}

/// Mẫu 04 — Art 28 k1, k3.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanDrafted {
    /// Goals.
    pub goals: String,
    /// Activities.
    pub activities: Vec<PlanActivity>,
    /// Monitoring and evaluation.
    pub monitoring: String,
}

/// Art 28 k2.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanSubmitted {
    /// Note.
    pub note: String,
}

/// Mẫu 05 — Art 28 k4.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanApproved {
    /// Decision number.
    pub decision_no: String,
    /// Who signed (chair or vice-chair).
    pub approver: String,
}

/// The chair sends the plan back, or refuses a review's proposal to end it (Decree 56 Art 30
/// k1 b) or to continue with a new one (Art 30 k1 c): the approved plan then goes on.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanReturned {
    /// Why.
    pub reason: String,
}

/// Art 29.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImplementationActivity {
    /// What was done.
    pub description: String,
}

/// Mẫu 06 — Art 30.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Review {
    /// Section 1a: level of harm.
    pub harm: Vec<RiskScore>,
    /// Section 1b: self-protection and recovery.
    pub self_protection: Vec<RiskScore>,
    /// Proposal to the chair.
    pub proposal: Option<ReviewProposal>,
    /// Reasons.
    pub reasons: String,
}

/// The chair's agreement to a review's proposal to continue (Decree 56 Art 30 k1 c: "Trình Chủ
/// tịch Ủy ban nhân dân cấp xã tiếp tục quy trình xây dựng, phê duyệt kế hoạch hỗ trợ, can
/// thiệp"): the next plan cycle starts from it. The refusal is `plan_returned`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContinuationApproved {
    /// The number of the chair's decision or written opinion, when there is one.
    pub decision_no: String,
    /// Note.
    pub note: String,
}

/// Case closed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Closed {
    /// Reason.
    pub reason: Option<CloseReason>,
    /// Note.
    pub note: String,
    /// Why no emergency measure was applied, when the child needed emergency protection (Decree
    /// 56 Art 31 k1–2) and none is recorded: closing such a case is refused without it. Empty in
    /// steps recorded before the field existed (`serde(default)` on the struct).
    pub no_emergency_reason: String,
}

/// Case handed over to another commune.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Transferred {
    /// Receiving commune code.
    pub to_commune: String,
    /// Note.
    pub note: String,
}

/// A step's payload. Serialised as `{"step": "<code>", "data": {…}}`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", content = "data", rename_all = "snake_case")]
pub enum Step {
    /// See [`StepKind::Intake`].
    Intake(crate::case::IntakeReport),
    /// See [`StepKind::Verification`].
    Verification(Verification),
    /// See [`StepKind::InitialAssessment`].
    InitialAssessment(InitialAssessment),
    /// See [`StepKind::EmergencyMeasures`].
    EmergencyMeasures(EmergencyMeasures),
    /// See [`StepKind::SeparationDecided`].
    SeparationDecided(SeparationDecided),
    /// See [`StepKind::SeparationExtended`].
    SeparationExtended(SeparationExtended),
    /// See [`StepKind::SeparationRevoked`].
    SeparationRevoked(SeparationRevoked),
    /// See [`StepKind::DetailedAssessment`].
    DetailedAssessment(DetailedAssessment),
    /// See [`StepKind::NeedsMeeting`].
    NeedsMeeting(NeedsMeeting),
    /// See [`StepKind::PlanDrafted`].
    PlanDrafted(PlanDrafted),
    /// See [`StepKind::PlanSubmitted`].
    PlanSubmitted(PlanSubmitted),
    /// See [`StepKind::PlanApproved`].
    PlanApproved(PlanApproved),
    /// See [`StepKind::PlanReturned`].
    PlanReturned(PlanReturned),
    /// See [`StepKind::ImplementationActivity`].
    ImplementationActivity(ImplementationActivity),
    /// See [`StepKind::Review`].
    Review(Review),
    /// See [`StepKind::ContinuationApproved`].
    ContinuationApproved(ContinuationApproved),
    /// See [`StepKind::Closed`].
    Closed(Closed),
    /// See [`StepKind::Transferred`].
    Transferred(Transferred),
}

impl Step {
    /// The step's kind.
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Intake(_) => StepKind::Intake,
            Step::Verification(_) => StepKind::Verification,
            Step::InitialAssessment(_) => StepKind::InitialAssessment,
            Step::EmergencyMeasures(_) => StepKind::EmergencyMeasures,
            Step::SeparationDecided(_) => StepKind::SeparationDecided,
            Step::SeparationExtended(_) => StepKind::SeparationExtended,
            Step::SeparationRevoked(_) => StepKind::SeparationRevoked,
            Step::DetailedAssessment(_) => StepKind::DetailedAssessment,
            Step::NeedsMeeting(_) => StepKind::NeedsMeeting,
            Step::PlanDrafted(_) => StepKind::PlanDrafted,
            Step::PlanSubmitted(_) => StepKind::PlanSubmitted,
            Step::PlanApproved(_) => StepKind::PlanApproved,
            Step::PlanReturned(_) => StepKind::PlanReturned,
            Step::ImplementationActivity(_) => StepKind::ImplementationActivity,
            Step::Review(_) => StepKind::Review,
            Step::ContinuationApproved(_) => StepKind::ContinuationApproved,
            Step::Closed(_) => StepKind::Closed,
            Step::Transferred(_) => StepKind::Transferred,
        }
    }
}

/// A recorded step.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    /// Id.
    pub id: EventId,
    /// The case.
    pub case_id: CaseId,
    /// When it happened.
    pub occurred_at: Instant,
    /// When it was recorded.
    pub recorded_at: Instant,
    /// Who recorded it.
    pub author: String,
    /// What happened.
    #[serde(flatten)]
    pub step: Step,
}

/// A step as typed (`bvte case step`): `{"step": "...", "occurred_at": "...", "data": {...}}`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StepInput {
    /// Step code (required).
    pub step: String,
    /// When it happened (default: now).
    pub occurred_at: Option<String>,
    /// The form's fields.
    pub data: Value,
}

impl StepInput {
    /// Parses and cleans the step: known kind, well-formed fields, NFC text, dates not in the
    /// future. Whether the law allows the step *now* is decided by [`crate::workflow::admit`].
    pub fn parse(&self, now: Instant) -> Result<(Instant, Step), ValidationErrors> {
        let step_code = self.step.trim();
        if step_code.is_empty() {
            return Err(ValidationError::Required {
                field: "step".into(),
            }
            .into());
        }
        let kind = StepKind::parse("step", step_code)?;
        let occurred_at = match self.occurred_at.as_deref() {
            Some(s) if !s.trim().is_empty() => {
                parse_instant("occurred_at", s).and_then(|t| not_future("occurred_at", t, now))?
            }
            _ => now,
        };
        let mut data = match &self.data {
            Value::Null => Value::Object(Default::default()),
            v => v.clone(),
        };
        crate::sanitize::clean_strings(&mut data, "data")?;
        let tagged = serde_json::json!({ "step": kind.code(), "data": data });
        let mut step: Step =
            serde_json::from_value(tagged).map_err(|e| ValidationError::InvalidShape {
                field: "data".into(),
                detail: crate::text::truncate_detail(&e.to_string()),
            })?;
        crate::step_checks::validate_payload(&mut step)?;
        crate::step_checks::required_when_recorded(&step)?;
        // A fixed criterion typed as its wording is stored as its code (not in
        // `validate_payload`: a synced step may still hold a wording).
        crate::criteria::codes_in(&mut step);
        Ok((occurred_at, step))
    }
}
