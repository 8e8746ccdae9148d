//! `bvte report --from DATE --to DATE [--format json] [--out FILE|-]`: the commune report.
//! Everything typed is checked before the passphrase is asked and before anything is written.

use crate::cli::{Cli, ReportArgs};
use crate::exit::{CmdResult, Failure};
use crate::io::open;
use bvte_domain::time::parse_date;
use bvte_report::Period;
use std::path::Path;

/// `bvte report`.
pub fn run(cli: &Cli, a: &ReportArgs) -> CmdResult {
    if a.format != "json" {
        return Err(Failure::Usage {
            vi: format!(
                "Định dạng “{}” chưa hỗ trợ: hiện chỉ xuất được báo cáo dạng JSON (--format json).",
                a.format
            ),
            en: format!(
                "Format \"{}\" is not supported yet: only --format json for now.",
                a.format
            ),
        });
    }
    let from = parse_date("period_from", &a.from)?;
    let to = parse_date("period_to", &a.to)?;
    let now = bvte_core::now();
    let period = Period::new(from, to, now)?;
    let session = open(cli)?;
    let report = session.report(&period, now)?;
    let text = serde_json::to_string_pretty(&report).expect("the report serialises");
    match a.out.as_deref() {
        None => crate::outln!("{text}"),
        Some(p) if p == Path::new("-") => crate::outln!("{text}"),
        Some(file) => {
            crate::io::write_private(file, &text)?;
            crate::outln!(
                "Đã ghi báo cáo từ {} đến {} ({} trẻ em, {} vụ việc trong kỳ) ra tệp {}. Mẫu báo cáo tạm thời; không có tên trẻ em hay người báo tin.",
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
