//! Deleting a child's record entered twice, in the real window: the reason is required at its
//! field, the record leaves the list (a search finds only the other one), "Hoàn tác" brings it
//! back, "Hồ sơ đã xóa" lists it with its reason and "Khôi phục" restores it; a child with a case
//! cannot be deleted and the profile says why. The confirmation is photographed for the README.

use super::{gone, page, shots, wait_attr};
use anyhow::{Context, Result, ensure};
use bvte_e2e::device::{Device, PASSPHRASE};
use bvte_e2e::{App, Display, WAIT};
use fantoccini::Locator;
use fantoccini::elements::Element;

const COMMUNE: &str = "09955";
/// The child entered twice (the CLI's test child: same name, date of birth and village).
const NAME: &str = "Lò Thị Mây";
const SEARCH: &str = "lo thi may";
/// A child with a case.
const WITH_CASE: &str = "Vàng A Sử";

#[tokio::test(flavor = "multi_thread")]
async fn a_record_entered_twice_is_deleted_and_restored() -> Result<()> {
    let dir = tempfile::tempdir()?;
    // The office PC, set up with the CLI (the window opens at the unlock screen).
    let office = Device::init(dir.path(), "bvte", COMMUNE)?;
    let kept = office.add_child(NAME)?;
    let twice = office.add_child(NAME)?;
    let with_case = office.add_child(WITH_CASE)?;
    office.json(
        &["case", "open", "--json", "-"],
        Some(
            &serde_json::json!({"child_id": with_case, "category": "abused",
                "abuse_forms": ["violence"], "environment": "family", "channel": "phone"})
            .to_string(),
        ),
    )?;

    let display = Display::start()?;
    let app = App::launch(&display, dir.path()).await?;
    let result = scenario(&app, &office, [&kept, &twice, &with_case]).await;
    if result.is_err() {
        let dir = bvte_e2e::root().join("target/e2e-failure");
        let _ = app.screenshot(&dir, "delete-window").await;
        if let Ok(html) = app.client.source().await {
            let _ = std::fs::write(dir.join("delete-page.html"), html);
        }
    }
    app.close().await?;
    result
}

