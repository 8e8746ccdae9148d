//! Each kind of template block turned into chunks: paragraphs, the Decree 30/2020 header,
//! titles, tables, criteria tables and signature/recipient columns.

use crate::expr::{Ctx, Emph, Expr, Piece, is_truthy};
use crate::font::{self, PT};
use crate::layout::{self, Chunk, Item, LaidLine, Para, Style};
use crate::table::{self, Cell};
use crate::template::{Align, Block, Kind, PageSetup};
use serde_json::Value;

/// What every block needs: the page, the data and the text box.
pub struct Env<'a> {
    /// Page setup.
    pub page: &'a PageSetup,
    /// The data tree.
    pub data: &'a Value,
    /// Left edge of the text.
    pub x0: f32,
    /// Width of the text.
    pub width: f32,
    /// Height of the text area.
    pub body_height: f32,
}

impl Env<'_> {
    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            root: self.data,
            row: None,
            dots: self.page.dots,
        }
    }

    /// Evaluates a template string against the data.
    pub fn eval(&self, e: &Expr) -> Vec<Piece> {
        e.eval(&self.ctx()).pieces
    }

    fn para(&self, style: Style, align: Align, x: f32, width: f32) -> Para {
        Para {
            style,
            align,
            x,
            width,
            indent: 0.0,
            hanging: 0.0,
            line_height: self.page.line_height,
        }
    }
}

const RULE: f32 = 0.6;

/// The chunks of one block (none when its `when`/`unless` condition leaves it out).
pub fn block(env: &Env<'_>, b: &Block) -> Vec<Chunk> {
    if b.when.as_ref().is_some_and(|p| !is_truthy(p.get(env.data)))
        || b.unless
            .as_ref()
            .is_some_and(|p| is_truthy(p.get(env.data)))
    {
        return Vec::new();
    }
    let size = b.size.unwrap_or(env.page.font_size);
    let mut chunks = match b.kind {
        Kind::Text => text(env, b, size),
        Kind::Header => vec![header(env, b, size)],
        Kind::Title => vec![title(env, b, b.size.unwrap_or(env.page.font_size + 1.0))],
        Kind::Table => table(env, b, b.size.unwrap_or(env.page.font_size - 1.0)),
        Kind::Criteria => {
            crate::criteria::criteria(env, b, b.size.unwrap_or(env.page.font_size - 1.0))
        }
        Kind::Columns => vec![columns(env, b, size)],
        Kind::Spacer => vec![Chunk {
            space_before: b.height.unwrap_or(0.0),
            ..Chunk::default()
        }],
        Kind::PageBreak => vec![Chunk {
            page_break_before: true,
            ..Chunk::default()
        }],
    };
    let default_after = match b.kind {
        Kind::Spacer | Kind::PageBreak => 0.0,
        _ => env.page.paragraph_spacing,
    };
    if let Some(first) = chunks.first_mut() {
        first.space_before += b.space_before.unwrap_or(0.0) * PT;
    }
    if let Some(last) = chunks.last_mut() {
        last.height += b.space_after.unwrap_or(default_after) * PT;
        last.keep_with_next |= b.keep_with_next;
    }
    chunks
}

fn text(env: &Env<'_>, b: &Block, size: f32) -> Vec<Chunk> {
    let Some(expr) = &b.text else {
        return Vec::new();
    };
    let ev = expr.eval(&env.ctx());
    let mut pieces = ev.pieces.clone();
    if b.blank_lines > 0 && ev.all_missing() {
        for _ in 0..b.blank_lines {
            pieces.push(Piece::Text("\n".into(), Emph::default()));
            pieces.push(Piece::Fill(Emph::default()));
        }
    }
    let style = Style {
        bold: b.bold,
        italic: b.italic,
        size,
    };
    let mut p = env.para(style, b.align.unwrap_or(Align::Justify), env.x0, env.width);
    p.indent = b.indent.unwrap_or(0.0);
    p.hanging = b.hanging.unwrap_or(0.0);
    layout::paragraph(&pieces, p)
}

/// Lines of `pieces` centred (or aligned) in a column, stacked from `y`; returns the bottom.
fn stack(items: &mut Vec<Item>, lines: Vec<LaidLine>, y: f32) -> (f32, f32) {
    let mut y = y;
    let mut widest: f32 = 0.0;
    for l in lines {
        items.extend(l.items.iter().map(|i| i.shifted(y)));
        widest = widest.max(l.width);
        y += l.height;
    }
    (y, widest)
}

