//! The reporting deadline (issue 11): a reporting period, the day its reports are due, and
//! which communes have synced data covering the period.
//!
//! **Definition.** A device's *last sync* is the last time it finished a sync: its pull reached
//! the end of its commune's changes (`devices.last_sync`, written by `GET /api/v1/changes` when
//! `more` is false). The app pulls only after it has pushed everything it had, so at that time
//! the server held every record the device had when the sync began. Enrolling, or a sync that
//! failed half-way, does not count. A commune's last sync is the latest of its devices' — the
//! "last sync" column of the overview. A commune
//! **covers** the period when its last sync is at or after 00:00 (Vietnam time) of the day after
//! the period's last day: a device syncs everything it has recorded, so by then the server holds
//! what the commune had recorded up to the end of the period. A commune whose last sync is
//! earlier, or that never synced, is **missing**. *Days left* counts calendar days in Vietnam
//! from today to the due day (0 on the day itself, negative once it has passed). A PC that has
//! not synced since is not seen: the rule is about the commune, as the overview's column is.

use crate::storage::{DeadlineRow, DeviceRow};
use bvte_domain::time::{from_local, parse_date};
use chrono::{NaiveDate, NaiveTime};

/// Longest title kept.
pub const TITLE_MAX: usize = 200;

/// One commune against the reporting period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommuneCoverage {
    /// Five-digit code.
    pub code: String,
    /// Its last sync (ms), if it ever synced.
    pub last_sync_ms: Option<u64>,
    /// Whether that sync covers the period.
    pub covered: bool,
}

/// Where the area stands against the reporting deadline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadlineStatus {
    /// The deadline as set.
    pub deadline: DeadlineRow,
    /// Calendar days from today to the due day (negative: passed).
    pub days_left: i64,
    /// Every registered commune, by code.
    pub communes: Vec<CommuneCoverage>,
}

impl DeadlineStatus {
    /// The communes still missing.
    pub fn missing(&self) -> impl Iterator<Item = &CommuneCoverage> {
        self.communes.iter().filter(|c| !c.covered)
    }
}

/// The first moment (ms) a sync covers a period ending on `to`: 00:00 in Vietnam on the next day.
pub fn covers_from_ms(to: NaiveDate) -> u64 {
    let next = to.succ_opt().unwrap_or(to);
    u64::try_from(from_local(next.and_time(NaiveTime::MIN)).timestamp_millis()).unwrap_or(0)
}

/// The status of `deadline` on `today` for the registered communes `codes`.
pub fn status(
    deadline: &DeadlineRow,
    codes: &[String],
    devices: &[DeviceRow],
    today: NaiveDate,
) -> DeadlineStatus {
    let from = covers_from_ms(deadline.to);
    let communes = codes
        .iter()
        .map(|code| {
            let last = devices
                .iter()
                .filter(|d| &d.commune_code == code)
                .filter_map(|d| d.last_sync_ms)
                .max();
            CommuneCoverage {
                code: code.clone(),
                last_sync_ms: last,
                covered: last.is_some_and(|t| t >= from),
            }
        })
        .collect();
    DeadlineStatus {
        deadline: deadline.clone(),
        days_left: (deadline.due_on - today).num_days(),
        communes,
    }
}

