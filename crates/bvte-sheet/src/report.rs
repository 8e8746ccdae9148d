//! The commune report as a workbook: one sheet per table of the layout, then the completeness
//! list. Each sheet starts with the same heading (commune, title, period, provisional note);
//! its table has the label, one column of numbers per value column, and the figure's key in the
//! report's JSON (so a program can read the sheet back without matching labels).

use crate::SheetError;
use bvte_domain::codes::Code;
use bvte_domain::deadline::DeadlineRule;
use bvte_domain::workflow::Stage;
use bvte_report::layout::Table;
use bvte_report::{Document, Gap, Report};
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

/// The name of the completeness sheet.
pub const COMPLETENESS_SHEET: &str = "Cần bổ sung";

/// The heading of the key column.
pub const KEY_HEADING: &str = "Mã số liệu (JSON)";

/// Rows taken by the heading above each table.
const HEADING_ROWS: u32 = 5;

struct Formats {
    bold: Format,
    italic: Format,
    head: Format,
    label: [Format; 2],
    number: Format,
    key: Format,
}

fn formats() -> Formats {
    let cell = || Format::new().set_border(FormatBorder::Thin);
    let label = |indent: u8| cell().set_text_wrap().set_indent(indent);
    Formats {
        bold: Format::new().set_bold(),
        italic: Format::new().set_italic().set_text_wrap(),
        head: cell()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        label: [label(0), label(2)],
        number: cell().set_num_format("#,##0"),
        key: cell().set_font_color("#666666"),
    }
}

fn period_line(r: &Report) -> String {
    format!(
        "Kỳ báo cáo: từ ngày {} đến ngày {}",
        r.period.from.format("%d/%m/%Y"),
        r.period.to.format("%d/%m/%Y")
    )
}

/// Commune, title, period and the provisional note, above every table; the note spans the
/// table's width.
fn heading(
    ws: &mut Worksheet,
    f: &Formats,
    doc: &Document,
    r: &Report,
    width: u16,
) -> Result<(), SheetError> {
    ws.write_string_with_format(0, 0, &doc.issuer.commune_name, &f.bold)?;
    ws.write_string_with_format(1, 0, &doc.title_vi, &f.bold)?;
    ws.write_string(2, 0, period_line(r))?;
    ws.merge_range(3, 0, 3, width.max(1) - 1, r.note, &f.italic)?;
    ws.set_row_height(3, 45)?;
    Ok(())
}

fn table_sheet(
    wb: &mut Workbook,
    f: &Formats,
    doc: &Document,
    r: &Report,
    t: &Table,
) -> Result<(), SheetError> {
    let ws = wb.add_worksheet();
    ws.set_name(&t.sheet)?;
    let n = t.columns.len() as u16;
    heading(ws, f, doc, r, n + 2)?;
    let top = HEADING_ROWS;
    ws.write_string_with_format(top, 0, &t.vi, &f.bold)?;
    let head = top + 1;
    ws.write_string_with_format(head, 0, "Chỉ tiêu", &f.head)?;
    for (i, c) in t.columns.iter().enumerate() {
        ws.write_string_with_format(head, 1 + i as u16, &c.vi, &f.head)?;
        ws.set_column_width(1 + i as u16, 14)?;
    }
    ws.write_string_with_format(head, n + 1, KEY_HEADING, &f.head)?;
    ws.set_column_width(0, 70)?;
    ws.set_column_width(n + 1, 40)?;
    for (k, row) in t.rows.iter().enumerate() {
        let y = head + 1 + k as u32;
        let label = &f.label[usize::from(row.level.min(1))];
        ws.write_string_with_format(y, 0, &row.vi, label)?;
        for (i, v) in row.values.iter().enumerate() {
            // Counts are far below 2^53: exact as a spreadsheet number.
            ws.write_number_with_format(y, 1 + i as u16, *v as f64, &f.number)?;
        }
        ws.write_string_with_format(y, n + 1, &row.key, &f.key)?;
    }
    ws.set_freeze_panes(head + 1, 1)?;
    Ok(())
}

fn code_label<T: Code>(code: Option<&str>) -> String {
    code.and_then(T::from_code)
        .map_or_else(String::new, |c| c.label_vi().to_string())
}

fn due(g: &Gap) -> String {
    g.due_at
        .as_deref()
        .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
        .map_or_else(String::new, |d| d.format("%d/%m/%Y %H:%M").to_string())
}

/// The records to complete, by id only: what is missing, and for a case the step it is stuck
/// at, the deadline and its limit.
fn completeness_sheet(
    wb: &mut Workbook,
    f: &Formats,
    doc: &Document,
    r: &Report,
) -> Result<(), SheetError> {
    let ws = wb.add_worksheet();
    ws.set_name(COMPLETENESS_SHEET)?;
    heading(ws, f, doc, r, 6)?;
    let top = HEADING_ROWS;
    ws.write_string_with_format(
        top,
        0,
        "Hồ sơ cần bổ sung hoặc kiểm tra trước khi gửi báo cáo (theo mã hồ sơ)",
        &f.bold,
    )?;
    let head = top + 1;
    let titles = [
        ("Hồ sơ", 12.0),
        ("Mã hồ sơ", 40.0),
        ("Cần bổ sung", 36.0),
        ("Bước đang dừng", 28.0),
        ("Thời hạn", 50.0),
        ("Hạn", 18.0),
    ];
    for (i, (t, w)) in titles.iter().enumerate() {
        ws.write_string_with_format(head, i as u16, *t, &f.head)?;
        ws.set_column_width(i as u16, *w)?;
    }
    if r.completeness.is_empty() {
        ws.write_string(head + 1, 0, "Không có hồ sơ nào cần bổ sung.")?;
    }
    for (k, g) in r.completeness.iter().enumerate() {
        let y = head + 1 + k as u32;
        let record = if g.record == "case" {
            "Vụ việc"
        } else {
            "Trẻ em"
        };
        let cells = [
            record.to_string(),
            g.id.clone(),
            g.label_vi().to_string(),
            code_label::<Stage>(g.stage),
            code_label::<DeadlineRule>(g.rule),
            due(g),
        ];
        for (i, c) in cells.iter().enumerate() {
            ws.write_string_with_format(y, i as u16, c, &f.label[0])?;
        }
    }
    Ok(())
}

/// The commune report as an XLSX workbook: one sheet per table of `doc` (named as the layout
/// says), numbers as numbers, then the sheet [`COMPLETENESS_SHEET`].
///
/// # Errors
/// [`SheetError`] when the workbook cannot be written (a sheet name Excel refuses; the layout
/// checks them when it is read, so not expected).
pub fn report_xlsx(report: &Report, doc: &Document) -> Result<Vec<u8>, SheetError> {
    let mut wb = Workbook::new();
    let f = formats();
    let props = DocProperties::new()
        .set_title(format!("{} — {}", doc.title_vi, doc.issuer.commune_name))
        .set_author(&doc.issuer.officer)
        .set_comment(report.note);
    wb.set_properties(&props);
    for t in &doc.tables {
        table_sheet(&mut wb, &f, doc, report, t)?;
    }
    completeness_sheet(&mut wb, &f, doc, report)?;
    Ok(wb.save_to_buffer()?)
}
