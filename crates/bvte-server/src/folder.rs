//! The data folder holds the TLS private key, `server.toml` (maybe a database password) and,
//! with SQLite, every commune's records: only the account that runs the server may enter it.
//! `init` creates it 0700, but a folder made beforehand, a restore or a `chmod -R` can leave it
//! open to every account (issue 10 item 9). Decision: `init` and `serve` tighten it to 0700 and
//! say so on standard error, rather than refuse: nobody else should read it, the account that
//! runs the server owns it, and a refusal would only make the administrator type the same
//! `chmod`. When that fails (another account owns the folder), `serve` refuses, saying how.

use crate::error::CliError;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Makes `data` owner-only (0700) if others may read, write or enter it; says so when it
/// changed anything. A missing folder is left to the storage to report.
///
/// Errors: the mode cannot be read or changed (`Files`, saying what command fixes it).
pub fn make_private(data: &Path) -> Result<(), CliError> {
    let meta = match std::fs::metadata(data) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(CliError::files(
                "đọc quyền của",
                "read the mode of",
                data,
                &e,
            ));
        }
    };
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 == 0 {
        return Ok(());
    }
    std::fs::set_permissions(data, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| CliError::Files {
            vi: format!(
                "Thư mục dữ liệu {} có quyền {mode:04o}, tài khoản khác đọc được, và không đổi được ({e}). Hãy chạy `chmod 700 {}` bằng tài khoản sở hữu thư mục rồi chạy lại",
                data.display(),
                data.display()
            ),
            en: format!(
                "the data folder {} is {mode:04o}, open to other accounts, and cannot be changed; run `chmod 700 {}` as its owner, then start again",
                data.display(),
                data.display()
            ),
        })?;
    eprintln!(
        "Thư mục dữ liệu {} có quyền {mode:04o}: đã đổi thành 0700, chỉ tài khoản chạy máy chủ vào được (data folder was {mode:04o}; set to 0700, owner only).",
        data.display()
    );
    Ok(())
}
