//! Readings of the law that a province may choose for the deadline computation, where Decree 56
//! leaves the text open. Today one: when the 5 working days of Art 28 k1 start.
//!
//! **Where the setting lives.** Deadlines must be the same on every device of a province and on
//! its server (the area report counts them), and they are computed in this pure crate, so the
//! setting is reference data shipped with the application, not an officer's local preference:
//! `assets/reference/deadline_settings_by_province.csv` (one row per province that reads the law
//! otherwise; none today), embedded and read by [`crate::reference::deadline_settings`] from the
//! case's commune. A province that adopts another reading asks for its row in the next release.
//! A province without a row uses [`DeadlineSettings::default`]: the clock starts at receipt.

use crate::codes::Code;
use std::collections::BTreeMap;

crate::code_enum!(
    /// When the 5 working days to build the plan and submit it to the chair start (Decree 56
    /// Art 28 k1). The article names no start event: it has no "kể từ", unlike other limits of
    /// the decree (`docs/legal/decree56-articles.md` §4), only its basis, "Căn cứ mức độ tổn hại
    /// và nhu cầu cần hỗ trợ, can thiệp đối với trẻ em". For a new plan cycle (Art 30 k1 c) the
    /// clock starts at the review that opened it, or at the step named here if it comes later in
    /// that cycle.
    PlanClockStart {
        /// From receipt of the report (the default: the reading that protects the child, and the
        /// one the provincial procedure pages use).
        Receipt = ("receipt", "Từ khi tiếp nhận thông tin", "From receipt of the report"),
        /// From the detailed assessment (Mẫu 03, Art 27 k1), which determines the harm and the
        /// needs the article says the plan is based on.
        DetailedAssessment = ("detailed_assessment", "Từ khi thu thập thông tin, đánh giá nguy cơ cụ thể (Mẫu 03)", "From the detailed assessment (form 03)"),
        /// From the needs meeting chaired by the chair (Art 27 k2), which decides the measures.
        NeedsMeeting = ("needs_meeting", "Từ cuộc họp xác định nhu cầu hỗ trợ, can thiệp", "From the needs meeting"),
    }
);

/// The readings used to compute a case's deadlines (see the module's documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeadlineSettings {
    /// When the plan's 5 working days start (Decree 56 Art 28 k1).
    pub plan_clock_start: PlanClockStart,
}

impl Default for DeadlineSettings {
    /// Receipt of the report starts the plan's clock.
    fn default() -> Self {
        Self {
            plan_clock_start: PlanClockStart::Receipt,
        }
    }
}

/// The settings of each province that reads the law otherwise than the default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProvinceDeadlineSettings {
    by_province: BTreeMap<String, DeadlineSettings>,
}

impl ProvinceDeadlineSettings {
    /// Reads `province_code,plan_clock_start` rows (a header first). An unknown reading, a
    /// missing value or a province listed twice is an error naming the line: a typo must never
    /// silently fall back to the default.
    pub fn from_csv(csv: &str) -> Result<Self, String> {
        let mut by_province = BTreeMap::new();
        let mut lines = csv.lines().enumerate();
        match lines.next() {
            Some((_, h)) if h.trim() == "province_code,plan_clock_start" => {}
            other => return Err(format!("dòng 1: tiêu đề không đúng: {other:?}")),
        }
        for (i, line) in lines {
            if line.trim().is_empty() {
                continue;
            }
            let n = i + 1;
            let (province, start) = line
                .split_once(',')
                .ok_or_else(|| format!("dòng {n}: cần hai cột"))?;
            let province = province.trim();
            if province.is_empty() {
                return Err(format!("dòng {n}: thiếu mã tỉnh"));
            }
            let start = PlanClockStart::parse("plan_clock_start", start.trim())
                .map_err(|e| format!("dòng {n}: {}", e.message_vi()))?;
            let settings = DeadlineSettings {
                plan_clock_start: start,
            };
            if by_province.insert(province.to_string(), settings).is_some() {
                return Err(format!("dòng {n}: tỉnh {province} đã có"));
            }
        }
        Ok(Self { by_province })
    }

    /// The settings of the province with `province_code` (the default if it has no row).
    pub fn for_province(&self, province_code: &str) -> DeadlineSettings {
        self.by_province
            .get(province_code.trim())
            .copied()
            .unwrap_or_default()
    }

    /// The provinces with a row.
    pub fn provinces(&self) -> impl Iterator<Item = &str> {
        self.by_province.keys().map(String::as_str)
    }
}
