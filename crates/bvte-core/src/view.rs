//! What a case looks like to the people who work it: its content, stage, the steps that may come
//! next, the legal deadlines and the history. Times are shown in Vietnam time (RFC 3339 with
//! +07:00). Field names are part of the JSON the CLI prints (`docs/json.md`): do not rename.

use bvte_domain::case::Case;
use bvte_domain::codes::Code;
use bvte_domain::deadline::{Deadline, deadlines_with};
use bvte_domain::event::CaseEvent;
use bvte_domain::reference::{calendar, deadline_settings};
use bvte_domain::time::to_rfc3339_local;
use bvte_domain::workflow::{fold_case_kept_by, next_steps, refused_steps};
use bvte_domain::{CaseId, ChildId, Instant};
use serde::Serialize;

/// A deadline as shown.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DeadlineView {
    /// Rule code.
    pub rule: &'static str,
    /// What the rule asks, in Vietnamese.
    pub label: &'static str,
    /// Legal source.
    pub legal_basis: &'static str,
    /// The limit (Vietnam time).
    pub due_at: String,
    /// When it was met, if it was.
    pub met_at: Option<String>,
    /// Past a legal limit without being met in time (never for guidance).
    pub overdue: bool,
    /// `pending`, `met`, `met_late`, `overdue`, `missed` (not met and the case has ended), or
    /// `past_guidance` (a guidance time passed; never `overdue`).
    pub status: &'static str,
    /// Guidance derived from a legal rule, not a time limit the law sets itself
    /// (`initial_assessment_12h`): not to be shown as "quá hạn".
    pub guidance: bool,
}

impl From<&Deadline> for DeadlineView {
    fn from(d: &Deadline) -> Self {
        Self {
            rule: d.rule.code(),
            label: d.rule.label_vi(),
            legal_basis: d.legal_basis,
            due_at: to_rfc3339_local(d.due_at),
            met_at: d.met_at.map(to_rfc3339_local),
            overdue: d.overdue,
            status: d.status.code(),
            guidance: d.guidance,
        }
    }
}

/// A step that may be recorded next.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NextStepView {
    /// Step code.
    pub step: &'static str,
    /// Label.
    pub label: &'static str,
    /// Whether the law requires it.
    pub required: bool,
}

/// A step the law does not allow now, with why: what recording it would answer, said as soon
/// as it is chosen.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BlockedStepView {
    /// Step code.
    pub step: &'static str,
    /// Label.
    pub label: &'static str,
    /// Why not, and what to record first (Vietnamese): the refusal's own words.
    pub message: String,
    /// The same in English.
    pub message_en: String,
}

/// A recorded step.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StepView {
    /// Event id.
    pub id: String,
    /// Step code.
    pub step: &'static str,
    /// Label.
    pub label: &'static str,
    /// When it happened (Vietnam time).
    pub occurred_at: String,
    /// When it was recorded.
    pub recorded_at: String,
    /// Who recorded it.
    pub author: String,
    /// The form's fields.
    pub data: serde_json::Value,
}

impl From<&CaseEvent> for StepView {
    fn from(e: &CaseEvent) -> Self {
        // Criteria recorded as wording before they were codes are shown as codes, which the
        // screen labels in its language.
        let mut step = e.step.clone();
        bvte_domain::criteria::codes_in(&mut step);
        let v = serde_json::to_value(&step).unwrap_or_default();
        Self {
            id: e.id.to_string(),
            step: e.step.kind().code(),
            label: e.step.kind().label_vi(),
            occurred_at: to_rfc3339_local(e.occurred_at),
            recorded_at: to_rfc3339_local(e.recorded_at),
            author: e.author.clone(),
            data: v.get("data").cloned().unwrap_or_default(),
        }
    }
}

