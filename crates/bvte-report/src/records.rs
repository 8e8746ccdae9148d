//! Building a report's input from domain records, once for every caller: the desktop and the
//! CLI read their local store, the area server its materialised records, and both hand the
//! records here, so a commune's figures are the same wherever they are computed (issue 11).
//!
//! **Whose records**: a child belongs to the commune its record names (`commune_code`, the
//! field that moves a child between communes, design §5 "scope changes"); a case belongs to
//! its child's commune, and a step to its case. So a child moved from A to B counts in B only,
//! on A's PC (which still holds the record, now naming B) as on the server. A case whose child
//! is not among the given children is not counted.

use crate::input::{ReportCase, ReportChild, ReportInput};
use bvte_domain::case::Case;
use bvte_domain::child::Child;
use bvte_domain::event::CaseEvent;
use bvte_domain::{CaseId, ChildId};
use std::collections::{BTreeSet, HashMap};

/// The records a register holds: children in it (deleted records left out), cases, and the
/// cases' steps (in any order).
#[derive(Clone, Copy, Debug)]
pub struct Records<'a> {
    /// Children in the register.
    pub children: &'a [Child],
    /// Cases.
    pub cases: &'a [Case],
    /// Steps of the cases.
    pub events: &'a [CaseEvent],
}

impl Records<'_> {
    /// The input of the report of `commune` (a five-digit code).
    pub fn commune_input(&self, commune: &str) -> ReportInput {
        self.input(commune, |c| c == commune)
    }

    /// The input of the report of a group of communes (the area a server serves): each commune's
    /// records once, labelled `label`. Every figure counts children or their cases, and each
    /// belongs to exactly one commune, so its report is the sum of the communes' reports.
    pub fn area_input(&self, label: &str, communes: &BTreeSet<String>) -> ReportInput {
        self.input(label, |c| communes.contains(c))
    }

    fn input(&self, label: &str, belongs: impl Fn(&str) -> bool) -> ReportInput {
        let children: Vec<&Child> = self
            .children
            .iter()
            .filter(|c| belongs(&c.data.commune_code))
            .collect();
        let keeper: HashMap<ChildId, &str> = children
            .iter()
            .map(|c| (c.id, c.data.commune_code.as_str()))
            .collect();
        let kept: Vec<(&Case, &str)> = self
            .cases
            .iter()
            .filter_map(|c| Some((c, *keeper.get(&c.data.child_id)?)))
            .collect();
        // Only the steps of the cases counted: an area's records are given once per commune.
        let mut steps: HashMap<CaseId, Vec<CaseEvent>> =
            kept.iter().map(|(c, _)| (c.id, Vec::new())).collect();
        for e in self.events {
            if let Some(s) = steps.get_mut(&e.case_id) {
                s.push(e.clone());
            }
        }
        ReportInput {
            commune_code: label.to_owned(),
            children: children.into_iter().map(ReportChild::from_child).collect(),
            cases: kept
                .into_iter()
                .map(|(c, keeper)| {
                    ReportCase::new(c, steps.get(&c.id).map_or(&[], Vec::as_slice)).kept_by(keeper)
                })
                .collect(),
        }
    }
}
