//! The audit trail as the use cases write it (issue 14): views of a child's record or a case,
//! prints, exports, backups, restores and sign-ins, entered with the officer, the origin, the
//! time and record ids only (`bvte-store` enters every change itself, in the change's
//! transaction, and keeps the chain).

use crate::Session;
use crate::error::CoreError;
use bvte_domain::codes::Code;
use bvte_domain::error::ValidationError;
use bvte_domain::{CaseId, ChildId, Instant};
use bvte_store::{AuditAction, AuditCheck, AuditEntry, AuditQuery};
use serde::{Deserialize, Serialize};

impl Session {
    /// Enters what the officer saw or did.
    pub(crate) fn note(
        &self,
        now: Instant,
        action: AuditAction,
        target: &str,
        detail: &str,
    ) -> Result<(), CoreError> {
        Ok(self
            .store
            .audit(&self.write_ctx(now), action, target, detail)?)
    }

    /// Enters that a form was printed, saved or opened (`how`: `print`, `save`, `open`,
    /// `file`).
    pub fn note_print(
        &self,
        case: Option<CaseId>,
        form: &str,
        how: &str,
        now: Instant,
    ) -> Result<(), CoreError> {
        let target = match case {
            Some(id) => format!("case:{id}"),
            None => "blank".into(),
        };
        self.note(
            now,
            AuditAction::Print,
            &target,
            &format!("Mẫu {form} ({how})"),
        )
    }

    /// The trail after entry `after`, oldest first (at most `limit`), only `action` when given.
    pub fn audit_trail(
        &self,
        after: i64,
        limit: u32,
        action: Option<AuditAction>,
    ) -> Result<Vec<AuditEntry>, CoreError> {
        self.require(crate::access::Action::AuditView)?;
        Ok(self.store.audit_entries(after, limit, action)?)
    }

    /// Checks the whole chain.
    pub fn verify_audit(&self) -> Result<AuditCheck, CoreError> {
        self.require(crate::access::Action::AuditView)?;
        Ok(self.store.verify_audit()?)
    }
}

/// Which entries "Nhật ký truy cập" shows (newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default, deny_unknown_fields)]
pub struct AuditFilter {
    /// The next page: entries numbered below this one.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub before: Option<i64>,
    /// At most this many (50 when not given, 500 at most).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub limit: Option<u32>,
    /// Only this action (an [`AuditAction`] code).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub action: Option<String>,
    /// Only what touched this child: its record, its cases and their steps ("who saw this
    /// child's file?", issue 14).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub child: Option<ChildId>,
    /// Only what touched this case and its steps.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub case: Option<CaseId>,
}

/// A record an entry names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AuditRecord {
    /// `child`, `case`, `case_event`, `form`, `register`, `session`…
    pub kind: String,
    /// Its id (or the form's number); empty for `register` and `session`.
    pub id: String,
}

/// One entry as "Nhật ký truy cập" shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AuditRow {
    /// Its number.
    pub seq: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// The account signed in (empty for entries made before accounts).
    pub account: String,
    /// From where (`ui`, `cli`, `import`, `demo`).
    pub origin: String,
    /// What (an [`AuditAction`] code).
    pub action: String,
    /// What, in Vietnamese.
    pub action_vi: String,
    /// What, in English.
    pub action_en: String,
    /// The records it names.
    pub records: Vec<AuditRecord>,
    /// More (a change's kind, a form and how it left, a count), never personal data.
    pub detail: String,
}

/// A page of the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AuditPage {
    /// Newest first.
    pub rows: Vec<AuditRow>,
    /// Pass as `before` for the next (older) page; `None` when this is the last.
    pub next_before: Option<i64>,
}

/// The trail's check, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AuditVerdict {
    /// Entries that follow one from the other.
    pub entries: i64,
    /// The first entry that does not, if any.
    pub first_broken: Option<i64>,
    /// Why, in Vietnamese.
    pub reason: Option<String>,
}

impl Session {
    /// "Nhật ký truy cập": one page of the trail, newest first (issue 14).
    pub fn audit_page(&self, f: &AuditFilter) -> Result<AuditPage, CoreError> {
        self.require(crate::access::Action::AuditView)?;
        let action = match f.action.as_deref().filter(|a| !a.is_empty()) {
            None => None,
            Some(code) => Some(AuditAction::from_code(code).ok_or_else(|| {
                ValidationError::UnknownCode {
                    field: "action".into(),
                    value: bvte_domain::text::truncate_for_message(code),
                    allowed: AuditAction::ALL
                        .iter()
                        .map(|a| a.code().to_string())
                        .collect(),
                }
            })?),
        };
        let mut records = Vec::new();
        let cases = match (f.child, f.case) {
            (Some(child), _) => {
                records.push(format!("child:{child}"));
                self.store
                    .cases(Some(child))?
                    .into_iter()
                    .map(|c| c.id)
                    .collect()
            }
            (None, Some(case)) => vec![case],
            (None, None) => Vec::new(),
        };
        for case in cases {
            records.push(format!("case:{case}"));
            for e in self.store.case_events(case)? {
                records.push(format!("case_event:{}", e.id));
            }
        }
        let limit = f.limit.unwrap_or(50).clamp(1, 500);
        let entries = self.store.audit_page(&AuditQuery {
            before: f.before,
            // One more than asked, to know whether an older page exists.
            limit: limit + 1,
            action,
            records,
        })?;
        let more = entries.len() > limit as usize;
        let rows: Vec<AuditRow> = entries
            .into_iter()
            .take(limit as usize)
            .map(audit_row)
            .collect();
        let next_before = if more {
            rows.last().map(|r| r.seq)
        } else {
            None
        };
        Ok(AuditPage { rows, next_before })
    }

    /// Checks the whole chain, for the window.
    pub fn audit_verdict(&self) -> Result<AuditVerdict, CoreError> {
        self.require(crate::access::Action::AuditView)?;
        let check = self.store.verify_audit()?;
        Ok(AuditVerdict {
            entries: check.entries,
            first_broken: check.first_broken.as_ref().map(|(seq, _)| *seq),
            reason: check.first_broken.map(|(_, why)| why),
        })
    }
}

fn audit_row(e: AuditEntry) -> AuditRow {
    let (action_vi, action_en) = AuditAction::ALL
        .iter()
        .find(|a| a.code() == e.action)
        .map_or((e.action.clone(), e.action.clone()), |a| {
            (a.label_vi().to_string(), a.label_en().to_string())
        });
    let records = e
        .target
        .split_whitespace()
        .map(|t| match t.split_once(':') {
            Some((kind, id)) => AuditRecord {
                kind: kind.into(),
                id: id.into(),
            },
            None => AuditRecord {
                kind: t.into(),
                id: String::new(),
            },
        })
        .collect();
    AuditRow {
        seq: e.seq,
        at: e.at,
        actor: e.actor,
        account: e.account,
        origin: e.origin,
        action: e.action,
        action_vi,
        action_en,
        records,
        detail: e.detail,
    }
}
