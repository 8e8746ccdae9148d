//! The commune report: the register read once and handed to `bvte-report`, which computes every
//! figure (the desktop screen and the area server will call the same crate).

use crate::error::CoreError;
use crate::session::Session;
use bvte_domain::Instant;
use bvte_domain::reference::calendar;
use bvte_report::{Period, Report, ReportCase, ReportChild, ReportInput};

impl Session {
    /// The register as the report reads it: children in the register (deleted records are not
    /// listed by the store) and every case with its steps, without names.
    pub fn report_input(&self) -> Result<ReportInput, CoreError> {
        let children = self
            .all_children()?
            .iter()
            .map(ReportChild::from_child)
            .collect();
        let events = self.store.all_case_events()?;
        let cases = self
            .store
            .cases(None)?
            .iter()
            .map(|c| ReportCase::new(c, events.get(&c.id).map_or(&[], Vec::as_slice)))
            .collect();
        Ok(ReportInput {
            commune_code: self.store.installation().commune_code.clone(),
            children,
            cases,
        })
    }

    /// The commune report of `period` at `now` (deadlines on the shipped working-day calendar,
    /// as on the case screens).
    pub fn report(&self, period: &Period, now: Instant) -> Result<Report, CoreError> {
        Ok(bvte_report::build(
            &self.report_input()?,
            period,
            calendar(),
            now,
        ))
    }
}