fn upper(pieces: Vec<Piece>) -> Vec<Piece> {
    pieces
        .into_iter()
        .map(|p| match p {
            Piece::Text(t, e) => Piece::Text(t.to_uppercase(), e),
            other => other,
        })
        .collect()
}

fn hline(items: &mut Vec<Item>, centre: f32, len: f32, y: f32) {
    items.push(Item::Line {
        x1: centre - len / 2.0,
        y1: y,
        x2: centre + len / 2.0,
        y2: y,
        width: RULE,
    });
}

/// Decree 30/2020 header: issuing body left (parent body in capitals, body in bold capitals, a
/// short rule), national title and motto right (bold, a rule as long as the motto), then the
/// number (left) and the italic place and date (right) on one baseline.
fn header(env: &Env<'_>, b: &Block, size: f32) -> Chunk {
    let lw = env.width * b.left_width.unwrap_or(0.38);
    let (lx, rx, rw) = (env.x0, env.x0 + lw, env.width - lw);
    let title_size = size - 1.0;
    let mut items = Vec::new();
    let centre = |x: f32, w: f32, style: Style| env.para(style, Align::Center, x, w);
    let bold = |s: f32| Style {
        bold: true,
        italic: false,
        size: s,
    };

    // Left column.
    let mut y = 0.0;
    if let Some(parent) = &b.parent_body {
        let ev = parent.eval(&env.ctx());
        if !ev.all_missing() {
            let lines =
                layout::lay_lines(&upper(ev.pieces), centre(lx, lw, Style::plain(title_size)));
            y = stack(&mut items, lines, y).0;
        }
    }
    let body = b
        .body
        .as_ref()
        .map(|e| upper(env.eval(e)))
        .unwrap_or_default();
    let (body_bottom, body_w) = stack(
        &mut items,
        layout::lay_lines(&body, centre(lx, lw, bold(title_size))),
        y,
    );
    let left_bottom = body_bottom + 1.0;
    hline(
        &mut items,
        lx + lw / 2.0,
        (body_w / 3.0).max(12.0),
        left_bottom,
    );

    // Right column.
    let national = b
        .national_title
        .clone()
        .unwrap_or_else(|| Expr::literal("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    let motto = b
        .motto
        .clone()
        .unwrap_or_else(|| Expr::literal("Độc lập - Tự do - Hạnh phúc"));
    let (y, _) = stack(
        &mut items,
        layout::lay_lines(&env.eval(&national), centre(rx, rw, bold(title_size))),
        0.0,
    );
    let (motto_bottom, motto_w) = stack(
        &mut items,
        layout::lay_lines(&env.eval(&motto), centre(rx, rw, bold(size))),
        y,
    );
    let right_bottom = motto_bottom + 1.0;
    hline(&mut items, rx + rw / 2.0, motto_w, right_bottom);

    // Number and place/date on the same line, below both rules.
    let row = left_bottom.max(right_bottom) + 2.5;
    let number = b.number.as_ref().map(|e| env.eval(e)).unwrap_or_default();
    let (nb, _) = stack(
        &mut items,
        layout::lay_lines(&number, centre(lx, lw, Style::plain(size))),
        row,
    );
    let date = b
        .place_date
        .as_ref()
        .map(|e| env.eval(e))
        .unwrap_or_default();
    let italic = Style {
        bold: false,
        italic: true,
        size,
    };
    let (db, _) = stack(
        &mut items,
        layout::lay_lines(&date, centre(rx, rw, italic)),
        row,
    );
    Chunk {
        height: nb.max(db),
        items,
        keep_with_next: true,
        ..Chunk::default()
    }
}

fn title(env: &Env<'_>, b: &Block, size: f32) -> Chunk {
    let mut items = Vec::new();
    let style = Style {
        bold: true,
        italic: false,
        size,
    };
    let mut y = 0.0;
    let mut widest: f32 = 0.0;
    for l in b.lines.iter().chain(&b.subtitle) {
        let lines = layout::lay_lines(
            &env.eval(l),
            env.para(style, Align::Center, env.x0, env.width),
        );
        let (ny, w) = stack(&mut items, lines, y);
        y = ny;
        widest = widest.max(w);
    }
    if b.rule {
        y += 1.5;
        hline(
            &mut items,
            env.x0 + env.width / 2.0,
            (widest / 3.0).clamp(20.0, 60.0),
            y,
        );
        y += 1.5;
    }
    Chunk {
        height: y,
        items,
        keep_with_next: true,
        ..Chunk::default()
    }
}

fn widths(env: &Env<'_>, b: &Block) -> Vec<f32> {
    let total: f32 = b.columns.iter().map(|c| c.width).sum();
    b.columns
        .iter()
        .map(|c| c.width / total * env.width)
        .collect()
}

fn cells(
    env: &Env<'_>,
    b: &Block,
    exprs: &[crate::expr::Expr],
    row: Option<(&Value, usize)>,
    size: f32,
    bold: bool,
) -> Vec<Cell> {
    let ctx = Ctx {
        root: env.data,
        row,
        dots: 3,
    };
    exprs
        .iter()
        .zip(&b.columns)
        .map(|(e, c)| Cell {
            pieces: e.eval(&ctx).pieces,
            style: Style {
                bold,
                italic: false,
                size,
            },
            align: c.align.unwrap_or(Align::Left),
        })
        .collect()
}

fn empty_row(b: &Block, size: f32) -> Vec<Cell> {
    b.columns
        .iter()
        .map(|_| Cell {
            pieces: Vec::new(),
            style: Style::plain(size),
            align: Align::Left,
        })
        .collect()
}

fn table(env: &Env<'_>, b: &Block, size: f32) -> Vec<Chunk> {
    let w = widths(env, b);
    let header = b.columns.iter().any(|c| c.title.is_some()).then(|| {
        b.columns
            .iter()
            .map(|c| Cell {
                pieces: c.title.as_ref().map(|t| env.eval(t)).unwrap_or_default(),
                style: Style {
                    bold: true,
                    italic: false,
                    size,
                },
                align: Align::Center,
            })
            .collect()
    });
    let mut rows: Vec<Vec<Cell>> = b
        .rows
        .iter()
        .map(|r| cells(env, b, r, None, size, false))
        .collect();
    if let Some(path) = &b.rows_from {
        match path.get(env.data) {
            Some(Value::Array(items)) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    rows.push(cells(env, b, &b.row, Some((item, i)), size, false));
                }
            }
            _ => rows.extend((0..b.empty_rows).map(|_| empty_row(b, size))),
        }
    }
    if !b.total.is_empty() {
        rows.push(cells(env, b, &b.total, None, size, true));
    }
    let min_row = layout::line_metrics(size, env.page.line_height).0 * 1.6;
    table::table(
        env.x0,
        &w,
        header,
        rows,
        env.page.line_height,
        env.body_height - 20.0,
        min_row,
    )
}

