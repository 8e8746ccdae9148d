//! A case step's payload (`data`) as changes carry it (see `patch`): each kind of step has its
//! fields (the payload structs of `event`, a test keeps the two in step), every string cleaned as
//! free text the way `StepInput::parse` stores it (the intake report as `case::clean_intake`
//! does, the same), and the step-specific rules of `step_checks::validate_payload` already applied.

use crate::child::CarerRelation;
use crate::codes::Code;
use crate::error::{Expected, ValidationError};
use crate::event::{
    CloseReason, EmergencyMeasure, ReviewProposal, RiskLevel, SeparationGround, Step, StepKind,
};
use crate::patch::{Check, join};
use crate::text::MAX_TEXT_CHARS;
use serde_json::Value;

/// A check of one code of a closed list.
type CodeCheck = fn(&str, &str) -> Result<(), ValidationError>;

fn code<T: Code>(field: &str, s: &str) -> Result<(), ValidationError> {
    T::parse_stored(field, s).map(|_| ())
}

/// What a payload field holds.
#[derive(Clone, Copy)]
pub(crate) enum Leaf {
    /// Free text (`String`).
    Text,
    /// Free text or nothing (`Option<String>`).
    OptText,
    /// `bool`.
    Bool,
    /// `Option<bool>`.
    OptBool,
    /// A number of days (`u32`).
    Count,
    /// An amount of money in đồng (`Option<u64>`).
    OptAmount,
    /// A code or nothing (`Option<T: Code>`).
    OptCode(CodeCheck),
    /// A list of codes (`Vec<T: Code>`).
    Codes(CodeCheck),
    /// A list of scored criteria (`Vec<RiskScore>`).
    Scores,
    /// A list of plan activities (`Vec<PlanActivity>`).
    Activities,
}

use Leaf::*;

type Schema = &'static [(&'static str, Leaf)];

const SCORE: Schema = &[
    ("criterion", Text),
    ("level", OptCode(code::<RiskLevel>)),
    ("note", Text),
];
const ACTIVITY: Schema = &[
    ("service", Text),
    ("start", OptText),
    ("end", OptText),
    ("responsible", Text),
    ("provider", Text),
    ("cost", OptAmount),
    ("note", Text),
];
const INTAKE: Schema = &[
    ("child_condition", Text),
    ("likely_consequences", Text),
    ("family_circumstances", Text),
    ("current_carer", Text),
    ("prior_support", Text),
    ("notes", Text),
];
const VERIFICATION: Schema = &[("findings", Text), ("confirmed", OptBool)];
const INITIAL: Schema = &[
    ("criteria", Scores),
    ("serious_risk", Bool),
    ("caused_by_parent_or_carer", Bool),
    ("safety_measures", Text),
    ("conclusion", Text),
];
const EMERGENCY: Schema = &[
    ("measures", Codes(code::<EmergencyMeasure>)),
    ("description", Text),
    ("child_location", Text),
    ("evidence", Text),
];
const SEPARATION: Schema = &[
    ("decision_no", Text),
    ("grounds", OptCode(code::<SeparationGround>)),
    ("separated_from", Codes(code::<CarerRelation>)),
    ("days", Count),
    ("shelter", Text),
    ("carer", Text),
    ("decided_by", Text),
    ("decision_commune", Text),
];
const EXTENSION: Schema = &[
    ("decision_no", Text),
    ("extra_days", Count),
    ("reason", Text),
    ("court", Text),
];
const REVOCATION: Schema = &[("decision_no", Text), ("reason", Text)];
const DETAILED: Schema = &[
    ("condition", Text),
    ("family", Text),
    ("risk_factors", Text),
    ("schooling_self_protection", Text),
    ("community", Text),
    ("needs", Text),
    ("child_views", Text),
    ("carer_views", Text),
    ("criteria", Scores),
    ("plan_needed", Bool),
];
const MEETING: Schema = &[("participants", Text), ("conclusions", Text)];
const PLAN: Schema = &[
    ("goals", Text),
    ("activities", Activities),
    ("monitoring", Text),
];
const NOTE: Schema = &[("note", Text)];
const APPROVAL: Schema = &[("decision_no", Text), ("approver", Text)];
const REASON: Schema = &[("reason", Text)];
const ACTIVITY_DONE: Schema = &[("description", Text)];
const REVIEW: Schema = &[
    ("harm", Scores),
    ("self_protection", Scores),
    ("proposal", OptCode(code::<ReviewProposal>)),
    ("reasons", Text),
];
const CLOSED: Schema = &[
    ("reason", OptCode(code::<CloseReason>)),
    ("note", Text),
    ("no_emergency_reason", Text),
];
const CONTINUATION: Schema = &[("decision_no", Text), ("note", Text)];
const TRANSFERRED: Schema = &[("to_commune", Text), ("note", Text)];

