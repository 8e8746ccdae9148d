//! `DIR/server.toml`: what `init` remembers for the later commands — the database URL given
//! with `--database-url`. The URL may hold a password, so the file is written with mode 0600
//! and neither the file nor the URL is ever printed.

use crate::error::{CliError, StorageError, StorageResult};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The settings file in the data folder.
pub const SETTINGS_FILE: &str = "server.toml";

/// The file's content. No `Debug`: it holds the URL.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// The database URL (`postgres://…` or `sqlite://…`).
    database_url: Option<String>,
}

/// The path of the settings file in `data`.
pub fn path(data: &Path) -> PathBuf {
    data.join(SETTINGS_FILE)
}

/// The database URL remembered in `data`, if any.
///
/// Errors: `Unavailable` when the file exists but cannot be read; `Invalid` when it is not
/// valid (the content is not quoted: it may hold a password).
pub fn database_url(data: &Path) -> StorageResult<Option<String>> {
    let file = path(data);
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(StorageError::unavailable(
                format!(
                    "Không đọc được {} ({e}): hãy kiểm tra quyền của tệp (người chạy máy chủ phải đọc được)",
                    file.display()
                ),
                format!(
                    "cannot read {}: check the file's permissions (the server's user must read it)",
                    file.display()
                ),
            ));
        }
    };
    let settings: Settings = toml::from_str(&text).map_err(|_| {
        StorageError::invalid(
            format!(
                "Tệp {} không hợp lệ: chỉ chứa một dòng database_url = \"postgres://…\". Hãy sửa hoặc chạy lại `bvte-server init --database-url …`",
                file.display()
            ),
            format!(
                "{} is not valid: it holds one line database_url = \"postgres://…\"; fix it or run `bvte-server init --database-url …` again",
                file.display()
            ),
        )
    })?;
    Ok(settings.database_url)
}

/// Remembers `url` in `data` (mode 0600, replacing an older file).
///
/// Errors: the file cannot be written.
pub fn remember_database_url(data: &Path, url: &str) -> Result<(), CliError> {
    let file = path(data);
    let fail = |e: &dyn std::fmt::Display| CliError::files("ghi", "write", &file, e);
    let mut text = String::from(
        "# bvte-server: written by `bvte-server init`. Holds the database password: keep it private (mode 0600).\n",
    );
    text.push_str(
        &toml::to_string(&Settings {
            database_url: Some(url.to_owned()),
        })
        .map_err(|e| fail(&e))?,
    );
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&file)
        .map_err(|e| fail(&e))?;
    // An older file keeps its mode on open: tighten it before writing the password.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))
        .map_err(|e| fail(&e))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| fail(&e))
}
