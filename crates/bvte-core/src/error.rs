//! Errors of the use cases: a stable code, a Vietnamese message (English available), and for
//! validation the list of field errors.

use bvte_domain::ValidationErrors;
use bvte_domain::error::ErrorReport;
use bvte_store::StoreError;

/// What went wrong in a use case.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// A store error (wrong passphrase, not found, disk full…).
    #[error("{0}")]
    Store(StoreError),
    /// The input broke one or more rules.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// The input is not valid JSON or not the expected shape.
    #[error("Dữ liệu JSON không hợp lệ{}: {detail}. Xem mẫu trong docs/json.md.", at_vi(.line, .column))]
    BadJson {
        /// Line of the problem, when known.
        line: Option<usize>,
        /// Column of the problem, when known.
        column: Option<usize>,
        /// What the parser said (it quotes at most a field name, never a value).
        detail: String,
    },
    /// The input document is larger than allowed.
    #[error("Dữ liệu vào quá lớn (hơn {max_mib} MiB). Một hồ sơ chỉ vài KB; hãy kiểm tra tệp.")]
    InputTooLarge {
        /// The limit in MiB.
        max_mib: u64,
    },
    /// The input is not UTF-8 text.
    #[error("Dữ liệu vào không phải văn bản UTF-8. Hãy lưu tệp với bảng mã UTF-8.")]
    NotUtf8,
    /// Too many wrong passphrases in a row: wait before the next attempt.
    #[error(
        "Đã nhập sai mật khẩu {failures} lần liên tiếp. Hãy chờ {} rồi thử lại, hoặc dùng mã khôi phục.",
        wait_vi(*retry_after_seconds)
    )]
    LockedOut {
        /// Wrong attempts in a row.
        failures: u32,
        /// Seconds to wait.
        retry_after_seconds: i64,
    },
    /// A wrong passphrase (with the count, so the UI can warn before a wait starts).
    #[error(
        "Sai mật khẩu (lần thứ {failures}). Hãy nhập lại; chú ý chữ hoa/chữ thường và bộ gõ tiếng Việt."
    )]
    WrongPassphrase {
        /// Wrong attempts in a row.
        failures: u32,
        /// Seconds to wait before the next attempt (0 = none).
        retry_after_seconds: i64,
    },
    /// The session is locked (idle time-out or locked by the officer).
    #[error("Phiên làm việc đã khóa. Hãy nhập mật khẩu để mở lại.")]
    Locked,
    /// The installation is not set up yet.
    #[error("BVTE chưa được cài đặt cho xã nào. Hãy hoàn tất bước cài đặt ban đầu.")]
    NotSetUp,
    /// Printing a form: unknown form, step missing, broken template (bvte-forms).
    #[error("{0}")]
    Form(#[from] bvte_forms::FormError),
    /// The report's layout (shipped or corrected) cannot be read or used.
    #[error("{0}")]
    Layout(#[from] bvte_report::LayoutError),
    /// The report's XLSX file could not be produced.
    #[error("{0}")]
    Sheet(#[from] bvte_sheet::SheetError),
    /// Reading a list to import, or undoing an import (issue 12).
    #[error("{0}")]
    Import(#[from] crate::import::ImportError),
    /// Saving, opening or printing a form's PDF (no printer, no PDF application, disk).
    #[error("{0}")]
    Output(#[from] crate::print_os::OutputError),
    /// Talking to the sync server failed (offline, refused, wrong certificate…).
    #[error("{0}")]
    Sync(#[from] bvte_client::ClientError),
    /// An app update refused (unsigned, altered, another key, not newer…) or its files
    /// unreadable.
    #[error("{0}")]
    Update(bvte_update::UpdateError),
    /// Sync asked for before enrolling.
    #[error(
        "Máy này chưa đăng ký với máy chủ đồng bộ. Hãy nhập địa chỉ máy chủ, mã đăng ký và dấu \
         vân tay do người quản trị máy chủ cung cấp (Cài đặt → Đồng bộ, hoặc lệnh `bvte enroll`)."
    )]
    NotEnrolled,
    /// The server restarted (or was restored from a backup) during the sync: this run stops,
    /// the next one checks what the server holds and goes on safely.
    #[error(
        "Máy chủ vừa khởi động lại trong lúc đồng bộ. Không có gì bị mất: lần đồng bộ sau sẽ \
         kiểm tra lại và tiếp tục."
    )]
    ServerRestarted,
    /// The account's role does not allow this (issue 14, `access`).
    #[error("{}", .0.message_vi())]
    Refused(crate::access::Refused),
    /// An id that is not a UUID.
    #[error("Mã {what} “{value}” không đúng dạng (UUID, ví dụ 0193a0b2-…). Hãy sao chép lại mã.")]
    BadId {
        /// "trẻ em", "vụ việc".
        what: &'static str,
        /// The value typed (shortened).
        value: String,
    },
}

fn at_vi(line: &Option<usize>, column: &Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" (dòng {l}, cột {c})"),
        _ => String::new(),
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(v) => CoreError::Invalid(v),
            other => CoreError::Store(other),
        }
    }
}

