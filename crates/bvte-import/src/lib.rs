//! # bvte-import — bringing in the lists officers already keep in Excel (issue 12)
//!
//! No commune starts empty: officers keep their children in workbooks, many typed years ago
//! with the TCVN3 or VNI fonts. This crate reads a file judged by its first bytes
//! ([`workbook`]), reads legacy text back to Unicode as each cell's font shows it ([`legacy`],
//! [`fonts`], [`columns`]), finds the header and proposes a field for each column ([`header`])
//! and turns rows into children as a form would send them ([`rows`], [`cell`]). Validation,
//! duplicates and writing are the import use case of `bvte-core` (`import`, `import_run`).
//!
//! Pure: no database, no network; text in, text out.

pub mod cell;
pub mod columns;
pub mod fonts;
pub mod header;
pub mod legacy;
pub mod rows;
pub mod workbook;
