//! What the report is computed from: the register's children and cases with their steps, as
//! the local store or the server gives them, without names or free text.

use bvte_domain::case::{Case, CaseData};
use bvte_domain::child::{Child, ChildData};
use bvte_domain::event::CaseEvent;
use bvte_domain::{CaseId, ChildId, Instant};

/// A child as the report sees it: the stored record with the child's name, personal id,
/// carers' names and contact details, notes and other free text cleared. The fields are private
/// so nothing can put a name back in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportChild {
    id: ChildId,
    created_at: Instant,
    deleted: bool,
    data: ChildData,
}

impl ReportChild {
    /// A child in the register.
    pub fn from_child(c: &Child) -> Self {
        Self {
            id: c.id,
            created_at: c.created_at,
            deleted: false,
            data: redact_child(&c.data),
        }
    }

    /// A child whose record was deleted (a tombstone, as the server holds them): never counted.
    pub fn deleted(c: &Child) -> Self {
        Self {
            deleted: true,
            ..Self::from_child(c)
        }
    }

    /// The record's id.
    pub fn id(&self) -> ChildId {
        self.id
    }

    /// When the record was created.
    pub fn created_at(&self) -> Instant {
        self.created_at
    }

    /// Whether the record was deleted.
    pub fn is_deleted(&self) -> bool {
        self.deleted
    }

    /// The record without names and free text.
    pub fn data(&self) -> &ChildData {
        &self.data
    }
}

fn redact_child(d: &ChildData) -> ChildData {
    let mut d = d.clone();
    d.full_name.clear();
    d.personal_id = None;
    d.notes.clear();
    if let Some(h) = d.home.as_mut() {
        h.address.clear();
    }
    for c in &mut d.carers {
        c.full_name.clear();
        c.phone.clear();
        c.address.clear();
        c.occupation.clear();
    }
    if let Some(x) = d.disability.as_mut() {
        x.note.clear();
    }
    if let Some(s) = d.schooling.as_mut() {
        s.school.clear();
        s.grade.clear();
    }
    d
}

/// A case as the report sees it: its coded content (summary and place cleared; the reporter is
/// never part of a case record) and its steps, whose payloads the domain's fold needs (serious
/// risk, review proposal, close reason, separation days). Nothing of a step but its kind, time
/// and folded effect reaches the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportCase {
    id: CaseId,
    data: CaseData,
    events: Vec<CaseEvent>,
    keeper: String,
}

impl ReportCase {
    /// A case and its steps (in any order).
    pub fn new(case: &Case, events: &[CaseEvent]) -> Self {
        let mut data = case.data.clone();
        data.summary.clear();
        data.incident_place.clear();
        let events = events
            .iter()
            .filter(|e| e.case_id == case.id)
            .map(|e| CaseEvent {
                author: String::new(),
                ..e.clone()
            })
            .collect();
        Self {
            id: case.id,
            data,
            events,
            keeper: String::new(),
        }
    }

    /// The case as kept by `commune` (its child's commune): a case handed over to it goes on
    /// there rather than counting as transferred
    /// ([`bvte_domain::workflow::CaseState::kept_by`]).
    pub fn kept_by(mut self, commune: &str) -> Self {
        self.keeper = commune.to_owned();
        self
    }

    /// The commune keeping the case ("" when not said).
    pub fn keeper(&self) -> &str {
        &self.keeper
    }

    /// The case's id.
    pub fn id(&self) -> CaseId {
        self.id
    }

    /// The case's coded content.
    pub fn data(&self) -> &CaseData {
        &self.data
    }

    /// The case's steps.
    pub fn events(&self) -> &[CaseEvent] {
        &self.events
    }
}

/// Everything a report is computed from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportInput {
    /// The commune whose register this is.
    pub commune_code: String,
    /// The register's children (deleted ones may be given as [`ReportChild::deleted`]).
    pub children: Vec<ReportChild>,
    /// Every case of the register.
    pub cases: Vec<ReportCase>,
}

impl ReportInput {
    /// The input of a group of communes (the area a server serves) from each one's input,
    /// labelled `label`. Each child belongs to exactly one commune and each case to its child's,
    /// so the group's report is the sum of the communes' reports.
    pub fn joined(label: &str, parts: &[&ReportInput]) -> Self {
        Self {
            commune_code: label.to_owned(),
            children: parts
                .iter()
                .flat_map(|p| p.children.iter().cloned())
                .collect(),
            cases: parts.iter().flat_map(|p| p.cases.iter().cloned()).collect(),
        }
    }
}
