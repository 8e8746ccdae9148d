//! # bvte-import — bringing in the lists officers already keep in Excel (issue 12)
//!
//! No commune starts empty: officers keep their children in workbooks, many typed years ago
//! with the TCVN3 or VNI fonts. This crate reads such text back to Unicode ([`legacy`]); the
//! workbook reading, the column mapping and the import itself follow.
//!
//! Pure: no database, no network; text in, text out.

pub mod cell;
pub mod columns;
pub mod header;
pub mod legacy;
pub mod rows;
pub mod workbook;
