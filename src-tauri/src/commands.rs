//! The IPC commands (docs/desktop-api.md). Each one calls `bvte-core` and nothing else.

use crate::state::AppState;
use bvte_core::app::{AppStatus, CommuneHit, RecoverResult, SetupInput, SetupResult};
use bvte_core::cases::CaseSummary;
use bvte_core::children::{ChildPage, ChildProfile, ChildQuery, DeletedChild, DuplicateHint};
use bvte_core::error::{Problem, parse_id};
use bvte_core::lockout::Moment;
use bvte_core::overview::Overview;
use bvte_core::print_os::{self, FormChoice, FormPdf, SavedForm};
use bvte_core::reference::Reference;
use bvte_core::report_view::{self, ReportRequest, ReportView};
use bvte_core::settings::Settings;
use bvte_core::sync::{self, EnrollInput, Enrolled, SyncReport};
use bvte_core::sync_view::{ConflictChoice, ConflictView, Refusal, SyncState};
use bvte_core::view::CaseView;
use bvte_core::{app, now};
use bvte_domain::case::CaseInput;
use bvte_domain::child::{Child, ChildInput};
use bvte_domain::error::ErrorReport;
use bvte_domain::event::StepInput;

use tauri::State;
use tauri::ipc::Response;

type Res<T> = Result<T, Problem>;

/// Set-up, locked or unlocked, and the lock-out state.
#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> AppStatus {
    state.status()
}

/// Communes for the set-up search.
#[tauri::command(async)]
pub fn search_communes(query: String) -> Vec<CommuneHit> {
    app::search_communes(&query)
}

/// First-launch set-up; returns the recovery code once.
#[tauri::command(async)]
pub fn setup(state: State<'_, AppState>, input: SetupInput) -> Res<SetupResult> {
    let (session, recovery_code) = app::setup(&state.db(), &input, now())?;
    state.set_session(Some(session));
    Ok(SetupResult {
        recovery_code,
        status: state.status(),
    })
}

/// Unlocks with the passphrase of `account` (not needed when the register has one account).
#[tauri::command(async)]
pub fn unlock(
    state: State<'_, AppState>,
    passphrase: String,
    account: Option<String>,
) -> Res<AppStatus> {
    let session =
        app::unlock_account(&state.db(), account.as_deref(), &passphrase, &Moment::now())?;
    state.set_session(Some(session));
    Ok(state.status())
}

/// Unlocks with the recovery code, sets a new passphrase and returns the new recovery code
/// (shown once: the one used no longer opens the database).
#[tauri::command(async)]
pub fn recover(
    state: State<'_, AppState>,
    code: String,
    new_passphrase: String,
    account: Option<String>,
) -> Res<RecoverResult> {
    let (session, recovery_code) = app::recover_account(
        &state.db(),
        &code,
        account.as_deref(),
        &new_passphrase,
        &Moment::now(),
    )?;
    state.set_session(Some(session));
    Ok(RecoverResult {
        recovery_code,
        status: state.status(),
    })
}

/// Locks: the session and its key leave memory, after the app's own backup when work was
/// recorded since the last one (the officer is leaving the PC).
#[tauri::command(async)]
pub fn lock(state: State<'_, AppState>) -> AppStatus {
    crate::backups::auto(&state, true);
    print_os::clear_scratch(&state.scratch_dir());
    state.set_session(None);
    state.status()
}

/// The officer is active: resets the idle timer.
#[tauri::command]
pub fn touch(state: State<'_, AppState>) -> Res<()> {
    state.with(|_| Ok(()))
}

/// Grows whenever a record changes (here, from the CLI or from sync).
#[tauri::command(async)]
pub fn feed_position(state: State<'_, AppState>) -> Res<i64> {
    state.with(|s| Ok(s.store.last_change_seq()?))
}

/// Every code list with its labels.
#[tauri::command]
pub fn reference() -> Reference {
    bvte_core::reference::reference()
}

/// Settings.
#[tauri::command(async)]
pub fn get_settings(state: State<'_, AppState>) -> Res<Settings> {
    state.with(|s| s.settings())
}

/// Saves the settings.
#[tauri::command(async)]
pub fn save_settings(state: State<'_, AppState>, settings: Settings) -> Res<Settings> {
    state.with(|s| s.save_settings(&settings))
}

