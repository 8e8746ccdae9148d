//! Dates and times. Instants are stored in UTC; everything a person sees or that the law counts
//! in days uses Vietnam time (UTC+7, no daylight saving).

use crate::error::ValidationError;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// A point in time (stored and exchanged as RFC 3339).
pub type Instant = DateTime<Utc>;

/// Vietnam's offset from UTC.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// The calendar date in Vietnam at `t`.
pub fn local_date(t: Instant) -> NaiveDate {
    t.with_timezone(&vietnam()).date_naive()
}

/// The instant at the given Vietnam wall-clock time.
pub fn from_local(dt: NaiveDateTime) -> Instant {
    vietnam()
        .from_local_datetime(&dt)
        .single()
        .expect("a fixed offset has exactly one mapping")
        .with_timezone(&Utc)
}

/// The last second of `date` in Vietnam (23:59:59), the end of a day-based period.
pub fn end_of_day(date: NaiveDate) -> Instant {
    from_local(date.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time")))
}

/// Formats an instant in Vietnam time as `dd/mm/yyyy HH:MM`.
pub fn format_local(t: Instant) -> String {
    t.with_timezone(&vietnam())
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// Formats an instant as RFC 3339 in Vietnam time (`2026-11-29T08:30:00+07:00`).
pub fn to_rfc3339_local(t: Instant) -> String {
    t.with_timezone(&vietnam())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// `t` without its fraction of a second: times are kept and shown to the second.
pub fn to_seconds(t: Instant) -> Instant {
    use chrono::SubsecRound;
    t.trunc_subsecs(0)
}

/// The instant `ms` milliseconds after the Unix epoch (a clock reading), if it can be represented.
pub fn from_unix_millis(ms: u64) -> Option<Instant> {
    DateTime::from_timestamp_millis(i64::try_from(ms).ok()?)
}

/// Reads a date typed as `dd/mm/yyyy` (also `d/m/yyyy`, `dd-mm-yyyy`) or ISO `yyyy-mm-dd`.
/// Distinguishes a malformed value from a date that does not exist (31/02/2015).
pub fn parse_date(field: &str, input: &str) -> Result<NaiveDate, ValidationError> {
    let s = input.trim();
    let bad = || ValidationError::BadDate {
        field: field.to_string(),
        value: crate::text::truncate_for_message(s),
    };
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    let nums: Vec<u32> = parts
        .iter()
        .map(|p| {
            if !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()) {
                p.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        })
        .collect::<Result<_, _>>()?;
    let (y, m, d) = match (parts.as_slice(), nums.as_slice()) {
        ([y, _, _], [yy, mm, dd]) if y.len() == 4 => (*yy, *mm, *dd),
        ([_, _, y], [dd, mm, yy]) if y.len() == 4 => (*yy, *mm, *dd),
        _ => return Err(bad()),
    };
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| ValidationError::ImpossibleDate {
        field: field.to_string(),
        value: s.to_string(),
    })
}

/// Reads a date and time: RFC 3339 with an offset, or a Vietnam wall-clock time written
/// `yyyy-mm-ddTHH:MM[:SS]`, `yyyy-mm-dd HH:MM` or `dd/mm/yyyy HH:MM`.
pub fn parse_instant(field: &str, input: &str) -> Result<Instant, ValidationError> {
    let s = input.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let bad = || ValidationError::BadDate {
        field: field.to_string(),
        value: crate::text::truncate_for_message(s),
    };
    let (date_part, time_part) = s
        .split_once(['T', ' '])
        .map(|(d, t)| (d, t.trim()))
        .ok_or_else(bad)?;
    let date = parse_date(field, date_part)?;
    let hms: Vec<&str> = time_part.split(':').collect();
    let nums: Vec<u32> = hms
        .iter()
        .map(|p| {
            if !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()) {
                p.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        })
        .collect::<Result<_, _>>()?;
    let time = match nums.as_slice() {
        [h, m] => NaiveTime::from_hms_opt(*h, *m, 0),
        [h, m, sec] => NaiveTime::from_hms_opt(*h, *m, *sec),
        _ => return Err(bad()),
    }
    .ok_or_else(|| ValidationError::ImpossibleDate {
        field: field.to_string(),
        value: s.to_string(),
    })?;
    Ok(from_local(date.and_time(time)))
}

/// Refuses an instant after `now`.
pub fn not_future(field: &str, t: Instant, now: Instant) -> Result<Instant, ValidationError> {
    if t > now {
        Err(ValidationError::FutureDate {
            field: field.to_string(),
            value: format_local(t),
        })
    } else {
        Ok(t)
    }
}

/// Refuses a date after `today` or before 1900.
pub fn plausible_past_date(
    field: &str,
    d: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, ValidationError> {
    if d > today {
        Err(ValidationError::FutureDate {
            field: field.to_string(),
            value: d.format("%d/%m/%Y").to_string(),
        })
    } else if d.year() < 1900 {
        Err(ValidationError::DateTooOld {
            field: field.to_string(),
            value: d.format("%d/%m/%Y").to_string(),
        })
    } else {
        Ok(d)
    }
}

/// Age in whole years on `at` for someone born on `born`.
pub fn age_on(born: NaiveDate, at: NaiveDate) -> u32 {
    let mut age = at.year() - born.year();
    if (at.month(), at.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    age.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_vietnamese_and_iso_order() {
        let d = NaiveDate::from_ymd_opt(2015, 9, 5).unwrap();
        assert_eq!(parse_date("f", "05/09/2015").unwrap(), d);
        assert_eq!(parse_date("f", "5/9/2015").unwrap(), d);
        assert_eq!(parse_date("f", "2015-09-05").unwrap(), d);
    }

    #[test]
    fn impossible_and_malformed_dates_are_told_apart() {
        assert_eq!(
            parse_date("f", "31/02/2015").unwrap_err().code(),
            "impossible_date"
        );
        assert_eq!(parse_date("f", "hôm qua").unwrap_err().code(), "bad_date");
        assert_eq!(parse_date("f", "2015/13").unwrap_err().code(), "bad_date");
    }

    #[test]
    fn local_times_are_vietnam_time() {
        let t = parse_instant("f", "2026-11-29T08:30").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-29T01:30:00+00:00");
        assert_eq!(parse_instant("f", "29/11/2026 08:30").unwrap(), t);
        assert_eq!(parse_instant("f", "2026-11-29T08:30:00+07:00").unwrap(), t);
        assert_eq!(
            parse_instant("f", "29/11/2026 25:00").unwrap_err().code(),
            "impossible_date"
        );
    }

    #[test]
    fn age_counts_whole_years() {
        let born = NaiveDate::from_ymd_opt(2010, 6, 15).unwrap();
        assert_eq!(
            age_on(born, NaiveDate::from_ymd_opt(2026, 6, 14).unwrap()),
            15
        );
        assert_eq!(
            age_on(born, NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()),
            16
        );
    }
}
