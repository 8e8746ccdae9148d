//! The area dashboard in headless Chromium (issue 11): two communes sync through a real
//! `bvte-server`; a supervisor added with `bvte-server user add` is refused with a wrong
//! password, signs in, sees both communes and the area's figures, finds an overdue case listed
//! by its code with no name, switches to English, downloads the area report as XLSX whose
//! figures (read back with calamine) equal `bvte-server report --format json`, and signs out.
//! No page ever holds a child's or a reporter's name from the synced data. Then an
//! administrator registers a third commune and makes a one-time enrollment code in the browser,
//! a new PC of a commune enrolls with it and syncs, the devices page lists it; the supervisor
//! sets a reporting deadline and sees which commune has not synced data covering the period.
//! Screenshots for the README.

use anyhow::{Context, Result, bail, ensure};
use bvte_e2e::browser::Browser;
use bvte_e2e::device::Device;
use bvte_e2e::root;
use bvte_e2e::server::{Server, server_bin};
use calamine::{Data, Reader, Xlsx};
use fantoccini::{Client, Locator};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

const XA: &str = "09955";
const XA_KHAC: &str = "00004";
const USER: &str = "giam.sat";
const PASSWORD: &str = "mật khẩu giám sát khu vực";
const ADMIN: &str = "quan.tri";
const ADMIN_PASSWORD: &str = "mật khẩu quản trị khu vực";
/// A commune registered in the browser, with no PC yet.
const XA_MOI: &str = "00008";

