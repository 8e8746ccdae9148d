//! The dashboard's accounts: who may sign in, with which role, how a password is kept
//! (Argon2id), how long a session lasts, and the lock-out after repeated wrong passwords. The
//! storage keeps the rows (`storage::accounts`); the rules are here, once, for both backends.

use crate::codes::{Digest32, new_token, token_hash};
use crate::error::{CliError, StorageError};
use crate::storage::{Storage, UserRow, WebSession};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest name accepted, in characters.
const MAX_NAME_CHARS: usize = 64;
/// Wrong passwords that lock an account…
pub const MAX_FAILURES: u32 = 5;
/// …within this window (ms)…
pub const FAILURE_WINDOW_MS: u64 = 15 * 60 * 1000;
/// …for this long (ms).
pub const LOCK_MS: u64 = 15 * 60 * 1000;
/// A session unused this long ends (ms).
pub const IDLE_MS: u64 = 30 * 60 * 1000;
/// A session ends this long after sign-in, used or not (ms).
pub const ABSOLUTE_MS: u64 = 12 * 60 * 60 * 1000;

/// What an account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Sees figures and case codes of every commune of the area.
    Supervisor,
    /// A supervisor who also manages the server's accounts.
    Admin,
}

impl Role {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    /// The role of a stored code (an unknown one is the lesser role).
    pub fn from_code(code: &str) -> Role {
        if code == "admin" {
            Role::Admin
        } else {
            Role::Supervisor
        }
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Supervisor => "Giám sát",
            Role::Admin => "Quản trị",
        }
    }
}

/// How long sessions last; the tests shorten them.
#[derive(Clone, Copy, Debug)]
pub struct SessionLimits {
    /// Idle expiry (ms).
    pub idle_ms: u64,
    /// Absolute expiry (ms).
    pub absolute_ms: u64,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            idle_ms: IDLE_MS,
            absolute_ms: ABSOLUTE_MS,
        }
    }
}

impl SessionLimits {
    /// Whether a session is still valid at `now_ms`.
    pub fn alive(&self, s: &WebSession, now_ms: u64) -> bool {
        now_ms.saturating_sub(s.last_seen_ms) < self.idle_ms
            && now_ms.saturating_sub(s.created_at_ms) < self.absolute_ms
    }
}

/// A sign-in name, trimmed and NFC-checked: 1 to 64 characters, no control characters.
///
/// Errors: an empty, too long or unprintable name, with a Vietnamese message.
pub fn check_name(name: &str) -> Result<String, CliError> {
    let name = bvte_domain::text::nfc(name.trim());
    let name = name.as_str();
    let n = name.chars().count();
    if n == 0 || n > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(CliError::input(
            format!(
                "Tên đăng nhập phải có từ 1 đến {MAX_NAME_CHARS} ký tự, không có ký tự điều khiển."
            ),
            format!("the sign-in name must be 1 to {MAX_NAME_CHARS} printable characters"),
        ));
    }
    Ok(name.to_owned())
}

/// Checks a new password's length.
///
/// Errors: a password shorter than [`MIN_PASSWORD_CHARS`], with a Vietnamese message.
pub fn check_password(password: &str) -> Result<(), CliError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(CliError::input(
            format!(
                "Mật khẩu quá ngắn: cần ít nhất {MIN_PASSWORD_CHARS} ký tự. Nên dùng một câu dễ nhớ gồm vài từ."
            ),
            format!("the password is too short: at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Argon2id with the parameters of OWASP's recommendation (19 MiB, 2 passes, 1 lane).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The stored form of a password: an Argon2id PHC string with a fresh salt.
///
/// Errors: no randomness from the operating system.
pub fn hash_password(password: &str) -> Result<String, CliError> {
    let fail = |e: &dyn std::fmt::Display| CliError::Files {
        vi: format!("Không tạo được mã băm mật khẩu ({e})"),
        en: format!("cannot hash the password ({e})"),
    };
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| fail(&e))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| fail(&e))?;
    // NFC: the same Vietnamese password typed on another keyboard (which may send decomposed
    // accents) still matches.
    Ok(hasher()
        .hash_password(bvte_domain::text::nfc(password).as_bytes(), &salt)
        .map_err(|e| fail(&e))?
        .to_string())
}

/// Whether `password` matches a stored hash (a damaged hash matches nothing).
pub fn verify_password(password: &str, stored: &str) -> bool {
    let password = bvte_domain::text::nfc(password);
    PasswordHash::new(stored)
        .is_ok_and(|h| hasher().verify_password(password.as_bytes(), &h).is_ok())
}

/// The outcome of a sign-in attempt.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: the cookie's token (only its hash is stored).
    Ok {
        /// The token for the cookie.
        token: String,
    },
    /// Wrong name or password (not said which).
    Wrong,
    /// Locked after too many wrong passwords, for this many more minutes.
    Locked {
        /// Minutes left, rounded up.
        minutes: u64,
    },
}

