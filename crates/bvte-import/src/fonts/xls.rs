//! The fonts of an .xls (BIFF8, Excel 97–2003, and BIFF5, Excel 95): calamine reads its cells
//! but not their fonts, so the few records that name them are read here, in one pass over the
//! workbook stream and one over each sheet that holds a legacy font.
//!
//! [MS-XLS]: FONT (0x0031) records, numbered 0, 1, 2, 3, 5, 6… (there is no font 4); XF
//! (0x00E0) records, whose first field is their font; BOUNDSHEET (0x0085), where each sheet's
//! records start; and in a sheet the text cells — LABELSST (0x00FD), LABEL (0x0204), RSTRING
//! (0x00D6) and FORMULA (0x0006) — which begin with their row, column and XF.

use super::{FontHint, SheetHints, set};
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// The records of a BIFF stream from `pos`: their type and their data.
struct Records<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Records<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let typ = u16_at(self.data, self.pos)?;
        let len = usize::from(u16_at(self.data, self.pos + 2)?);
        let body = self.data.get(self.pos + 4..self.pos + 4 + len)?;
        self.pos += 4 + len;
        Some((typ, body))
    }
}

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    d.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    d.get(i..i + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// A string of `cch` characters at `d[at..]`: in BIFF8 a flags byte first (bit 0: two bytes a
/// character, else one Latin-1 byte), in BIFF5 one byte a character (read as Windows-1252).
fn string(d: &[u8], at: usize, cch: usize, biff8: bool) -> Option<String> {
    if !biff8 {
        return Some(crate::legacy::bytes_as_text(d.get(at..at + cch)?));
    }
    let wide = d.get(at)? & 1 == 1;
    let body = d.get(at + 1..)?;
    if wide {
        let units: Vec<u16> = body
            .get(..cch * 2)?
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(body.get(..cch)?.iter().map(|&b| char::from(b)).collect())
    }
}

/// The workbook stream of an OLE2 file (`Workbook`, or `Book` for Excel 95).
fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| file.is_stream(n))?;
    let mut stream = file.open_stream(name).ok()?;
    let mut out = Vec::new();
    let max = crate::workbook::MAX_BYTES as u64;
    stream.by_ref().take(max).read_to_end(&mut out).ok()?;
    Some(out)
}

/// The hint of each XF of the workbook, and where each sheet's records start, by its name.
fn globals(stream: &[u8]) -> (Vec<FontHint>, Vec<(String, usize)>, bool) {
    let mut biff8 = true;
    let mut fonts = Vec::new();
    let mut xf_fonts = Vec::new();
    let mut sheets = Vec::new();
    for (i, (typ, d)) in (Records {
        data: stream,
        pos: 0,
    })
    .enumerate()
    {
        match typ {
            0x0809 if i == 0 => biff8 = u16_at(d, 0) != Some(0x0500),
            0x0031 => {
                let cch = d.get(14).map_or(0, |&c| usize::from(c));
                let name = string(d, 15, cch, biff8).unwrap_or_default();
                fonts.push(FontHint::of(&name));
            }
            0x00E0 => xf_fonts.push(u16_at(d, 0).unwrap_or(0)),
            0x0085 => {
                let cch = d.get(6).map_or(0, |&c| usize::from(c));
                if let (Some(pos), Some(name)) = (u32_at(d, 0), string(d, 7, cch, biff8)) {
                    sheets.push((name, pos as usize));
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    let font = |ifnt: u16| {
        let i = usize::from(ifnt);
        // Font 4 does not exist: the fifth FONT record is font 5.
        let k = match i {
            0..4 => i,
            4 => return FontHint::None,
            _ => i - 1,
        };
        fonts.get(k).copied().unwrap_or_default()
    };
    let xfs = xf_fonts.into_iter().map(font).collect();
    (xfs, sheets, biff8)
}

/// The hint of each text cell of the sheet whose records start at `pos`.
fn sheet(stream: &[u8], pos: usize, xfs: &[FontHint]) -> SheetHints {
    let mut hints = SheetHints::new();
    // A chart inside the sheet is a BOF … EOF of its own: the sheet ends at its own EOF.
    let mut depth = 0usize;
    for (typ, d) in (Records { data: stream, pos }) {
        match typ {
            0x0809 => depth += 1,
            0x000A => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            0x00FD | 0x0204 | 0x00D6 | 0x0006 if depth == 1 => {
                if let (Some(row), Some(col), Some(xf)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4))
                {
                    let hint = xfs.get(usize::from(xf)).copied().unwrap_or_default();
                    set(&mut hints, usize::from(row), usize::from(col), hint);
                }
            }
            _ => {}
        }
    }
    hints
}

/// The hints of each sheet of an .xls, by sheet name; empty when no cell format uses a legacy
/// font, or when the file cannot be read this way (calamine then says what is wrong with it).
pub fn hints(bytes: &[u8]) -> HashMap<String, SheetHints> {
    let Some(stream) = workbook_stream(bytes) else {
        return HashMap::new();
    };
    let (xfs, sheets, _) = globals(&stream);
    if xfs.iter().all(|h| *h == FontHint::None) {
        return HashMap::new();
    }
    sheets
        .into_iter()
        .map(|(name, pos)| {
            let hints = sheet(&stream, pos, &xfs);
            (name, hints)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    #[test]
    fn a_truncated_or_foreign_stream_gives_no_hint_and_no_panic() {
        assert!(hints(b"").is_empty());
        assert!(hints(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).is_empty());
        let mut font = vec![0u8; 14];
        font.extend([7u8, 0]);
        font.extend(b".VnTime");
        let mut stream = record(0x0809, &[0, 6, 5, 0]);
        stream.extend(record(0x0031, &font));
        stream.extend(record(0x00E0, &[0, 0, 0, 0]));
        stream.extend(&[0x31, 0x00, 0xFF]);
        let (xfs, sheets, biff8) = globals(&stream);
        assert_eq!(xfs, vec![FontHint::Tcvn3]);
        assert!(sheets.is_empty() && biff8);
        assert!(sheet(&stream, stream.len() + 10, &xfs).is_empty());
    }

    proptest::proptest! {
        /// Any stream at all: an answer, never a panic.
        #[test]
        fn any_stream_reads_without_a_panic(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512),
            pos in 0usize..600,
        ) {
            let (xfs, sheets, _) = globals(&bytes);
            for (_, at) in sheets {
                let _ = sheet(&bytes, at, &xfs);
            }
            let _ = sheet(&bytes, pos, &xfs);
        }
    }
}
