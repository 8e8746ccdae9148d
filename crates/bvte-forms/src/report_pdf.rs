//! The commune report as PDF in the Decree 30/2020 layout: the issuing body and the national
//! title and motto, number, place and date; the title and the period; the provisional note;
//! each table of the report's layout (`bvte_report::layout`), with a horizontal bar chart drawn
//! as vector rectangles after the tables the layout marks `chart`; and the officer's signature.
//!
//! The frame (header, title, note, signature) is a template of this crate's format
//! ([`FRAME`]); the tables go between its last-but-one and its last block (the signature).

use crate::blocks::{self, Env};
use crate::error::FormError;
use crate::expr::{Emph, Piece};
use crate::font::{self, Face, PT};
use crate::layout::{self, Chunk, Item, Para, Style};
use crate::table::{self, Cell};
use crate::template::{Align, Template};
use crate::{paginate, pdf};
use bvte_report::layout::Table;
use bvte_report::{Document, Report};
use serde_json::json;
use std::sync::LazyLock;

/// The frame of the report: Decree 30/2020 header, title, period, provisional note, then (after
/// the tables) the recipients and the officer's signature.
pub const FRAME: &str = r#"
form = "BC"
title = "Báo cáo công tác bảo vệ trẻ em của xã"
source = "Thể thức văn bản hành chính theo Nghị định 30/2020/NĐ-CP (Phụ lục I: báo cáo); bảng số liệu theo assets/reports/commune-report.toml."
provisional = true
provisional_reason = "Chưa đối chiếu với chế độ báo cáo của Thông tư 23/2025/TT-BYT."

[page]
font_size = 13
paragraph_spacing = 3

[[blocks]]
type = "header"
body = "{issuer.issuing_body|dots:12}"
number = "Số:        /BC-UBND"
place_date = "{issuer.place|dots:5}, ngày {generated_at|day} tháng {generated_at|month} năm {generated_at|year}"
size = 13

[[blocks]]
type = "title"
lines = ["{title}"]
subtitle = ["Kỳ báo cáo: từ ngày {period.from|date} đến ngày {period.to|date}"]
rule = true
size = 14
space_before = 12
space_after = 4

[[blocks]]
type = "text"
text = "{note}"
italic = true
size = 11
space_after = 6

[[blocks]]
type = "columns"
space_before = 10

[[blocks.columns]]
width = 1
align = "left"
lines = [
  { text = "***Nơi nhận:***", size = 12 },
  { text = "- Chủ tịch Ủy ban nhân dân (để báo cáo);", size = 11 },
  { text = "- Lưu: VT.", size = 11 },
]

[[blocks.columns]]
width = 1
lines = [
  { text = "NGƯỜI LÀM CÔNG TÁC BẢO VỆ TRẺ EM", bold = true, size = 12 },
  { text = "(Ký, ghi rõ họ tên)", italic = true },
  { text = "{issuer.officer|dots:15}", bold = true, space_before = 25 },
]
"#;

static FRAME_TEMPLATE: LazyLock<Template> = LazyLock::new(|| {
    Template::parse("report_pdf::FRAME", FRAME)
        .unwrap_or_else(|e| panic!("the report's frame is broken (a test catches this): {e}"))
});

/// Width of each value column, mm.
const VALUE_COL: f32 = 24.0;
/// Width of a chart's label column, mm.
const CHART_LABEL: f32 = 62.0;
/// Size of the tables' and charts' text, pt.
const SMALL: f32 = 11.0;

fn text(s: &str) -> Vec<Piece> {
    vec![Piece::Text(bvte_domain::text::nfc(s), Emph::default())]
}

fn cell(s: &str, bold: bool, align: Align) -> Cell {
    Cell {
        pieces: text(s),
        style: Style {
            bold,
            italic: false,
            size: SMALL,
        },
        align,
    }
}

fn table_chunks(env: &Env<'_>, t: &Table, line_height: f32) -> Vec<Chunk> {
    let mut out = layout::paragraph(
        &text(&t.vi),
        Para {
            style: Style {
                bold: true,
                italic: false,
                size: 13.0,
            },
            align: Align::Left,
            x: env.x0,
            width: env.width,
            indent: 0.0,
            hanging: 0.0,
            line_height,
        },
    );
    if let Some(first) = out.first_mut() {
        first.space_before = 4.0;
    }
    for c in &mut out {
        c.keep_with_next = true;
    }
    let n = t.columns.len() as f32;
    let mut widths = vec![env.width - n * VALUE_COL];
    widths.extend(t.columns.iter().map(|_| VALUE_COL));
    let mut header = vec![cell("Chỉ tiêu", true, Align::Center)];
    header.extend(t.columns.iter().map(|c| cell(&c.vi, true, Align::Center)));
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let label = if r.level > 0 {
                format!("– {}", r.vi)
            } else {
                r.vi.clone()
            };
            let mut cells = vec![cell(&label, false, Align::Left)];
            cells.extend(
                r.values
                    .iter()
                    .map(|v| cell(&v.to_string(), false, Align::Right)),
            );
            cells
        })
        .collect();
    let min_row = layout::line_metrics(SMALL, line_height).0 * 1.3;
    out.extend(table::table(
        env.x0,
        &widths,
        Some(header),
        rows,
        line_height,
        env.body_height - 20.0,
        min_row,
    ));
    out
}

