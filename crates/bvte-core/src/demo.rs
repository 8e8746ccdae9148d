//! Demonstration data: a believable commune, reproducible from a seed. Names follow the
//! Vietnamese order (family, middle, given) with family names in their real proportions;
//! villages, ages, residence, ethnicity, carers, schooling and special circumstances in
//! plausible shares; and cases in every stage of the Decree 56 workflow, dated relative to now
//! so that some deadlines are running and some are overdue. Everything goes through the same
//! validation and workflow checks as an officer's input.

use crate::error::CoreError;
use crate::rng::Rng;
use crate::session::Session;
use bvte_domain::case::CaseInput;
use bvte_domain::child::{CarerInput, ChildInput, DisabilityInput, GroupInput, SchoolingInput};
use bvte_domain::event::StepInput;
use bvte_domain::time::{local_date, to_rfc3339_local};
use bvte_domain::{ChildId, Instant};
use chrono::{Datelike, Duration};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

const GIVEN: &str = include_str!("../../../assets/demo/vn_given_names_fakerjs.csv");
const FAMILY: &str = include_str!("../../../assets/demo/vn_family_names_approx.csv");

const VILLAGES: [&str; 12] = [
    "Thôn Đông",
    "Thôn Đoài",
    "Thôn Thượng",
    "Thôn Trung",
    "Thôn Hạ",
    "Thôn Yên Lạc",
    "Thôn Đồng Cừa",
    "Xóm Mới",
    "Thôn Phú Hữu",
    "Thôn Lương Xá",
    "Tổ dân phố 1",
    "Tổ dân phố 2",
];
const MIDDLE_F: [&str; 8] = [
    "Thị", "Thị", "Thị", "Ngọc", "Thu", "Minh", "Thanh", "Phương",
];
const MIDDLE_M: [&str; 8] = ["Văn", "Văn", "Văn", "Minh", "Đức", "Quốc", "Gia", "Hữu"];
/// (share per 10,000 children, group, number of sub-groups to draw from, minimum age).
const GROUP_SHARES: &[(u64, &str, u64, u32)] = &[
    (200, "d", 3, 0),
    (30, "n", 2, 0),
    (20, "c", 2, 0),
    (15, "a", 0, 0),
    (15, "h", 2, 11),
    (8, "e", 1, 12),
    (5, "b", 2, 0),
    (5, "i", 0, 0),
    (3, "l", 5, 0),
    (3, "dd", 0, 0),
    (3, "k", 2, 0),
];
const DISABILITY_KINDS: [&str; 4] = [
    "Khuyết tật vận động",
    "Khuyết tật nghe, nói",
    "Khuyết tật trí tuệ",
    "Khuyết tật nhìn",
];
const JOBS: [&str; 8] = [
    "Làm ruộng",
    "Công nhân",
    "Buôn bán",
    "Lao động tự do",
    "Nội trợ",
    "Giáo viên",
    "Thợ xây",
    "Chạy xe ôm",
];

/// What was generated.
#[derive(Debug, Serialize)]
pub struct DemoSummary {
    /// Children added.
    pub children: usize,
    /// Cases opened.
    pub cases: usize,
    /// Cases by stage code.
    pub cases_by_stage: BTreeMap<String, usize>,
}

struct Names {
    female: Vec<String>,
    male: Vec<String>,
    family: Vec<(String, f64)>,
}

impl Names {
    fn load() -> Self {
        let mut female = Vec::new();
        let mut male = Vec::new();
        for line in GIVEN.lines().skip(1) {
            if let Some((sex, name)) = line.split_once(',') {
                match sex {
                    "female" => female.push(name.to_string()),
                    "male" => male.push(name.to_string()),
                    _ => {
                        female.push(name.to_string());
                        male.push(name.to_string());
                    }
                }
            }
        }
        // The share is given per group (Hoàng/Huỳnh, Vũ/Võ): split it between the group's names.
        let rows: Vec<(String, String, f64)> = FAMILY
            .lines()
            .skip(1)
            .filter_map(|l| {
                let c: Vec<&str> = l.split(',').collect();
                Some((
                    c.first()?.to_string(),
                    c.get(1)?.to_string(),
                    c.get(2)?.parse().ok()?,
                ))
            })
            .collect();
        let family = rows
            .iter()
            .map(|(name, group, share)| {
                let n = rows.iter().filter(|r| &r.1 == group).count() as f64;
                (name.clone(), share / n)
            })
            .collect();
        Self {
            female,
            male,
            family,
        }
    }

