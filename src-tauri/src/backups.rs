//! Backups from the window (issue 14): "Sao lưu ngay" and the last backup in Settings, the app's
//! own backups (when the window closes or the officer locks it, and once a day while it is
//! open, whenever work was recorded), and, on a PC with no register yet, the list of backups
//! found here or on a USB stick and the restore of one of them. Each command calls `bvte-core`.

use crate::state::AppState;
use bvte_core::app::AppStatus;
use bvte_core::backup::{self, FoundBackup};
use bvte_core::backup_schedule::BackupStatus;
use bvte_core::error::{CoreError, Problem};
use bvte_core::now;
use std::path::Path;
use std::time::Duration;
use tauri::State;

type Res<T> = Result<T, Problem>;

/// How often the app looks whether the daily backup is due.
const DAILY_CHECK: Duration = Duration::from_secs(10 * 60);

/// The folder backups go to and the last one made.
#[tauri::command(async)]
pub fn backup_status(state: State<'_, AppState>) -> Res<BackupStatus> {
    let default = state.backup_dir();
    state.with(|s| s.backup_status(&default))
}

/// "Sao lưu ngay": prepared under the session, written without it (the window keeps
/// answering), then recorded.
#[tauri::command(async)]
pub fn backup_now(state: State<'_, AppState>) -> Res<BackupStatus> {
    let default = state.backup_dir();
    let prepared = state.with(|s| s.prepare_backup(&default))?;
    let done = prepared.run(now()).map_err(Problem::from)?;
    state.with(|s| s.record_backup(&done, &default))
}

/// Backups found in the backup folder and on removable drives, newest first (set-up screen).
#[tauri::command(async)]
pub fn find_backups(state: State<'_, AppState>) -> Vec<FoundBackup> {
    backup::find_backups(&backup::usual_places(&state.backup_dir()))
}

/// On a PC with no register: restores `path` and unlocks it with the passphrase of when the
/// backup was taken.
#[tauri::command(async)]
pub fn restore_backup(
    state: State<'_, AppState>,
    path: String,
    passphrase: String,
) -> Res<AppStatus> {
    let session = backup::restore_at_setup(&state.db(), Path::new(&path), &passphrase, now())?;
    state.set_session(Some(session));
    Ok(state.status())
}

/// The app's own backup: when closing (or locking), or when the last one is a day old; never
/// when nothing was recorded since. Quiet: a locked app or a missing USB stick is not an error
/// the officer must act on here (Settings shows the last backup).
pub fn auto(state: &AppState, closing: bool) {
    let default = state.backup_dir();
    let made = (|| {
        let Some(prepared) = state.with_quiet(|s| s.backup_due(&default, closing, now()))? else {
            return Ok(());
        };
        let done = prepared.run(now())?;
        state.with_quiet(|s| s.record_backup(&done, &default))?;
        Ok(())
    })();
    match made {
        Ok(()) | Err(CoreError::Locked) => {}
        // No personal data in the message: codes and paths only.
        Err(e) => eprintln!("BVTE: sao lưu tự động không thành công ({}).", e.code()),
    }
}

/// The daily check, on its own thread.
pub fn daily(state: &AppState) {
    loop {
        std::thread::sleep(DAILY_CHECK);
        auto(state, false);
    }
}
