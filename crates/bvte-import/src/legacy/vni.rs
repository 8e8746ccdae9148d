//! VNI-Windows (fonts `VNI-Times`, `VNI-Helve`…): a vowel is its base letter followed by a
//! mark character, read from a workbook as Latin-1 look-alikes — "Nguyeãn Vaên Ñöùc" is
//! Nguyễn Văn Đức. A few letters are one character: `ô` ơ, `ö` ư, `ñ` đ, and the toned i's and
//! ỵ (`ì í æ ó ò`, `î`).
//!
//! The table was written from the VNI-Windows character layout (two-byte vowels: base + mark)
//! and is checked by `tests/legacy.rs` on words whose VNI spelling is well known ("Nghóa",
//! "Tröôøng", "Haø Noäi", "Ñaø Naüng"). There is no VNI decoder on the machine to check it
//! against byte by byte, as TCVN3 is against iconv: treat it as less certain.
//!
//! Decoding is longest match first: a base with a mark that fits it is one letter; a mark that
//! fits no base is left as it is (and the column then reads as no Vietnamese at all).

const CIRCUMFLEX: char = '\u{0302}';
const BREVE: char = '\u{0306}';
const HORN: char = '\u{031B}';
const ACUTE: char = '\u{0301}';
const GRAVE: char = '\u{0300}';
const HOOK: char = '\u{0309}';
const TILDE: char = '\u{0303}';
const DOT: char = '\u{0323}';

/// What a mark character adds: a vowel-quality mark and/or a tone.
fn mark(c: char) -> Option<(Option<char>, Option<char>)> {
    Some(match c.to_lowercase().next()? {
        'â' => (Some(CIRCUMFLEX), None),
        'á' => (Some(CIRCUMFLEX), Some(ACUTE)),
        'à' => (Some(CIRCUMFLEX), Some(GRAVE)),
        'å' => (Some(CIRCUMFLEX), Some(HOOK)),
        'ã' => (Some(CIRCUMFLEX), Some(TILDE)),
        'ä' => (Some(CIRCUMFLEX), Some(DOT)),
        'ê' => (Some(BREVE), None),
        'é' => (Some(BREVE), Some(ACUTE)),
        'è' => (Some(BREVE), Some(GRAVE)),
        'ú' => (Some(BREVE), Some(HOOK)),
        'ü' => (Some(BREVE), Some(TILDE)),
        'ë' => (Some(BREVE), Some(DOT)),
        'ù' => (None, Some(ACUTE)),
        'ø' => (None, Some(GRAVE)),
        'û' => (None, Some(HOOK)),
        'õ' => (None, Some(TILDE)),
        'ï' => (None, Some(DOT)),
        _ => return None,
    })
}

/// A base vowel as VNI writes it: the letter and the horn it carries (`ô` is ơ, `ö` is ư).
fn base(c: char) -> Option<(char, Option<char>)> {
    let upper = c.is_uppercase();
    let (letter, horn) = match c.to_lowercase().next()? {
        'a' => ('a', None),
        'e' => ('e', None),
        'o' => ('o', None),
        'u' => ('u', None),
        'y' => ('y', None),
        'ô' => ('o', Some(HORN)),
        'ö' => ('u', Some(HORN)),
        _ => return None,
    };
    Some((
        if upper {
            letter.to_ascii_uppercase()
        } else {
            letter
        },
        horn,
    ))
}

/// Whether `quality` may sit on `letter` (circumflex on a, e, o; breve on a; none on ơ, ư
/// but a tone).
fn fits(letter: char, horn: Option<char>, quality: Option<char>) -> bool {
    match (quality, horn) {
        (None, _) => true,
        (Some(_), Some(_)) => false,
        (Some(CIRCUMFLEX), None) => matches!(letter.to_ascii_lowercase(), 'a' | 'e' | 'o'),
        (Some(BREVE), None) => letter.eq_ignore_ascii_case(&'a'),
        _ => false,
    }
}

/// Letters VNI writes as one character.
fn single(c: char) -> Option<&'static str> {
    Some(match c {
        'ô' => "ơ",
        'Ô' => "Ơ",
        'ö' => "ư",
        'Ö' => "Ư",
        'ñ' => "đ",
        'Ñ' => "Đ",
        'ì' => "ì",
        'Ì' => "Ì",
        'í' => "í",
        'Í' => "Í",
        'æ' => "ỉ",
        'Æ' => "Ỉ",
        'ó' => "ĩ",
        'Ó' => "Ĩ",
        'ò' => "ị",
        'Ò' => "Ị",
        'î' => "ỵ",
        'Î' => "Ỵ",
        _ => return None,
    })
}

/// `text` read as VNI, in decomposed form (the caller normalises to NFC).
pub fn decode(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let (Some((letter, horn)), Some(&next)) = (base(c), chars.get(i + 1))
            && let Some((quality, tone)) = mark(next)
            && fits(letter, horn, quality)
        {
            out.push(letter);
            out.extend(horn.into_iter().chain(quality).chain(tone));
            i += 2;
            continue;
        }
        match single(c) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
        i += 1;
    }
    out
}
