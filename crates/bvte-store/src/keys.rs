//! The database key and its envelope (design §7). The SQLCipher key is 32 random bytes. It is
//! never stored in clear: the envelope file next to the database (`<db>.keys`) holds copies of
//! it wrapped (XChaCha20-Poly1305) by keys derived (Argon2id) from each passphrase and from the
//! recovery code printed once at set-up. A wrong passphrase fails the authentication tag, which
//! is how it is told apart from a damaged file.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use data_encoding::{BASE32_NOPAD, BASE64};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};
use zeroize::{Zeroize, Zeroizing};

/// Argon2id cost. The default follows RFC 9106's second recommendation with one lane
/// (64 MiB, 3 passes): about half a second on an office PC, per unlock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl Default for KdfParams {
    fn default() -> Self {
        Self {
            m_kib: 64 * 1024,
            t: 3,
            p: 1,
        }
    }
}

/// The 32-byte database key; wiped from memory when dropped, never printed.
pub struct DbKey(Zeroizing<[u8; 32]>);

impl DbKey {
    /// A second copy, for a backup that runs without the store (wiped when dropped too).
    pub(crate) fn duplicate(&self) -> DbKey {
        DbKey(Zeroizing::new(*self.0))
    }

    fn random() -> Result<Self, KeyError> {
        let mut k = Zeroizing::new([0u8; 32]);
        getrandom::fill(k.as_mut()).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(Self(k))
    }

    /// The key in SQLCipher's raw-key syntax: `x'…'` (64 hex digits). SQLCipher then skips its
    /// own key derivation, so opening the database is fast once the envelope is unwrapped.
    pub fn sqlcipher_pragma_value(&self) -> Zeroizing<String> {
        let mut s = String::with_capacity(67);
        s.push_str("x'");
        for b in self.0.iter() {
            s.push_str(&format!("{b:02x}"));
        }
        s.push('\'');
        Zeroizing::new(s)
    }
}

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbKey(<secret>)")
    }
}

/// The recovery code: 160 random bits written as 32 letters and digits in groups of four.
/// Shown once at set-up for the officer to print or write down.
pub struct RecoveryCode(Zeroizing<String>);

impl RecoveryCode {
    fn random() -> Result<Self, KeyError> {
        let mut bytes = Zeroizing::new([0u8; 20]);
        getrandom::fill(bytes.as_mut()).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(Self(Zeroizing::new(BASE32_NOPAD.encode(bytes.as_ref()))))
    }

    /// Reads a code as typed: case, spaces and dashes do not matter; 0, 1 and 8 typed for
    /// O, I and B are accepted (the alphabet has no 0, 1 or 8).
    pub fn parse(typed: &str) -> Self {
        let s: String = typed
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| match c.to_ascii_uppercase() {
                '0' => 'O',
                '1' => 'I',
                '8' => 'B',
                c => c,
            })
            .collect();
        Self(Zeroizing::new(s))
    }

    /// The code grouped for reading aloud and writing down: `ABCD-EFGH-…`.
    pub fn display(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<secret>)")
    }
}

/// What unlocks the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    /// An officer's passphrase.
    Passphrase,
    /// The recovery code.
    Recovery,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Slot {
    pub(crate) kind: SlotKind,
    /// Whose passphrase this is (`accounts`); absent in envelopes written before accounts,
    /// whose single passphrase slot becomes the local admin account at its next unlock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) account: Option<crate::accounts::Account>,
    salt: String,
    nonce: String,
    wrapped: String,
}

/// The envelope file. Its JSON is stable: do not rename fields.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Envelope {
    format: String,
    /// 1: one passphrase; 2: accounts (an older BVTE refuses it clearly instead of failing
    /// every passphrase).
    pub(crate) version: u32,
    kdf: KdfParams,
    pub(crate) slots: Vec<Slot>,
}

/// Key envelope failures.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The passphrase or recovery code does not unwrap the key.
    #[error("sai mật khẩu hoặc mã khôi phục")]
    WrongSecret,
    /// The envelope file is missing.
    #[error("không tìm thấy tệp khóa {0}")]
    Missing(PathBuf),
    /// The envelope file cannot be read.
    #[error("tệp khóa {path} bị hỏng: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The operating system's random generator failed.
    #[error("không lấy được số ngẫu nhiên từ hệ điều hành: {0}")]
    Random(String),
    /// Reading or writing the file failed.
    #[error("lỗi đọc/ghi tệp khóa {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

