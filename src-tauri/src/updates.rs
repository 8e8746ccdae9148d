//! App updates from the window (issue 13): "Kiểm tra cập nhật" in Settings asks the area server
//! and downloads a newer release into the update folder beside the register, checked before it
//! is shown; "Lấy từ thư mục" takes an update folder from a USB stick, checked the same way.
//! Nothing is installed from here yet (docs/updates.md, "Installing"). Each command calls
//! `bvte-core`.

use crate::commands::off_runtime;
use crate::state::AppState;
use bvte_core::error::Problem;
use bvte_core::update::{self, UpdateCheck, UpdateOffer, this_target};
use std::path::Path;
use tauri::State;

type Res<T> = Result<T, Problem>;

/// "Kiểm tra cập nhật": the newest release the area server holds for this PC, downloaded and
/// checked when it is newer; the session is lent only for the local steps.
#[tauri::command(async)]
pub fn update_check(state: State<'_, AppState>) -> Res<UpdateCheck> {
    let state: &AppState = &state;
    Ok(off_runtime(|| update::check_update(state, &this_target()))?)
}

/// "Lấy từ thư mục": an update folder (USB) checked, then copied beside the register.
#[tauri::command(async)]
pub fn update_from_folder(state: State<'_, AppState>, dir: String) -> Res<UpdateOffer> {
    // Who may take an update is decided in bvte-core's matrix, as for every action.
    let db = state.with(|s| {
        s.require(bvte_core::access::Action::Update)?;
        Ok(s.store.path().to_owned())
    })?;
    Ok(update::from_folder(
        Path::new(dir.trim()),
        &db,
        &this_target(),
    )?)
}
