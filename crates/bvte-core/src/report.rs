//! The commune report: the register read once and handed to `bvte-report`, which decides whose
//! records count and computes every figure (the area server calls the same crate with the
//! records it materialised, so a commune's figures are the same on both); and the report as
//! a file, XLSX (`bvte-sheet`) or PDF (`bvte-forms`), laid out by the report's layout — the
//! shipped `assets/reports/commune-report.toml`, or a corrected copy of the same name in the
//! folder `BVTE_REPORTS_DIR` (`bvte report --layouts DIR`).

use crate::error::CoreError;
use crate::session::Session;
use bvte_domain::Instant;
use bvte_domain::reference::calendar;
use bvte_report::layout::LAYOUT_FILE;
use bvte_report::{Document, Issuer, Layout, LayoutError, Period, Records, Report, ReportInput};
use std::path::Path;

/// The environment variable naming a folder with a corrected `commune-report.toml`.
pub const REPORTS_DIR_ENV: &str = "BVTE_REPORTS_DIR";

/// The file formats a report is written in besides JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// A PDF in the Decree 30/2020 layout, with charts.
    Pdf,
    /// An XLSX workbook, one sheet per table.
    Xlsx,
}

/// The report's layout: the shipped one, replaced by `commune-report.toml` of `dir` when that
/// file exists there.
///
/// # Errors
/// A folder that cannot be read, or a corrected layout that is broken (naming the file, the
/// line and what to fix: an unknown key, a figure left out, a sheet name too long…).
pub fn report_layout(dir: Option<&Path>) -> Result<Layout, CoreError> {
    let Some(dir) = dir else {
        return Ok(Layout::embedded());
    };
    let unreadable = |path: &Path, e: std::io::Error| LayoutError {
        file: path.display().to_string(),
        line: None,
        vi: format!("không đọc được ({e})"),
        en: format!("cannot be read ({e})"),
    };
    if !dir.is_dir() {
        let e = std::io::Error::new(std::io::ErrorKind::NotFound, "không có thư mục này");
        return Err(unreadable(dir, e).into());
    }
    let file = dir.join(LAYOUT_FILE);
    if !file.exists() {
        return Ok(Layout::embedded());
    }
    let src = std::fs::read_to_string(&file).map_err(|e| unreadable(&file, e))?;
    Ok(Layout::parse(&file.display().to_string(), &src)?)
}

/// The report's layout, with the correction of `BVTE_REPORTS_DIR` when it is set.
///
/// # Errors
/// As [`report_layout`].
pub fn report_layout_from_env() -> Result<Layout, CoreError> {
    match std::env::var_os(REPORTS_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => report_layout(Some(Path::new(&dir))),
        None => report_layout(None),
    }
}

/// A computed report written as `format` with `layout`, from `issuer`. The area server calls
/// this with a report it computed itself.
///
/// # Errors
/// A layout naming a key the report lacks; the file cannot be produced (not expected).
pub fn render_report(
    report: &Report,
    layout: &Layout,
    issuer: Issuer,
    format: ReportFormat,
) -> Result<Vec<u8>, CoreError> {
    let doc: Document = layout.document(report, issuer)?;
    Ok(match format {
        ReportFormat::Pdf => bvte_forms::report_pdf::render(report, &doc)?,
        ReportFormat::Xlsx => bvte_sheet::report_xlsx(report, &doc)?,
    })
}

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
        self.require(crate::access::Action::ViewReport)?;
        Ok(bvte_report::build(
            &self.report_input()?,
            period,
            calendar(),
            now,
        ))
    }

    /// Who this installation's reports are from: the commune's full name, the issuing body and
    /// the officer of the settings, the place name of the date line.
    pub fn report_issuer(&self) -> Result<Issuer, CoreError> {
        let commune = self.commune()?;
        let settings = self.settings()?;
        Ok(Issuer {
            commune_name: commune.full_name(),
            issuing_body: settings.commune_header,
            place: crate::print::place_and_name_in_text(commune).0,
            officer: settings.officer_name,
        })
    }

    /// The report of `period` at `now` and its file in `format`, laid out by `layout`.
    ///
    /// # Errors
    /// As [`Session::report`] and [`render_report`].
    pub fn report_file_with(
        &self,
        layout: &Layout,
        format: ReportFormat,
        period: &Period,
        now: Instant,
    ) -> Result<(Report, Vec<u8>), CoreError> {
        self.require(crate::access::Action::Export)?;
        let report = self.report(period, now)?;
        let bytes = render_report(&report, layout, self.report_issuer()?, format)?;
        Ok((report, bytes))
    }

    /// The report's file in `format` with the layout of `BVTE_REPORTS_DIR` or the shipped one:
    /// the bytes the desktop app saves.
    ///
    /// # Errors
    /// As [`report_layout_from_env`] and [`Session::report_file_with`].
    pub fn report_file(
        &self,
        format: ReportFormat,
        period: &Period,
        now: Instant,
    ) -> Result<Vec<u8>, CoreError> {
        self.require(crate::access::Action::Export)?;
        let layout = report_layout_from_env()?;
        Ok(self.report_file_with(&layout, format, period, now)?.1)
    }
}
