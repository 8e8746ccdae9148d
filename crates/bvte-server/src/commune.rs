//! Communes: the unit of scope, named by their official 5-digit code.

/// Whether `code` is an official commune code: exactly 5 ASCII digits.
pub fn valid_commune_code(code: &str) -> bool {
    code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::valid_commune_code;

    #[test]
    fn only_five_digits_make_a_commune_code() {
        assert!(valid_commune_code("09955"));
        for bad in ["9955", "099550", "0995a", "０９９５５", ""] {
            assert!(!valid_commune_code(bad), "{bad:?} must be refused");
        }
    }
}
