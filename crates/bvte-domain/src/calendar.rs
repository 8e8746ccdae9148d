//! The working-day calendar of a Monday–Friday state office: weekends and the days off in the
//! non-working-days table (public holidays of Labour Code 2019 Art 112, their observed days,
//! days off swapped by the Prime Minister's yearly notice) are not working days; the Saturdays
//! worked to make up for a swap are.
//!
//! A row whose legal basis has not been confirmed (`status` = `unconfirmed`, such as 24/11
//! "Ngày Văn hóa Việt Nam", see `assets/calendar/README.md`) stays in the table, with its status,
//! but its date is counted as a working day when in doubt: an unconfirmed day off counts as an
//! ordinary weekday (or weekend day), an unconfirmed make-up Saturday as worked. A day wrongly
//! counted as a day off pushes every working-day deadline a day later; counted as a working day
//! by mistake, a deadline falls a day early, the safer error for a child.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::BTreeMap;

/// Most working days [`WorkingCalendar::checked_add_working_days`] counts: about 380 years,
/// far beyond any legal period (the longest is 15 days), and small enough to count quickly.
pub const MAX_WORKING_DAYS: u32 = 100_000;

crate::code_enum!(
    /// Why a date is special in the calendar table.
    DayKind {
        /// A public holiday (Labour Code Art 112).
        Holiday = ("holiday", "Ngày lễ, Tết", "Public holiday"),
        /// A holiday that fell on a weekend, moved to a weekday (Labour Code Art 111 k3).
        Observed = ("observed", "Nghỉ bù", "Observed holiday"),
        /// A working day given off in exchange for a Saturday worked.
        SwappedDayOff = ("swapped_day_off", "Ngày nghỉ hoán đổi", "Swapped day off"),
        /// A Saturday worked to make up for a swapped day off.
        MakeupWorkday = ("makeup_workday", "Ngày làm bù", "Make-up working day"),
    }
);

crate::code_enum!(
    /// Whether a row's legal basis is confirmed, and so whether the calendar counts it.
    DayStatus {
        /// Counted as the table says (the column is empty).
        Counted = ("counted", "Được tính", "Counted"),
        /// Legal basis not confirmed: shown, but the date counts as a working day when in doubt
        /// (an unconfirmed day off as an ordinary day, an unconfirmed make-up Saturday as worked).
        Unconfirmed = (
            "unconfirmed",
            "Chưa xác nhận căn cứ pháp lý, tính như ngày thường",
            "Legal basis unconfirmed, counted as an ordinary day"
        ),
    }
);

/// One row of the calendar table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpecialDay {
    /// The date.
    pub date: NaiveDate,
    /// Why it is special.
    pub kind: DayKind,
    /// Vietnamese name ("Tết Nguyên Đán").
    pub name_vi: String,
    /// Whether the row counts ([`DayStatus::Unconfirmed`] rows do not).
    pub status: DayStatus,
}

/// A working-day calendar. Dates outside the table's years count as Monday–Friday.
#[derive(Clone, Debug, Default)]
pub struct WorkingCalendar {
    days: BTreeMap<NaiveDate, SpecialDay>,
}

/// A row of a calendar file that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("dòng {line}: {reason}")]
pub struct CalendarParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

impl WorkingCalendar {
    /// Builds a calendar from the table (`date,weekday,kind,name_vi,…`) and the overrides file
    /// (`date,kind,name_vi,…`); an override replaces the table's row for the same date. A
    /// `status` column, where the header has one, marks rows `unconfirmed` (empty: counted).
    pub fn from_csv(table: &str, overrides: &str) -> Result<Self, CalendarParseError> {
        let mut cal = Self::default();
        for (date_col, kind_col, name_col, text) in [(0, 2, 3, table), (0, 1, 2, overrides)] {
            let status_col = text
                .lines()
                .next()
                .and_then(|h| h.split(',').position(|c| c.trim() == "status"));
            for (i, line) in text.lines().enumerate().skip(1) {
                if line.trim().is_empty() {
                    continue;
                }
                let cols: Vec<&str> = line.split(',').collect();
                let err = |reason: String| CalendarParseError {
                    line: i + 1,
                    reason,
                };
                let get = |c: usize| cols.get(c).copied().ok_or_else(|| err("thiếu cột".into()));
                let date = NaiveDate::parse_from_str(get(date_col)?, "%Y-%m-%d")
                    .map_err(|e| err(format!("ngày không hợp lệ: {e}")))?;
                let kind = <DayKind as crate::codes::Code>::from_code(get(kind_col)?)
                    .ok_or_else(|| err(format!("loại ngày không rõ: {}", cols[kind_col])))?;
                let status = match status_col.map(get).transpose()?.map(str::trim) {
                    None | Some("") => DayStatus::Counted,
                    Some(code) => <DayStatus as crate::codes::Code>::from_code(code)
                        .ok_or_else(|| err(format!("trạng thái không rõ: {code}")))?,
                };
                cal.insert(SpecialDay {
                    date,
                    kind,
                    name_vi: get(name_col)?.to_string(),
                    status,
                });
            }
        }
        Ok(cal)
    }

    /// Adds or replaces one special day (used for updates from the district server).
    pub fn insert(&mut self, day: SpecialDay) {
        self.days.insert(day.date, day);
    }

    /// The special-day row for `date`, if any.
    pub fn special(&self, date: NaiveDate) -> Option<&SpecialDay> {
        self.days.get(&date)
    }

    /// The first and last year the table covers.
    pub fn years(&self) -> Option<(i32, i32)> {
        Some((
            self.days.keys().next()?.year(),
            self.days.keys().next_back()?.year(),
        ))
    }

    /// Whether a state office works on `date`. In doubt (an unconfirmed row), it does: an
    /// unconfirmed day off is an ordinary day, an unconfirmed make-up Saturday is worked.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        let weekday = !matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        match self.days.get(&date).map(|d| (d.kind, d.status)) {
            Some((DayKind::MakeupWorkday, _)) => true,
            Some((_, DayStatus::Unconfirmed)) | None => weekday,
            Some((DayKind::Holiday | DayKind::Observed | DayKind::SwappedDayOff, _)) => false,
        }
    }

    /// The `n`-th working day after `date`, not counting `date` itself: a period of days starts
    /// on the day after the event (Civil Code 2015 Art 147 k2–k3). `n = 0` gives `date`.
    ///
    /// `None` when `n` is above [`MAX_WORKING_DAYS`] or the result would be past the last date
    /// the calendar can hold (`bvte calendar add-working-days 01/01/2026 4000000000` once
    /// panicked on that overflow, issue 10).
    pub fn checked_add_working_days(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n > MAX_WORKING_DAYS {
            return None;
        }
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d = d.checked_add_days(Days::new(1))?;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        Some(d)
    }

    /// As [`WorkingCalendar::checked_add_working_days`] for the legal periods (a few days), which
    /// always fit: out of range, the last date the calendar can hold.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        self.checked_add_working_days(date, n)
            .unwrap_or(NaiveDate::MAX)
    }

    /// `date` if it is a working day, else the next working day: when the last day of a period
    /// is a day off, the period ends with the next working day (Civil Code 2015 Art 148 k5).
    /// The last date the calendar can hold is returned as it is.
    pub fn roll_forward(&self, date: NaiveDate) -> NaiveDate {
        let mut d = date;
        while !self.is_working_day(d) {
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
        }
        d
    }

    /// Working days strictly after `from` up to and including `to`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count() as u32
    }
}
