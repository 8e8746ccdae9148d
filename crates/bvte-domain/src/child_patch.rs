//! A child's record as changes carry it (see `patch`): the fields of [`ChildData`] that a change
//! sets, checked as `ChildInput::validate` stores them; and a deletion (tombstone), checked as
//! `deletion::check_deletion` stores its reason.
//!
//! A new record's first change carries every field; an edit carries the fields that changed.

use crate::child::{
    CHILD_AGE_LIMIT, CarerRelation, DisabilityLevel, ResidenceStatus, SchoolingStatus, Sex,
    check_child_age,
};
use crate::error::{Expected, ValidationError, ValidationErrors};
use crate::ethnicity::CODE_SYSTEM_121;
use crate::groups::{Group, SpecialCircumstance, check_subgroup};
use crate::patch::{Check, PatchContext, join, present};
use crate::text::{MAX_NAME_CHARS, MAX_SHORT_CHARS, MAX_TEXT_CHARS};
use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Every field of [`ChildData`] (a test keeps this list equal to the struct's).
pub const CHILD_FIELDS: [&str; 16] = [
    "full_name",
    "date_of_birth",
    "estimated_age",
    "sex",
    "ethnicity",
    "personal_id",
    "residence_status",
    "commune_code",
    "village",
    "carers",
    "special_circumstances",
    "at_risk",
    "disability",
    "schooling",
    "notes",
    "home",
];

/// The fields a child record cannot be read without (the others are optional: absent is none).
pub const CHILD_REQUIRED: [&str; 9] = [
    "full_name",
    "sex",
    "residence_status",
    "commune_code",
    "village",
    "carers",
    "special_circumstances",
    "at_risk",
    "notes",
];

const CARER_FIELDS: [&str; 8] = [
    "relation",
    "full_name",
    "birth_year",
    "occupation",
    "phone",
    "address",
    "deceased",
    "lives_with_child",
];
const CARER_REQUIRED: [&str; 7] = [
    "relation",
    "full_name",
    "occupation",
    "phone",
    "address",
    "deceased",
    "lives_with_child",
];
const GROUP_FIELDS: [&str; 4] = ["group", "subgroup", "since", "until"];

/// Checks the fields a change sets on a child's record. `ctx.new_record`: the record's first
/// change, which must carry every required field, a date of birth or an estimated age (not
/// both), and describe a child under 16 (Law on Children 2016 Art 1). An edit is not judged on
/// age: a child registered at 15 may be edited at 16.
pub fn check_child_patch(
    fields: &Map<String, Value>,
    ctx: &PatchContext,
) -> Result<(), ValidationErrors> {
    let mut k = Check::default();
    for (key, v) in fields {
        let p = key.as_str();
        match p {
            "full_name" => {
                k.name(p, v, MAX_NAME_CHARS);
            }
            "date_of_birth" if v.is_null() => {}
            "date_of_birth" => {
                k.past_date(p, v, ctx);
            }
            "estimated_age" if v.is_null() => {}
            "estimated_age" => estimated_age(&mut k, v, ctx),
            "sex" => {
                k.code::<Sex>(p, v);
            }
            "ethnicity" if v.is_null() => {}
            "ethnicity" => ethnicity(&mut k, v),
            "personal_id" if v.is_null() => {}
            "personal_id" => personal_id(&mut k, v),
            "residence_status" => {
                k.code::<ResidenceStatus>(p, v);
            }
            "commune_code" => {
                k.commune(p, v);
            }
            "village" => {
                k.line(p, v, MAX_NAME_CHARS);
            }
            "carers" => carers(&mut k, v, ctx),
            "special_circumstances" => groups(&mut k, v, ctx),
            "at_risk" => {
                k.boolean(p, v);
            }
            "disability" if v.is_null() => {}
            "disability" => disability(&mut k, v),
            "schooling" if v.is_null() => {}
            "schooling" => schooling(&mut k, v),
            "notes" => {
                k.text(p, v, MAX_TEXT_CHARS);
            }
            // Absent or null for a resident; the record handed over home sets it to null.
            "home" if v.is_null() => {}
            "home" => home(&mut k, v),
            _ => k.push(ValidationError::UnknownField { field: join("", p) }),
        }
    }
    if ctx.new_record {
        for r in CHILD_REQUIRED.iter().filter(|r| !fields.contains_key(**r)) {
            k.push(ValidationError::Required {
                field: r.to_string(),
            });
        }
    }
    birth(&mut k, fields, ctx);
    k.finish()
}

/// Exactly one of date of birth and estimated age, whenever the change sets both (a form's
/// edit that switches from one to the other sets both; a new record sets both, absent is none);
/// and a new child under 16 on the day the change was made.
fn birth(k: &mut Check, fields: &Map<String, Value>, ctx: &PatchContext) {
    let both_set = fields.contains_key("date_of_birth") && fields.contains_key("estimated_age");
    if !(ctx.new_record || both_set) {
        return;
    }
    let dob = present(fields, "date_of_birth");
    let est = present(fields, "estimated_age");
    match (dob, est) {
        (Some(_), Some(_)) => k.push(ValidationError::BirthAmbiguous { both: true }),
        (None, None) => k.push(ValidationError::BirthAmbiguous { both: false }),
        _ => {}
    }
    if !ctx.new_record {
        return;
    }
    let born = match (dob, est) {
        (Some(d), None) => NaiveDate::deserialize(d).ok().map(|d| ("date_of_birth", d)),
        (None, Some(Value::Object(e))) => {
            let years = e.get("years").and_then(Value::as_u64);
            let as_of = e.get("as_of").and_then(|d| NaiveDate::deserialize(d).ok());
            years
                .zip(as_of)
                .filter(|(y, _)| *y < u64::from(CHILD_AGE_LIMIT))
                .and_then(|(y, d)| d.checked_sub_months(Months::new(y as u32 * 12)))
                .map(|b| ("estimated_age.years", b))
        }
        _ => None,
    };
    if let Some((field, born)) = born {
        k.take(check_child_age(field, born, ctx.age_date()));
    }
}

fn estimated_age(k: &mut Check, v: &Value, ctx: &PatchContext) {
    let Some(e) = k.object("estimated_age", v, &["years", "as_of"], &["years", "as_of"]) else {
        return;
    };
    if let Some(y) = e.get("years") {
        k.number("estimated_age.years", y, 0, u64::from(CHILD_AGE_LIMIT) - 1);
    }
    if let Some(d) = e.get("as_of") {
        k.past_date("estimated_age.as_of", d, ctx);
    }
}

fn ethnicity(k: &mut Check, v: &Value) {
    let Some(e) = k.object("ethnicity", v, &["system", "code"], &["system", "code"]) else {
        return;
    };
    if let Some(s) = e.get("system") {
        match s.as_str() {
            Some(CODE_SYSTEM_121) => {}
            Some(_) => k.push(ValidationError::UnknownCode {
                field: "ethnicity.system".into(),
                value: String::new(),
                allowed: vec![CODE_SYSTEM_121.into()],
            }),
            None => k.push(ValidationError::WrongType {
                field: "ethnicity.system".into(),
                expected: Expected::Code,
            }),
        }
    }
    if let Some(c) = e.get("code") {
        match c.as_str() {
            Some(code) if crate::reference::ethnic_groups().get(code).is_some() => {}
            Some(_) => k.push(ValidationError::UnknownCode {
                field: "ethnicity.code".into(),
                value: String::new(),
                allowed: vec!["mã 2 chữ số theo 121-TCTK (01 = Kinh … 54)".into()],
            }),
            None => k.push(ValidationError::WrongType {
                field: "ethnicity.code".into(),
                expected: Expected::Code,
            }),
        }
    }
}

/// Where a child not resident here lives (`ChildData::home`).
fn home(k: &mut Check, v: &Value) {
    const FIELDS: [&str; 2] = ["commune_code", "address"];
    let Some(h) = k.object("home", v, &FIELDS, &FIELDS) else {
        return;
    };
    if let Some(c) = h.get("commune_code") {
        k.commune("home.commune_code", c);
    }
    if let Some(a) = h.get("address") {
        k.line("home.address", a, MAX_NAME_CHARS);
    }
}

/// Stored as the 12 digits, spaces removed (`child_input::check_personal_id`).
fn personal_id(k: &mut Check, v: &Value) {
    match v.as_str() {
        Some(p) if p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()) => {}
        Some(_) => k.push(ValidationError::BadPersonalId {
            value: String::new(),
        }),
        None => k.push(ValidationError::WrongType {
            field: "personal_id".into(),
            expected: Expected::Text,
        }),
    }
}