const FORMAT: &str = "bvte-keys";
const AAD_PREFIX: &str = "bvte-keys-v1:";

/// The envelope path for a database path: `<db>.keys`.
pub fn envelope_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".keys");
    PathBuf::from(s)
}

/// A passphrase as the key derivation sees it: NFC, so the same words typed with two Vietnamese
/// input methods (precomposed or combining marks) unlock the same database.
fn passphrase_bytes(p: &str) -> Zeroizing<Vec<u8>> {
    use unicode_normalization::UnicodeNormalization;
    Zeroizing::new(p.nfc().collect::<String>().into_bytes())
}

fn derive(secret: &[u8], salt: &[u8], p: KdfParams) -> Result<Zeroizing<[u8; 32]>, KeyError> {
    let params = Params::new(p.m_kib, p.t, p.p, Some(32)).map_err(|e| KeyError::Corrupt {
        path: PathBuf::new(),
        reason: e.to_string(),
    })?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(secret, salt, out.as_mut())
        .map_err(|e| KeyError::Corrupt {
            path: PathBuf::new(),
            reason: e.to_string(),
        })?;
    Ok(out)
}

/// What a slot's encryption is bound to: its kind and, for an account, the account's role and
/// name, so that editing the role or the name in the file makes the slot useless instead of
/// giving an officer's passphrase the local admin's role.
fn aad(kind: SlotKind, account: Option<&crate::accounts::Account>) -> Vec<u8> {
    let k = match kind {
        SlotKind::Passphrase => "passphrase",
        SlotKind::Recovery => "recovery",
    };
    match account {
        None => format!("{AAD_PREFIX}{k}").into_bytes(),
        Some(a) => format!("{AAD_PREFIX}{k}:{}:{}", a.role, a.name).into_bytes(),
    }
}

/// A passphrase slot of `account`.
pub(crate) fn wrap_account(
    key: &DbKey,
    account: &crate::accounts::Account,
    passphrase: &str,
    kdf: KdfParams,
) -> Result<Slot, KeyError> {
    let mut slot = wrap_for(
        key,
        SlotKind::Passphrase,
        Some(account),
        &passphrase_bytes(passphrase),
        kdf,
    )?;
    slot.account = Some(account.clone());
    Ok(slot)
}

fn wrap(key: &DbKey, kind: SlotKind, secret: &[u8], kdf: KdfParams) -> Result<Slot, KeyError> {
    wrap_for(key, kind, None, secret, kdf)
}

fn wrap_for(
    key: &DbKey,
    kind: SlotKind,
    account: Option<&crate::accounts::Account>,
    secret: &[u8],
    kdf: KdfParams,
) -> Result<Slot, KeyError> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut salt).map_err(|e| KeyError::Random(e.to_string()))?;
    getrandom::fill(&mut nonce).map_err(|e| KeyError::Random(e.to_string()))?;
    let kek = derive(secret, &salt, kdf)?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let wrapped = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: key.0.as_ref(),
                aad: &aad(kind, account),
            },
        )
        .map_err(|_| KeyError::Random("encryption failed".into()))?;
    Ok(Slot {
        kind,
        account: None,
        salt: BASE64.encode(&salt),
        nonce: BASE64.encode(&nonce),
        wrapped: BASE64.encode(&wrapped),
    })
}

impl Envelope {
    /// A new random key wrapped by `passphrase` and by a new recovery code (the envelope of
    /// BVTE before accounts: kept to make the older registers the upgrade tests open).
    pub fn create(
        passphrase: &str,
        kdf: KdfParams,
    ) -> Result<(Self, DbKey, RecoveryCode), KeyError> {
        let key = DbKey::random()?;
        let code = RecoveryCode::random()?;
        let slots = vec![
            wrap(
                &key,
                SlotKind::Passphrase,
                &passphrase_bytes(passphrase),
                kdf,
            )?,
            wrap(&key, SlotKind::Recovery, code.0.as_bytes(), kdf)?,
        ];
        Ok((
            Self {
                format: FORMAT.into(),
                version: 1,
                kdf,
                slots,
            },
            key,
            code,
        ))
    }

