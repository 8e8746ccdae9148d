//! # bvte-desktop — the window the commune officer works in
//!
//! A thin Tauri shell: each command takes the app state, calls one `bvte-core` function and maps
//! its error to the `{code, message, message_en, fields, retry_after_seconds}` the UI shows
//! (docs/desktop-api.md). No SQL and no rules here. The database lives in the app data folder,
//! or in `BVTE_DATA_DIR` when set (tests, IT staff moving it to another disk); printed forms are
//! saved into `Documents/BVTE`, or `BVTE_EXPORT_DIR` when set.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod accounts;
mod audit;
mod backups;
mod commands;
mod lists;
mod rendering;
mod state;
mod sync_loop;
mod updates;

fn main() {
    rendering::choose();
    let state = state::AppState::from_env();
    tauri::Builder::default()
        .setup(|app| {
            use tauri::Manager;
            let state: tauri::State<'_, state::AppState> = app.state();
            state.resolve_dir(app.path().app_data_dir().ok());
            state.resolve_export_dir(app.path().document_dir().ok(), app.path().home_dir().ok());
            bvte_core::print_os::clear_scratch(&state.scratch_dir());
            let handle = app.handle().clone();
            std::thread::Builder::new()
                .name("bvte-sync".into())
                .spawn(move || {
                    let state: tauri::State<'_, state::AppState> = handle.state();
                    state.sync.background(&state);
                })?;
            let handle = app.handle().clone();
            std::thread::Builder::new()
                .name("bvte-backup".into())
                .spawn(move || {
                    let state: tauri::State<'_, state::AppState> = handle.state();
                    backups::daily(&state);
                })?;
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { .. } = event {
                use tauri::Manager;
                let state: tauri::State<'_, state::AppState> = window.state();
                backups::auto(&state, true);
                bvte_core::print_os::clear_scratch(&state.scratch_dir());
            }
        })
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::search_communes,
            commands::setup,
            commands::unlock,
            commands::recover,
            commands::lock,
            commands::touch,
            commands::feed_position,
            commands::reference,
            commands::get_settings,
            commands::save_settings,
            commands::overview,
            commands::report,
            commands::save_report,
            commands::list_children,
            commands::villages,
            commands::get_child,
            commands::check_duplicates,
            commands::save_child,
            commands::delete_child,
            commands::restore_child,
            commands::deleted_children,
            commands::list_cases,
            commands::get_case,
            commands::open_case,
            commands::record_step,
            commands::check_case,
            commands::check_step,
            commands::list_forms,
            commands::form_pdf,
            commands::save_form,
            commands::open_form,
            commands::open_forms_folder,
            commands::print_form,
            commands::sync_state,
            commands::enroll,
            commands::sync_now,
            commands::sync_refusals,
            commands::dismiss_refusals,
            commands::list_conflicts,
            commands::resolve_conflict,
            backups::backup_status,
            backups::backup_now,
            backups::find_backups,
            backups::restore_backup,
            lists::find_lists,
            lists::preview_import,
            lists::import_list,
            lists::save_rejected_rows,
            lists::import_history,
            lists::undo_import,
            lists::export_children,
            audit::audit_page,
            audit::audit_verify,
            accounts::list_accounts,
            accounts::add_account,
            accounts::remove_account,
            accounts::set_account_passphrase,
            updates::update_check,
            updates::update_from_folder,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("BVTE không khởi động được: {e}");
            std::process::exit(1);
        });
}
