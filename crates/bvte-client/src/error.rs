//! What can go wrong talking to the district server, in words an officer can act on.

use bvte_protocol::api::ApiError;

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server presented another certificate than the one pinned at enrollment: nothing
    /// was sent.
    #[error(
        "Máy chủ đưa ra chứng chỉ có dấu vân tay {got}, khác với dấu vân tay đã nhập {expected}: \
         không gửi gì. Hỏi cán bộ CNTT của huyện dấu vân tay đúng (lệnh `bvte-server fingerprint`) \
         / The server's certificate fingerprint does not match: nothing was sent"
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
         gửi khi có kết nối / Cannot reach the sync server; data stays on this PC"
    )]
    Unreachable(String),
    /// The server answered with an error.
    #[error("{} / {}", .error.message, .error.message_en)]
    Api {
        /// HTTP status.
        status: u16,
        /// The server's explanation.
        error: ApiError,
    },
    /// The answer was not what the protocol says (truncated, not JSON…).
    #[error(
        "Máy chủ trả lời không đúng định dạng ({0}); thử lại sau / The server's answer was malformed"
    )]
    Protocol(String),
    /// The settings given are unusable.
    #[error("{0}")]
    Config(String),
}

impl ClientError {
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
            ClientError::Api { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}
