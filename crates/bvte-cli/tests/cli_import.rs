//! Issue 12 through the real `bvte` binary: an old TCVN3 list with title rows imported (a dry
//! run first, which writes nothing), its refused rows saved to fix, the same file imported
//! twice without adding anything, the import undone (tombstones that sync) or refused once a
//! case is opened, the children list exported to Excel and read back, and bad files refused
//! with a Vietnamese message.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Env, child};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::{Value, json};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

const PASS: &str = "mật khẩu nhập danh sách";

/// `text` as typed with a TCVN3 (.VnTime) font, as Excel shows it on a Unicode PC: the
/// TCVN5712-1 bytes (iconv's table) read as Windows-1252.
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
    // Windows-1252 for 0x80..0x9F; its five unassigned bytes stay as they are (as Windows
    // shows them).
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

/// A commune's list typed in 2012 with .VnTime: two title rows, the header, five children —
/// one with a date that does not exist, one already in the register, one whose personal id the
/// sheet stored as a number (its leading zeros lost).
fn legacy_list(path: &std::path::Path) {
    let mut book = Workbook::new();
    let s = book.add_worksheet().set_name("DS tre em").unwrap();
    let vn = Format::new().set_font_name(".VnTime");
    let put = |s: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, t: &str| {
        s.write_string_with_format(r, c, tcvn3(t), &vn).unwrap();
    };
    put(s, 0, 0, "UBND xã Thạch Thất");
    put(s, 1, 0, "DANH SÁCH TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT");
    for (c, h) in [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Thôn",
        "Số định danh",
    ]
    .iter()
    .enumerate()
    {
        put(s, 2, c as u16, h);
    }
    let kids: [(&str, &str, &str, &str); 5] = [
        ("Nguyễn Văn Đức", "05/09/2015", "Nam", "Thôn Đông"),
        ("Lò Thị Mỷ", "31/02/2016", "Nữ", "Bản Phìn"),
        ("Trần Thị Phương", "12/03/2017", "Nữ", "Xóm Trường"),
        ("Hoàng Văn Dũng", "01/06/2014", "Nam", "Thôn Đông"),
        ("Đặng Thị Hằng", "20/10/2016", "Nữ", "Bản Phìn"),
    ];
    for (i, (name, dob, sex, village)) in kids.iter().enumerate() {
        let r = 3 + i as u32;
        s.write_number(r, 0, (i + 1) as f64).unwrap();
        put(s, r, 1, name);
        s.write_string(r, 2, *dob).unwrap();
        put(s, r, 3, sex);
        put(s, r, 4, village);
    }
    s.write_number(7, 5, 1_234_567_890.0).unwrap();
    book.save(path).unwrap();
}

fn cells(path: &std::path::Path) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

fn text(d: &Data) -> String {
    d.to_string()
}

/// The register with "Hoàng Văn Dũng" typed in by hand already.
fn register() -> (Env, String) {
    let env = Env::new(PASS, None);
    let id = env.add_child(
        json!({"full_name": "Hoàng Văn Dũng", "date_of_birth": "01/06/2014",
        "sex": "male", "residence_status": "thuong_tru"}),
    );
    (env, id)
}

fn import(env: &Env, file: &std::path::Path, extra: &[&str]) -> Value {
    let mut args = vec!["import", file.to_str().unwrap(), "--json"];
    args.extend(extra);
    env.ok(&args, None)
}

