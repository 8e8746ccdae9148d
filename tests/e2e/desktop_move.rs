//! A child moving to another commune, in the real window: editing the record and typing another
//! commune's code says under the field that the child (with its cases) goes to that commune,
//! named, at the next sync; once saved the profile says the child has moved. A new child with
//! another commune's code is refused at the commune field and nothing is added. The notice is
//! photographed (docs/screenshots/14-child-move.png).

use super::desktop_delete::{open_from_search, profile_of};
use super::{choose, gone, page, shots};
use anyhow::{Result, ensure};
use bvte_e2e::App;
use bvte_e2e::Display;
use bvte_e2e::device::{Device, PASSPHRASE};

/// This installation: Xã Thạch Thất, Thành phố Hà Nội.
const COMMUNE: &str = "09955";
/// Where the child moves: Phường Ba Đình, Thành phố Hà Nội.
const TARGET: &str = "00004";
const TARGET_NAME: &str = "Phường Ba Đình, Thành phố Hà Nội (00004)";
/// The child who moves, with a case.
const NAME: &str = "Lò Thị Mây";

#[tokio::test(flavor = "multi_thread")]
async fn a_child_moves_to_another_commune() -> Result<()> {
    let dir = tempfile::tempdir()?;
    // The office PC, set up with the CLI (the window opens at the unlock screen).
    let office = Device::init(dir.path(), "bvte", COMMUNE)?;
    let id = office.add_child(NAME)?;
    office.json(
        &["case", "open", "--json", "-"],
        Some(
            &serde_json::json!({"child_id": id, "category": "abused",
                "abuse_forms": ["violence"], "environment": "family", "channel": "phone"})
            .to_string(),
        ),
    )?;

    let display = Display::start()?;
    let app = App::launch(&display, dir.path()).await?;
    let result = scenario(&app, &office, &id).await;
    if result.is_err() {
        let dir = bvte_e2e::root().join("target/e2e-failure");
        let _ = app.screenshot(&dir, "move-window").await;
        if let Ok(html) = app.client.source().await {
            let _ = std::fs::write(dir.join("move-page.html"), html);
        }
    }
    app.close().await?;
    result
}

async fn scenario(app: &App, office: &Device, id: &str) -> Result<()> {
    app.type_into("unlock-pass", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    page(app, "overview").await?;

    // A child of this commune: no word of a move, and the form shows this commune's code.
    open_from_search(app, "lo thi may", 1, id, NAME).await?;
    ensure!(
        app.all("profile-moved").await?.is_empty(),
        "a child of this commune has not moved"
    );
    app.click("profile-edit").await?;
    page(app, "child-form").await?;
    let code = app
        .el("child-field-commune_code")
        .await?
        .prop("value")
        .await?;
    ensure!(
        code.as_deref() == Some(COMMUNE),
        "the form shows the child's commune code: {code:?}"
    );
    ensure!(
        app.all("child-move-notice").await?.is_empty(),
        "no notice while the child stays"
    );

    // Another commune's code: the notice names it and says what the sync will do.
    app.type_into("child-field-commune_code", TARGET).await?;
    let notice = app
        .wait_text("child-move-notice", "the move to Ba Đình", |t| {
            t.contains(TARGET_NAME)
        })
        .await?;
    ensure!(
        notice.starts_with("Trẻ sẽ được chuyển sang")
            && notice.contains("vụ việc")
            && notice.contains("máy này không nhận thêm thay đổi của trẻ"),
        "says the record and its cases go there and this PC stops receiving them: {notice}"
    );
    gone(app, "toast").await?;
    app.screenshot(&shots(), "14-child-move").await?;

    // Saved: the profile says the child has moved, and the record has the new commune.
    app.click("child-save").await?;
    profile_of(app, id, NAME).await?;
    let banner = app
        .wait_text("profile-moved", "the move", |t| t.contains(TARGET_NAME))
        .await?;
    ensure!(
        banner.starts_with("Trẻ đã chuyển đến"),
        "the profile says the child has moved: {banner}"
    );
    let (children, _) = office.register()?;
    ensure!(
        children.len() == 1 && children[0]["commune_code"] == TARGET,
        "the record now belongs to {TARGET}: {children:?}"
    );

    // A new child living in that commune is not this commune's to add: refused at the field.
    app.click("nav-children").await?;
    page(app, "children").await?;
    app.click("child-new").await?;
    page(app, "child-form").await?;
    app.type_into("child-field-full_name", "Hà Văn Tùng")
        .await?;
    app.type_into("child-field-date_of_birth", "12/04/2017")
        .await?;
    choose(app, "child-field-sex", "male").await?;
    choose(app, "child-field-residence_status", "thuong_tru").await?;
    app.type_into("child-field-commune_code", TARGET).await?;
    app.click("child-save").await?;
    let msg = app
        .wait_text(
            "child-error-commune_code",
            "the other-commune message",
            |t| !t.is_empty(),
        )
        .await?;
    ensure!(
        msg.contains("không thêm được vào sổ của xã này") && msg.contains(TARGET_NAME),
        "says, at the commune field, whose register the child belongs to: {msg}"
    );
    ensure!(
        app.all("child-move-notice").await?.is_empty(),
        "a new child is never announced as moving"
    );
    page(app, "child-form").await?;
    let (children, _) = office.register()?;
    ensure!(
        children.len() == 1,
        "nothing was added: {} children",
        children.len()
    );
    Ok(())
}
