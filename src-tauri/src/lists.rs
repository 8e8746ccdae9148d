//! "Nhập từ Excel" and "Xuất Excel" from the window (issue 12): the spreadsheets found on the
//! PC, the preview of a list, its import, the refused rows saved as .xlsx, the import history
//! and its undo, and the children list saved as .xlsx. Each command calls `bvte-core`.
//!
//! The file is given by its path: the screen lists the spreadsheets found in the usual places
//! (as the restore screen lists backups) and lets the officer type or paste any other path.

use crate::state::AppState;
use bvte_core::children::ChildQuery;
use bvte_core::error::Problem;
use bvte_core::import_run::{ImportBatch, ImportPreview, ImportProgress, ImportReport};
use bvte_core::list_files::{self, FoundList, ImportRequest};
use bvte_core::now;
use bvte_core::print_os::SavedForm;
use tauri::State;
use tauri::ipc::Channel;

type Res<T> = Result<T, Problem>;

/// Spreadsheets in the export folder, Documents, Downloads, Desktop and USB sticks, newest first.
#[tauri::command(async)]
pub fn find_lists(state: State<'_, AppState>) -> Vec<FoundList> {
    list_files::find_lists(&list_files::usual_places(&state.export_dir()))
}

/// What importing the file would do, with the first rows as they will be saved; writes nothing.
#[tauri::command(async)]
pub fn preview_import(state: State<'_, AppState>, request: ImportRequest) -> Res<ImportPreview> {
    state.with(|s| s.preview_import_file(&request, now()))
}

/// Imports the file in one batch, telling `on_progress` how far it is (the progress bar).
#[tauri::command(async)]
pub fn import_list(
    state: State<'_, AppState>,
    request: ImportRequest,
    on_progress: Channel<ImportProgress>,
) -> Res<ImportReport> {
    state.with(|s| {
        s.import_file_reporting(&request, now(), &mut |p| {
            // A window closed meanwhile does not stop the import.
            let _ = on_progress.send(p);
        })
    })
}

/// Saves the refused rows of the file as .xlsx into the export folder; `null` when none.
#[tauri::command(async)]
pub fn save_rejected_rows(
    state: State<'_, AppState>,
    request: ImportRequest,
) -> Res<Option<SavedForm>> {
    let dir = state.export_dir();
    state.with(|s| s.save_rejected_rows(&request, &dir, now()))
}

/// The imports made on this PC, newest first.
#[tauri::command(async)]
pub fn import_history(state: State<'_, AppState>) -> Res<Vec<ImportBatch>> {
    state.with(|s| s.import_history())
}

/// Undoes an import; answers how many records were deleted.
#[tauri::command(async)]
pub fn undo_import(state: State<'_, AppState>, batch_id: String) -> Res<u32> {
    state.with(|s| s.undo_import(&batch_id, now()))
}

/// "Xuất Excel": the children list as filtered saved as .xlsx into the export folder.
#[tauri::command(async)]
pub fn export_children(state: State<'_, AppState>, query: ChildQuery) -> Res<SavedForm> {
    let dir = state.export_dir();
    state.with(|s| s.save_children_xlsx(&query, &dir, now()))
}
