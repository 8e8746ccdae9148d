//! The window at the smallest size it allows, 1024×640 (issue 16, items 3 and 5), as an officer
//! with a small office screen sees it: the menu on one line, the top bar never scrolled away, the
//! "bắt buộc" badge clear of the step form, and a recorded step's details readable. Screenshots
//! at this size go to docs/screenshots/ next to the 1280×800 ones.

use super::{page, shots};
use anyhow::{Result, ensure};
use bvte_e2e::App;
use serde_json::json;

/// The size `tauri.conf.json` allows at least, and the size the other screenshots use.
pub const SMALL: (u32, u32) = (1024, 640);
pub const USUAL: (u32, u32) = (1280, 800);

/// Resizes the window, as an officer dragging its corner would, and waits for the page to be
/// laid out at the new size.
pub async fn resize(app: &App, (w, h): (u32, u32)) -> Result<()> {
    app.client.set_window_rect(0, 0, w, h).await?;
    let start = std::time::Instant::now();
    loop {
        let got = app
            .client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await?;
        if got == json!([w, h]) {
            return Ok(());
        }
        ensure!(
            start.elapsed() < bvte_e2e::WAIT,
            "the window never became {w}×{h}: the page is {got}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Runs a script that answers a number.
async fn number(app: &App, script: &str, args: Vec<serde_json::Value>) -> Result<f64> {
    let v = app.client.execute(script, args).await?;
    v.as_f64()
        .ok_or_else(|| anyhow::anyhow!("expected a number, got {v}"))
}

/// How many text lines tall the text of `testid` is drawn (1.0–1.6 on one line, about 2.4 or
/// more when it wraps).
async fn text_lines(app: &App, testid: &str) -> Result<f64> {
    number(
        app,
        "const el = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);
         const r = document.createRange();
         r.selectNodeContents(el);
         const rs = [...r.getClientRects()].filter((x) => x.width > 0);
         const top = Math.min(...rs.map((x) => x.top));
         const bottom = Math.max(...rs.map((x) => x.bottom));
         return (bottom - top) / parseFloat(getComputedStyle(el).fontSize);",
        vec![json!(testid)],
    )
    .await
}

/// Where the top bar's top edge is (0 when it is in view).
async fn header_top(app: &App) -> Result<f64> {
    number(
        app,
        "return document.querySelector('header.app-header').getBoundingClientRect().top;",
        vec![],
    )
    .await
}

/// The menu's six labels each on one line (issue 16 item 5: "Tổng / quan" wrapped).
pub async fn menu_on_one_line(app: &App) -> Result<()> {
    for id in [
        "nav-overview",
        "nav-children",
        "nav-cases",
        "nav-reports",
        "nav-sync",
        "nav-settings",
    ] {
        let lines = text_lines(app, id).await?;
        ensure!(
            lines < 1.8,
            "[{id}] fits on one line at 1024×640 ({lines:.1} lines tall)"
        );
    }
    Ok(())
}

/// A recorded step opened from the timeline shows its answers in columns wide enough to read
/// (issue 16 item 3: about 50 px, one word per line).
pub async fn step_details_readable(app: &App, step: &str) -> Result<()> {
    let summary = app
        .client
        .find(fantoccini::Locator::Css(&format!(
            "[data-testid=\"case-step\"][data-step=\"{step}\"] summary"
        )))
        .await?;
    app.client
        .execute(
            "arguments[0].scrollIntoView({ block: 'center' });",
            vec![serde_json::to_value(&summary)?],
        )
        .await?;
    summary.click().await?;
    let narrowest = number(
        app,
        "const dds = [...document.querySelectorAll(
             `[data-testid=\"case-step\"][data-step=\"${arguments[0]}\"] .step-data dd`)];
         return dds.length ? Math.min(...dds.map((d) => d.getBoundingClientRect().width)) : -1;",
        vec![json!(step)],
    )
    .await?;
    ensure!(
        narrowest >= 200.0,
        "the {step} step's answers are at least 200 px wide (narrowest: {narrowest} px)"
    );
    summary.click().await?;
    Ok(())
}

/// On an assessed case at 1024×640: its details, then following a "Bước tiếp theo" link keeps
/// the top bar in view and the "bắt buộc" badge clear of the form it opens.
pub async fn case_at_small_size(app: &App, next: &str) -> Result<()> {
    resize(app, SMALL).await?;
    page(app, "case").await?;
    menu_on_one_line(app).await?;
    step_details_readable(app, "initial_assessment").await?;
    app.screenshot(&shots(), "15-case-1024").await?;
    app.click(&format!("case-next-step-{next}")).await?;
    app.el("step-form").await?;
    let top = header_top(app).await?;
    ensure!(
        top.abs() < 0.5,
        "the top bar stays in view after following a next step (its top is at {top} px)"
    );
    let overlap = number(
        app,
        "const form = document.querySelector('[data-testid=\"step-form\"]').getBoundingClientRect();
         let worst = 0;
         for (const t of document.querySelectorAll('.next-list .tag')) {
           const r = t.getBoundingClientRect();
           const w = Math.min(r.right, form.right) - Math.max(r.left, form.left);
           const h = Math.min(r.bottom, form.bottom) - Math.max(r.top, form.top);
           if (w > 0 && h > 0) worst = Math.max(worst, w * h);
         }
         return worst;",
        vec![],
    )
    .await?;
    ensure!(
        overlap == 0.0,
        "no \"bắt buộc\" badge is drawn over the step form ({overlap} px² covered)"
    );
    app.screenshot(&shots(), "16-step-1024").await?;
    app.click("step-cancel").await?;
    resize(app, USUAL).await
}

/// The overview at 1024×640: the menu on one line, and a screenshot.
pub async fn overview_at_small_size(app: &App) -> Result<()> {
    resize(app, SMALL).await?;
    page(app, "overview").await?;
    menu_on_one_line(app).await?;
    app.screenshot(&shots(), "17-overview-1024").await?;
    resize(app, USUAL).await
}
