//! The dashboard's accounts and sign-in sessions as stored (`users`, `web_sessions`). The rules
//! (password length, lock-out, expiry) are in `crate::accounts`; the backends only store.

use crate::codes::Digest32;

/// An account of the area dashboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    /// The sign-in name (unique).
    pub name: String,
    /// `supervisor` or `admin`.
    pub role: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// When it was added (ms).
    pub created_at_ms: u64,
    /// Wrong passwords since `failures_since_ms`.
    pub failures: u32,
    /// Start of the window the failures are counted in (ms).
    pub failures_since_ms: u64,
    /// Sign-in refused until then (ms; 0: not locked).
    pub locked_until_ms: u64,
    /// The last successful sign-in (ms).
    pub last_sign_in_ms: Option<u64>,
}

/// A signed-in browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebSession {
    /// SHA-256 of the cookie's token.
    pub token_hash: Digest32,
    /// The account.
    pub user_name: String,
    /// The token every form of this session carries.
    pub csrf_token: String,
    /// When it began (ms).
    pub created_at_ms: u64,
    /// When it was last used (ms).
    pub last_seen_ms: u64,
}

/// A session with its account's role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    /// The session.
    pub session: WebSession,
    /// The account's role.
    pub role: String,
}
