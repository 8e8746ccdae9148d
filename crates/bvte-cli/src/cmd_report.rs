//! `bvte report --from DATE --to DATE [--format json|pdf|xlsx] [--out FILE|-] [--layouts DIR]`:
//! the commune report. Everything typed is checked before the passphrase is asked and before
//! anything is written: the dates, `--out` for the binary formats, the corrected layout.

use crate::cli::{Cli, ReportArgs};
use crate::exit::{CmdResult, Failure};
use crate::io::open;
use bvte_core::report::{ReportFormat, report_layout, report_layout_from_env};
use bvte_domain::time::parse_date;
use bvte_report::{Period, Report};
use std::path::Path;

/// `bvte report`.
pub fn run(cli: &Cli, a: &ReportArgs) -> CmdResult {
    let from = parse_date("period_from", &a.from)?;
    let to = parse_date("period_to", &a.to)?;
    let now = bvte_core::now();
    let period = Period::new(from, to, now)?;
    let format = match a.format.as_str() {
        "pdf" => ReportFormat::Pdf,
        "xlsx" => ReportFormat::Xlsx,
        _ => return json(cli, a, &period, now),
    };
    let file = a
        .out
        .as_deref()
        .filter(|p| *p != Path::new("-"))
        .ok_or_else(|| Failure::Usage {
            vi: format!(
                "Thiếu --out FILE.{0}: báo cáo dạng {0} là tệp nhị phân, không in ra màn hình được. Hãy cho biết tệp cần ghi.",
                a.format
            ),
            en: format!(
                "Missing --out FILE.{0}: a {0} report is a binary file and cannot go to standard output.",
                a.format
            ),
        })?;
    let layout = match &a.layouts {
        Some(dir) => report_layout(Some(dir)),
        None => report_layout_from_env(),
    }?;
    let session = open(cli)?;
    let (report, bytes) = session.report_file_with(&layout, format, &period, now)?;
    // Owner-only whatever the umask: the report is about the commune's children.
    bvte_store::private::write(file, &bytes).map_err(|e| Failure::Usage {
        vi: format!(
            "Không ghi được tệp “{}”: {e}. Hãy chọn một thư mục có quyền ghi.",
            file.display()
        ),
        en: format!(
            "Cannot write \"{}\": {e}. Choose a writable folder.",
            file.display()
        ),
    })?;
    written(&report, file);
    Ok(())
}

fn json(cli: &Cli, a: &ReportArgs, period: &Period, now: bvte_domain::Instant) -> CmdResult {
    let session = open(cli)?;
    let report = session.report(period, now)?;
    let text = serde_json::to_string_pretty(&report).expect("the report serialises");
    match a.out.as_deref() {
        None => crate::outln!("{text}"),
        Some(p) if p == Path::new("-") => crate::outln!("{text}"),
        Some(file) => {
            crate::io::write_private(file, &text)?;
            written(&report, file);
        }
    }
    Ok(())
}

fn written(report: &Report, file: &Path) {
    crate::outln!(
        "Đã ghi báo cáo từ {} đến {} ({} trẻ em, {} vụ việc trong kỳ) ra tệp {}. Mẫu báo cáo tạm thời; không có tên trẻ em hay người báo tin.",
        report.period.from.format("%d/%m/%Y"),
        report.period.to.format("%d/%m/%Y"),
        report.children.total,
        report.cases.handled,
        file.display()
    );
}
