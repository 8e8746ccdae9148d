//! The rows an import refused (issue 12), as a workbook to fix and import again: the list's
//! own header and cells as read (back in Unicode), then "Dòng" (the row in the original file)
//! and "Lý do" (why it was refused). Every cell is text, so ids keep their leading zeros.

use crate::SheetError;
use crate::children::font;
use rust_xlsxwriter::{Format, FormatBorder, Workbook};

/// The two columns added after the list's own.
pub const REJECTED_HEADINGS: [&str; 2] = ["Dòng", "Lý do"];

/// A workbook of refused rows: `header` (the list's header row), then each row's number in the
/// original file, its cells and its reasons.
///
/// # Errors
/// [`SheetError`] when the workbook cannot be produced.
pub fn rejected_xlsx(
    header: &[String],
    rows: &[(u32, Vec<String>, String)],
) -> Result<Vec<u8>, SheetError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Dòng không nhập được")?;
    let width = rows
        .iter()
        .map(|(_, c, _)| c.len())
        .chain([header.len()])
        .max()
        .unwrap_or(0);
    let cell = || font().set_border(FormatBorder::Thin);
    let text: Format = cell().set_num_format("@");
    let head = cell().set_bold().set_text_wrap();
    let reason = cell().set_text_wrap().set_font_color("#9C0006");
    let (line, why) = (width as u16, width as u16 + 1);
    for (j, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, h, &head)?;
    }
    ws.write_string_with_format(0, line, REJECTED_HEADINGS[0], &head)?;
    ws.write_string_with_format(0, why, REJECTED_HEADINGS[1], &head)?;
    for (i, (row, cells, reasons)) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        for (j, c) in cells.iter().enumerate() {
            ws.write_string_with_format(r, j as u16, c, &text)?;
        }
        ws.write_number_with_format(r, line, f64::from(*row), &cell())?;
        ws.write_string_with_format(r, why, reasons, &reason)?;
    }
    for j in 0..width as u16 {
        ws.set_column_width(j, 18)?;
    }
    ws.set_column_width(why, 60)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(wb.save_to_buffer()?)
}
