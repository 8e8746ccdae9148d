//! Errors: what the API answers ([`Refusal`], always an [`ApiError`] body with a stable code),
//! what a storage backend reports ([`StorageError`]) and what a command exits with
//! ([`CliError`]).
//!
//! | exit code | meaning |
//! |---|---|
//! | 0 | success |
//! | 2 | wrong command-line usage (clap) |
//! | 3 | input refused: invalid value, existing database, unsupported database URL |
//! | 4 | not found: data folder, commune, device |
//! | 7 | storage: newer schema, damaged file, full disk, unreadable files, database server unreachable or refusing the login, database missing |

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bvte_protocol::api::ApiError;

/// A request the API refuses; answered as an [`ApiError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No token, or a token the server does not know.
    Unauthorized,
    /// The device's token was revoked.
    Revoked,
    /// A record of another commune.
    ForbiddenScope,
    /// A child that moved away from the device's commune: an edit made after that commune
    /// learned of the move, or one that would move the child again.
    Moved {
        /// The commune the child is in now.
        to: String,
    },
    /// The change's sequence number is not the next one the server expects.
    SeqGap {
        /// What the server holds.
        acked_seq: u64,
    },
    /// The change's clock is too far ahead of the server's.
    ClockAhead {
        /// By how much.
        ahead_ms: u64,
    },
    /// A malformed or inconsistent request.
    BadRequest {
        /// Vietnamese.
        vi: String,
        /// English.
        en: String,
    },
    /// A body that is not JSON or is encoded in a way the server does not accept.
    UnsupportedMedia,
    /// A body or page too large.
    TooLarge,
    /// A body larger than a device that is not enrolled may send (an enrollment is a few
    /// hundred bytes; the 8 MiB of a push page are for enrolled devices only).
    TooLargeUnenrolled {
        /// The limit, in bytes.
        max_bytes: usize,
    },
    /// The request (its body, or the work it asked for) did not finish in time.
    Timeout {
        /// The time allowed, in seconds.
        seconds: u64,
    },
    /// Unknown enrollment code.
    CodeInvalid,
    /// Enrollment code already used.
    CodeUsed,
    /// Enrollment code expired.
    CodeExpired,
    /// The enrollment code belongs to another commune.
    CommuneMismatch,
    /// No such route.
    NotFound,
    /// The route exists with another method.
    MethodNotAllowed,
    /// The server's database failed; nothing was stored.
    Storage,
    /// Too many failed attempts (enrollment code, device token) from this address.
    TooManyAttempts {
        /// Seconds until the address may try again.
        retry_after_s: u64,
    },
}

