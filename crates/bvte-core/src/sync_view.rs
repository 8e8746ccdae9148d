//! What the officer sees of sync: the status bar, the conflicts waiting for a decision, and
//! whether the district server already has a record (issue 5).

use crate::error::CoreError;
use crate::session::Session;
use crate::sync::{ClockDrift, clock_drift, clock_warning};
use bvte_domain::Instant;
use bvte_domain::ids::{CaseId, ChildId};
use bvte_protocol::Entity;
use bvte_store::Conflict;
pub use bvte_store::Refusal;
use serde::Serialize;
use uuid::Uuid;

/// Where sync stands, for the status bar and the sync page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncOverview {
    /// Whether this PC is enrolled with a district server.
    pub enrolled: bool,
    /// The server, when enrolled.
    pub server_url: Option<String>,
    /// The name of the area the server serves, as it said at the last sync (the status bar
    /// shows "máy chủ" and this name).
    pub area_name: Option<String>,
    /// Changes made here that the server has not acknowledged yet.
    pub pending: u64,
    /// When a sync last completed (RFC 3339).
    pub last_success_at: Option<String>,
    /// The last attempt's error (Vietnamese), when it failed after the last success.
    pub last_error: Option<String>,
    /// When that error happened (RFC 3339).
    pub last_error_at: Option<String>,
    /// Server clock minus this PC's clock at the last contact, in milliseconds.
    pub clock_offset_ms: Option<i64>,
    /// Set when this PC's clock is off by more than 5 minutes (Vietnamese).
    pub clock_warning: Option<String>,
    /// The same, as data for the UI to word in either language.
    pub clock_drift: Option<ClockDrift>,
    /// Conflicts waiting for an officer.
    pub open_conflicts: u64,
    /// Changes of this PC the server refused, not yet marked as seen (listed by
    /// `sync_refusals`, each with the server's reason).
    pub refused: u64,
    /// Changes received and kept aside, not applied.
    pub held: u64,
    /// Of those, made by a newer BVTE: the officer should update BVTE.
    pub newer_format: u64,
}

/// Which value of a conflict the officer keeps (`"kept"` or `"other"` on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictChoice {
    /// The value in the record now.
    Kept,
    /// The value from the other device.
    Other,
}

/// A conflict with the record it belongs to named for a person.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ConflictView {
    /// The conflict.
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub conflict: Conflict,
    /// The child the record is about (the child, or the child of the case).
    pub child_name: String,
    /// The child's id, to open the profile.
    pub child_id: Option<String>,
}

impl Session {
    /// The sync status for the status bar.
    pub fn sync_overview(&self) -> Result<SyncOverview, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        let st = self.store.sync_status()?;
        Ok(SyncOverview {
            enrolled: st.server_url.is_some(),
            server_url: st.server_url,
            area_name: st.area_name,
            pending: st.pending,
            last_success_at: st.last_success_at,
            last_error: st.last_error,
            last_error_at: st.last_error_at,
            clock_offset_ms: st.clock_offset_ms,
            clock_warning: st.clock_offset_ms.and_then(clock_warning),
            clock_drift: st.clock_offset_ms.and_then(clock_drift),
            open_conflicts: st.open_conflicts,
            refused: st.refused,
            held: st.held,
            newer_format: st.newer_format,
        })
    }

    /// The changes of this PC the server refused and the officer has not marked as seen.
    pub fn sync_refusals(&self) -> Result<Vec<Refusal>, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        Ok(self.store.refusals()?)
    }

    /// Marks the refusals as seen (the officer has read them).
    pub fn dismiss_refusals(&mut self, now: bvte_domain::Instant) -> Result<(), CoreError> {
        self.require(crate::access::Action::ResolveConflicts)?;
        self.store.mark_refusals_seen(now)?;
        Ok(())
    }

    /// Open conflicts, oldest first, each with the child it concerns.
    pub fn conflicts(&self) -> Result<Vec<ConflictView>, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        let mut out = Vec::new();
        for conflict in self.store.open_conflicts()? {
            let (child_name, child_id) = self.conflict_child(&conflict);
            out.push(ConflictView {
                conflict,
                child_name,
                child_id,
            });
        }
        Ok(out)
    }

    fn conflict_child(&self, c: &Conflict) -> (String, Option<String>) {
        let Ok(id) = c.entity_id.parse::<Uuid>() else {
            return (String::new(), None);
        };
        let child_id = match c.entity.as_str() {
            "child" => Some(ChildId(id)),
            "case" => self.store.case(CaseId(id)).ok().map(|k| k.data.child_id),
            _ => None,
        };
        match child_id.and_then(|cid| self.store.child(cid).ok()) {
            Some(child) => (child.data.full_name, Some(child.id.to_string())),
            None => (String::new(), None),
        }
    }

    /// Keeps one side of a conflict. Written as a new edit, so every device settles on it after
    /// its next sync.
    pub fn resolve_conflict(
        &mut self,
        id: i64,
        take: ConflictChoice,
        now: Instant,
    ) -> Result<(), CoreError> {
        self.require(crate::access::Action::ResolveConflicts)?;
        let w = self.write_ctx(now);
        Ok(self
            .store
            .resolve_conflict(id, take == ConflictChoice::Other, &w)?)
    }

    /// Whether the server holds every change made here to a child (`None` when not enrolled).
    pub fn child_on_server(&self, id: Uuid) -> Result<Option<bool>, CoreError> {
        self.on_server(&[(Entity::Child, id)])
    }

    /// Whether the server holds every change made here to these records (`None` when not
    /// enrolled).
    pub fn on_server(&self, records: &[(Entity, Uuid)]) -> Result<Option<bool>, CoreError> {
        if self.store.enrollment()?.is_none() {
            return Ok(None);
        }
        for (entity, id) in records {
            if !self.store.on_server(*entity, *id)? {
                return Ok(Some(false));
            }
        }
        Ok(Some(true))
    }
}

/// What the desktop's sync is doing now, for the status bar.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncActivity {
    /// A run is in progress.
    pub running: bool,
    /// How far the run in progress is.
    pub progress: Option<crate::sync::SyncProgress>,
    /// Why the last run failed, when it did (both languages).
    pub problem: Option<crate::error::Problem>,
    /// What the last successful run did.
    pub last_report: Option<crate::sync::SyncReport>,
    /// After a failure: seconds until the next automatic try.
    pub retry_in_seconds: Option<i64>,
}

/// The sync status bar: what is stored, and what is happening.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncState {
    /// From the database.
    pub overview: SyncOverview,
    /// From the running app.
    pub activity: SyncActivity,
}