/// The overview.
#[tauri::command(async)]
pub fn overview(state: State<'_, AppState>) -> Res<Overview> {
    state.with(|s| s.overview(now()))
}

/// The commune report of a period (the Báo cáo screen).
#[tauri::command(async)]
pub fn report(state: State<'_, AppState>, request: ReportRequest) -> Res<ReportView> {
    state.with(|s| s.report_view(&request, now()))
}

/// Saves the report of a period as `pdf` or `xlsx` into the folder forms go to, and opens it
/// when `open` is true; returns where.
#[tauri::command(async)]
pub fn save_report(
    state: State<'_, AppState>,
    request: ReportRequest,
    format: String,
    open: bool,
) -> Res<SavedForm> {
    let saved = state.with(|s| {
        s.save_report(
            &request,
            report_view::format_of(&format)?,
            &state.export_dir(),
            now(),
        )
    })?;
    Ok(if open {
        print_os::open_saved(saved)?
    } else {
        saved
    })
}

/// A page of children.
#[tauri::command(async)]
pub fn list_children(state: State<'_, AppState>, query: ChildQuery) -> Res<ChildPage> {
    state.with(|s| s.child_page(&query, now()))
}

/// The villages in the register.
#[tauri::command(async)]
pub fn villages(state: State<'_, AppState>) -> Res<Vec<String>> {
    state.with(|s| Ok(s.store.villages()?))
}

/// A child's profile.
#[tauri::command(async)]
pub fn get_child(state: State<'_, AppState>, id: String) -> Res<ChildProfile> {
    state.with(|s| s.child_profile(parse_id("trẻ em", &id)?, now()))
}

/// Possible duplicates of a child being entered.
#[tauri::command(async)]
pub fn check_duplicates(
    state: State<'_, AppState>,
    input: ChildInput,
    except: Option<String>,
) -> Res<Vec<DuplicateHint>> {
    state.with(|s| {
        let except = except.map(|e| parse_id("trẻ em", &e)).transpose()?;
        s.check_duplicates(&input, except, now())
    })
}

/// Adds (no id) or updates a child.
#[tauri::command(async)]
pub fn save_child(state: State<'_, AppState>, id: Option<String>, input: ChildInput) -> Res<Child> {
    state.with(|s| match id {
        Some(id) => s.update_child(parse_id("trẻ em", &id)?, &input, now()),
        None => s.add_child(&input, now()).map(|a| a.child),
    })
}

/// Deletes a child's record entered in error (a reason is required; a child with cases is
/// refused). It leaves the register at once and can be brought back.
#[tauri::command(async)]
pub fn delete_child(state: State<'_, AppState>, id: String, reason: String) -> Res<()> {
    state.with(|s| s.delete_child(parse_id("trẻ em", &id)?, &reason, now()))
}

/// Brings a deleted child's record back; returns its profile.
#[tauri::command(async)]
pub fn restore_child(state: State<'_, AppState>, id: String) -> Res<ChildProfile> {
    state.with(|s| {
        let id = parse_id("trẻ em", &id)?;
        s.restore_child(id, now())?;
        s.child_profile(id, now())
    })
}

/// Deleted children, most recently deleted first.
#[tauri::command(async)]
pub fn deleted_children(state: State<'_, AppState>) -> Res<Vec<DeletedChild>> {
    state.with(|s| s.deleted_children())
}

/// All cases, most urgent first.
#[tauri::command(async)]
pub fn list_cases(state: State<'_, AppState>) -> Res<Vec<CaseSummary>> {
    state.with(|s| s.case_summaries(now()))
}

/// One case with stage, next steps and deadlines.
#[tauri::command(async)]
pub fn get_case(state: State<'_, AppState>, id: String) -> Res<CaseView> {
    state.with(|s| s.case_view(parse_id("vụ việc", &id)?, now()))
}

/// Opens a case from a report.
#[tauri::command(async)]
pub fn open_case(state: State<'_, AppState>, input: CaseInput) -> Res<CaseView> {
    state.with(|s| s.open_case(&input, now()))
}

/// Records a step, if the law allows it now.
#[tauri::command(async)]
pub fn record_step(state: State<'_, AppState>, case_id: String, input: StepInput) -> Res<CaseView> {
    state.with(|s| s.record_step(parse_id("vụ việc", &case_id)?, &input, now()))
}