fn carers(k: &mut Check, v: &Value, ctx: &PatchContext) {
    let Some(list) = k.list("carers", v) else {
        return;
    };
    let this_year = u64::try_from(ctx.latest_date().year()).unwrap_or(0);
    for (i, item) in list.iter().enumerate() {
        let path = format!("carers[{i}]");
        let Some(c) = k.object(&path, item, &CARER_FIELDS, &CARER_REQUIRED) else {
            continue;
        };
        for (key, v) in c {
            let p = join(&path, key);
            match key.as_str() {
                "relation" => {
                    k.code::<CarerRelation>(&p, v);
                }
                "full_name" => {
                    k.name(&p, v, MAX_NAME_CHARS);
                }
                "birth_year" if v.is_null() => {}
                "birth_year" => {
                    k.number(&p, v, 1900, this_year);
                }
                "occupation" | "address" => {
                    k.line(&p, v, MAX_SHORT_CHARS);
                }
                "phone" => {
                    k.line(&p, v, 30);
                }
                "deceased" | "lives_with_child" => {
                    k.boolean(&p, v);
                }
                _ => {} // reported by `object`
            }
        }
    }
}

fn groups(k: &mut Check, v: &Value, ctx: &PatchContext) {
    let Some(list) = k.list("special_circumstances", v) else {
        return;
    };
    let mut read = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let path = format!("special_circumstances[{i}]");
        read.push(group(k, &path, item, ctx));
    }
    let mut c = crate::error::Collector::default();
    crate::child_input::check_duplicate_groups(&mut c, &read);
    c.0.into_iter().for_each(|e| k.push(e));
}

