//! The release key: the public half of the minisign key the BVTE team signs packages with,
//! built into the app from `release-key.pub` beside this crate's manifest (the `.key.pub` file
//! `tauri signer generate` writes, as it is). An empty file means no key: such a build accepts
//! no update at all. The secret half never enters the repository (docs/updates.md).
//!
//! Debug builds only (the tests, `cargo xtask run`): `BVTE_UPDATE_PUBLIC_KEY` replaces the
//! built-in key, as the key's text or a path to its file, so that the tests sign with a
//! throw-away key. Release builds ignore it.

use crate::error::UpdateError;
use minisign_verify::PublicKey;

/// The public half of the release key, as committed (may be empty: no key).
const BUILT_IN: &str = include_str!("../release-key.pub");

/// The variable that replaces the built-in key in debug builds.
pub const KEY_VARIABLE: &str = "BVTE_UPDATE_PUBLIC_KEY";

/// A public key packages are checked with.
#[derive(Clone, Debug)]
pub struct ReleaseKey(pub(crate) PublicKey);

impl ReleaseKey {
    /// Reads a public key as `tauri signer generate` writes it (base64 of the minisign public
    /// key file), as minisign writes it (`untrusted comment:` then the key), or the bare key
    /// (`RW…`). `None` when it is none of these.
    pub fn parse(text: &str) -> Option<ReleaseKey> {
        let t = text.trim();
        if t.starts_with("untrusted comment:") {
            return PublicKey::decode(t).ok().map(ReleaseKey);
        }
        if let Ok(k) = PublicKey::from_base64(t) {
            return Some(ReleaseKey(k));
        }
        let decoded = data_encoding::BASE64.decode(t.as_bytes()).ok()?;
        let inner = String::from_utf8(decoded).ok()?;
        let inner = inner.trim();
        inner
            .starts_with("untrusted comment:")
            .then(|| PublicKey::decode(inner).ok().map(ReleaseKey))
            .flatten()
    }
}

/// The key this build trusts. Errors: `NoKey` when the build has none (or, in a debug build,
/// `BVTE_UPDATE_PUBLIC_KEY` is set to something that is not a key).
pub fn release_key() -> Result<ReleaseKey, UpdateError> {
    if cfg!(debug_assertions)
        && let Some(value) = std::env::var_os(KEY_VARIABLE)
    {
        let path = std::path::Path::new(&value);
        let text = if path.is_file() {
            std::fs::read_to_string(path).map_err(|e| crate::error::io(path, e))?
        } else {
            value.to_string_lossy().into_owned()
        };
        return ReleaseKey::parse(&text).ok_or(UpdateError::NoKey);
    }
    if BUILT_IN.trim().is_empty() {
        return Err(UpdateError::NoKey);
    }
    ReleaseKey::parse(BUILT_IN).ok_or(UpdateError::NoKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_in_the_forms_tauri_and_minisign_write_them() {
        let tauri = include_str!("../tests/tauri-signer/test.key.pub");
        assert!(ReleaseKey::parse(tauri).is_some(), "tauri's .key.pub");
        let text = String::from_utf8(
            data_encoding::BASE64
                .decode(tauri.trim().as_bytes())
                .unwrap(),
        )
        .unwrap();
        assert!(ReleaseKey::parse(&text).is_some(), "minisign's .pub");
        let bare = text.lines().nth(1).unwrap();
        assert!(ReleaseKey::parse(bare).is_some(), "the bare key");
        assert!(ReleaseKey::parse("").is_none());
        assert!(ReleaseKey::parse("không phải khóa").is_none());
    }
}
