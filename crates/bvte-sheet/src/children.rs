//! The children list as a workbook (issue 12), as the list is filtered: Vietnamese headers that
//! `bvte import` recognises (so the file can be imported into another register), dates as dates
//! shown dd/mm/yyyy, ids and personal ids as text (their leading zeros kept), Times New Roman.
//! Only the children's register: never a case, never the reporter's identity; no notes.

use crate::SheetError;
use bvte_domain::child::{CarerRelation, Child};
use bvte_domain::codes::Code;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

/// The font of every cell (the one officials' documents use).
pub const FONT: &str = "Times New Roman";

/// The sheet's name.
pub const CHILDREN_SHEET: &str = "Danh sách trẻ em";

/// The column headings, in order.
pub const CHILDREN_HEADINGS: [&str; 16] = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Tuổi",
    "Giới tính",
    "Dân tộc",
    "Số định danh cá nhân",
    "Cư trú",
    "Thôn/tổ dân phố",
    "Họ tên cha",
    "Họ tên mẹ",
    "Người chăm sóc",
    "Nhóm hoàn cảnh đặc biệt",
    "Khuyết tật",
    "Có nguy cơ",
    "Mã hồ sơ",
];

/// A format in the sheet's font.
pub(crate) fn font() -> Format {
    Format::new().set_font_name(FONT).set_font_size(12)
}

fn cell() -> Format {
    font().set_border(FormatBorder::Thin)
}

/// The group letters as the Law on Children writes them ("a", "đ", …).
fn letters(c: &Child, today: NaiveDate) -> String {
    c.data
        .groups_on(today)
        .iter()
        .map(|g| {
            if g.code() == "dd" {
                "đ".to_string()
            } else {
                g.code().to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn carers(c: &Child, pick: fn(CarerRelation) -> bool) -> String {
    c.data
        .carers
        .iter()
        .filter(|k| pick(k.relation))
        .map(|k| k.full_name.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The list of `children` on `today` as an .xlsx, under `title` (e.g. the commune and the
/// filter).
///
/// # Errors
/// [`SheetError`] when the workbook cannot be produced.
pub fn children_xlsx(
    children: &[Child],
    today: NaiveDate,
    title: &str,
) -> Result<Vec<u8>, SheetError> {
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_title(CHILDREN_SHEET));
    let ws = wb.add_worksheet();
    ws.set_name(CHILDREN_SHEET)?;
    let text = cell().set_num_format("@");
    let date = cell()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Center);
    let number = cell().set_align(FormatAlign::Center);
    let head = cell()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    ws.write_string_with_format(0, 0, title, &font().set_bold())?;
    ws.write_string_with_format(
        1,
        0,
        format!(
            "Lập ngày {} — {} trẻ em",
            today.format("%d/%m/%Y"),
            children.len()
        ),
        &font().set_italic(),
    )?;
    const HEAD: u32 = 3;
    for (j, h) in CHILDREN_HEADINGS.iter().enumerate() {
        ws.write_string_with_format(HEAD, j as u16, *h, &head)?;
    }
    for (i, c) in children.iter().enumerate() {
        let r = HEAD + 1 + i as u32;
        let d = &c.data;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &number)?;
        ws.write_string_with_format(r, 1, &d.full_name, &text)?;
        match (d.date_of_birth, d.birth_date()) {
            (Some(b), _) => {
                let x = ExcelDateTime::from_ymd(b.year() as u16, b.month() as u8, b.day() as u8)?;
                ws.write_date_with_format(r, 2, &x, &date)?;
            }
            // An estimated age: the year alone, which an import reads as an estimated age.
            (None, Some(b)) => {
                ws.write_number_with_format(r, 2, f64::from(b.year()), &number)?;
            }
            (None, None) => {
                ws.write_blank(r, 2, &date)?;
            }
        }
        match d.age_on(today) {
            Some(a) => ws.write_number_with_format(r, 3, f64::from(a), &number)?,
            None => ws.write_blank(r, 3, &number)?,
        };
        let ethnicity = d
            .ethnicity
            .as_ref()
            .and_then(|e| bvte_domain::reference::ethnic_groups().get(&e.code))
            .map(|g| g.name.clone())
            .unwrap_or_default();
        let texts: [(u16, String); 11] = [
            (4, d.sex.label_vi().to_string()),
            (5, ethnicity),
            (6, d.personal_id.clone().unwrap_or_default()),
            (7, d.residence_status.label_vi().to_string()),
            (8, d.village.clone()),
            (9, carers(c, |r| r == CarerRelation::Father)),
            (10, carers(c, |r| r == CarerRelation::Mother)),
            (
                11,
                carers(c, |r| {
                    !matches!(r, CarerRelation::Father | CarerRelation::Mother)
                }),
            ),
            (12, letters(c, today)),
            (
                13,
                d.disability
                    .as_ref()
                    .map(|x| x.level.label_vi().to_string())
                    .unwrap_or_default(),
            ),
            (14, if d.at_risk { "Có" } else { "" }.to_string()),
        ];
        for (j, v) in texts {
            ws.write_string_with_format(r, j, v, &text)?;
        }
        ws.write_string_with_format(r, 15, c.id.to_string(), &text)?;
    }
    for (j, w) in [5, 28, 12, 6, 9, 10, 16, 14, 18, 24, 24, 24, 12, 16, 8, 38]
        .iter()
        .enumerate()
    {
        ws.set_column_width(j as u16, *w)?;
    }
    ws.set_freeze_panes(HEAD + 1, 2)?;
    ws.set_repeat_rows(HEAD, HEAD)?;
    ws.set_landscape();
    Ok(wb.save_to_buffer()?)
}