impl Refusal {
    /// A `bad_request` with both messages.
    pub fn bad(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Refusal::BadRequest {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::Unauthorized | Refusal::Revoked => StatusCode::UNAUTHORIZED,
            Refusal::ForbiddenScope
            | Refusal::Moved { .. }
            | Refusal::CodeInvalid
            | Refusal::CodeUsed
            | Refusal::CodeExpired
            | Refusal::CommuneMismatch => StatusCode::FORBIDDEN,
            Refusal::SeqGap { .. } => StatusCode::CONFLICT,
            Refusal::ClockAhead { .. } | Refusal::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Refusal::UnsupportedMedia => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Refusal::TooLarge | Refusal::TooLargeUnenrolled { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::Timeout { .. } => StatusCode::REQUEST_TIMEOUT,
            Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Refusal::Storage => StatusCode::INTERNAL_SERVER_ERROR,
            Refusal::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Unauthorized => "unauthorized",
            Refusal::Revoked => "revoked",
            Refusal::ForbiddenScope => "forbidden_scope",
            Refusal::Moved { .. } => "moved",
            Refusal::SeqGap { .. } => "seq_gap",
            Refusal::ClockAhead { .. } => "clock_ahead",
            Refusal::BadRequest { .. } | Refusal::UnsupportedMedia | Refusal::MethodNotAllowed => {
                "bad_request"
            }
            Refusal::TooLarge | Refusal::TooLargeUnenrolled { .. } => "too_large",
            Refusal::Timeout { .. } => "timeout",
            Refusal::CodeInvalid => "code_invalid",
            Refusal::CodeUsed => "code_used",
            Refusal::CodeExpired => "code_expired",
            Refusal::CommuneMismatch => "commune_mismatch",
            Refusal::NotFound => "not_found",
            Refusal::Storage => "storage",
            Refusal::TooManyAttempts { .. } => "too_many_attempts",
        }
    }

    /// Vietnamese and English messages: what is wrong and what to do.
    pub fn messages(&self) -> (String, String) {
        let pair = |vi: &str, en: &str| (vi.to_owned(), en.to_owned());
        match self {
            Refusal::Unauthorized => pair(
                "Thiết bị chưa đăng ký với máy chủ hoặc mã truy cập không đúng. Hãy đăng ký lại bằng mã đăng ký mới.",
                "The device is not enrolled or its token is wrong. Enroll again with a new enrollment code.",
            ),
            Refusal::Revoked => pair(
                "Thiết bị này đã bị thu hồi quyền đồng bộ. Hãy liên hệ người quản trị máy chủ để được cấp mã đăng ký mới.",
                "This device's access was revoked. Ask the server's administrator for a new enrollment code.",
            ),
            Refusal::ForbiddenScope => pair(
                "Dữ liệu này thuộc xã khác: thiết bị chỉ được đọc và ghi dữ liệu của xã mình. Không có gì được lưu.",
                "This record belongs to another commune: a device may only read and write its own commune's data. Nothing was stored.",
            ),
            Refusal::Moved { to } => {
                let (vi, en) = commune_names(to);
                (
                    format!(
                        "Trẻ đã chuyển sang {vi}: máy này không còn sửa hoặc chuyển hồ sơ của trẻ. Thay đổi này không được gửi đi; nếu cần, hãy báo cho {vi}."
                    ),
                    format!(
                        "The child has moved to {en}: this PC may no longer edit or move the child's record. This change was not sent on; if it matters, tell {en}."
                    ),
                )
            }
            Refusal::SeqGap { acked_seq } => (
                format!(
                    "Thiếu thay đổi trước đó: máy chủ đã có đến số {acked_seq}. Hãy gửi lại từ số {}.",
                    acked_seq + 1
                ),
                format!(
                    "Changes are missing: the server holds up to {acked_seq}. Resend from {}.",
                    acked_seq + 1
                ),
            ),
            Refusal::ClockAhead { ahead_ms } => {
                let minutes = ahead_ms.div_ceil(60_000);
                (
                    format!(
                        "Đồng hồ của máy tính này nhanh hơn đồng hồ máy chủ {minutes} phút. Hãy chỉnh lại ngày giờ của máy tính rồi đồng bộ lại."
                    ),
                    format!(
                        "This computer's clock is {minutes} minutes ahead of the server's. Correct the PC's date and time, then sync again."
                    ),
                )
            }
            Refusal::BadRequest { vi, en } => (vi.clone(), en.clone()),
            Refusal::UnsupportedMedia => pair(
                "Nội dung gửi lên phải là JSON (Content-Type: application/json), nén gzip hoặc không nén.",
                "The body must be JSON (Content-Type: application/json), gzip-compressed or not.",
            ),
            Refusal::TooLarge => pair(
                "Yêu cầu quá lớn. Hãy gửi ít thay đổi hơn trong mỗi lần.",
                "The request is too large. Send fewer changes at a time.",
            ),
            Refusal::TooLargeUnenrolled { max_bytes } => {
                let kib = max_bytes.div_ceil(1024);
                (
                    format!(
                        "Yêu cầu quá lớn: thiết bị chưa đăng ký chỉ được gửi tối đa {kib} KiB (yêu cầu đăng ký chỉ gồm mã đăng ký, tên thiết bị và mã xã). Hãy kiểm tra tên thiết bị rồi đăng ký lại."
                    ),
                    format!(
                        "The request is too large: a device that is not enrolled may send at most {kib} KiB (an enrollment holds only the code, the device name and the commune code). Check the device name and enroll again."
                    ),
                )
            }
            Refusal::Timeout { seconds } => (
                format!(
                    "Yêu cầu không hoàn tất trong {seconds} giây (mạng quá chậm hoặc bị ngắt). Hãy đồng bộ lại khi mạng ổn định: những gì máy chủ đã lưu sẽ không bị gửi trùng."
                ),
                format!(
                    "The request did not complete within {seconds} seconds (the network is too slow or was cut). Sync again when the network is steady: nothing the server already stored is duplicated."
                ),
            ),
            Refusal::CodeInvalid => pair(
                "Mã đăng ký không đúng. Hãy kiểm tra lại mã hoặc xin mã mới từ người quản trị máy chủ.",
                "Unknown enrollment code. Check it or ask the server's administrator for a new one.",
            ),
            Refusal::CodeUsed => pair(
                "Mã đăng ký này đã được dùng. Mỗi mã chỉ dùng một lần: hãy xin mã mới.",
                "This enrollment code was already used. Each code works once: ask for a new one.",
            ),
            Refusal::CodeExpired => pair(
                "Mã đăng ký đã hết hạn. Hãy xin mã mới từ người quản trị máy chủ.",
                "This enrollment code has expired. Ask the server's administrator for a new one.",
            ),
            Refusal::CommuneMismatch => pair(
                "Mã đăng ký này dành cho xã khác. Hãy dùng mã cấp cho xã của máy này.",
                "This enrollment code is for another commune. Use a code issued for this device's commune.",
            ),
            Refusal::NotFound => pair(
                "Địa chỉ không tồn tại trên máy chủ. Hãy kiểm tra phiên bản ứng dụng.",
                "No such address on the server. Check the app's version.",
            ),
            Refusal::MethodNotAllowed => pair(
                "Phương thức không được hỗ trợ cho địa chỉ này.",
                "Method not allowed for this address.",
            ),
            Refusal::Storage => pair(
                "Ổ đĩa hoặc cơ sở dữ liệu của máy chủ đang gặp sự cố; không có gì được lưu. Hãy thử lại sau.",
                "The server's disk or database has a problem; nothing was stored. Try again later.",
            ),
            Refusal::TooManyAttempts { retry_after_s } => {
                let minutes = retry_after_s.div_ceil(60);
                (
                    format!(
                        "Quá nhiều lần thử sai từ máy này (mã đăng ký hoặc mã truy cập không đúng). Hãy đợi {minutes} phút rồi thử lại, và kiểm tra mã với người quản trị máy chủ."
                    ),
                    format!(
                        "Too many failed attempts from this computer (wrong enrollment code or token). Wait {minutes} minutes, then try again, and check the code with the server's administrator."
                    ),
                )
            }
        }
    }

    /// The error body.
    pub fn to_api_error(&self) -> ApiError {
        let (message, message_en) = self.messages();
        ApiError {
            code: self.code().to_owned(),
            message,
            message_en,
            acked_seq: match self {
                Refusal::SeqGap { acked_seq } => Some(*acked_seq),
                _ => None,
            },
        }
    }
}

/// A commune as named in a message: "Xã Thạch Thất, Thành phố Hà Nội (09955)", the code alone
/// when it is not in the reference list (Vietnamese, English).
fn commune_names(code: &str) -> (String, String) {
    match bvte_domain::reference::units().lookup(code) {
        bvte_domain::units::CommuneLookup::Current(c) => {
            let name = format!("{} ({code})", c.full_name());
            (name.clone(), name)
        }
        _ => (format!("xã {code}"), format!("commune {code}")),
    }
}

/// Marks an answer to a wrong enrollment code or device token, for the rate limit.
#[derive(Clone, Copy, Debug)]
pub struct FailedAttempt;

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut res = (self.status(), Json(self.to_api_error())).into_response();
        match self {
            Refusal::TooManyAttempts { retry_after_s } => {
                res.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, retry_after_s.into());
            }
            // What the rate limit counts (a revoked device is told so, never slowed down).
            Refusal::Unauthorized
            | Refusal::CodeInvalid
            | Refusal::CodeUsed
            | Refusal::CodeExpired
            | Refusal::CommuneMismatch => {
                res.extensions_mut().insert(FailedAttempt);
            }
            _ => {}
        }
        res
    }
}

