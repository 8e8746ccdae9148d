//! Secrets handed out by the server: one-time enrollment codes and device tokens. Only their
//! SHA-256 is stored, so a copy of the database does not let anyone enroll or sync.

use sha2::{Digest, Sha256};

/// Crockford base32 without I, L, O and U: nothing to mistake when read aloud or copied by hand.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in an enrollment code.
pub const CODE_LEN: usize = 12;

/// A SHA-256 digest.
pub type Digest32 = [u8; 32];

/// Random bytes from the operating system.
fn random<const N: usize>() -> Result<[u8; N], getrandom::Error> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf)?;
    Ok(buf)
}

/// A new enrollment code, grouped for reading: `ABCD-EFGH-JKMN`.
///
/// Errors: the operating system has no randomness to give.
pub fn new_enroll_code() -> Result<String, getrandom::Error> {
    let bytes = random::<CODE_LEN>()?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect();
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// The canonical form of a typed code: upper case, without spaces or dashes, with the letters
/// people confuse with digits read as those digits. `None` when it cannot be a code.
pub fn normalize_enroll_code(typed: &str) -> Option<String> {
    let canonical: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    let valid = canonical.len() == CODE_LEN && canonical.bytes().all(|b| ALPHABET.contains(&b));
    valid.then_some(canonical)
}

/// The stored hash of an enrollment code (of its canonical form).
pub fn enroll_code_hash(canonical: &str) -> Digest32 {
    sha256(canonical.as_bytes())
}

/// A new device bearer token: 32 random bytes, base64url without padding.
///
/// Errors: the operating system has no randomness to give.
pub fn new_token() -> Result<String, getrandom::Error> {
    Ok(data_encoding::BASE64URL_NOPAD.encode(&random::<32>()?))
}

/// The stored hash of a token.
pub fn token_hash(token: &str) -> Digest32 {
    sha256(token.as_bytes())
}

/// SHA-256 of some bytes.
pub fn sha256(bytes: &[u8]) -> Digest32 {
    Sha256::digest(bytes).into()
}

/// Lowercase hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_code_reads_back_however_it_is_typed() {
        let code = new_enroll_code().unwrap();
        assert_eq!(
            code.len(),
            14,
            "three groups of four with two dashes: {code}"
        );
        let canonical = normalize_enroll_code(&code).unwrap();
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(
            normalize_enroll_code(&typed).as_deref(),
            Some(canonical.as_str())
        );
    }

    #[test]
    fn confusable_letters_read_as_digits_and_junk_is_refused() {
        assert_eq!(
            normalize_enroll_code("oooo-iiii-llll").as_deref(),
            Some("000011111111")
        );
        assert_eq!(normalize_enroll_code("ABCD-EFGH"), None, "too short");
        assert_eq!(
            normalize_enroll_code("ABCD-EFGH-JKM*"),
            None,
            "not in the alphabet"
        );
    }

    #[test]
    fn tokens_are_32_bytes_and_differ() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }
}
