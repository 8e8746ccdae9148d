//! Issue 12: files as officers have them — a TCVN3 .xlsx with title rows above a two-row header,
//! a CSV saved by old software, an ".xls" that is a web page, a password-protected or damaged
//! file — read into children or refused with a message, never a panic.

use bvte_import::cell::Cell;
use bvte_import::header;
use bvte_import::legacy::Encoding;
use bvte_import::rows;
use bvte_import::workbook::{self, ReadError};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};
use std::io::Write;
use std::process::{Command, Stdio};

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
    // As Excel shows legacy bytes: Windows-1252.
    bytes
        .into_iter()
        .map(|b| match b {
            0x80..=0x9F => {
                let out = Command::new("sh")
                    .args([
                        "-c",
                        &format!("printf '\\x{b:02x}' | iconv -f CP1252 -t UTF-8"),
                    ])
                    .output()
                    .unwrap();
                String::from_utf8(out.stdout)
                    .ok()
                    .and_then(|s| s.chars().next())
                    .unwrap_or(char::from(b))
            }
            _ => char::from(b),
        })
        .collect()
}

/// A commune's list as typed in 2012 with the .VnTime font.
fn legacy_list() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("DS tre em").unwrap();
    let vntime = Format::new().set_font_name(".VnTime");
    let rows: [&[&str]; 3] = [
        &["UBND xã Thạch Thất"],
        &["DANH SÁCH TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT"],
        &[
            "STT",
            "Họ và tên",
            "Năm sinh",
            "",
            "Dân tộc",
            "Thôn",
            "Đối tượng",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            sheet
                .write_string_with_format(r as u32, c as u16, tcvn3(text), &vntime)
                .unwrap();
        }
    }
    sheet.write_string(3, 2, tcvn3("Nam")).unwrap();
    sheet.write_string(3, 3, tcvn3("Nữ")).unwrap();
    type Kid<'a> = (&'a str, Option<f64>, Option<f64>, &'a str, &'a str, &'a str);
    let kids: [Kid; 3] = [
        (
            "Nguyễn Văn Đức",
            Some(2015.0),
            None,
            "Kinh",
            "Bản Phìn",
            "a",
        ),
        ("Lò Thị Mỷ", None, Some(42_252.0), "Thái", "Bản Phìn", "đ"),
        (
            "Trần Thị Phương",
            None,
            Some(2017.0),
            "Kinh",
            "Xóm Trường",
            "",
        ),
    ];
    for (i, (name, male, female, eth, village, group)) in kids.iter().enumerate() {
        let r = 4 + i as u32;
        sheet.write_number(r, 0, (i + 1) as f64).unwrap();
        sheet
            .write_string_with_format(r, 1, tcvn3(name), &vntime)
            .unwrap();
        if let Some(y) = male {
            sheet.write_number(r, 2, *y).unwrap();
        }
        if let Some(y) = female {
            sheet.write_number(r, 3, *y).unwrap();
        }
        sheet
            .write_string_with_format(r, 4, tcvn3(eth), &vntime)
            .unwrap();
        sheet
            .write_string_with_format(r, 5, tcvn3(village), &vntime)
            .unwrap();
        sheet
            .write_string_with_format(r, 6, tcvn3(group), &vntime)
            .unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_tcvn3_workbook_with_title_rows_reads_as_the_children_it_lists() {
    let sheets = workbook::read(&legacy_list()).unwrap();
    assert_eq!(sheets[0].name, "DS tre em");
    let (cells, encodings) = bvte_import::columns::decode_sheet(&sheets[0]);
    assert_eq!(encodings[1], Encoding::Tcvn3, "the names column");
    let text: Vec<Vec<String>> = cells
        .iter()
        .map(|r| r.iter().map(Cell::text).collect())
        .collect();
    let h = header::find(&text).unwrap();
    assert_eq!((h.row, h.data_row), (2, 4));
    let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let kids = rows::read(&cells, &h, today);
    let got: Vec<(&str, &str, Option<&str>, Option<&str>)> = kids
        .iter()
        .map(|k| {
            (
                k.input.full_name.as_str(),
                k.input.sex.as_str(),
                k.input.date_of_birth.as_deref(),
                k.input.village.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("Nguyễn Văn Đức", "male", None, Some("Bản Phìn")),
            ("Lò Thị Mỷ", "female", Some("05/09/2015"), Some("Bản Phìn")),
            ("Trần Thị Phương", "female", None, Some("Xóm Trường")),
        ]
    );
    assert_eq!(
        kids[0].input.estimated_age.as_ref().map(|e| e.years),
        Some(11)
    );
    assert_eq!(kids[1].input.ethnicity.as_deref(), Some("Thái"));
    assert_eq!(kids[1].input.special_circumstances[0].group, "dd");
    assert!(kids.iter().all(|k| k.problems.is_empty()), "{kids:?}");
}

#[test]
fn csv_in_utf8_and_in_old_bytes() {
    let utf8 = "Họ và tên;Ngày sinh;Giới tính\n\"Nguyễn Văn An\";05/09/2015;Nam\n";
    let s = workbook::read(utf8.as_bytes()).unwrap();
    assert_eq!(s[0].rows[1][0], Cell::Text("Nguyễn Văn An".into()));
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(utf8.as_bytes());
    assert_eq!(workbook::read(&bom).unwrap()[0].rows, s[0].rows);
}

#[test]
fn a_csv_with_a_title_line_above_its_header_splits_on_the_header_separator() {
    let text = "DANH SÁCH TRẺ EM THÔN ĐÔNG\nSTT;Họ và tên;Ngày sinh\n1;Nguyễn Văn An;05/09/2015\n";
    let s = workbook::read(text.as_bytes()).unwrap();
    assert_eq!(
        s[0].rows[2],
        vec![
            Cell::Text("1".into()),
            Cell::Text("Nguyễn Văn An".into()),
            Cell::Text("05/09/2015".into())
        ],
        "the separator is the one the list's lines use, not the title's"
    );
}

#[test]
fn bad_files_are_refused_with_a_message() {
    let refused = |b: &[u8]| workbook::read(b).unwrap_err();
    assert_eq!(refused(b""), ReadError::Empty);
    assert_eq!(
        refused(b"<html><table><tr><td>x</td></tr></table></html>"),
        ReadError::Html
    );
    let mut truncated = legacy_list();
    truncated.truncate(truncated.len() / 2);
    assert_eq!(refused(&truncated), ReadError::Corrupt);
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(refused(&ole), ReadError::Encrypted);
    assert!(matches!(
        refused(&vec![b'a'; workbook::MAX_BYTES + 1]),
        ReadError::TooLarge { .. }
    ));
    assert_eq!(refused(b" ; ;\n"), ReadError::NoData);
    for e in [ReadError::Empty, ReadError::Corrupt, ReadError::Encrypted] {
        assert!(!e.message_vi().is_empty() && !e.message_en().is_empty());
    }
}

proptest::proptest! {
    /// Any bytes at all: an answer, never a panic.
    #[test]
    fn any_bytes_read_without_a_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let _ = workbook::read(&bytes);
    }
}