impl From<ValidationErrors> for CoreError {
    fn from(e: ValidationErrors) -> Self {
        CoreError::Invalid(e)
    }
}

impl From<bvte_domain::ValidationError> for CoreError {
    fn from(e: bvte_domain::ValidationError) -> Self {
        CoreError::Invalid(e.into())
    }
}

impl CoreError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Store(e) => e.code(),
            CoreError::Invalid(e) => e.first().code(),
            CoreError::BadJson { .. } => "bad_json",
            CoreError::InputTooLarge { .. } => "input_too_large",
            CoreError::NotUtf8 => "not_utf8",
            CoreError::LockedOut { .. } => "locked_out",
            CoreError::WrongPassphrase { .. } => "wrong_passphrase",
            CoreError::Locked => "locked",
            CoreError::NotSetUp => "not_set_up",
            CoreError::BadId { .. } => "bad_id",
            CoreError::Refused(_) => "refused",
            CoreError::Form(e) => e.code(),
            CoreError::Layout(e) => e.code(),
            CoreError::Sheet(e) => e.code(),
            CoreError::Import(e) => e.code(),
            CoreError::Output(e) => e.code(),
            CoreError::Sync(e) => sync_code(e),
            CoreError::Update(e) => e.code(),
            CoreError::NotEnrolled => "not_enrolled",
            CoreError::ServerRestarted => "server_restarted",
        }
    }

    /// The field errors of a validation failure (empty otherwise).
    pub fn reports(&self) -> Vec<ErrorReport> {
        match self {
            CoreError::Invalid(e) => e.to_reports(),
            CoreError::Sync(e) => sync_field(e)
                .map(|field| ErrorReport {
                    code: sync_code(e),
                    field: Some(field.to_string()),
                    message: e.to_string(),
                    message_en: e.message_en(),
                })
                .into_iter()
                .collect(),
            _ => vec![],
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            CoreError::Invalid(e) => {
                e.0.iter()
                    .map(|e| e.message_en())
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            CoreError::BadJson {
                line,
                column,
                detail,
            } => match (line, column) {
                (Some(l), Some(c)) => {
                    format!("Invalid JSON (line {l}, column {c}): {detail}. See docs/json.md.")
                }
                _ => format!("Invalid JSON: {detail}. See docs/json.md."),
            },
            CoreError::InputTooLarge { max_mib } => {
                format!("The input is larger than {max_mib} MiB; check the file.")
            }
            CoreError::NotUtf8 => "The input is not UTF-8 text; save the file as UTF-8.".into(),
            CoreError::LockedOut {
                failures,
                retry_after_seconds,
            } => format!(
                "{failures} wrong passphrases in a row; wait {}, or use the recovery code.",
                wait_en(*retry_after_seconds)
            ),
            CoreError::WrongPassphrase { failures, .. } => {
                format!("Wrong passphrase (attempt {failures}); type it again.")
            }
            CoreError::Locked => "The session is locked; enter the passphrase.".into(),
            CoreError::NotSetUp => "BVTE is not set up for a commune yet.".into(),
            CoreError::BadId { what, value } => {
                let what = match *what {
                    "trẻ em" => "child",
                    "vụ việc" => "case",
                    other => other,
                };
                format!("The {what} id \"{value}\" is not a UUID; copy it again.")
            }
            CoreError::Refused(r) => r.message_en(),
            CoreError::Store(e) => e.message_en(),
            CoreError::Form(e) => e.message_en(),
            CoreError::Layout(e) => e.message_en(),
            CoreError::Sheet(e) => e.message_en(),
            CoreError::Import(e) => e.message_en(),
            CoreError::Output(e) => e.message_en(),
            CoreError::Sync(e) => e.message_en(),
            CoreError::Update(e) => e.message_en(),
            CoreError::NotEnrolled => {
                "This PC is not enrolled with the sync server yet (Settings → Sync, or `bvte enroll`).".into()
            }
            CoreError::ServerRestarted => {
                "The server restarted during the sync. Nothing is lost: the next sync checks again and goes on.".into()
            }
        }
    }
}