/// Checks a case as `open_case` would, saving nothing: its warnings for the officer to confirm.
#[tauri::command(async)]
pub fn check_case(state: State<'_, AppState>, input: CaseInput) -> Res<Vec<ErrorReport>> {
    state.with(|s| s.check_case(&input, now()))
}

/// Checks a step as `record_step` would, saving nothing: its warnings for the officer to confirm.
#[tauri::command(async)]
pub fn check_step(
    state: State<'_, AppState>,
    case_id: String,
    input: StepInput,
) -> Res<Vec<ErrorReport>> {
    state.with(|s| s.check_step(parse_id("vụ việc", &case_id)?, &input, now()))
}

/// The forms of a case, applicable or not with the step they need; every form when `case_id`
/// is null (blank forms).
#[tauri::command(async)]
pub fn list_forms(state: State<'_, AppState>, case_id: Option<String>) -> Res<Vec<FormChoice>> {
    state.with(|s| s.form_choices(case_id.as_deref().map(case).transpose()?))
}

/// The PDF of a form of a case, or blank when `case_id` is null, as raw bytes (an ArrayBuffer
/// in the UI).
#[tauri::command(async)]
pub fn form_pdf(
    state: State<'_, AppState>,
    case_id: Option<String>,
    form: String,
) -> Res<Response> {
    render(&state, case_id, &form).map(|pdf| Response::new(pdf.bytes))
}

/// Saves the PDF into the export folder; returns where. Mẫu 01 naming the reporter is written
/// only with the officer's `consent` (error `reporter_consent` otherwise).
#[tauri::command(async)]
pub fn save_form(
    state: State<'_, AppState>,
    case_id: Option<String>,
    form: String,
    consent: Option<bool>,
) -> Res<SavedForm> {
    let pdf = render(&state, case_id.clone(), &form)?;
    let saved = print_os::save_pdf(&state.export_dir(), &pdf, consent.unwrap_or(false))?;
    note_print(&state, case_id, &form, "save")?;
    Ok(saved)
}

/// Writes the PDF into the scratch folder (emptied when the app starts, locks and closes) and
/// opens it with the default PDF application. Mẫu 01 naming the reporter needs `consent`.
#[tauri::command(async)]
pub fn open_form(
    state: State<'_, AppState>,
    case_id: Option<String>,
    form: String,
    consent: Option<bool>,
) -> Res<SavedForm> {
    let pdf = render(&state, case_id.clone(), &form)?;
    let opened = print_os::open_pdf(&state.scratch_dir(), &pdf, consent.unwrap_or(false))?;
    note_print(&state, case_id, &form, "open")?;
    Ok(opened)
}

/// Shows the folder forms are saved into in the file manager (after "Lưu PDF").
#[tauri::command(async)]
pub fn open_forms_folder(state: State<'_, AppState>) -> Res<SavedForm> {
    Ok(print_os::open_folder(&state.export_dir())?)
}

/// Sends the PDF to the default printer (docs/forms.md, "Printing from the app").
#[tauri::command(async)]
pub fn print_form(state: State<'_, AppState>, case_id: Option<String>, form: String) -> Res<()> {
    let pdf = render(&state, case_id.clone(), &form)?;
    print_os::print_pdf(&state.scratch_dir(), &pdf)?;
    note_print(&state, case_id, &form, "print")
}

/// Renders under the session lock; the system's printer or viewer is then called outside it,
/// so a slow printer never blocks the other commands.
fn render(state: &AppState, case_id: Option<String>, form: &str) -> Res<FormPdf> {
    state.with(|s| s.form_pdf(case_id.as_deref().map(case).transpose()?, form, now()))
}

/// Enters in the audit trail that the form left the app (issue 14).
fn note_print(state: &AppState, case_id: Option<String>, form: &str, how: &str) -> Res<()> {
    state.with(|s| s.note_print(case_id.as_deref().map(case).transpose()?, form, how, now()))
}

fn case(id: &str) -> Result<bvte_domain::CaseId, bvte_core::CoreError> {
    parse_id("vụ việc", id)
}

/// Where sync stands and what it is doing (the status bar polls it).
#[tauri::command(async)]
pub fn sync_state(state: State<'_, AppState>) -> Res<SyncState> {
    let overview = state.with_quiet(|s| s.sync_overview())?;
    Ok(SyncState {
        overview,
        activity: state.sync.activity(),
    })
}

