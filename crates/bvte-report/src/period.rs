//! The reporting period: two Vietnam dates, both included.

use bvte_domain::time::{end_of_day, from_local, local_date};
use bvte_domain::{Instant, ValidationError};
use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

/// A reporting period, from the first second of `from` to the last of `to` (Vietnam time).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day (`yyyy-mm-dd`).
    pub from: NaiveDate,
    /// Last day, included.
    pub to: NaiveDate,
}

impl Period {
    /// A period that ends on or after it starts and not after today (Vietnam time at `now`).
    ///
    /// # Errors
    /// `period_inverted` on `period_to` when `to` is before `from`; `future_date` on
    /// `period_from` or `period_to` when that day is after today (a report cannot count what has
    /// not happened, and a wrong computer clock shows this way).
    pub fn new(from: NaiveDate, to: NaiveDate, now: Instant) -> Result<Self, ValidationError> {
        Self::checked(from, to, now, ["period_from", "period_to"])
    }

    /// [`Period::new`] with the errors on `fields` (the first day's, the last day's): the
    /// desktop screen names its own fields, the command line its options.
    ///
    /// # Errors
    /// As [`Period::new`].
    pub fn checked(
        from: NaiveDate,
        to: NaiveDate,
        now: Instant,
        fields: [&str; 2],
    ) -> Result<Self, ValidationError> {
        let [from_field, to_field] = fields;
        let today = local_date(now);
        let future = |field: &str, d: NaiveDate| ValidationError::FutureDate {
            field: field.into(),
            value: d.format("%d/%m/%Y").to_string(),
        };
        if from > today {
            return Err(future(from_field, from));
        }
        if to > today {
            return Err(future(to_field, to));
        }
        if to < from {
            return Err(ValidationError::PeriodInverted {
                field: to_field.into(),
            });
        }
        Ok(Self { from, to })
    }

    /// The first instant of the period.
    pub fn start(&self) -> Instant {
        from_local(self.from.and_time(NaiveTime::MIN))
    }

    /// The last instant of the period (23:59:59 of `to`).
    pub fn end(&self) -> Instant {
        end_of_day(self.to)
    }

    /// Whether `t` is in the period.
    pub fn contains(&self, t: Instant) -> bool {
        self.start() <= t && t <= self.end()
    }
}
