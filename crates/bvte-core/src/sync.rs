//! Sync with the district server (design §5), run on demand (`bvte sync`, "Đồng bộ ngay") or
//! by the desktop app's background loop. One run:
//!
//! 1. ask the server what it holds of this device and its clock, and whether it still holds
//!    what this device last read; a server that lost it (restored from an older backup) or
//!    that is another server is read again from the start (issue 10, item 6);
//! 2. when the server holds more of this device's changes than this database knows (the
//!    database was replaced by an older copy), take them back and renumber what was made here
//!    meanwhile (item 4); when it holds fewer, send them again;
//! 3. push this device's unacknowledged changes in pages, keeping what the server refused one
//!    by one for the officer to read (items 1 and 5);
//! 4. pull the commune's changes in pages, each applied with its cursor in one local
//!    transaction; a change this version cannot apply is kept aside, never stopping the pull,
//!    and is tried again at every run (item 5).
//!
//! A run cut anywhere resumes on the next one: nothing is marked sent before the server
//! acknowledged it, and nothing received is counted before it is stored. The session is lent
//! one short step at a time ([`Local`]): network waits never hold it, enrollment included.

use crate::error::CoreError;
use crate::session::Session;
use bvte_client::{Client, ClientError, Fingerprint};
use bvte_domain::Instant;
use bvte_protocol::api::{
    EnrollRequest, KnownRequest, MAX_PULL_CHANGES, MAX_PUSH_CHANGES, PushRequest,
};
use bvte_protocol::hlc::MAX_DRIFT_MS;
use bvte_store::Enrollment;
use serde::Serialize;
use std::collections::HashSet;

/// What enrolling gave.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Enrolled {
    /// The server's address.
    pub server_url: String,
    /// The commune the server gave this device.
    pub commune_code: String,
    /// Changes of this device the server already held (more than 0 for a re-enrolled device).
    pub acked_seq: u64,
    /// Server clock minus this PC's clock, in milliseconds.
    pub clock_offset_ms: i64,
    /// Whether the server gave this PC a new device id (its old one was known to the server
    /// and not proven by its token): its changes the server lacks are sent under the new id.
    pub new_device_id: bool,
}

/// What the officer types to enroll this PC (Settings → Đồng bộ).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct EnrollInput {
    /// The district server's address, e.g. `https://192.168.1.10:8443`.
    pub server_url: String,
    /// The one-time code from district IT.
    pub code: String,
    /// The server certificate's SHA-256 fingerprint, read aloud by district IT.
    pub fingerprint: String,
    /// A name for this PC in the district's device list.
    pub device_name: String,
}

/// What one sync run did (`bvte sync --json`).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncReport {
    /// Own changes the server acknowledged in this run.
    pub pushed: u64,
    /// Changes from other devices stored here in this run.
    pub pulled: u64,
    /// New conflicts found in this run.
    pub conflicts: u64,
    /// Own changes still not acknowledged (0 when everything is on the server).
    pub pending: u64,
    /// Conflicts waiting for an officer, in all.
    pub open_conflicts: u64,
    /// Server clock minus this PC's clock, in milliseconds.
    pub clock_offset_ms: i64,
    /// Set when this PC's clock is off by more than 5 minutes.
    pub clock_warning: Option<String>,
    /// Bytes sent on the wire (compressed).
    pub bytes_sent: u64,
    /// Bytes received on the wire (compressed).
    pub bytes_received: u64,
    /// Own changes the server refused in this run, each with its reason (listed by
    /// `bvte sync --status` and on the sync page).
    pub refused: u64,
    /// Changes received in this run and kept aside, not applied (a newer BVTE's, or
    /// unreadable).
    pub held: u64,
    /// Changes kept aside in all; `newer_format` of them need a newer BVTE.
    pub held_total: u64,
    /// Of those, made by a newer BVTE: this PC needs an update.
    pub newer_format: u64,
    /// Own changes this database had lost (an older copy) and got back from the server.
    pub recovered: u64,
    /// Own changes made here that the server lacked, given new numbers to be sent.
    pub renumbered: u64,
    /// Whether the commune was read again from the start (the server lost what this PC had
    /// read, or is another server).
    pub reread: bool,
}