/// Enrolls this PC with the district server, then syncs in the background.
#[tauri::command(async)]
pub fn enroll(state: State<'_, AppState>, input: EnrollInput) -> Res<Enrolled> {
    enroll_now(&state, &input)
}

/// The body of [`enroll`]: the session is lent only for the local steps, so the window keeps
/// answering while the server is slow or silent.
pub fn enroll_now(state: &AppState, input: &EnrollInput) -> Res<Enrolled> {
    let enrolled = off_runtime(|| sync::enroll_with(state, input, &now))?;
    state.sync.wake();
    Ok(enrolled)
}

/// "Đồng bộ ngay": one run now; waits for a background run in progress.
#[tauri::command(async)]
pub fn sync_now(state: State<'_, AppState>) -> Res<SyncReport> {
    state.with(|_| Ok(()))?;
    Ok(state.sync.run_now(&state)?)
}

/// This PC's changes the server refused, with its reasons, not yet marked as seen.
#[tauri::command(async)]
pub fn sync_refusals(state: State<'_, AppState>) -> Res<Vec<Refusal>> {
    state.with(|s| s.sync_refusals())
}

/// Marks the refusals as seen; returns those left (none).
#[tauri::command(async)]
pub fn dismiss_refusals(state: State<'_, AppState>) -> Res<Vec<Refusal>> {
    state.with(|s| {
        s.dismiss_refusals(now())?;
        s.sync_refusals()
    })
}

/// Conflicts waiting for the officer.
#[tauri::command(async)]
pub fn list_conflicts(state: State<'_, AppState>) -> Res<Vec<ConflictView>> {
    state.with(|s| s.conflicts())
}

/// Keeps one value of a conflict (`take`: `kept` or `other`); returns the conflicts left.
#[tauri::command(async)]
pub fn resolve_conflict(
    state: State<'_, AppState>,
    id: i64,
    take: ConflictChoice,
) -> Res<Vec<ConflictView>> {
    state.with(|s| {
        s.resolve_conflict(id, take, now())?;
        s.conflicts()
    })
}

/// Runs `f` on a thread of its own: the blocking HTTP client must not run on the async
/// runtime's threads.
pub fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| match scope.spawn(f).join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bvte_core::Session;
    use std::net::TcpListener;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    /// Issue 10, item 12: enrolling against a server that accepts the connection and never
    /// answers must not hold the session, or every other command of the window waits with it.
    #[test]
    fn the_window_keeps_answering_while_enrollment_waits_for_a_silent_server() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bvte.db");
        let (session, _code) = Session::init(
            &db,
            "mật khẩu đủ dài 123",
            "09955",
            "Trần Thị Lan",
            bvte_store::KdfParams {
                m_kib: 256,
                t: 1,
                p: 1,
            },
            now(),
        )
        .unwrap();
        let state = AppState::from_env();
        state.set_session(Some(session));
        // A server that takes the connection and says nothing, until the test ends.
        let silent = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = silent.local_addr().unwrap().port();
        let (accepted, connected) = mpsc::channel();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in silent.incoming().flatten() {
                held.push(stream);
                let _ = accepted.send(());
            }
        });
        let input = EnrollInput {
            server_url: format!("https://127.0.0.1:{port}"),
            code: "ABCD-EFGH-JKMN".into(),
            fingerprint: "ab".repeat(32),
            device_name: "Máy UBND".into(),
        };
        std::thread::scope(|scope| {
            let enrolling = scope.spawn(|| enroll_now(&state, &input));
            connected
                .recv_timeout(Duration::from_secs(30))
                .expect("the enrollment reached the server");
            let start = Instant::now();
            let answered = state.with(|s| Ok(s.store.installation().commune_code.clone()));
            let waited = start.elapsed();
            assert_eq!(answered.unwrap(), "09955");
            assert!(
                waited < Duration::from_secs(5),
                "another command waited {waited:?} for the enrollment"
            );
            // The silent server never answers: the enrollment ends with the client's
            // connection time-out, as an error the officer can read.
            let failed = enrolling.join().unwrap().unwrap_err();
            assert_eq!(failed.code, "server_unreachable", "{failed:?}");
        });
    }
}
