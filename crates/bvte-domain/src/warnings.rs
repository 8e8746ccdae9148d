//! What the law allows but contradicts itself: a case reported as a *risk* of violence while
//! violence is ticked as a form of abuse that happened; an initial assessment rating several
//! criteria "Cao" without marking serious risk. Never a refusal (the officer may know better):
//! a validation pass answers these warnings, and the form asks the officer to confirm.

use crate::case::{AbuseForm, CaseCategory, CaseData};
use crate::codes::Code;
use crate::error::ErrorReport;
use crate::event::{RiskLevel, Step};

/// High ratings in an initial assessment from which serious risk is expected to be marked.
pub const HIGH_RATINGS_FOR_SERIOUS_RISK: usize = 2;

/// A contradiction worth a second look. `code()` is stable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// The category is a risk (of violence, exploitation or abandonment) while forms of abuse
    /// are ticked, which say the child was abused (Law on Children Art 4 k5; Mẫu 01 footnote 4).
    RiskButAbused {
        /// The category chosen.
        category: CaseCategory,
        /// The forms of abuse ticked.
        forms: Vec<AbuseForm>,
    },
    /// An initial assessment rates several criteria "Cao" but does not mark serious risk, which
    /// decides whether emergency measures are due within 12 hours (Decree 56 Art 26 k3).
    HighWithoutSeriousRisk {
        /// How many criteria are rated "Cao".
        high: usize,
    },
}

impl Warning {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::RiskButAbused { .. } => "risk_but_abused",
            Self::HighWithoutSeriousRisk { .. } => "high_without_serious_risk",
        }
    }

    /// The field to look at again (a JSON path, as for errors).
    pub fn field(&self) -> &'static str {
        match self {
            Self::RiskButAbused { .. } => "abuse_forms",
            Self::HighWithoutSeriousRisk { .. } => "data.serious_risk",
        }
    }

    /// What contradicts what, and what to change if it was a slip (Vietnamese).
    pub fn message_vi(&self) -> String {
        match self {
            Self::RiskButAbused { category, forms } => format!(
                "Loại vụ việc là “{}” nhưng đã đánh dấu hình thức xâm hại {}: như vậy là trẻ đã bị xâm hại. Nếu đúng vậy, hãy chọn “{}”; nếu trẻ mới có nguy cơ, hãy bỏ đánh dấu hình thức xâm hại.",
                category.label_vi(),
                quoted(forms.iter().map(|f| f.label_vi())),
                CaseCategory::Abused.label_vi()
            ),
            Self::HighWithoutSeriousRisk { high } => format!(
                "Có {high} tiêu chí được đánh giá mức “Cao” nhưng chưa đánh dấu trẻ em bị tổn hại nghiêm trọng hoặc có nguy cơ bị tổn hại nghiêm trọng. Nếu đúng là nghiêm trọng, hãy đánh dấu: khi đó phải áp dụng biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trong 12 giờ (Điều 26 khoản 3 Nghị định 56/2017/NĐ-CP)."
            ),
        }
    }

    /// The same in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::RiskButAbused { category, forms } => format!(
                "The case is \"{}\" yet {} is ticked as a form of abuse, which means the child was abused. If so, choose \"{}\"; if the child is only at risk, untick the forms of abuse.",
                category.label_en(),
                quoted_en(forms.iter().map(|f| f.label_en())),
                CaseCategory::Abused.label_en()
            ),
            Self::HighWithoutSeriousRisk { high } => format!(
                "{high} criteria are rated High, yet serious harm or serious risk is not ticked. If it is serious, tick it: emergency measures or a temporary separation are then due within 12 hours (Decree 56 Art 26 k3)."
            ),
        }
    }

    /// The warning as `{code, field, message, message_en}`, the shape of a field error.
    pub fn report(&self) -> ErrorReport {
        ErrorReport {
            code: self.code(),
            field: Some(self.field().to_string()),
            message: self.message_vi(),
            message_en: self.message_en(),
        }
    }
}