/// The fields of a step kind's payload.
pub(crate) fn schema(kind: StepKind) -> Schema {
    match kind {
        StepKind::Intake => INTAKE,
        StepKind::Verification => VERIFICATION,
        StepKind::InitialAssessment => INITIAL,
        StepKind::EmergencyMeasures => EMERGENCY,
        StepKind::SeparationDecided => SEPARATION,
        StepKind::SeparationExtended => EXTENSION,
        StepKind::SeparationRevoked => REVOCATION,
        StepKind::DetailedAssessment => DETAILED,
        StepKind::NeedsMeeting => MEETING,
        StepKind::PlanDrafted => PLAN,
        StepKind::PlanSubmitted => NOTE,
        StepKind::PlanApproved => APPROVAL,
        StepKind::PlanReturned => REASON,
        StepKind::ImplementationActivity => ACTIVITY_DONE,
        StepKind::Review => REVIEW,
        StepKind::ContinuationApproved => CONTINUATION,
        StepKind::Closed => CLOSED,
        StepKind::Transferred => TRANSFERRED,
    }
}

/// The fields of a scored criterion and of a plan activity.
#[cfg(test)]
fn row_schemas() -> (Schema, Schema) {
    (SCORE, ACTIVITY)
}

/// Checks the payload of a step of `kind`. Every field is optional (the payload structs default
/// each one), none unknown.
pub(crate) fn check_step_data(k: &mut Check, kind: StepKind, data: &Value) {
    let before = k.count();
    record(k, "data", data, schema(kind));
    if k.count() > before {
        return;
    }
    // The shape is right, so the payload reads; its rules are the form's.
    let tagged = serde_json::json!({ "step": kind.code(), "data": data });
    match serde_json::from_value::<Step>(tagged) {
        Ok(step) => {
            k.take(check_stored_payload(&step));
        }
        // Not expected once the shape is checked; the parser's text may quote the value.
        Err(_) => k.push(ValidationError::InvalidShape {
            field: "data".into(),
            detail: kind.code().into(),
        }),
    }
}

fn record(k: &mut Check, path: &str, v: &Value, fields: Schema) {
    let known: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
    let Some(m) = k.object(path, v, &known, &[]) else {
        return;
    };
    for (key, v) in m {
        if let Some((_, l)) = fields.iter().find(|(name, _)| name == key) {
            leaf(k, &join(path, key), v, *l);
        }
    }
}