/// Every name in a commune's export: the children's and anyone else's (carers, reporters).
fn names(export: &Value, key: &str, out: &mut BTreeSet<String>) {
    match export {
        Value::Object(m) => {
            for (k, v) in m {
                names(v, k, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| names(v, key, out)),
        Value::String(s)
            if (key.contains("name") || key.contains("reporter")) && s.contains(' ') =>
        {
            out.insert(s.clone());
        }
        _ => {}
    }
}

/// Fails if the page's HTML holds any of the names.
async fn no_names(c: &Client, names: &BTreeSet<String>, page: &str) -> Result<()> {
    let html = c.source().await?;
    if let Some(n) = names.iter().find(|n| html.contains(n.as_str())) {
        bail!("the {page} page shows the name {n:?}");
    }
    Ok(())
}

async fn screenshot(c: &Client, name: &str) -> Result<()> {
    let dir = root().join("docs/screenshots");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(format!("{name}.png")), c.screenshot().await?)?;
    Ok(())
}

async fn sign_in(c: &Client, password: &str) -> Result<()> {
    sign_in_as(c, USER, password).await
}

async fn sign_in_as(c: &Client, user: &str, password: &str) -> Result<()> {
    c.find(Locator::Id("name")).await?.send_keys(user).await?;
    c.find(Locator::Id("password"))
        .await?
        .send_keys(password)
        .await?;
    c.find(Locator::Id("submit")).await?.click().await?;
    Ok(())
}

/// Today in Vietnam.
fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// The figure at a key path of the report's JSON (indicators by their code), if a number.
fn figure(report: &Value, key: &str) -> Option<f64> {
    let mut cur = report;
    for seg in key.split('.') {
        cur = match cur {
            Value::Object(m) => m.get(seg)?,
            Value::Array(items) => items.iter().find(|i| i["code"] == seg)?,
            _ => return None,
        };
    }
    cur.as_u64().map(|n| n as f64)
}

/// Compares every single-figure row of every sheet (its key in the last column) with the
/// report; returns how many were compared.
fn compare(xlsx: &Path, report: &Value) -> Result<usize> {
    let mut book: Xlsx<_> = calamine::open_workbook(xlsx).context("open the XLSX")?;
    let mut compared = 0;
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet)?;
        for row in range.rows() {
            let Some(Data::String(key)) = row.iter().rev().find(|d| !matches!(d, Data::Empty))
            else {
                continue;
            };
            let values: Vec<f64> = row
                .iter()
                .filter_map(|d| match d {
                    Data::Float(f) => Some(*f),
                    Data::Int(i) => Some(*i as f64),
                    _ => None,
                })
                .collect();
            if let (Some(want), [got]) = (figure(report, key), values.as_slice()) {
                ensure!(
                    *got == want,
                    "{sheet} {key}: the file says {got}, the server's JSON {want}"
                );
                compared += 1;
            }
        }
    }
    Ok(compared)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_supervisor_sees_the_area_without_names_and_downloads_its_report() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::init_with(dir.path(), &[XA, XA_KHAC], &["--area", "Cụm xã thử"])?;
    server.start()?;
    let (url, fp) = (server.url(), server.fingerprint.clone());
    let a = Device::init(dir.path(), "xa-a", XA)?;
    let b = Device::init(dir.path(), "xa-b", XA_KHAC)?;
    a.enroll(&url, &server.enroll_code(XA)?, &fp)?;
    b.enroll(&url, &server.enroll_code(XA_KHAC)?, &fp)?;
    a.ok(&["demo", "--children", "40", "--seed", "3"], None)?;
    b.ok(&["demo", "--children", "30", "--seed", "4"], None)?;
    a.sync().map_err(anyhow::Error::msg)?;
    b.sync().map_err(anyhow::Error::msg)?;
    let mut all_names = BTreeSet::new();
    for d in [&a, &b] {
        names(&d.json(&["export", "--json"], None)?, "", &mut all_names);
    }
    ensure!(
        all_names.len() > 50,
        "the demo data has names: {}",
        all_names.len()
    );
    for (name, role, password) in [
        (USER, "supervisor", PASSWORD),
        (ADMIN, "admin", ADMIN_PASSWORD),
    ] {
        let added = std::process::Command::new(server_bin())
            .args(["user", "add", "--name", name, "--role", role, "--data"])
            .arg(server.data())
            .env("BVTE_USER_PASSWORD", password)
            .output()?;
        ensure!(added.status.success(), "user add: {added:?}");
    }

    let browser = Browser::start(dir.path()).await?;
    let c = &browser.client;
    c.goto(&format!("{url}/")).await?;
    ensure!(
        c.current_url().await?.path() == "/sign-in",
        "sent to sign in first"
    );
    screenshot(c, "30-dashboard-sign-in").await?;
    sign_in(c, "không phải mật khẩu này").await?;
    let refused = c
        .wait()
        .for_element(Locator::Id("message"))
        .await?
        .text()
        .await?;
    ensure!(
        refused.contains("không đúng"),
        "wrong password refused: {refused}"
    );
    sign_in(c, PASSWORD).await?;

    // The overview: both communes, the area's name, no name of a child or reporter.
    let table = c.wait().for_element(Locator::Id("communes")).await?;
    let mut shown = Vec::new();
    for row in table.find_all(Locator::Css("tbody tr")).await? {
        shown.push(row.attr("data-commune").await?.unwrap_or_default());
    }
    ensure!(shown == [XA_KHAC, XA], "both communes listed: {shown:?}");
    ensure!(c.source().await?.contains("Cụm xã thử"), "the area's name");
    no_names(c, &all_names, "overview").await?;
    screenshot(c, "31-dashboard-overview").await?;

    // Overdue cases across the communes, by code.
    let from = format!("01/01/{}", today().format("%Y"));
    let to = today().format("%d/%m/%Y").to_string();
    let report: Value = serde_json::from_str(
        &server.admin(&["report", "--from", &from, "--to", &to, "--format", "json"])?,
    )?;
    let late: BTreeSet<&str> = report["completeness"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|g| g["kind"] == "case_overdue")
        .filter_map(|g| g["id"].as_str())
        .collect();
    ensure!(!late.is_empty(), "the demo data has overdue cases");
    c.find(Locator::Css("nav a[href^='/overdue']"))
        .await?
        .click()
        .await?;
    let overdue = c.wait().for_element(Locator::Id("overdue")).await?;
    let mut listed = BTreeSet::new();
    for cell in overdue.find_all(Locator::Css("td.case")).await? {
        listed.insert(cell.text().await?);
    }
    let listed: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
    ensure!(
        listed == late,
        "the overdue cases listed are the report's: {listed:?} vs {late:?}"
    );
    no_names(c, &all_names, "overdue").await?;
    screenshot(c, "32-dashboard-overdue").await?;

    // English, then back to Vietnamese.
    c.find(Locator::Css("a.lang")).await?.click().await?;
    c.wait()
        .for_element(Locator::XPath("//h1[text()='Overdue cases']"))
        .await?;
    no_names(c, &all_names, "English overdue").await?;
    c.find(Locator::Css("nav a[href^='/?']"))
        .await?
        .click()
        .await?;
    c.wait()
        .for_element(Locator::XPath("//h2[text()='Area totals']"))
        .await?;
    no_names(c, &all_names, "English overview").await?;
    c.find(Locator::Css("a.lang")).await?.click().await?;
    c.wait()
        .for_element(Locator::XPath("//h2[text()='Số liệu toàn địa bàn']"))
        .await?;

    // The area report as XLSX: the same figures as the server's JSON.
    c.wait()
        .for_element(Locator::Id("download-xlsx"))
        .await?
        .click()
        .await?;
    let downloads = dir.path().join("downloads");
    let start = Instant::now();
    let file = loop {
        let done = std::fs::read_dir(&downloads)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e == "xlsx"));
        if let Some(f) = done {
            break f;
        }
        ensure!(
            start.elapsed() < Duration::from_secs(30),
            "the XLSX never arrived"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let name = file
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    ensure!(name.starts_with("bao-cao-khu-vuc-"), "{name}");
    let compared = compare(&file, &report)?;
    ensure!(compared >= 20, "only {compared} figures compared");
    ensure!(
        figure(&report, "children.total") >= Some(70.0),
        "both communes' children are counted"
    );

    // Signing out ends the session.
    c.find(Locator::Id("sign-out")).await?.click().await?;
    c.wait().for_element(Locator::Id("password")).await?;
    c.goto(&format!("{url}/overdue")).await?;
    ensure!(c.current_url().await?.path() == "/sign-in", "signed out");
    administer_and_set_a_deadline(c, dir.path(), &url, &fp, &all_names).await?;
    browser.close().await?;
    Ok(())
}

