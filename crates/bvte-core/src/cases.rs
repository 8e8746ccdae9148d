//! Opening cases and recording their steps.

use crate::error::CoreError;
use crate::session::Session;
use crate::view::CaseView;
use bvte_domain::CaseId;
use bvte_domain::Instant;
use bvte_domain::case::{CaseContext, CaseInput, NewCase};
use bvte_domain::child::{Child, ChildData};
use bvte_domain::error::ErrorReport;
use bvte_domain::event::{Step, StepInput};
use bvte_domain::warnings::{case_warnings, step_warnings};
use bvte_domain::workflow::{admit, fold_case_kept_by};
use bvte_protocol::Entity;
use serde::Serialize;

/// One line of the case list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CaseSummary {
    /// Case id.
    pub id: CaseId,
    /// The child.
    pub child_id: bvte_domain::ChildId,
    /// The child's name.
    pub child_name: String,
    /// When received (Vietnam time).
    pub received_at: String,
    /// Stage code.
    pub stage: &'static str,
    /// Stage label.
    pub stage_label: &'static str,
    /// Still open (not closed or transferred).
    pub open: bool,
    /// The earliest deadline not yet met: rule code.
    pub next_deadline: Option<&'static str>,
    /// Its limit.
    pub next_due_at: Option<String>,
    /// Whether any deadline is overdue.
    pub overdue: bool,
}

impl Session {
    /// Opens a case for a registered child from a report; the report (Mẫu 01) becomes its
    /// first step. The child must be under 16 when the report was received.
    pub fn open_case(&mut self, input: &CaseInput, now: Instant) -> Result<CaseView, CoreError> {
        self.require(crate::access::Action::OpenCase)?;
        let (new, child) = self.validate_case(input, now)?;
        let (case, intake) = self.store.insert_case(&new, &self.write_ctx(now))?;
        let mut view = CaseView::build(&case, &child.data.full_name, &[intake], &self.own(), now);
        view.on_server = self.on_server(&[(Entity::Case, case.id.0)])?;
        Ok(view)
    }

    /// Checks a case as [`Self::open_case`] would (the same errors) without saving it, and
    /// answers its warnings: what the law allows but contradicts itself, for the officer to
    /// confirm ([`bvte_domain::warnings`]).
    pub fn check_case(
        &self,
        input: &CaseInput,
        now: Instant,
    ) -> Result<Vec<ErrorReport>, CoreError> {
        self.require(crate::access::Action::OpenCase)?;
        let (new, _) = self.validate_case(input, now)?;
        Ok(case_warnings(&new.data)
            .iter()
            .map(|w| w.report())
            .collect())
    }

    fn validate_case(
        &self,
        input: &CaseInput,
        now: Instant,
    ) -> Result<(NewCase, Child), CoreError> {
        let child_id = crate::error::parse_id("trẻ em", &input.child_id)?;
        let child = self.store.child(child_id)?;
        let ctx = CaseContext {
            now,
            default_commune: self.store.installation().commune_code.clone(),
            child_birth_date: child.data.birth_date(),
            // Where the child lives: the home commune of a child recorded here as living
            // elsewhere, which plans for it (Law on Children Art 52 k2).
            child_commune: child.data.residence_commune().to_string(),
        };
        let new = input.validate(child_id, &ctx)?;
        Ok((new, child))
    }

    /// Records one step, if the law allows it now (checked inside the write).
    pub fn record_step(
        &mut self,
        case_id: CaseId,
        input: &StepInput,
        now: Instant,
    ) -> Result<CaseView, CoreError> {
        self.require_step(input)?;
        let (occurred_at, step) = input.parse(now)?;
        let w = self.write_ctx(now);
        let checked = step.clone();
        let own = self.own();
        self.store.append_event_with_child(
            case_id,
            occurred_at,
            step,
            &w,
            |case, events, child| {
                admit(
                    &fold_case_kept_by(&case.data, events, &own),
                    &checked,
                    occurred_at,
                )?;
                Ok(handed_over_home(&checked, &child.data, &own))
            },
        )?;
        self.case_view(case_id, now)
    }