fn leaf(k: &mut Check, path: &str, v: &Value, l: Leaf) {
    match (l, v) {
        (OptText | OptBool | OptAmount | OptCode(_), Value::Null) => {}
        (Text | OptText, _) => {
            k.text(path, v, MAX_TEXT_CHARS);
        }
        (Bool | OptBool, _) => {
            k.boolean(path, v);
        }
        (Count, _) => {
            k.number(path, v, 0, u64::from(u32::MAX));
        }
        (OptAmount, _) => {
            k.number(path, v, 0, u64::MAX);
        }
        (OptCode(check), Value::String(s)) => {
            k.take(check(path, s));
        }
        (OptCode(_), _) => k.push(ValidationError::WrongType {
            field: path.to_string(),
            expected: Expected::Code,
        }),
        (Codes(check), _) => {
            for (i, item) in k.list(path, v).unwrap_or_default().iter().enumerate() {
                let p = format!("{path}[{i}]");
                match item {
                    Value::String(s) => {
                        k.take(check(&p, s));
                    }
                    _ => k.push(ValidationError::WrongType {
                        field: p,
                        expected: Expected::Code,
                    }),
                }
            }
        }
        (Scores | Activities, _) => {
            let row = if matches!(l, Scores) { SCORE } else { ACTIVITY };
            for (i, item) in k.list(path, v).unwrap_or_default().iter().enumerate() {
                record(k, &format!("{path}[{i}]"), item, row);
            }
        }
    }
}

/// The step-specific rules of `step_checks::validate_payload`, and the payload exactly as they leave
/// it (plan dates `yyyy-mm-dd`, commune codes exact).
fn check_stored_payload(step: &Step) -> Result<(), ValidationError> {
    let mut cleaned = step.clone();
    crate::step_checks::validate_payload(&mut cleaned)?;
    if cleaned == *step {
        return Ok(());
    }
    let field = match (step, &cleaned) {
        (Step::PlanDrafted(sent), Step::PlanDrafted(stored)) => sent
            .activities
            .iter()
            .zip(&stored.activities)
            .enumerate()
            .find_map(|(i, (a, b))| {
                let f = if a.start != b.start { "start" } else { "end" };
                (a != b).then(|| format!("data.activities[{i}].{f}"))
            })
            .unwrap_or_else(|| "data.activities".into()),
        (Step::Transferred(_), _) => "data.to_commune".into(),
        (Step::SeparationDecided(_), _) => "data.decision_commune".into(),
        _ => "data".into(),
    };
    Err(ValidationError::NotNormalized { field })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{PlanActivity, RiskScore};
    use serde_json::json;

    fn kinds(v: &Value) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = v
            .as_object()
            .expect("an object")
            .iter()
            .map(|(k, v)| {
                let kind = match v {
                    Value::String(_) => "text",
                    Value::Bool(_) => "bool",
                    Value::Number(_) => "number",
                    Value::Array(_) => "list",
                    Value::Null => "optional",
                    Value::Object(_) => "object",
                };
                (k.clone(), kind)
            })
            .collect();
        out.sort();
        out
    }

    fn schema_kinds(s: Schema) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = s
            .iter()
            .map(|(k, l)| {
                let kind = match l {
                    Text => "text",
                    Bool => "bool",
                    Count => "number",
                    Codes(_) | Scores | Activities => "list",
                    OptText | OptBool | OptAmount | OptCode(_) => "optional",
                };
                (k.to_string(), kind)
            })
            .collect();
        out.sort();
        out
    }

    /// A field added to a payload struct must be added to its schema, or every PC's steps with
    /// it would be refused: the schema lists exactly the struct's fields, with their kinds.
    #[test]
    fn each_schema_is_its_payload_struct() {
        for kind in StepKind::ALL {
            let step: Step =
                serde_json::from_value(json!({"step": kind.code(), "data": {}})).unwrap();
            let stored = serde_json::to_value(&step).unwrap();
            assert_eq!(
                kinds(&stored["data"]),
                schema_kinds(schema(*kind)),
                "{kind:?}"
            );
        }
        let (score, activity) = row_schemas();
        let score_json = serde_json::to_value(RiskScore::default()).unwrap();
        assert_eq!(kinds(&score_json), schema_kinds(score));
        let activity_json = serde_json::to_value(PlanActivity::default()).unwrap();
        assert_eq!(kinds(&activity_json), schema_kinds(activity));
    }
}