/// The rows' `attr` values of a table or list.
async fn rows(c: &Client, css: &str, attr: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for row in c.find_all(Locator::Css(css)).await? {
        out.push(row.attr(attr).await?.unwrap_or_default());
    }
    Ok(out)
}

/// The administrator's pages, then the supervisor's reporting deadline (issue 11).
async fn administer_and_set_a_deadline(
    c: &Client,
    dir: &Path,
    url: &str,
    fp: &str,
    all_names: &BTreeSet<String>,
) -> Result<()> {
    // A supervisor is refused the administration pages.
    c.goto(&format!("{url}/sign-in")).await?;
    sign_in(c, PASSWORD).await?;
    c.wait().for_element(Locator::Id("communes")).await?;
    c.goto(&format!("{url}/admin/codes")).await?;
    let refused = c.find(Locator::Css("p.message")).await?.text().await?;
    ensure!(
        refused.contains("quản trị"),
        "a supervisor is refused: {refused}"
    );
    c.find(Locator::Id("sign-out")).await?.click().await?;
    c.wait().for_element(Locator::Id("password")).await?;

    // The administrator registers a commune and makes a one-time code for another one.
    sign_in_as(c, ADMIN, ADMIN_PASSWORD).await?;
    c.wait().for_element(Locator::Id("communes")).await?;
    c.find(Locator::Css("nav a[href='/admin/communes']"))
        .await?
        .click()
        .await?;
    c.wait()
        .for_element(Locator::Id("commune-code"))
        .await?
        .send_keys(XA_MOI)
        .await?;
    c.find(Locator::Css("#add-commune button"))
        .await?
        .click()
        .await?;
    let notice = c
        .wait()
        .for_element(Locator::Id("notice"))
        .await?
        .text()
        .await?;
    ensure!(notice.contains(XA_MOI), "registered: {notice}");
    let listed = rows(c, "#admin-communes tbody tr", "data-commune").await?;
    ensure!(
        listed == [XA_KHAC, XA_MOI, XA],
        "three communes: {listed:?}"
    );

    c.find(Locator::Css("nav a[href='/admin/codes']"))
        .await?
        .click()
        .await?;
    c.wait()
        .for_element(Locator::Css(&format!(
            "#code-commune option[value='{XA_KHAC}']"
        )))
        .await?
        .click()
        .await?;
    c.find(Locator::Id("issue")).await?.click().await?;
    let code = c
        .wait()
        .for_element(Locator::Id("one-time-code"))
        .await?
        .text()
        .await?;
    screenshot(c, "33-dashboard-enrollment-code").await?;

    // A second PC of that commune enrolls with it, as the officer would, and syncs.
    let pc = Device::init(dir, "xa-b-may-2", XA_KHAC)?;
    pc.enroll(url, code.trim(), fp)?;
    pc.sync().map_err(anyhow::Error::msg)?;
    c.goto(&format!("{url}/admin/codes")).await?;
    let page = c.source().await?;
    ensure!(!page.contains(code.trim()), "the code is shown once only");
    ensure!(page.contains("Đã dùng"), "the code is marked used");

    c.find(Locator::Css("nav a[href='/admin/devices']"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Id("devices")).await?;
    let mut communes = Vec::new();
    for row in c.find_all(Locator::Css("#devices tbody tr")).await? {
        communes.push(
            row.find(Locator::Css("td:nth-child(2) .code"))
                .await?
                .text()
                .await?,
        );
    }
    ensure!(
        communes.iter().filter(|x| *x == XA_KHAC).count() == 2 && communes.len() == 3,
        "the new PC is listed with its commune: {communes:?}"
    );
    no_names(c, all_names, "devices").await?;
    screenshot(c, "34-dashboard-devices").await?;
    c.find(Locator::Id("sign-out")).await?.click().await?;
    c.wait().for_element(Locator::Id("password")).await?;

    // The supervisor sets a reporting period that ended yesterday, due in five days.
    sign_in(c, PASSWORD).await?;
    c.wait().for_element(Locator::Id("deadline-form")).await?;
    let yesterday = today() - chrono::Duration::days(1);
    let due = today() + chrono::Duration::days(5);
    let title = format!("Báo cáo từ đầu năm {}", yesterday.format("%Y"));
    for (id, value) in [
        ("deadline-title-input", title.clone()),
        ("deadline-from", format!("01/01/{}", yesterday.format("%Y"))),
        ("deadline-to", yesterday.format("%d/%m/%Y").to_string()),
        ("deadline-due", due.format("%d/%m/%Y").to_string()),
    ] {
        let input = c.find(Locator::Id(id)).await?;
        input.clear().await?;
        input.send_keys(&value).await?;
    }
    c.find(Locator::Id("set-deadline")).await?.click().await?;
    let shown = c
        .wait()
        .for_element(Locator::Id("deadline-title"))
        .await?
        .text()
        .await?;
    ensure!(shown == title, "the deadline is shown: {shown}");
    let left = c.find(Locator::Id("days-left")).await?.text().await?;
    ensure!(left == "Còn 5 ngày", "days left: {left}");
    let count = c.find(Locator::Id("coverage-count")).await?.text().await?;
    ensure!(
        count.ends_with("2/3"),
        "two of three communes covered: {count}"
    );
    let missing = rows(c, "#missing-communes li", "data-commune").await?;
    ensure!(
        missing == [XA_MOI],
        "the commune without a PC is missing: {missing:?}"
    );
    no_names(c, all_names, "overview with the deadline").await?;
    screenshot(c, "35-dashboard-deadline").await?;
    Ok(())
}
