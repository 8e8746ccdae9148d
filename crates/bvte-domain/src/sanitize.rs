//! Free text inside structured payloads (case steps): every string is made NFC, checked for
//! control characters and limited in length, wherever it sits in the JSON.

use crate::error::ValidationError;
use crate::text::{MAX_TEXT_CHARS, clean_text};
use serde_json::Value;

/// Cleans every string in `v` in place; `path` names the root in error messages.
pub fn clean_strings(v: &mut Value, path: &str) -> Result<(), ValidationError> {
    match v {
        Value::String(s) => {
            *s = clean_text(path, s, MAX_TEXT_CHARS)?;
            Ok(())
        }
        Value::Array(items) => items
            .iter_mut()
            .enumerate()
            .try_for_each(|(i, item)| clean_strings(item, &format!("{path}[{i}]"))),
        Value::Object(map) => map
            .iter_mut()
            .try_for_each(|(k, item)| clean_strings(item, &format!("{path}.{k}"))),
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_strings_are_normalised_and_checked() {
        let mut v = json!({"a": ["Nguye\u{302}\u{303}n  "], "b": {"c": 1}});
        clean_strings(&mut v, "data").unwrap();
        assert_eq!(v, json!({"a": ["Nguyễn"], "b": {"c": 1}}));
        let mut bad = json!({"a": ["ok", "x\u{1b}y"]});
        let e = clean_strings(&mut bad, "data").unwrap_err();
        assert_eq!(e.field(), Some("data.a[1]"));
    }
}
