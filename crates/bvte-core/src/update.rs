//! App updates for the officer's PC (issue 13, "Updates that reach offline communes"): ask the
//! area server for the newest release of this kind of PC and download it, or take an update
//! folder from a USB stick; either way the package is checked (signed by the release key built
//! into the app, unchanged, newer than this version: `bvte_update`) before it is offered, and
//! kept, checked, in the update folder beside the database (`cap-nhat/`, [`UPDATE_DIR`]) — the
//! same layout as a stick's, so a folder downloaded at one commune can be copied to another.
//!
//! Nothing here installs: installing replaces the program and needs the officer's consent and
//! an administrator (docs/updates.md). A package that fails any check is deleted, never offered.

use crate::error::CoreError;
use crate::sync::Local;
use bvte_client::Client;
use bvte_update::{Manifest, UpdateError, Verified, Version, check_folder, release_key};
use serde::Serialize;
use std::path::{Path, PathBuf};

pub use bvte_update::this_target;

/// The update folder's name, beside the database.
pub const UPDATE_DIR: &str = "cap-nhat";

/// The update folder of the database at `db`.
pub fn update_folder(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(UPDATE_DIR)
}

/// A checked release, ready to install once the officer agrees.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct UpdateOffer {
    /// Its version.
    pub version: String,
    /// What changed, in Vietnamese.
    pub notes: String,
    /// The day it was released, dd/mm/yyyy.
    pub date: String,
    /// The package's file name.
    pub file: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256.
    pub sha256: String,
    /// The checked package, in the update folder.
    pub package: String,
}

/// What asking the server found.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct UpdateCheck {
    /// The version running.
    pub current: String,
    /// This PC's kind (`deb-amd64`…).
    pub target: String,
    /// A newer release, downloaded and checked; `None` when the server has nothing newer.
    pub offer: Option<UpdateOffer>,
}

impl From<UpdateError> for CoreError {
    fn from(e: UpdateError) -> Self {
        CoreError::Update(e)
    }
}

fn offer(v: Verified) -> UpdateOffer {
    let m = v.manifest;
    let date = chrono::NaiveDate::parse_from_str(&m.date, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or(m.date);
    UpdateOffer {
        version: m.version,
        notes: m.notes,
        date,
        file: m.file,
        size: m.size,
        sha256: m.sha256,
        package: v.package.display().to_string(),
    }
}

fn io(path: &Path, e: std::io::Error) -> CoreError {
    CoreError::Update(UpdateError::Io {
        path: path.display().to_string(),
        detail: e.to_string(),
    })
}

/// A fresh staging folder beside the update folder (`cap-nhat.dang-tai`).
fn staging(folder: &Path) -> Result<PathBuf, CoreError> {
    let mut name = folder.as_os_str().to_owned();
    name.push(".dang-tai");
    let dir = PathBuf::from(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| io(&dir, e))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    Ok(dir)
}

/// Checks the release staged in `stage` and, when it passes, makes it the update folder's
/// content (replacing an older one); when it fails, deletes it.
fn settle(
    stage: &Path,
    folder: &Path,
    current: &Version,
    target: &str,
) -> Result<UpdateOffer, CoreError> {
    let key = release_key()?;
    match check_folder(stage, &key, current, Some(target)) {
        Ok(v) => {
            if folder.exists() {
                std::fs::remove_dir_all(folder).map_err(|e| io(folder, e))?;
            }
            std::fs::rename(stage, folder).map_err(|e| io(folder, e))?;
            Ok(offer(Verified {
                package: folder.join(&v.manifest.file),
                manifest: v.manifest,
            }))
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(stage);
            Err(e.into())
        }
    }
}

/// The release already in the update folder, when it is the one named and still passes every
/// check (a second `check` does not download it again).
fn already_here(folder: &Path, file: &str, current: &Version, target: &str) -> Option<UpdateOffer> {
    let key = release_key().ok()?;
    let v = check_folder(folder, &key, current, Some(target)).ok()?;
    (v.manifest.file == file).then(|| offer(v))
}

/// Asks the area server for the newest release of `target` (this PC's kind:
/// `bvte_update::this_target`) and, when it is newer than this version, downloads it into the
/// update folder and checks it.
///
/// Errors: `NotEnrolled`; `Sync` when the server cannot be reached or refuses; `Update` when
/// the release is refused (unsigned, altered, another key, not newer than the manifest says…)
/// — the downloaded files are then deleted.
pub fn check_update(local: &impl Local, target: &str) -> Result<UpdateCheck, CoreError> {
    let (enrollment, db) = local.step(|s| {
        s.require(crate::access::Action::Update)?;
        Ok((s.store.enrollment()?, s.store.path().to_owned()))
    })?;
    let Some(enrollment) = enrollment else {
        return Err(CoreError::NotEnrolled);
    };
    // Before any download: a build without a key takes no update.
    release_key()?;
    let current = bvte_update::current();
    let client = Client::new(&enrollment.server_url, &enrollment.fingerprint)?
        .with_token(enrollment.token.clone());
    let latest = client.latest_release(target)?;
    let none = UpdateCheck {
        current: current.to_string(),
        target: target.to_owned(),
        offer: None,
    };
    let Some(manifest) = latest.release else {
        return Ok(none);
    };
    // An older or equal release is not offered (nor downloaded).
    match Version::parse(&manifest.version) {
        Some(v) if v > current => {}
        _ => return Ok(none),
    }
    let folder = update_folder(&db);
    if let Some(o) = already_here(&folder, &manifest.file, &current, target) {
        return Ok(UpdateCheck {
            offer: Some(o),
            ..none
        });
    }
    let offer = download(&client, manifest, &folder, &current, target)?;
    Ok(UpdateCheck {
        offer: Some(offer),
        ..none
    })
}

/// Downloads the release into a staging folder, then [`settle`]s it.
fn download(
    client: &Client,
    manifest: Manifest,
    folder: &Path,
    current: &Version,
    target: &str,
) -> Result<UpdateOffer, CoreError> {
    // The name is checked before it becomes a path.
    manifest.package()?;
    let stage = staging(folder)?;
    let path = stage.join(&manifest.file);
    let result = std::fs::File::create(&path)
        .map_err(|e| io(&path, e))
        .and_then(|mut f| {
            client.download_release(&manifest.file, &mut f, manifest.size)?;
            f.sync_all().map_err(|e| io(&path, e))
        })
        .and_then(|()| manifest.write(&stage).map_err(CoreError::from));
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&stage);
        return Err(e);
    }
    settle(&stage, folder, current, target)
}

/// Takes the update folder `dir` (a USB stick: package, `.sig`, `bvte-update.json`): checks
/// it as a download is checked, then copies it into the update folder beside the database at
/// `db` (checked again there), so the stick can be removed.
///
/// Errors: `Update` — refused (unsigned, altered, another key, not newer, another kind of PC),
/// or files missing or unreadable.
pub fn from_folder(dir: &Path, db: &Path, target: &str) -> Result<UpdateOffer, CoreError> {
    let key = release_key()?;
    let current = bvte_update::current();
    let v = check_folder(dir, &key, &current, Some(target))?;
    let folder = update_folder(db);
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    };
    if same(dir, &folder) {
        return Ok(offer(v));
    }
    let stage = staging(&folder)?;
    let to = stage.join(&v.manifest.file);
    std::fs::copy(&v.package, &to).map_err(|e| io(&to, e))?;
    v.manifest.write(&stage)?;
    settle(&stage, &folder, &current, target)
}
