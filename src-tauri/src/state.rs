//! The app's state: where the database is, where printed forms are saved, the unlocked session
//! (if any), and when the officer last did something (for the idle lock, enforced here as well
//! as in the UI, on a clock that only moves forward: `bvte_core::idle`).

use bvte_core::Session;
use bvte_core::error::{CoreError, Problem};
use bvte_core::idle::IdleTimer;
use bvte_core::lockout::Moment;
use bvte_core::sync::Local;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

/// Shared state of the window.
pub struct AppState {
    dir: Mutex<Option<PathBuf>>,
    export_dir: Mutex<Option<PathBuf>>,
    session: Mutex<Option<Session>>,
    last_activity: Mutex<IdleTimer>,
    /// Background and on-demand sync.
    pub sync: crate::sync_loop::SyncRunner,
}

impl AppState {
    /// State with the data folder from `BVTE_DATA_DIR` and the forms folder from
    /// `BVTE_EXPORT_DIR`, if set.
    pub fn from_env() -> Self {
        Self {
            dir: Mutex::new(std::env::var_os("BVTE_DATA_DIR").map(PathBuf::from)),
            export_dir: Mutex::new(std::env::var_os("BVTE_EXPORT_DIR").map(PathBuf::from)),
            session: Mutex::new(None),
            last_activity: Mutex::new(IdleTimer::new(Instant::now())),
            sync: crate::sync_loop::SyncRunner::default(),
        }
    }

    /// Uses the platform's app data folder unless `BVTE_DATA_DIR` chose one.
    pub fn resolve_dir(&self, app_data: Option<PathBuf>) {
        let mut dir = self.dir.lock().unwrap_or_else(|p| p.into_inner());
        if dir.is_none() {
            *dir = app_data;
        }
    }

    /// Saves printed forms into `BVTE_EXPORT_DIR`, else `BVTE` in the documents folder, else in
    /// the home folder, else in the data folder.
    pub fn resolve_export_dir(&self, documents: Option<PathBuf>, home: Option<PathBuf>) {
        let db = self.db();
        let data = db.parent().unwrap_or(Path::new("."));
        let mut dir = self.export_dir.lock().unwrap_or_else(|p| p.into_inner());
        *dir = Some(bvte_core::print_os::export_dir(
            dir.take(),
            documents,
            home,
            data,
        ));
    }

    /// Where printed forms are saved.
    pub fn export_dir(&self) -> PathBuf {
        self.export_dir
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// Files written only to be opened or printed: in the app's data folder, never in the
    /// documents; emptied when the app starts, locks and closes.
    pub fn scratch_dir(&self) -> PathBuf {
        self.db()
            .parent()
            .map(|d| d.join("tam-de-mo"))
            .unwrap_or_else(|| PathBuf::from("tam-de-mo"))
    }

    /// Where backups go unless Settings chose a folder: `Sao lưu` in the forms folder.
    pub fn backup_dir(&self) -> PathBuf {
        self.export_dir().join("Sao lưu")
    }

    /// The database file.
    pub fn db(&self) -> PathBuf {
        self.dir
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("bvte.db")
    }

    /// Runs `f` with the session, or fails with `locked` — also when the idle time is over,
    /// in which case the session is dropped (the key leaves memory). Counts as the officer's
    /// activity.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, CoreError>,
    ) -> Result<T, Problem> {
        self.session_step(true, f).map_err(Problem::from)
    }

    /// Like `with`, for work the officer did not ask for (background sync): does not reset the
    /// idle timer, so the app still locks itself on time.
    pub fn with_quiet<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        self.session_step(false, f)
    }

    fn session_step<T>(
        &self,
        activity: bool,
        f: impl FnOnce(&mut Session) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        let mut guard = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let session = guard.as_mut().ok_or(CoreError::Locked)?;
        let idle = session
            .settings()
            .map(|s| s.idle_lock_minutes)
            .unwrap_or(bvte_core::settings::DEFAULT_IDLE_LOCK_MINUTES);
        let mut timer = self.last_activity.lock().unwrap_or_else(|p| p.into_inner());
        let t = Instant::now();
        if timer.expired(t, idle) {
            *guard = None;
            return Err(CoreError::Locked);
        }
        if activity {
            timer.touch(t);
        }
        f(session)
    }

    /// Installs an unlocked session.
    pub fn set_session(&self, s: Option<Session>) {
        let unlocked = s.is_some();
        *self.last_activity.lock().unwrap_or_else(|p| p.into_inner()) =
            IdleTimer::new(Instant::now());
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = s;
        if unlocked {
            // Sync on start: as soon as the officer has unlocked.
            self.sync.wake();
        }
    }

    /// The status, as `app_status` reports it.
    pub fn status(&self) -> bvte_core::app::AppStatus {
        let guard = self.session.lock().unwrap_or_else(|p| p.into_inner());
        bvte_core::app::status(&self.db(), guard.as_ref(), &Moment::now())
    }
}

/// The session lent one short step at a time, each counting as the officer's activity (what the
/// officer asked for, like enrolling, which waits on the network between its steps).
impl Local for AppState {
    fn step<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        self.session_step(true, f)
    }
}