    /// Refuses a step the account's role may not record before its form is checked (a leader
    /// recording an assessment is told so, not what the form lacks).
    fn require_step(&self, input: &StepInput) -> Result<(), CoreError> {
        match bvte_domain::event::StepKind::from_code_str(input.step.trim()) {
            Some(kind) => self.require(crate::access::step_action(kind)),
            None => Ok(()),
        }
    }

    /// The installation's commune: "here".
    fn own(&self) -> String {
        self.store.installation().commune_code.clone()
    }

    /// Checks a step as [`Self::record_step`] would (the same errors, a step the law does not
    /// allow now included) without recording it, and answers its warnings for the officer to
    /// confirm ([`bvte_domain::warnings`]).
    pub fn check_step(
        &self,
        case_id: CaseId,
        input: &StepInput,
        now: Instant,
    ) -> Result<Vec<ErrorReport>, CoreError> {
        self.require_step(input)?;
        let (occurred_at, step) = input.parse(now)?;
        let case = self.store.case(case_id)?;
        let events = self.store.case_events(case_id)?;
        admit(
            &fold_case_kept_by(&case.data, &events, &self.own()),
            &step,
            occurred_at,
        )?;
        Ok(step_warnings(&step).iter().map(|w| w.report()).collect())
    }

    /// A case with its stage, next steps, deadlines and history.
    pub fn case_view(&self, id: CaseId, now: Instant) -> Result<CaseView, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        let case = self.store.case(id)?;
        self.note(
            now,
            bvte_store::AuditAction::ViewCase,
            &format!("case:{id}"),
            "",
        )?;
        let child = self.store.child(case.data.child_id)?;
        let events = self.store.case_events(id)?;
        let mut view = CaseView::build(&case, &child.data.full_name, &events, &self.own(), now);
        let mut records = vec![(Entity::Case, id.0)];
        records.extend(events.iter().map(|e| (Entity::CaseEvent, e.id.0)));
        view.on_server = self.on_server(&records)?;
        Ok(view)
    }

    /// Every case, most urgent first: overdue, then by earliest open deadline, then newest.
    pub fn case_summaries(&self, now: Instant) -> Result<Vec<CaseSummary>, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        let mut all = self.store.all_case_events()?;
        let own = self.own();
        let mut out = Vec::new();
        for case in self.store.cases(None)? {
            let name = self.store.child(case.data.child_id)?.data.full_name;
            let events = all.remove(&case.id).unwrap_or_default();
            let v = CaseView::build(&case, &name, &events, &own, now);
            let next = v.next_due().cloned();
            out.push(CaseSummary {
                id: v.id,
                child_id: v.child_id,
                child_name: v.child_name,
                received_at: v.received_at,
                stage: v.stage,
                stage_label: v.stage_label,
                open: !matches!(v.stage, "closed" | "transferred"),
                overdue: v.deadlines.iter().any(|d| d.status == "overdue"),
                next_deadline: next.as_ref().map(|d| d.rule),
                next_due_at: next.map(|d| d.due_at),
            });
        }
        out.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then_with(|| match (&a.next_due_at, &b.next_due_at) {
                    (Some(x), Some(y)) => x.cmp(y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                })
                .then_with(|| b.received_at.cmp(&a.received_at))
        });
        Ok(out)
    }
}

/// The child's record once `step` hands the case over to the commune where the child lives:
/// a child who lives in another commune (`khong_cu_tru`), recorded here by the commune where it
/// happened or where it was found (Decree 56 Art 25 k1, Art 26 k1), goes home with the case
/// when it is transferred to its home commune, which plans for it (Law on Children Art 52 k2).
/// Its record, cases and steps then move there on sync, as any child whose commune changes.
/// `None` for any other step, child or commune (a transfer elsewhere moves nothing).
fn handed_over_home(step: &Step, child: &ChildData, own: &str) -> Option<ChildData> {
    let Step::Transferred(t) = step else {
        return None;
    };
    (child.commune_code == own
        && child.lives_elsewhere()
        && child.residence_commune() == t.to_commune)
        .then(|| child.handed_over_home())
        .flatten()
}