fn quoted<'a>(labels: impl Iterator<Item = &'a str>) -> String {
    labels
        .map(|l| format!("“{l}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn quoted_en<'a>(labels: impl Iterator<Item = &'a str>) -> String {
    labels
        .map(|l| format!("\"{l}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The warnings of a case about to be opened.
pub fn case_warnings(d: &CaseData) -> Vec<Warning> {
    let risk = matches!(
        d.category,
        CaseCategory::AtRiskViolence
            | CaseCategory::AtRiskExploitation
            | CaseCategory::AtRiskAbandonment
    );
    if risk && !d.abuse_forms.is_empty() {
        vec![Warning::RiskButAbused {
            category: d.category,
            forms: d.abuse_forms.clone(),
        }]
    } else {
        vec![]
    }
}

/// The warnings of a step about to be recorded.
pub fn step_warnings(step: &Step) -> Vec<Warning> {
    match step {
        Step::InitialAssessment(a) if !a.serious_risk => {
            let high = a
                .criteria
                .iter()
                .filter(|c| c.level == Some(RiskLevel::High))
                .count();
            if high >= HIGH_RATINGS_FOR_SERIOUS_RISK {
                vec![Warning::HighWithoutSeriousRisk { high }]
            } else {
                vec![]
            }
        }
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{InitialAssessment, RiskScore};

    fn case(category: CaseCategory, forms: &[AbuseForm]) -> CaseData {
        CaseData {
            child_id: crate::ChildId(uuid::Uuid::nil()),
            received_at: chrono::DateTime::UNIX_EPOCH,
            category,
            abuse_forms: forms.to_vec(),
            environment: crate::case::Environment::Family,
            incident_commune: "09955".into(),
            residence_commune: "09955".into(),
            incident_place: String::new(),
            channel: crate::case::Channel::Phone,
            summary: String::new(),
        }
    }

    #[test]
    fn a_risk_with_abuse_ticked_is_warned_and_a_consistent_case_is_not() {
        use AbuseForm as F;
        use CaseCategory as C;
        assert_eq!(case_warnings(&case(C::Abused, &[F::Violence])), vec![]);
        assert_eq!(case_warnings(&case(C::AtRiskViolence, &[])), vec![]);
        assert_eq!(
            case_warnings(&case(C::SpecialCircumstances, &[F::Neglect])),
            vec![]
        );
        for c in [
            C::AtRiskViolence,
            C::AtRiskExploitation,
            C::AtRiskAbandonment,
        ] {
            let w = case_warnings(&case(c, &[F::Violence]));
            assert_eq!(w.len(), 1, "{c:?}");
            assert_eq!(w[0].report().field.as_deref(), Some("abuse_forms"));
        }
        let w = &case_warnings(&case(C::AtRiskViolence, &[F::Violence]))[0];
        assert!(w.message_vi().contains("“Trẻ em có nguy cơ bị bạo lực”"));
        assert!(w.message_vi().contains("“Bạo lực”"));
        assert!(w.message_en().contains("\"Violence\""));
    }

    #[test]
    fn two_high_ratings_without_serious_risk_are_warned() {
        let level = |l: RiskLevel| RiskScore {
            criterion: "x".into(),
            level: Some(l),
            note: String::new(),
        };
        let step = |levels: &[RiskLevel], serious_risk| {
            Step::InitialAssessment(InitialAssessment {
                criteria: levels.iter().map(|l| level(*l)).collect(),
                serious_risk,
                ..Default::default()
            })
        };
        use RiskLevel::{High, Low};
        assert_eq!(step_warnings(&step(&[High, Low], false)), vec![]);
        assert_eq!(step_warnings(&step(&[High, High], true)), vec![]);
        assert_eq!(
            step_warnings(&step(&[High, High, Low], false)),
            vec![Warning::HighWithoutSeriousRisk { high: 2 }]
        );
    }
}
