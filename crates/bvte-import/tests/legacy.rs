//! Issue 12: text typed with the old TCVN3 and VNI fonts is read back to Unicode, and the
//! encoding of a column is found from the column alone.
//!
//! TCVN3 is checked against glibc's `iconv -f TCVN5712-1` (on every Debian machine), byte by
//! byte and on whole names and addresses turned into TCVN3 by iconv itself; VNI, which no tool
//! here decodes, on words whose VNI spelling is well known.

use bvte_import::legacy::{Encoding, decode, detect, plausible, read_column};
use std::io::Write;
use std::process::{Command, Stdio};
use unicode_normalization::UnicodeNormalization;

/// `bytes` converted by iconv from `from` to `to`; `None` when iconv refuses them.
fn iconv(bytes: &[u8], from: &str, to: &str) -> Option<Vec<u8>> {
    let mut child = Command::new("iconv")
        .args(["-f", from, "-t", to])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("iconv (glibc, in every Debian) is the oracle of these tests");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    out.status.success().then_some(out.stdout)
}

/// How a workbook shows byte `b` typed with a legacy font: its Windows-1252 character (the
/// C1 control character for the five bytes Windows-1252 leaves undefined).
fn shown(b: u8) -> char {
    match iconv(&[b], "CP1252", "UTF-8") {
        Some(s) => String::from_utf8(s).unwrap().chars().next().unwrap(),
        None => char::from(b),
    }
}

/// `text` as a workbook typed in TCVN3 shows it (made by iconv, not by the code under test).
fn as_tcvn3_cell(text: &str) -> String {
    iconv(text.as_bytes(), "UTF-8", "TCVN5712-1")
        .expect("iconv writes TCVN3")
        .into_iter()
        .map(shown)
        .collect()
}

#[test]
fn every_tcvn3_byte_reads_as_iconv_reads_it() {
    for b in 0x80..=0xFFu8 {
        let want: String = String::from_utf8(iconv(&[b], "TCVN5712-1", "UTF-8").unwrap())
            .unwrap()
            .nfc()
            .collect();
        let got = decode(&shown(b).to_string(), Encoding::Tcvn3);
        assert_eq!(got.as_deref(), Some(want.as_str()), "byte {b:#04X}");
    }
}

const NAMES: &[&str] = &[
    "Nguyễn Văn Đức",
    "Trần Thị Phương",
    "Lò Thị Mỷ",
    "Hờ A Sùng",
    "Đặng Thùy Dương",
    "Lương Văn Trường",
    "Bản Phìn, xã Thạch Thất",
    "Trường Tiểu học Nghĩa Đô",
    "Người chăm sóc: bà ngoại",
];

#[test]
fn a_tcvn3_column_is_found_and_read_back_whole_with_its_u_horns() {
    let cells: Vec<String> = NAMES.iter().map(|n| as_tcvn3_cell(n)).collect();
    assert!(
        cells[4].contains('\u{AD}'),
        "ư is TCVN3 0xAD, the soft hyphen: {:?}",
        cells[4]
    );
    let col = read_column(cells.iter().map(String::as_str));
    assert_eq!(col.encoding, Encoding::Tcvn3);
    assert_eq!(col.cells, NAMES);
    assert!(col.mixed.is_empty());
    assert_eq!(
        decode("NguyÔn V¨n §øc", Encoding::Tcvn3).as_deref(),
        Some("Nguyễn Văn Đức")
    );
}

#[test]
fn a_vni_column_is_found_and_read_back() {
    let pairs = [
        ("Nguyeãn Vaên Ñöùc", "Nguyễn Văn Đức"),
        ("Tröôøng Tieåu hoïc Nghóa Ñoâ", "Trường Tiểu học Nghĩa Đô"),
        ("Haø Noäi", "Hà Nội"),
        ("Ñaø Naüng", "Đà Nẵng"),
        ("Thaønh phoá Hoà Chí Minh", "Thành phố Hồ Chí Minh"),
        ("Quaûng Trò", "Quảng Trị"),
        ("Buoân Ma Thuoät", "Buôn Ma Thuột"),
        ("Giaøng A Phaùo", "Giàng A Pháo"),
        ("Ñaëng Thuøy Döông", "Đặng Thùy Dương"),
    ];
    let col = read_column(pairs.iter().map(|(v, _)| *v));
    assert_eq!(col.encoding, Encoding::Vni);
    let want: Vec<&str> = pairs.iter().map(|(_, u)| *u).collect();
    assert_eq!(col.cells, want);
}

