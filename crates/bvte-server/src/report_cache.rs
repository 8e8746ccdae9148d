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
//! The area's report is computed over the communes' inputs together
//! ([`bvte_report::build_joined`]): each child belongs to exactly one commune, and each case
//! and step to its child's, so the area's figures are the sum of the communes'.
//!
//! Communes to read are read on as many threads as the machine has cores. The server also
//! reads ahead: when it starts, and shortly after a sync stored changes
//! ([`ReportCache::refresh_soon`]), so a supervisor's page seldom waits for a read. The `report`
//! command uses the same code with an empty cache.

use crate::error::StorageResult;
use crate::report::commune_input;
use crate::storage::Storage;
use bvte_report::ReportInput;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// One commune's input as last read.
struct Entry {
    version: u64,
    input: Arc<ReportInput>,
    unreadable: usize,
}

/// The kept inputs (shared by the dashboard's pages and the sync API, which reads ahead).
#[derive(Default)]
pub struct ReportCache {
    communes: Mutex<HashMap<String, Entry>>,
    /// A read ahead is scheduled and has not started yet.
    scheduled: AtomicBool,
}

/// The inputs of a page: each registered commune's, in code order.
pub struct Inputs {
    /// Each commune's input, by code.
    pub communes: Vec<(String, Arc<ReportInput>)>,
    /// Stored records that could not be read (none unless the database was damaged).
    pub unreadable: usize,
}

impl Inputs {
    /// The communes' inputs, for [`bvte_report::build_joined`] (the area's report).
    pub fn parts(&self) -> Vec<&ReportInput> {
        self.communes.iter().map(|(_, i)| i.as_ref()).collect()
    }
}

/// How long a read ahead waits after a sync, so the pages of one sync are read once.
const READ_AHEAD_DELAY: Duration = Duration::from_millis(300);

impl ReportCache {
    /// The inputs of the communes `all`, reading again only those whose records changed. Runs
    /// on a blocking thread: it may read the database.
    ///
    /// Errors: the storage's.
    pub fn inputs(&self, storage: &dyn Storage, all: &BTreeSet<String>) -> StorageResult<Inputs> {
        let mut kept = self.communes.lock().unwrap_or_else(PoisonError::into_inner);
        kept.retain(|code, _| all.contains(code));
        let mut stale = Vec::new();
        for code in all {
            let version = storage.commune_version(code)?;
            if kept.get(code).is_none_or(|e| e.version != version) {
                stale.push((code.clone(), version));
            }
        }
        for (code, entry) in read_all(storage, &stale)? {
            kept.insert(code, entry);
        }
        let communes = all
            .iter()
            .filter_map(|c| kept.get(c).map(|e| (c.clone(), e.input.clone())))
            .collect();
        let unreadable = all
            .iter()
            .filter_map(|c| kept.get(c))
            .map(|e| e.unreadable)
            .sum();
        Ok(Inputs {
            communes,
            unreadable,
        })
    }

    /// Reads the communes whose records changed, shortly, on a thread of its own (when the
    /// server starts, and after a sync stored changes). A read already scheduled covers this
    /// one too; errors are left for the next page to meet.
    pub fn refresh_soon(self: &Arc<Self>, storage: Arc<dyn Storage>) {
        if self.scheduled.swap(true, Ordering::AcqRel) {
            return;
        }
        let cache = self.clone();
        let started = std::thread::Builder::new()
            .name("read-ahead".into())
            .spawn(move || {
                std::thread::sleep(READ_AHEAD_DELAY);
                cache.scheduled.store(false, Ordering::Release);
                if let Ok(communes) = storage.communes() {
                    let all = communes.into_iter().map(|c| c.code).collect();
                    let _ = cache.inputs(storage.as_ref(), &all);
                }
            });
        if started.is_err() {
            self.scheduled.store(false, Ordering::Release);
        }
    }
}

/// Reads the given communes (code, version) on as many threads as there are cores.
fn read_all(storage: &dyn Storage, stale: &[(String, u64)]) -> StorageResult<Vec<(String, Entry)>> {
    let read = |(code, version): &(String, u64)| -> StorageResult<(String, Entry)> {
        let rows = storage.records(Some(code))?;
        let (input, unreadable) = commune_input(&rows, code);
        Ok((
            code.clone(),
            Entry {
                version: *version,
                input: Arc::new(input),
                unreadable,
            },
        ))
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if stale.len() < 2 || threads < 2 {
        return stale.iter().map(read).collect();
    }
    let chunk = stale.len().div_ceil(threads);
    std::thread::scope(|s| {
        let workers: Vec<_> = stale
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(read).collect::<StorageResult<Vec<_>>>()))
            .collect();
        let mut out = Vec::with_capacity(stale.len());
        for w in workers {
            let part = w.join().map_err(|_| {
                crate::error::StorageError::Backend("a commune's records could not be read".into())
            })??;
            out.extend(part);
        }
        Ok(out)
    })
}

#[cfg(test)]
#[path = "report_cache_tests.rs"]
mod tests;