    fn family(&self, rng: &mut Rng) -> String {
        let total: f64 = self.family.iter().map(|(_, w)| w).sum();
        let mut x = (rng.below(1_000_000) as f64 / 1_000_000.0) * total;
        for (name, w) in &self.family {
            if x < *w {
                return name.clone();
            }
            x -= w;
        }
        self.family[0].0.clone()
    }

    fn full(&self, rng: &mut Rng, family: &str, female: bool) -> String {
        let given = rng
            .pick(if female { &self.female } else { &self.male })
            .clone();
        if given.contains(' ') {
            format!("{family} {given}")
        } else {
            let middle = rng.pick(if female { &MIDDLE_F } else { &MIDDLE_M });
            format!("{family} {middle} {given}")
        }
    }
}

/// One child, with the special circumstances chosen in roughly the shares seen in communes.
fn child(
    rng: &mut Rng,
    names: &Names,
    i: usize,
    today: chrono::NaiveDate,
    villages: &[&str],
    province: &str,
) -> ChildInput {
    let female = rng.chance(0.48);
    let family = names.family(rng);
    let full_name = names.full(rng, &family, female);
    let days = rng.below(16 * 365 - 3) as i64;
    let dob = today - Duration::days(days);
    let age = bvte_domain::time::age_on(dob, today);
    let mut groups = Vec::new();
    let mut disability = None;
    // Shares per 10,000 children, from the most to the least common group.
    let roll = rng.below(10_000);
    let mut upto = 0;
    let mut chosen = None;
    for &(share, group, subgroups, min_age) in GROUP_SHARES {
        upto += share;
        if roll < upto {
            chosen = (age >= min_age).then_some((group, subgroups));
            break;
        }
    }
    let (mut father_dead, mut mother_dead) = (rng.chance(0.01), rng.chance(0.005));
    if let Some((group, subgroups)) = chosen {
        let subgroup = (subgroups > 0).then(|| 1 + rng.below(subgroups) as i64);
        match group {
            // Orphans of both parents (group a) here live with relatives (sub-group 3).
            "a" => (father_dead, mother_dead) = (true, true),
            "c" => (father_dead, mother_dead) = (true, false),
            "d" => {
                let level = subgroup.unwrap_or(3);
                disability = Some(DisabilityInput {
                    level: ["especially_severe", "severe", "mild"][level as usize - 1].into(),
                    note: Some(rng.pick(&DISABILITY_KINDS).to_string()),
                });
            }
            _ => {}
        }
        groups.push(GroupInput {
            group: group.into(),
            subgroup: if group == "a" { Some(3) } else { subgroup },
            ..Default::default()
        });
    }
    if let Some(g) = groups.first_mut() {
        let since = dob + Duration::days(rng.below(days.max(1) as u64) as i64);
        g.since = Some(since.to_string());
    }
    let mother_family = names.family(rng);
    let child_year = dob.year() as i64;
    let mut carers = vec![
        CarerInput {
            relation: "father".into(),
            full_name: names.full(rng, &family, false),
            birth_year: Some(child_year - 24 - rng.below(14) as i64),
            occupation: Some(rng.pick(&JOBS).to_string()),
            phone: Some(format!("09{:08}", rng.below(100_000_000))),
            deceased: father_dead,
            lives_with_child: !father_dead,
            ..Default::default()
        },
        CarerInput {
            relation: "mother".into(),
            full_name: names.full(rng, &mother_family, true),
            birth_year: Some(child_year - 21 - rng.below(14) as i64),
            occupation: Some(rng.pick(&JOBS).to_string()),
            phone: Some(format!("03{:08}", rng.below(100_000_000))),
            deceased: mother_dead,
            lives_with_child: !mother_dead,
            ..Default::default()
        },
    ];
    if father_dead && mother_dead {
        carers.push(CarerInput {
            relation: "grandparent".into(),
            full_name: names.full(rng, &family, true),
            birth_year: Some(child_year - 50 - rng.below(15) as i64),
            occupation: Some("Làm ruộng".into()),
            lives_with_child: true,
            ..Default::default()
        });
    }
    let schooling = Some(match age {
        0..=2 => SchoolingInput {
            status: "not_yet".into(),
            ..Default::default()
        },
        3..=5 => SchoolingInput {
            status: "preschool".into(),
            school: Some("Trường Mầm non xã".into()),
            ..Default::default()
        },
        _ if groups.iter().any(|g| g.group == "h") => SchoolingInput {
            status: "dropped_out".into(),
            ..Default::default()
        },
        6..=10 => SchoolingInput {
            status: "in_school".into(),
            school: Some("Trường Tiểu học xã".into()),
            grade: Some(format!("Lớp {}", age - 5)),
        },
        _ => SchoolingInput {
            status: "in_school".into(),
            school: Some("Trường THCS xã".into()),
            grade: Some(format!("Lớp {}", (age - 5).min(9))),
        },
    });
    let ethnicity = if rng.chance(0.86) {
        "01".to_string()
    } else {
        format!("{:02}", 2 + rng.below(53))
    };
    ChildInput {
        full_name,
        date_of_birth: Some(dob.format("%d/%m/%Y").to_string()),
        sex: if female { "female" } else { "male" }.into(),
        ethnicity: Some(ethnicity),
        personal_id: rng.chance(0.75).then(|| {
            let century_sex = if female { 3 } else { 2 };
            format!(
                "0{province}{century_sex}{:02}{:06}",
                dob.year() % 100,
                (i as u64 * 7919 + 13) % 1_000_000
            )
        }),
        residence_status: if rng.chance(0.88) {
            "thuong_tru"
        } else {
            "tam_tru"
        }
        .into(),
        village: Some(rng.pick(villages).to_string()),
        carers,
        special_circumstances: groups,
        at_risk: rng.chance(0.05),
        disability,
        schooling,
        ..Default::default()
    }
}

