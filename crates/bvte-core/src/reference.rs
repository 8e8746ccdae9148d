//! Every closed list the UI shows, with Vietnamese and English labels from the domain, so that
//! no label of a legal category is written twice.

use bvte_domain::calendar::DayKind;
use bvte_domain::case::{AbuseForm, CaseCategory, Channel, Environment};
use bvte_domain::child::{CarerRelation, DisabilityLevel, ResidenceStatus, SchoolingStatus, Sex};
use bvte_domain::codes::Code;
use bvte_domain::criteria::{CriteriaTable, Criterion};
use bvte_domain::deadline::{DeadlineRule, DeadlineStatus};
use bvte_domain::event::{
    CloseReason, EmergencyMeasure, ReviewProposal, RiskLevel, SeparationGround, StepKind,
};
use bvte_domain::groups::Group;
use bvte_domain::workflow::Stage;
use serde::Serialize;

/// A code and its labels.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CodeLabel {
    /// Stable code.
    pub code: String,
    /// Vietnamese.
    pub label_vi: String,
    /// English.
    pub label_en: String,
}

/// A special-circumstance group with its sub-groups.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct GroupRef {
    /// Group code and labels.
    pub group: CodeLabel,
    /// The Decree 56 article that details it.
    pub article: u8,
    /// Sub-groups (`code` is the number as text).
    pub subgroups: Vec<CodeLabel>,
}

/// All closed lists.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Reference {
    /// Sex.
    pub sexes: Vec<CodeLabel>,
    /// Residence status.
    pub residence: Vec<CodeLabel>,
    /// Carer relations.
    pub carer_relations: Vec<CodeLabel>,
    /// Disability levels.
    pub disability_levels: Vec<CodeLabel>,
    /// Schooling.
    pub schooling: Vec<CodeLabel>,
    /// Groups and sub-groups.
    pub groups: Vec<GroupRef>,
    /// Ethnic groups (`code` 121-TCTK).
    pub ethnic_groups: Vec<CodeLabel>,
    /// Case categories.
    pub categories: Vec<CodeLabel>,
    /// Forms of abuse.
    pub abuse_forms: Vec<CodeLabel>,
    /// Environments.
    pub environments: Vec<CodeLabel>,
    /// Channels.
    pub channels: Vec<CodeLabel>,
    /// Step kinds.
    pub steps: Vec<CodeLabel>,
    /// Stages.
    pub stages: Vec<CodeLabel>,
    /// Deadline rules.
    pub deadline_rules: Vec<CodeLabel>,
    /// Deadline statuses.
    pub deadline_statuses: Vec<CodeLabel>,
    /// Risk levels.
    pub risk_levels: Vec<CodeLabel>,
    /// The fixed criteria of the assessment tables, generic wording (`bvte_domain::criteria`).
    pub criteria: Vec<CodeLabel>,
    /// Mẫu 02's fixed criteria (`initial_assessment.criteria`), in order, worded as the form.
    pub criteria_initial_assessment: Vec<CodeLabel>,
    /// Mẫu 03's (`detailed_assessment.criteria`).
    pub criteria_detailed_assessment: Vec<CodeLabel>,
    /// Mẫu 06 §1a's (`review.harm`). §1b (`review.self_protection`) has none.
    pub criteria_review_harm: Vec<CodeLabel>,
    /// Emergency measures.
    pub emergency_measures: Vec<CodeLabel>,
    /// Separation grounds.
    pub separation_grounds: Vec<CodeLabel>,
    /// Review proposals.
    pub review_proposals: Vec<CodeLabel>,
    /// Close reasons.
    pub close_reasons: Vec<CodeLabel>,
    /// Calendar day kinds.
    pub day_kinds: Vec<CodeLabel>,
    /// What an audit entry records ("Nhật ký truy cập").
    pub audit_actions: Vec<CodeLabel>,
}

fn list<T: Code>() -> Vec<CodeLabel> {
    T::ALL
        .iter()
        .map(|v| CodeLabel {
            code: v.code().into(),
            label_vi: v.label_vi().into(),
            label_en: v.label_en().into(),
        })
        .collect()
}

/// A criteria table's fixed criteria, worded as its form words them.
fn table(t: CriteriaTable) -> Vec<CodeLabel> {
    t.criteria()
        .iter()
        .map(|(c, vi, en)| CodeLabel {
            code: c.code().into(),
            label_vi: (*vi).into(),
            label_en: (*en).into(),
        })
        .collect()
}

/// The reference lists.
pub fn reference() -> Reference {
    Reference {
        sexes: list::<Sex>(),
        residence: list::<ResidenceStatus>(),
        carer_relations: list::<CarerRelation>(),
        disability_levels: list::<DisabilityLevel>(),
        schooling: list::<SchoolingStatus>(),
        groups: Group::ALL
            .iter()
            .map(|g| GroupRef {
                group: CodeLabel {
                    code: g.code().into(),
                    label_vi: g.label_vi().into(),
                    label_en: g.label_en().into(),
                },
                article: g.decree56_article(),
                subgroups: g
                    .subgroups()
                    .iter()
                    .map(|(n, vi, en)| CodeLabel {
                        code: n.to_string(),
                        label_vi: (*vi).into(),
                        label_en: (*en).into(),
                    })
                    .collect(),
            })
            .collect(),
        ethnic_groups: bvte_domain::reference::ethnic_groups()
            .all
            .iter()
            .map(|e| CodeLabel {
                code: e.code.clone(),
                label_vi: e.name.clone(),
                label_en: e.name.clone(),
            })
            .collect(),
        categories: list::<CaseCategory>(),
        abuse_forms: list::<AbuseForm>(),
        environments: list::<Environment>(),
        channels: list::<Channel>(),
        steps: list::<StepKind>(),
        stages: list::<Stage>(),
        deadline_rules: list::<DeadlineRule>(),
        deadline_statuses: list::<DeadlineStatus>(),
        risk_levels: list::<RiskLevel>(),
        criteria: list::<Criterion>(),
        criteria_initial_assessment: table(CriteriaTable::InitialAssessment),
        criteria_detailed_assessment: table(CriteriaTable::DetailedAssessment),
        criteria_review_harm: table(CriteriaTable::ReviewHarm),
        emergency_measures: list::<EmergencyMeasure>(),
        separation_grounds: list::<SeparationGround>(),
        review_proposals: list::<ReviewProposal>(),
        close_reasons: list::<CloseReason>(),
        day_kinds: list::<DayKind>(),
        audit_actions: list::<bvte_store::AuditAction>(),
    }
}
