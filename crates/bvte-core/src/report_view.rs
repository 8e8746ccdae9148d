//! The desktop's **Báo cáo** screen: the commune report of a chosen period, its headline
//! figures, the legal deadlines met and missed, and the list of what to fix before sending.
//!
//! Every figure comes from `bvte-report` ([`Session::report`]); this module only picks the
//! period and labels the figures. The list of what to fix names each child so the officer can
//! find the record in her own register; the report itself (JSON, PDF, spreadsheet) names no one.

use crate::error::CoreError;
use crate::overview::CountItem;
use crate::print_os::{SavedForm, save_file};
use crate::report::ReportFormat;
use crate::session::Session;
use bvte_domain::codes::Code;
use bvte_domain::deadline::DeadlineRule;
use bvte_domain::time::{local_date, parse_date};
use bvte_domain::{ChildId, Instant, ValidationError, ValidationErrors};
use bvte_report::{Gap, Period, PeriodKind, Report};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The period the officer chose.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default, deny_unknown_fields)]
pub struct ReportRequest {
    /// `month`, `quarter`, `half_year`, `nine_months`, `year` or `custom`.
    pub kind: String,
    /// The year of a preset period.
    pub year: i32,
    /// The month (1–12) or quarter (1–4) of a preset period.
    pub index: u32,
    /// First day of a custom period (dd/mm/yyyy or yyyy-mm-dd).
    pub from: String,
    /// Last day of a custom period.
    pub to: String,
}

/// A deadline rule's count over the period.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DeadlineRow {
    /// Rule code.
    pub rule: String,
    /// What the rule asks (Vietnamese).
    pub label: String,
    /// English.
    pub label_en: String,
    /// Done within the limit.
    pub met: u64,
    /// Done late or not done.
    pub overdue: u64,
    /// Limit later today.
    pub pending: u64,
}

/// A record to fix before sending.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct GapView {
    /// `child_no_birth_date`, `child_no_residence`, `child_no_village`, `case_overdue` or
    /// `step_recorded_late`.
    pub kind: String,
    /// `child` or `case`: which screen the link opens.
    pub record: String,
    /// The record's id.
    pub id: String,
    /// The child's name (the child of the case, for a case), shown on this screen only.
    pub child_name: String,
    /// For a case: the stage it is stuck at.
    pub stage: Option<String>,
    /// For a case: the deadline rule missed.
    pub rule: Option<String>,
    /// For a case: its limit (Vietnam time, RFC 3339).
    pub due_at: Option<String>,
}

/// The screen's content.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReportView {
    /// First day (yyyy-mm-dd).
    pub from: String,
    /// Last day, included (yyyy-mm-dd).
    pub to: String,
    /// When made (Vietnam time, RFC 3339).
    pub generated_at: String,
    /// The provisional-layout note printed on every report.
    pub note: String,
    /// Children: total, in special circumstances, disabled, double orphans, at risk.
    pub children: Vec<CountItem>,
    /// Cases: received, handled, open at the end, emergency measures, separations, plans,
    /// closed, transferred.
    pub cases: Vec<CountItem>,
    /// Legal deadlines whose limit fell in the period.
    pub deadlines: Vec<DeadlineRow>,
    /// What to fix before sending.
    pub gaps: Vec<GapView>,
}

fn item(code: &str, label: &str, label_en: &str, count: u64) -> CountItem {
    CountItem {
        code: code.into(),
        label: label.into(),
        label_en: label_en.into(),
        count,
    }
}

/// The period of `req` at `now`.
///
/// # Errors
/// `unknown_code` on `report_kind`; the errors of [`bvte_report::preset`]; for a custom period,
/// a bad or missing date on `report_from` / `report_to` (both reported at once), a period that
/// ends before it starts or after today.
pub fn period_of(req: &ReportRequest, now: Instant) -> Result<Period, CoreError> {
    if req.kind == "custom" {
        let from = parse_date("report_from", &req.from);
        let to = parse_date("report_to", &req.to);
        return match (from, to) {
            (Ok(f), Ok(t)) => Ok(Period::checked(f, t, now, ["report_from", "report_to"])?),
            (f, t) => {
                Err(ValidationErrors([f.err(), t.err()].into_iter().flatten().collect()).into())
            }
        };
    }
    let kind = PeriodKind::from_code(&req.kind).ok_or_else(|| ValidationError::UnknownCode {
        field: "report_kind".into(),
        value: bvte_domain::text::truncate_for_message(&req.kind),
        allowed: PeriodKind::ALL
            .iter()
            .map(|k| k.code().to_string())
            .chain(["custom".to_string()])
            .collect(),
    })?;
    let year = if req.year == 0 {
        local_date(now).year()
    } else {
        req.year
    };
    Ok(bvte_report::preset(kind, year, req.index, now)?)
}

