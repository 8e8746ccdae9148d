//! Sync in the background (issue 5): a thread that wakes every few seconds and runs a sync
//! when the schedule says so (`bvte_core::sync_schedule`), and "Đồng bộ ngay" from the UI. One
//! run at a time. A run borrows the session one short step at a time, so the window stays
//! responsive during a long transfer, and it never counts as the officer's activity, so the
//! idle lock still comes on time (a run then stops with `locked` and the next one resumes).

use crate::state::AppState;
use bvte_core::error::{CoreError, Problem};
use bvte_core::sync::{Local, SyncProgress, SyncReport, sync_with};
use bvte_core::sync_schedule::Schedule;
use bvte_core::sync_view::SyncActivity;
use bvte_core::{Session, now};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// How often the thread looks at the schedule.
const TICK: Duration = Duration::from_secs(3);

#[derive(Default)]
struct Live {
    schedule: Schedule,
    activity: SyncActivity,
    woken: bool,
}

/// Background and on-demand sync of the desktop app.
#[derive(Default)]
pub struct SyncRunner {
    /// Held for the whole of a run: one run at a time.
    run: Mutex<()>,
    live: Mutex<Live>,
    wake: Condvar,
}

/// The app's session, lent one step at a time without touching the idle timer.
struct Quiet<'a>(&'a AppState);

impl Local for Quiet<'_> {
    fn step<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        self.0.with_quiet(f)
    }
}

impl SyncRunner {
    fn live(&self) -> MutexGuard<'_, Live> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Asks for a run now (unlocked, enrolled), without waiting for a failure's back-off.
    pub fn wake(&self) {
        self.live().woken = true;
        self.wake.notify_all();
    }

    /// What is happening now.
    pub fn activity(&self) -> SyncActivity {
        let live = self.live();
        let mut a = live.activity.clone();
        a.retry_in_seconds = live
            .schedule
            .retry_at()
            .map(|t| (t - now()).num_seconds().max(0));
        a
    }

    /// One run now, waiting for a background run in progress to finish first.
    pub fn run_now(&self, state: &AppState) -> Result<SyncReport, CoreError> {
        let _one = self.run.lock().unwrap_or_else(|p| p.into_inner());
        self.run_locked(state)
    }

    fn run_locked(&self, state: &AppState) -> Result<SyncReport, CoreError> {
        let started = now();
        {
            let mut live = self.live();
            live.woken = false;
            live.activity.running = true;
            live.activity.progress = None;
        }
        let result = crate::commands::off_runtime(|| {
            sync_with(&Quiet(state), &now, &mut |p: SyncProgress| {
                self.live().activity.progress = Some(p);
            })
        });
        let mut live = self.live();
        live.activity.running = false;
        live.activity.progress = None;
        match &result {
            Ok(report) => {
                live.schedule.record(started, true);
                live.activity.problem = None;
                live.activity.last_report = Some(report.clone());
            }
            // Locked or not enrolled: nothing failed, there is just nothing to do yet.
            Err(CoreError::Locked | CoreError::NotEnrolled) => {}
            Err(e) => {
                live.schedule.record(started, false);
                live.activity.problem = Some(Problem::from(e));
            }
        }
        result
    }

    /// The background loop; runs until the app exits.
    pub fn background(&self, state: &AppState) {
        loop {
            let woken = {
                let live = self.live();
                let (mut live, _) = self
                    .wake
                    .wait_timeout_while(live, TICK, |l| !l.woken)
                    .unwrap_or_else(|p| p.into_inner());
                std::mem::take(&mut live.woken)
            };
            // Unlocked and enrolled? How much is waiting to be sent?
            let Ok(Some(pending)) = state.with_quiet(|s| {
                Ok(s.store
                    .enrollment()?
                    .map(|_| s.store.pending_changes())
                    .transpose()?)
            }) else {
                continue;
            };
            if !self.live().schedule.due(now(), pending, woken) {
                continue;
            }
            let Ok(_one) = self.run.try_lock() else {
                continue; // "Đồng bộ ngay" is running
            };
            let _ = self.run_locked(state);
        }
    }
}
