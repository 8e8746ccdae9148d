//! Figures about children: who is counted, and each breakdown.

use crate::input::{ReportChild, ReportInput};
use crate::period::Period;
use crate::tally::{bump, codes, zeros};
use bvte_domain::child::{CHILD_AGE_LIMIT, ResidenceStatus, Sex};
use bvte_domain::codes::Code;
use bvte_domain::groups::Group;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Age bands (full years at the period's end), in order; `unknown` when no age is recorded.
pub const AGE_BANDS: [&str; 5] = ["0_5", "6_10", "11_15", "16_17", "unknown"];

/// Records older than this at the period's end are not counted.
const COUNTED_BELOW: u32 = 18;

/// The band of an age.
pub fn age_band(age: Option<u32>) -> &'static str {
    match age {
        None => "unknown",
        Some(0..=5) => "0_5",
        Some(6..=10) => "6_10",
        Some(11..=15) => "11_15",
        Some(_) => "16_17",
    }
}

/// Children figures (`children.*`). Every breakdown lists every code, with 0 where none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ChildFigures {
    /// Children counted (see the crate's decisions).
    pub total: u64,
    /// Of them, under 16 at the period's end or of unknown age (Law on Children Art 1).
    pub under_16: u64,
    /// By residence status code.
    pub by_residence: BTreeMap<String, u64>,
    /// By sex code.
    pub by_sex: BTreeMap<String, u64>,
    /// By age band.
    pub by_age_band: BTreeMap<String, u64>,
    /// By ethnicity code (121-TCTK), `unknown` when not recorded.
    pub by_ethnicity: BTreeMap<String, u64>,
    /// By group (`a`…`o`, `dd` for đ) and sub-group (`a_1`, …).
    pub by_group: BTreeMap<String, u64>,
    /// In at least one special-circumstance group.
    pub in_special_circumstances: u64,
    /// Disability recorded or in group d.
    pub disabled: u64,
    /// In group a, or both parents recorded dead.
    pub double_orphans: u64,
    /// At risk of falling into special circumstances (a flag, not a group).
    pub at_risk: u64,
}

/// The children counted for `period`.
pub fn in_scope<'a>(parts: &[&'a ReportInput], period: &Period) -> Vec<&'a ReportChild> {
    let end = period.end();
    parts
        .iter()
        .flat_map(|p| p.children.iter())
        .filter(|c| !c.is_deleted() && c.created_at() <= end)
        // A child who lives in another commune, recorded here where it was harmed or found
        // (Decree 56 Art 25 k1), is not one of this commune's children: its own commune counts
        // it once the case is handed over. Its cases count here while this commune keeps them.
        .filter(|c| !c.data().lives_elsewhere())
        .filter(|c| c.data().birth_date().is_none_or(|b| b <= period.to))
        .filter(|c| c.data().age_on(period.to).is_none_or(|a| a < COUNTED_BELOW))
        .collect()
}

/// Every key of `by_group`: each group, then its sub-groups.
pub fn group_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for g in Group::ALL {
        keys.push(g.code().to_string());
        for (n, ..) in g.subgroups() {
            keys.push(format!("{}_{n}", g.code()));
        }
    }
    keys
}

/// The figures over the children in scope.
pub fn figures(kids: &[&ReportChild], period: &Period) -> ChildFigures {
    let day = period.to;
    let mut f = ChildFigures {
        by_residence: zeros(
            codes::<ResidenceStatus>().filter(|c| c != ResidenceStatus::KhongCuTru.code()),
        ),
        by_sex: zeros(codes::<Sex>()),
        by_age_band: zeros(AGE_BANDS.iter().map(|b| b.to_string())),
        by_ethnicity: zeros(
            bvte_domain::reference::ethnic_groups()
                .all
                .iter()
                .map(|g| g.code.clone())
                .chain(["unknown".to_string()]),
        ),
        by_group: zeros(group_keys()),
        ..Default::default()
    };
    for c in kids {
        let d = c.data();
        f.total += 1;
        let age = d.age_on(day);
        if age.is_none_or(|a| a < CHILD_AGE_LIMIT) {
            f.under_16 += 1;
        }
        bump(&mut f.by_residence, d.residence_status.code());
        bump(&mut f.by_sex, d.sex.code());
        bump(&mut f.by_age_band, age_band(age));
        bump(
            &mut f.by_ethnicity,
            d.ethnicity.as_ref().map_or("unknown", |e| e.code.as_str()),
        );
        let mut keys = BTreeSet::new();
        for s in d.special_circumstances.iter().filter(|s| s.active_on(day)) {
            keys.insert(s.group.code().to_string());
            if let Some(n) = s.subgroup {
                keys.insert(format!("{}_{n}", s.group.code()));
            }
        }
        if !keys.is_empty() {
            f.in_special_circumstances += 1;
        }
        for k in &keys {
            bump(&mut f.by_group, k);
        }
        f.disabled += u64::from(d.disabled(day));
        f.double_orphans += u64::from(d.orphan_of_both(day));
        f.at_risk += u64::from(d.at_risk);
    }
    f
}
