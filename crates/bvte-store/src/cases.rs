//! Cases and their steps. A case row holds what was reported; its steps are append-only events
//! (the database refuses updates and deletes on them). Whether a step is allowed is decided by
//! the caller's check, run inside the write transaction so two programs cannot both record a
//! step that only one of them may.

use crate::Store;
use crate::children::{child_in, replace_in, require_child};
use crate::error::{Result, StoreError};
use crate::write::{WriteCtx, record_change, to_fields};
use bvte_domain::case::{Case, CaseData, NewCase, Reporter};
use bvte_domain::child::{Child, ChildData};
use bvte_domain::codes::Code;
use bvte_domain::event::{CaseEvent, Step};
use bvte_domain::{CaseId, ChildId, EventId, Instant, ValidationError};
use bvte_protocol::{ChangeKind, Entity};
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::HashMap;
use std::path::Path;

pub(crate) fn insert_event(tx: &Transaction<'_>, e: &CaseEvent) -> Result<()> {
    let data = serde_json::to_value(&e.step)?;
    tx.execute(
        "INSERT INTO case_events (id, case_id, occurred_at, recorded_at, author, step, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            e.id.to_string(),
            e.case_id.to_string(),
            e.occurred_at.to_rfc3339(),
            e.recorded_at.to_rfc3339(),
            e.author,
            e.step.kind().code(),
            data["data"].to_string(),
        ],
    )?;
    Ok(())
}

type EventRow = (String, String, String, String, String, String, String);

fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EventRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

const EVENT_COLUMNS: &str = "id, case_id, occurred_at, recorded_at, author, step, data";

fn corrupt(path: &Path, what: &str) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        reason: format!("{what} không hợp lệ"),
    }
}

fn parse_event(
    path: &Path,
    (id, case_id, occ, rec, author, step, data): EventRow,
) -> Result<CaseEvent> {
    let step: Step = serde_json::from_value(serde_json::json!({
        "step": step,
        "data": serde_json::from_str::<serde_json::Value>(&data)?,
    }))?;
    Ok(CaseEvent {
        id: id.parse().map_err(|_| corrupt(path, "mã bước"))?,
        case_id: case_id.parse().map_err(|_| corrupt(path, "mã vụ việc"))?,
        occurred_at: occ.parse().map_err(|_| corrupt(path, "thời điểm"))?,
        recorded_at: rec.parse().map_err(|_| corrupt(path, "thời điểm ghi"))?,
        author,
        step,
    })
}

impl Store {
    fn parse_event(&self, row: EventRow) -> Result<CaseEvent> {
        parse_event(&self.path, row)
    }

    fn corrupt(&self, what: &str) -> StoreError {
        corrupt(&self.path, what)
    }

    fn parse_case(&self, (id, data, created): (String, String, String)) -> Result<Case> {
        Ok(Case {
            id: id.parse().map_err(|_| self.corrupt("mã vụ việc"))?,
            data: serde_json::from_str(&data)?,
            created_at: created.parse().map_err(|_| self.corrupt("thời điểm tạo"))?,
        })
    }

