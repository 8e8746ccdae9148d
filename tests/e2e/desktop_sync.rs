//! The desktop app and a real district server (issue 5): enroll through Settings → Đồng bộ (a
//! wrong fingerprint refused at its field first), a child added in the window reaches the
//! server by itself and its profile says so, a laptop's edit arrives with "Đồng bộ ngay", the
//! same name changed on both before either synced is shown as a conflict with both values and
//! resolved in the window, and with the server down the status bar says so in plain words and
//! nothing is lost.

use super::{choose, page, shots, wait_attr};
use anyhow::{Result, ensure};
use bvte_e2e::device::{Device, PASSPHRASE};
use bvte_e2e::server::Server;
use bvte_e2e::{App, Display};

const COMMUNE: &str = "09955";
/// What the server says of a spent enrollment code.
const USED: &str = "đã được dùng";

#[tokio::test(flavor = "multi_thread")]
async fn the_window_syncs_with_the_district() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::init(dir.path(), &[COMMUNE])?;
    server.start()?;
    // The office PC: set up with the CLI (as IT might), used through the window.
    let data = dir.path().join("office");
    std::fs::create_dir_all(&data)?;
    let office = Device::init(&data, "bvte", COMMUNE)?;
    let laptop = Device::init(dir.path(), "laptop", COMMUNE)?;
    let laptop_code = server.enroll_code(COMMUNE)?;
    laptop.enroll(&server.url(), &laptop_code, &server.fingerprint)?;

    let display = Display::start()?;
    let app = App::launch(&display, &data).await?;
    let result = scenario(&app, &mut server, &office, &laptop, &laptop_code).await;
    if result.is_err() {
        let dir = bvte_e2e::root().join("target/e2e-failure");
        let _ = app.screenshot(&dir, "sync-window").await;
    }
    app.close().await?;
    result
}

