//! The server's TLS identity: a self-signed certificate made at `init` (self-signed
//! certificates are normal on a district LAN); devices pin its SHA-256 fingerprint.

use crate::codes::{hex, sha256};
use crate::error::CliError;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The certificate file in the data folder (PEM).
pub const CERT_FILE: &str = "cert.pem";
/// The private key file in the data folder (PEM, mode 0600).
pub const KEY_FILE: &str = "key.pem";

/// Paths of the certificate and key in `data`.
pub fn paths(data: &Path) -> (PathBuf, PathBuf) {
    (data.join(CERT_FILE), data.join(KEY_FILE))
}

/// Makes a self-signed certificate for localhost, 127.0.0.1, ::1 and `hosts`, and writes it
/// with its key (mode 0600) in `data`.
///
/// Errors: a host name that is not a valid DNS name or IP address; files not writable.
pub fn generate(data: &Path, hosts: &[String]) -> Result<(), CliError> {
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    for h in hosts {
        if !names.contains(h) {
            names.push(h.clone());
        }
    }
    let mut params = rcgen::CertificateParams::new(names).map_err(|e| CliError::Files {
        vi: format!("Tên máy không hợp lệ trong --host: {e}. Hãy dùng tên miền hoặc địa chỉ IP"),
        en: format!("invalid --host name: {e}"),
    })?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "BVTE sync server");
    let key = rcgen::KeyPair::generate().map_err(|e| tls_failure(&e))?;
    let cert = params.self_signed(&key).map_err(|e| tls_failure(&e))?;
    let (cert_path, key_path) = paths(data);
    write_file(&key_path, key.serialize_pem().as_bytes(), 0o600)?;
    write_file(&cert_path, cert.pem().as_bytes(), 0o644)?;
    Ok(())
}

fn tls_failure(e: &dyn std::fmt::Display) -> CliError {
    CliError::Files {
        vi: format!("Không tạo được chứng chỉ TLS: {e}"),
        en: format!("cannot make the TLS certificate: {e}"),
    }
}

/// Writes a file with `mode`, replacing an old one.
fn write_file(path: &Path, bytes: &[u8], mode: u32) -> Result<(), CliError> {
    let fail = |e: std::io::Error| CliError::files("ghi", "write", path, &e);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(path)
        .map_err(fail)?;
    f.write_all(bytes).and_then(|()| f.sync_all()).map_err(fail)
}

/// Reads the certificate (DER) from `data`.
///
/// Errors: missing or unreadable file.
pub fn certificate(data: &Path) -> Result<CertificateDer<'static>, CliError> {
    let (cert_path, _) = paths(data);
    CertificateDer::from_pem_file(&cert_path).map_err(|e| missing(&cert_path, &e))
}

fn missing(path: &Path, e: &dyn std::fmt::Display) -> CliError {
    CliError::Files {
        vi: format!(
            "Không đọc được {} ({e}): hãy kiểm tra --data hoặc chạy `bvte-server init` trước",
            path.display()
        ),
        en: format!(
            "cannot read {}: check --data or run `bvte-server init` first",
            path.display()
        ),
    }
}

/// The certificate's fingerprint: SHA-256 of its DER, 64 lowercase hex digits.
pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    hex(&sha256(cert.as_ref()))
}

/// The rustls server configuration (ring provider, HTTP/1.1).
///
/// Errors: unreadable or mismatched certificate and key.
pub fn server_config(data: &Path) -> Result<Arc<rustls::ServerConfig>, CliError> {
    let cert = certificate(data)?;
    let (_, key_path) = paths(data);
    let key = PrivateKeyDer::from_pem_file(&key_path).map_err(|e| missing(&key_path, &e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_failure(&e))?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .map_err(|e| tls_failure(&e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
