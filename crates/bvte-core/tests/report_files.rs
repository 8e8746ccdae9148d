//! The report's files as the desktop app and the server get them, on demonstration data: an
//! XLSX and a PDF with no child's name in them, and the layout corrected from a folder.

use bvte_core::app::{self, SetupInput};
use bvte_core::report::{ReportFormat, report_layout};
use bvte_domain::time::{local_date, parse_instant};
use bvte_report::Period;
use calamine::{Reader, Xlsx};
use std::io::Cursor;

fn now() -> bvte_domain::Instant {
    parse_instant("t", "2026-11-29 09:00").unwrap()
}

fn demo(dir: &std::path::Path) -> bvte_core::Session {
    app::setup(
        &dir.join("bvte.db"),
        &SetupInput {
            commune_code: "09955".into(),
            officer_name: "Nguyễn Văn Cán Bộ".into(),
            chair_name: String::new(),
            passphrase: "mật khẩu dài đủ".into(),
            passphrase_confirm: "mật khẩu dài đủ".into(),
            load_demo: true,
        },
        now(),
    )
    .unwrap()
    .0
}

fn year() -> Period {
    let to = local_date(now());
    Period::new(to - chrono::Days::new(364), to, now()).unwrap()
}

#[test]
fn the_files_carry_the_figures_and_no_childs_name() {
    let dir = tempfile::tempdir().unwrap();
    let s = demo(dir.path());
    let names: Vec<String> = s
        .export(now())
        .unwrap()
        .children
        .iter()
        .map(|c| c.data.full_name.clone())
        .collect();
    assert!(names.len() > 10, "demo data has children");
    let report = s.report(&year(), now()).unwrap();

    let xlsx = s.report_file(ReportFormat::Xlsx, &year(), now()).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let mut text = String::new();
    for sheet in wb.sheet_names() {
        for row in wb.worksheet_range(&sheet).unwrap().rows() {
            for c in row {
                text.push_str(&c.to_string());
                text.push('\n');
            }
        }
    }
    assert!(
        text.contains("Xã Thạch Thất"),
        "the commune heads each sheet"
    );
    assert!(
        text.contains(&format!("{}\nchildren.total", report.children.total)),
        "the total of the report is in the workbook"
    );
    for n in &names {
        assert!(!text.contains(n.as_str()), "{n} is in the workbook");
    }

    let pdf = s.report_file(ReportFormat::Pdf, &year(), now()).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let path = dir.path().join("bao-cao.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.contains("Nguyễn Văn Cán Bộ"), "the officer signs");
    for n in &names {
        assert!(!printed.contains(n.as_str()), "{n} is in the PDF");
    }
}

#[test]
fn a_corrected_layout_in_the_folder_replaces_the_shipped_one() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        report_layout(Some(dir.path())).unwrap(),
        report_layout(None).unwrap(),
        "a folder without the file keeps the shipped layout"
    );
    let shipped = include_str!("../../../assets/reports/commune-report.toml");
    std::fs::write(
        dir.path().join("commune-report.toml"),
        shipped.replace("BÁO CÁO CÔNG TÁC BẢO VỆ TRẺ EM", "BÁO CÁO ĐÃ SỬA"),
    )
    .unwrap();
    assert_eq!(
        report_layout(Some(dir.path())).unwrap().title_vi,
        "BÁO CÁO ĐÃ SỬA"
    );
    let e = report_layout(Some(&dir.path().join("không-có"))).unwrap_err();
    assert_eq!(e.code(), "bad_report_layout");
    assert!(e.to_string().contains("không đọc được"), "{e}");
}
