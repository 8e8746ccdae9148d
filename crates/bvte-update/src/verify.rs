//! Checking a package against its signature: the minisign signature must be pre-hashed (as
//! `tauri signer sign` makes it), by the release key, over these exact bytes, with a signed
//! trusted comment naming this file. The file is read once, in pieces, for the signature, its
//! size and its SHA-256 together: a 100 MB installer is never held in memory.

use crate::error::{UpdateError, io};
use crate::key::ReleaseKey;
use minisign_verify::{Error as MsError, Signature};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// What was checked of a package whose signature holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256, 64 lowercase hex digits.
    pub sha256: String,
}

/// Reads a signature as `tauri signer sign` writes it (base64 of the minisign text) or as
/// minisign writes it. Errors: `SignatureUnreadable` (`Unsigned` when blank).
pub fn parse_signature(text: &str, file: &str) -> Result<Signature, UpdateError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(UpdateError::Unsigned { file: file.into() });
    }
    let unreadable = || UpdateError::SignatureUnreadable { file: file.into() };
    let inner;
    let minisign = if t.starts_with("untrusted comment:") {
        t
    } else {
        let bytes = data_encoding::BASE64
            .decode(t.as_bytes())
            .map_err(|_| unreadable())?;
        inner = String::from_utf8(bytes).map_err(|_| unreadable())?;
        inner.trim()
    };
    Signature::decode(minisign).map_err(|_| unreadable())
}

/// The file a signature's trusted comment names (`…\tfile:NAME…`).
fn signed_name(sig: &Signature) -> Option<&str> {
    sig.trusted_comment()
        .split('\t')
        .find_map(|field| field.strip_prefix("file:"))
}

/// Checks the package at `path` against `signature` (its `.sig` file's text) with `key`.
///
/// Errors: `Unsigned`, `SignatureUnreadable` (also for a signature that is not pre-hashed);
/// `WrongKey`; `Altered` when the bytes are not the ones signed; `NameMismatch` when the
/// signature names another file; `Missing`/`Io` for the file.
pub fn check_package(
    key: &ReleaseKey,
    path: &Path,
    signature: &str,
) -> Result<Checked, UpdateError> {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sig = parse_signature(signature, &file)?;
    let mut verifier = key.0.verify_stream(&sig).map_err(|e| match e {
        MsError::UnexpectedKeyId => UpdateError::WrongKey { file: file.clone() },
        _ => UpdateError::SignatureUnreadable { file: file.clone() },
    })?;
    let mut f = std::fs::File::open(path).map_err(|e| io(path, e))?;
    let mut sha = Sha256::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf).map_err(|e| io(path, e))?;
        if n == 0 {
            break;
        }
        verifier.update(&buf[..n]);
        sha.update(&buf[..n]);
        size += n as u64;
    }
    verifier.finalize().map_err(|e| match e {
        MsError::InvalidSignature => UpdateError::Altered { file: file.clone() },
        _ => UpdateError::SignatureUnreadable { file: file.clone() },
    })?;
    // The trusted comment is covered by the signature just checked.
    match signed_name(&sig) {
        Some(signed) if signed == file => {}
        other => {
            return Err(UpdateError::NameMismatch {
                file,
                signed: other.unwrap_or("(không ghi tên)").to_owned(),
            });
        }
    }
    Ok(Checked {
        size,
        sha256: data_encoding::HEXLOWER.encode(&sha.finalize()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tauri-signer");

    fn key(name: &str) -> ReleaseKey {
        ReleaseKey::parse(&std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()).unwrap()
    }

    fn sig() -> String {
        std::fs::read_to_string(format!("{DIR}/bvte_0.2.0_amd64.deb.sig")).unwrap()
    }

    /// Signed by the real `tauri signer sign` (tauri-cli 2.12.6) with a throw-away key whose
    /// secret half was deleted: the format the release process produces.
    #[test]
    fn a_package_signed_by_tauri_signer_is_accepted_and_measured() {
        let path = Path::new(DIR).join("bvte_0.2.0_amd64.deb");
        let checked = check_package(&key("test.key.pub"), &path, &sig()).unwrap();
        assert_eq!(checked.size, std::fs::metadata(&path).unwrap().len());
        assert_eq!(checked.sha256.len(), 64);
    }

    #[test]
    fn another_key_a_changed_byte_a_renamed_file_and_no_signature_are_refused() {
        let path = Path::new(DIR).join("bvte_0.2.0_amd64.deb");
        let e = check_package(&key("other.key.pub"), &path, &sig()).unwrap_err();
        assert_eq!(e.code(), "update_wrong_key", "{e}");

        let dir = tempfile::tempdir().unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[3] ^= 1;
        let altered = dir.path().join("bvte_0.2.0_amd64.deb");
        std::fs::write(&altered, &bytes).unwrap();
        let e = check_package(&key("test.key.pub"), &altered, &sig()).unwrap_err();
        assert_eq!(e.code(), "update_altered", "{e}");
        assert!(e.to_string().contains("đã bị thay đổi"), "{e}");

        let renamed = dir.path().join("bvte_0.3.0_amd64.deb");
        std::fs::copy(&path, &renamed).unwrap();
        let e = check_package(&key("test.key.pub"), &renamed, &sig()).unwrap_err();
        assert_eq!(e.code(), "update_name_mismatch", "{e}");

        let e = check_package(&key("test.key.pub"), &path, " \n").unwrap_err();
        assert_eq!(e.code(), "update_unsigned");
        let e = check_package(&key("test.key.pub"), &path, "chữ ký giả").unwrap_err();
        assert_eq!(e.code(), "update_signature_unreadable");
    }
}
