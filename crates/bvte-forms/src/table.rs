//! Ruled tables: cells wrapped in their column, a header row repeated on each page, and rows
//! taller than a page split between lines into several ruled rows.

use crate::expr::Piece;
use crate::layout::{Chunk, Item, LaidLine, Para, Style, lay_lines};
use crate::template::Align;
use std::rc::Rc;

/// A cell of a table.
#[derive(Clone, Debug)]
pub struct Cell {
    /// Content.
    pub pieces: Vec<Piece>,
    /// Style.
    pub style: Style,
    /// Alignment.
    pub align: Align,
}

/// Horizontal and vertical padding inside cells, mm.
const PAD_X: f32 = 1.5;
const PAD_Y: f32 = 1.0;
const RULE: f32 = 0.5;

/// A ruled table: a header row (repeated on each new page) and rows. A row taller than
/// `max_row` is split between lines into several ruled rows.
pub fn table(
    x0: f32,
    widths: &[f32],
    header: Option<Vec<Cell>>,
    rows: Vec<Vec<Cell>>,
    line_height: f32,
    max_row: f32,
    min_row: f32,
) -> Vec<Chunk> {
    let mut out = Vec::new();
    let header = header.map(|h| {
        let mut rows = lay_row(x0, widths, &h, line_height, f32::MAX, 0.0);
        let mut c = rows.remove(0);
        c.keep_with_next = true;
        Rc::new(c)
    });
    if let Some(h) = &header {
        out.push((**h).clone());
    }
    for r in rows {
        for mut c in lay_row(x0, widths, &r, line_height, max_row, min_row) {
            c.header = header.clone();
            out.push(c);
        }
    }
    out
}

fn lay_row(
    x0: f32,
    widths: &[f32],
    cells: &[Cell],
    line_height: f32,
    max_row: f32,
    min_row: f32,
) -> Vec<Chunk> {
    let cols: Vec<Vec<LaidLine>> = cells
        .iter()
        .zip(widths)
        .scan(x0, |x, (cell, w)| {
            let lines = if cell.pieces.is_empty() {
                Vec::new()
            } else {
                lay_lines(
                    &cell.pieces,
                    Para {
                        style: cell.style,
                        align: cell.align,
                        x: *x + PAD_X,
                        width: w - 2.0 * PAD_X,
                        indent: 0.0,
                        hanging: 0.0,
                        line_height,
                    },
                )
            };
            *x += w;
            Some(lines)
        })
        .collect();
    // Cut every cell into slices no taller than the room a row may take on a page.
    let room = (max_row - 2.0 * PAD_Y).max(10.0);
    let mut slices: Vec<Vec<Vec<LaidLine>>> = Vec::new();
    let mut rest: Vec<std::collections::VecDeque<LaidLine>> =
        cols.into_iter().map(Into::into).collect();
    loop {
        let mut slice = Vec::new();
        for col in rest.iter_mut() {
            let mut h = 0.0;
            let mut taken = Vec::new();
            while let Some(l) = col.front() {
                if h + l.height > room && !taken.is_empty() {
                    break;
                }
                h += l.height;
                taken.push(col.pop_front().expect("front exists"));
            }
            slice.push(taken);
        }
        slices.push(slice);
        if rest.iter().all(|c| c.is_empty()) {
            break;
        }
    }
    slices
        .into_iter()
        .map(|slice| {
            let content: f32 = slice
                .iter()
                .map(|c| c.iter().map(|l| l.height).sum::<f32>())
                .fold(0.0, f32::max);
            let height = (content + 2.0 * PAD_Y).max(min_row);
            let mut items = Vec::new();
            for col in slice {
                let mut y = PAD_Y;
                for l in col {
                    items.extend(l.items.iter().map(|i| i.shifted(y)));
                    y += l.height;
                }
            }
            let x_end = x0 + widths.iter().sum::<f32>();
            for y in [0.0, height] {
                items.push(Item::Line {
                    x1: x0,
                    y1: y,
                    x2: x_end,
                    y2: y,
                    width: RULE,
                });
            }
            let mut x = x0;
            for w in std::iter::once(&0.0).chain(widths) {
                x += w;
                items.push(Item::Line {
                    x1: x,
                    y1: 0.0,
                    x2: x,
                    y2: height,
                    width: RULE,
                });
            }
            Chunk {
                height,
                items,
                ..Chunk::default()
            }
        })
        .collect()
}
