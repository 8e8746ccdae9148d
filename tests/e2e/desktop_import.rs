//! Issue 12 in the real window: the officer brings in a commune's Excel list ("Nhập từ Excel"):
//! the file is found in the usual places and given by its path, the preview shows the row with
//! an impossible date refused next to its column and the child already registered as a
//! duplicate, the import adds the others, the refused row is saved as .xlsx to fix, the
//! children appear in the list, "Xuất Excel" saves the list (read back, and noted in the audit
//! trail), and the import is undone from the history. The preview is photographed
//! (docs/screenshots/20-import.png).

use super::{attr, page, shots, wait_attr};
use anyhow::{Context, Result, ensure};
use bvte_e2e::device::{Device, PASSPHRASE};
use bvte_e2e::{App, Display};
use calamine::{Data, Reader, Xlsx};
use std::path::{Path, PathBuf};

/// Xã Thạch Thất, Thành phố Hà Nội.
const COMMUNE: &str = "09955";

/// The list: a title row, the header, four children; row 4 has a date that does not exist,
/// row 6 is the child already in the register (Device::add_child's date of birth).
const KIDS: [(&str, &str, &str, &str); 4] = [
    ("Nguyễn Văn Đức", "05/09/2015", "Nam", "Thôn Đông"),
    ("Lò Thị Mỷ", "31/02/2016", "Nữ", "Bản Phìn"),
    ("Trần Thị Phương", "12/03/2017", "Nữ", "Xóm Trường"),
    ("Lò Thị Mây", "08/03/2016", "Nam", "Thôn Đông"),
];

fn make_list(path: &Path) -> Result<()> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet().set_name("Danh sách")?;
    s.write_string(0, 0, "DANH SÁCH TRẺ EM XÃ THẠCH THẤT")?;
    for (j, h) in ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Thôn"]
        .iter()
        .enumerate()
    {
        s.write_string(1, j as u16, *h)?;
    }
    for (i, (name, dob, sex, village)) in KIDS.iter().enumerate() {
        let r = i as u32 + 2;
        s.write_number(r, 0, i as f64 + 1.0)?;
        for (j, v) in [name, dob, sex, village].iter().enumerate() {
            s.write_string(r, j as u16 + 1, **v)?;
        }
    }
    std::fs::create_dir_all(path.parent().context("a folder")?)?;
    book.save(path)?;
    Ok(())
}

