//! Liberation Serif (metric-compatible with Times New Roman, SIL OFL 1.1), embedded from
//! `assets/fonts/`: glyph advances for line breaking, and subsetting to the glyphs a document
//! uses before embedding (printpdf without its layout feature embeds whole fonts, 390 KB each).

use printpdf::ParsedFont;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// One of the four faces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    /// Regular.
    Regular,
    /// Bold.
    Bold,
    /// Italic.
    Italic,
    /// Bold italic.
    BoldItalic,
}

impl Face {
    /// The face for a style.
    pub fn of(bold: bool, italic: bool) -> Face {
        match (bold, italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }

    /// All faces.
    pub const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic];

    fn index(self) -> usize {
        self as usize
    }

    fn postscript_name(self) -> &'static str {
        match self {
            Face::Regular => "LiberationSerif",
            Face::Bold => "LiberationSerif-Bold",
            Face::Italic => "LiberationSerif-Italic",
            Face::BoldItalic => "LiberationSerif-BoldItalic",
        }
    }
}

const FONT_BYTES: [&[u8]; 4] = [
    include_bytes!("../../../assets/fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../../assets/fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../../assets/fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../../assets/fonts/LiberationSerif-BoldItalic.ttf"),
];

/// Ascender and descender of Liberation Serif (hhea 1825 / -443 of 2048 units), in em.
pub const ASCENT: f32 = 1825.0 / 2048.0;
/// See [`ASCENT`].
pub const DESCENT: f32 = 443.0 / 2048.0;

/// Code points below this have their advance in a flat table (Latin, Vietnamese, punctuation).
const TABLE: usize = 0x2200;
const NO_GLYPH: u16 = u16::MAX;

struct FaceData {
    font: ParsedFont,
    /// Advance in font units by code point, `NO_GLYPH` when the font has none.
    table: Vec<u16>,
    units_per_em: f32,
}

static FACES: LazyLock<Vec<FaceData>> = LazyLock::new(|| {
    FONT_BYTES
        .iter()
        .map(|bytes| {
            let mut warnings = Vec::new();
            let font = ParsedFont::from_bytes(bytes, 0, &mut warnings)
                .expect("the vendored Liberation Serif fonts parse");
            let mut table = vec![NO_GLYPH; TABLE];
            for (cp, slot) in table.iter_mut().enumerate() {
                if let Some(w) = font
                    .lookup_glyph_index(cp as u32)
                    .filter(|g| *g != 0)
                    .and_then(|g| font.get_glyph_width(g))
                {
                    *slot = w;
                }
            }
            let units_per_em = f32::from(font.units_per_em.max(1));
            FaceData {
                font,
                table,
                units_per_em,
            }
        })
        .collect()
});

fn data(face: Face) -> &'static FaceData {
    &FACES[face.index()]
}

/// The advance of `c` in em, `None` when the font has no glyph for it.
pub fn advance(face: Face, c: char) -> Option<f32> {
    let d = data(face);
    let units = match d.table.get(c as usize) {
        Some(&NO_GLYPH) => return None,
        Some(&w) => w,
        None => d
            .font
            .lookup_glyph_index(c as u32)
            .filter(|g| *g != 0)
            .and_then(|g| d.font.get_glyph_width(g))?,
    };
    Some(f32::from(units) / d.units_per_em)
}

/// `c`, or `?` when the font cannot draw it (emoji, scripts outside Latin/Vietnamese).
pub fn printable(face: Face, c: char) -> char {
    if advance(face, c).is_some() { c } else { '?' }
}

/// Points to millimetres.
pub const PT: f32 = 25.4 / 72.0;

/// Width of `s` in millimetres at `size` points (characters without a glyph count as `?`).
pub fn width(face: Face, size: f32, s: &str) -> f32 {
    let em: f32 = s
        .chars()
        .map(|c| {
            advance(face, c)
                .or_else(|| advance(face, '?'))
                .unwrap_or(0.5)
        })
        .sum();
    em * size * PT
}

/// Loads the fonts now (the first call parses four 390 KB files, about 10 ms), so that timing
/// a render measures the render.
pub fn warm_up() {
    LazyLock::force(&FACES);
}

/// The face cut down to the glyphs of `chars` (plus `.notdef`), named with a subset tag, ready
/// to embed. Its `cmap` maps the characters to the new glyph ids, which printpdf reads.
pub fn subset(face: Face, chars: &BTreeSet<char>) -> Result<ParsedFont, String> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};
    let full = &data(face).font;
    let mut gids: Vec<u16> = chars
        .iter()
        .filter_map(|c| full.lookup_glyph_index(*c as u32))
        .filter(|g| *g != 0)
        .collect();
    gids.sort_unstable();
    gids.dedup();
    // allsorts requires .notdef first and no duplicates.
    gids.insert(0, 0);
    let bytes = FONT_BYTES[face.index()];
    let file = ReadScope::new(bytes)
        .read::<FontData<'_>>()
        .map_err(|e| e.to_string())?;
    let provider = file.table_provider(0).map_err(|e| e.to_string())?;
    let sub = allsorts::subset::subset(&provider, &gids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| e.to_string())?;
    let mut warnings = Vec::new();
    let mut font = ParsedFont::from_bytes(&sub, 0, &mut warnings)
        .ok_or_else(|| format!("the subset of {} does not parse", face.postscript_name()))?;
    font.font_name = Some(format!(
        "{}+{}",
        subset_tag(&gids, face),
        face.postscript_name()
    ));
    Ok(font)
}

/// Six capital letters naming a subset (ISO 32000-1 §9.6.4), the same for the same glyphs.
fn subset_tag(gids: &[u16], face: Face) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ face as u64;
    for g in gids {
        for b in g.to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 5)) % 26) as u8))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_letters_have_glyphs_and_boxes_do_not() {
        for c in "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸđĐươƯƠ…".chars()
        {
            for f in Face::ALL {
                assert!(advance(f, c).is_some(), "{c} in {f:?}");
            }
        }
        // Why check boxes are drawn as vector rectangles: the font has no ☐ ☒.
        assert!(advance(Face::Regular, '☐').is_none());
        assert!(advance(Face::Regular, '☒').is_none());
        assert_eq!(printable(Face::Regular, '😀'), '?');
    }

    #[test]
    fn widths_follow_the_font_metrics() {
        // Times-compatible: "M" is 0.889 em, a space 0.25 em, bold wider than regular.
        assert!((advance(Face::Regular, 'M').unwrap() - 0.889).abs() < 0.01);
        assert!((advance(Face::Regular, ' ').unwrap() - 0.25).abs() < 0.01);
        assert!(width(Face::Bold, 13.0, "CỘNG HÒA") > width(Face::Regular, 13.0, "CỘNG HÒA"));
    }

    #[test]
    fn subsets_are_small_and_tagged() {
        let chars: BTreeSet<char> = "Nguyễn Thị Bích Ngọc".chars().collect();
        let f = subset(Face::Regular, &chars).unwrap();
        assert!(
            f.original_bytes.len() < 40_000,
            "{}",
            f.original_bytes.len()
        );
        let name = f.font_name.clone().unwrap();
        assert!(
            name.ends_with("+LiberationSerif") && name.len() == 22,
            "{name}"
        );
        assert!(f.lookup_glyph_index('ễ' as u32).is_some());
    }
}
