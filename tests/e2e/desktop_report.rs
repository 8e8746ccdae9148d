//! The Báo cáo screen in the officer's day (issue 11): this month's report shows the same
//! figures as `bvte report` on the same database, saved as a spreadsheet and a PDF it names no
//! child, a record to fix opens from its link, and coming back shows the report again. Screenshot for the README.

use super::{attr, choose, page, pdf_text, shots};
use anyhow::{Context, Result, ensure};
use bvte_e2e::{App, bvte};
use chrono::{Datelike, Duration, Utc};

/// A count shown on the screen (`data-count` of the row `testid`).
async fn shown(app: &App, testid: &str) -> Result<u64> {
    attr(app, testid, "data-count")
        .await?
        .with_context(|| format!("{testid} has no data-count"))?
        .parse()
        .with_context(|| format!("{testid}'s count"))
}

/// From anywhere while unlocked: makes this month's report and checks it against the CLI's.
pub async fn report_screen(
    app: &App,
    db: &std::path::Path,
    pass: &str,
    export: &std::path::Path,
    child: &str,
) -> Result<()> {
    app.click("nav-reports").await?;
    app.el("page-reports").await?;
    choose(app, "report-field-report_kind", "month").await?;
    app.click("report-make").await?;
    page(app, "reports").await?;

    let vn = Utc::now() + Duration::hours(7);
    let first = format!("01/{:02}/{}", vn.month(), vn.year());
    let today = vn.format("%d/%m/%Y").to_string();
    ensure!(
        attr(app, "report-result", "data-to").await?.as_deref()
            == Some(vn.format("%Y-%m-%d").to_string().as_str()),
        "this month's report ends today"
    );
    let cli: serde_json::Value = serde_json::from_str(&bvte(
        db,
        pass,
        &[
            "report", "--from", &first, "--to", &today, "--format", "json",
        ],
        None,
    )?)?;
    for (testid, key) in [
        ("report-children-total", "/children/total"),
        ("report-children-disabled", "/children/disabled"),
        ("report-cases-received", "/cases/received"),
        ("report-cases-open_at_end", "/cases/open_at_end"),
    ] {
        let want = cli.pointer(key).and_then(|v| v.as_u64());
        let got = shown(app, testid).await?;
        ensure!(
            Some(got) == want,
            "{testid} shows {got}, `bvte report` says {want:?}"
        );
    }
    ensure!(
        shown(app, "report-cases-received").await? >= 1,
        "the case opened today is counted"
    );
    let gaps = cli["completeness"].as_array().map_or(0, Vec::len);
    ensure!(
        attr(app, "report-gaps", "data-count").await?.as_deref() == Some(gaps.to_string().as_str()),
        "as many records to fix as `bvte report` lists ({gaps})"
    );
    let note = app.text("report-note").await?;
    ensure!(
        note.contains("tạm thời"),
        "the layout says it is provisional: {note}"
    );
    app.screenshot(&shots(), "18-report").await?;

    // Saved as a spreadsheet and as a PDF into the forms folder, owner-only, naming no child.
    for (button, ext) in [("report-save-xlsx", "xlsx"), ("report-save-pdf", "pdf")] {
        app.click(button).await?;
        let path = app
            .wait_text("report-saved", "the saved report's path", |t| {
                t.contains(ext)
            })
            .await?;
        let file = attr(app, "report-saved", "data-path")
            .await?
            .with_context(|| format!("no path after {button}: {path}"))?;
        let file = std::path::PathBuf::from(file);
        ensure!(
            file.starts_with(export),
            "{} is in {}",
            file.display(),
            export.display()
        );
        let bytes = std::fs::read(&file)?;
        let magic: &[u8] = if ext == "pdf" { b"%PDF" } else { b"PK" };
        ensure!(
            bytes.starts_with(magic),
            "{} is a real {ext}",
            file.display()
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)?.permissions().mode();
        ensure!(
            mode & 0o077 == 0,
            "{} is owner-only ({mode:o})",
            file.display()
        );
        if ext == "pdf" {
            let text = pdf_text(&file)?;
            ensure!(text.contains("Thạch Thất"), "the commune is named: {text}");
            ensure!(!text.contains(child), "no child's name in the report");
        }
    }

    // A record to fix opens from its link; coming back shows the same period again.
    if gaps > 0 {
        let link = app
            .client
            .find(fantoccini::Locator::Css("[data-testid=\"report-gap\"] a"))
            .await?;
        let href = link.attr("href").await?.unwrap_or_default();
        link.click().await?;
        let target = if href.starts_with("/cases/") {
            "case"
        } else {
            "child-profile"
        };
        app.el(&format!("page-{target}")).await?;
        app.click("nav-reports").await?;
        page(app, "reports").await?;
        ensure!(
            attr(app, "report-result", "data-to").await?.is_some(),
            "the report is shown again without choosing the period again"
        );
    }
    Ok(())
}
