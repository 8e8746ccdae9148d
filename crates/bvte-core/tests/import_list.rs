//! Issue 12: an officer's list imported into the register — previewed, imported in one batch,
//! imported again without adding anything, updated, and undone.

use bvte_core::app::{self, SetupInput};
use bvte_core::import::{ImportOptions, MappingChoice};
use bvte_core::import_run::RowStatus;
use bvte_domain::child::ChildInput;
use bvte_domain::time::parse_instant;
use rust_xlsxwriter::Workbook;

fn now() -> bvte_domain::Instant {
    parse_instant("t", "2026-12-07 09:00").unwrap()
}

fn session(dir: &std::path::Path) -> bvte_core::Session {
    app::setup(
        &dir.join("bvte.db"),
        &SetupInput {
            commune_code: "09955".into(),
            officer_name: "Nguyễn Văn Cán Bộ".into(),
            chair_name: String::new(),
            passphrase: "mật khẩu dài đủ".into(),
            passphrase_confirm: "mật khẩu dài đủ".into(),
            load_demo: false,
        },
        now(),
    )
    .unwrap()
    .0
}

/// A list: a title row, the header, four children (one with a bad date, one repeated).
fn list() -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "DANH SÁCH TRẺ EM").unwrap();
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
        s.write_string(1, c as u16, *h).unwrap();
    }
    let rows: [(&str, &str, &str, &str, Option<f64>); 4] = [
        (
            "Nguyễn Văn An",
            "05/09/2015",
            "Nam",
            "Thôn Đông",
            Some(1_234_567_890.0),
        ),
        ("Lò Thị Mỷ", "31/02/2016", "Nữ", "Bản Phìn", None),
        ("Trần Thị Phương", "2017", "Nữ", "Xóm Trường", None),
        ("Nguyễn Văn An", "05/09/2015", "Nam", "Thôn Đông", None),
    ];
    for (i, (name, dob, sex, village, id)) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        s.write_number(r, 0, (i + 1) as f64).unwrap();
        s.write_string(r, 1, *name).unwrap();
        s.write_string(r, 2, *dob).unwrap();
        s.write_string(r, 3, *sex).unwrap();
        s.write_string(r, 4, *village).unwrap();
        if let Some(n) = id {
            s.write_number(r, 5, *n).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn options() -> ImportOptions {
    ImportOptions {
        file_name: "danh-sach.xlsx".into(),
        ..ImportOptions::default()
    }
}

#[test]
fn a_list_previews_imports_once_and_undoes() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let bytes = list();

    let preview = s.preview_import(&bytes, &options(), 10, now()).unwrap();
    assert_eq!(preview.header_row, 2, "below the title row");
    let statuses: Vec<RowStatus> = preview.rows.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        vec![
            RowStatus::New,
            RowStatus::Rejected,
            RowStatus::New,
            RowStatus::Rejected
        ]
    );
    assert_eq!(
        preview.rows[1].problems[0].column.as_deref(),
        Some("C"),
        "the bad date's cell"
    );
    assert!(
        preview.rows[3].problems[0].message.contains("dòng 3"),
        "repeats row 3"
    );
    let an = preview.rows[0].child.as_ref().unwrap();
    assert_eq!(
        an.personal_id.as_deref(),
        Some("001234567890"),
        "leading zeros back"
    );
    assert_eq!(
        s.export(now()).unwrap().children.len(),
        0,
        "a preview writes nothing"
    );

    let mut heard = Vec::new();
    let report = s
        .import_children_reporting(&bytes, &options(), now(), &mut |p| {
            heard.push((p.phase, p.done, p.total))
        })
        .unwrap();
    assert_eq!(
        (report.rows, report.imported, report.rejected_rows),
        (4, 2, 2)
    );
    // The progress bar: the four rows checked, then the two children saved, in order.
    assert_eq!(
        heard,
        [("check", 0, 4), ("check", 4, 4), ("write", 2, 2)],
        "{heard:?}"
    );
    let batch = report.batch_id.clone().unwrap();
    assert_eq!(s.export(now()).unwrap().children.len(), 2);

    let again = s.import_children(&bytes, &options(), now()).unwrap();
    assert_eq!(
        (again.imported, again.skipped_duplicates),
        (0, 2),
        "nothing twice"
    );
    assert_eq!(again.batch_id, None, "nothing written, no batch");

    let history = s.import_history().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].imported, 2);

    assert_eq!(s.undo_import(&batch, now()).unwrap(), 2);
    assert_eq!(s.export(now()).unwrap().children.len(), 0);
    assert_eq!(
        s.deleted_children().unwrap().len(),
        2,
        "deleted with a reason, restorable"
    );
    assert_eq!(
        s.undo_import(&batch, now()).unwrap_err().code(),
        "import_already_undone"
    );
}

