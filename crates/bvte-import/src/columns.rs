//! A sheet's text read back from the encoding each column was typed in ([`crate::legacy`]).
//! Numbers and dates are left as they are.

use crate::cell::Cell;
use crate::fonts::{FontHint, SheetHints};
use crate::legacy::{Encoding, read_hinted};
use crate::workbook::Sheet;

/// The sheet with every text cell in NFC Unicode, and the encoding found for each column; the
/// cells' fonts, where known, decide as [`read_hinted`] says.
pub fn decode_sheet(sheet: &Sheet) -> (Vec<Vec<Cell>>, Vec<Encoding>) {
    decode_with(&sheet.rows, &sheet.fonts)
}

/// The rows with every text cell in NFC Unicode, and the encoding found for each column, from
/// their text alone.
pub fn decode(rows: &[Vec<Cell>]) -> (Vec<Vec<Cell>>, Vec<Encoding>) {
    decode_with(rows, &SheetHints::new())
}

fn decode_with(rows: &[Vec<Cell>], fonts: &SheetHints) -> (Vec<Vec<Cell>>, Vec<Encoding>) {
    let hint = |i: usize, j: usize| {
        fonts
            .get(i)
            .and_then(|r| r.get(j))
            .copied()
            .unwrap_or(FontHint::None)
    };
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut out: Vec<Vec<Cell>> = rows.to_vec();
    let mut encodings = Vec::with_capacity(width);
    for j in 0..width {
        let texts: Vec<(usize, &str, FontHint)> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match r.get(j) {
                Some(Cell::Text(s)) => Some((i, s.as_str(), hint(i, j))),
                _ => None,
            })
            .collect();
        let cells: Vec<(&str, FontHint)> = texts.iter().map(|&(_, s, h)| (s, h)).collect();
        let col = read_hinted(&cells);
        encodings.push(col.encoding);
        for (&(i, _, _), s) in texts.iter().zip(col.cells) {
            if let Some(c) = out.get_mut(i).and_then(|r| r.get_mut(j)) {
                *c = Cell::Text(s);
            }
        }
    }
    (out, encodings)
}