impl From<StorageError> for Refusal {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Refused(r) => r,
            other => {
                // The detail goes to the log only (it holds no field values).
                eprintln!("storage error: {other}");
                Refusal::Storage
            }
        }
    }
}

/// What a storage backend reports.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A rule applied inside a transaction refused the request; nothing was stored.
    #[error("refused: {}", .0.code())]
    Refused(Refusal),
    /// Something asked for does not exist.
    #[error("{vi} / {en}")]
    NotFound {
        /// Vietnamese.
        vi: String,
        /// English.
        en: String,
    },
    /// Input refused.
    #[error("{vi} / {en}")]
    Invalid {
        /// Vietnamese.
        vi: String,
        /// English.
        en: String,
    },
    /// The database server cannot be used as configured: unreachable, login refused, database
    /// missing, a privilege lacking. Says what to check; never holds the password.
    #[error("{vi} / {en}")]
    Unavailable {
        /// Vietnamese.
        vi: String,
        /// English.
        en: String,
    },
    /// The database was written by a newer build.
    #[error(
        "Cơ sở dữ liệu thuộc phiên bản mới hơn (lược đồ {found}, bản này biết đến {known}): hãy dùng bản bvte-server mới hơn / The database is from a newer version (schema {found}, this build knows {known}): use a newer bvte-server"
    )]
    SchemaTooNew {
        /// The database's version.
        found: i64,
        /// This build's.
        known: i64,
    },
    /// The disk is full.
    #[error(
        "Ổ đĩa của máy chủ đã đầy: hãy giải phóng dung lượng rồi thử lại / The server's disk is full: free some space and try again"
    )]
    DiskFull,
    /// The database is locked by another process for too long.
    #[error(
        "Cơ sở dữ liệu đang bận: hãy thử lại sau giây lát / The database is busy: try again in a moment"
    )]
    Busy,
    /// The file is damaged or not a database.
    #[error(
        "Tệp cơ sở dữ liệu bị hỏng: hãy khôi phục từ bản sao lưu / The database file is damaged: restore it from a backup"
    )]
    Corrupt,
    /// Any other database failure (detail for the log; never holds field values).
    #[error("Lỗi cơ sở dữ liệu / database error: {0}")]
    Backend(String),
}

