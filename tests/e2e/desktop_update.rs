//! The desktop app and a real area server hosting a signed release (issue 13): Settings →
//! "Kiểm tra cập nhật" shows "Có bản cập nhật" with the version, day and notes once the
//! package is downloaded and checked. The release key is a throw-away key made here, given to
//! the server and the app in `BVTE_UPDATE_PUBLIC_KEY` (read by debug builds only).

use super::{page, shots};
use anyhow::{Result, ensure};
use bvte_e2e::device::{Device, PASSPHRASE};
use bvte_e2e::server::{Server, server_bin};
use bvte_e2e::{App, Display};
use bvte_update::package::file_name;
use bvte_update::sign::TestKey;
use bvte_update::{Version, current, this_target};
use std::process::Command;

const COMMUNE: &str = "09955";
const NOTES: &str = "Sửa lỗi in Mẫu 02; lịch nghỉ Tết 2027.";

fn newer() -> Version {
    let c = current();
    Version::parse(&format!("{}.{}.0", c.major, c.minor + 1)).expect("a version")
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_show_a_checked_release_from_the_area_server() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let key = TestKey::generate();
    let key_file = dir.path().join("release-key.pub");
    std::fs::write(&key_file, key.public_key())?;
    let mut server = Server::init(dir.path(), &[COMMUNE])?;
    server.start()?;
    let data = dir.path().join("office");
    std::fs::create_dir_all(&data)?;
    let office = Device::init(&data, "bvte", COMMUNE)?;
    office.enroll(
        &server.url(),
        &server.enroll_code(COMMUNE)?,
        &server.fingerprint,
    )?;
    let pkg = dir
        .path()
        .join(file_name(&newer(), &this_target()).expect("a name"));
    std::fs::write(&pkg, b"ban moi cua BVTE")?;
    let sig = dir.path().join("goi.sig");
    std::fs::write(&sig, key.sign_file(&pkg))?;
    let added = Command::new(server_bin())
        .args(["release", "add"])
        .args([&pkg, &sig])
        .args(["--notes", NOTES, "--data"])
        .arg(server.data())
        .env("BVTE_UPDATE_PUBLIC_KEY", &key_file)
        .status()?;
    ensure!(added.success(), "release add");

    let display = Display::start()?;
    let app = App::launch_with(
        &display,
        &data,
        &[("BVTE_UPDATE_PUBLIC_KEY", key_file.as_path())],
    )
    .await?;
    let result = scenario(&app).await;
    if result.is_err() {
        let dir = bvte_e2e::root().join("target/e2e-failure");
        let _ = app.screenshot(&dir, "update-window").await;
    }
    app.close().await?;
    result
}

async fn scenario(app: &App) -> Result<()> {
    app.type_into("unlock-pass", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    page(app, "overview").await?;
    app.click("nav-settings").await?;
    page(app, "settings").await?;
    app.click("update-check").await?;
    let shown = app
        .wait_text("update-offer", "the offer", |t| {
            t.contains("Có bản cập nhật")
        })
        .await?;
    ensure!(
        shown.contains(&newer().to_string()) && shown.contains("lịch nghỉ Tết 2027"),
        "version and notes: {shown}"
    );
    ensure!(shown.contains("Chữ ký đã được kiểm tra"), "{shown}");
    app.screenshot(&shots(), "27-update").await?;
    Ok(())
}
