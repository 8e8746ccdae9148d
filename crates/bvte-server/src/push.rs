//! The push rules, written once for every storage backend (design §5): for each change in
//! order, a change already held is a duplicate; a sequence number must follow the last one held;
//! a clock far ahead of the server's is refused; the record must be in the device's commune.
//! The caller runs this inside one transaction and commits only when it returns `Ok`.

use crate::error::{Refusal, StorageError, StorageResult};
use crate::scope;
use crate::storage::{DeviceAuth, PushOutcome};
use bvte_protocol::hlc::MAX_DRIFT_MS;
use bvte_protocol::{Change, Entity};
use uuid::Uuid;

/// What the rules need from a backend's open transaction.
pub trait PushTx {
    /// Whether a change with this id is stored.
    fn change_known(&mut self, change_id: Uuid) -> StorageResult<bool>;
    /// The id of the change stored at `(device, seq)`, if any.
    fn change_at(&mut self, device: Uuid, seq: u64) -> StorageResult<Option<Uuid>>;
    /// The commune of a known record.
    fn scope_of(&mut self, entity: Entity, id: Uuid) -> StorageResult<Option<String>>;
    /// Records the commune of a new record.
    fn set_scope(&mut self, entity: Entity, id: Uuid, commune: &str) -> StorageResult<()>;
    /// Stores a change under the next server sequence number (assigned in commit order).
    fn insert(&mut self, change: &Change, commune: &str, received_ms: u64) -> StorageResult<u64>;
}

/// Applies a page of `device`'s changes; `acked_seq` is the highest sequence number held before.
///
/// Errors: `Refused` with `bad_request` (another device's change, a reused sequence number, a
/// malformed record), `seq_gap`, `clock_ahead`, `forbidden_scope`; storage errors.
pub fn apply(
    tx: &mut impl PushTx,
    device: &DeviceAuth,
    mut acked_seq: u64,
    changes: &[Change],
    now_ms: u64,
) -> StorageResult<PushOutcome> {
    let refuse = |r: Refusal| Err(StorageError::Refused(r));
    // What stays held when this page is refused (the whole page rolls back).
    let held = acked_seq;
    let (mut stored, mut duplicates) = (0u32, 0u32);
    for change in changes {
        if change.device_id != device.device_id {
            return refuse(Refusal::bad(
                "Thay đổi của thiết bị khác: mỗi thiết bị chỉ gửi thay đổi của chính mình.",
                "A change made by another device: a device only pushes its own changes.",
            ));
        }
        if tx.change_known(change.change_id)? {
            duplicates += 1;
            continue;
        }
        if tx.change_at(change.device_id, change.seq)?.is_some() {
            return refuse(Refusal::bad(
                format!(
                    "Số thứ tự {} đã được dùng cho một thay đổi khác.",
                    change.seq
                ),
                format!(
                    "Sequence number {} is already used by another change.",
                    change.seq
                ),
            ));
        }
        if change.seq != acked_seq + 1 {
            return refuse(Refusal::SeqGap { acked_seq: held });
        }
        if change.hlc.millis > now_ms + MAX_DRIFT_MS {
            return refuse(Refusal::ClockAhead {
                ahead_ms: change.hlc.millis - now_ms,
            });
        }
        let commune = scope::check(tx, device, change)?;
        tx.insert(change, &commune, now_ms)?;
        acked_seq = change.seq;
        stored += 1;
    }
    Ok(PushOutcome {
        acked_seq,
        stored,
        duplicates,
    })
}