/// Progress of a long transfer.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum SyncProgress {
    /// Sending own changes.
    Pushing {
        /// Sent so far.
        done: u64,
        /// To send in all.
        total: u64,
    },
    /// Receiving the commune's changes.
    Pulling {
        /// Received so far.
        done: u64,
    },
}

fn ms(t: Instant) -> i64 {
    t.timestamp_millis()
}

/// How far this PC's clock is off, as the officer is told it: whole minutes under 2 hours,
/// whole hours under 2 days, then whole days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ClockDrift {
    /// This PC's clock is ahead of the server's ("nhanh"); else behind ("chậm").
    pub ahead: bool,
    /// How many `unit`s.
    pub amount: u64,
    /// `minutes`, `hours` or `days`.
    pub unit: &'static str,
}

/// The drift to warn about when the clocks differ by more than the protocol's bound (5
/// minutes), because legal deadlines are counted by this PC's clock. `offset_ms` is the
/// server's clock minus this PC's.
pub fn clock_drift(offset_ms: i64) -> Option<ClockDrift> {
    if offset_ms.unsigned_abs() <= MAX_DRIFT_MS {
        return None;
    }
    let minutes = offset_ms.unsigned_abs() / 60_000;
    let (amount, unit) = if minutes >= 2 * 24 * 60 {
        (minutes / (24 * 60), "days")
    } else if minutes >= 120 {
        (minutes / 60, "hours")
    } else {
        (minutes, "minutes")
    };
    Some(ClockDrift {
        ahead: offset_ms < 0,
        amount,
        unit,
    })
}

/// The warning shown when the clocks differ by more than the protocol's bound (Vietnamese).
pub fn clock_warning(offset_ms: i64) -> Option<String> {
    let d = clock_drift(offset_ms)?;
    let unit = match d.unit {
        "days" => "ngày",
        "hours" => "giờ",
        _ => "phút",
    };
    let direction = if d.ahead { "nhanh" } else { "chậm" };
    Some(format!(
        "Đồng hồ máy tính này {direction} khoảng {amount} {unit} so với máy chủ. Thời hạn \
         pháp lý (12 giờ, 5 ngày làm việc…) được tính theo đồng hồ máy: hãy chỉnh lại ngày giờ \
         của máy tính.",
        amount = d.amount
    ))
}

/// What to tell the officer when changes from a newer BVTE wait (Vietnamese).
pub fn update_warning(newer_format: u64) -> Option<String> {
    (newer_format > 0).then(|| {
        format!(
            "Có {newer_format} thay đổi từ phiên bản BVTE mới hơn chưa áp dụng được trên máy \
             này. Hãy cập nhật BVTE: sau khi cập nhật, các thay đổi này được áp dụng ở lần \
             đồng bộ tiếp theo."
        )
    })
}

/// Enrolls this device with the district server using a one-time code from district IT.
pub fn enroll(
    session: &mut Session,
    server_url: &str,
    code: &str,
    fingerprint: &str,
    device_name: &str,
    now: Instant,
) -> Result<Enrolled, CoreError> {
    enroll_with(
        &std::cell::RefCell::new(session),
        &EnrollInput {
            server_url: server_url.into(),
            code: code.into(),
            fingerprint: fingerprint.into(),
            device_name: device_name.into(),
        },
        &|| now,
    )
}

