//! "Nhật ký truy cập" (issue 14): the audit trail, newest first and filtered, and the check of
//! its chain. Each command calls `bvte-core`.

use crate::state::AppState;
use bvte_core::audit::{AuditFilter, AuditPage, AuditVerdict};
use bvte_core::error::Problem;
use tauri::State;

type Res<T> = Result<T, Problem>;

/// One page of the trail.
#[tauri::command(async)]
pub fn audit_page(state: State<'_, AppState>, filter: AuditFilter) -> Res<AuditPage> {
    state.with(|s| s.audit_page(&filter))
}

/// Whether every entry follows from the one before.
#[tauri::command(async)]
pub fn audit_verify(state: State<'_, AppState>) -> Res<AuditVerdict> {
    state.with(|s| s.audit_verdict())
}