    /// A new random key wrapped by the passphrase of the first account and by a new recovery
    /// code.
    pub fn create_with_account(
        account: &crate::accounts::Account,
        passphrase: &str,
        kdf: KdfParams,
    ) -> Result<(Self, DbKey, RecoveryCode), KeyError> {
        let key = DbKey::random()?;
        let code = RecoveryCode::random()?;
        let slots = vec![
            wrap_account(&key, account, passphrase, kdf)?,
            wrap(&key, SlotKind::Recovery, code.0.as_bytes(), kdf)?,
        ];
        Ok((
            Self {
                format: FORMAT.into(),
                version: 2,
                kdf,
                slots,
            },
            key,
            code,
        ))
    }

    /// The envelope of BVTE before accounts for an existing key: for the tests of the upgrade
    /// to accounts. Never called by the app.
    #[doc(hidden)]
    pub fn before_accounts(
        key: &DbKey,
        passphrase: &str,
        kdf: KdfParams,
    ) -> Result<Self, KeyError> {
        let code = RecoveryCode::random()?;
        Ok(Self {
            format: FORMAT.into(),
            version: 1,
            kdf,
            slots: vec![
                wrap(
                    key,
                    SlotKind::Passphrase,
                    &passphrase_bytes(passphrase),
                    kdf,
                )?,
                wrap(key, SlotKind::Recovery, code.0.as_bytes(), kdf)?,
            ],
        })
    }

    /// The cost of the key derivation, for new slots.
    pub(crate) fn kdf(&self) -> KdfParams {
        self.kdf
    }

    /// Unwraps the key with a passphrase (tries every passphrase slot).
    pub fn unlock_with_passphrase(&self, passphrase: &str) -> Result<DbKey, KeyError> {
        self.unlock(SlotKind::Passphrase, &passphrase_bytes(passphrase))
    }

    /// Unwraps the key with the recovery code.
    pub fn unlock_with_recovery(&self, code: &RecoveryCode) -> Result<DbKey, KeyError> {
        self.unlock(SlotKind::Recovery, code.0.as_bytes())
    }

    fn unlock(&self, kind: SlotKind, secret: &[u8]) -> Result<DbKey, KeyError> {
        self.unlock_slots(self.slots.iter().filter(|s| s.kind == kind), secret)
    }