/// [`enroll`] through `local`, which lends the session only for the local steps: the window
/// stays usable while the server is slow or unreachable (issue 10, item 12).
pub fn enroll_with(
    local: &impl Local,
    input: &EnrollInput,
    now: &dyn Fn() -> Instant,
) -> Result<Enrolled, CoreError> {
    let client = Client::new(&input.server_url, &input.fingerprint)?;
    let (inst, officer, previous) = local.step(|s| {
        s.require(crate::access::Action::Enroll)?;
        Ok((
            s.store.installation().clone(),
            s.author().to_string(),
            s.store.enrollment()?,
        ))
    })?;
    // A device enrolled with this server before proves it with its token and keeps its id.
    let normalised = bvte_client::normalise_url(&input.server_url)?;
    let client = match previous.filter(|p| p.server_url == normalised) {
        Some(p) => client.with_token(p.token),
        None => client,
    };
    let answer = client.enroll(&EnrollRequest {
        code: input.code.trim().to_string(),
        device_id: inst.device_id,
        device_name: input.device_name.trim().chars().take(100).collect(),
        commune_code: inst.commune_code.clone(),
        officer_name: officer.chars().take(100).collect(),
    })?;
    let given = answer.device_id.unwrap_or(inst.device_id);
    let new_device_id = given != inst.device_id;
    if new_device_id {
        // Which of the changes made under the old id the server holds already: those stay
        // under it; the others move to the new id (bvte-store `reconcile`).
        let client = client.with_token(answer.token.clone());
        let unconfirmed = local.step(|s| Ok(s.store.unconfirmed_own()?))?;
        let mut known = HashSet::new();
        for ids in unconfirmed.chunks(MAX_PUSH_CHANGES) {
            let answer = client.known(&KnownRequest {
                change_ids: ids.to_vec(),
            })?;
            known.extend(answer.known);
        }
        local.step(|s| Ok(s.store.adopt_device_id(given, &known, now())?))?;
    }
    let fingerprint = Fingerprint::parse(&input.fingerprint)
        .map(|f| f.to_string())
        .unwrap_or_default();
    let at = now();
    let offset = answer.server_time_ms as i64 - ms(at);
    local.step(|s| {
        s.store.set_enrollment(
            &Enrollment {
                server_url: normalised.clone(),
                fingerprint,
                token: answer.token,
                enrolled_at: at,
                server_id: answer.server_id.map(|id| id.to_string()),
            },
            answer.acked_seq,
        )?;
        Ok(s.store.record_sync_outcome(at, None, Some(offset))?)
    })?;
    Ok(Enrolled {
        server_url: normalised,
        commune_code: answer.commune_code,
        acked_seq: answer.acked_seq,
        clock_offset_ms: offset,
        new_device_id,
    })
}

/// Where a sync run reads and writes this device's data. Each call of `step` is one short piece
/// of local work (a page applied, a cursor saved); the network waits happen between steps, so
/// the desktop app can lend its session to a background sync without freezing the window.
pub trait Local {
    /// Runs `f` with the unlocked session, or fails (e.g. `locked` when the app locked itself
    /// meanwhile: the run stops there and the next one resumes).
    fn step<T>(&self, f: impl FnOnce(&mut Session) -> Result<T, CoreError>)
    -> Result<T, CoreError>;
}

/// A session owned by one caller for the whole run (the command line).
impl Local for std::cell::RefCell<&mut Session> {
    fn step<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        f(&mut self.borrow_mut())
    }
}