#[test]
fn update_existing_keeps_what_the_list_does_not_say() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let input: ChildInput = serde_json::from_value(serde_json::json!({
        "full_name": "Nguyễn Văn An", "date_of_birth": "05/09/2015", "sex": "male",
        "residence_status": "thuong_tru", "notes": "Hộ nghèo", "village": "Thôn Cũ"
    }))
    .unwrap();
    let id = s.add_child(&input, now()).unwrap().child.id;
    let opts = ImportOptions {
        update_existing: true,
        ..options()
    };
    let report = s.import_children(&list(), &opts, now()).unwrap();
    assert_eq!((report.imported, report.updated), (1, 1));
    let c = s.child(id).unwrap().data;
    assert_eq!(c.village, "Thôn Đông", "the list's village");
    assert_eq!(c.notes, "Hộ nghèo", "kept");
    assert_eq!(c.personal_id.as_deref(), Some("001234567890"));
}

#[test]
fn a_changed_mapping_and_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let s = session(dir.path());
    let mut choice = MappingChoice::default();
    choice.columns.insert("E".into(), None);
    let opts = ImportOptions {
        mapping: Some(choice),
        ..options()
    };
    let p = s.preview_import(&list(), &opts, 10, now()).unwrap();
    assert_eq!(
        p.rows[0].child.as_ref().unwrap().village,
        "",
        "column E not imported"
    );
    let mut bad = MappingChoice::default();
    bad.columns.insert("E".into(), Some("thon".into()));
    let opts = ImportOptions {
        mapping: Some(bad),
        ..options()
    };
    let e = s.preview_import(&list(), &opts, 10, now()).unwrap_err();
    assert_eq!(e.code(), "bad_mapping");
    assert!(e.to_string().contains("village"), "lists the fields: {e}");
}

/// The desktop's "Nhập từ Excel" and "Xuất Excel" (bvte_core::list_files): the file given by its
/// path, a missing one refused clearly, the refused rows saved as .xlsx beside the other files
/// BVTE writes, and the filtered list saved as .xlsx and noted in the audit trail.
#[test]
fn the_desktop_reads_a_list_by_its_path_and_saves_the_refused_rows_and_the_list() {
    use bvte_core::children::ChildQuery;
    use bvte_core::list_files::ImportRequest;
    use calamine::{Data, Reader, Xlsx};

    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let out = dir.path().join("BVTE");
    let file = dir.path().join("Danh sách thôn Đông.xlsx");
    std::fs::write(&file, list()).unwrap();
    let texts = |path: &str| -> Vec<String> {
        let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        range
            .rows()
            .flat_map(|r| r.iter())
            .filter_map(|d| match d {
                Data::String(t) => Some(t.clone()),
                _ => None,
            })
            .collect()
    };

    let missing = ImportRequest {
        path: dir.path().join("không có.xlsx").display().to_string(),
        ..Default::default()
    };
    let e = s.preview_import_file(&missing, now()).unwrap_err();
    assert_eq!(e.code(), "file_unreadable");
    assert!(e.to_string().contains("không có tệp này"), "{e}");

    let req = ImportRequest {
        path: file.display().to_string(),
        ..Default::default()
    };
    let preview = s.preview_import_file(&req, now()).unwrap();
    assert_eq!(preview.report.imported, 2, "{:?}", preview.report);
    assert_eq!(preview.report.rejected_rows, 2);
    let report = s.import_file(&req, now()).unwrap();
    assert_eq!(report.imported, 2);

    let saved = s.save_rejected_rows(&req, &out, now()).unwrap().unwrap();
    assert!(
        saved
            .path
            .ends_with("Danh sách thôn Đông-dong-bi-tu-choi.xlsx")
    );
    let refused = texts(&saved.path);
    assert!(refused.iter().any(|t| t == "Lò Thị Mỷ"), "{refused:?}");
    assert!(
        !refused.iter().any(|t| t == "Trần Thị Phương"),
        "{refused:?}"
    );

    let query = ChildQuery {
        text: Some("phuong".into()),
        limit: 1,
        ..Default::default()
    };
    let exported = s.save_children_xlsx(&query, &out, now()).unwrap();
    assert!(exported.path.contains("danh-sach-tre-em-09955-07-12-2026"));
    let names = texts(&exported.path);
    assert!(names.iter().any(|t| t == "Trần Thị Phương"), "{names:?}");
    assert!(
        !names.iter().any(|t| t == "Nguyễn Văn An"),
        "only the filtered list: {names:?}"
    );
    let trail = s
        .audit_trail(0, 1000, Some(bvte_store::AuditAction::Export))
        .unwrap();
    assert!(
        trail.iter().any(|e| e.target == "children_list"),
        "{trail:?}"
    );
}
