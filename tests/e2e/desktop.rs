//! The officer's day in the real desktop app (Xvfb, tauri-driver, WebKitWebDriver): first-run
//! wizard → add a child (a wrong date first) → find it with an unaccented search → open a case
//! → a refused out-of-order step → the initial assessment with its deadlines and next steps →
//! its forms printed (preview, Save as PDF, Print without a printer, a blank form) → the
//! month's report (desktop_report.rs) → a change made with the CLI appears without a restart →
//! lock and unlock (one typo forgiven) → English, where Mẫu 03 is recorded and printed
//! (desktop_english.rs). Screenshots of every main screen go to docs/screenshots/ for the
//! README, a few also at the smallest window size, 1024×640 (desktop_layout.rs).

use anyhow::{Context, Result, bail, ensure};
use bvte_e2e::{App, Display, bvte, root};
use serde_json::json;
use std::path::PathBuf;

mod desktop_accounts;
mod desktop_backup;
mod desktop_delete;
mod desktop_english;
mod desktop_import;
mod desktop_layout;
mod desktop_move;
mod desktop_report;
mod desktop_sync;
mod desktop_update;

const PASS: &str = "mật khẩu của xã Thạch Thất";
/// WebDriver's codes for the arrow-down and Enter keys.
const KEY_DOWN: &str = "\u{E015}";
const KEY_ENTER: &str = "\u{E007}";

fn shots() -> PathBuf {
    root().join("docs/screenshots")
}

/// Chooses `value` in a select (sets it and fires `change`, as a person picking does) or
/// clicks the `<testid>-<value>` choice of a radio or check-box group.
async fn choose(app: &App, testid: &str, value: &str) -> Result<()> {
    let choice = format!("{testid}-{value}");
    if !app.all(&choice).await?.is_empty() {
        return app.click(&choice).await;
    }
    let el = app.el(testid).await?;
    app.client
        .execute(
            "const [el, v] = arguments;
             if (![...el.options].some(o => o.value === v)) throw new Error('no option ' + v);
             el.value = v;
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![serde_json::to_value(&el)?, json!(value)],
        )
        .await
        .with_context(|| format!("choose {value} in {testid}"))?;
    Ok(())
}

/// Where an element is drawn in the window: left, top, width, height (CSS pixels).
async fn rect(app: &App, testid: &str) -> Result<[f64; 4]> {
    let el = app.el(testid).await?;
    let r = app
        .client
        .execute(
            "const r = arguments[0].getBoundingClientRect();
             return [r.left, r.top, r.width, r.height];",
            vec![serde_json::to_value(&el)?],
        )
        .await?;
    let v: Vec<f64> = serde_json::from_value(r)?;
    ensure!(v.len() == 4, "a rectangle for [{testid}]");
    Ok([v[0], v[1], v[2], v[3]])
}

/// How far below row 1 of a criteria table its row 2 is drawn (the page may scroll between
/// two measures; rows that keep their places keep this distance).
async fn row_gap(app: &App) -> Result<f64> {
    let one = rect(app, "step-field-data.criteria[0].criterion").await?;
    let two = rect(app, "step-field-data.criteria[1].criterion").await?;
    Ok(two[1] - one[1])
}

async fn attr(app: &App, testid: &str, name: &str) -> Result<Option<String>> {
    Ok(app.el(testid).await?.attr(name).await?)
}

