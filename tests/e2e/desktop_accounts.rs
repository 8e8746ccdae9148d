//! Issue 14 in the real window: a register with two accounts asks which one signs in; the
//! commune leader sees neither "Thêm trẻ em" nor the accounts in Settings; the local admin adds
//! an officer in Cài đặt → Tài khoản, whose passphrase then opens the register from the command
//! line. The accounts screen is photographed (docs/screenshots/26-accounts.png).

use super::{choose, page, shots};
use anyhow::{Result, ensure};
use bvte_e2e::device::{Device, PASSPHRASE};
use bvte_e2e::{App, Display};

const LEADER_PASS: &str = "mật khẩu của lãnh đạo";
const OFFICER_PASS: &str = "mật khẩu của cán bộ";

#[tokio::test(flavor = "multi_thread")]
async fn the_admin_adds_an_officer_and_the_leader_sees_only_what_the_role_allows() -> Result<()> {
    let dir = tempfile::tempdir()?;
    // The register's first account is the local admin, named after its officer ("bvte").
    let office = Device::init(dir.path(), "bvte", "09955")?;
    office.add_child("Lò Thị Mây")?;
    office.ok(
        &[
            "account",
            "add",
            "Trần Thị Mai",
            "--role",
            "leader",
            "--new-passphrase",
            LEADER_PASS,
        ],
        None,
    )?;

    let display = Display::start()?;
    let app = App::launch(&display, dir.path()).await?;
    let result = journey(&app).await;
    if result.is_err() {
        let failed = bvte_e2e::root().join("target/e2e-failure");
        let _ = app.screenshot(&failed, "accounts-window").await;
    }
    app.close().await?;
    result?;

    // The officer added in the window opens the register with their own passphrase.
    let out = std::process::Command::new(bvte_e2e::cli_bin())
        .args(["account", "list", "--json", "--db"])
        .arg(&office.db)
        .env("BVTE_PASSPHRASE", OFFICER_PASS)
        .env("BVTE_ACCOUNT", "Lê Văn Nam")
        .output()?;
    ensure!(
        out.status.code() == Some(9),
        "the officer signs in, and is refused the accounts (exit 9): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names = office.json(&["account", "list", "--json", "--account", "bvte"], None)?;
    ensure!(
        names["accounts"].as_array().map(Vec::len) == Some(3),
        "three accounts: {names}"
    );
    Ok(())
}

async fn journey(app: &App) -> Result<()> {
    // Two accounts: the unlock screen asks whose passphrase it is.
    page(app, "unlock").await?;
    choose(app, "unlock-account", "Trần Thị Mai").await?;
    app.type_into("unlock-pass", LEADER_PASS).await?;
    app.click("unlock-submit").await?;
    page(app, "overview").await?;
    app.click("nav-children").await?;
    page(app, "children").await?;
    ensure!(
        app.all("child-new").await?.is_empty(),
        "the leader is not offered to add a child"
    );
    app.click("nav-settings").await?;
    page(app, "settings").await?;
    app.el("settings-admin-only").await?;
    ensure!(app.all("settings-accounts-link").await?.is_empty());
    ensure!(app.all("settings-audit-link").await?.is_empty());
    app.click("nav-lock").await?;

    page(app, "unlock").await?;
    choose(app, "unlock-account", "bvte").await?;
    app.type_into("unlock-pass", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    // Back where the leader locked it: Settings, now with the admin's sections.
    page(app, "settings").await?;
    app.click("settings-accounts-link").await?;
    page(app, "accounts").await?;
    app.type_into("account-field-account_name", "Lê Văn Nam")
        .await?;
    choose(app, "account-field-role", "officer").await?;
    app.type_into("account-field-passphrase", OFFICER_PASS)
        .await?;
    app.type_into("account-field-passphrase_confirm", OFFICER_PASS)
        .await?;
    app.click("account-add").await?;
    app.wait_text("page-accounts", "the new officer listed", |t| {
        t.contains("Lê Văn Nam") && t.contains("Cán bộ bảo vệ trẻ em")
    })
    .await?;
    ensure!(app.all("account-row").await?.len() == 3);
    app.screenshot(&shots(), "26-accounts").await?;
    Ok(())
}