impl StorageError {
    /// A not-found error.
    pub fn not_found(vi: impl Into<String>, en: impl Into<String>) -> Self {
        StorageError::NotFound {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// A database server that cannot be used as configured.
    pub fn unavailable(vi: impl Into<String>, en: impl Into<String>) -> Self {
        StorageError::Unavailable {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// An invalid-input error.
    pub fn invalid(vi: impl Into<String>, en: impl Into<String>) -> Self {
        StorageError::Invalid {
            vi: vi.into(),
            en: en.into(),
        }
    }
}

/// Shorthand for storage results.
pub type StorageResult<T> = Result<T, StorageError>;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// From the storage.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A value given on the command line is refused.
    #[error("{vi} / {en}")]
    Input {
        /// Vietnamese.
        vi: String,
        /// English.
        en: String,
    },
    /// Files (certificate, key, folder) could not be read or written.
    #[error("{vi} / {en}")]
    Files {
        /// Vietnamese.
        vi: String,
        /// English.
        en: String,
    },
}

impl CliError {
    /// A file-system failure about `path`.
    pub fn files(
        what_vi: &str,
        what_en: &str,
        path: &std::path::Path,
        e: &dyn std::fmt::Display,
    ) -> Self {
        CliError::Files {
            vi: format!("Không {what_vi} được {}: {e}", path.display()),
            en: format!("cannot {what_en} {}", path.display()),
        }
    }

    /// Refused input.
    pub fn input(vi: impl Into<String>, en: impl Into<String>) -> Self {
        CliError::Input {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Input { .. }
            | CliError::Storage(StorageError::Invalid { .. } | StorageError::Refused(_)) => 3,
            CliError::Storage(StorageError::NotFound { .. }) => 4,
            CliError::Storage(_) | CliError::Files { .. } => 7,
        }
    }
}