/// The enrollment field a sync failure points at, so the form can show it there.
fn sync_field(e: &bvte_client::ClientError) -> Option<&'static str> {
    use bvte_client::ClientError as E;
    match e {
        E::Config { field, .. } => *field,
        E::WrongFingerprint { .. } => Some("fingerprint"),
        E::Unreachable(_) => Some("server_url"),
        E::Api { error, .. } => match error.code.as_str() {
            "code_invalid" | "code_used" | "code_expired" | "commune_mismatch" => Some("code"),
            _ => None,
        },
        E::Protocol(_) | E::Disk(_) => None,
    }
}

/// A stable code for a sync failure: the server's own code when it answered with a known one.
fn sync_code(e: &bvte_client::ClientError) -> &'static str {
    use bvte_client::ClientError as E;
    const SERVER_CODES: &[&str] = &[
        "unauthorized",
        "revoked",
        "forbidden_scope",
        "seq_gap",
        "clock_ahead",
        "bad_request",
        "too_large",
        "code_invalid",
        "code_used",
        "code_expired",
        "commune_mismatch",
        "storage",
        "too_many_attempts",
        "timeout",
    ];
    match e {
        E::WrongFingerprint { .. } => "wrong_fingerprint",
        E::Unreachable(_) => "server_unreachable",
        E::Protocol(_) => "server_protocol",
        E::Config { .. } => "sync_settings",
        E::Disk(_) => "download_not_saved",
        E::Api { error, .. } => SERVER_CODES
            .iter()
            .find(|c| **c == error.code)
            .copied()
            .unwrap_or("server_refused"),
    }
}

/// Parses a JSON value into an input struct, with a clear error.
pub fn parse_json<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, CoreError> {
    serde_json::from_value(v).map_err(|e| CoreError::BadJson {
        line: None,
        column: None,
        detail: bvte_domain::text::truncate_detail(&e.to_string()),
    })
}

/// Parses an id.
pub fn parse_id<T: std::str::FromStr>(what: &'static str, s: &str) -> Result<T, CoreError> {
    s.trim().parse().map_err(|_| CoreError::BadId {
        what,
        value: bvte_domain::text::truncate_for_message(s.trim()),
    })
}

/// An error as the desktop UI receives it: `{code, message, message_en, fields,
/// retry_after_seconds}` (docs/desktop-api.md).
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Problem {
    /// Stable code.
    pub code: String,
    /// Vietnamese message.
    pub message: String,
    /// English message.
    pub message_en: String,
    /// Field errors of a validation failure.
    pub fields: Vec<ErrorReport>,
    /// Seconds to wait before another passphrase attempt, when relevant.
    pub retry_after_seconds: Option<i64>,
}

impl From<CoreError> for Problem {
    fn from(e: CoreError) -> Self {
        Problem::from(&e)
    }
}

impl From<&CoreError> for Problem {
    fn from(e: &CoreError) -> Self {
        let retry_after_seconds = match e {
            CoreError::LockedOut {
                retry_after_seconds,
                ..
            }
            | CoreError::WrongPassphrase {
                retry_after_seconds,
                ..
            } => Some(*retry_after_seconds),
            _ => None,
        };
        Problem {
            code: e.code().to_string(),
            message: e.to_string(),
            message_en: e.message_en(),
            fields: e.reports(),
            retry_after_seconds,
        }
    }
}

/// A wait as the officer reads it: `30 giây`, `2 phút`, `1 phút 30 giây`.
fn wait_vi(seconds: i64) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} giây"),
        (m, 0) => format!("{m} phút"),
        (m, s) => format!("{m} phút {s} giây"),
    }
}

/// A wait in English: `30 s`, `2 min`, `1 min 30 s`.
fn wait_en(seconds: i64) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}