/// Every text cell of the first sheet of an .xlsx.
fn cells(path: &Path) -> Result<Vec<String>> {
    let mut book: Xlsx<_> = calamine::open_workbook(path).context("open the XLSX")?;
    let range = book
        .worksheet_range_at(0)
        .context("a first sheet")?
        .context("read the sheet")?;
    Ok(range
        .rows()
        .flat_map(|r| r.iter())
        .filter_map(|d| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_excel_list_is_previewed_imported_exported_and_undone() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("pc");
    std::fs::create_dir_all(&data)?;
    let office = Device::init(&data, "bvte", COMMUNE)?;
    office.add_child("Lò Thị Mây")?;
    let export = bvte_e2e::export_dir(&data);
    let list = export.join("Danh sách trẻ em thôn Đông.xlsx");
    make_list(&list)?;

    let display = Display::start()?;
    let app = App::launch(&display, &data).await?;
    let result = journey(&app, &list, &export, &office).await;
    if result.is_err() {
        let dir = bvte_e2e::root().join("target/e2e-failure");
        let _ = app.screenshot(&dir, "import-window").await;
        if let Ok(html) = app.client.source().await {
            let _ = std::fs::write(dir.join("import-page.html"), html);
        }
    }
    app.close().await?;
    result
}

async fn journey(app: &App, list: &Path, export: &Path, office: &Device) -> Result<()> {
    app.type_into("unlock-pass", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    page(app, "overview").await?;
    app.click("nav-children").await?;
    page(app, "children").await?;
    app.click("children-import").await?;
    page(app, "import").await?;
    app.wait_text("import-found", "the list in the BVTE folder", |t| {
        t.contains("Danh sách trẻ em thôn Đông.xlsx")
    })
    .await?;

    // A path that does not exist: a clear message, nothing else happens.
    app.type_into(
        "import-path",
        &export.join("không có.xlsx").to_string_lossy(),
    )
    .await?;
    app.click("import-preview").await?;
    app.wait_text("import-error", "that the file is not there", |t| {
        t.contains("Không mở được tệp") && t.contains("không có tệp này")
    })
    .await?;

    // The preview: 2 ready, 1 duplicate, the impossible date refused next to its column.
    app.type_into("import-path", &list.to_string_lossy())
        .await?;
    app.click("import-preview").await?;
    wait_attr(app, "import-counts", "data-ready", "2").await?;
    ensure!(
        attr(app, "import-counts", "data-duplicate")
            .await?
            .as_deref()
            == Some("1")
            && attr(app, "import-counts", "data-refused").await?.as_deref() == Some("1"),
        "one duplicate and one refused row: {}",
        app.text("import-counts").await?
    );
    let rows = app.all("import-row").await?;
    let mut bad = None;
    for r in &rows {
        let status = r.attr("data-status").await?.unwrap_or_default();
        let row = r.attr("data-row").await?.unwrap_or_default();
        if status == "rejected" {
            bad = Some((row, r.text().await?));
        } else if status == "duplicate" {
            ensure!(row == "6", "row 6 is the registered child, not row {row}");
        }
    }
    let (row, text) = bad.context("a refused row in the preview")?;
    ensure!(row == "4", "row 4 (31/02/2016) is refused, not row {row}");
    ensure!(
        text.contains("Lò Thị Mỷ") && text.contains("Cột C (Ngày sinh) “31/02/2016”"),
        "the refused row names the child and its problem is shown at its cell: {text}"
    );
    let mapping = app.text("import-mapping").await?;
    ensure!(
        mapping.contains("Họ và tên") && mapping.contains("dòng 2"),
        "the header is found below the title: {mapping}"
    );
    // The photograph shows the counts and the refused row.
    let section = app.el("import-preview-rows").await?;
    app.client
        .execute(
            "arguments[0].scrollIntoView({ block: 'start' });",
            vec![serde_json::to_value(&section)?],
        )
        .await?;
    app.screenshot(&shots(), "20-import").await?;

    // Import; the refused row saved to fix.
    app.click("import-run").await?;
    wait_attr(app, "import-result", "data-imported", "2").await?;
    app.click("import-save-rejected").await?;
    app.el("import-rejected-saved").await?;
    let saved = PathBuf::from(
        attr(app, "import-rejected-saved", "data-path")
            .await?
            .context("the refused rows' file")?,
    );
    ensure!(
        saved.starts_with(export),
        "{} is in the BVTE folder",
        saved.display()
    );
    let refused = cells(&saved)?;
    ensure!(
        refused.iter().any(|c| c == "Lò Thị Mỷ") && !refused.iter().any(|c| c == "Nguyễn Văn Đức"),
        "only the refused row is in {}: {refused:?}",
        saved.display()
    );

    // The children list, then "Xuất Excel".
    app.click("import-to-children").await?;
    page(app, "children").await?;
    wait_attr(app, "children-total", "data-total", "3").await?;
    let shown = app
        .el("children-list")
        .await?
        .prop("textContent")
        .await?
        .unwrap_or_default();
    ensure!(
        shown.contains("Nguyễn Văn Đức") && shown.contains("Trần Thị Phương"),
        "the imported children are listed: {shown}"
    );
    app.click("children-export").await?;
    app.el("children-exported").await?;
    let file = PathBuf::from(
        attr(app, "children-exported", "data-path")
            .await?
            .context("the exported list's path")?,
    );
    ensure!(
        file.starts_with(export),
        "{} is in the BVTE folder",
        file.display()
    );
    let exported = cells(&file)?;
    for name in ["Nguyễn Văn Đức", "Trần Thị Phương", "Lò Thị Mây"] {
        ensure!(
            exported.iter().any(|c| c == name),
            "{name} is in the exported list: {exported:?}"
        );
    }
    let audit = office.json(&["audit", "list", "--action", "export", "--json"], None)?;
    ensure!(
        audit.as_array().is_some_and(|a| a
            .iter()
            .any(|e| e["target"].as_str() == Some("children_list"))),
        "the export is in the audit trail: {audit}"
    );

    // Undone from the history: the two added children leave the list.
    app.click("children-import").await?;
    page(app, "import").await?;
    wait_attr(app, "import-history", "data-ready", "true").await?;
    app.click("import-undo").await?;
    app.click("import-undo-yes").await?;
    app.wait_text("import-undone", "the undo", |t| t.contains('2'))
        .await?;
    wait_attr(app, "import-batch", "data-undone", "true").await?;
    app.click("import-back").await?;
    page(app, "children").await?;
    wait_attr(app, "children-total", "data-total", "1").await?;
    Ok(())
}