#[test]
fn unicode_stays_unicode_and_decomposed_text_becomes_nfc() {
    let nfd: Vec<String> = NAMES.iter().map(|n| n.nfd().collect()).collect();
    let col = read_column(nfd.iter().map(String::as_str));
    assert_eq!(col.encoding, Encoding::Unicode);
    assert_eq!(col.cells, NAMES);
    // Only Latin-1 letters: it reads as Vietnamese as it is, so it stays as it is.
    let latin = ["Hà Lê", "Tô Hà", "Lê Hà"];
    assert_eq!(detect(latin.iter().copied()), Encoding::Unicode);
}

#[test]
fn a_cell_typed_later_in_unicode_in_a_tcvn3_column_is_read_as_unicode_and_flagged() {
    let mut cells: Vec<String> = NAMES.iter().map(|n| as_tcvn3_cell(n)).collect();
    cells.push("Nguyễn Thị Hoa".into());
    let col = read_column(cells.iter().map(String::as_str));
    assert_eq!(col.encoding, Encoding::Tcvn3);
    assert_eq!(col.cells.last().unwrap(), "Nguyễn Thị Hoa");
    assert_eq!(col.mixed, vec![NAMES.len()]);
}

#[test]
fn columns_without_words_are_unicode_and_nothing_is_lost() {
    let cells = ["", "12/03/2015", "001234567890", "—"];
    let col = read_column(cells.iter().copied());
    assert_eq!(col.encoding, Encoding::Unicode);
    assert_eq!(col.cells, cells);
}

#[test]
fn syllables() {
    for w in [
        "Nguyễn",
        "gì",
        "quốc",
        "giữa",
        "Trường",
        "khuya",
        "NGHĨA",
        "A",
    ] {
        assert!(plausible(w), "{w}");
    }
    for w in ["NguyÔn", "Vaên", "Ñöùc", "§øc", "Hµ", "ea", "bàá", "xyz"] {
        assert!(!plausible(w), "{w}");
    }
}

proptest::proptest! {
    /// Any text at all (a corrupt workbook, a binary column): no panic, NFC out, one cell out
    /// per cell in.
    #[test]
    fn any_text_reads_without_a_panic(cells in proptest::collection::vec(".{0,40}", 0..8)) {
        let col = read_column(cells.iter().map(String::as_str));
        proptest::prop_assert_eq!(col.cells.len(), cells.len());
        for c in &col.cells {
            proptest::prop_assert!(unicode_normalization::is_nfc(c));
        }
        for enc in Encoding::ALL {
            for c in &cells {
                let _ = decode(c, enc);
            }
        }
    }
}

#[test]
fn every_windows_1258_byte_reads_as_iconv_reads_it_and_a_1258_csv_column_is_found() {
    use bvte_import::legacy::bytes_as_text;
    for b in 0x80..=0xFFu8 {
        let Some(want) = iconv(&[b], "CP1258", "UTF-8") else {
            continue;
        };
        let want: String = String::from_utf8(want).unwrap().nfc().collect();
        let got = decode(&bytes_as_text(&[b]), Encoding::Windows1258);
        assert_eq!(got.as_deref(), Some(want.as_str()), "byte {b:#04X}");
    }
    let cells: Vec<String> = NAMES
        .iter()
        .map(|n| bytes_as_text(&iconv(n.as_bytes(), "UTF-8", "CP1258").unwrap()))
        .collect();
    let col = read_column(cells.iter().map(String::as_str));
    assert_eq!(col.encoding, Encoding::Windows1258);
    assert_eq!(col.cells, NAMES);
    let tcvn: Vec<String> = NAMES
        .iter()
        .map(|n| bytes_as_text(&iconv(n.as_bytes(), "UTF-8", "TCVN5712-1").unwrap()))
        .collect();
    assert_eq!(
        read_column(tcvn.iter().map(String::as_str)).cells,
        NAMES,
        "TCVN3 bytes in a CSV file read as in a workbook"
    );
}
