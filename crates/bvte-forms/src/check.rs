//! The rules a template block must follow beyond its TOML shape: which keys its type uses,
//! which it needs, and the ranges of sizes and widths.

use crate::template::{Block, Kind};

/// Checks the keys a block uses against its type.
pub fn check_block(b: &Block) -> Result<(), String> {
    let set: Vec<(&str, bool)> = vec![
        ("text", b.text.is_some()),
        ("align", b.align.is_some()),
        ("bold", b.bold),
        ("italic", b.italic),
        ("size", b.size.is_some()),
        ("indent", b.indent.is_some()),
        ("hanging", b.hanging.is_some()),
        ("blank_lines", b.blank_lines > 0),
        ("parent_body", b.parent_body.is_some()),
        ("body", b.body.is_some()),
        ("number", b.number.is_some()),
        ("place_date", b.place_date.is_some()),
        ("national_title", b.national_title.is_some()),
        ("motto", b.motto.is_some()),
        ("left_width", b.left_width.is_some()),
        ("lines", !b.lines.is_empty()),
        ("subtitle", !b.subtitle.is_empty()),
        ("rule", b.rule),
        ("columns", !b.columns.is_empty()),
        ("rows", !b.rows.is_empty()),
        ("rows_from", b.rows_from.is_some()),
        ("row", !b.row.is_empty()),
        ("empty_rows", b.empty_rows > 0),
        ("total", !b.total.is_empty()),
        ("data", b.data.is_some()),
        ("heading", b.heading.is_some()),
        ("levels_heading", b.levels_heading.is_some()),
        ("levels", !b.levels.is_empty()),
        ("criteria", !b.criteria.is_empty()),
        ("totals", b.totals.is_some()),
        ("height", b.height.is_some()),
    ];
    let (name, allowed, required): (&str, &[&str], &[&str]) = match b.kind {
        Kind::Text => (
            "text",
            &[
                "text",
                "align",
                "bold",
                "italic",
                "size",
                "indent",
                "hanging",
                "blank_lines",
            ],
            &["text"],
        ),
        Kind::Header => (
            "header",
            &[
                "parent_body",
                "body",
                "number",
                "place_date",
                "national_title",
                "motto",
                "left_width",
                "size",
            ],
            &["body", "number", "place_date"],
        ),
        Kind::Title => ("title", &["lines", "subtitle", "rule", "size"], &["lines"]),
        Kind::Table => (
            "table",
            &[
                "columns",
                "rows",
                "rows_from",
                "row",
                "empty_rows",
                "total",
                "size",
            ],
            &["columns"],
        ),
        Kind::Criteria => (
            "criteria",
            &[
                "data",
                "heading",
                "levels_heading",
                "levels",
                "criteria",
                "totals",
                "empty_rows",
                "size",
                "left_width",
            ],
            &["data"],
        ),
        Kind::Columns => ("columns", &["columns", "size"], &["columns"]),
        Kind::Spacer => ("spacer", &["height"], &["height"]),
        Kind::PageBreak => ("page_break", &[], &[]),
    };
    for (key, is_set) in &set {
        if *is_set && !allowed.contains(key) {
            return Err(format!("khối loại “{name}” không dùng khóa “{key}”"));
        }
        if !*is_set && required.contains(key) {
            return Err(format!("khối loại “{name}” cần khóa “{key}”"));
        }
    }
    if b.size.is_some_and(|s| !(6.0..=30.0).contains(&s)) {
        return Err("size phải từ 6 đến 30 (pt)".into());
    }
    if b.left_width.is_some_and(|w| !(0.2..=0.8).contains(&w)) {
        return Err("left_width phải từ 0.2 đến 0.8".into());
    }
    if b.height.is_some_and(|h| !(0.0..=250.0).contains(&h)) {
        return Err("height phải từ 0 đến 250 (mm)".into());
    }
    for c in &b.columns {
        if !(c.width > 0.0 && c.width <= 100.0) {
            return Err("độ rộng cột (width) phải lớn hơn 0".into());
        }
        match b.kind {
            Kind::Table if !c.lines.is_empty() => {
                return Err("cột của bảng không dùng khóa “lines” (dùng rows hoặc row)".into());
            }
            Kind::Columns if c.title.is_some() => {
                return Err("cột của khối columns không dùng khóa “title” (dùng lines)".into());
            }
            _ => {}
        }
    }
    if b.kind == Kind::Table {
        let n = b.columns.len();
        if b.rows.is_empty() && b.rows_from.is_none() {
            return Err(
                "bảng cần rows (dòng cố định) hoặc rows_from và row (dòng theo dữ liệu)".into(),
            );
        }
        if b.rows_from.is_some() == b.row.is_empty() {
            return Err("rows_from và row phải đi cùng nhau".into());
        }
        for (what, len) in b
            .rows
            .iter()
            .map(|r| ("một dòng trong rows", r.len()))
            .chain([("row", b.row.len()), ("total", b.total.len())])
        {
            if len != 0 && len != n {
                return Err(format!("{what} có {len} ô nhưng bảng có {n} cột"));
            }
        }
    }
    if b.kind == Kind::Criteria {
        let n = if b.levels.is_empty() {
            3
        } else {
            b.levels.len()
        };
        for (i, c) in b.criteria.iter().enumerate() {
            // A code not in `bvte_domain::criteria` is allowed: a corrected form may list a
            // criterion the app does not record yet, printed unticked to fill by hand.
            if b.criteria[..i].iter().any(|p| p.code == c.code) {
                return Err(format!("tiêu chí “{}” có hai lần", c.code));
            }
            if !c.levels.is_empty() && c.levels.len() != n {
                return Err(format!(
                    "tiêu chí “{}” mô tả {} mức nhưng thang có {n} mức",
                    c.code,
                    c.levels.len()
                ));
            }
        }
    }
    Ok(())
}
