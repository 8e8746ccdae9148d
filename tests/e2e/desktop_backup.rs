//! Issue 14 in the real window: the officer chooses a USB stick as the backup folder in
//! Settings and presses "Sao lưu ngay"; then a new PC, with no register, finds that backup on
//! the stick from its first screen, refuses a wrong passphrase, and restores the same register
//! (compared with `bvte export`). The restore screen is photographed
//! (docs/screenshots/19-restore.png). Before the backup, the office answers "who saw this
//! child's file?" from "Nhật ký truy cập" (docs/screenshots/25-audit.png).

use super::desktop_delete::open_from_search;
use super::{page, shots, wait_attr};
use anyhow::{Result, ensure};
use bvte_e2e::device::{Device, PASSPHRASE};
use bvte_e2e::{App, Display, WAIT};
use fantoccini::Locator;
use std::path::Path;

/// Xã Thạch Thất, Thành phố Hà Nội.
const COMMUNE: &str = "09955";

#[tokio::test(flavor = "multi_thread")]
async fn a_new_pc_restores_the_backup_made_on_a_usb_stick() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (office_dir, new_dir, usb) = (
        dir.path().join("office"),
        dir.path().join("new-pc"),
        dir.path().join("usb"),
    );
    for d in [&office_dir, &new_dir, &usb] {
        std::fs::create_dir_all(d)?;
    }
    let office = Device::init(&office_dir, "bvte", COMMUNE)?;
    let may = office.add_child("Lò Thị Mây")?;
    let duc = office.add_child("Nguyễn Văn Đức")?;

    let display = Display::start()?;
    let app = App::launch(&display, &office_dir).await?;
    let result = async {
        back_up(&app, &usb).await?;
        who_saw(&app, &may, &duc).await
    }
    .await;
    evidence(&app, &result, "backup").await;
    app.close().await?;
    result?;

    let app = App::launch_with(&display, &new_dir, &[("BVTE_BACKUP_DIRS", usb.as_path())]).await?;
    let result = restore(&app).await;
    evidence(&app, &result, "restore").await;
    app.close().await?;
    result?;

    let restored = Device {
        db: new_dir.join("bvte.db"),
        clock: None,
    };
    ensure!(
        restored.register()? == office.register()?,
        "the new PC holds the office's register, record for record"
    );
    Ok(())
}

async fn evidence(app: &App, result: &Result<()>, name: &str) {
    if result.is_err() {
        let dir = bvte_e2e::root().join("target/e2e-failure");
        let _ = app.screenshot(&dir, &format!("{name}-window")).await;
        if let Ok(html) = app.client.source().await {
            let _ = std::fs::write(dir.join(format!("{name}-page.html")), html);
        }
    }
}

async fn back_up(app: &App, usb: &Path) -> Result<()> {
    app.type_into("unlock-pass", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    page(app, "overview").await?;
    app.click("nav-settings").await?;
    page(app, "settings").await?;
    app.wait_text("backup-last", "no backup yet", |t| {
        t.contains("Chưa sao lưu")
    })
    .await?;
    app.type_into("settings-field-officer_name", "Cán bộ Lan")
        .await?;
    app.type_into("settings-field-backup_folder", &usb.to_string_lossy())
        .await?;
    app.type_into("settings-field-backup_keep", "5").await?;
    app.click("settings-save").await?;
    let stick = usb.to_string_lossy().into_owned();
    app.wait_text("backup-folder", "the USB stick, once saved", |t| {
        t.contains(&stick)
    })
    .await?;
    app.click("backup-now").await?;
    app.wait_text("backup-last", "the backup just made", |t| {
        t.contains("Lần sao lưu gần nhất")
    })
    .await?;
    let files: Vec<_> = std::fs::read_dir(usb)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    ensure!(
        files.len() == 1
            && files[0]
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("bvte-09955-")),
        "one backup on the stick, named for the commune: {files:?}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0])?.permissions().mode() & 0o777;
        ensure!(mode == 0o600, "the backup is the officer's only: {mode:o}");
    }
    Ok(())
}

async fn restore(app: &App) -> Result<()> {
    page(app, "setup").await?;
    app.click("wizard-restore").await?;
    let item = app
        .wait_text("restore-backup", "the backup on the stick", |t| {
            t.contains("Thạch Thất")
        })
        .await?;
    ensure!(item.contains("0.1."), "the version is shown: {item}");
    app.type_into("restore-pass", "mật khẩu sai").await?;
    app.click("restore-submit").await?;
    app.wait_text("restore-error", "the wrong passphrase", |t| {
        t.contains("Sai mật khẩu")
    })
    .await?;
    app.type_into("restore-pass", PASSPHRASE).await?;
    app.screenshot(&shots(), "19-restore").await?;
    app.click("restore-submit").await?;
    page(app, "overview").await?;
    Ok(())
}

/// Issue 14: the office opens Mây's file, asks "Ai đã xem hồ sơ này?", and sees its own view
/// (by the officer named in Settings) and nothing about Đức; the chain checks intact; the whole
/// log shows the backup just made.
async fn who_saw(app: &App, may: &str, duc: &str) -> Result<()> {
    open_from_search(app, "Mây", 1, may, "Lò Thị Mây").await?;
    app.click("profile-who-saw").await?;
    page(app, "audit").await?;
    app.wait_text("audit-scope", "the scope named", |t| {
        t.contains("trẻ em này")
    })
    .await?;
    let rows = app.all("audit-row").await?;
    let mut texts = Vec::new();
    for r in &rows {
        texts.push((r.attr("data-action").await?, r.text().await?));
    }
    ensure!(
        texts.iter().any(|(a, t)| a.as_deref() == Some("view_child")
            && t.contains("Cán bộ Lan")
            && t.contains("Xem hồ sơ trẻ em")
            && t.contains(&may[may.len() - 8..])),
        "the view of Mây's file by Cán bộ Lan is listed: {texts:?}"
    );
    ensure!(
        texts.iter().any(|(a, _)| a.as_deref() == Some("change")),
        "the record's creation is listed: {texts:?}"
    );
    ensure!(
        texts
            .iter()
            .all(|(_, t)| !t.contains(&duc[duc.len() - 8..]) && !t.contains("Mây")),
        "nothing about Đức, and no name in the log: {texts:?}"
    );
    app.click("audit-verify").await?;
    wait_attr(app, "audit-verdict", "data-intact", "true").await?;
    ensure!(app.text("audit-verdict").await?.contains("nguyên vẹn"));
    app.screenshot(&shots(), "25-audit").await?;
    app.click("audit-scope-clear").await?;
    app.client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(
            "[data-testid=\"audit-row\"][data-action=\"backup\"]",
        ))
        .await?;
    Ok(())
}