fn group(k: &mut Check, path: &str, v: &Value, ctx: &PatchContext) -> Option<SpecialCircumstance> {
    let g = k.object(path, v, &GROUP_FIELDS, &["group"])?;
    // Each part is read (and its problem reported) even when another is wrong: `None` is a
    // problem, `Some(None)` an absent value.
    let group = g
        .get("group")
        .and_then(|v| k.code::<Group>(&join(path, "group"), v));
    let subgroup = match present(g, "subgroup") {
        Some(v) => k
            .number(&join(path, "subgroup"), v, 1, 99)
            .map(|n| Some(n as u8)),
        None => Some(None),
    };
    let since = match present(g, "since") {
        Some(v) => k.past_date(&join(path, "since"), v, ctx).map(Some),
        None => Some(None),
    };
    let until = match present(g, "until") {
        Some(v) => k.date(&join(path, "until"), v).map(Some),
        None => Some(None),
    };
    let (group, subgroup, since, until) = (group?, subgroup?, since?, until?);
    k.take(check_subgroup(&join(path, "subgroup"), group, subgroup))?;
    if let (Some(s), Some(u)) = (since, until)
        && u < s
    {
        k.push(ValidationError::PeriodInverted {
            field: join(path, "until"),
        });
        return None;
    }
    Some(SpecialCircumstance {
        group,
        subgroup,
        since,
        until,
    })
}

fn disability(k: &mut Check, v: &Value) {
    let known = ["level", "note"];
    let Some(d) = k.object("disability", v, &known, &known) else {
        return;
    };
    if let Some(l) = d.get("level") {
        k.code::<DisabilityLevel>("disability.level", l);
    }
    if let Some(n) = d.get("note") {
        k.line("disability.note", n, MAX_SHORT_CHARS);
    }
}

fn schooling(k: &mut Check, v: &Value) {
    let known = ["status", "school", "grade"];
    let Some(s) = k.object("schooling", v, &known, &known) else {
        return;
    };
    if let Some(st) = s.get("status") {
        k.code::<SchoolingStatus>("schooling.status", st);
    }
    if let Some(sc) = s.get("school") {
        k.line("schooling.school", sc, MAX_SHORT_CHARS);
    }
    if let Some(g) = s.get("grade") {
        k.line("schooling.grade", g, MAX_NAME_CHARS);
    }
}

/// Checks a deletion (tombstone) of a child's record: `reason`, as `deletion::check_deletion`
/// stores it, and `seen`, the highest sequence number of each device's edits the deleter had
/// seen (device id → number).
pub fn check_child_tombstone(fields: &Map<String, Value>) -> Result<(), ValidationErrors> {
    let mut k = Check::default();
    let known = ["reason", "seen"];
    k.keys("", fields, &known, &known);
    if let Some(r) = fields.get("reason")
        && k.text("reason", r, crate::deletion::MAX_REASON) == Some("")
    {
        k.push(ValidationError::Required {
            field: "reason".into(),
        });
    }
    match fields.get("seen") {
        Some(Value::Object(seen)) => {
            for (device, n) in seen {
                let p = join("seen", device);
                if uuid::Uuid::parse_str(device).is_err() {
                    k.push(ValidationError::WrongType {
                        field: p.clone(),
                        expected: Expected::Id,
                    });
                }
                // Sequence numbers are kept as SQL integers (i64).
                k.number(&p, n, 0, i64::MAX as u64);
            }
        }
        Some(_) => k.push(ValidationError::WrongType {
            field: "seen".into(),
            expected: Expected::Object,
        }),
        None => {}
    }
    k.finish()
}