    /// Unwraps the key with `passphrase` from one of `slots` (an account's, or those of an
    /// envelope without accounts).
    pub(crate) fn unlock_passphrase_slots<'a>(
        &self,
        slots: impl Iterator<Item = &'a Slot>,
        passphrase: &str,
    ) -> Result<DbKey, KeyError> {
        self.unlock_slots(slots, &passphrase_bytes(passphrase))
    }

    fn unlock_slots<'a>(
        &self,
        slots: impl Iterator<Item = &'a Slot>,
        secret: &[u8],
    ) -> Result<DbKey, KeyError> {
        for slot in slots {
            let kind = slot.kind;
            let bad = |r: &str| KeyError::Corrupt {
                path: PathBuf::new(),
                reason: r.to_string(),
            };
            let salt = BASE64
                .decode(slot.salt.as_bytes())
                .map_err(|_| bad("salt"))?;
            let nonce = BASE64
                .decode(slot.nonce.as_bytes())
                .map_err(|_| bad("nonce"))?;
            let wrapped = BASE64
                .decode(slot.wrapped.as_bytes())
                .map_err(|_| bad("wrapped"))?;
            if nonce.len() != 24 {
                return Err(bad("nonce length"));
            }
            let kek = derive(secret, &salt, self.kdf)?;
            let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
            if let Ok(mut plain) = cipher.decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &wrapped,
                    aad: &aad(kind, slot.account.as_ref()),
                },
            ) {
                if plain.len() != 32 {
                    plain.zeroize();
                    return Err(bad("key length"));
                }
                let mut k = Zeroizing::new([0u8; 32]);
                k.copy_from_slice(&plain);
                plain.zeroize();
                return Ok(DbKey(k));
            }
        }
        Err(KeyError::WrongSecret)
    }

    /// Replaces the passphrase slot of an envelope without accounts with one for
    /// `new_passphrase` (the key stays the same, so the database is not re-encrypted). The
    /// accounts' slots are left alone (`accounts` changes those).
    pub fn set_passphrase(&mut self, key: &DbKey, new_passphrase: &str) -> Result<(), KeyError> {
        let slot = wrap(
            key,
            SlotKind::Passphrase,
            &passphrase_bytes(new_passphrase),
            self.kdf,
        )?;
        self.slots
            .retain(|s| !(s.kind == SlotKind::Passphrase && s.account.is_none()));
        self.slots.push(slot);
        Ok(())
    }

    /// Replaces the recovery slot with one for a new random code, returned to show once; the
    /// old code no longer unwraps the key (the key stays the same).
    pub fn set_recovery(&mut self, key: &DbKey) -> Result<RecoveryCode, KeyError> {
        let code = RecoveryCode::random()?;
        let slot = wrap(key, SlotKind::Recovery, code.0.as_bytes(), self.kdf)?;
        self.slots.retain(|s| s.kind != SlotKind::Recovery);
        self.slots.push(slot);
        Ok(code)
    }

    /// Reads the envelope of database `db`.
    pub fn read(db: &Path) -> Result<Self, KeyError> {
        let path = envelope_path(db);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                KeyError::Missing(path.clone())
            } else {
                KeyError::Io {
                    path: path.clone(),
                    source: e,
                }
            }
        })?;
        Self::from_json(&text, &path)
    }

    /// Reads an envelope from its JSON text; `path` names where it came from in errors.
    pub fn from_json(text: &str, path: &Path) -> Result<Self, KeyError> {
        let env: Self = serde_json::from_str(text).map_err(|e| KeyError::Corrupt {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        if env.format != FORMAT || !(1..=2).contains(&env.version) {
            return Err(KeyError::Corrupt {
                path: path.to_path_buf(),
                reason: format!(
                    "định dạng {} phiên bản {} không được hỗ trợ",
                    env.format, env.version
                ),
            });
        }
        Ok(env)
    }

    /// The envelope as the JSON text of its file (wrapped keys only; nothing in clear).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("envelope serialises")
    }

    /// Writes the envelope of database `db` atomically (temporary file, fsync, rename).
    pub fn write(&self, db: &Path) -> Result<(), KeyError> {
        use std::io::Write;
        let path = envelope_path(db);
        let tmp = path.with_extension("keys.tmp");
        let io = |source| KeyError::Io {
            path: path.clone(),
            source,
        };
        let json = self.to_json();
        // Owner-only whatever the umask (issue 10 item 9); the rename keeps the mode.
        let mut f = crate::private::create(&tmp).map_err(io)?;
        f.write_all(json.as_bytes()).map_err(io)?;
        f.sync_all().map_err(io)?;
        drop(f);
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: KdfParams = KdfParams {
        m_kib: 256,
        t: 1,
        p: 1,
    };

    #[test]
    fn passphrase_and_recovery_code_unwrap_the_same_key() {
        let (env, key, code) = Envelope::create("mật khẩu đúng", FAST).unwrap();
        let a = env.unlock_with_passphrase("mật khẩu đúng").unwrap();
        let b = env
            .unlock_with_recovery(&RecoveryCode::parse(&code.display().to_lowercase()))
            .unwrap();
        assert_eq!(*a.sqlcipher_pragma_value(), *key.sqlcipher_pragma_value());
        assert_eq!(*b.sqlcipher_pragma_value(), *key.sqlcipher_pragma_value());
        assert!(matches!(
            env.unlock_with_passphrase("mật khẩu sai"),
            Err(KeyError::WrongSecret)
        ));
        // Typed with combining marks (NFD), the same passphrase still unlocks.
        env.unlock_with_passphrase("ma\u{323}\u{302}t kha\u{302}\u{309}u đúng")
            .unwrap();
        // The recovery code does not work as a passphrase and vice versa.
        assert!(matches!(
            env.unlock_with_passphrase(&code.display()),
            Err(KeyError::WrongSecret)
        ));
    }

    #[test]
    fn a_new_recovery_code_replaces_the_old_one() {
        let (mut env, key, old) = Envelope::create("mật khẩu", FAST).unwrap();
        let new = env.set_recovery(&key).unwrap();
        assert_ne!(new.display(), old.display());
        assert!(matches!(
            env.unlock_with_recovery(&old),
            Err(KeyError::WrongSecret)
        ));
        let k = env.unlock_with_recovery(&new).unwrap();
        assert_eq!(*k.sqlcipher_pragma_value(), *key.sqlcipher_pragma_value());
        env.unlock_with_passphrase("mật khẩu").unwrap();
    }

    #[test]
    fn the_recovery_code_is_32_characters_in_groups_of_four() {
        let (_, _, code) = Envelope::create("x", FAST).unwrap();
        let shown = code.display();
        assert_eq!(shown.len(), 32 + 7);
        assert!(shown.split('-').all(|g| g.len() == 4));
        assert!(format!("{code:?}").contains("secret"));
    }
}
