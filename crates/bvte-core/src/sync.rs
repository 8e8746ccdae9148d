//! Sync with the district server (design §5), run on demand (`bvte sync`, "Đồng bộ ngay") or
//! by the desktop app's background loop. One run: ask the server what it holds and its clock,
//! push this device's unacknowledged changes in pages, then pull the commune's changes in pages,
//! each applied with its cursor in one local transaction. A run cut anywhere resumes on the next
//! one: nothing is marked sent before the server acknowledged it, and nothing received is
//! counted before it is stored.

use crate::error::CoreError;
use crate::session::Session;
use bvte_client::{Client, ClientError, Fingerprint};
use bvte_domain::Instant;
use bvte_protocol::api::{EnrollRequest, MAX_PULL_CHANGES, MAX_PUSH_CHANGES, PushRequest};
use bvte_protocol::hlc::MAX_DRIFT_MS;
use bvte_store::Enrollment;
use serde::Serialize;

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
        "Đồng hồ máy tính này {direction} khoảng {amount} {unit} so với máy chủ huyện. Thời hạn \
         pháp lý (12 giờ, 5 ngày làm việc…) được tính theo đồng hồ máy: hãy chỉnh lại ngày giờ \
         của máy tính.",
        amount = d.amount
    ))
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
    let client = Client::new(server_url, fingerprint)?;
    let inst = session.store.installation().clone();
    let answer = client.enroll(&EnrollRequest {
        code: code.trim().to_string(),
        device_id: inst.device_id,
        device_name: device_name.trim().chars().take(100).collect(),
        commune_code: inst.commune_code.clone(),
    })?;
    let normalised = bvte_client::normalise_url(server_url)?;
    let fingerprint = Fingerprint::parse(fingerprint)
        .map(|f| f.to_string())
        .unwrap_or_default();
    session.store.set_enrollment(
        &Enrollment {
            server_url: normalised.clone(),
            fingerprint,
            token: answer.token,
            enrolled_at: now,
        },
        answer.acked_seq,
    )?;
    let offset = answer.server_time_ms as i64 - ms(now);
    session.store.record_sync_outcome(now, None, Some(offset))?;
    Ok(Enrolled {
        server_url: normalised,
        commune_code: answer.commune_code,
        acked_seq: answer.acked_seq,
        clock_offset_ms: offset,
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
    let Some(enrollment) = local.step(|s| Ok(s.store.enrollment()?))? else {
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
    let before = ms(now());
    let status = client.status()?;
    let after = ms(now());
    report.clock_offset_ms = status.server_time_ms as i64 - (before + after) / 2;
    report.clock_warning = clock_warning(report.clock_offset_ms);
    let server_now = (ms(now()) + report.clock_offset_ms).max(0) as u64;
    let total = local.step(|s| {
        // The server is the judge of what it holds (it may have been restored from a backup).
        s.store.set_acked_seq(status.acked_seq)?;
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
                local.step(|s| Ok(s.store.set_acked_seq(answer.acked_seq)?))?;
                progress(SyncProgress::Pushing {
                    done: report.pushed.min(total),
                    total,
                });
            }
            Err(ClientError::Api { error, .. }) if error.code == "seq_gap" && gaps < 3 => {
                gaps += 1;
                local.step(|s| Ok(s.store.set_acked_seq(error.acked_seq.unwrap_or(0))?))?;
            }
            Err(e) => return Err(e.into()),
        }
    }

    loop {
        let cursor = local.step(|s| Ok(s.store.pull_cursor()?))?;
        let page = client.pull(cursor, MAX_PULL_CHANGES as u32)?;
        let changes: Vec<_> = page.changes.into_iter().map(|c| c.change).collect();
        let applied = local.step(|s| {
            Ok(s.store
                .apply_remote(&changes, page.cursor, now(), page.server_time_ms)?)
        })?;
        report.pulled += applied.applied;
        report.conflicts += applied.conflicts;
        progress(SyncProgress::Pulling {
            done: report.pulled,
        });
        if !page.more || page.cursor == cursor {
            break;
        }
    }
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
