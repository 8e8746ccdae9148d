//! Indicators of Circular 13/2021/TT-BLĐTBXH that the records give, kept as data: code, name,
//! source, definition, value and breakdowns (`shared/domain/decree56.md` §5.1).

use crate::children::{AGE_BANDS, age_band};
use crate::input::ReportInput;
use crate::period::Period;
use crate::tally::{bump, codes, zeros};
use bvte_domain::ChildId;
use bvte_domain::case::{CaseCategory, Environment};
use bvte_domain::child::Sex;
use bvte_domain::codes::Code;
use bvte_domain::time::local_date;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One indicator with its breakdowns (*phân tổ*).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Indicator {
    /// The indicator's code in Circular 13/2021.
    pub code: &'static str,
    /// Its name in the circular.
    pub name_vi: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Where it is defined.
    pub source: &'static str,
    /// How BVTE computes it from the records.
    pub definition: &'static str,
    /// The figure.
    pub value: u64,
    /// Breakdown name (`sex`, `age_band`, `environment`) → code → figure.
    pub breakdowns: BTreeMap<&'static str, BTreeMap<String, u64>>,
}

/// Every indicator, in code order.
pub fn all(parts: &[&ReportInput], period: &Period) -> Vec<Indicator> {
    vec![abused_children(parts, period)]
}

/// 0101 Số trẻ em bị xâm hại: distinct children with a case of category "abused" received in
/// the period; by sex, by age band at the (first) receipt, by environment (a child abused in two
/// environments counts under both, so that breakdown may sum above the value).
fn abused_children(parts: &[&ReportInput], period: &Period) -> Indicator {
    let kids: HashMap<ChildId, _> = parts
        .iter()
        .flat_map(|p| p.children.iter())
        .map(|c| (c.id(), c.data()))
        .collect();
    // child → (first receipt, environments)
    let mut abused: BTreeMap<ChildId, (bvte_domain::Instant, BTreeSet<Environment>)> =
        BTreeMap::new();
    for c in parts.iter().flat_map(|p| p.cases.iter()) {
        let d = c.data();
        if d.category != CaseCategory::Abused || !period.contains(d.received_at) {
            continue;
        }
        let e = abused
            .entry(d.child_id)
            .or_insert((d.received_at, BTreeSet::new()));
        e.0 = e.0.min(d.received_at);
        e.1.insert(d.environment);
    }
    let mut sex = zeros(codes::<Sex>());
    let mut age = zeros(AGE_BANDS.iter().map(|b| b.to_string()));
    let mut env = zeros(codes::<Environment>());
    for (child, (first, envs)) in &abused {
        let data = kids.get(child);
        let s = data.map_or(Sex::Unknown, |d| d.sex);
        bump(&mut sex, s.code());
        let a = data.and_then(|d| d.age_on(local_date(*first)));
        bump(&mut age, age_band(a));
        for e in envs {
            bump(&mut env, e.code());
        }
    }
    Indicator {
        code: "0101",
        name_vi: "Số trẻ em bị xâm hại",
        name_en: "Number of abused children",
        source: "Thông tư 13/2021/TT-BLĐTBXH, Phụ lục IV; Luật Trẻ em 2016 Điều 4 khoản 5",
        definition: "Số trẻ em (mỗi trẻ tính một lần) có vụ việc loại “Trẻ em bị xâm hại” được tiếp nhận trong kỳ; tuổi tính vào ngày tiếp nhận đầu tiên trong kỳ; một trẻ bị xâm hại ở hai môi trường được tính ở cả hai.",
        value: abused.len() as u64,
        breakdowns: BTreeMap::from([("sex", sex), ("age_band", age), ("environment", env)]),
    }
}