/// One sync run. `now` is read at each contact, `progress` is told about long transfers.
pub fn sync_now(
    session: &mut Session,
    now: &dyn Fn() -> Instant,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<SyncReport, CoreError> {
    sync_with(&std::cell::RefCell::new(session), now, progress)
}

/// One sync run through `local`, which lends the session one step at a time.
pub fn sync_with(
    local: &impl Local,
    now: &dyn Fn() -> Instant,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<SyncReport, CoreError> {
    let Some(enrollment) = local.step(|s| {
        s.require(crate::access::Action::Sync)?;
        Ok(s.store.enrollment()?)
    })?
    else {
        return Err(CoreError::NotEnrolled);
    };
    let client = Client::new(&enrollment.server_url, &enrollment.fingerprint)?
        .with_token(enrollment.token.clone());
    let mut report = SyncReport::default();
    let result = run(local, &client, now, progress, &mut report);
    let (sent, received) = client.traffic();
    report.bytes_sent = sent;
    report.bytes_received = received;
    let at = now();
    match result {
        Ok(()) => local.step(|s| {
            s.store
                .record_sync_outcome(at, None, Some(report.clock_offset_ms))?;
            report.pending = s.store.pending_changes()?;
            report.open_conflicts = s.store.sync_status()?.open_conflicts;
            Ok(report)
        }),
        Err(e) => {
            // Keep the reason for the status bar; the failure itself is returned unchanged.
            if !matches!(e, CoreError::Locked) {
                let _ = local.step(|s| {
                    Ok(s.store
                        .record_sync_outcome(at, Some(&e.to_string()), None)?)
                });
            }
            Err(e)
        }
    }
}

fn run(
    local: &impl Local,
    client: &Client,
    now: &dyn Fn() -> Instant,
    progress: &mut dyn FnMut(SyncProgress),
    report: &mut SyncReport,
) -> Result<(), CoreError> {
    let (cursor, cursor_change) = local.step(|s| Ok(s.store.pull_position()?))?;
    let before = ms(now());
    let status = match cursor_change {
        Some(change) if cursor > 0 => client.status_at(cursor, change)?,
        _ => client.status()?,
    };
    let after = ms(now());
    report.clock_offset_ms = status.server_time_ms as i64 - (before + after) / 2;
    report.clock_warning = clock_warning(report.clock_offset_ms);
    let server_now = (ms(now()) + report.clock_offset_ms).max(0) as u64;
    let identity = client.identity();
    local.step(|s| {
        // Another server at this address (initialised again), or one that no longer holds
        // what this device last read (restored from an older backup): read it all again.
        // What is here already is recognised by id, so nothing is applied twice.
        let (known_id, _) = s.store.server_identity()?;
        let seen_id = identity.server_id.map(|id| id.to_string());
        let other_server = known_id.is_some() && seen_id.is_some() && known_id != seen_id;
        if other_server || status.cursor_valid == Some(false) {
            s.store.reset_pull()?;
            report.reread = true;
        }
        if let (Some(id), Some(epoch)) = (seen_id, identity.epoch) {
            s.store.set_server_identity(&id, &epoch.to_string())?;
        }
        s.store.set_server_area(status.area_name.as_deref())?;
        Ok(())
    })?;
    let acked = local.step(|s| Ok(s.store.acked_seq()?))?;
    if status.acked_seq > acked {
        recover_own(
            local,
            client,
            (acked, status.acked_seq),
            now,
            server_now,
            report,
        )?;
    }
    let total = local.step(|s| {
        if status.acked_seq < acked {
            // The server lost changes it had acknowledged (restored from a backup): they are
            // sent again, recognised by id wherever they arrived before.
            s.store.set_acked_seq(status.acked_seq)?;
        }
        // Changes stamped by a clock far ahead of the server's would be refused for good:
        // give the ones not yet sent new stamps from the server's clock (nobody else has seen
        // them).
        s.store.restamp_unsent(server_now)?;
        Ok(s.store.pending_changes()?)
    })?;

    let mut gaps = 0;
    loop {
        let (acked, page) = local.step(|s| {
            let acked = s.store.acked_seq()?;
            Ok((acked, s.store.outbox(acked, MAX_PUSH_CHANGES as u32)?))
        })?;
        if page.is_empty() {
            break;
        }
        match client.push(&PushRequest { changes: page }) {
            Ok(answer) => {
                report.pushed += answer.acked_seq.saturating_sub(acked);
                report.refused += answer.refused.len() as u64;
                let at = now();
                local.step(|s| {
                    s.store.record_refusals(&answer.refused, at)?;
                    Ok(s.store.set_acked_seq(answer.acked_seq)?)
                })?;
                progress(SyncProgress::Pushing {
                    done: report.pushed.min(total),
                    total,
                });
            }
            Err(ClientError::Api { error, .. }) if error.code == "seq_gap" && gaps < 3 => {
                gaps += 1;
                let held = error.acked_seq.unwrap_or(0);
                if held > acked {
                    recover_own(local, client, (acked, held), now, server_now, report)?;
                } else {
                    local.step(|s| Ok(s.store.set_acked_seq(held)?))?;
                }
            }
            Err(e) => return Err(e.into()),
        }
    }

    // Changes kept aside earlier are tried again first: after an update they apply.
    let retried = local.step(|s| {
        Ok(s.store
            .retry_held(bvte_protocol::FORMAT, now(), server_now)?)
    })?;
    report.pulled += retried.applied;
    report.conflicts += retried.conflicts;
    loop {
        let cursor = local.step(|s| Ok(s.store.pull_cursor()?))?;
        let page = client.pull(cursor, MAX_PULL_CHANGES as u32)?;
        if identity.epoch.is_some() && client.identity().epoch != identity.epoch {
            // Restarted meanwhile, maybe from a backup: the next run checks before reading on.
            return Err(CoreError::ServerRestarted);
        }
        let changes: Vec<_> = page.changes.into_iter().map(|c| c.change).collect();
        let applied = local.step(|s| {
            Ok(s.store.apply_remote(
                &changes,
                page.cursor,
                page.cursor_change,
                now(),
                page.server_time_ms,
            )?)
        })?;
        report.pulled += applied.applied;
        report.conflicts += applied.conflicts;
        report.held += applied.held;
        progress(SyncProgress::Pulling {
            done: report.pulled,
        });
        if !page.more || page.cursor == cursor {
            break;
        }
    }
    let held = local.step(|s| Ok(s.store.held_summary()?))?;
    report.held_total = held.held;
    report.newer_format = held.newer_format;
    Ok(())
}

/// Takes back from the server this device's changes numbered after `from` up to `to` (the
/// server holds more of them than this database: it was replaced by an older copy), then
/// makes the log whole (bvte-store `reconcile`).
fn recover_own(
    local: &impl Local,
    client: &Client,
    (from, to): (u64, u64),
    now: &dyn Fn() -> Instant,
    server_now_ms: u64,
    report: &mut SyncReport,
) -> Result<(), CoreError> {
    let mut own = Vec::new();
    let mut after = from;
    loop {
        let page = client.own(after, MAX_PULL_CHANGES as u32)?;
        let Some(last) = page.changes.last().map(|c| c.change.seq) else {
            break;
        };
        after = last;
        own.extend(page.changes.into_iter().filter(|c| c.change.seq <= to));
        if !page.more || after >= to {
            break;
        }
    }
    let done = local.step(|s| Ok(s.store.reconcile_own(&own, to, now(), server_now_ms)?))?;
    report.recovered += done.recovered;
    report.renumbered += done.renumbered;
    Ok(())
}

#[cfg(test)]
mod clock_tests {
    use super::*;

    const MIN: i64 = 60_000;
    const H: i64 = 60 * MIN;

    fn drift(offset_ms: i64) -> Option<(bool, u64, &'static str)> {
        clock_drift(offset_ms).map(|d| (d.ahead, d.amount, d.unit))
    }

    #[test]
    fn silent_up_to_exactly_five_minutes_either_way() {
        assert_eq!(drift(5 * MIN), None);
        assert_eq!(drift(-5 * MIN), None);
        assert_eq!(drift(5 * MIN + 1), Some((false, 5, "minutes")));
    }

    #[test]
    fn behind_when_the_server_is_ahead_and_ahead_when_it_is_behind() {
        assert_eq!(drift(2 * H), Some((false, 2, "hours")));
        assert_eq!(drift(-2 * H), Some((true, 2, "hours")));
        assert!(clock_warning(2 * H).is_some_and(|w| w.contains("chậm khoảng 2 giờ")));
        assert!(clock_warning(-2 * H).is_some_and(|w| w.contains("nhanh khoảng 2 giờ")));
    }

    #[test]
    fn whole_minutes_below_two_hours_whole_hours_below_two_days_then_days() {
        assert_eq!(drift(119 * MIN + 59_000), Some((false, 119, "minutes")));
        assert_eq!(drift(47 * H + 59 * MIN), Some((false, 47, "hours")));
        assert_eq!(drift(-(49 * H)), Some((true, 2, "days")));
        assert_eq!(drift(2000 * 24 * H), Some((false, 2000, "days")));
    }
}
