//! # bvte-protocol — what devices and the district server exchange
//!
//! Owns: the change record every write produces (the sync outbox and the UI's change feed), the
//! hybrid logical clock that orders changes across devices whose clocks disagree, the district
//! server's HTTP API types (`api`), the merge rules a device applies to changes made
//! elsewhere (`merge`) and whether a change is one every device can apply (`validate`).
//! Serialized structs here are the wire format: do not rename or reorder their fields.
//!
//! Must never depend on a database, HTTP, an async runtime or Tauri.

pub mod api;
pub mod change;
pub mod hlc;
pub mod merge;
pub mod record;
pub mod validate;

pub use change::{Change, ChangeKind, DeviceId, Entity, FORMAT};
pub use hlc::{ClockError, Hlc};
pub use validate::check_change;
