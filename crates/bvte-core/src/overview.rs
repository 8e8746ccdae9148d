//! The overview an officer opens each morning: deadlines due and overdue across all cases, and
//! the register's counts by the breakdowns the commune reports upward.

use crate::error::CoreError;
use crate::session::Session;
use crate::view::CaseView;
use bvte_domain::Instant;
use bvte_domain::child::ResidenceStatus;
use bvte_domain::codes::Code;
use bvte_domain::groups::Group;
use bvte_domain::time::{local_date, to_rfc3339_local};
use bvte_domain::workflow::Stage;
use serde::Serialize;

/// A deadline not yet met on an open case.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DueItem {
    /// The case.
    pub case_id: String,
    /// The child's name.
    pub child_name: String,
    /// Rule code.
    pub rule: String,
    /// What the rule asks.
    pub label: String,
    /// The limit (Vietnam time).
    pub due_at: String,
    /// Past a legal limit (never for guidance).
    pub overdue: bool,
    /// Guidance, not a legal limit (`initial_assessment_12h`): not "quá hạn" once passed.
    pub guidance: bool,
    /// The case's stage code.
    pub stage: String,
}

/// A labelled count.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CountItem {
    /// The code counted (group letter, residence status, stage).
    pub code: String,
    /// Vietnamese label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// How many.
    pub count: u64,
}

/// The overview.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Overview {
    /// When computed (Vietnam time).
    pub generated_at: String,
    /// Open deadlines: overdue first, then by due time.
    pub due: Vec<DueItem>,
    /// Children in the register.
    pub children_total: u64,
    /// By residence status.
    pub by_residence: Vec<CountItem>,
    /// By special-circumstance group (all 14, zeros included).
    pub by_group: Vec<CountItem>,
    /// Disabled.
    pub disabled: u64,
    /// Orphans of both parents.
    pub orphans: u64,
    /// At risk.
    pub at_risk: u64,
    /// Cases not closed or transferred.
    pub open_cases: u64,
    /// Cases by stage (all stages, zeros included).
    pub cases_by_stage: Vec<CountItem>,
}

fn items<T: Code>(counts: &[(String, u64)]) -> Vec<CountItem> {
    T::ALL
        .iter()
        .map(|v| CountItem {
            code: v.code().to_string(),
            label: v.label_vi().to_string(),
            label_en: v.label_en().to_string(),
            count: counts
                .iter()
                .find(|(c, _)| c == v.code())
                .map(|(_, n)| *n)
                .unwrap_or(0),
        })
        .collect()
}

impl Session {
    /// The overview at `now`.
    pub fn overview(&self, now: Instant) -> Result<Overview, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        let counts = self.store.register_counts(local_date(now))?;
        let mut events = self.store.all_case_events()?;
        let mut names = std::collections::HashMap::new();
        let mut due = Vec::new();
        let mut stages: Vec<(String, u64)> = Vec::new();
        let mut open_cases = 0;
        for case in self.store.cases(None)? {
            let name = match names.get(&case.data.child_id) {
                Some(n) => n,
                None => {
                    let n = self.store.child(case.data.child_id)?.data.full_name;
                    names.entry(case.data.child_id).or_insert(n)
                }
            };
            let v = CaseView::build(
                &case,
                name,
                &events.remove(&case.id).unwrap_or_default(),
                &self.store.installation().commune_code,
                now,
            );
            match stages.iter_mut().find(|(s, _)| s == v.stage) {
                Some((_, n)) => *n += 1,
                None => stages.push((v.stage.to_string(), 1)),
            }
            if !matches!(v.stage, "closed" | "transferred") {
                open_cases += 1;
            }
            // A `missed` deadline (of an ended case) stays on the case's record, not in the work
            // still due.
            for d in v
                .deadlines
                .iter()
                .filter(|d| d.met_at.is_none() && d.status != "missed")
            {
                due.push(DueItem {
                    case_id: v.id.to_string(),
                    child_name: v.child_name.clone(),
                    rule: d.rule.to_string(),
                    label: d.label.to_string(),
                    due_at: d.due_at.clone(),
                    overdue: d.overdue,
                    guidance: d.guidance,
                    stage: v.stage.to_string(),
                });
            }
        }
        due.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then_with(|| a.due_at.cmp(&b.due_at))
        });
        Ok(Overview {
            generated_at: to_rfc3339_local(now),
            due,
            children_total: counts.total,
            by_residence: items::<ResidenceStatus>(&counts.by_residence),
            by_group: items::<Group>(&counts.by_group),
            disabled: counts.disabled,
            orphans: counts.orphans,
            at_risk: counts.at_risk,
            open_cases,
            cases_by_stage: items::<Stage>(&stages),
        })
    }
}
