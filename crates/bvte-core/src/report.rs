//! The commune report: the register read once and handed to `bvte-report`, which decides whose
//! records count and computes every figure (the area server calls the same crate with the
//! records it materialised, so a commune's figures are the same on both).

use crate::error::CoreError;
use crate::session::Session;
use bvte_domain::Instant;
use bvte_domain::reference::calendar;
use bvte_report::{Period, Records, Report, ReportInput};

impl Session {
    /// The register as the report reads it: the children in the register (deleted records are
    /// not listed by the store), every case and every step, for this installation's commune.
    pub fn report_input(&self) -> Result<ReportInput, CoreError> {
        let children = self.all_children()?;
        let cases = self.store.cases(None)?;
        let events: Vec<_> = self
            .store
            .all_case_events()?
            .into_values()
            .flatten()
            .collect();
        let records = Records {
            children: &children,
            cases: &cases,
            events: &events,
        };
        Ok(records.commune_input(&self.store.installation().commune_code))
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