/// Side-by-side columns of lines (recipients left, signature right), kept on one page.
fn columns(env: &Env<'_>, b: &Block, size: f32) -> Chunk {
    let w = widths(env, b);
    let mut items = Vec::new();
    let mut x = env.x0;
    let mut height: f32 = 0.0;
    for (col, cw) in b.columns.iter().zip(&w) {
        let mut y = 0.0;
        for line in &col.lines {
            y += line.space_before;
            let style = Style {
                bold: line.bold,
                italic: line.italic,
                size: line.size.unwrap_or(size),
            };
            let align = line.align.or(col.align).unwrap_or(Align::Center);
            let laid = layout::lay_lines(&env.eval(&line.text), env.para(style, align, x, *cw));
            y = stack(&mut items, laid, y).0;
        }
        height = height.max(y);
        x += cw;
    }
    Chunk {
        height,
        items,
        ..Chunk::default()
    }
}

/// The page number, centred in the top margin (Decree 30/2020: from page 2, upright).
pub fn page_number(page: &PageSetup, n: usize) -> Item {
    let (pw, _) = page.size();
    let text = n.to_string();
    let size = page.page_number_size;
    let face = font::Face::Regular;
    let x0 = page.margin_left;
    let width = pw - page.margin_left - page.margin_right;
    let w = font::width(face, size, &text);
    Item::Text {
        x: x0 + (width - w) / 2.0,
        y: page.margin_top / 2.0 + font::ASCENT * size * PT / 2.0,
        face,
        size,
        text,
    }
}
