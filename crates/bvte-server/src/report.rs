//! `bvte-server report`: a commune's report, or the area's, from the records the server holds
//! (`crate::records`), computed by `bvte-report` exactly as a commune's own PC computes it
//! (issue 11). Everything typed is checked before anything is read or written.
//!
//! **The area report** is computed over the records of every registered commune at once. Every
//! figure counts children or their cases, and each child (with its cases and their steps)
//! belongs to exactly one commune, so it equals the sum of the communes' reports (tested);
//! its `commune_code` is empty.

use crate::cli::ReportArgs;
use crate::clock::now_ms;
use crate::commands::check_commune;
use crate::commands::{CmdResult, open};
use crate::error::CliError;
use crate::report_cache::{Inputs, ReportCache};
use crate::storage::RecordRow;
use bvte_domain::case::Case;
use bvte_domain::child::Child;
use bvte_domain::event::CaseEvent;
use bvte_domain::time::{from_unix_millis, parse_date};
use bvte_domain::{CaseId, ChildId, Instant};
use bvte_protocol::Entity;
use bvte_report::{Issuer, Layout, Period, Records, Report, ReportInput};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// A stored record as a report reads it: its fields as the domain's type, and its times. The
/// fields' heads and the sequence numbers kept for merging are skipped unread.
#[derive(Deserialize)]
struct Fields<T> {
    fields: T,
    #[serde(default)]
    created_ms: u64,
    #[serde(default)]
    updated_ms: u64,
}

/// The domain records of stored rows: children in the register (a deleted child without a
/// case is not), cases and steps. Returns them with the number of records that could not be
/// read (none unless the database was damaged: the server checks every change it stores).
pub fn domain_records(rows: &[RecordRow]) -> (Vec<Child>, Vec<Case>, Vec<CaseEvent>, usize) {
    let (mut children, mut cases, mut events) = (Vec::new(), Vec::new(), Vec::new());
    let time = |ms: u64| -> Instant { from_unix_millis(ms).unwrap_or_default() };
    let mut unreadable = 0;
    for row in rows {
        let ok = match row.entity {
            Entity::Child => parse(&row.state).map(|f: Fields<_>| {
                children.push((
                    row.deleted,
                    Child {
                        id: ChildId(row.id),
                        data: f.fields,
                        created_at: time(f.created_ms),
                        updated_at: time(f.updated_ms),
                    },
                ));
            }),
            Entity::Case => parse(&row.state).map(|f: Fields<_>| {
                cases.push(Case {
                    id: CaseId(row.id),
                    data: f.fields,
                    created_at: time(f.created_ms),
                });
            }),
            Entity::CaseEvent => parse(&row.state).map(|f: Fields<_>| events.push(f.fields)),
        };
        if ok.is_none() {
            unreadable += 1;
        }
    }
    // A case keeps its child in the register (as on a PC: `bvte-store`'s deletion rule).
    let with_case: HashSet<ChildId> = cases.iter().map(|c| c.data.child_id).collect();
    let children = children
        .into_iter()
        .filter(|(deleted, c)| !deleted || with_case.contains(&c.id))
        .map(|(_, c)| c)
        .collect();
    (children, cases, events, unreadable)
}

fn parse<T: DeserializeOwned>(state: &str) -> Option<Fields<T>> {
    serde_json::from_str(state).ok()
}

/// The report input of `commune` from its stored rows, with the number of records that could
/// not be read.
pub fn commune_input(rows: &[RecordRow], commune: &str) -> (ReportInput, usize) {
    let (children, cases, events, unreadable) = domain_records(rows);
    let records = Records {
        children: &children,
        cases: &cases,
        events: &events,
    };
    (records.commune_input(commune), unreadable)
}

/// The area's report and each commune's (the dashboard), the communes' on as many threads as
/// the machine has cores.
pub fn build_all(inputs: &Inputs, period: &Period, now: Instant) -> (Report, Vec<Report>) {
    let cal = bvte_domain::reference::calendar();
    let one = |input: &ReportInput| bvte_report::build(input, period, cal, now);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = inputs.communes.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let workers: Vec<_> = inputs
            .communes
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|(_, i)| one(i)).collect::<Vec<_>>()))
            .collect();
        let area = bvte_report::build_joined("", &inputs.parts(), period, cal, now);
        let communes = workers
            .into_iter()
            // A figure that panicked is not silently left out: the page fails instead.
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        (area, communes)
    })
}

/// The file formats a report is written in besides JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// An XLSX workbook, one sheet per table (`bvte-sheet`).
    Xlsx,
    /// A PDF in the Decree 30/2020 layout (`bvte-forms`).
    Pdf,
}

/// Who a report from the server is from: the commune (its official name) or the area (its
/// name, when named), and who made it.
pub fn issuer(area: Option<&str>, commune: Option<&str>, officer: &str) -> Issuer {
    let name = match commune {
        Some(code) => match bvte_domain::reference::units().lookup(code) {
            bvte_domain::units::CommuneLookup::Current(c) => c.full_name(),
            _ => format!("Xã {code}"),
        },
        None => area.unwrap_or("Địa bàn máy chủ BVTE").to_owned(),
    };
    Issuer {
        issuing_body: name.to_uppercase(),
        commune_name: name,
        place: String::new(),
        officer: officer.to_owned(),
    }
}

