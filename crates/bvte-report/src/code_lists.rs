//! The code lists a layout's `each` row expands to: every code of a breakdown in the app's
//! order, with the label the app shows for it (Vietnamese and English), and its level (a
//! sub-group sits under its group). Labels come from the domain's closed lists, never typed
//! twice.

use crate::children::AGE_BANDS;
use bvte_domain::case::{AbuseForm, CaseCategory, Channel, Environment};
use bvte_domain::child::{ResidenceStatus, Sex};
use bvte_domain::codes::Code;
use bvte_domain::deadline::DeadlineRule;
use bvte_domain::groups::Group;
use bvte_domain::workflow::Stage;

/// One code of a list: the key in the report, its labels and its level (0 or 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The key in the report's breakdown.
    pub code: String,
    /// Vietnamese label.
    pub vi: String,
    /// English label.
    pub en: String,
    /// 0 for a row of its own, 1 for a sub-row (a sub-group under its group).
    pub level: u8,
}

fn entry(code: &str, vi: &str, en: &str, level: u8) -> Entry {
    Entry {
        code: code.to_string(),
        vi: vi.to_string(),
        en: en.to_string(),
        level,
    }
}

fn list<T: Code>() -> Vec<Entry> {
    T::ALL
        .iter()
        .map(|v| entry(v.code(), v.label_vi(), v.label_en(), 0))
        .collect()
}

fn age_bands() -> Vec<Entry> {
    AGE_BANDS
        .iter()
        .map(|b| match b.split_once('_') {
            Some((lo, hi)) if lo.parse::<u8>().is_ok() => entry(
                b,
                &format!("Từ {lo} đến {hi} tuổi"),
                &format!("{lo} to {hi} years"),
                0,
            ),
            _ => entry(b, "Chưa rõ tuổi", "Age not recorded", 0),
        })
        .collect()
}

fn groups() -> Vec<Entry> {
    let mut out = Vec::new();
    for g in Group::ALL {
        let letter = if *g == Group::Dd { "đ" } else { g.code() };
        out.push(entry(
            g.code(),
            &format!("{letter}) {}", g.label_vi()),
            &format!("{letter}) {}", g.label_en()),
            0,
        ));
        for (n, vi, en) in g.subgroups() {
            out.push(entry(
                &format!("{}_{n}", g.code()),
                &format!("{letter}.{n}. {vi}"),
                &format!("{letter}.{n}. {en}"),
                1,
            ));
        }
    }
    out
}

fn ethnicities() -> Vec<Entry> {
    let mut out: Vec<Entry> = bvte_domain::reference::ethnic_groups()
        .all
        .iter()
        .map(|g| entry(&g.code, &g.name, &g.name, 0))
        .collect();
    out.push(entry("unknown", "Chưa ghi dân tộc", "Not recorded", 0));
    out
}

/// The code list of the breakdown named `name` (the last part of its key path, with or
/// without `by_`), or `None` when no list has that name.
pub fn for_breakdown(name: &str) -> Option<Vec<Entry>> {
    Some(match name.strip_prefix("by_").unwrap_or(name) {
        // A child living in another commune is never among the commune's children.
        "residence" => list::<ResidenceStatus>()
            .into_iter()
            .filter(|e| e.code != ResidenceStatus::KhongCuTru.code())
            .collect(),
        "sex" => list::<Sex>(),
        "age_band" => age_bands(),
        "ethnicity" => ethnicities(),
        "group" => groups(),
        "category" => list::<CaseCategory>(),
        "abuse_form" => list::<AbuseForm>(),
        "environment" => list::<Environment>(),
        "channel" => list::<Channel>(),
        "stage" => list::<Stage>(),
        // Legal limits only: the report leaves the guidance time out (bvte-report cases.rs).
        "deadlines" => list::<DeadlineRule>()
            .into_iter()
            .filter(|e| {
                DeadlineRule::ALL
                    .iter()
                    .any(|r| r.code() == e.code && !r.is_guidance())
            })
            .collect(),
        _ => return None,
    })
}
