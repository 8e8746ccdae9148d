//! A case and its steps as changes carry them (see `patch`): the fields of [`CaseData`] a change
//! sets, checked as `CaseInput::validate` stores them, and a recorded step ([`CaseEvent`]),
//! checked as `StepInput::parse` and the store write it.
//!
//! Rules that need the child's record (under 16 when the report was received, not before the
//! birth) or the case's other steps (which step may follow which) are not checked here: steps
//! recorded offline on several PCs must all stay applicable, in any order.
//!
//! [`CaseData`]: crate::case::CaseData
//! [`CaseEvent`]: crate::event::CaseEvent

use crate::case::{AbuseForm, CaseCategory, Channel, Environment};
use crate::error::{Expected, ValidationError, ValidationErrors};
use crate::event::StepKind;
use crate::patch::{Check, PatchContext, join};
use crate::text::{MAX_NAME_CHARS, MAX_SHORT_CHARS, MAX_TEXT_CHARS};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Every field of `CaseData`, all required (a test keeps this list equal to the struct's). The
/// confidential reporter is not one: it never leaves the PC that recorded it.
pub const CASE_FIELDS: [&str; 10] = [
    "child_id",
    "received_at",
    "category",
    "abuse_forms",
    "environment",
    "incident_commune",
    "residence_commune",
    "incident_place",
    "channel",
    "summary",
];

/// Every field of a recorded step (`CaseEvent`, its payload flattened as `step` and `data`),
/// all required.
pub const EVENT_FIELDS: [&str; 7] = [
    "id",
    "case_id",
    "occurred_at",
    "recorded_at",
    "author",
    "step",
    "data",
];

/// Checks the fields a change sets on a case. `ctx.new_record`: the case's first change, which
/// carries every field.
pub fn check_case_patch(
    fields: &Map<String, Value>,
    ctx: &PatchContext,
) -> Result<(), ValidationErrors> {
    let mut k = Check::default();
    let mut category = None;
    let mut forms = None;
    for (key, v) in fields {
        let p = key.as_str();
        match p {
            "child_id" => {
                k.id(p, v);
            }
            "received_at" => {
                k.instant(p, v, ctx);
            }
            "category" => category = k.code::<CaseCategory>(p, v),
            "abuse_forms" => forms = abuse_forms(&mut k, v),
            "environment" => {
                k.code::<Environment>(p, v);
            }
            "incident_commune" | "residence_commune" => {
                k.commune(p, v);
            }
            "incident_place" => {
                k.line(p, v, MAX_SHORT_CHARS);
            }
            "channel" => {
                k.code::<Channel>(p, v);
            }
            "summary" => {
                k.text(p, v, MAX_TEXT_CHARS);
            }
            _ => k.push(ValidationError::UnknownField { field: join("", p) }),
        }
    }
    if ctx.new_record {
        for r in CASE_FIELDS.iter().filter(|r| !fields.contains_key(**r)) {
            k.push(ValidationError::Required {
                field: r.to_string(),
            });
        }
    }
    // A report of abuse names its forms (Law on Children 2016 Art 4 k5; `CaseInput::validate`),
    // judged when the change sets both.
    if category == Some(CaseCategory::Abused) && forms == Some(0) {
        k.push(ValidationError::Required {
            field: "abuse_forms".into(),
        });
    }
    k.finish()
}

/// The number of forms, when all are valid.
fn abuse_forms(k: &mut Check, v: &Value) -> Option<usize> {
    let list = k.list("abuse_forms", v)?;
    let before = k.count();
    for (i, f) in list.iter().enumerate() {
        k.code::<AbuseForm>(&format!("abuse_forms[{i}]"), f);
    }
    (k.count() == before).then_some(list.len())
}

/// Checks a recorded step: ids, times not in the future, the author's name, a step kind this
/// version knows and a payload right for it. `entity_id`: the change's record, the step's id.
pub fn check_case_event(
    fields: &Map<String, Value>,
    entity_id: Uuid,
    ctx: &PatchContext,
) -> Result<(), ValidationErrors> {
    let mut k = Check::default();
    k.keys("", fields, &EVENT_FIELDS, &EVENT_FIELDS);
    if let Some(v) = fields.get("id")
        && k.id("id", v).is_some_and(|id| id != entity_id)
    {
        // The store files the step by this id and the change by the change's.
        k.push(ValidationError::InvalidShape {
            field: "id".into(),
            detail: "id ≠ entity_id".into(),
        });
    }
    if let Some(v) = fields.get("case_id") {
        k.id("case_id", v);
    }
    for f in ["occurred_at", "recorded_at"] {
        if let Some(v) = fields.get(f) {
            k.instant(f, v, ctx);
        }
    }
    if let Some(v) = fields.get("author") {
        k.line("author", v, MAX_NAME_CHARS);
    }
    let kind = fields
        .get("step")
        .and_then(|v| k.code::<StepKind>("step", v));
    match (kind, fields.get("data")) {
        (Some(kind), Some(data)) => crate::step_patch::check_step_data(&mut k, kind, data),
        // Without a kind the payload cannot be read; say what it must at least be.
        (None, Some(data)) if !data.is_object() => k.push(ValidationError::WrongType {
            field: "data".into(),
            expected: Expected::Object,
        }),
        _ => {}
    }
    k.finish()
}
