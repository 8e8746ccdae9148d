//! What can go wrong talking to the district server, in words an officer can act on.

use bvte_protocol::api::ApiError;

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server presented another certificate than the one pinned at enrollment: nothing
    /// was sent.
    #[error(
        "Máy chủ đưa ra chứng chỉ có dấu vân tay {got}, khác với dấu vân tay đã nhập {expected}: \
         không gửi gì. Hỏi người quản trị máy chủ dấu vân tay đúng (lệnh `bvte-server fingerprint`)"
    )]
    WrongFingerprint {
        /// The pinned fingerprint.
        expected: String,
        /// The one presented.
        got: String,
    },
    /// No answer (offline, wrong address, connection cut, timeout).
    #[error(
        "Không kết nối được máy chủ đồng bộ ({0}). Dữ liệu vẫn an toàn trên máy này và sẽ được \
         gửi khi có kết nối"
    )]
    Unreachable(String),
    /// The server answered with an error.
    #[error("{}", .error.message)]
    Api {
        /// HTTP status.
        status: u16,
        /// The server's explanation.
        error: ApiError,
    },
    /// The answer was not what the protocol says (truncated, not JSON…).
    #[error("Máy chủ trả lời không đúng định dạng ({0}); thử lại sau")]
    Protocol(String),
    /// What was received could not be written on this PC (a downloaded release: disk full,
    /// folder not writable).
    #[error("Không ghi được tệp tải về trên máy này: {0}")]
    Disk(String),
    /// The settings given are unusable.
    #[error("{message}")]
    Config {
        /// The setting at fault (`server_url`, `fingerprint`), when one is.
        field: Option<&'static str>,
        /// What is wrong, in Vietnamese.
        message: String,
        /// What is wrong, in English.
        message_en: String,
    },
}

impl ClientError {
    /// A settings error about no field in particular (the TLS or HTTP library refused).
    pub fn config(detail: impl std::fmt::Display) -> Self {
        ClientError::Config {
            field: None,
            message: format!("Không tạo được kết nối đồng bộ: {detail}"),
            message_en: format!("Could not set up the sync connection: {detail}"),
        }
    }

    /// The message in English (`Display` gives the Vietnamese one).
    pub fn message_en(&self) -> String {
        match self {
            ClientError::WrongFingerprint { expected, got } => format!(
                "The server presented a certificate with fingerprint {got}, not the fingerprint \
                 entered, {expected}: nothing was sent. Ask the server's administrator for the right fingerprint \
                 (`bvte-server fingerprint`)."
            ),
            ClientError::Unreachable(detail) => format!(
                "Cannot reach the sync server ({detail}). The data stays safe on this PC and \
                 will be sent when there is a connection."
            ),
            ClientError::Api { error, .. } => error.message_en.clone(),
            ClientError::Protocol(detail) => {
                format!("The server's answer was malformed ({detail}); try again later.")
            }
            ClientError::Config { message_en, .. } => message_en.clone(),
            ClientError::Disk(detail) => {
                format!("Cannot write the downloaded file on this PC: {detail}")
            }
        }
    }

    /// The server's error code, when it answered with one.
    pub fn api_code(&self) -> Option<&str> {
        match self {
            ClientError::Api { error, .. } => Some(&error.code),
            _ => None,
        }
    }

    /// Whether trying again later may succeed without anyone changing anything.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Unreachable(_) | ClientError::Protocol(_) => true,
            ClientError::Api { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            _ => false,
        }
    }
}
