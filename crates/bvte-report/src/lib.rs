//! # bvte-report — every figure of the commune report, computed once from the records
//!
//! Owns the definitions of the report's figures (issue 11): children by residence, sex, age
//! band, ethnicity, special-circumstance group and sub-group; disabled, double orphans, at risk;
//! cases received, open, by category, form of abuse, environment, channel and stage; the legal
//! deadlines met or missed; emergency measures, separations, plans, closures and transfers; the
//! indicators of Circular 13/2021/TT-BLĐTBXH that the records can give (0101); and the
//! completeness list an officer works through before sending. The CLI, the desktop app and the
//! area server all feed it the same [`ReportInput`] and get the same [`Report`].
//!
//! The report's **layout** is data too ([`layout`]): which tables, their labels and the key of
//! each figure, read from `assets/reports/commune-report.toml` (or a corrected copy); the XLSX
//! (`bvte-sheet`) and PDF (`bvte-forms`) outputs draw the same [`layout::Table`]s.
//!
//! Must never depend on a database, HTTP, an async runtime, Tauri or a file format's writer: it
//! depends on `bvte-domain`, `serde`, `chrono`, and `toml`/`serde_json` to read its layout (text
//! given to it: reading a file is the caller's), and "now" is a parameter. Deadlines and stages come from the
//! domain's fold and deadline rules; nothing here re-implements them.
//!
//! **No child's name and no reporter's identity ever appears in a report.** The input does not
//! even carry them: [`ReportChild`] and [`ReportCase`] are built from the stored records with the
//! names, carers' details, notes and free text cleared, and a case never carries its reporter
//! (the domain keeps the reporter apart from [`bvte_domain::case::CaseData`]). Records are named
//! in the completeness list by their id only.
//!
//! The layout is **provisional**: the reporting regime in force under the Ministry of Health
//! (Thông tư 23/2025/TT-BYT) has not been read; indicator codes follow Circular 13/2021 where the
//! team's notes give one (`shared/domain/decree56.md` §5).
//!
//! ## Decisions where the issue is silent (written down here and in `docs/json.md`)
//!
//! - **Period**: `from` and `to` are Vietnam dates, both included: from 00:00:00 of `from` to
//!   23:59:59 of `to` (UTC+7). `to` may not be after today, nor `from` after `to`.
//! - **Children counted**: records in the register (deleted records excluded) created by the end
//!   of the period, born by then (or of unknown birth), and under 18 at the end of the period.
//!   Everything about a child is judged on the period's last day: age, group memberships
//!   (their since/until dates), disability, orphanhood. `children.under_16` counts the children
//!   of Law on Children Art 1; 16- and 17-year-olds are kept in the band `16_17` because
//!   Decree 56 support may continue for them and the register keeps them.
//! - **Age bands**: the team's notes give no Circular 13 age groups, so the bands are 0–5, 6–10,
//!   11–15 and 16–17 full years (`0_5`, `6_10`, `11_15`, `16_17`), plus `unknown` when neither a
//!   date of birth nor an estimated age is recorded. They sum to `children.total`.
//! - **Groups**: `by_group.<g>` counts children with at least one membership of group `g` on the
//!   last day; `by_group.<g>_<n>` those in its sub-group `n` (Decree 56 Arts 3–16). A child in
//!   several groups counts once in each; `in_special_circumstances` counts each child once.
//! - **Cases of the period** (the caseload): received in the period, or received before it and
//!   still open at its start. Stages are folded from the events that occurred by the period's
//!   end, so a report on a past period is the same whenever it is made.
//! - **Deadlines**: each deadline of a caseload case, as `bvte_domain::deadline::deadlines`
//!   gives it on the case folded at the period's end and judged at the end (or now, when the
//!   period ends today), whose limit falls in the period: `met` when done within it; `overdue`
//!   when done late or not done; `pending` when its limit is later today.
//! - **Counts of steps**: `emergency_measures` counts cases with at least one emergency measure
//!   or separation recorded as happening in the period; `separations` the separation decisions
//!   (Mẫu 07) in it; `plans_approved` the approvals (Mẫu 05); `plans_repeated` the new plan
//!   cycles started (the chair's agreements to a review's proposal to continue, Decree 56 Art 30
//!   k1 c; in histories recorded before that decision could be, the reviews that opened one); `plans_ended`, `closed` and `transferred` the cases that ended so
//!   in the period.

