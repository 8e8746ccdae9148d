//! The report inputs of the area's communes, kept in memory between dashboard pages (issue 11).
//!
//! Reading and parsing every stored record is what made a page slow (150,000 children took
//! about 7 s; `BENCHMARKS.md`), while the records of most communes do not change between two
//! pages. So each commune's [`ReportInput`] is kept with its version
//! ([`Storage::commune_version`]: the last server sequence number published to it, which moves
//! whenever a change or a moved child's history reaches it, and when a child moves away), and
//! read again only when that number moved. The version is read before the records, so a sync
//! landing in between makes the next page read them again rather than keep stale figures.
//!
//! The area's input joins the communes' inputs: each child belongs to exactly one commune, and
//! each case and step to its child's, so the area's figures are the sum of the communes'.
//! The `report` command uses the same code with an empty cache.

use crate::error::StorageResult;
use crate::report::commune_input;
use crate::storage::Storage;
use bvte_report::ReportInput;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

/// One commune's input as last read.
struct Entry {
    version: u64,
    input: Arc<ReportInput>,
    unreadable: usize,
}

/// The area's input as last joined, with the communes' versions it was joined from.
struct Area {
    versions: Vec<(String, u64)>,
    input: Arc<ReportInput>,
}

/// The kept inputs (shared by the dashboard's pages).
#[derive(Default)]
pub struct ReportCache {
    communes: Mutex<HashMap<String, Entry>>,
    area: Mutex<Option<Area>>,
}

/// The inputs of a page: each registered commune's, in code order, and the area's.
pub struct Inputs {
    /// Each commune's input, by code.
    pub communes: Vec<(String, Arc<ReportInput>)>,
    /// The area's (labelled "").
    pub area: Arc<ReportInput>,
    /// Stored records that could not be read (none unless the database was damaged).
    pub unreadable: usize,
}

impl ReportCache {
    /// The inputs of the communes `all`, reading again only those whose records changed. Runs
    /// on a blocking thread: it may read the database.
    ///
    /// Errors: the storage's.
    pub fn inputs(&self, storage: &dyn Storage, all: &BTreeSet<String>) -> StorageResult<Inputs> {
        let mut kept = self.communes.lock().unwrap_or_else(PoisonError::into_inner);
        kept.retain(|code, _| all.contains(code));
        let mut versions = Vec::with_capacity(all.len());
        for code in all {
            let version = storage.commune_version(code)?;
            if kept.get(code).is_none_or(|e| e.version != version) {
                let rows = storage.records(Some(code))?;
                let (input, unreadable) = commune_input(&rows, code);
                let input = Arc::new(input);
                kept.insert(
                    code.clone(),
                    Entry {
                        version,
                        input,
                        unreadable,
                    },
                );
            }
            versions.push((code.clone(), version));
        }
        let communes: Vec<(String, Arc<ReportInput>)> = all
            .iter()
            .filter_map(|c| kept.get(c).map(|e| (c.clone(), e.input.clone())))
            .collect();
        let unreadable = all
            .iter()
            .filter_map(|c| kept.get(c))
            .map(|e| e.unreadable)
            .sum();
        drop(kept);
        let mut area = self.area.lock().unwrap_or_else(PoisonError::into_inner);
        let joined = match area.as_ref() {
            Some(a) if a.versions == versions => a.input.clone(),
            _ => {
                let parts: Vec<&ReportInput> = communes.iter().map(|(_, i)| i.as_ref()).collect();
                let input = Arc::new(ReportInput::joined("", &parts));
                *area = Some(Area {
                    versions,
                    input: input.clone(),
                });
                input
            }
        };
        Ok(Inputs {
            communes,
            area: joined,
            unreadable,
        })
    }
}

#[cfg(test)]
#[path = "report_cache_tests.rs"]
mod tests;
