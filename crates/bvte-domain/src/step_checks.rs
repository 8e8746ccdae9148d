//! The checks of a step's payload that do not depend on the case's history: those every step
//! passes, typed or synced (`validate_payload`, also run by `step_patch`), and the fields a step
//! must have when it is recorded now (`required_when_recorded`).

use crate::error::{ValidationError, ValidationErrors};
use crate::event::{CloseReason, Step};
use crate::time::parse_date;

/// Fields a step must have when it is recorded now, but that steps recorded before they were
/// required may lack: checked on what the officer types, never on synced steps (an old device's
/// step must still sync). Every missing field is reported at once, each with its own message.
pub(crate) fn required_when_recorded(step: &Step) -> Result<(), ValidationErrors> {
    let missing: Vec<ValidationError> = match step {
        // Decree 56 Art 32 k2 (the chair decides "theo Mẫu số 07", arranges "nơi tạm trú an
        // toàn" and applies "biện pháp chăm sóc thay thế") and k4 ("cần được thực hiện ngay việc
        // giao chăm sóc thay thế"): the decision names its number, the shelter, the carer, and
        // which chair of which commune decided.
        Step::SeparationDecided(d) => [
            ("data.decision_no", &d.decision_no),
            ("data.shelter", &d.shelter),
            ("data.carer", &d.carer),
            ("data.decided_by", &d.decided_by),
            ("data.decision_commune", &d.decision_commune),
        ]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(field, _)| ValidationError::Required {
            field: field.into(),
        })
        .collect(),
        _ => Vec::new(),
    };
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(missing))
    }
}

fn short(field: &str, s: &str) -> Result<(), ValidationError> {
    crate::text::clean_line(field, s, crate::text::MAX_SHORT_CHARS).map(|_| ())
}

/// Step-specific checks that do not depend on the case's history (also run on synced steps,
/// `step_patch`).
pub(crate) fn validate_payload(step: &mut Step) -> Result<(), ValidationError> {
    match step {
        Step::SeparationDecided(s) => {
            short("data.decision_no", &s.decision_no)?;
            short("data.decided_by", &s.decided_by)?;
            // Art 32 k2: a commune's chair decides; empty in steps recorded before the field.
            if !s.decision_commune.trim().is_empty() {
                let code = crate::reference::units()
                    .require_current("data.decision_commune", &s.decision_commune)?;
                s.decision_commune = code.code.clone();
            }
            if s.grounds.is_none() {
                return Err(ValidationError::Required {
                    field: "data.grounds".into(),
                });
            }
            if s.days == 0 {
                return Err(ValidationError::Required {
                    field: "data.days".into(),
                });
            }
            if s.days > crate::workflow::MAX_SEPARATION_DAYS {
                return Err(ValidationError::SeparationTooLong {
                    field: "data.days".into(),
                    total_days: s.days,
                });
            }
        }
        Step::SeparationExtended(s) => {
            short("data.decision_no", &s.decision_no)?;
            short("data.court", &s.court)?;
            // A court's continuation is its decision: its number is part of the record.
            if s.by_court() && s.decision_no.trim().is_empty() {
                return Err(ValidationError::Required {
                    field: "data.decision_no".into(),
                });
            }
            if s.extra_days == 0 {
                return Err(ValidationError::Required {
                    field: "data.extra_days".into(),
                });
            }
        }
        Step::SeparationRevoked(s) => short("data.decision_no", &s.decision_no)?,
        Step::ContinuationApproved(s) => short("data.decision_no", &s.decision_no)?,
        Step::PlanApproved(s) => {
            short("data.decision_no", &s.decision_no)?;
            short("data.approver", &s.approver)?;
        }
        Step::PlanDrafted(p) => {
            for (i, a) in p.activities.iter_mut().enumerate() {
                let iso = |f: &str, d: &mut Option<String>| -> Result<(), ValidationError> {
                    if let Some(s) = d.as_deref().filter(|s| !s.trim().is_empty()) {
                        let date = parse_date(&format!("data.activities[{i}].{f}"), s)?;
                        *d = Some(date.format("%Y-%m-%d").to_string());
                    } else {
                        *d = None;
                    }
                    Ok(())
                };
                iso("start", &mut a.start)?;
                iso("end", &mut a.end)?;
                if let (Some(s), Some(e)) = (&a.start, &a.end)
                    && e < s
                {
                    return Err(ValidationError::PeriodInverted {
                        field: format!("data.activities[{i}].end"),
                    });
                }
            }
        }
        Step::Review(r) if r.proposal.is_none() => {
            return Err(ValidationError::Required {
                field: "data.proposal".into(),
            });
        }
        Step::Closed(c) => match c.reason {
            None => {
                return Err(ValidationError::Required {
                    field: "data.reason".into(),
                });
            }
            Some(CloseReason::Other) if c.note.is_empty() => {
                return Err(ValidationError::Required {
                    field: "data.note".into(),
                });
            }
            _ => {}
        },
        Step::Transferred(t) => {
            if t.to_commune.trim().is_empty() {
                return Err(ValidationError::Required {
                    field: "data.to_commune".into(),
                });
            }
            let code =
                crate::reference::units().require_current("data.to_commune", &t.to_commune)?;
            t.to_commune = code.code.clone();
        }
        _ => {}
    }
    Ok(())
}
