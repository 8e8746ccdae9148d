//! # bvte-sheet — spreadsheets
//!
//! Owns the XLSX files BVTE writes: the children list as filtered ([`children_xlsx`]), the
//! rows an import refused ([`rejected_xlsx`]), and the commune report as a workbook
//! ([`report_xlsx`]), one sheet per table of the report's layout, numbers as numbers,
//! each sheet headed by the commune, the period (dd/mm/yyyy) and the provisional note, plus a
//! sheet listing what to complete before sending, by record id (never a name).
//!
//! Must never depend on the store, the core use cases or a UI: it takes a computed
//! [`bvte_report::Report`] and its laid-out [`bvte_report::Document`] and returns bytes (dependency
//! direction report ← sheet ← core). Text is NFC (the layout is NFC when read).

mod children;
mod rejected;
mod report;

pub use children::{CHILDREN_HEADINGS, CHILDREN_SHEET, FONT, children_xlsx};
pub use rejected::{REJECTED_HEADINGS, rejected_xlsx};
pub use report::{COMPLETENESS_SHEET, KEY_HEADING, report_xlsx};

/// Writing a workbook failed.
#[derive(Debug, thiserror::Error)]
#[error("Không tạo được tệp Excel (XLSX): {0}.")]
pub struct SheetError(pub String);

impl SheetError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        "xlsx_failed"
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        format!("The Excel (XLSX) file could not be produced: {}.", self.0)
    }
}

impl From<rust_xlsxwriter::XlsxError> for SheetError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        SheetError(e.to_string())
    }
}
