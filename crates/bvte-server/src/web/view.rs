//! What the dashboard's pages show, computed from the records the server holds: the area's
//! report and each commune's (`crate::report::build_all`, so every figure is the one the
//! commune's own PC computes), the communes' last contact, and the overdue steps. Only codes,
//! figures and case ids: the report input carries no name (`bvte_report`).

use super::text::Lang;
use crate::report::build_all;
use crate::report_cache::Inputs;
use crate::storage::DeviceRow;
use bvte_domain::Instant;
use bvte_domain::codes::Code;
use bvte_domain::deadline::DeadlineRule;
use bvte_domain::units::CommuneLookup;
use bvte_domain::workflow::Stage;
use bvte_report::layout::Table;
use bvte_report::{Issuer, Layout, Period, Report};
use std::collections::BTreeSet;

/// One commune's line of the overview.
pub struct CommuneLine {
    /// Five-digit code.
    pub code: String,
    /// Official name, when the reference list has it.
    pub name: String,
    /// Children counted.
    pub children: u64,
    /// Of them, in special circumstances.
    pub special: u64,
    /// Cases of the period.
    pub cases: u64,
    /// Open at its end.
    pub open: u64,
    /// Steps overdue (from the completeness list).
    pub overdue: usize,
    /// Children with a missing date of birth, residence status or village.
    pub incomplete: usize,
    /// The last sync any of its devices finished (dd/mm/yyyy hh:mm; `crate::reporting`), or
    /// empty.
    pub last_sync: String,
    /// Whether it synced data covering the reporting period (`None`: no deadline set).
    pub covered: Option<bool>,
}

/// One overdue step of a case.
pub struct OverdueLine {
    /// The case's id (its code on every PC).
    pub case_id: String,
    /// The commune's code.
    pub commune: String,
    /// The commune's name.
    pub commune_name: String,
    /// The stage the case is stuck at.
    pub stage: String,
    /// The deadline missed.
    pub rule: String,
    /// Its limit (dd/mm/yyyy hh:mm).
    pub due: String,
    /// How long ago, in whole hours.
    pub hours_overdue: i64,
}

/// Everything the overview and the overdue page show.
pub struct Dashboard {
    /// The area's report.
    pub area: Report,
    /// Its tables as laid out for the files (labels in both languages).
    pub tables: Vec<Table>,
    /// One line per registered commune.
    pub communes: Vec<CommuneLine>,
    /// Overdue steps across the communes, longest overdue first.
    pub overdue: Vec<OverdueLine>,
}

/// The official name of a commune, or empty.
pub fn commune_name(code: &str) -> String {
    match bvte_domain::reference::units().lookup(code) {
        CommuneLookup::Current(c) => c.name.clone(),
        _ => String::new(),
    }
}

/// Computes the dashboard of `period` at `now`.
pub fn dashboard(
    inputs: &Inputs,
    devices: &[DeviceRow],
    period: &Period,
    now: Instant,
    lang: Lang,
) -> Dashboard {
    let (area, reports) = build_all(inputs, period, now);
    let tables = Layout::embedded()
        .document(&area, Issuer::default())
        .map(|d| d.tables)
        .unwrap_or_default();
    let mut communes = Vec::new();
    let mut overdue = Vec::new();
    for ((code, _), r) in inputs.communes.iter().zip(&reports) {
        let name = commune_name(code);
        let last = devices
            .iter()
            .filter(|d| &d.commune_code == code)
            .filter_map(|d| d.last_sync_ms)
            .max();
        let late: Vec<_> = r
            .completeness
            .iter()
            .filter(|g| g.kind == "case_overdue")
            .collect();
        let incomplete: BTreeSet<&str> = r
            .completeness
            .iter()
            .filter(|g| g.record == "child")
            .map(|g| g.id.as_str())
            .collect();
        for g in &late {
            let due = g
                .due_at
                .as_deref()
                .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok());
            overdue.push(OverdueLine {
                case_id: g.id.clone(),
                commune: code.clone(),
                commune_name: name.clone(),
                stage: g
                    .stage
                    .and_then(Stage::from_code)
                    .map(|s| lang.pick(s.label_vi(), s.label_en()).to_owned())
                    .unwrap_or_default(),
                rule: g
                    .rule
                    .and_then(DeadlineRule::from_code)
                    .map(|s| lang.pick(s.label_vi(), s.label_en()).to_owned())
                    .unwrap_or_default(),
                due: due.map_or_else(String::new, |d| {
                    d.with_timezone(&bvte_domain::time::vietnam())
                        .format("%d/%m/%Y %H:%M")
                        .to_string()
                }),
                hours_overdue: due.map_or(0, |d| (now - d.to_utc()).num_hours().max(0)),
            });
        }
        communes.push(CommuneLine {
            code: code.clone(),
            name,
            children: r.children.total,
            special: r.children.in_special_circumstances,
            cases: r.cases.handled,
            open: r.cases.open_at_end,
            overdue: late.len(),
            incomplete: incomplete.len(),
            last_sync: last.map_or_else(String::new, super::local_time),
            covered: None,
        });
    }
    overdue.sort_by_key(|l| std::cmp::Reverse(l.hours_overdue));
    Dashboard {
        area,
        tables,
        communes,
        overdue,
    }
}

/// "3 ngày 4 giờ" / "3 days 4 h".
pub fn duration(hours: i64, lang: Lang) -> String {
    let t = lang.texts();
    let (d, h) = (hours / 24, hours % 24);
    if d > 0 {
        format!("{d} {} {h} {}", t.days, t.hours)
    } else {
        format!("{h} {}", t.hours)
    }
}
