//! Legacy Vietnamese encodings in workbook cells: TCVN3, VNI and Windows-1258 text read back to
//! Unicode (NFC), and which one a column was typed in.
//!
//! A workbook typed years ago with a `.VnTime` (TCVN3) or `VNI-Times` (VNI) font stores the
//! legacy bytes as Windows-1252 text; on a Unicode PC it shows as "NguyÔn V¨n §øc" (TCVN3) or
//! "Nguyeãn Vaên Ñöùc" (VNI). [`decode`] turns each character back into its byte and reads
//! the byte in the legacy table; decomposed Unicode (UniKey's "Unicode tổ hợp") becomes NFC.
//!
//! Which encoding a column is in is judged on the whole column ([`detect`]): the reading in which
//! most words are Vietnamese syllables wins, Unicode on a tie. A cell with a character no
//! legacy font can produce (ễ, ư typed in Unicode) is Unicode whatever its column is, so a
//! column where later rows were typed in Unicode still reads right; [`Column::mixed`] says so.
//!
//! When the workbook says which font a cell is drawn in ([`crate::fonts`]), the font decides:
//! a cell in a `.Vn…` or `VNI-…` font is read in that encoding, and in an uppercase TCVN3 font
//! (`.VnTimeH`) in capitals, as Excel shows it ([`read_hinted`]).

mod cp1252;
mod cp1258;
mod syllable;
mod tcvn3;
mod vni;

use crate::fonts::FontHint;
use unicode_normalization::UnicodeNormalization;

pub use syllable::plausible;

/// An encoding a cell can be in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Unicode (precomposed or decomposed).
    Unicode,
    /// TCVN3 (ABC), `.VnTime` fonts.
    Tcvn3,
    /// VNI-Windows, `VNI-*` fonts.
    Vni,
    /// Windows-1258 (CSV files from old Vietnamese Windows).
    Windows1258,
}

impl Encoding {
    /// The stable code (`unicode`, `tcvn3`, `vni`), as `bvte import --json` names it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Unicode => "unicode",
            Self::Tcvn3 => "tcvn3",
            Self::Vni => "vni",
            Self::Windows1258 => "windows_1258",
        }
    }

    /// The readings tried, in the order a tie is settled.
    pub const ALL: [Self; 4] = [Self::Unicode, Self::Tcvn3, Self::Vni, Self::Windows1258];
}

/// `text` read as typed in `enc`, in NFC; `None` when `text` cannot have been typed in a legacy
/// font (it holds a character Windows-1252 has no byte for).
pub fn decode(text: &str, enc: Encoding) -> Option<String> {
    match enc {
        Encoding::Unicode => Some(text.nfc().collect()),
        Encoding::Tcvn3 => text
            .chars()
            .map(|c| cp1252::byte_of(c).map(tcvn3::char_of))
            .collect::<Option<String>>()
            .map(|s| s.nfc().collect()),
        Encoding::Windows1258 => text
            .chars()
            .map(|c| cp1252::byte_of(c).map(cp1258::char_of))
            .collect::<Option<String>>()
            .map(|s| s.nfc().collect()),
        Encoding::Vni => {
            // Bytes first, so a cell that cannot be VNI is refused as for TCVN3.
            let latin: String = text
                .chars()
                .map(|c| cp1252::byte_of(c).map(cp1252::char_of))
                .collect::<Option<String>>()?;
            Some(vni::decode(&latin).nfc().collect())
        }
    }
}

/// Bytes that are not UTF-8 (a CSV file saved by old software) as a workbook would show them:
/// each byte its Windows-1252 character, so that [`detect`] and [`decode`] read them as they
/// read workbook cells.
pub fn bytes_as_text(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| cp1252::char_of(b)).collect()
}

