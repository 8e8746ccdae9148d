//! A throw-away signing key for tests (feature `test-signing`): signs exactly as
//! `tauri signer sign` does — minisign, pre-hashed with BLAKE2b-512, trusted comment
//! `timestamp:…\tfile:NAME`, the whole signature text in base64 — and gives its public half as
//! `tauri signer generate` writes it. Made fresh by each test and never saved: the release key
//! is made and kept outside the repository (docs/updates.md).

use blake2::{Blake2b512, Digest};
use ring::signature::{Ed25519KeyPair, KeyPair};
use std::path::Path;

/// An Ed25519 minisign key pair, in memory only.
pub struct TestKey {
    pair: Ed25519KeyPair,
    key_id: [u8; 8],
}

impl std::fmt::Debug for TestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestKey").finish_non_exhaustive()
    }
}

fn b64(bytes: &[u8]) -> String {
    data_encoding::BASE64.encode(bytes)
}

impl TestKey {
    /// A new random key.
    pub fn generate() -> TestKey {
        let mut seed = [0u8; 32];
        let mut key_id = [0u8; 8];
        getrandom::fill(&mut seed).expect("random seed");
        getrandom::fill(&mut key_id).expect("random key id");
        let pair = Ed25519KeyPair::from_seed_unchecked(&seed).expect("a 32-byte seed");
        TestKey { pair, key_id }
    }

    /// The public half as `tauri signer generate` writes it in `KEY.pub` (and as
    /// `BVTE_UPDATE_PUBLIC_KEY` takes it).
    pub fn public_key(&self) -> String {
        let mut bin = b"Ed".to_vec();
        bin.extend_from_slice(&self.key_id);
        bin.extend_from_slice(self.pair.public_key().as_ref());
        let mut id = self.key_id;
        id.reverse();
        let id_hex = data_encoding::HEXUPPER.encode(&id);
        let text = format!(
            "untrusted comment: minisign public key: {id_hex}\n{}\n",
            b64(&bin)
        );
        b64(text.as_bytes())
    }

    /// The signature of `data` published as `file_name`, as `tauri signer sign` writes it in
    /// `FILE.sig`.
    pub fn sign_bytes(&self, data: &[u8], file_name: &str) -> String {
        let prehash = Blake2b512::digest(data);
        let signature = self.pair.sign(&prehash);
        let trusted = format!("timestamp:{}\tfile:{file_name}", 1_796_687_112u64);
        let mut global_input = signature.as_ref().to_vec();
        global_input.extend_from_slice(trusted.as_bytes());
        let global = self.pair.sign(&global_input);
        let mut bin = b"ED".to_vec();
        bin.extend_from_slice(&self.key_id);
        bin.extend_from_slice(signature.as_ref());
        let text = format!(
            "untrusted comment: signature from tauri secret key\n{}\ntrusted comment: {trusted}\n{}\n",
            b64(&bin),
            b64(global.as_ref())
        );
        b64(text.as_bytes())
    }

    /// [`TestKey::sign_bytes`] of the file at `path`, under its own name.
    pub fn sign_file(&self, path: &Path) -> String {
        let data = std::fs::read(path).expect("the file to sign");
        let name = path.file_name().expect("a file").to_string_lossy();
        self.sign_bytes(&data, &name)
    }
}
