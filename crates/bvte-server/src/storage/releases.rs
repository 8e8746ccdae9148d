//! What the server stores of the app's releases: each one's manifest and when it was added
//! (the package is a file in the data folder, `crate::releases`). The rules (which release is
//! the newest for a kind of PC, what may be added) are in `crate::releases`; the backends only
//! store.

pub use bvte_update::Manifest;

/// A release as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseRow {
    /// Its manifest.
    pub manifest: Manifest,
    /// When it was added (ms).
    pub added_at_ms: u64,
}
