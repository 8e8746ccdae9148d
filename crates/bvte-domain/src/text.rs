//! Vietnamese text: NFC on the way in, search folding (diacritics and đ/Đ), and a collation key
//! that orders names the Vietnamese way (given name first, then family name, then middle names;
//! letters in the order a ă â b c d đ e ê …; tones after letters).

use crate::error::ValidationError;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// Longest accepted name (child, parent, village…), in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest accepted short text (address, occupation, decision number…), in characters.
pub const MAX_SHORT_CHARS: usize = 500;
/// Longest accepted free text (notes, assessments), in characters: about eight printed pages.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// Unicode NFC. Text typed with a Vietnamese input method may arrive decomposed (NFD), which
/// breaks search, comparison and printing.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Cleans a one-line value (a name, a village): NFC, trimmed, inner runs of whitespace made one
/// space. Rejects control characters and values longer than `max` characters.
pub fn clean_line(field: &str, s: &str, max: usize) -> Result<String, ValidationError> {
    if let Some(c) = s.chars().find(|c| c.is_control()) {
        return Err(ValidationError::ControlCharacter {
            field: field.to_string(),
            code_point: c as u32,
        });
    }
    let joined = nfc(s).split_whitespace().collect::<Vec<_>>().join(" ");
    check_len(field, joined, max)
}

/// Cleans free text (notes, assessments): NFC, trimmed at both ends, line breaks and tabs kept.
/// Rejects other control characters and text longer than `max` characters.
pub fn clean_text(field: &str, s: &str, max: usize) -> Result<String, ValidationError> {
    if let Some(c) = s
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        return Err(ValidationError::ControlCharacter {
            field: field.to_string(),
            code_point: c as u32,
        });
    }
    let text = nfc(s).replace("\r\n", "\n").replace('\r', "\n");
    check_len(field, text.trim().to_string(), max)
}

/// Checks that `s` is exactly what [`clean_line`] makes of it: synced values are stored cleaned,
/// so anything else was not made by a form (issue 10 item 5). Cleaning is idempotent (a property
/// test says so), so a value a form produced always passes.
pub fn check_stored_line(field: &str, s: &str, max: usize) -> Result<(), ValidationError> {
    check_stored(field, s, max, Cleaning::Line)
}

/// Checks that `s` is exactly what [`clean_text`] makes of it (see [`check_stored_line`]).
pub fn check_stored_text(field: &str, s: &str, max: usize) -> Result<(), ValidationError> {
    check_stored(field, s, max, Cleaning::Text)
}

/// Which cleaning a stored value went through.
#[derive(Clone, Copy, PartialEq)]
enum Cleaning {
    Line,
    Text,
}

fn check_stored(
    field: &str,
    s: &str,
    max: usize,
    cleaning: Cleaning,
) -> Result<(), ValidationError> {
    // Counted before cleaning: a 10 MB value is refused without normalising it.
    let actual = s.chars().count();
    if actual > max {
        return Err(ValidationError::TooLong {
            field: field.to_string(),
            max,
            actual,
        });
    }
    // The district server checks every pushed change: text that is visibly clean (the quick
    // NFC check says yes, spaces already as the cleaning leaves them) is not cleaned again.
    if tidy(s, cleaning) && unicode_normalization::is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return Ok(());
    }
    let cleaned = match cleaning {
        Cleaning::Line => clean_line(field, s, max)?,
        Cleaning::Text => clean_text(field, s, max)?,
    };
    if cleaned == s {
        Ok(())
    } else {
        Err(ValidationError::NotNormalized {
            field: field.to_string(),
        })
    }
}

/// Whether `s` has no control character the cleaning refuses or changes, and its spaces as the
/// cleaning leaves them (`false` only sends the value the slow way).
fn tidy(s: &str, cleaning: Cleaning) -> bool {
    if s.trim().len() != s.len() {
        return false;
    }
    match cleaning {
        Cleaning::Line => {
            let mut after_space = false;
            s.chars().all(|c| {
                let ok = !c.is_control() && (!c.is_whitespace() || (c == ' ' && !after_space));
                after_space = c == ' ';
                ok
            })
        }
        Cleaning::Text => s.chars().all(|c| !c.is_control() || c == '\n' || c == '\t'),
    }
}

fn check_len(field: &str, value: String, max: usize) -> Result<String, ValidationError> {
    let actual = value.chars().count();
    if actual > max {
        return Err(ValidationError::TooLong {
            field: field.to_string(),
            max,
            actual,
        });
    }
    Ok(value)
}

/// Folds text for search: lower case, diacritics removed, đ/Đ made d, anything that is not a
/// letter or digit made a space. "Đặng Thị Dũng" → "dang thi dung".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        match c {
            'đ' | 'Đ' | 'Ð' => out.push('d'),
            c if is_combining_mark(c) => {}
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

/// Letters of the Vietnamese alphabet in dictionary order (with f, j, w, z for foreign names).
const ALPHABET: [&str; 33] = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
    "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
];

/// Tone marks in dictionary order: level (none), huyền, hỏi, ngã, sắc, nặng.
const TONES: [char; 5] = ['\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}'];