/// Checks a name and password at `now_ms`: starts a session, or counts a failure and locks the
/// account after [`MAX_FAILURES`] within [`FAILURE_WINDOW_MS`]. A locked account is refused
/// without looking at the password.
///
/// Errors: storage errors; no randomness.
pub fn sign_in(
    storage: &dyn Storage,
    name: &str,
    password: &str,
    now_ms: u64,
    limits: SessionLimits,
) -> Result<SignIn, StorageError> {
    let Some(user) = storage.user(&bvte_domain::text::nfc(name.trim()))? else {
        // The same work as for a real account, so timing does not tell names apart.
        let _ = verify_password(password, &DUMMY_HASH);
        return Ok(SignIn::Wrong);
    };
    if user.locked_until_ms > now_ms {
        return Ok(SignIn::Locked {
            minutes: (user.locked_until_ms - now_ms).div_ceil(60_000),
        });
    }
    if !verify_password(password, &user.password_hash) {
        let (failures, since, locked) = failed(&user, now_ms);
        storage.set_failures(&user.name, failures, since, locked)?;
        return Ok(if locked > now_ms {
            SignIn::Locked {
                minutes: LOCK_MS.div_ceil(60_000),
            }
        } else {
            SignIn::Wrong
        });
    }
    let token = new_token().map_err(|e| StorageError::Backend(e.to_string()))?;
    let csrf = new_token().map_err(|e| StorageError::Backend(e.to_string()))?;
    let session = WebSession {
        token_hash: token_hash(&token),
        user_name: user.name.clone(),
        csrf_token: csrf,
        created_at_ms: now_ms,
        last_seen_ms: now_ms,
    };
    storage.start_session(&session, now_ms.saturating_sub(limits.idle_ms))?;
    Ok(SignIn::Ok { token })
}

/// The account's failure count, window start and lock after one more wrong password.
pub fn failed(user: &UserRow, now_ms: u64) -> (u32, u64, u64) {
    let (failures, since) = if now_ms.saturating_sub(user.failures_since_ms) > FAILURE_WINDOW_MS {
        (1, now_ms)
    } else {
        (user.failures + 1, user.failures_since_ms)
    };
    let locked = if failures >= MAX_FAILURES {
        now_ms + LOCK_MS
    } else {
        0
    };
    (failures, since, locked)
}

/// The session behind a cookie's token at `now_ms`, noted as used; an expired one is ended.
///
/// Errors: storage errors.
pub fn session(
    storage: &dyn Storage,
    token: &str,
    now_ms: u64,
    limits: SessionLimits,
) -> Result<Option<(WebSession, Role)>, StorageError> {
    let hash: Digest32 = token_hash(token);
    let Some(row) = storage.session(&hash)? else {
        return Ok(None);
    };
    if !limits.alive(&row.session, now_ms) {
        storage.end_session(&hash)?;
        return Ok(None);
    }
    storage.touch_session(&hash, now_ms)?;
    Ok(Some((row.session, Role::from_code(&row.role))))
}

/// A valid Argon2id hash of a password nobody has, checked against when the name is unknown.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("không-có-tài-khoản-này").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    fn user(failures: u32, since: u64) -> UserRow {
        UserRow {
            name: "lan".into(),
            role: "supervisor".into(),
            password_hash: String::new(),
            created_at_ms: 0,
            failures,
            failures_since_ms: since,
            locked_until_ms: 0,
            last_sign_in_ms: None,
        }
    }

    #[test]
    fn the_fifth_wrong_password_within_fifteen_minutes_locks_the_account() {
        let t = 100 * 60_000;
        assert_eq!(failed(&user(3, t - 60_000), t).2, 0, "fourth: not locked");
        assert_eq!(
            failed(&user(4, t - 60_000), t).2,
            t + LOCK_MS,
            "fifth: locked"
        );
        assert_eq!(
            failed(&user(4, t - FAILURE_WINDOW_MS - 1), t),
            (1, t, 0),
            "old failures are forgotten"
        );
    }

    #[test]
    fn a_password_is_kept_as_argon2id_and_checked() {
        let h = hash_password("một câu dễ nhớ thôi").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("một câu dễ nhớ thôi", &h));
        assert!(!verify_password("một câu dễ nhớ thô", &h));
        assert!(!verify_password("x", "không phải mã băm"));
        assert!(check_password("ngắn quá").is_err());
    }

    #[test]
    fn a_vietnamese_password_matches_however_its_accents_were_typed() {
        let composed = "mật khẩu của phường";
        let decomposed: String =
            "ma\u{323}\u{302}t kha\u{302}\u{309}u cu\u{309}a phu\u{31b}o\u{31b}\u{300}ng".into();
        assert_ne!(composed, decomposed);
        let h = hash_password(composed).unwrap();
        assert!(verify_password(&decomposed, &h));
        assert_eq!(check_name("Hoa\u{300}").unwrap(), "Hoà");
    }
}
