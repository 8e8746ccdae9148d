//! Windows-1252, backwards: which byte a character of a workbook cell was typed as.
//!
//! A workbook typed with a legacy font stores the legacy bytes as if they were Windows-1252 text
//! ("NguyÔn V¨n §øc" is Nguyễn Văn Đức in TCVN3). Reading the cell gives those look-alike
//! characters; this gives the bytes back. The five bytes Windows-1252 leaves undefined (0x81,
//! 0x8D, 0x8F, 0x90, 0x9D) come back as the C1 control characters U+0081… that Excel keeps.

/// Characters of bytes 0x80–0x9F (`None`: undefined, kept as the control character).
const C1: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

/// The Windows-1252 byte of `c`, or `None` when `c` has none (then the text was not typed
/// with a legacy font: it is Unicode).
pub fn byte_of(c: char) -> Option<u8> {
    let u = u32::from(c);
    if u < 0x80 || (0xA0..=0xFF).contains(&u) {
        return u8::try_from(u).ok();
    }
    if (0x80..=0x9F).contains(&u) {
        // An undefined byte kept as its control character.
        let b = u8::try_from(u).ok()?;
        return C1[usize::from(b - 0x80)].is_none().then_some(b);
    }
    C1.iter()
        .position(|&x| x == Some(c))
        .and_then(|i| u8::try_from(0x80 + i).ok())
}

/// The character of byte `b` in Windows-1252 (the control character for an undefined one).
pub fn char_of(b: u8) -> char {
    match b {
        0x80..=0x9F => C1[usize::from(b - 0x80)].unwrap_or(char::from(b)),
        _ => char::from(b),
    }
}