/// A computed report as a file, laid out by the shipped layout, as the commune's PC lays it out
/// (`bvte_core::report::render_report`, which the server does not depend on).
///
/// Errors: the layout lacks a figure (not expected of the shipped one); the writer fails.
pub fn render(report: &Report, issuer: Issuer, format: FileFormat) -> Result<Vec<u8>, CliError> {
    let fail = |vi: String, en: String| CliError::Files { vi, en };
    let doc = Layout::embedded()
        .document(report, issuer)
        .map_err(|e| fail(format!("Mẫu báo cáo lỗi: {}", e.vi), e.en))?;
    match format {
        FileFormat::Xlsx => {
            bvte_sheet::report_xlsx(report, &doc).map_err(|e| fail(e.to_string(), e.message_en()))
        }
        FileFormat::Pdf => bvte_forms::report_pdf::render(report, &doc)
            .map_err(|e| fail(format!("Không tạo được tệp PDF: {e}"), e.message_en())),
    }
}

/// `report`.
pub fn run(a: &ReportArgs) -> CmdResult {
    let file_format = match a.format.as_str() {
        "xlsx" => Some(FileFormat::Xlsx),
        "pdf" => Some(FileFormat::Pdf),
        _ => None,
    };
    let to_screen = a.out.as_deref().is_none_or(|p| p == Path::new("-"));
    if file_format.is_some() && to_screen {
        return Err(CliError::input(
            format!(
                "Báo cáo dạng {} là tệp nhị phân: hãy cho tên tệp bằng --out TỆP.",
                a.format
            ),
            format!("a {} report is a binary file: give --out FILE", a.format),
        ));
    }
    let bad = |e: bvte_domain::ValidationError| CliError::input(e.message_vi(), e.message_en());
    let from = parse_date("period_from", &a.from).map_err(bad)?;
    let to = parse_date("period_to", &a.to).map_err(bad)?;
    let now = from_unix_millis(now_ms()).unwrap_or_default();
    let period = Period::new(from, to, now).map_err(bad)?;
    if let Some(code) = &a.commune {
        check_commune(code)?;
    }
    let storage = open(&a.common)?;
    let all: BTreeSet<String> = storage.communes()?.into_iter().map(|c| c.code).collect();
    if let Some(code) = a.commune.as_ref().filter(|c| !all.contains(*c)) {
        return Err(CliError::input(
            format!(
                "Xã {code} không thuộc địa bàn máy chủ này (chưa đăng ký): xem danh sách bằng `bvte-server commune list`."
            ),
            format!(
                "commune {code} is not served here (not registered): see `bvte-server commune list`"
            ),
        ));
    }
    let wanted: BTreeSet<String> = match &a.commune {
        Some(code) => BTreeSet::from([code.clone()]),
        None => all,
    };
    let inputs = ReportCache::default().inputs(storage.as_ref(), &wanted)?;
    let cal = bvte_domain::reference::calendar();
    let label = a.commune.as_deref().unwrap_or("");
    let report = bvte_report::build_joined(label, &inputs.parts(), &period, cal, now);
    let unreadable = inputs.unreadable;
    if unreadable > 0 {
        eprintln!(
            "Cảnh báo: {unreadable} bản ghi không đọc được nên không được tính (warning: {unreadable} records could not be read and are not counted)."
        );
    }
    let bytes = match file_format {
        Some(format) => {
            let area = storage.area_name()?;
            render(
                &report,
                issuer(area.as_deref(), a.commune.as_deref(), ""),
                format,
            )?
        }
        None => {
            let mut text = serde_json::to_string_pretty(&report)
                .map_err(|e| CliError::input(e.to_string(), e.to_string()))?;
            text.push('\n');
            text.into_bytes()
        }
    };
    match a.out.as_deref() {
        None => print!("{}", String::from_utf8_lossy(&bytes)),
        Some(p) if p == Path::new("-") => print!("{}", String::from_utf8_lossy(&bytes)),
        Some(file) => {
            write_private(file, &bytes)?;
            let whose = match &a.commune {
                Some(code) => format!("xã {code}"),
                None => "toàn địa bàn".to_owned(),
            };
            println!(
                "Đã ghi báo cáo {whose} từ {} đến {} ({} trẻ em, {} vụ việc trong kỳ) ra tệp {}. Mẫu báo cáo tạm thời; không có tên trẻ em hay người báo tin.",
                from.format("%d/%m/%Y"),
                to.format("%d/%m/%Y"),
                report.children.total,
                report.cases.handled,
                file.display()
            );
        }
    }
    Ok(())
}

/// Writes `bytes` to `path`, readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> CmdResult {
    let fail = |e: std::io::Error| CliError::files("ghi tệp", "write", path, &e);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(fail)?;
    f.write_all(bytes).map_err(fail)
}
