//! A sheet's text read back from the encoding each column was typed in ([`crate::legacy`]).
//! Numbers and dates are left as they are.

use crate::cell::Cell;
use crate::legacy::{Encoding, read_column};

/// The sheet with every text cell in NFC Unicode, and the encoding found for each column.
pub fn decode(rows: &[Vec<Cell>]) -> (Vec<Vec<Cell>>, Vec<Encoding>) {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut out: Vec<Vec<Cell>> = rows.to_vec();
    let mut encodings = Vec::with_capacity(width);
    for j in 0..width {
        let texts: Vec<(usize, &str)> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match r.get(j) {
                Some(Cell::Text(s)) => Some((i, s.as_str())),
                _ => None,
            })
            .collect();
        let col = read_column(texts.iter().map(|&(_, s)| s));
        encodings.push(col.encoding);
        for (&(i, _), s) in texts.iter().zip(col.cells) {
            if let Some(c) = out.get_mut(i).and_then(|r| r.get_mut(j)) {
                *c = Cell::Text(s);
            }
        }
    }
    (out, encodings)
}