mod cases;
mod children;
mod code_lists;
mod completeness;
mod indicators;
mod input;
pub mod layout;
mod period;
mod presets;
mod records;
mod tally;

pub use cases::{CaseFigures, DeadlineCount};
pub use children::ChildFigures;
pub use completeness::Gap;
pub use indicators::Indicator;
pub use input::{ReportCase, ReportChild, ReportInput};
pub use layout::{Document, Issuer, Layout, LayoutError};
pub use period::Period;
pub use presets::{PeriodKind, preset};
pub use records::Records;

use bvte_domain::Instant;
use bvte_domain::calendar::WorkingCalendar;
use serde::Serialize;

/// The name and version of the report's shape; a change of shape changes it.
pub const FORMAT: &str = "bvte-report-v1";

/// The note printed with every report until the regime in force has been read.
pub const PROVISIONAL_NOTE: &str = "Mẫu báo cáo tạm thời: chưa đối chiếu với Thông tư 23/2025/TT-BYT (chế độ báo cáo thống kê ngành y tế); mã chỉ tiêu theo Thông tư 13/2021/TT-BLĐTBXH. Báo cáo không chứa tên trẻ em hay thông tin người báo tin.";

/// The commune report. Field names are the JSON keys documented in `docs/json.md` ("Report"):
/// do not rename or reorder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// [`FORMAT`].
    pub format: &'static str,
    /// Always true until the layout is checked against Thông tư 23/2025/TT-BYT.
    pub provisional: bool,
    /// [`PROVISIONAL_NOTE`].
    pub note: &'static str,
    /// The commune the records belong to.
    pub commune_code: String,
    /// The period, both days included.
    pub period: Period,
    /// When the report was made (RFC 3339, Vietnam time).
    pub generated_at: String,
    /// Figures about children.
    pub children: ChildFigures,
    /// Figures about cases.
    pub cases: CaseFigures,
    /// Circular 13/2021 indicators that the records give.
    pub indicators: Vec<Indicator>,
    /// What is missing or overdue, by record id.
    pub completeness: Vec<Gap>,
}

/// Computes the report of `period` from `input`, with deadlines on `calendar`, at `now`.
pub fn build(
    input: &ReportInput,
    period: &Period,
    calendar: &WorkingCalendar,
    now: Instant,
) -> Report {
    build_joined(&input.commune_code, &[input], period, calendar, now)
}

/// The report of a group of communes (the area a server serves), labelled `label`, from each
/// one's input, as [`build`] computes it from their [`ReportInput::joined`] input but without
/// copying them: each child belongs to exactly one commune and each case to its child's, so
/// it is the sum of the communes' reports.
pub fn build_joined(
    label: &str,
    parts: &[&ReportInput],
    period: &Period,
    calendar: &WorkingCalendar,
    now: Instant,
) -> Report {
    let kids = children::in_scope(parts, period);
    let caseload = cases::caseload(parts, period);
    Report {
        format: FORMAT,
        provisional: true,
        note: PROVISIONAL_NOTE,
        commune_code: label.to_owned(),
        period: period.clone(),
        generated_at: bvte_domain::time::to_rfc3339_local(now),
        children: children::figures(&kids, period),
        cases: cases::figures(&caseload, period, calendar, now),
        indicators: indicators::all(parts, period),
        completeness: completeness::gaps(&kids, &caseload, period, calendar, now),
    }
}

#[cfg(test)]
mod joined_tests;
#[cfg(test)]
mod tests;
