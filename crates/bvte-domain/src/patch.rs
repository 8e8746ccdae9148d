//! Checking a *patch*: some fields of a record as a change carries them from one device to every
//! other (issue 10 item 5). The district server runs these checks before it stores a change, so
//! a change that some device could not apply (a wrong type, a field or a code from another
//! version, text no form produces) is refused alone, with its reason, instead of stopping the
//! sync of every other device.
//!
//! A patch is checked against what the forms store (`child_input`, `case`, `event`): the same
//! closed lists, limits and cleaning, read back exactly. Cleaning is idempotent, so what a
//! correct PC produced always passes. Rules that depend on other records or on the order of
//! steps (the child's age when a case was received, which step may follow which) are not
//! checked: devices record offline, and every change of every device must stay applicable in
//! any order. Errors name the field and the rule, never the value
//! ([`ValidationError::without_value`]): the value may be a child's name.
//!
//! The checks themselves: `child_patch` (children, deletions), `case_patch` (cases, case steps).

use crate::codes::Code;
use crate::error::{Expected, ValidationError, ValidationErrors};
use crate::time::{Instant, local_date, plausible_past_date};
use chrono::{NaiveDate, TimeDelta};
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

/// How far a date or time in a patch may be after the checker's clock. A PC refuses future
/// dates by its own clock, which may be wrong: a PC set to the wrong time zone shows the right
/// local time while its UTC clock is hours off (up to 14), and sync restamps such a PC's changes
/// (`bvte_store::Store::restamp_unsent`) but not the dates inside them. A day covers every time
/// zone; a value further ahead is absurd (a clock a year off) and refused.
pub const CLOCK_TOLERANCE_HOURS: i64 = 24;

/// At most this many errors are reported for one patch: a list of 10,000 bad rows needs a few
/// messages, not 10,000.
pub const MAX_REPORTED_ERRORS: usize = 20;

/// What checking a patch needs besides its fields.
#[derive(Clone, Copy, Debug)]
pub struct PatchContext {
    /// The checker's clock (the district server's).
    pub now: Instant,
    /// When the change was made, by its device's clock (its hybrid clock time).
    pub made_at: Instant,
    /// The record is new (this is its first change): every field a record cannot do without
    /// must be there, and a new child must be under 16.
    pub new_record: bool,
}

impl PatchContext {
    fn tolerance() -> TimeDelta {
        TimeDelta::hours(CLOCK_TOLERANCE_HOURS)
    }

    /// The latest instant a patch may hold.
    pub(crate) fn latest(&self) -> Instant {
        self.now
            .checked_add_signed(Self::tolerance())
            .unwrap_or(self.now)
    }

    /// The latest date (in Vietnam) a patch may hold.
    pub(crate) fn latest_date(&self) -> NaiveDate {
        local_date(self.latest())
    }

    /// The day a new child's age is judged on. The PC judged it on its own date, which may be
    /// behind the change's clock value (a clock value adopted from a device whose clock runs
    /// ahead): a day earlier than the clock value, so that a child the PC accepted on the eve of
    /// the 16th birthday is never refused.
    pub(crate) fn age_date(&self) -> NaiveDate {
        let t = self.made_at.min(self.now);
        local_date(t.checked_sub_signed(Self::tolerance()).unwrap_or(t))
    }
}

/// `path.key`. An unknown key is named in the error, and may be anything (10 MB, control
/// characters, a child's name): a key that is not a plain identifier, as every field name and
/// device id is, is shown as `…`.
pub(crate) fn join(path: &str, key: &str) -> String {
    let plain = key.len() <= 40
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let key = if plain { key } else { "…" };
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The value of `key` unless absent or `null`.
pub(crate) fn present<'v>(m: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    m.get(key).filter(|v| !v.is_null())
}

/// The problems found in one patch.
#[derive(Default)]
pub(crate) struct Check {
    errors: Vec<ValidationError>,
}

impl Check {
    /// Records a problem.
    pub(crate) fn push(&mut self, e: ValidationError) {
        self.errors.push(e);
    }

    /// Keeps the value, or records the problem.
    pub(crate) fn take<T>(&mut self, r: Result<T, ValidationError>) -> Option<T> {
        r.map_err(|e| self.push(e)).ok()
    }

    /// How many problems were found so far.
    pub(crate) fn count(&self) -> usize {
        self.errors.len()
    }

