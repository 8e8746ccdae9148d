//! Store errors. Each says, in Vietnamese, what went wrong and what to do; none carries
//! personal data.

use crate::backup::BackupError;
use crate::keys::KeyError;
use bvte_domain::ValidationErrors;
use std::path::PathBuf;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The passphrase or recovery code is wrong.
    #[error(
        "Sai mật khẩu (hoặc mã khôi phục). Hãy nhập lại; chú ý chữ hoa/chữ thường và bộ gõ tiếng Việt."
    )]
    WrongPassphrase,
    /// The database file does not exist.
    #[error(
        "Không tìm thấy cơ sở dữ liệu {0}. Hãy kiểm tra đường dẫn, hoặc tạo mới bằng `bvte init`."
    )]
    NoDatabase(PathBuf),
    /// `init` on a path that already has a database.
    #[error("Đã có cơ sở dữ liệu tại {0}. Hãy chọn đường dẫn khác; không ghi đè dữ liệu đang có.")]
    AlreadyExists(PathBuf),
    /// The envelope unwrapped a key that does not open this database.
    #[error(
        "Tệp khóa không khớp với cơ sở dữ liệu {0} (có thể tệp .keys của máy khác bị chép nhầm). Hãy dùng đúng tệp .keys đi kèm."
    )]
    KeyMismatch(PathBuf),
    /// The file is not a BVTE database or is damaged.
    #[error(
        "Tệp {path} không phải cơ sở dữ liệu BVTE hoặc đã bị hỏng ({reason}). Hãy khôi phục từ bản sao lưu."
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Detail (no personal data).
        reason: String,
    },
    /// The database was made by a newer version of the app.
    #[error(
        "Cơ sở dữ liệu này do phiên bản BVTE mới hơn tạo ra (lược đồ {found}, phiên bản này biết đến {known}). Hãy cập nhật BVTE; dữ liệu không bị thay đổi."
    )]
    SchemaTooNew {
        /// The database's schema version.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// The disk is full.
    #[error(
        "Ổ đĩa đã đầy nên chưa lưu được. Dữ liệu cũ vẫn nguyên vẹn; hãy giải phóng dung lượng rồi thử lại."
    )]
    DiskFull,
    /// Another program holds the database.
    #[error("Cơ sở dữ liệu đang bận (một chương trình khác đang ghi). Hãy thử lại sau ít giây.")]
    Busy,
    /// No record with this id.
    #[error("Không tìm thấy {what} có mã {id}.")]
    NotFound {
        /// "trẻ em", "vụ việc"…
        what: &'static str,
        /// The id.
        id: String,
    },
    /// The input broke a rule.
    #[error("{0}")]
    Invalid(#[from] ValidationErrors),
    /// A problem with the key envelope.
    #[error("{0}")]
    Key(KeyError),
    /// A backup cannot be made or used.
    #[error("{0}")]
    Backup(#[from] BackupError),
    /// An account is missing, taken, or the last local admin.
    #[error("{0}")]
    Account(crate::accounts::AccountError),
    /// A file operation failed.
    #[error("Lỗi đọc/ghi tệp {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Any other database error (a bug, or damage).
    #[error("Lỗi cơ sở dữ liệu: {0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    /// A stable code for the error.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::WrongPassphrase => "wrong_passphrase",
            StoreError::NoDatabase(_) => "no_database",
            StoreError::AlreadyExists(_) => "already_exists",
            StoreError::KeyMismatch(_) => "key_mismatch",
            StoreError::Corrupt { .. } => "corrupt",
            StoreError::SchemaTooNew { .. } => "schema_too_new",
            StoreError::DiskFull => "disk_full",
            StoreError::Busy => "busy",
            StoreError::NotFound { .. } => "not_found",
            StoreError::Invalid(e) => e.first().code(),
            StoreError::Key(_) => "key_file",
            StoreError::Backup(e) => e.code(),
            StoreError::Account(e) => e.code(),
            StoreError::Io { .. } => "io",
            StoreError::Sqlite(_) => "database",
        }
    }
}

impl StoreError {
    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            StoreError::WrongPassphrase => "Wrong passphrase or recovery code; type it again.".into(),
            StoreError::NoDatabase(p) => format!(
                "No database at {}; check the path or create one with `bvte init`.",
                p.display()
            ),
            StoreError::AlreadyExists(p) => format!(
                "There is already a database at {}; choose another path (nothing is overwritten).",
                p.display()
            ),
            StoreError::KeyMismatch(p) => format!(
                "The key file does not belong to the database {}; use the .keys file that came with it.",
                p.display()
            ),
            StoreError::Corrupt { path, reason } => format!(
                "{} is not a BVTE database or is damaged ({reason}); restore it from a backup.",
                path.display()
            ),
            StoreError::SchemaTooNew { found, known } => format!(
                "This database was made by a newer BVTE (schema {found}, this build knows {known}); update BVTE. Nothing was changed."
            ),
            StoreError::DiskFull => {
                "The disk is full, so nothing was saved; the data already stored is intact. Free some space and try again.".into()
            }
            StoreError::Busy => "The database is busy (another program is writing); try again in a few seconds.".into(),
            StoreError::NotFound { what, id } => {
                let what = match *what {
                    "trẻ em" => "child",
                    "vụ việc" => "case",
                    other => other,
                };
                format!("No {what} with id {id}.")
            }
            StoreError::Invalid(e) => e.0.iter().map(|e| e.message_en()).collect::<Vec<_>>().join(" "),
            StoreError::Key(e) => format!("Key file problem: {e}"),
            StoreError::Backup(e) => e.message_en(),
            StoreError::Account(e) => e.message_en(),
            StoreError::Io { path, source } => format!("Cannot read or write {}: {source}", path.display()),
            StoreError::Sqlite(e) => format!("Database error: {e}"),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DiskFull) => StoreError::DiskFull,
            Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<KeyError> for StoreError {
    fn from(e: KeyError) -> Self {
        match e {
            KeyError::WrongSecret => StoreError::WrongPassphrase,
            other => StoreError::Key(other),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt {
            path: PathBuf::new(),
            reason: format!("bản ghi JSON không đọc được: {e}"),
        }
    }
}

/// Store result.
pub type Result<T> = std::result::Result<T, StoreError>;
