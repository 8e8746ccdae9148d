//! What to fix before sending: records with a gap, named by id only (never by name).

use crate::cases::Handled;
use crate::input::ReportChild;
use crate::period::Period;
use bvte_domain::Instant;
use bvte_domain::calendar::WorkingCalendar;
use bvte_domain::child::ResidenceStatus;
use bvte_domain::codes::Code;
use bvte_domain::deadline::DeadlineStatus;
use bvte_domain::time::to_rfc3339_local;
use serde::Serialize;

/// One gap. `kind` is one of `child_no_birth_date`, `child_no_residence`, `child_no_village`,
/// `case_overdue`, `step_recorded_late`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// What is missing or late.
    pub kind: &'static str,
    /// `child` or `case`.
    pub record: &'static str,
    /// The record's id.
    pub id: String,
    /// For `case_overdue`: the stage the case is stuck at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<&'static str>,
    /// For `case_overdue`: the deadline rule missed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    /// For `case_overdue`: its limit (RFC 3339, Vietnam time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_at: Option<String>,
}

impl Gap {
    /// What is missing, as the officer reads it (Vietnamese).
    pub fn label_vi(&self) -> &'static str {
        match self.kind {
            "child_no_birth_date" => "Chưa có ngày sinh",
            "child_no_residence" => "Chưa rõ tình trạng cư trú",
            "child_no_village" => "Chưa có thôn/tổ dân phố",
            "case_overdue" => "Quá thời hạn xử lý mà chưa thực hiện",
            "step_recorded_late" => "Bước ghi đúng hạn nhưng được nhập vào sau khi đã quá hạn",
            _ => "Cần kiểm tra",
        }
    }

    /// What is missing, in English.
    pub fn label_en(&self) -> &'static str {
        match self.kind {
            "child_no_birth_date" => "No date of birth",
            "child_no_residence" => "Residence status unknown",
            "child_no_village" => "No village",
            "case_overdue" => "Deadline passed, step not done",
            "step_recorded_late" => "Step dated in time but entered after the deadline had passed",
            _ => "To check",
        }
    }
}

fn child_gap(kind: &'static str, c: &ReportChild) -> Gap {
    Gap {
        kind,
        record: "child",
        id: c.id().to_string(),
        stage: None,
        rule: None,
        due_at: None,
    }
}

/// Children of the report without a date of birth (an estimated age is not one), a known
/// residence status or a village; open cases with a deadline passed and not met at the period's
/// end (or now, when it ends today); and steps dated within a limit that falls in the period
/// but entered after it had passed (`step_recorded_late`): the report counts the limit as met,
/// as the step is dated, and the officer checks the date before sending.
pub fn gaps(
    kids: &[&ReportChild],
    load: &[Handled<'_>],
    period: &Period,
    cal: &WorkingCalendar,
    now: Instant,
) -> Vec<Gap> {
    let mut out = Vec::new();
    for c in kids {
        let d = c.data();
        if d.date_of_birth.is_none() {
            out.push(child_gap("child_no_birth_date", c));
        }
        if d.residence_status == ResidenceStatus::ChuaRo {
            out.push(child_gap("child_no_residence", c));
        }
        if d.village.trim().is_empty() {
            out.push(child_gap("child_no_village", c));
        }
    }
    for h in load {
        for dl in h.deadlines(period, cal, now) {
            // The step that met the limit is the one dated when it was met.
            let late = dl.met_at.is_some_and(|met| {
                met <= dl.due_at
                    && period.contains(dl.due_at)
                    && h.case
                        .events()
                        .iter()
                        .any(|e| e.occurred_at == met && e.recorded_at > dl.due_at)
            });
            if late {
                out.push(Gap {
                    kind: "step_recorded_late",
                    record: "case",
                    id: h.case.id().to_string(),
                    stage: None,
                    rule: Some(dl.rule.code()),
                    due_at: Some(to_rfc3339_local(dl.due_at)),
                });
            }
        }
    }
    for h in load.iter().filter(|h| h.at_end.is_open()) {
        for dl in h.deadlines(period, cal, now) {
            if dl.status == DeadlineStatus::Overdue {
                out.push(Gap {
                    kind: "case_overdue",
                    record: "case",
                    id: h.case.id().to_string(),
                    stage: Some(h.at_end.stage().code()),
                    rule: Some(dl.rule.code()),
                    due_at: Some(to_rfc3339_local(dl.due_at)),
                });
            }
        }
    }
    out
}