/// A case with everything derived from its steps. Never includes the reporter.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CaseView {
    /// Case id.
    pub id: CaseId,
    /// The child.
    pub child_id: ChildId,
    /// The child's name.
    pub child_name: String,
    /// When the report was received (Vietnam time).
    pub received_at: String,
    /// Category code.
    pub category: &'static str,
    /// Abuse form codes.
    pub abuse_forms: Vec<&'static str>,
    /// Environment code.
    pub environment: &'static str,
    /// Incident commune.
    pub incident_commune: String,
    /// Residence commune.
    pub residence_commune: String,
    /// Place.
    pub incident_place: String,
    /// Channel code.
    pub channel: &'static str,
    /// Summary.
    pub summary: String,
    /// Stage code.
    pub stage: &'static str,
    /// Stage label.
    pub stage_label: &'static str,
    /// Plan cycle (from 1).
    pub cycle: u32,
    /// Steps that may be recorded next, required first.
    pub next_steps: Vec<NextStepView>,
    /// Every other step, with why the law does not allow it now.
    pub blocked_steps: Vec<BlockedStepView>,
    /// Legal deadlines.
    pub deadlines: Vec<DeadlineView>,
    /// Recorded steps, oldest first.
    pub steps: Vec<StepView>,
    /// Whether the district server has the case and all its steps as recorded here (`None`
    /// when this PC is not enrolled, or not asked).
    pub on_server: Option<bool>,
}

impl CaseView {
    /// Builds the view of `case` with its `events` at `now`, as the commune `own` (the
    /// installation's) sees it: a case it handed over is a read-only trace, one handed over to
    /// it goes on ([`bvte_domain::workflow::CaseState::kept_by`]).
    pub fn build(
        case: &Case,
        child_name: &str,
        events: &[CaseEvent],
        own: &str,
        now: Instant,
    ) -> Self {
        let state = fold_case_kept_by(&case.data, events, own);
        let stage = state.stage();
        let mut sorted: Vec<&CaseEvent> = events.iter().collect();
        sorted.sort_by_key(|e| (e.occurred_at, e.recorded_at, e.id));
        let d = &case.data;
        Self {
            id: case.id,
            child_id: d.child_id,
            child_name: child_name.to_string(),
            received_at: to_rfc3339_local(d.received_at),
            category: d.category.code(),
            abuse_forms: d.abuse_forms.iter().map(|f| f.code()).collect(),
            environment: d.environment.code(),
            incident_commune: d.incident_commune.clone(),
            residence_commune: d.residence_commune.clone(),
            incident_place: d.incident_place.clone(),
            channel: d.channel.code(),
            summary: d.summary.clone(),
            stage: stage.code(),
            stage_label: stage.label_vi(),
            cycle: state.cycle,
            next_steps: next_steps(&state, now)
                .into_iter()
                .map(|n| NextStepView {
                    step: n.step.code(),
                    label: n.step.label_vi(),
                    required: n.required,
                })
                .collect(),
            blocked_steps: refused_steps(&state, now)
                .into_iter()
                .map(|(k, e)| BlockedStepView {
                    step: k.code(),
                    label: k.label_vi(),
                    message: e.message_vi(),
                    message_en: e.message_en(),
                })
                .collect(),
            // The province's reading of Decree 56 Art 28 k1 (when the plan's clock starts), from
            // the commune that keeps the case (`bvte_domain::deadline_settings`).
            deadlines: deadlines_with(
                &state,
                calendar(),
                &deadline_settings(&case.data.incident_commune),
                now,
            )
            .iter()
            .map(DeadlineView::from)
            .collect(),
            steps: sorted.into_iter().map(StepView::from).collect(),
            on_server: None,
        }
    }

    /// The earliest deadline not yet met, if any (a `missed` one, of an ended case, is no longer
    /// due).
    pub fn next_due(&self) -> Option<&DeadlineView> {
        self.deadlines
            .iter()
            .filter(|d| d.met_at.is_none() && d.status != "missed")
            .min_by(|a, b| a.due_at.cmp(&b.due_at))
    }
}