#[test]
fn an_old_tcvn3_list_is_imported_once_with_its_refused_rows_to_fix() {
    let (env, _) = register();
    let file = env.path("danh sach 2012.xlsx");
    legacy_list(&file);

    let dry = import(&env, &file, &["--dry-run"]);
    assert_eq!(dry["imported"], 3, "{dry}");
    assert_eq!(env.count(), 1, "a dry run adds nobody");
    assert_eq!(
        env.ok(&["import", "history", "--json"], None),
        json!([]),
        "and records no import"
    );

    let rejected = env.path("khong nhap duoc.xlsx");
    let r = import(&env, &file, &["--rejected", rejected.to_str().unwrap()]);
    assert_eq!(r["encoding"], "tcvn3");
    assert_eq!(
        (&r["rows"], &r["imported"], &r["skipped_duplicates"]),
        (&json!(5), &json!(3), &json!(1)),
        "{r}"
    );
    let refused = r["rejected"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{r}");
    assert_eq!(refused[0]["row"], 5, "the spreadsheet's own row number");
    assert_eq!(refused[0]["field"], "date_of_birth");
    assert!(
        refused[0]["message"].as_str().unwrap().contains("ngày"),
        "a Vietnamese reason: {}",
        refused[0]["message"]
    );
    let names: Vec<String> = env
        .ok(&["child", "list", "--json"], None)
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["full_name"].as_str().unwrap().to_string())
        .collect();
    for n in ["Nguyễn Văn Đức", "Trần Thị Phương", "Đặng Thị Hằng"] {
        assert!(names.contains(&n.to_string()), "{n} in Unicode: {names:?}");
    }
    let found = env.ok(&["child", "search", "001234567890", "--json"], None);
    assert_eq!(
        found[0]["full_name"], "Đặng Thị Hằng",
        "the personal id stored as a number, padded back to 12 digits"
    );

    let sheet = cells(&rejected);
    let header: Vec<String> = sheet[0].iter().map(text).collect();
    assert_eq!(header[1], "Họ và tên", "the list's own header, in Unicode");
    assert_eq!(&header[header.len() - 2..], ["Dòng", "Lý do"]);
    assert_eq!(sheet.len(), 2, "one refused row");
    assert_eq!(text(&sheet[1][1]), "Lò Thị Mỷ");
    assert_eq!(text(&sheet[1][header.len() - 2]), "5");
    assert!(text(&sheet[1][header.len() - 1]).contains("Cột C"));
    let mode = std::fs::metadata(&rejected).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "names inside: owner only");

    let again = import(&env, &file, &[]);
    assert_eq!(
        (&again["imported"], &again["skipped_duplicates"]),
        (&json!(0), &json!(4)),
        "the same file twice adds nothing: {again}"
    );
    assert_eq!(env.count(), 4);

    // The refused row fixed in the file of refused rows, then imported.
    let fixed = env.path("da sua.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (j, h) in header.iter().enumerate() {
        s.write_string(0, j as u16, h).unwrap();
    }
    for (j, c) in sheet[1].iter().enumerate() {
        let t = if j == 2 {
            "28/02/2016".to_string()
        } else {
            text(c)
        };
        s.write_string(1, j as u16, t).unwrap();
    }
    book.save(&fixed).unwrap();
    let r = import(&env, &fixed, &[]);
    assert_eq!(r["imported"], 1, "{r}");
    assert_eq!(env.count(), 5);
}

/// TCVN3 has no toned capitals: names in capitals were typed in lowercase in the uppercase
/// font `.VnTimeH`, which draws them as capitals — they come in as the officer sees them.
#[test]
fn a_name_typed_in_the_uppercase_vntimeh_font_comes_in_capitals() {
    let env = Env::new(PASS, None);
    let file = env.path("danh sach chu hoa.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    let upper = Format::new().set_font_name(".VnTimeH");
    let lower = Format::new().set_font_name(".VnTime");
    s.write_string_with_format(0, 0, tcvn3("danh sách trẻ em"), &upper)
        .unwrap();
    for (c, h) in ["Họ và tên", "Ngày sinh", "Giới tính"].iter().enumerate() {
        s.write_string_with_format(1, c as u16, tcvn3(h), &lower)
            .unwrap();
    }
    s.write_string_with_format(2, 0, tcvn3("nguyễn văn a"), &upper)
        .unwrap();
    s.write_string(2, 1, "05/09/2015").unwrap();
    s.write_string_with_format(2, 2, tcvn3("Nam"), &lower)
        .unwrap();
    book.save(&file).unwrap();
    let r = import(&env, &file, &[]);
    assert_eq!(
        (&r["imported"], &r["encoding"]),
        (&json!(1), &json!("tcvn3")),
        "{r}"
    );
    let list = env.ok(&["child", "list", "--json"], None);
    assert_eq!(list[0]["full_name"], "NGUYỄN VĂN A", "{list}");
}

fn tombstones(env: &Env) -> usize {
    let store = bvte_store::Store::open(&env.db, bvte_store::Unlock::Passphrase(PASS)).unwrap();
    store
        .outbox(0, 100_000)
        .unwrap()
        .iter()
        .filter(|c| c.kind == bvte_protocol::ChangeKind::Tombstone)
        .count()
}

#[test]
fn an_import_is_undone_with_tombstones_unless_a_case_was_opened() {
    let (env, _) = register();
    let file = env.path("ds.xlsx");
    legacy_list(&file);
    let batch = import(&env, &file, &[])["batch_id"]
        .as_str()
        .unwrap()
        .to_string();
    let history = env.ok(&["import", "history", "--json"], None);
    assert_eq!(history[0]["id"], batch.as_str());
    assert_eq!(history[0]["file_name"], "ds.xlsx");
    assert_eq!(history[0]["imported"], 3);

    let undone = env.ok(&["import", "undo", &batch, "--json"], None);
    assert_eq!(undone["deleted"], 3);
    assert_eq!(env.count(), 1, "the child typed by hand stays");
    assert_eq!(tombstones(&env), 3, "the deletions go to the server");
    let deleted = env.ok(&["child", "deleted", "--json"], None);
    assert!(
        deleted[0]["reason"].as_str().unwrap().contains("ds.xlsx"),
        "the reason names the file: {deleted}"
    );
    let out = env.run(&["import", "undo", &batch], None);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("đã được hoàn tác"), "{}", out.stderr);

    // Imported again, a case opened for one child: the undo is refused, nothing deleted.
    let env = Env::new(PASS, None);
    let batch = import(&env, &file, &[])["batch_id"]
        .as_str()
        .unwrap()
        .to_string();
    let list = env.ok(&["child", "list", "--json"], None);
    let cid = list[0]["id"].as_str().unwrap();
    let received = (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
    env.ok(
        &["case", "open", "--json", "-"],
        Some(
            &json!({"child_id": cid, "received_at": received, "category": "abused",
            "abuse_forms": ["violence"], "environment": "family", "channel": "hotline_111"})
            .to_string(),
        ),
    );
    let out = env.run(&["import", "undo", &batch, "--json"], None);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("vụ việc"), "{}", out.stderr);
    assert_eq!(out.json()["error"]["code"], "import_has_cases");
    assert_eq!(env.count(), 4, "nothing deleted");
    assert_eq!(tombstones(&env), 0);
}

