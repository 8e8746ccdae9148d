//! Whether a word could be a Vietnamese syllable: an initial consonant, a vowel group, a final
//! consonant, at most one tone, and one case (all lower, all upper, or a capital first). Used to
//! judge which reading of a column — as it is, TCVN3 or VNI — gives Vietnamese: mis-read text
//! gives symbols (`µ`, `§`), letters Vietnamese has no use for (`ø`, `ñ`), vowel groups it
//! never writes (`ea`), or a capital in the middle of a word ("NguyÔn").

use unicode_normalization::UnicodeNormalization;

const INITIALS: &[&str] = &[
    "ngh", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh",
    "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];

/// Vowel groups without their tone (the nucleus with its glides).
const VOWELS: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo", "ôi", "ơi", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "iêu", "oai", "oay", "oeo", "uây", "uôi",
    "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
];

const FINALS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

const TONES: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

/// The word without its tone marks, and how many it had.
fn toneless(word: &str) -> (String, usize) {
    let mut tones = 0;
    let bare: String = word
        .nfd()
        .filter(|c| {
            let t = TONES.contains(c);
            tones += usize::from(t);
            !t
        })
        .nfc()
        .collect();
    (bare, tones)
}

fn one_case(word: &str) -> bool {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else {
        return false;
    };
    let rest: Vec<char> = letters.collect();
    rest.iter().all(|c| c.is_lowercase())
        || (first.is_uppercase() && rest.iter().all(|c| c.is_uppercase()))
}

fn rhyme(rest: &str) -> bool {
    FINALS
        .iter()
        .any(|f| rest.strip_suffix(f).is_some_and(|v| VOWELS.contains(&v)))
}

/// Whether `word` (letters only) reads as one Vietnamese syllable.
pub fn plausible(word: &str) -> bool {
    if !one_case(word) {
        return false;
    }
    let (bare, tones) = toneless(&word.to_lowercase());
    if tones > 1 {
        return false;
    }
    if rhyme(&bare) {
        return true;
    }
    INITIALS.iter().any(|i| {
        bare.strip_prefix(i).is_some_and(|rest| {
            rhyme(rest)
                // "gi" and "qu" lend their vowel: gì, quốc's "qu" + "ô", giữa's "gi" + "ưa".
                || (matches!(*i, "gi") && rhyme(&format!("i{rest}")))
        })
    })
}

/// The words of `text`: runs of characters that are not spaces, digits or punctuation a name or
/// an address uses.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| {
        c.is_whitespace()
            || c.is_ascii_digit()
            || matches!(
                c,
                ',' | '.' | '-' | '/' | '(' | ')' | ';' | ':' | '"' | '\''
            )
    })
    .filter(|w| !w.is_empty())
}