/// `ids`: the record kept, the one entered twice, the child with a case.
async fn scenario(app: &App, office: &Device, ids: [&str; 3]) -> Result<()> {
    let [kept, twice, with_case] = ids;
    app.type_into("unlock-pass", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    page(app, "overview").await?;

    // The duplicate's profile; deleting without a reason is refused at the reason field.
    open_from_search(app, SEARCH, 2, twice, NAME).await?;
    app.click("profile-delete").await?;
    let dialog = app.text("delete-dialog").await?;
    ensure!(
        dialog.contains("nhập trùng") && dialog.contains("Hồ sơ đã xóa"),
        "the confirmation says when to delete and where to restore from: {dialog}"
    );
    app.click("delete-confirm").await?;
    let msg = app
        .wait_text("delete-error-reason", "the reason message", |t| {
            !t.is_empty()
        })
        .await?;
    ensure!(
        msg.contains("Chưa nhập lý do"),
        "says the reason is missing, at its field: {msg}"
    );
    ensure!(
        app.text("profile-name").await? == NAME && office.deleted()?.is_empty(),
        "nothing was deleted"
    );

    // With a reason: the list says so, and a search finds only the record kept.
    let reason = "Nhập trùng với hồ sơ Lò Thị Mây ở Thôn Đông";
    app.type_into("delete-field-reason", reason).await?;
    app.click("delete-confirm").await?;
    deleted_notice(app).await?;
    only_the_kept_one(app, kept).await?;

    // Hoàn tác: the profile is back.
    app.click("child-deleted-undo").await?;
    profile_of(app, twice, NAME).await?;

    // Deleted again; the confirmation as the officer sees it goes to the README.
    app.click("profile-delete").await?;
    let reason = "Cùng một trẻ, nhập hai lần trên hai máy";
    app.type_into("delete-field-reason", reason).await?;
    gone(app, "toast").await?;
    app.screenshot(&shots(), "13-delete-child").await?;
    app.click("delete-confirm").await?;
    deleted_notice(app).await?;

    // Hồ sơ đã xóa lists it with its reason; Khôi phục brings it back into the register.
    app.click("children-deleted-link").await?;
    page(app, "children-deleted").await?;
    let row = by_id(app, "deleted-row", twice).await?;
    let text = row.text().await?;
    ensure!(
        text.contains(NAME) && text.contains(reason) && text.contains("08/03/2016"),
        "the deleted record with its date of birth and reason: {text}"
    );
    let restore = row
        .find(Locator::Css("[data-testid=\"deleted-restore\"]"))
        .await?;
    restore.click().await?;
    profile_of(app, twice, NAME).await?;
    ensure!(
        office.deleted()?.is_empty(),
        "nothing is left among the deleted"
    );
    app.click("nav-children").await?;
    page(app, "children").await?;
    app.type_into("children-search", SEARCH).await?;
    wait_attr(app, "children-total", "data-total", "2").await?;

    // A child with a case: the action is disabled and says why.
    open_from_search(app, "vang a su", 1, with_case, WITH_CASE).await?;
    let action = app.el("profile-delete").await?;
    ensure!(
        !action.is_enabled().await?,
        "Xóa hồ sơ is disabled for a child with a case"
    );
    let why = app.text("profile-delete-blocked").await?;
    ensure!(
        why.contains("đã có 1 vụ việc"),
        "says the child has a case: {why}"
    );
    Ok(())
}

/// The element with `testid` whose `data-id` is `id`, waiting for it.
async fn by_id(app: &App, testid: &str, id: &str) -> Result<Element> {
    app.client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&format!(
            "[data-testid=\"{testid}\"][data-id=\"{id}\"]"
        )))
        .await
        .with_context(|| format!("[{testid}] of {id} never appeared"))
}

/// Searches the children list for `text`, expects `total` matches and opens the child `id`,
/// named `name`.
pub(super) async fn open_from_search(
    app: &App,
    text: &str,
    total: usize,
    id: &str,
    name: &str,
) -> Result<()> {
    app.click("nav-children").await?;
    page(app, "children").await?;
    app.type_into("children-search", text).await?;
    wait_attr(app, "children-total", "data-total", &total.to_string()).await?;
    page(app, "children").await?;
    by_id(app, "children-row", id).await?.click().await?;
    profile_of(app, id, name).await
}

/// Waits for the profile of the child `id`, showing `name`.
pub(super) async fn profile_of(app: &App, id: &str, name: &str) -> Result<()> {
    page(app, "child-profile").await?;
    let url = app.client.current_url().await?;
    ensure!(
        url.path() == format!("/children/{id}"),
        "the profile of {id} is open: {url}"
    );
    app.wait_text("profile-name", "the name", |t| t == name)
        .await?;
    Ok(())
}

/// After a deletion: the children list, saying which record was deleted.
async fn deleted_notice(app: &App) -> Result<()> {
    page(app, "children").await?;
    let notice = app
        .wait_text("child-deleted-notice", "the notice", |t| !t.is_empty())
        .await?;
    ensure!(
        notice.contains(&format!("Đã xóa hồ sơ «{NAME}».")) && notice.contains("Hoàn tác"),
        "names the record and offers to undo: {notice}"
    );
    Ok(())
}

/// The deleted record is out of the list: its name finds only the record kept.
async fn only_the_kept_one(app: &App, kept: &str) -> Result<()> {
    app.type_into("children-search", SEARCH).await?;
    wait_attr(app, "children-total", "data-total", "1").await?;
    page(app, "children").await?;
    let rows = app.all("children-row").await?;
    ensure!(rows.len() == 1, "one row: {}", rows.len());
    let id = rows[0].attr("data-id").await?;
    ensure!(
        id.as_deref() == Some(kept),
        "the row left is the record kept ({kept}), not {id:?}"
    );
    Ok(())
}