    /// The verdict: every problem (up to [`MAX_REPORTED_ERRORS`]) without its value.
    pub(crate) fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            return Ok(());
        }
        Err(ValidationErrors(
            self.errors
                .into_iter()
                .take(MAX_REPORTED_ERRORS)
                .map(ValidationError::without_value)
                .collect(),
        ))
    }

    fn wrong<T>(&mut self, path: &str, expected: Expected) -> Option<T> {
        self.push(ValidationError::WrongType {
            field: path.to_string(),
            expected,
        });
        None
    }

    /// An object whose keys are all `known`, with every `required` key.
    pub(crate) fn object<'v>(
        &mut self,
        path: &str,
        v: &'v Value,
        known: &[&str],
        required: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Value::Object(m) = v else {
            return self.wrong(path, Expected::Object);
        };
        self.keys(path, m, known, required);
        Some(m)
    }

    /// Every key of `m` is `known`, every `required` key is there.
    pub(crate) fn keys(
        &mut self,
        path: &str,
        m: &Map<String, Value>,
        known: &[&str],
        required: &[&str],
    ) {
        for k in m.keys().filter(|k| !known.contains(&k.as_str())) {
            self.push(ValidationError::UnknownField {
                field: join(path, k),
            });
        }
        for r in required.iter().filter(|r| !m.contains_key(**r)) {
            self.push(ValidationError::Required {
                field: join(path, r),
            });
        }
    }

    /// A list.
    pub(crate) fn list<'v>(&mut self, path: &str, v: &'v Value) -> Option<&'v [Value]> {
        match v {
            Value::Array(items) => Some(items),
            _ => self.wrong(path, Expected::List),
        }
    }

    fn string<'v>(&mut self, path: &str, v: &'v Value, expected: Expected) -> Option<&'v str> {
        match v {
            Value::String(s) => Some(s),
            _ => self.wrong(path, expected),
        }
    }

    /// Free text as `clean_text` stores it (line breaks kept), at most `max` characters.
    pub(crate) fn text<'v>(&mut self, path: &str, v: &'v Value, max: usize) -> Option<&'v str> {
        let s = self.string(path, v, Expected::Text)?;
        self.take(crate::text::check_stored_text(path, s, max))
            .map(|()| s)
    }

    /// One line as `clean_line` stores it, at most `max` characters (may be empty).
    pub(crate) fn line<'v>(&mut self, path: &str, v: &'v Value, max: usize) -> Option<&'v str> {
        let s = self.string(path, v, Expected::Text)?;
        self.take(crate::text::check_stored_line(path, s, max))
            .map(|()| s)
    }

    /// A line that must not be empty (a name).
    pub(crate) fn name<'v>(&mut self, path: &str, v: &'v Value, max: usize) -> Option<&'v str> {
        let s = self.line(path, v, max)?;
        if s.is_empty() {
            self.push(ValidationError::Required {
                field: path.to_string(),
            });
            return None;
        }
        Some(s)
    }

    /// `true` or `false`.
    pub(crate) fn boolean(&mut self, path: &str, v: &Value) -> Option<bool> {
        match v {
            Value::Bool(b) => Some(*b),
            _ => self.wrong(path, Expected::TrueFalse),
        }
    }

    /// A whole number in `min..=max` (every number in a record is one of these).
    pub(crate) fn number(&mut self, path: &str, v: &Value, min: u64, max: u64) -> Option<u64> {
        let Value::Number(n) = v else {
            return self.wrong(path, Expected::Integer);
        };
        let out_of_range = |value: i64| ValidationError::OutOfRange {
            field: path.to_string(),
            min: i64::try_from(min).unwrap_or(i64::MAX),
            max: i64::try_from(max).unwrap_or(i64::MAX),
            value,
        };
        match (n.as_u64(), n.as_i64()) {
            (Some(u), _) if (min..=max).contains(&u) => Some(u),
            (Some(u), _) => {
                self.push(out_of_range(i64::try_from(u).unwrap_or(i64::MAX)));
                None
            }
            (None, Some(negative)) => {
                self.push(out_of_range(negative));
                None
            }
            // A fraction, or a number too large for 64 bits (read as a fraction).
            (None, None) => self.wrong(path, Expected::Integer),
        }
    }

    /// A date as stored (`yyyy-mm-dd`).
    pub(crate) fn date(&mut self, path: &str, v: &Value) -> Option<NaiveDate> {
        self.string(path, v, Expected::Date)?;
        match NaiveDate::deserialize(v) {
            Ok(d) => Some(d),
            Err(_) => {
                // The value is never copied into an error (it may be large, or personal).
                self.push(ValidationError::BadDate {
                    field: path.to_string(),
                    value: String::new(),
                });
                None
            }
        }
    }

    /// A date that has happened, as the forms require of dates of birth and the like: not
    /// after today (with [`CLOCK_TOLERANCE_HOURS`]), not before 1900.
    pub(crate) fn past_date(
        &mut self,
        path: &str,
        v: &Value,
        ctx: &PatchContext,
    ) -> Option<NaiveDate> {
        let d = self.date(path, v)?;
        self.take(plausible_past_date(path, d, ctx.latest_date()))
    }

    /// A point in time, not after now (with [`CLOCK_TOLERANCE_HOURS`]).
    pub(crate) fn instant(&mut self, path: &str, v: &Value, ctx: &PatchContext) -> Option<Instant> {
        self.string(path, v, Expected::Instant)?;
        let Ok(t) = Instant::deserialize(v) else {
            self.push(ValidationError::BadDate {
                field: path.to_string(),
                value: String::new(),
            });
            return None;
        };
        self.take(crate::time::not_future(path, t, ctx.latest()))
    }

    /// A UUID.
    pub(crate) fn id(&mut self, path: &str, v: &Value) -> Option<Uuid> {
        self.string(path, v, Expected::Id)?;
        match Uuid::deserialize(v) {
            Ok(u) => Some(u),
            Err(_) => self.wrong(path, Expected::Id),
        }
    }

    /// A code of a closed list, exactly as stored.
    pub(crate) fn code<T: Code>(&mut self, path: &str, v: &Value) -> Option<T> {
        let s = self.string(path, v, Expected::Code)?;
        self.take(T::parse_stored(path, s))
    }

    /// A commune code of the current official list, exactly as stored.
    pub(crate) fn commune<'v>(&mut self, path: &str, v: &'v Value) -> Option<&'v str> {
        let s = self.string(path, v, Expected::Code)?;
        let c = self.take(crate::reference::units().require_current(path, s))?;
        if c.code == s {
            Some(s)
        } else {
            self.push(ValidationError::NotNormalized {
                field: path.to_string(),
            });
            None
        }
    }
}