/// A deadline as typed in the form, checked: a title (one line, NFC, not empty), the period's
/// two days (dd/mm/yyyy or yyyy-mm-dd) in order, and a due day not before the period's end.
/// Errors: the Vietnamese and English messages.
pub fn parse(
    title: &str,
    from: &str,
    to: &str,
    due: &str,
    set_by: &str,
    now_ms: u64,
) -> Result<DeadlineRow, (String, String)> {
    let v = |e: bvte_domain::ValidationError| (e.message_vi(), e.message_en());
    let title = bvte_domain::text::clean_line("title", title, TITLE_MAX).map_err(v)?;
    if title.is_empty() {
        return Err((
            "Hãy ghi tên báo cáo, ví dụ \"Báo cáo 6 tháng đầu năm 2026\".".into(),
            "give the report a title".into(),
        ));
    }
    let from = parse_date("period_from", from.trim()).map_err(v)?;
    let to = parse_date("period_to", to.trim()).map_err(v)?;
    let due_on = parse_date("due_on", due.trim()).map_err(v)?;
    if to < from {
        return Err((
            format!(
                "Ngày cuối kỳ {} trước ngày đầu kỳ {}: hãy kiểm tra lại kỳ báo cáo.",
                to.format("%d/%m/%Y"),
                from.format("%d/%m/%Y")
            ),
            "the period ends before it starts".into(),
        ));
    }
    if due_on < to {
        return Err((
            format!(
                "Hạn nộp {} trước ngày cuối kỳ {}: hạn nộp phải từ ngày cuối kỳ trở đi.",
                due_on.format("%d/%m/%Y"),
                to.format("%d/%m/%Y")
            ),
            "the due day is before the end of the period".into(),
        ));
    }
    Ok(DeadlineRow {
        title,
        from,
        to,
        due_on,
        set_by: set_by.to_owned(),
        set_at_ms: now_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn device(commune: &str, last_sync_ms: Option<u64>) -> DeviceRow {
        DeviceRow {
            device_id: uuid::Uuid::now_v7(),
            name: "PC".into(),
            officer: String::new(),
            commune_code: commune.into(),
            enrolled_at_ms: 0,
            last_seen_ms: Some(u64::MAX / 2),
            last_sync_ms,
            acked_seq: 0,
            revoked_at_ms: None,
        }
    }

    #[test]
    fn a_commune_covers_the_period_once_it_synced_after_the_last_day_in_vietnam() {
        let d = parse(
            "Báo cáo 6 tháng đầu năm 2026",
            "01/01/2026",
            "30/06/2026",
            "05/07/2026",
            "giam.sat",
            0,
        )
        .unwrap();
        // 01/07/2026 00:00 in Vietnam is 30/06/2026 17:00 UTC.
        let edge = covers_from_ms(d.to);
        assert_eq!(
            bvte_domain::time::from_unix_millis(edge)
                .unwrap()
                .to_rfc3339(),
            "2026-06-30T17:00:00+00:00"
        );
        let devices = [
            device("00001", Some(edge)),
            device("00002", Some(edge - 1)),
            device("00002", None),
            device("00004", Some(edge - 1)),
            device("00004", Some(edge + 3_600_000)),
        ];
        let codes: Vec<String> = ["00001", "00002", "00003", "00004"]
            .map(String::from)
            .to_vec();
        let s = status(&d, &codes, &devices, day("2026-07-02"));
        let covered: Vec<_> = s.communes.iter().map(|c| c.covered).collect();
        assert_eq!(covered, [true, false, false, true]);
        let missing: Vec<_> = s.missing().map(|c| c.code.as_str()).collect();
        assert_eq!(missing, ["00002", "00003"]);
        assert_eq!(s.days_left, 3);
        assert_eq!(
            status(&d, &codes, &devices, day("2026-07-07")).days_left,
            -2
        );
    }

    #[test]
    fn a_deadline_in_the_wrong_order_or_untitled_is_refused_in_vietnamese() {
        let err = parse("Quý 1", "31/03/2026", "01/01/2026", "05/04/2026", "a", 0).unwrap_err();
        assert!(err.0.contains("trước ngày đầu kỳ"), "{}", err.0);
        let err = parse("Quý 1", "01/01/2026", "31/03/2026", "30/03/2026", "a", 0).unwrap_err();
        assert!(err.0.contains("Hạn nộp 30/03/2026"), "{}", err.0);
        let err = parse("  ", "01/01/2026", "31/03/2026", "05/04/2026", "a", 0).unwrap_err();
        assert!(err.0.contains("tên báo cáo"), "{}", err.0);
        let err = parse("Quý 1", "32/01/2026", "31/03/2026", "05/04/2026", "a", 0).unwrap_err();
        assert!(!err.0.is_empty());
        let ok = parse("Quý 1", "2026-01-01", "31/03/2026", "05/04/2026", "a", 7).unwrap();
        assert_eq!((ok.from, ok.due_on), (day("2026-01-01"), day("2026-04-05")));
    }
}