    /// Opens a case: the case, the confidential reporter and the report (Mẫu 01) as its first
    /// step, in one transaction.
    pub fn insert_case(&mut self, new: &NewCase, w: &WriteCtx) -> Result<(Case, CaseEvent)> {
        let device = self.installation.device_id;
        let id = CaseId::generate();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        require_child(&tx, new.data.child_id)?;
        tx.execute(
            "INSERT INTO cases (id, child_id, received_at, category, data, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                id.to_string(),
                new.data.child_id.to_string(),
                new.data.received_at.to_rfc3339(),
                new.data.category.code(),
                serde_json::to_string(&new.data)?,
                w.now.to_rfc3339(),
            ],
        )?;
        // The reporter stays on this device: it is kept apart and never enters the change log,
        // so it is neither synced nor shown in lists and exports.
        if let Some(r) = &new.reporter {
            tx.execute(
                "INSERT INTO case_reporters (case_id, data) VALUES (?1, ?2)",
                params![id.to_string(), serde_json::to_string(r)?],
            )?;
        }
        let fields = to_fields(&new.data)?;
        record_change(
            &tx,
            device,
            w,
            Entity::Case,
            id.0,
            ChangeKind::UpsertFields,
            fields,
        )?;
        let intake = CaseEvent {
            id: EventId::generate(),
            case_id: id,
            occurred_at: new.data.received_at,
            recorded_at: w.now,
            author: w.author.clone(),
            step: Step::Intake(new.intake.clone()),
        };
        insert_event(&tx, &intake)?;
        record_change(
            &tx,
            device,
            w,
            Entity::CaseEvent,
            intake.id.0,
            ChangeKind::AppendEvent,
            to_fields(&intake)?,
        )?;
        tx.commit()?;
        Ok((
            Case {
                id,
                data: new.data.clone(),
                created_at: w.now,
            },
            intake,
        ))
    }

    /// Appends a step after `check` accepts it given the case and its steps so far; both run
    /// in one transaction.
    pub fn append_event(
        &mut self,
        case_id: CaseId,
        occurred_at: Instant,
        step: Step,
        w: &WriteCtx,
        check: impl FnOnce(&Case, &[CaseEvent]) -> std::result::Result<(), ValidationError>,
    ) -> Result<CaseEvent> {
        self.append_event_with_child(case_id, occurred_at, step, w, |case, events, _| {
            check(case, events).map(|()| None)
        })
    }

    /// Appends a step after `check` accepts it given the case, its steps so far and its child;
    /// when `check` answers new content for the child, the child's record is replaced with it
    /// in the same transaction, after the step (the hand-over of a child who lives in another
    /// commune moves its record home: both changes reach the server together, step first).
    pub fn append_event_with_child(
        &mut self,
        case_id: CaseId,
        occurred_at: Instant,
        step: Step,
        w: &WriteCtx,
        check: impl FnOnce(
            &Case,
            &[CaseEvent],
            &Child,
        ) -> std::result::Result<Option<ChildData>, ValidationError>,
    ) -> Result<CaseEvent> {
        let device = self.installation.device_id;
        let case = self.case(case_id)?;
        // Read and write under one IMMEDIATE transaction so the check sees the latest steps.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let rows: Vec<EventRow> = {
            let mut q = tx.prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS} FROM case_events WHERE case_id = ?1"
            ))?;
            q.query_map([case_id.to_string()], event_row)?
                .collect::<rusqlite::Result<_>>()?
        };
        let events: Vec<CaseEvent> = rows
            .into_iter()
            .map(|r| parse_event(&self.path, r))
            .collect::<Result<_>>()?;
        let child = child_in(&tx, &self.path, case.data.child_id)?;
        let child_after =
            check(&case, &events, &child).map_err(bvte_domain::ValidationErrors::from)?;
        let event = CaseEvent {
            id: EventId::generate(),
            case_id,
            occurred_at,
            recorded_at: w.now,
            author: w.author.clone(),
            step,
        };
        insert_event(&tx, &event)?;
        record_change(
            &tx,
            device,
            w,
            Entity::CaseEvent,
            event.id.0,
            ChangeKind::AppendEvent,
            to_fields(&event)?,
        )?;
        if let Some(data) = child_after {
            replace_in(&tx, device, w, &child, &data)?;
        }
        tx.commit()?;
        Ok(event)
    }

    /// One case.
    pub fn case(&self, id: CaseId) -> Result<Case> {
        let row = self
            .conn
            .query_row(
                "SELECT id, data, created_at FROM cases WHERE id = ?1",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "vụ việc",
                id: id.to_string(),
            })?;
        self.parse_case(row)
    }

    /// A case's steps in the order they happened.
    pub fn case_events(&self, id: CaseId) -> Result<Vec<CaseEvent>> {
        let mut q = self.conn.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM case_events WHERE case_id = ?1 ORDER BY occurred_at, recorded_at, id"
        ))?;
        let rows = q.query_map([id.to_string()], event_row)?;
        rows.map(|r| self.parse_event(r?)).collect()
    }

    /// All cases (optionally of one child), newest report first.
    pub fn cases(&self, child: Option<ChildId>) -> Result<Vec<Case>> {
        let mut q = self.conn.prepare_cached(
            "SELECT id, data, created_at FROM cases WHERE ?1 IS NULL OR child_id = ?1
             ORDER BY received_at DESC, id",
        )?;
        let rows = q.query_map([child.map(|c| c.to_string())], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        rows.map(|r| self.parse_case(r?)).collect()
    }

    /// Every case's steps, grouped by case (one query, for lists and overviews).
    pub fn all_case_events(&self) -> Result<HashMap<CaseId, Vec<CaseEvent>>> {
        let mut q = self
            .conn
            .prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM case_events"))?;
        let rows = q.query_map([], event_row)?;
        let mut out: HashMap<CaseId, Vec<CaseEvent>> = HashMap::new();
        for r in rows {
            let e = self.parse_event(r?)?;
            out.entry(e.case_id).or_default().push(e);
        }
        Ok(out)
    }

    /// The confidential reporter of a case, for printing Mẫu 01 only.
    pub fn case_reporter(&self, id: CaseId) -> Result<Option<Reporter>> {
        let data: Option<String> = self
            .conn
            .query_row(
                "SELECT data FROM case_reporters WHERE case_id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(data.map(|d| serde_json::from_str(&d)).transpose()?)
    }

    /// The content a case was opened with (without the reporter).
    pub fn case_data(&self, id: CaseId) -> Result<CaseData> {
        Ok(self.case(id)?.data)
    }
}
