//! # bvte-update — app releases and their signatures
//!
//! Owns: the names of the app's packages (`bvte_0.2.0_amd64.deb`, `bvte-0.2.0-1.x86_64.rpm`,
//! `BVTE_0.2.0_x64-setup.exe`) and the kind of PC each is for ([`package`]), versions and their
//! order ([`version`]), the release manifest a server hands out and an update folder holds
//! ([`manifest`]), and the check of a package's signature against the public key built into
//! the app ([`key`], [`verify`]).
//!
//! The signatures are tauri-plugin-updater's: minisign, pre-hashed (BLAKE2b), as
//! `tauri signer sign` writes them (base64 of the minisign signature text), checked with the
//! `minisign-verify` crate the plugin itself uses. The signed trusted comment names the file
//! (`file:bvte_0.2.0_amd64.deb`), and the file name carries the version: a signed package
//! cannot be passed off as another version by renaming it or by editing a manifest.
//!
//! A package is offered only when it is signed by the release key, unchanged since it was
//! signed, and newer than the running app ([`UpdateError`] says why not, in Vietnamese and
//! English). No database and no network here: the area server (`bvte-server release`), the
//! client (`bvte-client`) and the use cases (`bvte-core::update`) do the I/O around it.
//! How the release key is made and where its public half goes: docs/updates.md.

pub mod error;
pub mod key;
pub mod manifest;
pub mod package;
#[cfg(feature = "test-signing")]
pub mod sign;
pub mod verify;
pub mod version;

pub use error::UpdateError;
pub use key::{ReleaseKey, release_key};
pub use manifest::{LatestRelease, MANIFEST_FILE, Manifest, Verified, check_folder};
pub use package::{Package, this_target};
pub use verify::{Checked, check_package};
pub use version::{Version, current};