#[test]
fn the_children_list_exports_to_excel_with_dates_ids_and_diacritics() {
    let env = Env::new(PASS, None);
    let id = env.add_child(
        json!({"full_name": "Nguyễn Thị Ánh Tuyết", "date_of_birth": "05/09/2015",
        "sex": "female", "residence_status": "thuong_tru", "village": "Xóm Đồng Tâm",
        "personal_id": "001215012345", "special_circumstances": [{"group": "dd"}]}),
    );
    env.add_child(child("Vừ A Dơ", "2012-01-01"));
    let received = (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
    env.ok(
        &["case", "open", "--json", "-"],
        Some(
            &json!({"child_id": id, "received_at": received, "category": "abused",
            "abuse_forms": ["violence"], "environment": "family", "channel": "hotline_111",
            "reporter": {"full_name": "Người Báo Tin Kín", "phone": "0912345678", "address": ""}})
            .to_string(),
        ),
    );
    let file = env.path("danh sach.xlsx");
    let out = env.ok(
        &[
            "child",
            "list",
            "--group",
            "dd",
            "--xlsx",
            file.to_str().unwrap(),
            "--json",
        ],
        None,
    );
    assert_eq!(out["children"], 1, "as filtered");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let sheet = cells(&file);
    let all: String = sheet
        .iter()
        .flatten()
        .map(text)
        .collect::<Vec<_>>()
        .join("|");
    assert!(
        !all.contains("Người Báo Tin Kín") && !all.contains("0912345678"),
        "no reporter"
    );
    assert!(!all.contains("Vừ A Dơ"), "filtered out");
    let head = sheet.iter().position(|r| text(&r[0]) == "STT").unwrap();
    let row = &sheet[head + 1];
    assert_eq!(text(&row[1]), "Nguyễn Thị Ánh Tuyết");
    match &row[2] {
        Data::DateTime(d) => {
            assert!(d.is_datetime(), "a real date cell");
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            assert_eq!((y, m, day), (2015, 9, 5));
        }
        other => panic!("the date of birth is a date: {other:?}"),
    }
    assert_eq!(
        row[6],
        Data::String("001215012345".into()),
        "the id as text, zeros kept"
    );
    assert_eq!(text(&row[8]), "Xóm Đồng Tâm");
    assert_eq!(text(&row[12]), "đ");
    assert_eq!(text(&row[15]), id);

    // Read back into a new register: the same child.
    let other = Env::new(PASS, None);
    let r = import(&other, &file, &[]);
    assert_eq!(
        (&r["imported"], &r["rejected_rows"]),
        (&json!(1), &json!(0)),
        "{r}"
    );
    let c = &other.ok(&["child", "list", "--json"], None)[0];
    assert_eq!(c["full_name"], "Nguyễn Thị Ánh Tuyết");
    assert_eq!(c["date_of_birth"], "2015-09-05");
    assert_eq!(c["personal_id"], "001215012345");
    assert_eq!(c["village"], "Xóm Đồng Tâm");
}

#[test]
fn bad_files_are_refused_in_vietnamese_and_nothing_is_written() {
    let env = Env::new(PASS, None);
    let good = env.path("good.xlsx");
    legacy_list(&good);
    let mut bytes = std::fs::read(&good).unwrap();
    bytes.truncate(bytes.len() / 2);
    let corrupt = env.path("hong.xlsx");
    std::fs::write(&corrupt, &bytes).unwrap();
    let html = env.path("danh sach.xls");
    std::fs::write(
        &html,
        "<html><body><table><tr><td>Họ và tên</td></tr></table></body></html>",
    )
    .unwrap();
    let huge = env.path("qua lon.xlsx");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(33 * 1024 * 1024)
        .unwrap();
    for (file, code, words) in [
        (&corrupt, "workbook_corrupt", "tệp bị hỏng"),
        (&html, "workbook_html", "trang web"),
        (&huge, "file_too_large", "quá lớn"),
    ] {
        let out = env.run(&["import", file.to_str().unwrap(), "--json"], None);
        assert_eq!(out.code, 3, "{}", out.stderr);
        assert!(out.stderr.contains(words), "{}", out.stderr);
        assert!(!out.stderr.contains("panicked"));
        assert_eq!(out.json()["error"]["code"], code);
    }
    let missing = env.run(&["import", "khong-co.xlsx"], None);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(missing.stderr.contains("Không mở được tệp"));
    assert_eq!(env.count(), 0, "nothing written");
    assert_eq!(env.ok(&["import", "history", "--json"], None), json!([]));
}

#[test]
fn a_list_without_a_recognised_header_is_imported_with_a_mapping() {
    let env = Env::new(PASS, None);
    let file = env.path("lop 5.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet().set_name("Lớp 5A").unwrap();
    s.write_string(0, 0, "Trường Tiểu học Thạch Thất").unwrap();
    for (c, h) in ["Học sinh", "Sinh ngày", "Lớp"].iter().enumerate() {
        s.write_string(1, c as u16, *h).unwrap();
    }
    s.write_string(2, 0, "Nguyễn Văn An").unwrap();
    s.write_string(2, 1, "05/09/2015").unwrap();
    s.write_string(2, 2, "5A").unwrap();
    book.save(&file).unwrap();
    let f = file.to_str().unwrap();

    let out = env.run(&["import", f, "--json"], None);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert_eq!(out.json()["error"]["code"], "header_not_found");
    assert!(
        out.stderr.contains("Họ và tên"),
        "says what is missing: {}",
        out.stderr
    );
    let out = env.run(&["import", f, "--sheet", "Lớp 6", "--json"], None);
    assert_eq!(out.json()["error"]["code"], "sheet_not_found");
    assert!(
        out.stderr.contains("Lớp 5A"),
        "lists the sheets: {}",
        out.stderr
    );

    let mapping = env.path("cot.json");
    std::fs::write(
        &mapping,
        json!({"header_row": 2, "columns": {"A": "full_name"}}).to_string(),
    )
    .unwrap();
    let r = import(
        &env,
        &file,
        &["--sheet", "lớp 5a", "--mapping", mapping.to_str().unwrap()],
    );
    assert_eq!(r["imported"], 1, "{r}");
    assert_eq!(r["mapping"][0]["field"], "full_name");
    assert_eq!(r["mapping"][2]["field"], Value::Null, "Lớp is not imported");
    let c = &env.ok(&["child", "list", "--json"], None)[0];
    assert_eq!(
        (
            &c["full_name"],
            &c["date_of_birth"],
            &c["sex"],
            &c["residence_status"]
        ),
        (
            &json!("Nguyễn Văn An"),
            &json!("2015-09-05"),
            &json!("unknown"),
            &json!("chua_ro")
        )
    );
    assert_eq!(env.count(), 1);
}