/// A horizontal bar chart of the table's level-0 rows (first column): label, a grey bar as long
/// as the figure relative to the largest, the figure. One unbreakable chunk per bar.
fn chart_chunks(env: &Env<'_>, t: &Table, line_height: f32) -> Vec<Chunk> {
    let rows: Vec<_> = t.rows.iter().filter(|r| r.level == 0).collect();
    let max = rows.iter().filter_map(|r| r.values.first()).max().copied();
    let mut out = layout::paragraph(
        &[Piece::Text(
            format!("Biểu đồ: {}", t.vi),
            Emph {
                bold: false,
                italic: true,
            },
        )],
        Para {
            style: Style::plain(SMALL),
            align: Align::Left,
            x: env.x0,
            width: env.width,
            indent: 0.0,
            hanging: 0.0,
            line_height,
        },
    );
    if let Some(first) = out.first_mut() {
        first.space_before = 3.0;
    }
    for c in &mut out {
        c.keep_with_next = true;
    }
    let bar_x = env.x0 + CHART_LABEL + 2.0;
    let number_room = font::width(Face::Regular, SMALL, "000000") + 2.0;
    let bar_room = env.width - CHART_LABEL - 2.0 - number_room;
    let size = SMALL - 1.0;
    for r in &rows {
        let lines = layout::lay_lines(
            &text(&r.vi),
            Para {
                style: Style::plain(size),
                align: Align::Left,
                x: env.x0,
                width: CHART_LABEL,
                indent: 0.0,
                hanging: 0.0,
                line_height: 1.1,
            },
        );
        let mut items = Vec::new();
        let mut y = 0.0;
        for l in lines {
            items.extend(l.items.iter().map(|i| i.shifted(y)));
            y += l.height;
        }
        let height = y.max(5.0) + 1.0;
        let v = r.values.first().copied().unwrap_or(0);
        let w = match max {
            Some(m) if m > 0 => bar_room * v as f32 / m as f32,
            _ => 0.0,
        };
        let bar_h = 3.2_f32.min(height - 1.0);
        let top = (height - bar_h) / 2.0;
        if w > 0.0 {
            items.push(Item::Rect {
                x: bar_x,
                y: top,
                w,
                h: bar_h,
                gray: 0.45,
            });
        }
        // The axis: a rule along the bars' start.
        items.push(Item::Line {
            x1: bar_x,
            y1: 0.0,
            x2: bar_x,
            y2: height,
            width: 0.6,
        });
        items.push(Item::Text {
            x: bar_x + w + 1.5,
            y: top + bar_h / 2.0 + font::ASCENT * size * PT / 2.0,
            face: Face::Regular,
            size,
            text: v.to_string(),
        });
        out.push(Chunk {
            height,
            items,
            ..Chunk::default()
        });
    }
    out
}

/// The commune report as PDF: [`FRAME`] around the tables of `doc`, with charts; page numbers
/// from page 2. Text is NFC; no images.
///
/// # Errors
/// [`FormError::Pdf`] when the PDF cannot be produced (a font failure; not expected).
pub fn render(report: &Report, doc: &Document) -> Result<Vec<u8>, FormError> {
    let frame = &*FRAME_TEMPLATE;
    let page = &frame.page;
    let (pw, ph) = page.size();
    let data = json!({
        "issuer": {
            "issuing_body": doc.issuer.issuing_body,
            "commune_name": doc.issuer.commune_name,
            "place": doc.issuer.place,
            "officer": doc.issuer.officer,
        },
        "title": doc.title_vi,
        "period": {"from": report.period.from.to_string(), "to": report.period.to.to_string()},
        "generated_at": report.generated_at,
        "note": report.note,
    });
    let env = Env {
        page,
        data: &data,
        x0: page.margin_left,
        width: pw - page.margin_left - page.margin_right,
        body_height: ph - page.margin_top - page.margin_bottom,
    };
    let (signature, head) = frame
        .blocks
        .split_last()
        .expect("the frame has a signature block");
    let mut chunks: Vec<Chunk> = head.iter().flat_map(|b| blocks::block(&env, b)).collect();
    for t in &doc.tables {
        chunks.extend(table_chunks(&env, t, page.line_height));
        if t.chart {
            chunks.extend(chart_chunks(&env, t, page.line_height));
        }
    }
    chunks.extend(blocks::block(&env, signature));
    let mut pages = paginate::paginate(&chunks, page.margin_top, ph - page.margin_bottom);
    for (i, items) in pages.iter_mut().enumerate().skip(1) {
        items.push(blocks::page_number(page, i + 1));
    }
    let title = format!("{} — {}", doc.title_vi, doc.issuer.commune_name);
    pdf::write(&title, &doc.issuer.officer, &pages, (pw, ph))
}
