//! The same case continued on the English screen (issue 16 item 2): the detailed assessment
//! (Mẫu 03) recorded in English shows its criteria in English, and the printed Mẫu 03 carries
//! each answer on the form's own numbered Vietnamese row, never an English row.

use super::{choose, page, pdf_text, preview_pages, save, wait_attr};
use anyhow::{Result, ensure};
use bvte_e2e::App;

/// From anywhere with the English screen on: opens the case, records Mẫu 03 and saves it.
pub async fn detailed_assessment_in_english(app: &App, export: &std::path::Path) -> Result<()> {
    app.click("nav-cases").await?;
    page(app, "cases").await?;
    app.client
        .find(fantoccini::Locator::Css("[data-testid=\"case-row\"] a"))
        .await?
        .click()
        .await?;
    page(app, "case").await?;
    choose(app, "step-kind-select", "detailed_assessment").await?;
    let first = app
        .el("step-field-data.criteria[0].criterion")
        .await?
        .text()
        .await?;
    ensure!(
        first.trim() == "Harm to the child",
        "the English screen shows row 1 in English: {first:?}"
    );
    app.click("step-field-data.criteria[0].level-high").await?;
    app.click("step-field-data.criteria[1].level-high").await?;
    app.click("step-field-data.criteria[2].level-medium")
        .await?;
    app.type_into("step-field-data.criteria[0].note", "Vết bầm cũ ở lưng")
        .await?;
    app.type_into(
        "step-field-data.condition",
        "Sợ hãi, ít nói; vết bầm đang lành.",
    )
    .await?;
    app.click("step-field-data.plan_needed").await?;
    app.click("step-submit").await?;
    wait_attr(app, "case-stage", "data-stage", "planning").await?;

    app.click("case-print").await?;
    page(app, "print").await?;
    app.click("print-form-option-03").await?;
    wait_attr(app, "print-selected", "data-form", "03").await?;
    preview_pages(app).await?;
    let saved = save(app, export).await?;
    let flat = pdf_text(&saved)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    ensure!(
        !flat.contains("Harm to the child") && !flat.contains("abuser's access"),
        "no English criterion is printed on the Vietnamese form"
    );
    ensure!(
        flat.contains("1. Mức độ tổn hại của trẻ em Ghi chú: Vết bầm cũ ở lưng"),
        "row 1 of Mẫu 03 carries the note typed for it on the English screen: {flat}"
    );
    ensure!(
        flat.contains("Sợ hãi, ít nói; vết bầm đang lành."),
        "the condition recorded is printed"
    );
    Ok(())
}
