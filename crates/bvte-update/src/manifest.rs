//! The release manifest: what the area server says of a release and what an update folder
//! (a USB stick for a commune with no link) holds beside the package — version, notes in
//! Vietnamese, day, file name, size, SHA-256 and the signature. The manifest is a convenience,
//! never trusted alone: the package is checked against its signature, and the version is read
//! from the signed file name; a manifest that says anything else is refused.
//!
//! An update folder holds `bvte-update.json` ([`MANIFEST_FILE`]), the package and its
//! `.sig` file. The app writes the same folder when it downloads a release from the server,
//! so a folder downloaded at one commune can be copied to a stick for another.

use crate::error::{UpdateError, io};
use crate::key::ReleaseKey;
use crate::package::Package;
use crate::verify::check_package;
use crate::version::Version;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The manifest's file name in an update folder.
pub const MANIFEST_FILE: &str = "bvte-update.json";

/// Largest manifest read (notes included).
const MAX_MANIFEST_BYTES: u64 = 256 * 1024;

/// A release as the server hands it out and an update folder describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Its version (`0.2.0`), as its file name carries it.
    pub version: String,
    /// What changed, in Vietnamese, for the officer.
    pub notes: String,
    /// The day it was released, `yyyy-mm-dd`.
    pub date: String,
    /// The package's file name.
    pub file: String,
    /// The kind of PC it is for (`deb-amd64`…).
    pub target: String,
    /// The package's size in bytes.
    pub size: u64,
    /// The package's SHA-256, 64 lowercase hex digits.
    pub sha256: String,
    /// The signature, as `tauri signer sign` wrote it in the `.sig` file.
    pub signature: String,
}

/// The answer of `GET /api/v1/release`: the newest release the server holds for the device's
/// kind of PC, if any.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatestRelease {
    /// The release; `None` when the server holds none for that kind of PC.
    pub release: Option<Manifest>,
}

/// A release whose package was checked: signed by the release key, unchanged, newer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// Its manifest (size and SHA-256 as measured).
    pub manifest: Manifest,
    /// The package file.
    pub package: PathBuf,
}

impl Manifest {
    /// The package the manifest names, read from its file name. Errors: `BadFileName` (a path
    /// or `..` included); `ManifestMismatch` when the version or target differ from the name's.
    pub fn package(&self) -> Result<Package, UpdateError> {
        let p = Package::from_file_name(&self.file)?;
        let mismatch = |what| UpdateError::ManifestMismatch {
            file: self.file.clone(),
            what,
        };
        if Version::parse(&self.version).as_ref() != Some(&p.version) {
            return Err(mismatch("phiên bản"));
        }
        if self.target != p.target {
            return Err(mismatch("loại máy"));
        }
        Ok(p)
    }

    /// Reads `dir/bvte-update.json`. Errors: `Missing`, `BadManifest`, `Io`.
    pub fn read(dir: &Path) -> Result<Manifest, UpdateError> {
        use std::io::Read;
        let path = dir.join(MANIFEST_FILE);
        let f = std::fs::File::open(&path).map_err(|e| io(&path, e))?;
        let mut text = String::new();
        f.take(MAX_MANIFEST_BYTES)
            .read_to_string(&mut text)
            .map_err(|e| UpdateError::BadManifest {
                path: path.display().to_string(),
                detail: e.to_string(),
            })?;
        serde_json::from_str(&text).map_err(|e| UpdateError::BadManifest {
            path: path.display().to_string(),
            // serde_json quotes at most a field name.
            detail: e.to_string(),
        })
    }

    /// Writes the update folder's manifest and the package's `.sig` beside it (the package is
    /// copied by the caller). Errors: `Io`.
    pub fn write(&self, dir: &Path) -> Result<(), UpdateError> {
        let path = dir.join(MANIFEST_FILE);
        let json = serde_json::to_string_pretty(self).map_err(|e| UpdateError::Io {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        std::fs::write(&path, json).map_err(|e| io(&path, e))?;
        let sig = dir.join(format!("{}.sig", self.file));
        std::fs::write(&sig, &self.signature).map_err(|e| io(&sig, e))
    }
}

/// Checks the release of an update folder: the manifest names a package of this kind of PC
/// (`target`, when given), newer than `current`, present, signed by `key` (the signature in the
/// manifest, else the `.sig` file beside the package), unchanged since it was signed, and of
/// the size and SHA-256 the manifest says.
///
/// Errors: those of [`Manifest::read`], [`Manifest::package`] and
/// [`crate::verify::check_package`]; `WrongTarget`; `NotNewer`; `Unsigned` when there is no
/// signature at all; `ManifestMismatch` for the size or hash.
pub fn check_folder(
    dir: &Path,
    key: &ReleaseKey,
    current: &Version,
    target: Option<&str>,
) -> Result<Verified, UpdateError> {
    let manifest = Manifest::read(dir)?;
    check_release(dir, manifest, key, current, target)
}

/// [`check_folder`] for a manifest already read (the server's answer), its package in `dir`.
pub fn check_release(
    dir: &Path,
    mut manifest: Manifest,
    key: &ReleaseKey,
    current: &Version,
    target: Option<&str>,
) -> Result<Verified, UpdateError> {
    let package = manifest.package()?;
    if let Some(here) = target
        && package.target != here
    {
        return Err(UpdateError::WrongTarget {
            file: manifest.file.clone(),
            target: package.target,
            here: here.to_owned(),
        });
    }
    if package.version <= *current {
        return Err(UpdateError::NotNewer {
            version: package.version.to_string(),
            current: current.to_string(),
        });
    }
    let path = dir.join(&manifest.file);
    if !path.is_file() {
        return Err(UpdateError::Missing {
            path: path.display().to_string(),
        });
    }
    if manifest.signature.trim().is_empty() {
        let sig = dir.join(format!("{}.sig", manifest.file));
        manifest.signature = match std::fs::read_to_string(&sig) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(UpdateError::Unsigned {
                    file: manifest.file.clone(),
                });
            }
            Err(e) => return Err(io(&sig, e)),
        };
    }
    let checked = check_package(key, &path, &manifest.signature)?;
    let mismatch = |what| UpdateError::ManifestMismatch {
        file: manifest.file.clone(),
        what,
    };
    if checked.size != manifest.size {
        return Err(mismatch("kích thước"));
    }
    if !checked.sha256.eq_ignore_ascii_case(manifest.sha256.trim()) {
        return Err(mismatch("mã SHA-256"));
    }
    Ok(Verified {
        manifest,
        package: path,
    })
}
