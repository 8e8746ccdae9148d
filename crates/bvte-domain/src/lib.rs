//! # bvte-domain — the rules of the commune child-protection register
//!
//! Owns: children and their special circumstances (Law on Children 2016 Art 10, Decree 56/2017
//! Arts 3–16), cases and their Decree 56 steps as append-only events, the fold that derives a
//! case's stage, next steps and legal deadlines, the working-day calendar, validation with typed
//! errors (stable code, Vietnamese and English message), Vietnamese text handling (NFC, search
//! folding, collation) and the reference data embedded from `assets/` (administrative units,
//! ethnic groups, non-working days); and the same rules applied to records as changes carry them
//! between devices (`patch`, `child_patch`, `case_patch`), which the server checks.
//!
//! Must never depend on a database, HTTP, an async runtime or Tauri: everything here is a pure
//! function of its inputs ("now" is always a parameter), so it is tested with tables and
//! property tests. Where a rule comes from the law, the code cites the article.

pub mod calendar;
pub mod case;
pub mod case_patch;
pub mod child;
pub mod child_input;
pub mod child_patch;
pub mod codes;
pub mod criteria;
pub mod deadline;
pub mod deadline_settings;
pub mod deletion;
pub mod error;
mod error_en;
pub mod ethnicity;
pub mod event;
pub mod groups;
pub mod ids;
pub mod labels;
pub mod patch;
pub mod reference;
pub mod role;
pub mod sanitize;
mod step_checks;
mod step_patch;
pub mod text;
pub mod time;
pub mod units;
pub mod warnings;
pub mod workflow;

pub use error::{ValidationError, ValidationErrors};
pub use ids::{CaseId, ChildId, EventId};
pub use patch::PatchContext;
pub use time::Instant;
