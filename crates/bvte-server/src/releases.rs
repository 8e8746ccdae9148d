//! The app's releases the area server hands out (issue 13, "Updates that reach offline
//! communes"): `release add` checks a signed package and keeps it in `DIR/releases/`, `release
//! list` shows them, and the API (`api::release`) tells each device the newest one for its kind
//! of PC and sends the package.
//!
//! Decision: the server checks a package's signature against the same release key the app
//! has built in (`bvte_update::release_key`) before storing it, so a wrong file, an unsigned
//! one or one signed with another key is refused at the server, where the administrator is,
//! not later at every commune. The app checks it again itself: the server is never trusted
//! for the signature. Any version may be stored (an older one stays listed); devices are only
//! offered the newest of their kind and refuse anything not newer than what they run.

use crate::cli::{ListArgs, ReleaseAddArgs};
use crate::clock::{now_ms, rfc3339};
use crate::commands::{CmdResult, open};
use crate::error::CliError;
use crate::storage::ReleaseRow;
use bvte_update::{Manifest, Package, UpdateError, Version, check_package, release_key};
use serde_json::json;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Longest release notes kept, in characters.
const MAX_NOTES: usize = 4000;

/// Largest `.sig` file read (a tauri signature is about 400 bytes).
const MAX_SIGNATURE_BYTES: u64 = 16 * 1024;

/// Where the packages are kept: `DIR/releases/`.
pub fn folder(data: &Path) -> PathBuf {
    data.join("releases")
}

/// The newest release for `target` among `releases`, by version order.
pub fn newest(releases: Vec<ReleaseRow>, target: &str) -> Option<Manifest> {
    releases
        .into_iter()
        .map(|r| r.manifest)
        .filter(|m| m.target == target)
        .filter_map(|m| Version::parse(&m.version).map(|v| (v, m)))
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, m)| m)
}

/// A refused release as a command error (exit 3), in both languages.
fn refused(e: &UpdateError) -> CliError {
    CliError::input(e.to_string(), e.message_en())
}

/// The release notes: NFC, line ends as `\n`, trimmed; no control characters but line ends and
/// tabs; at most [`MAX_NOTES`] characters.
fn clean_notes(notes: &str) -> Result<String, CliError> {
    bvte_domain::text::clean_text("notes", notes, MAX_NOTES).map_err(|_| {
        CliError::input(
            format!(
                "Ghi chú phát hành (--notes) phải dài không quá {MAX_NOTES} ký tự và không có ký tự điều khiển"
            ),
            format!("the release notes (--notes) must have at most {MAX_NOTES} characters, no control characters"),
        )
    })
}

/// Today in Vietnam (UTC+7), `yyyy-mm-dd`.
fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y-%m-%d")
        .to_string()
}

/// `release add`: checks the package (name, signature by the release key), copies it into
/// `DIR/releases/` (owner-only), checks the copy again, and records its manifest.
///
/// Errors: exit 3 for a refused package (bad name, unsigned, altered, another key, this build
/// has no key) or one added already; 4 for a missing file; 7 for files or storage.
pub fn add(args: &ReleaseAddArgs) -> CmdResult {
    let name = args
        .package
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let package = Package::from_file_name(&name).map_err(|e| refused(&e))?;
    let notes = clean_notes(args.notes.as_deref().unwrap_or(""))?;
    let signature = read_signature(&args.signature)?;
    let key = release_key().map_err(|e| refused(&e))?;
    // The file given first: a refusal leaves nothing behind.
    check_package(&key, &args.package, &signature).map_err(|e| file_error(&e, &args.package))?;
    let storage = open(&args.common)?;
    if storage.releases()?.iter().any(|r| r.manifest.file == name) {
        return Err(CliError::input(
            format!(
                "Đã có bản {name} trên máy chủ: không thêm lại (xem `bvte-server release list`)"
            ),
            format!("{name} is stored already (see `bvte-server release list`)"),
        ));
    }
    let dir = folder(&args.common.data);
    let staging = dir.join(".dang-them");
    for d in [&dir, &staging] {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(d)
            .map_err(|e| CliError::files("tạo thư mục", "create the folder", d, &e))?;
    }
    let copy = staging.join(&name);
    std::fs::copy(&args.package, &copy)
        .map_err(|e| CliError::files("chép gói vào", "copy the package to", &copy, &e))?;
    let _ = std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o600));
    // The copy is what devices receive: checked, not assumed equal to the original.
    let checked = match check_package(&key, &copy, &signature) {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&copy);
            return Err(file_error(&e, &copy));
        }
    };
    let stored = dir.join(&name);
    std::fs::rename(&copy, &stored)
        .map_err(|e| CliError::files("đặt gói vào", "move the package to", &stored, &e))?;
    let manifest = Manifest {
        version: package.version.to_string(),
        notes,
        date: today(),
        file: name.clone(),
        target: package.target,
        size: checked.size,
        sha256: checked.sha256,
        signature: signature.trim().to_owned(),
    };
    let added = storage.add_release(&ReleaseRow {
        manifest: manifest.clone(),
        added_at_ms: now_ms(),
    })?;
    if !added {
        return Err(CliError::input(
            format!("Đã có bản {name} trên máy chủ: không thêm lại"),
            format!("{name} is stored already"),
        ));
    }
    println!(
        "Đã thêm bản {} cho máy {} ({name}, {} byte); các máy xã sẽ được báo khi hỏi cập nhật (release added).",
        manifest.version, manifest.target, manifest.size
    );
    Ok(())
}

/// A package check's failure: a missing file is "not found" (4), the rest refusals (3).
fn file_error(e: &UpdateError, path: &Path) -> CliError {
    match e {
        UpdateError::Missing { .. } => CliError::Storage(crate::error::StorageError::not_found(
            format!("Không thấy tệp {}", path.display()),
            format!("{} does not exist", path.display()),
        )),
        UpdateError::Io { .. } => CliError::files("đọc", "read", path, &e.to_string()),
        other => refused(other),
    }
}

/// The `.sig` file's text. Errors: missing (4), unreadable or too large (3).
fn read_signature(path: &Path) -> Result<String, CliError> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            CliError::Storage(crate::error::StorageError::not_found(
                format!("Không thấy tệp chữ ký {}", path.display()),
                format!("the signature file {} does not exist", path.display()),
            ))
        } else {
            CliError::files("đọc", "read", path, &e)
        }
    })?;
    let mut text = String::new();
    f.take(MAX_SIGNATURE_BYTES)
        .read_to_string(&mut text)
        .map_err(|_| {
            CliError::input(
                format!(
                    "{} không phải tệp chữ ký .sig (không phải văn bản)",
                    path.display()
                ),
                format!("{} is not a .sig signature file", path.display()),
            )
        })?;
    Ok(text)
}

/// `release list`: every stored release, in the order added.
pub fn list(args: &ListArgs) -> CmdResult {
    let releases = open(&args.common)?.releases()?;
    if args.json {
        let rows: Vec<_> = releases
            .iter()
            .map(|r| {
                let m = &r.manifest;
                json!({
                    "file": m.file, "version": m.version, "target": m.target, "date": m.date,
                    "size": m.size, "sha256": m.sha256, "notes": m.notes,
                    "added_at": rfc3339(r.added_at_ms),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(rows));
    } else if releases.is_empty() {
        println!(
            "Chưa có bản phát hành nào (no releases yet): bvte-server release add GÓI GÓI.sig --notes \"…\""
        );
    } else {
        for r in releases {
            let m = &r.manifest;
            println!("{}\t{}\t{}\t{}", m.version, m.target, m.date, m.file);
        }
    }
    Ok(())
}
