//! Certificate pinning. District servers use self-signed certificates on their LAN, so the
//! device trusts exactly one certificate: the one whose SHA-256 fingerprint district IT read out
//! at enrollment (`bvte-server fingerprint`). No certificate authority is consulted.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};

/// A SHA-256 certificate fingerprint.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// Reads 64 hexadecimal digits; spaces, colons and dashes between them (as people copy
    /// them) are ignored, and so is case.
    pub fn parse(text: &str) -> Option<Fingerprint> {
        let digits: Vec<u8> = text
            .bytes()
            .filter(|b| !matches!(b, b' ' | b':' | b'-' | b'\t'))
            .collect();
        if digits.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in digits.chunks(2).enumerate() {
            let hex = std::str::from_utf8(pair).ok()?;
            out[i] = u8::from_str_radix(hex, 16).ok()?;
        }
        Some(Fingerprint(out))
    }

    /// The fingerprint of a DER certificate.
    pub fn of(der: &[u8]) -> Fingerprint {
        Fingerprint(Sha256::digest(der).into())
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

/// Accepts the pinned certificate only, and remembers the fingerprint of a refused one so the
/// error can say what the server presented.
#[derive(Debug)]
pub(crate) struct PinnedVerifier {
    pinned: Fingerprint,
    algorithms: WebPkiSupportedAlgorithms,
    pub(crate) refused: Mutex<Option<Fingerprint>>,
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let got = Fingerprint::of(end_entity.as_ref());
        if got == self.pinned {
            Ok(ServerCertVerified::assertion())
        } else {
            if let Ok(mut refused) = self.refused.lock() {
                *refused = Some(got);
            }
            Err(rustls::Error::General(
                "certificate fingerprint mismatch".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A TLS configuration that trusts only `pinned`.
pub(crate) fn pinned_config(
    pinned: Fingerprint,
) -> Result<(ClientConfig, Arc<PinnedVerifier>), rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(PinnedVerifier {
        pinned,
        algorithms: provider.signature_verification_algorithms,
        refused: Mutex::new(None),
    });
    let config = ClientConfig::builder_with_provider(provider as Arc<CryptoProvider>)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    Ok((config, verifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_read_as_people_copy_them() {
        let hex = "AB:CD".to_string() + &"0".repeat(60);
        let fp = Fingerprint::parse(&hex).unwrap();
        assert_eq!(fp.to_string(), format!("abcd{}", "0".repeat(60)));
        let spaced = fp
            .to_string()
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(Fingerprint::parse(&spaced), Some(fp));
        assert_eq!(Fingerprint::parse("abcd"), None);
        assert_eq!(Fingerprint::parse(&"g".repeat(64)), None);
    }
}