/// A scenario: the case's age and its steps as (hours after receipt, step code, data).
type Scenario = (i64, Vec<(i64, &'static str, serde_json::Value)>);

fn scenarios() -> Vec<Scenario> {
    let ia = |serious: bool| {
        json!({"serious_risk": serious, "caused_by_parent_or_carer": serious,
        "conclusion": if serious { "Trẻ có nguy cơ bị tổn hại nghiêm trọng, cần can thiệp khẩn cấp." } else { "Chưa có nguy cơ nghiêm trọng; tiếp tục thu thập thông tin." },
        "criteria": [{"criterion": "harm_severity", "level": if serious { "high" } else { "medium" }}]})
    };
    let da = json!({"condition": "Trẻ sợ hãi, ít nói, có vết bầm ở tay.", "family": "Cha thường xuyên uống rượu.", "needs": "Tư vấn tâm lý; hỗ trợ học tập.", "plan_needed": true});
    let plan = json!({"goals": "Bảo đảm an toàn và ổn định tâm lý cho trẻ.", "activities": [
        {"service": "Tư vấn tâm lý cho trẻ", "responsible": "Cán bộ bảo vệ trẻ em xã", "provider": "Trung tâm công tác xã hội tỉnh", "cost": 2_000_000},
        {"service": "Tư vấn kỹ năng làm cha mẹ", "responsible": "Hội Liên hiệp Phụ nữ xã", "cost": 500_000}],
        "monitoring": "Thăm gia đình hằng tuần."});
    let approved = json!({"decision_no": "15/QĐ-UBND", "approver": "Chủ tịch UBND xã"});
    // Decree 56 Art 27 k2: the chair's needs meeting, whose minutes go with the plan (Art 28 k2 b).
    let meeting = json!({"participants": "Chủ tịch UBND xã, cán bộ bảo vệ trẻ em, trưởng thôn, mẹ của trẻ", "conclusions": "Cần tư vấn tâm lý và theo dõi gia đình."});
    let em = json!({"measures": ["police_intervention", "safe_place"], "child_location": "Nhà bà ngoại", "description": "Phối hợp công an xã ngăn chặn hành vi bạo lực."});
    vec![
        // Just received: the 12-hour window is running.
        (3, vec![]),
        // Received yesterday, no initial assessment: overdue.
        (20, vec![]),
        // Serious risk found, emergency measures not yet taken: countdown.
        (5, vec![(2, "initial_assessment", ia(true))]),
        // Serious risk, measures taken in time.
        (
            50,
            vec![
                (2, "initial_assessment", ia(true)),
                (6, "emergency_measures", em.clone()),
            ],
        ),
        // Temporary separation in force.
        (
            80,
            vec![
                (1, "initial_assessment", ia(true)),
                (
                    3,
                    "separation_decided",
                    json!({"decision_no": "08/QĐ-UBND", "grounds": "by_parent_or_carer", "separated_from": ["father"], "days": 10, "shelter": "Nhà bà ngoại", "carer": "Bà ngoại của trẻ", "decided_by": "Nguyễn Văn Quyết"}),
                ),
            ],
        ),
        // Planning, plan overdue (received two weeks ago).
        (
            14 * 24,
            vec![
                (4, "initial_assessment", ia(false)),
                (30, "detailed_assessment", da.clone()),
            ],
        ),
        // Awaiting the chair's approval.
        (
            6 * 24,
            vec![
                (3, "initial_assessment", ia(false)),
                (26, "detailed_assessment", da.clone()),
                (50, "needs_meeting", meeting.clone()),
                (70, "plan_drafted", plan.clone()),
                (90, "plan_submitted", json!({})),
            ],
        ),
        // Implementing.
        (
            30 * 24,
            vec![
                (2, "initial_assessment", ia(false)),
                (24, "detailed_assessment", da.clone()),
                (48, "needs_meeting", meeting.clone()),
                (72, "plan_drafted", plan.clone()),
                (80, "plan_submitted", json!({})),
                (100, "plan_approved", approved.clone()),
                (
                    200,
                    "implementation_activity",
                    json!({"description": "Buổi tư vấn tâm lý đầu tiên."}),
                ),
            ],
        ),
        // Review proposes ending the plan.
        (
            75 * 24,
            vec![
                (2, "initial_assessment", ia(false)),
                (24, "detailed_assessment", da.clone()),
                (48, "needs_meeting", meeting.clone()),
                (72, "plan_drafted", plan.clone()),
                (80, "plan_submitted", json!({})),
                (100, "plan_approved", approved.clone()),
                (
                    60 * 24,
                    "review",
                    json!({"proposal": "end", "reasons": "Trẻ ổn định, không còn nguy cơ."}),
                ),
            ],
        ),
        // Closed after the plan.
        (
            120 * 24,
            vec![
                (2, "initial_assessment", ia(true)),
                (5, "emergency_measures", em),
                (24, "detailed_assessment", da),
                (48, "needs_meeting", meeting),
                (72, "plan_drafted", plan),
                (80, "plan_submitted", json!({})),
                (100, "plan_approved", approved),
                (90 * 24, "review", json!({"proposal": "end"})),
                (92 * 24, "closed", json!({"reason": "plan_completed"})),
            ],
        ),
        // Unfounded.
        (
            40 * 24,
            vec![
                (
                    5,
                    "verification",
                    json!({"findings": "Thông tin không chính xác.", "confirmed": false}),
                ),
                (8, "closed", json!({"reason": "unfounded"})),
            ],
        ),
        // Transferred to another commune.
        (
            10 * 24,
            vec![
                (4, "initial_assessment", ia(false)),
                (
                    30,
                    "transferred",
                    json!({"to_commune": "09955", "note": "Gia đình chuyển nơi ở."}),
                ),
            ],
        ),
    ]
}

impl Session {
    /// Fills the register with `children` demonstration children and about one case per
    /// hundred children (at least one per stage), reproducibly from `seed`. Calls `progress`
    /// with (done, total) as it goes.
    pub fn generate_demo(
        &mut self,
        children: usize,
        seed: u64,
        now: Instant,
        progress: impl FnMut(u64, u64),
    ) -> Result<DemoSummary, CoreError> {
        self.require(crate::access::Action::Demo)?;
        self.generate_demo_sized(children, None, seed, now, progress)
    }

    /// As [`Session::generate_demo`], with `cases` cases instead of about one per hundred
    /// children (at most one per child; at least one per stage).
    pub fn generate_demo_sized(
        &mut self,
        children: usize,
        cases: Option<usize>,
        seed: u64,
        now: Instant,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<DemoSummary, CoreError> {
        self.require(crate::access::Action::Demo)?;
        self.set_origin(bvte_store::Origin::Demo);
        let mut rng = Rng::new(seed);
        let names = Names::load();
        let today = local_date(now);
        let commune = self.commune()?;
        let province = commune.province_code.clone();
        // Another commune of the same province, for the transfer scenario.
        let neighbour = bvte_domain::reference::units()
            .communes()
            .filter(|c| c.province_code == commune.province_code && c.code != commune.code)
            .map(|c| c.code.clone())
            .min()
            .unwrap_or_else(|| commune.code.clone());
        let n_villages = (children / 150).clamp(4, VILLAGES.len());
        let villages: Vec<&str> = VILLAGES[..n_villages].to_vec();
        let scenarios = scenarios();
        let n_cases = if children == 0 {
            0
        } else {
            cases
                .unwrap_or(children / 100)
                .max(scenarios.len())
                .min(children)
        };
        let total = (children + n_cases) as u64;
        let mut ids: Vec<ChildId> = Vec::with_capacity(children);
        let mut batch = Vec::new();
        for i in 0..children {
            batch.push(child(&mut rng, &names, i, today, &villages, &province));
            if batch.len() == 500 || i + 1 == children {
                ids.extend(self.add_children(&batch, now)?);
                batch.clear();
                progress(ids.len() as u64, total);
            }
        }
        let mut by_stage = BTreeMap::new();
        for k in 0..n_cases {
            let (age_hours, steps) = &scenarios[k % scenarios.len()];
            let age_hours = age_hours + rng.below(3) as i64;
            let received = now - Duration::hours(age_hours);
            let child_id = ids[rng.below(ids.len() as u64) as usize];
            let category = *rng.pick(&[
                "abused",
                "abused",
                "at_risk_violence",
                "at_risk_abandonment",
                "special_circumstances",
            ]);
            let input = CaseInput {
                child_id: child_id.to_string(),
                received_at: Some(to_rfc3339_local(received)),
                category: category.into(),
                abuse_forms: if category == "abused" {
                    vec![
                        rng.pick(&["violence", "neglect", "sexual_abuse", "abandonment"])
                            .to_string(),
                    ]
                } else {
                    vec![]
                },
                environment: rng
                    .pick(&["family", "family", "school", "community", "online"])
                    .to_string(),
                channel: rng
                    .pick(&["hotline_111", "phone", "in_person", "school", "police"])
                    .to_string(),
                summary: Some("Người dân báo trẻ bị đánh đập, bỏ mặc.".into()),
                incident_place: Some(rng.pick(&villages).to_string()),
                ..Default::default()
            };
            let view = match self.open_case(&input, now) {
                Ok(v) => v,
                // The child may have been born after the scenario's report date, or be too old
                // at it: pick another child next time.
                Err(CoreError::Invalid(_)) => continue,
                Err(e) => return Err(e),
            };
            for (h, step, data) in steps {
                let t = received + Duration::hours(*h);
                let mut data = data.clone();
                if *step == "transferred" {
                    data["to_commune"] = json!(neighbour);
                }
                // Decree 56 Art 32 k2: this commune's chair decides the separation.
                if *step == "separation_decided" {
                    data["decision_commune"] = json!(commune.code);
                }
                let input = StepInput {
                    step: step.to_string(),
                    occurred_at: Some(to_rfc3339_local(t)),
                    data,
                };
                // Entered when it happened, as an officer keeping up would (a step entered after
                // its limit is a completeness gap of the report: `step_recorded_late`).
                self.record_step(view.id, &input, t.min(now))?;
            }
            let stage = self.case_view(view.id, now)?.stage;
            *by_stage.entry(stage.to_string()).or_insert(0) += 1;
            progress((children + k + 1) as u64, total);
        }
        self.set_origin(bvte_store::Origin::Cli);
        Ok(DemoSummary {
            children: ids.len(),
            cases: by_stage.values().sum(),
            cases_by_stage: by_stage,
        })
    }
}