/// Of the words of `text` read in `enc`, how many are Vietnamese syllables, and how many words
/// there are; `None` when `text` cannot be in `enc`. One-letter words are no evidence: a dash
/// read as TCVN3 is the letter Ộ.
fn score(text: &str, enc: Encoding) -> Option<(usize, usize)> {
    let read = decode(text, enc)?;
    let (mut good, mut all) = (0, 0);
    for w in syllable::words(&read).filter(|w| w.chars().nth(1).is_some()) {
        all += 1;
        good += usize::from(syllable::plausible(w));
    }
    Some((good, all))
}

/// A column read back: its encoding and each cell in NFC Unicode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The encoding most of the column was typed in.
    pub encoding: Encoding,
    /// Each cell, read.
    pub cells: Vec<String>,
    /// Cells that had to be read as Unicode in a legacy column (their index).
    pub mixed: Vec<usize>,
}

/// The encoding of a column: the reading with the most Vietnamese words (Unicode on a tie, then
/// TCVN3, then VNI). A cell that cannot be in a legacy encoding votes for Unicode only.
pub fn detect<'a>(cells: impl IntoIterator<Item = &'a str> + Clone) -> Encoding {
    let mut best = (Encoding::Unicode, 0usize);
    for enc in Encoding::ALL {
        let good: usize = cells
            .clone()
            .into_iter()
            .map(|c| {
                score(c, enc)
                    .or_else(|| score(c, Encoding::Unicode))
                    .map_or(0, |(g, _)| g)
            })
            .sum();
        if good > best.1 {
            best = (enc, good);
        }
    }
    best.0
}

/// Reads a column: [`detect`], then each cell in that encoding (in Unicode when it cannot be).
pub fn read_column<'a>(cells: impl IntoIterator<Item = &'a str> + Clone) -> Column {
    let encoding = detect(cells.clone());
    let mut mixed = Vec::new();
    let cells = cells
        .into_iter()
        .enumerate()
        .map(|(i, c)| match decode(c, encoding) {
            Some(s) => s,
            None => {
                mixed.push(i);
                c.nfc().collect()
            }
        })
        .collect();
    Column {
        encoding,
        cells,
        mixed,
    }
}

/// Reads a column whose cells come with the hint of their font: a cell in a legacy font is read
/// in its font's encoding (in capitals for an uppercase TCVN3 font, as Excel draws it), the
/// other cells in the encoding [`detect`]ed on them alone — a header typed in `.VnTime` above
/// names typed in Unicode must not make the names TCVN3. The column's encoding is the one most
/// of its cells were read in (Unicode on a tie). Without any legacy font, as [`read_column`].
pub fn read_hinted(cells: &[(&str, FontHint)]) -> Column {
    if cells.iter().all(|(_, h)| h.encoding().is_none()) {
        return read_column(cells.iter().map(|&(s, _)| s));
    }
    let others = detect(
        cells
            .iter()
            .filter(|(_, h)| h.encoding().is_none())
            .map(|&(s, _)| s),
    );
    let mut votes = [0usize; Encoding::ALL.len()];
    let mut mixed = Vec::new();
    let read = cells
        .iter()
        .enumerate()
        .map(|(i, &(c, hint))| {
            let enc = hint.encoding().unwrap_or(others);
            let (enc, text) = match decode(c, enc) {
                Some(s) if hint == FontHint::Tcvn3Upper => (enc, s.to_uppercase().nfc().collect()),
                Some(s) => (enc, s),
                None => {
                    mixed.push(i);
                    (Encoding::Unicode, c.nfc().collect())
                }
            };
            if let Some(k) = Encoding::ALL.iter().position(|&e| e == enc) {
                votes[k] += 1;
            }
            text
        })
        .collect();
    let mut encoding = Encoding::Unicode;
    let mut most = 0;
    for (k, &n) in votes.iter().enumerate() {
        if n > most {
            (encoding, most) = (Encoding::ALL[k], n);
        }
    }
    Column {
        encoding,
        cells: read,
        mixed,
    }
}