async fn wait_attr(app: &App, testid: &str, name: &str, want: &str) -> Result<()> {
    let start = std::time::Instant::now();
    loop {
        if let Ok(els) = app.all(testid).await
            && let Some(e) = els.first()
            && e.attr(name).await?.as_deref() == Some(want)
        {
            return Ok(());
        }
        ensure!(
            start.elapsed() < bvte_e2e::WAIT,
            "[{testid}] never had {name}={want:?} (has {:?})",
            attr(app, testid, name).await.ok().flatten()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn page(app: &App, name: &str) -> Result<()> {
    app.el(&format!("page-{name}")).await?;
    wait_attr(app, &format!("page-{name}"), "data-ready", "true").await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_officers_day() -> Result<()> {
    let display = Display::start()?;
    let data = tempfile::tempdir()?;
    let app = App::launch(&display, data.path()).await?;
    let result = journey(&app, data.path()).await;
    if result.is_err() {
        // Leave evidence for the person reading the failure.
        let dir = root().join("target/e2e-failure");
        let _ = app.screenshot(&dir, "window").await;
        if let Ok(html) = app.client.source().await {
            let _ = std::fs::write(dir.join("page.html"), html);
        }
        eprintln!(
            "e2e failure: screenshot and page source in {}",
            dir.display()
        );
    }
    app.close().await?;
    result
}

async fn journey(app: &App, data: &std::path::Path) -> Result<()> {
    // First launch: the wizard.
    page(app, "setup").await?;
    app.screenshot(&shots(), "01-setup").await?;
    app.type_into("wizard-commune-search", "dai dong").await?;
    app.el("wizard-commune-option-09340").await?;
    let options = app.all("wizard-commune-results").await?;
    ensure!(!options.is_empty(), "search results shown");
    let results = app.text("wizard-commune-results").await?;
    ensure!(
        results.matches("Đại Đồng").count() >= 4 && results.contains("Tỉnh"),
        "the Đại Đồng communes are told apart by province: {results}"
    );
    // Created with nothing filled in: every missing answer is said at once (issue 16 items 4, 6).
    app.click("wizard-create").await?;
    for field in ["commune_code", "officer_name", "passphrase"] {
        app.wait_text(&format!("wizard-error-{field}"), "its message", |t| {
            !t.is_empty()
        })
        .await?;
    }
    // The commune chosen with the keyboard: Down enters the hits, Enter chooses one and does
    // not submit set-up (issue 16 item 6).
    app.type_into("wizard-commune-search", "thach that").await?;
    app.el("wizard-commune-option-09955").await?;
    app.el("wizard-commune-search")
        .await?
        .send_keys(KEY_DOWN)
        .await?;
    for _ in 0..20 {
        let active = app.client.active_element().await?;
        if active.attr("data-testid").await?.as_deref() == Some("wizard-commune-option-09955") {
            active.send_keys(KEY_ENTER).await?;
            break;
        }
        active.send_keys(KEY_DOWN).await?;
    }
    wait_attr(app, "wizard-commune-selected", "data-code", "09955").await?;
    ensure!(
        app.all("wizard-recovery-code").await?.is_empty(),
        "Enter on a hit chose the commune and did not submit set-up"
    );
    app.type_into("wizard-officer", "Nguyễn Thị Hòa").await?;
    app.type_into("wizard-chair", "Lê Văn Tám").await?;
    app.type_into("wizard-pass", PASS).await?;
    app.type_into("wizard-pass2", PASS).await?;
    app.click("wizard-create").await?;
    let code = app
        .wait_text("wizard-recovery-code", "a recovery code", |t| {
            t.trim().len() == 39
        })
        .await?;
    ensure!(
        code.trim().split('-').count() == 8,
        "code in 8 groups: {code}"
    );
    app.screenshot(&shots(), "02-recovery-code").await?;
    app.click("wizard-recovery-ack").await?;
    app.click("wizard-finish").await?;
    page(app, "overview").await?;
    ensure!(app.text("nav-commune").await?.contains("Thạch Thất"));
    let db = data.join("bvte.db");
    ensure!(db.exists() && data.join("bvte.db.keys").exists());

    // Add a child; a date in the future is refused next to its field, and nothing typed is lost.
    app.click("nav-children").await?;
    page(app, "children").await?;
    let empty = app.text("children-register-empty").await?;
    ensure!(
        empty.contains("chưa có trẻ em"),
        "a new register says it is empty, not that nothing matches: {empty}"
    );
    app.click("child-new").await?;
    page(app, "child-form").await?;
    app.type_into("child-field-full_name", "Đặng Thị Bích Ngọc")
        .await?;
    app.type_into("child-field-date_of_birth", "05/09/2099")
        .await?;
    choose(app, "child-field-sex", "female").await?;
    choose(app, "child-field-residence_status", "tam_tru").await?;
    app.type_into("child-field-village", "Thôn Đông").await?;
    app.click("child-save").await?;
    let msg = app
        .wait_text("child-error-date_of_birth", "the date message", |t| {
            !t.is_empty()
        })
        .await?;
    ensure!(
        msg.contains("tương lai"),
        "says the date is in the future: {msg}"
    );
    let kept = app.el("child-field-full_name").await?.prop("value").await?;
    ensure!(
        kept.as_deref() == Some("Đặng Thị Bích Ngọc"),
        "the name typed is kept: {kept:?}"
    );
    app.type_into("child-field-date_of_birth", "05/09/2015")
        .await?;
    app.click("child-save").await?;
    page(app, "child-profile").await?;
    ensure!(app.text("profile-name").await? == "Đặng Thị Bích Ngọc");
    app.screenshot(&shots(), "05-child-profile").await?;

    // Find her without accents.
    app.click("nav-children").await?;
    page(app, "children").await?;
    app.type_into("children-search", "dang thi bich ngoc")
        .await?;
    wait_attr(app, "children-total", "data-total", "1").await?;
    page(app, "children").await?;
    let row = app.el("children-row").await?;
    let row_text = row.prop("textContent").await?.unwrap_or_default();
    ensure!(
        row_text.contains("Đặng Thị Bích Ngọc"),
        "the row shows her name: {row_text:?}"
    );
    app.screenshot(&shots(), "04-children").await?;

    // Open a case from her profile.
    row.click().await?;
    page(app, "child-profile").await?;
    app.click("profile-open-case").await?;
    page(app, "case-new").await?;
    app.el("case-child-selected").await?;
    choose(app, "case-field-category", "abused").await?;
    choose(app, "case-field-abuse_forms", "violence").await?;
    choose(app, "case-field-environment", "family").await?;
    choose(app, "case-field-channel", "hotline_111").await?;
    app.type_into(
        "case-field-summary",
        "Hàng xóm báo trẻ bị đánh, có vết bầm ở tay.",
    )
    .await?;
    app.type_into("case-field-reporter.full_name", "Người Báo Tin Giấu Tên")
        .await?;
    app.click("case-save").await?;
    page(app, "case").await?;
    wait_attr(app, "case-stage", "data-stage", "received").await?;
    ensure!(
        attr(app, "case-deadline-initial_assessment_12h", "data-overdue")
            .await?
            .as_deref()
            == Some("false"),
        "the 12-hour clock is running, not overdue"
    );
    ensure!(
        !app.all("case-deadline-countdown-initial_assessment_12h")
            .await?
            .is_empty(),
        "live countdown"
    );
    let case_text = app.text("page-case").await?;
    ensure!(
        !case_text.contains("Người Báo Tin Giấu Tên"),
        "the reporter is not shown on the case"
    );
    app.screenshot(&shots(), "06-case-received").await?;

    // Approval before a plan: refused with the reason.
    choose(app, "step-kind-select", "plan_approved").await?;
    // Said as soon as it is chosen, before anything is typed (issue 16 item 9).
    let blocked = app
        .wait_text("step-blocked", "why the step cannot be recorded yet", |t| {
            t.contains("chưa được trình")
        })
        .await?;
    ensure!(blocked.contains("Luật chưa cho phép"), "{blocked}");
    app.click("step-submit").await?;
    let refusal = app
        .wait_text("step-error", "the refusal", |t| !t.is_empty())
        .await?;
    ensure!(
        refusal.contains("chưa được trình"),
        "explains why: {refusal}"
    );
    wait_attr(app, "case-stage", "data-stage", "received").await?;

    // The initial assessment finds serious risk: emergency measures become required.
    choose(app, "step-kind-select", "initial_assessment").await?;
    // Mẫu 02's criteria (issue 16, items 2 and 10): the form's own wording as text, and
    // choosing a level never moves the rows under the pointer.
    let first = app.el("step-field-data.criteria[0].criterion").await?;
    ensure!(
        first.tag_name().await? != "input"
            && first.text().await?.trim()
                == "Mức độ tổn hại đối với tính mạng, sức khỏe, nhân phẩm của trẻ em",
        "row 1 shows the form's own wording as text: {:?}",
        first.text().await?
    );
    let gap_before = row_gap(app).await?;
    app.click("step-field-data.criteria[0].level-high").await?;
    let gap_after = row_gap(app).await?;
    ensure!(
        gap_before == gap_after,
        "choosing a level keeps row 2 where it was: {gap_before} px below row 1, then {gap_after}"
    );
    app.click("step-field-data.criteria[1].level-medium")
        .await?;
    app.click("step-field-data.criteria[2].level-low").await?;
    app.type_into("step-field-data.criteria[0].note", "Nhiều vết bầm")
        .await?;
    app.click("step-field-data.serious_risk").await?;
    app.type_into(
        "step-field-data.conclusion",
        "Nguy cơ cao, cần can thiệp khẩn cấp.",
    )
    .await?;
    app.click("step-submit").await?;
    wait_attr(app, "case-stage", "data-stage", "initial_assessed").await?;
    wait_attr(
        app,
        "case-next-step-emergency_measures",
        "data-required",
        "true",
    )
    .await?;
    app.el("case-deadline-emergency_12h").await?;
    app.el("case-deadline-plan_5_working_days").await?;
    app.screenshot(&shots(), "07-case-assessed").await?;
    desktop_layout::step_details_readable(app, "initial_assessment").await?;
    desktop_layout::case_at_small_size(app, "emergency_measures").await?;

    print_forms(app, &bvte_e2e::export_dir(data)).await?;

    // The overview shows the running 12-hour deadline with a countdown.
    app.click("nav-overview").await?;
    page(app, "overview").await?;
    ensure!(
        !app.all("overview-due-countdown").await?.is_empty(),
        "a live countdown on the overview"
    );
    ensure!(
        app.text("overview-due-left").await?.contains("ngày"),
        "a working-day deadline says how long is left (issue 16 item 11)"
    );
    app.screenshot(&shots(), "03-overview").await?;
    desktop_layout::overview_at_small_size(app).await?;
    desktop_report::report_screen(
        app,
        &db,
        PASS,
        &bvte_e2e::export_dir(data),
        "Đặng Thị Bích Ngọc",
    )
    .await?;
    app.click("nav-cases").await?;
    page(app, "cases").await?;
    app.screenshot(&shots(), "08-cases").await?;
    app.click("nav-settings").await?;
    page(app, "settings").await?;
    let chair = app
        .el("settings-field-chair_name")
        .await?
        .prop("value")
        .await?;
    ensure!(
        chair.as_deref() == Some("Lê Văn Tám"),
        "the chair's name given at set-up is in Settings: {chair:?}"
    );
    app.screenshot(&shots(), "09-settings").await?;

    // A child added with the CLI while the window is open appears without a restart.
    app.click("nav-children").await?;
    page(app, "children").await?;
    let before: u64 = attr(app, "children-total", "data-total")
        .await?
        .unwrap_or_default()
        .parse()?;
    bvte(
        &db,
        PASS,
        &["child", "add", "--json", "-"],
        Some(
            r#"{"full_name":"Lê Văn Từ CLI","date_of_birth":"01/01/2014","sex":"male","residence_status":"thuong_tru"}"#,
        ),
    )?;
    wait_attr(
        app,
        "children-total",
        "data-total",
        &(before + 1).to_string(),
    )
    .await?;

    // A half-typed new child, then the lock (issue 16, item 1): nothing typed is lost.
    app.click("child-new").await?;
    page(app, "child-form").await?;
    app.type_into("child-field-full_name", "Nguyễn Văn Nháp")
        .await?;
    app.type_into("child-field-notes", "Gặp ở chợ, chưa rõ địa chỉ")
        .await?;

    // Lock, one typo (forgiven), then the right passphrase.
    app.click("nav-lock").await?;
    page(app, "unlock").await?;
    app.screenshot(&shots(), "10-unlock").await?;
    app.type_into("unlock-pass", "mật khẩu sai").await?;
    app.click("unlock-submit").await?;
    let err = app
        .wait_text("unlock-error", "the wrong-passphrase message", |t| {
            !t.is_empty()
        })
        .await?;
    ensure!(err.contains("Sai mật khẩu"), "{err}");
    ensure!(
        app.all("unlock-wait").await?.is_empty(),
        "one typo does not lock the officer out"
    );
    app.type_into("unlock-pass", PASS).await?;
    app.click("unlock-submit").await?;
    app.el("nav-overview").await?;

    // Back on the form with what was typed, told it is not saved yet; leaving asks first.
    page(app, "child-form").await?;
    let kept = app.el("child-field-full_name").await?.prop("value").await?;
    ensure!(
        kept.as_deref() == Some("Nguyễn Văn Nháp"),
        "the draft survives the lock: {kept:?}"
    );
    app.el("draft-restored").await?;
    app.click("nav-children").await?;
    app.el("unsaved-dialog").await?;
    app.click("unsaved-stay").await?;
    let still = app.el("child-field-notes").await?.prop("value").await?;
    ensure!(
        still.as_deref() == Some("Gặp ở chợ, chưa rõ địa chỉ"),
        "staying keeps the form: {still:?}"
    );
    app.click("nav-children").await?;
    app.click("unsaved-discard").await?;
    page(app, "children").await?;

    // English, at once.
    app.click("nav-lang").await?;
    app.wait_text("nav-children", "English", |t| t.contains("Children"))
        .await?;
    desktop_english::detailed_assessment_in_english(app, &bvte_e2e::export_dir(data)).await?;
    Ok(())
}

/// Waits until the preview has drawn its pages; returns how many.
async fn preview_pages(app: &App) -> Result<usize> {
    let start = std::time::Instant::now();
    loop {
        if let Some(n) = attr(app, "print-preview", "data-pages")
            .await?
            .and_then(|v| v.parse::<usize>().ok())
        {
            return Ok(n);
        }
        if let Some(e) = app.all("print-preview-error").await?.first() {
            bail!("the preview failed: {}", e.text().await?);
        }
        ensure!(
            start.elapsed() < bvte_e2e::WAIT,
            "the preview never drew its pages (data-pages)"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Waits until no element with `testid` is left.
async fn gone(app: &App, testid: &str) -> Result<()> {
    let start = std::time::Instant::now();
    while !app.all(testid).await?.is_empty() {
        ensure!(
            start.elapsed() < bvte_e2e::WAIT,
            "[{testid}] never went away"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Ok(())
}

/// The text of a PDF (pdftotext), to check what was really saved.
fn pdf_text(path: &std::path::Path) -> Result<String> {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .context("pdftotext (apt-get install poppler-utils)")?;
    ensure!(out.status.success(), "pdftotext {}", path.display());
    Ok(String::from_utf8(out.stdout)?)
}

/// Saves the chosen form and returns the path the app shows.
async fn save(app: &App, export: &std::path::Path) -> Result<PathBuf> {
    app.click("print-save").await?;
    let shown = app
        .wait_text("print-saved-path", "where the PDF was saved", |t| {
            t.ends_with(".pdf")
        })
        .await?;
    let path = PathBuf::from(shown.trim());
    ensure!(
        path.parent() == Some(export) && path.is_file(),
        "saved into BVTE_EXPORT_DIR ({}), and the file exists: {}",
        export.display(),
        path.display()
    );
    Ok(path)
}

/// From the assessed case: the forms its steps allow, the provisional mark, the preview, Save
/// as PDF (the file really has her name with its diacritics), Print on a machine without a
/// printer (a clear message), and a blank form from the cases list.
async fn print_forms(app: &App, export: &std::path::Path) -> Result<()> {
    let url = app.client.current_url().await?;
    let case_id = url
        .path()
        .rsplit('/')
        .next()
        .context("case id in the URL")?
        .to_string();
    app.click("case-print").await?;
    page(app, "print").await?;
    for (form, applicable) in [("01", "true"), ("02", "true"), ("05", "false")] {
        wait_attr(
            app,
            &format!("print-form-option-{form}"),
            "data-applicable",
            applicable,
        )
        .await?;
    }
    let needs = app.text("print-needs-05").await?;
    ensure!(
        needs.contains("Trình Chủ tịch"),
        "Mẫu 05 waits for the plan to be submitted, and says so: {needs}"
    );
    wait_attr(app, "print-selected", "data-form", "01").await?;
    ensure!(
        app.all("print-provisional").await?.is_empty(),
        "Mẫu 01's layout is the official one: no provisional mark"
    );
    app.click("print-form-option-02").await?;
    wait_attr(app, "print-selected", "data-form", "02").await?;
    let note = app.text("print-provisional").await?;
    ensure!(
        note.contains("Mẫu tạm") && note.contains("không in ra giấy"),
        "Mẫu 02 is marked provisional in the app, with its reason: {note}"
    );
    // The preview of Mẫu 01 is being replaced: wait until its page count and images agree.
    let start = std::time::Instant::now();
    let pages = loop {
        let pages = preview_pages(app).await?;
        if app.all("print-page").await?.len() == pages {
            break pages;
        }
        ensure!(start.elapsed() < bvte_e2e::WAIT, "one image per page");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    ensure!(pages >= 1, "the preview has pages");
    let images = app.all("print-page").await?;
    let width = app
        .client
        .execute(
            "return arguments[0].naturalWidth",
            vec![serde_json::to_value(&images[0])?],
        )
        .await?;
    ensure!(
        width.as_u64().unwrap_or(0) >= 794,
        "the page image is drawn at least at paper size: {width}"
    );
    // The confirmation of the step just recorded fades by itself; the picture shows the page.
    gone(app, "toast").await?;
    app.screenshot(&shots(), "11-print-preview").await?;

    // Save as PDF: into BVTE_EXPORT_DIR, named by form and case, never by the child.
    let saved = save(app, export).await?;
    let hex = case_id.replace('-', "");
    let name = saved.file_name().unwrap_or_default().to_string_lossy();
    ensure!(
        name == format!("mau-02-{}.pdf", &hex[hex.len() - 8..]),
        "the file is named by form and case: {name}"
    );
    let text = pdf_text(&saved)?;
    ensure!(
        text.contains("Đặng Thị Bích Ngọc"),
        "the saved PDF has her name, diacritics intact: {}",
        &text[..text.len().min(400)]
    );
    ensure!(
        !text.contains("mẫu tạm"),
        "the provisional mark is never on paper"
    );
    // Each rating on its numbered row, worded as the form words it (issue 16, item 2).
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    ensure!(
        !flat.contains("Mức độ tổn hại đến"),
        "the screen's old wording never prints as an extra row"
    );
    ensure!(
        flat.contains("nhân phẩm của trẻ em Ghi chú: Nhiều vết bầm"),
        "row 1 carries the note typed for it: {flat}"
    );

    // Print: this machine has no printer (or `lp` points at one that does not exist).
    app.click("print-print").await?;
    let err = app
        .wait_text("print-error", "the no-printer message", |t| !t.is_empty())
        .await?;
    ensure!(
        err.contains("máy in") && err.contains("Lưu PDF"),
        "says there is no printer and what to do instead: {err}"
    );

    // A blank form from the cases list, with the officer from the settings.
    app.click("nav-cases").await?;
    page(app, "cases").await?;
    app.click("blank-forms").await?;
    page(app, "print").await?;
    wait_attr(app, "print-form-option-05", "data-applicable", "true").await?;
    app.click("print-form-option-03").await?;
    wait_attr(app, "print-selected", "data-form", "03").await?;
    preview_pages(app).await?;
    let blank = save(app, export).await?;
    ensure!(blank.ends_with("mau-03-trang.pdf"), "{}", blank.display());
    let text = pdf_text(&blank)?;
    ensure!(
        text.contains("Nguyễn Thị Hòa") && text.contains("……"),
        "the blank form has the officer from the settings and dots to fill by hand"
    );
    Ok(())
}
