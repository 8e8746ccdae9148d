//! Issue 12: old TCVN3 lists typed their capitals in the uppercase fonts (`.VnTimeH`,
//! `.VnArialH`), where the lowercase TCVN3 codes are drawn as capitals: "nguyÔn v¨n a" in
//! `.VnTimeH` shows as "NGUYỄN VĂN A" in Excel, and must come into BVTE as the officer sees it.
//! Workbooks made here: .xlsx by rust_xlsxwriter, .xls (BIFF8) written record by record into a
//! compound file; TCVN3 text made by iconv, not by the code under test.

use bvte_import::cell::Cell;
use bvte_import::columns;
use bvte_import::fonts::FontHint;
use bvte_import::header;
use bvte_import::legacy::{self, Encoding};
use bvte_import::rows;
use bvte_import::workbook::{self, Sheet};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};
use std::io::Write;
use std::process::{Command, Stdio};
use unicode_normalization::UnicodeNormalization;

/// `text` typed in TCVN3, as a workbook holds it: iconv's TCVN5712-1 bytes, each the character
/// Windows-1252 gives it.
fn tcvn3(text: &str) -> String {
    let mut child = Command::new("iconv")
        .args(["-f", "UTF-8", "-t", "TCVN5712-1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("iconv");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let bytes = child.wait_with_output().unwrap().stdout;
    const CP1252: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .into_iter()
        .map(|b| match b {
            0x80..=0x9F => CP1252[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
}

/// The sheet's cells read back to Unicode, as text, and each column's encoding.
fn read(sheet: &Sheet) -> (Vec<Vec<String>>, Vec<Encoding>) {
    let (cells, encodings) = columns::decode_sheet(sheet);
    let text = cells
        .iter()
        .map(|r| r.iter().map(Cell::text).collect())
        .collect();
    (text, encodings)
}

/// The children's names as the import reads them.
fn names(sheet: &Sheet) -> Vec<String> {
    let (cells, _) = columns::decode_sheet(sheet);
    let (text, _) = read(sheet);
    let h = header::find(&text).expect("a header");
    rows::read(&cells, &h, today())
        .into_iter()
        .map(|k| k.input.full_name)
        .collect()
}

/// A list typed with ABC: its title in `.VnTimeH` (typed in lowercase), its header in
/// `.VnTime`, and the names in the font each `(name, font)` says (typed in lowercase when the
/// font is an uppercase one, as nobody could type TCVN3's missing toned capitals).
fn abc_list(names: &[(&str, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet().set_name("DS tre em").unwrap();
    let upper = Format::new().set_font_name(".VnTimeH");
    let lower = Format::new().set_font_name(".VnTime");
    s.write_string_with_format(0, 0, tcvn3("danh sách trẻ em thôn đông"), &upper)
        .unwrap();
    for (c, h) in ["STT", "Họ và tên", "Ngày sinh", "Giới tính"]
        .iter()
        .enumerate()
    {
        s.write_string_with_format(1, c as u16, tcvn3(h), &lower)
            .unwrap();
    }
    for (i, (name, font)) in names.iter().enumerate() {
        let r = 2 + i as u32;
        s.write_number(r, 0, (i + 1) as f64).unwrap();
        let f = Format::new().set_font_name(*font);
        s.write_string_with_format(r, 1, tcvn3(name), &f).unwrap();
        s.write_string(r, 2, "05/09/2015").unwrap();
        s.write_string_with_format(r, 3, tcvn3("Nữ"), &lower)
            .unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn names_typed_in_vntimeh_come_in_capitals_as_excel_shows_them() {
    let book = abc_list(&[
        ("nguyễn văn a", ".VnTimeH"),
        ("lò thị mỷ", ".VnTimeH"),
        ("đặng thị hằng", ".VnArialH"),
    ]);
    let sheets = workbook::read(&book).unwrap();
    let (text, encodings) = read(&sheets[0]);
    assert_eq!(text[0][0], "DANH SÁCH TRẺ EM THÔN ĐÔNG", "the title row");
    assert_eq!(text[1][1], "Họ và tên", "the header, in .VnTime");
    assert_eq!(encodings[1], Encoding::Tcvn3);
    let got = names(&sheets[0]);
    assert_eq!(got, ["NGUYỄN VĂN A", "LÒ THỊ MỶ", "ĐẶNG THỊ HẰNG"]);
    assert!(
        got.iter().all(|n| n.nfc().collect::<String>() == *n),
        "NFC: {got:?}"
    );
}

#[test]
fn a_column_mixing_vntime_and_vntimeh_reads_each_cell_in_its_own_font() {
    let book = abc_list(&[
        ("nguyễn văn đức", ".VnTime"),
        ("trần thị phương", ".VnTimeH"),
        ("Lò Thị Mỷ", ".VnTime"),
    ]);
    let sheets = workbook::read(&book).unwrap();
    assert_eq!(
        names(&sheets[0]),
        ["nguyễn văn đức", "TRẦN THỊ PHƯƠNG", "Lò Thị Mỷ"],
        "each cell as its font draws it"
    );
}

#[test]
fn cells_without_a_format_take_the_workbook_default_font() {
    // Old lists often made .VnTimeH or .VnTime the workbook's own font ("Normal" style).
    let mut book = Workbook::new();
    book.set_default_format(&Format::new().set_font_name(".VnTimeH"), 20, 64)
        .unwrap();
    let s = book.add_worksheet();
    for (c, h) in ["STT", "Họ và tên", "Ngày sinh"].iter().enumerate() {
        s.write_string(0, c as u16, tcvn3(&h.to_lowercase()))
            .unwrap();
    }
    s.write_string(1, 1, tcvn3("phạm thị thu")).unwrap();
    s.write_string(1, 2, "05/09/2015").unwrap();
    let sheets = workbook::read(&book.save_to_buffer().unwrap()).unwrap();
    assert_eq!(read(&sheets[0]).0[0][1], "HỌ VÀ TÊN");
    assert_eq!(names(&sheets[0]), ["PHẠM THỊ THU"]);
}

#[test]
fn a_unicode_workbook_is_read_as_before_whatever_its_fonts() {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    let tnr = Format::new().set_font_name("Times New Roman").set_bold();
    s.write_string_with_format(0, 0, "Danh sách trẻ em", &tnr)
        .unwrap();
    for (c, h) in ["STT", "Họ và tên", "Ngày sinh"].iter().enumerate() {
        s.write_string_with_format(1, c as u16, *h, &tnr).unwrap();
    }
    // Names whose every letter is also a Windows-1252 character: read as TCVN3 they would
    // be other letters.
    for (i, n) in ["Lê Hòa", "Hà Tú", "nguyễn văn an"].iter().enumerate() {
        s.write_string(2 + i as u32, 1, *n).unwrap();
        s.write_string(2 + i as u32, 2, "05/09/2015").unwrap();
    }
    let sheets = workbook::read(&book.save_to_buffer().unwrap()).unwrap();
    assert!(sheets[0].fonts.is_empty(), "no legacy font, nothing to say");
    assert_eq!(read(&sheets[0]).1[1], Encoding::Unicode);
    assert_eq!(
        names(&sheets[0]),
        ["Lê Hòa", "Hà Tú", "nguyễn văn an"],
        "as typed, never upper-cased"
    );
}

#[test]
fn unicode_names_under_a_header_typed_in_vntime_stay_unicode() {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    let vn = Format::new().set_font_name(".VnTime");
    for (c, h) in ["STT", "Họ và tên", "Ngày sinh"].iter().enumerate() {
        s.write_string_with_format(0, c as u16, tcvn3(h), &vn)
            .unwrap();
    }
    for (i, n) in ["Lê Hòa", "Hà Tú", "Võ Thị Sáu"].iter().enumerate() {
        s.write_string(1 + i as u32, 1, *n).unwrap();
        s.write_string(1 + i as u32, 2, "05/09/2015").unwrap();
    }
    let sheets = workbook::read(&book.save_to_buffer().unwrap()).unwrap();
    assert_eq!(names(&sheets[0]), ["Lê Hòa", "Hà Tú", "Võ Thị Sáu"]);
}

#[test]
fn a_cell_in_a_vni_font_is_read_as_vni_among_unicode_cells() {
    let col = legacy::read_hinted(&[
        ("Nguyeãn Vaên Ñöùc", FontHint::Vni),
        ("Hà Tú", FontHint::None),
        ("Lê Hòa", FontHint::None),
    ]);
    assert_eq!(col.cells, ["Nguyễn Văn Đức", "Hà Tú", "Lê Hòa"]);
    assert_eq!(col.encoding, Encoding::Unicode, "most of the column");
    assert!(col.mixed.is_empty());
}

// --- .xls (BIFF8) -------------------------------------------------------------------------

fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

/// A FONT record (BIFF8) named `name`.
fn font(name: &str) -> Vec<u8> {
    let mut d = vec![0xC8, 0, 0, 0, 0xFF, 0x7F, 0x90, 0x01, 0, 0, 0, 0, 0, 0];
    d.push(name.len() as u8);
    d.push(0);
    d.extend(name.bytes());
    record(0x0031, &d)
}

/// An XF record (BIFF8) of font `ifnt`.
fn xf(ifnt: u16) -> Vec<u8> {
    let mut d = ifnt.to_le_bytes().to_vec();
    d.extend([0u8; 18]);
    record(0x00E0, &d)
}

/// A BIFF8 workbook of one sheet "DS": `cells` are (row, column, text, XF), the XFs being
/// 0 Arial, 1 .VnTime, 2 .VnTimeH.
fn xls(cells: &[(u16, u16, String, u16)]) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = vec![0x00, 0x06];
        d.extend(dt.to_le_bytes());
        d.extend([0xBB, 0x0D, 0xCC, 0x07, 0, 0, 0, 0, 0x06, 0, 0, 0]);
        record(0x0809, &d)
    };
    let mut sst = Vec::new();
    sst.extend((cells.len() as u32).to_le_bytes());
    sst.extend((cells.len() as u32).to_le_bytes());
    for (_, _, text, _) in cells {
        let units: Vec<u16> = text.encode_utf16().collect();
        sst.extend((units.len() as u16).to_le_bytes());
        sst.push(1); // two bytes a character
        sst.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    }
    let sheet_record = |pos: u32| {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([0, 0, 2, 0]);
        d.extend(b"DS");
        record(0x0085, &d)
    };
    let globals = |pos: u32| {
        let mut g = bof(0x0005);
        g.extend(record(0x0042, &1200u16.to_le_bytes()));
        for f in ["Arial", ".VnTime", ".VnTimeH"] {
            g.extend(font(f));
        }
        for i in 0..3 {
            g.extend(xf(i));
        }
        g.extend(sheet_record(pos));
        g.extend(record(0x00FC, &sst));
        g.extend(record(0x000A, &[]));
        g
    };
    let start = globals(0).len() as u32;
    let mut stream = globals(start);
    stream.extend(bof(0x0010));
    for (i, (row, col, _, ixfe)) in cells.iter().enumerate() {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend(ixfe.to_le_bytes());
        d.extend((i as u32).to_le_bytes());
        stream.extend(record(0x00FD, &d));
    }
    stream.extend(record(0x000A, &[]));
    // As Excel writes them: a workbook stream of at least 4096 bytes.
    stream.resize(stream.len().max(4096), 0);
    let mut file =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, std::io::Cursor::new(Vec::new()))
            .unwrap();
    file.create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}

#[test]
fn an_xls_typed_in_vntimeh_comes_in_capitals_too() {
    let mut cells = vec![
        (0, 0, tcvn3("danh sách trẻ em"), 2),
        (1, 0, "STT".to_string(), 1),
        (1, 1, tcvn3("Họ và tên"), 1),
        (1, 2, tcvn3("Ngày sinh"), 1),
    ];
    for (i, (name, xf)) in [("nguyễn văn a", 2), ("Lò Thị Mỷ", 1), ("hà tú", 2)]
        .into_iter()
        .enumerate()
    {
        let r = 2 + i as u16;
        cells.push((r, 1, tcvn3(name), xf));
        cells.push((r, 2, "05/09/2015".to_string(), 0));
    }
    let sheets = workbook::read(&xls(&cells)).unwrap();
    assert_eq!(sheets[0].name, "DS");
    let (text, encodings) = read(&sheets[0]);
    assert_eq!(text[0][0], "DANH SÁCH TRẺ EM");
    assert_eq!(encodings[1], Encoding::Tcvn3);
    assert_eq!(names(&sheets[0]), ["NGUYỄN VĂN A", "Lò Thị Mỷ", "HÀ TÚ"]);
}