fn headline(r: &Report) -> (Vec<CountItem>, Vec<CountItem>) {
    let c = &r.children;
    let children = vec![
        item("total", "Tổng số trẻ em", "Children in total", c.total),
        item(
            "in_special_circumstances",
            "Trẻ em có hoàn cảnh đặc biệt",
            "In special circumstances",
            c.in_special_circumstances,
        ),
        item("disabled", "Trẻ em khuyết tật", "Disabled", c.disabled),
        item(
            "double_orphans",
            "Trẻ em mồ côi cả cha và mẹ",
            "Orphans of both parents",
            c.double_orphans,
        ),
        item("at_risk", "Trẻ em có nguy cơ", "At risk", c.at_risk),
    ];
    let k = &r.cases;
    let cases = vec![
        item(
            "received",
            "Vụ việc tiếp nhận trong kỳ",
            "Received in the period",
            k.received,
        ),
        item(
            "handled",
            "Vụ việc xử lý trong kỳ",
            "Handled in the period",
            k.handled,
        ),
        item(
            "open_at_end",
            "Còn mở cuối kỳ",
            "Open at the end",
            k.open_at_end,
        ),
        item(
            "emergency_measures",
            "Có biện pháp khẩn cấp",
            "With emergency measures",
            k.emergency_measures,
        ),
        item(
            "separations",
            "Quyết định cách ly tạm thời",
            "Temporary separations",
            k.separations,
        ),
        item(
            "plans_approved",
            "Kế hoạch được phê duyệt",
            "Plans approved",
            k.plans_approved,
        ),
        item("closed", "Kết thúc hồ sơ", "Closed", k.closed),
        item(
            "transferred",
            "Chuyển nơi khác",
            "Transferred",
            k.transferred,
        ),
    ];
    (children, cases)
}

fn deadline_rows(r: &Report) -> Vec<DeadlineRow> {
    DeadlineRule::ALL
        .iter()
        .filter_map(|rule| {
            let n = r.cases.deadlines.get(rule.code())?;
            Some(DeadlineRow {
                rule: rule.code().into(),
                label: rule.label_vi().into(),
                label_en: rule.label_en().into(),
                met: n.met,
                overdue: n.overdue,
                pending: n.pending,
            })
        })
        .collect()
}

/// A report file format by its code (`pdf`, `xlsx`).
///
/// # Errors
/// `unknown_code` on `report_format`.
pub fn format_of(code: &str) -> Result<ReportFormat, CoreError> {
    match code {
        "pdf" => Ok(ReportFormat::Pdf),
        "xlsx" => Ok(ReportFormat::Xlsx),
        other => Err(ValidationError::UnknownCode {
            field: "report_format".into(),
            value: bvte_domain::text::truncate_for_message(other),
            allowed: vec!["pdf".into(), "xlsx".into()],
        }
        .into()),
    }
}

/// The name a saved report gets: the commune, the period and the format
/// (`bao-cao-09955-2026-11-01-2026-11-30.xlsx`), so a second save of the same report replaces
/// the first and reports of other periods sit beside it.
pub fn report_file_name(commune: &str, period: &Period, format: ReportFormat) -> String {
    let ext = match format {
        ReportFormat::Pdf => "pdf",
        ReportFormat::Xlsx => "xlsx",
    };
    format!("bao-cao-{commune}-{}-{}.{ext}", period.from, period.to)
}

impl Session {
    /// Saves the report of `req` as `format` into `dir` (the folder forms are saved into); the
    /// file holds no name, but is readable by its owner only like every file BVTE writes.
    ///
    /// # Errors
    /// [`period_of`]'s; the layout's; the disk's.
    pub fn save_report(
        &self,
        req: &ReportRequest,
        format: ReportFormat,
        dir: &std::path::Path,
        now: Instant,
    ) -> Result<SavedForm, CoreError> {
        self.require(crate::access::Action::Export)?;
        let period = period_of(req, now)?;
        let bytes = self.report_file(format, &period, now)?;
        let name = report_file_name(&self.store.installation().commune_code, &period, format);
        save_file(dir, &name, &bytes)
    }

    /// The Báo cáo screen for `req` at `now`.
    ///
    /// # Errors
    /// [`period_of`]'s; a store error.
    pub fn report_view(&self, req: &ReportRequest, now: Instant) -> Result<ReportView, CoreError> {
        self.require(crate::access::Action::ViewReport)?;
        let period = period_of(req, now)?;
        let report = self.report(&period, now)?;
        let (children, cases) = headline(&report);
        let gaps = self.gap_views(&report.completeness)?;
        Ok(ReportView {
            from: period.from.to_string(),
            to: period.to.to_string(),
            generated_at: report.generated_at.clone(),
            note: report.note.into(),
            children,
            cases,
            deadlines: deadline_rows(&report),
            gaps,
        })
    }

    fn gap_views(&self, gaps: &[Gap]) -> Result<Vec<GapView>, CoreError> {
        let mut case_child: HashMap<String, ChildId> = HashMap::new();
        if gaps.iter().any(|g| g.record == "case") {
            for c in self.store.cases(None)? {
                case_child.insert(c.id.to_string(), c.data.child_id);
            }
        }
        let mut names: HashMap<ChildId, String> = HashMap::new();
        let mut out = Vec::with_capacity(gaps.len());
        for g in gaps {
            let child = if g.record == "case" {
                case_child.get(&g.id).copied()
            } else {
                g.id.parse().ok()
            };
            let child_name = match child {
                Some(id) => match names.get(&id) {
                    Some(n) => n.clone(),
                    None => {
                        let n = self.store.child(id)?.data.full_name;
                        names.insert(id, n.clone());
                        n
                    }
                },
                None => String::new(),
            };
            out.push(GapView {
                kind: g.kind.into(),
                record: g.record.into(),
                id: g.id.clone(),
                child_name,
                stage: g.stage.map(str::to_string),
                rule: g.rule.map(str::to_string),
                due_at: g.due_at.clone(),
            });
        }
        Ok(out)
    }
}
