//! The workbook read back with calamine: one sheet per table with its Vietnamese name, the
//! heading on each, every figure a number equal to the report's, and the completeness sheet
//! naming records by id.

use bvte_domain::codes::Code;
use bvte_domain::deadline::DeadlineRule;
use bvte_report::{Gap, Issuer, Layout, Period, ReportInput};
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

fn report() -> bvte_report::Report {
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
    let period = Period {
        from: day(1),
        to: day(31),
    };
    let mut r = bvte_report::build(
        &ReportInput::default(),
        &period,
        bvte_domain::reference::calendar(),
        period.end(),
    );
    // Figures set by hand: what matters here is that each lands in its cell.
    r.children.total = 1234;
    r.children.by_group.insert("c_2".into(), 7);
    r.cases.by_channel.insert("hotline_111".into(), 3);
    r.cases.deadlines.get_mut("emergency_12h").unwrap().overdue = 2;
    r.completeness.push(Gap {
        kind: "case_overdue",
        record: "case",
        id: "01a25093-a5da-70a4-a789-57e487da6e54".into(),
        stage: Some("received"),
        rule: Some("plan_5_working_days"),
        due_at: Some("2026-10-07T23:59:59+07:00".into()),
    });
    r
}

fn issuer() -> Issuer {
    Issuer {
        commune_name: "Xã Thạch Thất, Thành phố Hà Nội".into(),
        issuing_body: "ỦY BAN NHÂN DÂN XÃ THẠCH THẤT".into(),
        place: "Thạch Thất".into(),
        officer: "Cán bộ Thử".into(),
    }
}

#[test]
fn every_table_is_a_sheet_with_its_figures_as_numbers() {
    let r = report();
    let doc = Layout::embedded().document(&r, issuer()).unwrap();
    let bytes = bvte_sheet::report_xlsx(&r, &doc).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    let mut want: Vec<String> = doc.tables.iter().map(|t| t.sheet.clone()).collect();
    want.push(bvte_sheet::COMPLETENESS_SHEET.into());
    assert_eq!(
        names, want,
        "one sheet per table, in order, names as the layout writes them"
    );
    assert!(names.contains(&"Trẻ em - hoàn cảnh đặc biệt".to_string()));

    for t in &doc.tables {
        let range = wb.worksheet_range(&t.sheet).unwrap();
        let text = |row: u32, col: u32| range.get_value((row, col)).map(|d| d.to_string());
        assert_eq!(text(0, 0).unwrap(), "Xã Thạch Thất, Thành phố Hà Nội");
        assert_eq!(
            text(2, 0).unwrap(),
            "Kỳ báo cáo: từ ngày 01/10/2026 đến ngày 31/10/2026"
        );
        assert_eq!(text(3, 0).unwrap(), bvte_report::PROVISIONAL_NOTE);
        let key_col = t.columns.len() as u32 + 1;
        for (k, row) in t.rows.iter().enumerate() {
            let y = 7 + k as u32;
            assert_eq!(text(y, 0).unwrap(), row.vi);
            assert_eq!(text(y, key_col).unwrap(), row.key);
            for (i, v) in row.values.iter().enumerate() {
                assert_eq!(
                    range.get_value((y, 1 + i as u32)),
                    Some(&Data::Float(*v as f64)),
                    "{} is a number",
                    row.key
                );
            }
        }
    }
    let find = |sheet: &str, key: &str, col: u32| {
        let range = wb_range(&r, sheet);
        let y = (0..range.height() as u32)
            .find(|y| {
                range
                    .rows()
                    .nth(*y as usize)
                    .unwrap()
                    .iter()
                    .any(|c| *c == key)
            })
            .unwrap();
        range.get_value((y, col)).cloned()
    };
    assert_eq!(
        find("Trẻ em", "children.total", 1),
        Some(Data::Float(1234.0))
    );
    assert_eq!(
        find("Trẻ em - hoàn cảnh đặc biệt", "children.by_group.c_2", 1),
        Some(Data::Float(7.0))
    );
    assert_eq!(
        find("Thời hạn", "cases.deadlines.emergency_12h", 2),
        Some(Data::Float(2.0))
    );
}

fn wb_range(r: &bvte_report::Report, sheet: &str) -> calamine::Range<Data> {
    let doc = Layout::embedded().document(r, issuer()).unwrap();
    let bytes = bvte_sheet::report_xlsx(r, &doc).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    wb.worksheet_range(sheet).unwrap()
}

#[test]
fn the_completeness_sheet_names_records_by_id_with_what_is_missing() {
    let r = report();
    let range = wb_range(&r, bvte_sheet::COMPLETENESS_SHEET);
    let row: Vec<String> = range
        .rows()
        .nth(7)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        row,
        [
            "Vụ việc",
            "01a25093-a5da-70a4-a789-57e487da6e54",
            "Quá thời hạn xử lý mà chưa thực hiện",
            "Đã tiếp nhận, chờ đánh giá ban đầu",
            // The rule as the app names it (its wording is the domain's, not this sheet's).
            DeadlineRule::Plan5WorkingDays.label_vi(),
            "07/10/2026 23:59",
        ]
    );
}
