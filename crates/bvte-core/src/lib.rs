//! # bvte-core — what an officer can do, shared by the CLI and the desktop app
//!
//! Owns the use cases: setting up and unlocking an installation, registering and finding
//! children, opening cases and recording their steps (checked against the Decree 56 workflow
//! inside the write), sync with the district server, case views with stage, next steps and deadlines, exports without the
//! confidential reporter, the Decree 56 forms as PDF (and handing them to the system's printer
//! or PDF application), the commune report (figures computed by `bvte-report`), importing the
//! lists officers keep in Excel and exporting the children list (`import`, `import_run`), and
//! demonstration data. Each use case takes "now" as a parameter so tests
//! and benches control time.
//!
//! Must never depend on Tauri or a terminal; the CLI and the desktop shell are thin layers over
//! this crate.

pub mod access;
pub mod accounts;
pub mod app;
pub mod audit;
pub mod backup;
pub mod backup_schedule;
pub mod cases;
pub mod children;
pub mod demo;
pub mod error;
pub mod export;
pub mod idle;
pub mod import;
pub mod import_run;
pub mod list_files;
pub mod lockout;
pub mod overview;
pub mod print;
pub mod print_os;
pub mod reference;
pub mod report;
pub mod report_view;
pub mod rng;
pub mod session;
pub mod settings;
pub mod sync;
pub mod sync_schedule;
pub mod sync_view;
pub mod update;
pub mod view;

pub use error::CoreError;
pub use session::Session;

/// The current time, to the second (the clock of this computer: the app warns when it is off).
pub fn now() -> bvte_domain::Instant {
    bvte_domain::time::to_seconds(chrono::Utc::now())
}
