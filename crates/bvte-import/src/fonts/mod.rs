//! The font of each cell, as far as it tells how the officer's Excel shows the cell's text.
//!
//! Legacy text is bytes drawn by a legacy font: the font, not the text, says what the officer
//! sees. A cell in a `.Vn…` font (TCVN3, ABC) or a `VNI-…` font is read in that encoding
//! ([`crate::legacy::read_hinted`]); a TCVN3 **uppercase font** (`.VnTimeH`, `.VnArialH`: any
//! `.Vn…` font whose name ends in "H") draws the lowercase TCVN3 codes as capitals — TCVN3 has
//! no toned capitals, so headings and names in capitals were typed in lowercase in such a font:
//! "nguyÔn v¨n a" in `.VnTimeH` shows, and is read, as "NGUYỄN VĂN A". VNI encodes both cases
//! (its capitals are a capital base letter and a mark), so it has no such fonts.
//!
//! Where the fonts are read: .xlsx (calamine's `worksheet_style`: each cell's format, and the
//! workbook's default format for cells without one) and .xls ([`xls`]: the FONT and XF records
//! of the BIFF stream and each text cell's XF). Not read: the font of one run inside a cell
//! (rich text: the cell's own font counts), .ods, .xlsb and CSV (no fonts); their columns are
//! judged by their text alone ([`crate::legacy::detect`]), and text typed in an uppercase font
//! comes in lowercase — for an .ods or .xlsb, opening it in Excel and saving it as .xlsx fixes
//! that. calamine 0.38 gives an .xlsx cell's format (`worksheet_style`) but nothing for .xls.
//! Fonts are an aid: a file whose fonts cannot be read is read without them.

pub mod xls;

use crate::legacy::Encoding;

/// What a cell's font says about its text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FontHint {
    /// Nothing: a Unicode font, or no font known.
    #[default]
    None,
    /// A TCVN3 font (`.VnTime`, `.VnArial`…).
    Tcvn3,
    /// A TCVN3 uppercase font (`.VnTimeH`, `.VnArialH`…): shows every letter as a capital.
    Tcvn3Upper,
    /// A VNI font (`VNI-Times`, `VNI-Helve`…).
    Vni,
}

impl FontHint {
    /// The hint of a font by its name: `.Vn…` is TCVN3 (uppercase when the name ends in "H"),
    /// `VNI-…` is VNI, any other font says nothing.
    pub fn of(font: &str) -> Self {
        let name = font.trim().trim_matches(['\'', '"']).trim();
        let starts = |p: &str| {
            name.get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
        };
        if starts(".vn") {
            if name.ends_with('H') {
                Self::Tcvn3Upper
            } else {
                Self::Tcvn3
            }
        } else if starts("vni-") || starts("vni ") {
            Self::Vni
        } else {
            Self::None
        }
    }

    /// The encoding the font draws.
    pub fn encoding(self) -> Option<Encoding> {
        match self {
            Self::None => None,
            Self::Tcvn3 | Self::Tcvn3Upper => Some(Encoding::Tcvn3),
            Self::Vni => Some(Encoding::Vni),
        }
    }
}

/// The hints of a sheet's cells: `[row][column]`, 0-based as [`crate::workbook::Sheet::rows`];
/// shorter than the sheet where the rest says nothing.
pub type SheetHints = Vec<Vec<FontHint>>;

/// Sets `hints[row][col]`, growing the grid as needed.
pub(crate) fn set(hints: &mut SheetHints, row: usize, col: usize, hint: FontHint) {
    if hint == FontHint::None {
        return;
    }
    if hints.len() <= row {
        hints.resize_with(row + 1, Vec::new);
    }
    let r = &mut hints[row];
    if r.len() <= col {
        r.resize(col + 1, FontHint::None);
    }
    r[col] = hint;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_by_name() {
        assert_eq!(FontHint::of(".VnTime"), FontHint::Tcvn3);
        assert_eq!(FontHint::of(".VnTimeH"), FontHint::Tcvn3Upper);
        assert_eq!(FontHint::of(".VnArialH"), FontHint::Tcvn3Upper);
        assert_eq!(FontHint::of(".VnArial NarrowH"), FontHint::Tcvn3Upper);
        assert_eq!(FontHint::of(".VNTIME"), FontHint::Tcvn3);
        assert_eq!(FontHint::of(".VnBahamasB"), FontHint::Tcvn3);
        assert_eq!(FontHint::of("VNI-Times"), FontHint::Vni);
        assert_eq!(FontHint::of("Vni-Helve"), FontHint::Vni);
        assert_eq!(FontHint::of("Times New Roman"), FontHint::None);
        assert_eq!(FontHint::of("Calibri"), FontHint::None);
        assert_eq!(FontHint::of(""), FontHint::None);
        assert_eq!(FontHint::Tcvn3Upper.encoding(), Some(Encoding::Tcvn3));
    }
}
