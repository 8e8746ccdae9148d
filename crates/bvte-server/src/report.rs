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
use crate::storage::RecordRow;
use bvte_domain::case::Case;
use bvte_domain::child::Child;
use bvte_domain::event::CaseEvent;
use bvte_domain::time::{from_unix_millis, parse_date};
use bvte_domain::{CaseId, ChildId, Instant};
use bvte_protocol::Entity;
use bvte_report::{Period, Records, Report};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The domain records of stored rows: children in the register (a deleted child without a
/// case is not), cases and steps. Returns them with the number of records that could not be
/// read (none unless the database was damaged: the server checks every change it stores).
pub fn domain_records(rows: &[RecordRow]) -> (Vec<Child>, Vec<Case>, Vec<CaseEvent>, usize) {
    let (mut children, mut cases, mut events) = (Vec::new(), Vec::new(), Vec::new());
    let time = |ms: u64| -> Instant { from_unix_millis(ms).unwrap_or_default() };
    let mut unreadable = 0;
    for row in rows {
        let fields = Value::Object(row.record.fields.clone());
        let ok = match row.entity {
            Entity::Child => parse(fields).map(|data| {
                children.push((
                    row.deleted,
                    Child {
                        id: ChildId(row.id),
                        data,
                        created_at: time(row.record.created_ms),
                        updated_at: time(row.record.updated_ms),
                    },
                ));
            }),
            Entity::Case => parse(fields).map(|data| {
                cases.push(Case {
                    id: CaseId(row.id),
                    data,
                    created_at: time(row.record.created_ms),
                });
            }),
            Entity::CaseEvent => parse(fields).map(|e| events.push(e)),
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

fn parse<T: DeserializeOwned>(fields: Value) -> Option<T> {
    serde_json::from_value(fields).ok()
}

/// The report of `commune` (the area's when `None`) from stored rows.
pub fn build(
    rows: &[RecordRow],
    commune: Option<&str>,
    all: &BTreeSet<String>,
    period: &Period,
    now: Instant,
) -> (Report, usize) {
    let (children, cases, events, unreadable) = domain_records(rows);
    let records = Records {
        children: &children,
        cases: &cases,
        events: &events,
    };
    let input = match commune {
        Some(code) => records.commune_input(code),
        None => records.area_input("", all),
    };
    let report = bvte_report::build(&input, period, bvte_domain::reference::calendar(), now);
    (report, unreadable)
}

/// `report`.
pub fn run(a: &ReportArgs) -> CmdResult {
    if a.format != "json" {
        return Err(CliError::input(
            format!(
                "Định dạng “{}” chưa hỗ trợ: hiện chỉ xuất được báo cáo dạng JSON (--format json).",
                a.format
            ),
            format!(
                "format \"{}\" is not supported yet: only --format json for now",
                a.format
            ),
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
    let rows = storage.records(a.commune.as_deref())?;
    let (report, unreadable) = build(&rows, a.commune.as_deref(), &all, &period, now);
    if unreadable > 0 {
        eprintln!(
            "Cảnh báo: {unreadable} bản ghi không đọc được nên không được tính (warning: {unreadable} records could not be read and are not counted)."
        );
    }
    let text = serde_json::to_string_pretty(&report)
        .map_err(|e| CliError::input(e.to_string(), e.to_string()))?;
    match a.out.as_deref() {
        None => println!("{text}"),
        Some(p) if p == Path::new("-") => println!("{text}"),
        Some(file) => {
            write_private(file, &text)?;
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

/// Writes `text` to `path`, readable by its owner only.
fn write_private(path: &Path, text: &str) -> CmdResult {
    let fail = |e: std::io::Error| CliError::files("ghi tệp", "write", path, &e);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(fail)?;
    f.write_all(text.as_bytes()).map_err(fail)?;
    f.write_all(b"\n").map_err(fail)
}
