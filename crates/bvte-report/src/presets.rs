//! The periods an officer is asked to report on: a month, a quarter, the first six or nine
//! months of a year, a year — or any two days (the custom period is [`Period::new`]).
//!
//! Decision where the issue is silent (written down in `docs/json.md` too): the periods are
//! calendar periods from the 1st of the month. Decree 09/2019/NĐ-CP Art 12 sets a data cut-off
//! from the 15th of the month before to the 14th "unless the law provides otherwise"; whether
//! the child-protection regime now in force (Thông tư 23/2025/TT-BYT, not read yet) follows it
//! is not known, so an officer asked for that cut-off chooses the custom period. A period that
//! has not ended yet ends today: a report made on 10/03 for the first quarter counts from 01/01
//! to 10/03, and says so in its dates.

use crate::period::Period;
use bvte_domain::time::local_date;
use bvte_domain::{Instant, ValidationError};
use chrono::{Datelike, NaiveDate};

/// The kind of a preset period. Codes: `month`, `quarter`, `half_year`, `nine_months`, `year`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodKind {
    /// A calendar month (`index` 1–12).
    Month,
    /// A calendar quarter (`index` 1–4).
    Quarter,
    /// January to June.
    HalfYear,
    /// January to September.
    NineMonths,
    /// January to December.
    Year,
}

impl PeriodKind {
    /// Every kind, in the order the screen offers them.
    pub const ALL: [Self; 5] = [
        Self::Month,
        Self::Quarter,
        Self::HalfYear,
        Self::NineMonths,
        Self::Year,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Quarter => "quarter",
            Self::HalfYear => "half_year",
            Self::NineMonths => "nine_months",
            Self::Year => "year",
        }
    }

    /// Reads a code; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The first and last month (1–12) of the period numbered `index`, or `None` when `index`
    /// is out of range for the kind.
    fn months(self, index: u32) -> Option<(u32, u32)> {
        match self {
            Self::Month => (1..=12).contains(&index).then_some((index, index)),
            Self::Quarter => (1..=4).contains(&index).then(|| (index * 3 - 2, index * 3)),
            Self::HalfYear => Some((1, 6)),
            Self::NineMonths => Some((1, 9)),
            Self::Year => Some((1, 12)),
        }
    }
}

/// The last day of `month` of `year`.
fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// The period of `kind` numbered `index` (the month or the quarter; ignored for the others) in
/// `year`, ending today when it has not ended yet.
///
/// # Errors
/// `out_of_range` on `report_index` for a month outside 1–12 or a quarter outside 1–4, on
/// `report_year` for a year before 1990 or after this one; `future_date` on `report_from` when
/// the period starts after today.
pub fn preset(
    kind: PeriodKind,
    year: i32,
    index: u32,
    now: Instant,
) -> Result<Period, ValidationError> {
    let today = local_date(now);
    if !(1990..=today.year()).contains(&year) {
        return Err(ValidationError::OutOfRange {
            field: "report_year".into(),
            min: 1990,
            max: today.year().into(),
            value: year.into(),
        });
    }
    let max = match kind {
        PeriodKind::Month => 12,
        PeriodKind::Quarter => 4,
        _ => 1,
    };
    let out_of_range = || ValidationError::OutOfRange {
        field: "report_index".into(),
        min: 1,
        max,
        value: index.into(),
    };
    let (first, last) = kind.months(index).ok_or_else(out_of_range)?;
    let from = NaiveDate::from_ymd_opt(year, first, 1).ok_or_else(out_of_range)?;
    let to = last_day(year, last).ok_or_else(out_of_range)?.min(today);
    Period::checked(from, to, now, ["report_from", "report_to"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use bvte_domain::time::from_local;

    fn at(y: i32, m: u32, d: u32) -> Instant {
        from_local(
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        )
    }

    fn days(p: &Period) -> (String, String) {
        (
            p.from.format("%d/%m/%Y").to_string(),
            p.to.format("%d/%m/%Y").to_string(),
        )
    }

    #[test]
    fn a_past_month_quarter_half_nine_months_and_year_are_whole() {
        let now = at(2026, 12, 7);
        let p = |k, i| days(&preset(k, 2025, i, now).unwrap());
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(p(PeriodKind::Month, 2), s("01/02/2025", "28/02/2025"));
        assert_eq!(p(PeriodKind::Month, 12), s("01/12/2025", "31/12/2025"));
        assert_eq!(p(PeriodKind::Quarter, 3), s("01/07/2025", "30/09/2025"));
        assert_eq!(p(PeriodKind::HalfYear, 0), s("01/01/2025", "30/06/2025"));
        assert_eq!(p(PeriodKind::NineMonths, 0), s("01/01/2025", "30/09/2025"));
        assert_eq!(p(PeriodKind::Year, 0), s("01/01/2025", "31/12/2025"));
        let leap = days(&preset(PeriodKind::Month, 2024, 2, now).unwrap());
        assert_eq!(leap.1, "29/02/2024");
    }

    #[test]
    fn a_period_still_running_ends_today() {
        let now = at(2026, 12, 7);
        let q = preset(PeriodKind::Quarter, 2026, 4, now).unwrap();
        assert_eq!(days(&q), ("01/10/2026".into(), "07/12/2026".into()));
        let y = preset(PeriodKind::Year, 2026, 0, now).unwrap();
        assert_eq!(days(&y).1, "07/12/2026");
    }

    #[test]
    fn a_period_not_started_a_wrong_month_or_year_is_refused_by_field() {
        let now = at(2026, 3, 10);
        let field = |r: Result<Period, ValidationError>| r.unwrap_err().field().map(str::to_owned);
        assert_eq!(
            field(preset(PeriodKind::Quarter, 2026, 2, now)).as_deref(),
            Some("report_from")
        );
        assert_eq!(
            field(preset(PeriodKind::Month, 2026, 13, now)).as_deref(),
            Some("report_index")
        );
        assert_eq!(
            field(preset(PeriodKind::Quarter, 2025, 0, now)).as_deref(),
            Some("report_index")
        );
        assert_eq!(
            field(preset(PeriodKind::Year, 2027, 0, now)).as_deref(),
            Some("report_year")
        );
        assert!(PeriodKind::from_code("week").is_none());
        for k in PeriodKind::ALL {
            assert_eq!(PeriodKind::from_code(k.code()), Some(k));
        }
    }
}
