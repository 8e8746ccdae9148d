//! Counting by key: every breakdown of the report starts with every key at 0, so a code with
//! no record still shows (a 0 is a figure; a missing key would look like a gap).

use bvte_domain::codes::Code;
use std::collections::BTreeMap;

/// A breakdown with each of `keys` at 0.
pub fn zeros<I: IntoIterator<Item = String>>(keys: I) -> BTreeMap<String, u64> {
    keys.into_iter().map(|k| (k, 0)).collect()
}

/// Every code of `T`, as the keys of a breakdown.
pub fn codes<T: Code>() -> impl Iterator<Item = String> {
    T::ALL.iter().map(|v| v.code().to_string())
}

/// Adds one under `key`.
pub fn bump(map: &mut BTreeMap<String, u64>, key: &str) {
    *map.entry(key.to_string()).or_insert(0) += 1;
}