/// A key whose byte order is the Vietnamese order of full names: by given name (the last word),
/// then family name (the first word), then middle names; letters by the Vietnamese alphabet, and
/// tones only to break ties. ASCII only, so SQLite's default BINARY collation can sort by it.
pub fn collation_key(full_name: &str) -> String {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    let ordered: Vec<&str> = match words.as_slice() {
        [] => vec![],
        [one] => vec![one],
        [first, middle @ .., last] => {
            let mut v = vec![*last, *first];
            v.extend(middle.iter().copied());
            v
        }
    };
    let mut primary = String::new();
    let mut secondary = String::new();
    for word in ordered {
        for (letter, tone) in letters(word) {
            primary.push(letter);
            secondary.push(tone);
        }
        primary.push('!');
        secondary.push('!');
    }
    primary.push(' ');
    primary.push_str(&secondary);
    primary
}

/// Splits a word into (letter rank as an ASCII char, tone rank as an ASCII char).
fn letters(word: &str) -> Vec<(char, char)> {
    let mut out = Vec::new();
    let decomposed: Vec<char> = word.nfd().flat_map(char::to_lowercase).collect();
    let mut i = 0;
    while i < decomposed.len() {
        let base = decomposed[i];
        i += 1;
        let mut modifier = None;
        let mut tone = 0u8;
        while i < decomposed.len() && is_combining_mark(decomposed[i]) {
            let m = decomposed[i];
            if let Some(t) = TONES.iter().position(|&t| t == m) {
                tone = t as u8 + 1;
            } else {
                modifier = Some(m);
            }
            i += 1;
        }
        let letter: String = match (base, modifier) {
            ('a', Some('\u{306}')) => "ă".into(),
            ('a' | 'e' | 'o', Some('\u{302}')) => nfc(&format!("{base}\u{302}")),
            ('o' | 'u', Some('\u{31B}')) => nfc(&format!("{base}\u{31B}")),
            ('ð', _) => "đ".into(),
            _ => base.to_string(),
        };
        let rank = if let Some(r) = ALPHABET.iter().position(|l| *l == letter) {
            (b'A' + r as u8) as char
        } else if base.is_ascii_digit() {
            base
        } else if base.is_alphanumeric() {
            '~'
        } else {
            continue;
        };
        out.push((rank, (b'0' + tone) as char));
    }
    out
}

/// Shortens a parser's explanation (which lists expected field names) for an error message;
/// longer than [`truncate_for_message`] because the list is the useful part.
pub fn truncate_detail(s: &str) -> String {
    truncate_to(s, 400)
}

/// Shortens a user value for use inside an error message (a 1 MB name must not be echoed back).
pub fn truncate_for_message(s: &str) -> String {
    truncate_to(s, 40)
}

fn truncate_to(s: &str, keep: usize) -> String {
    let mut chars = s.chars();
    let head: String = chars.by_ref().take(keep).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_tones_and_folds_d_with_stroke() {
        assert_eq!(fold("Đặng Thị Dũng"), "dang thi dung");
        assert_eq!(fold("NGUYỄN  văn-Ưng"), "nguyen van ung");
        // NFD input folds the same as NFC input.
        assert_eq!(fold("Nguye\u{302}\u{303}n"), "nguyen");
    }

    #[test]
    fn clean_line_normalises_and_rejects_bad_input() {
        assert_eq!(
            clean_line("full_name", "  Nguye\u{302}\u{303}n   Văn  An ", 100).unwrap(),
            "Nguyễn Văn An"
        );
        assert!(matches!(
            clean_line("full_name", "An\u{7}", 100),
            Err(ValidationError::ControlCharacter { .. })
        ));
        let huge = "a".repeat(1 << 20);
        assert!(matches!(
            clean_line("full_name", &huge, MAX_NAME_CHARS),
            Err(ValidationError::TooLong {
                actual: 1_048_576,
                ..
            })
        ));
    }

    #[test]
    fn collation_orders_by_given_name_then_vietnamese_alphabet() {
        let mut names = vec![
            "Trần Văn Đức",
            "Nguyễn Thị Dung",
            "Lê Văn An",
            "Phạm Thị Ánh",
            "Nguyễn Văn Ăn",
            "Đỗ Văn Dung",
        ];
        names.sort_by_key(|n| collation_key(n));
        // Given names: An < Ánh < Ăn < Dung (Đỗ < Nguyễn by family name: d… < n…) < Đức.
        assert_eq!(
            names,
            vec![
                "Lê Văn An",
                "Phạm Thị Ánh",
                "Nguyễn Văn Ăn",
                "Đỗ Văn Dung",
                "Nguyễn Thị Dung",
                "Trần Văn Đức",
            ]
        );
    }

    #[test]
    fn tones_only_break_ties_in_dictionary_order() {
        let mut words = vec!["Mạ", "Má", "Mã", "Mả", "Mà", "Ma"];
        words.sort_by_key(|n| collation_key(n));
        assert_eq!(words, vec!["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]);
    }
}
