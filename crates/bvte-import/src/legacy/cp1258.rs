//! Windows-1258 (Microsoft's Vietnamese code page): Latin-1 letters, a few Vietnamese ones
//! (Ă Ơ Ư Đ ₫), and the tones as combining marks typed after the vowel. Met in CSV files
//! saved by old Vietnamese Windows. The table is glibc iconv's `CP1258` for bytes 0x80–0xFF,
//! checked against it byte by byte by `tests/legacy.rs`; undefined bytes stay control characters.

const HIGH: [char; 128] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}',
    '\u{2021}', // 0x80
    '\u{2C6}', '\u{2030}', '\u{8A}', '\u{2039}', '\u{152}', '\u{8D}', '\u{8E}',
    '\u{8F}', // 0x88
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}',
    '\u{2014}', // 0x90
    '\u{2DC}', '\u{2122}', '\u{9A}', '\u{203A}', '\u{153}', '\u{9D}', '\u{9E}',
    '\u{178}', // 0x98
    '\u{A0}', '\u{A1}', '\u{A2}', '\u{A3}', '\u{A4}', '\u{A5}', '\u{A6}', '\u{A7}', // 0xA0
    '\u{A8}', '\u{A9}', '\u{AA}', '\u{AB}', '\u{AC}', '\u{AD}', '\u{AE}', '\u{AF}', // 0xA8
    '\u{B0}', '\u{B1}', '\u{B2}', '\u{B3}', '\u{B4}', '\u{B5}', '\u{B6}', '\u{B7}', // 0xB0
    '\u{B8}', '\u{B9}', '\u{BA}', '\u{BB}', '\u{BC}', '\u{BD}', '\u{BE}', '\u{BF}', // 0xB8
    '\u{C0}', '\u{C1}', '\u{C2}', '\u{102}', '\u{C4}', '\u{C5}', '\u{C6}', '\u{C7}', // 0xC0
    '\u{C8}', '\u{C9}', '\u{CA}', '\u{CB}', '\u{300}', '\u{CD}', '\u{CE}', '\u{CF}', // 0xC8
    '\u{110}', '\u{D1}', '\u{309}', '\u{D3}', '\u{D4}', '\u{1A0}', '\u{D6}', '\u{D7}', // 0xD0
    '\u{D8}', '\u{D9}', '\u{DA}', '\u{DB}', '\u{DC}', '\u{1AF}', '\u{303}', '\u{DF}', // 0xD8
    '\u{E0}', '\u{E1}', '\u{E2}', '\u{103}', '\u{E4}', '\u{E5}', '\u{E6}', '\u{E7}', // 0xE0
    '\u{E8}', '\u{E9}', '\u{EA}', '\u{EB}', '\u{301}', '\u{ED}', '\u{EE}', '\u{EF}', // 0xE8
    '\u{111}', '\u{F1}', '\u{323}', '\u{F3}', '\u{F4}', '\u{1A1}', '\u{F6}', '\u{F7}', // 0xF0
    '\u{F8}', '\u{F9}', '\u{FA}', '\u{FB}', '\u{FC}', '\u{1B0}', '\u{20AB}', '\u{FF}', // 0xF8
];

/// The character Windows-1258 byte `b` stands for (a combining mark for the tones).
pub fn char_of(b: u8) -> char {
    if b < 0x80 {
        char::from(b)
    } else {
        HIGH[usize::from(b - 0x80)]
    }
}