async fn scenario(
    app: &App,
    server: &mut Server,
    office: &Device,
    laptop: &Device,
    spent_code: &str,
) -> Result<()> {
    app.type_into("unlock-pass", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    page(app, "overview").await?;
    wait_attr(app, "status-bar", "data-enrolled", "false").await?;

    // Enroll: a code the laptop already used is refused next to its field, then a wrong
    // fingerprint next to its own, and that refused attempt does not spend the new code.
    app.click("nav-sync").await?;
    page(app, "sync").await?;
    app.type_into("enroll-field-server_url", &server.url())
        .await?;
    app.type_into("enroll-field-code", spent_code).await?;
    app.type_into("enroll-field-fingerprint", &server.fingerprint)
        .await?;
    app.click("enroll-submit").await?;
    let msg = app
        .wait_text("enroll-error-code", "the code message", |t| !t.is_empty())
        .await?;
    ensure!(msg.contains(USED), "says the code was used: {msg}");
    let code = server.enroll_code(COMMUNE)?;
    app.type_into("enroll-field-code", &code).await?;
    app.type_into("enroll-field-fingerprint", &"ab".repeat(32))
        .await?;
    app.click("enroll-submit").await?;
    let msg = app
        .wait_text("enroll-error-fingerprint", "the fingerprint message", |t| {
            !t.is_empty()
        })
        .await?;
    ensure!(msg.contains("dấu vân tay"), "names the fingerprint: {msg}");
    app.type_into("enroll-field-fingerprint", &server.fingerprint)
        .await?;
    app.click("enroll-submit").await?;
    let shown = app
        .wait_text("sync-server", "the server", |t| t.contains("https://"))
        .await?;
    ensure!(shown.contains(&server.url()), "shows {shown}");
    wait_attr(app, "status-bar", "data-enrolled", "true").await?;

    // A child added in the window reaches the server with nobody pressing anything.
    app.click("nav-children").await?;
    page(app, "children").await?;
    app.click("child-new").await?;
    page(app, "child-form").await?;
    app.type_into("child-field-full_name", "Lò Văn Tùng")
        .await?;
    app.type_into("child-field-date_of_birth", "12/02/2014")
        .await?;
    choose(app, "child-field-sex", "male").await?;
    choose(app, "child-field-residence_status", "thuong_tru").await?;
    app.type_into("child-field-village", "Thôn Bắc").await?;
    app.click("child-save").await?;
    page(app, "child-profile").await?;
    let tung = received(laptop, "Lò Văn Tùng").await?;
    wait_attr(app, "child-on-server", "data-on-server", "true").await?;
    wait_attr(app, "status-bar", "data-pending", "0").await?;
    let child_id = tung["id"].as_str().unwrap_or_default().to_string();

    // The laptop's edit arrives with "Đồng bộ ngay" and shows without a restart.
    laptop.rename_child(&child_id, "Lò Văn Tùng Lâm")?;
    laptop.sync().map_err(anyhow::Error::msg)?;
    app.click("nav-sync").await?;
    page(app, "sync").await?;
    app.click("sync-now").await?;
    let result = app
        .wait_text("sync-result", "the run's summary", |t| !t.is_empty())
        .await?;
    ensure!(result.contains("nhận 1"), "one change received: {result}");
    app.click("nav-children").await?;
    page(app, "children").await?;
    app.type_into("children-search", "lo van tung lam").await?;
    wait_attr(app, "children-total", "data-total", "1").await?;

    // The same name changed on both before either synced: a conflict, shown and resolved.
    laptop.rename_child(&child_id, "Lò Văn Tùng (máy xách tay)")?;
    laptop.sync().map_err(anyhow::Error::msg)?;
    office.rename_child(&child_id, "Lò Văn Tùng (văn phòng)")?;
    wait_attr(app, "status-bar", "data-conflicts", "1").await?;
    app.click("status-conflicts").await?;
    page(app, "sync").await?;
    let row = app
        .wait_text("conflict-row", "both values", |t| {
            t.contains("(máy xách tay)") && t.contains("(văn phòng)")
        })
        .await?;
    ensure!(
        row.contains("laptop") && row.contains("bvte"),
        "who made each edit (the officers named laptop and bvte): {row}"
    );
    app.screenshot(&shots(), "12-sync-conflict").await?;
    let other = app.text("conflict-other-value").await?;
    let take = if other.contains("(máy xách tay)") {
        "conflict-take-other"
    } else {
        "conflict-take-kept"
    };
    app.click(take).await?;
    app.el("conflicts-empty").await?;
    wait_attr(app, "status-bar", "data-pending", "0").await?;
    laptop.sync().map_err(anyhow::Error::msg)?;
    ensure!(
        laptop.register()? == office.register()?,
        "the office PC and the laptop hold the same register"
    );
    let (children, _) = office.register()?;
    ensure!(
        children
            .iter()
            .any(|c| c["full_name"] == "Lò Văn Tùng (máy xách tay)"),
        "the chosen value is the one kept"
    );

    // The server goes away: the window says so, keeps the work, and catches up afterwards.
    server.kill9()?;
    app.click("sync-now").await?;
    let err = app
        .wait_text("sync-now-error", "the failure", |t| !t.is_empty())
        .await?;
    ensure!(
        err.contains("Không kết nối được"),
        "plain words for an unreachable server: {err}"
    );
    wait_attr(app, "status-bar", "data-error-code", "server_unreachable").await?;
    office.add_child("Quàng Thị Mai")?;
    // The new child waits to be sent, and the error stays in view.
    wait_attr(app, "status-bar", "data-pending", "1").await?;
    ensure!(
        app.text("status-error")
            .await?
            .contains("Không kết nối được"),
        "the status bar says why"
    );
    server.start()?;
    app.click("sync-now").await?;
    wait_attr(app, "status-bar", "data-pending", "0").await?;
    wait_attr(app, "status-bar", "data-error-code", "").await?;
    laptop.sync().map_err(anyhow::Error::msg)?;
    ensure!(
        laptop.register()? == office.register()?,
        "after the outage both hold the same register"
    );
    Ok(())
}

/// Syncs the laptop until it has received a child named `name` from the office PC's
/// background sync (nobody presses anything there), within the tests' patience.
async fn received(laptop: &Device, name: &str) -> Result<serde_json::Value> {
    let start = std::time::Instant::now();
    loop {
        laptop.sync().map_err(anyhow::Error::msg)?;
        let (children, _) = laptop.register()?;
        if let Some(c) = children.into_iter().find(|c| c["full_name"] == name) {
            return Ok(c);
        }
        ensure!(
            start.elapsed() < bvte_e2e::WAIT,
            "{name} never reached the server from the window"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}
