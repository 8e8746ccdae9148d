//! A child as typed in a form or sent by a script (`ChildInput`: dates as text, codes as text),
//! and its validation into `ChildData`, reporting every problem at once on its field.

use crate::child::{
    CHILD_AGE_LIMIT, Carer, CarerRelation, ChildData, Disability, DisabilityLevel, EstimatedAge,
    HomeResidence, ResidenceStatus, Schooling, SchoolingStatus, Sex,
};
use crate::codes::Code;
use crate::error::{Collector, ValidationError, ValidationErrors};
use crate::groups::{Group, SpecialCircumstance, check_subgroup};
use crate::text::{MAX_NAME_CHARS, MAX_SHORT_CHARS, MAX_TEXT_CHARS, clean_line, clean_text};
use crate::time::{age_on, parse_date, plausible_past_date};
use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;

/// What validation needs besides the input: today's date and the installation's commune.
#[derive(Clone, Debug)]
pub struct ValidationContext {
    /// Today in Vietnam.
    pub today: NaiveDate,
    /// The commune used when the input names none.
    pub default_commune: String,
}

/// Estimated age as typed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EstimatedAgeInput {
    /// Age in years.
    pub years: i64,
    /// Date of the estimate (default: today).
    pub as_of: Option<String>,
}

/// A parent or carer as typed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CarerInput {
    /// Relation code (`father`, `mother`, …).
    pub relation: String,
    /// Full name.
    pub full_name: String,
    /// Year of birth.
    pub birth_year: Option<i64>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Died.
    pub deceased: bool,
    /// Lives with the child.
    pub lives_with_child: bool,
}

/// A special-circumstance membership as typed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GroupInput {
    /// Group code (`a` … `o`, `dd` or `đ`).
    pub group: String,
    /// Sub-group number.
    pub subgroup: Option<i64>,
    /// Since (dd/mm/yyyy or yyyy-mm-dd).
    pub since: Option<String>,
    /// Until.
    pub until: Option<String>,
}

/// Disability as typed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DisabilityInput {
    /// Level code.
    pub level: String,
    /// Notes.
    pub note: Option<String>,
}

/// Schooling as typed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SchoolingInput {
    /// Status code.
    pub status: String,
    /// School.
    pub school: Option<String>,
    /// Grade.
    pub grade: Option<String>,
}

/// A child as typed in a form or sent by a script (`bvte child add`). See `docs/json.md`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChildInput {
    /// Full name (required).
    pub full_name: String,
    /// Date of birth (dd/mm/yyyy or yyyy-mm-dd).
    pub date_of_birth: Option<String>,
    /// Estimated age when the date of birth is unknown.
    pub estimated_age: Option<EstimatedAgeInput>,
    /// Sex code (required).
    pub sex: String,
    /// Ethnicity: 121-TCTK code or name.
    pub ethnicity: Option<String>,
    /// Personal identification number.
    pub personal_id: Option<String>,
    /// `thuong_tru`, `tam_tru`, `noi_o_hien_tai`, `chua_ro` or `khong_cu_tru` (required).
    pub residence_status: String,
    /// Commune code (default: the installation's commune).
    pub commune_code: Option<String>,
    /// Village.
    pub village: Option<String>,
    /// Parents and carers.
    pub carers: Vec<CarerInput>,
    /// Special circumstances.
    pub special_circumstances: Vec<GroupInput>,
    /// At risk flag.
    pub at_risk: bool,
    /// Disability.
    pub disability: Option<DisabilityInput>,
    /// Schooling.
    pub schooling: Option<SchoolingInput>,
    /// Notes.
    pub notes: Option<String>,
    /// Where the child lives, for a child not resident here (`khong_cu_tru`).
    pub home: Option<HomeInput>,
}

/// Where a child who lives in another commune lives, as typed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HomeInput {
    /// The residence commune's code (required in the object).
    pub commune_code: String,
    /// What is known of the address there.
    pub address: Option<String>,
}

/// The home of a child: required, and another commune than the one keeping the record, for a
/// child not resident here (`khong_cu_tru`: Decree 56 Art 25 k1, Art 26 k1 let the commune
/// where it happened or where the child is found act for it; Law on Children Art 52 k2 gives
/// the plan to the residence commune, which must therefore be named); refused for a resident.
fn validate_home(
    c: &mut Collector,
    input: Option<&HomeInput>,
    status: Option<ResidenceStatus>,
    keeper: Option<&str>,
) -> Option<HomeResidence> {
    let elsewhere = status == Some(ResidenceStatus::KhongCuTru);
    let given = input.filter(|h| {
        !h.commune_code.trim().is_empty()
            || h.address.as_deref().is_some_and(|a| !a.trim().is_empty())
    });
    match (elsewhere, given) {
        (false, None) => None,
        (false, Some(_)) => {
            if status.is_some() {
                c.push(ValidationError::HomeCommune {
                    field: "home.commune_code".into(),
                    here: false,
                });
            }
            None
        }
        (true, h) => {
            let code = h.map_or("", |h| h.commune_code.trim());
            if code.is_empty() {
                c.push(ValidationError::Required {
                    field: "home.commune_code".into(),
                });
                return None;
            }
            let code = c.take(
                crate::reference::units()
                    .require_current("home.commune_code", code)
                    .map(|u| u.code.clone()),
            )?;
            if keeper == Some(code.as_str()) {
                c.push(ValidationError::HomeCommune {
                    field: "home.commune_code".into(),
                    here: true,
                });
                return None;
            }
            let address = c.take(opt_line(
                "home.address",
                &h.and_then(|h| h.address.clone()),
                MAX_NAME_CHARS,
            ))?;
            Some(HomeResidence {
                commune_code: code,
                address,
            })
        }
    }
}

fn opt_line(field: &str, s: &Option<String>, max: usize) -> Result<String, ValidationError> {
    clean_line(field, s.as_deref().unwrap_or(""), max)
}

fn required_line(field: &str, s: &str, max: usize) -> Result<String, ValidationError> {
    let v = clean_line(field, s, max)?;
    if v.is_empty() {
        Err(ValidationError::Required {
            field: field.to_string(),
        })
    } else {
        Ok(v)
    }
}

fn required_code<T: Code>(field: &str, s: &str) -> Result<T, ValidationError> {
    if s.trim().is_empty() {
        Err(ValidationError::Required {
            field: field.to_string(),
        })
    } else {
        T::parse(field, s)
    }
}

fn range(field: &str, v: i64, min: i64, max: i64) -> Result<i64, ValidationError> {
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(ValidationError::OutOfRange {
            field: field.to_string(),
            min,
            max,
            value: v,
        })
    }
}

impl ChildInput {
    /// Validates and normalises the input. Every problem is reported, each on its field.
    pub fn validate(&self, ctx: &ValidationContext) -> Result<ChildData, ValidationErrors> {
        let mut c = Collector::default();
        let today = ctx.today;
        let full_name = c.take(required_line("full_name", &self.full_name, MAX_NAME_CHARS));
        let dob_text = self
            .date_of_birth
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let (date_of_birth, estimated_age) = match (dob_text, &self.estimated_age) {
            (Some(d), None) => {
                let dob = c.take(
                    parse_date("date_of_birth", d)
                        .and_then(|d| plausible_past_date("date_of_birth", d, today)),
                );
                if let Some(dob) = dob {
                    c.take(check_child_age("date_of_birth", dob, today));
                }
                (dob, None)
            }
            (None, Some(e)) => {
                let years = c.take(range(
                    "estimated_age.years",
                    e.years,
                    0,
                    i64::from(CHILD_AGE_LIMIT) - 1,
                ));
                let as_of = match &e.as_of {
                    Some(s) => c.take(
                        parse_date("estimated_age.as_of", s)
                            .and_then(|d| plausible_past_date("estimated_age.as_of", d, today)),
                    ),
                    None => Some(today),
                };
                let est = years.zip(as_of).map(|(y, as_of)| EstimatedAge {
                    years: y as u8,
                    as_of,
                });
                if let Some(b) = est.as_ref().and_then(|e| {
                    e.as_of
                        .checked_sub_months(Months::new(u32::from(e.years) * 12))
                }) {
                    c.take(check_child_age("estimated_age.years", b, today));
                }
                (None, est)
            }
            (Some(_), Some(_)) => {
                c.push(ValidationError::BirthAmbiguous { both: true });
                (None, None)
            }
            (None, None) => {
                c.push(ValidationError::BirthAmbiguous { both: false });
                (None, None)
            }
        };
        let sex = c.take(required_code::<Sex>("sex", &self.sex));
        let ethnicity = match self.ethnicity.as_deref().map(str::trim) {
            Some(e) if !e.is_empty() => {
                c.take(crate::reference::ethnic_groups().resolve("ethnicity", e))
            }
            _ => None,
        };
        let personal_id = match self.personal_id.as_deref() {
            Some(p) if !p.trim().is_empty() => c.take(check_personal_id(p)),
            _ => None,
        };
        let residence_status = c.take(required_code::<ResidenceStatus>(
            "residence_status",
            &self.residence_status,
        ));
        let commune_code = self
            .commune_code
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(&ctx.default_commune);
        let commune_code = c.take(
            crate::reference::units()
                .require_current("commune_code", commune_code)
                .map(|u| u.code.clone()),
        );
        let village = c.take(opt_line("village", &self.village, MAX_NAME_CHARS));
        let home = validate_home(
            &mut c,
            self.home.as_ref(),
            residence_status,
            commune_code.as_deref(),
        );
        let carers: Vec<Option<Carer>> = self
            .carers
            .iter()
            .enumerate()
            .map(|(i, k)| validate_carer(&mut c, i, k, today))
            .collect();
        let groups: Vec<Option<SpecialCircumstance>> = self
            .special_circumstances
            .iter()
            .enumerate()
            .map(|(i, g)| validate_group(&mut c, i, g, today))
            .collect();
        check_duplicate_groups(&mut c, &groups);
        let disability = self.disability.as_ref().map(|d| {
            let level = c.take(required_code::<DisabilityLevel>(
                "disability.level",
                &d.level,
            ));
            let note = c.take(opt_line("disability.note", &d.note, MAX_SHORT_CHARS));
            level
                .zip(note)
                .map(|(level, note)| Disability { level, note })
        });
        let schooling = self.schooling.as_ref().map(|s| {
            let status = c.take(required_code::<SchoolingStatus>(
                "schooling.status",
                &s.status,
            ));
            let school = c.take(opt_line("schooling.school", &s.school, MAX_SHORT_CHARS));
            let grade = c.take(opt_line("schooling.grade", &s.grade, MAX_NAME_CHARS));
            status
                .zip(school)
                .zip(grade)
                .map(|((status, school), grade)| Schooling {
                    status,
                    school,
                    grade,
                })
        });
        let notes = c.take(clean_text(
            "notes",
            self.notes.as_deref().unwrap_or(""),
            MAX_TEXT_CHARS,
        ));
        c.finish(|| ChildData {
            full_name: full_name.unwrap_or_default(),
            date_of_birth,
            estimated_age,
            sex: sex.unwrap_or(Sex::Unknown),
            ethnicity,
            personal_id,
            residence_status: residence_status.unwrap_or(ResidenceStatus::ThuongTru),
            commune_code: commune_code.unwrap_or_default(),
            village: village.unwrap_or_default(),
            carers: carers.into_iter().flatten().collect(),
            special_circumstances: groups.into_iter().flatten().collect(),
            at_risk: self.at_risk,
            disability: disability.flatten(),
            schooling: schooling.flatten(),
            notes: notes.unwrap_or_default(),
            home,
        })
    }
}

/// Refuses a person who is 16 or older on `at` (Law on Children 2016 Art 1).
pub fn check_child_age(field: &str, born: NaiveDate, at: NaiveDate) -> Result<(), ValidationError> {
    let age = age_on(born, at);
    if age >= CHILD_AGE_LIMIT {
        Err(ValidationError::NotAChild {
            field: field.to_string(),
            age,
            at,
        })
    } else {
        Ok(())
    }
}

fn check_personal_id(p: &str) -> Result<String, ValidationError> {
    let digits: String = p.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 12 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(ValidationError::BadPersonalId {
            value: crate::text::truncate_for_message(p.trim()),
        })
    }
}

fn validate_carer(c: &mut Collector, i: usize, k: &CarerInput, today: NaiveDate) -> Option<Carer> {
    let p = |f: &str| format!("carers[{i}].{f}");
    let relation = c.take(required_code::<CarerRelation>(&p("relation"), &k.relation));
    let full_name = c.take(required_line(&p("full_name"), &k.full_name, MAX_NAME_CHARS));
    let birth_year = match k.birth_year {
        Some(y) => c
            .take(range(&p("birth_year"), y, 1900, i64::from(today.year())))
            .map(|y| Some(y as i32)),
        None => Some(None),
    };
    let occupation = c.take(opt_line(&p("occupation"), &k.occupation, MAX_SHORT_CHARS));
    let phone = c.take(opt_line(&p("phone"), &k.phone, 30));
    let address = c.take(opt_line(&p("address"), &k.address, MAX_SHORT_CHARS));
    Some(Carer {
        relation: relation?,
        full_name: full_name?,
        birth_year: birth_year?,
        occupation: occupation?,
        phone: phone?,
        address: address?,
        deceased: k.deceased,
        lives_with_child: k.lives_with_child,
    })
}

fn validate_group(
    c: &mut Collector,
    i: usize,
    g: &GroupInput,
    today: NaiveDate,
) -> Option<SpecialCircumstance> {
    let p = |f: &str| format!("special_circumstances[{i}].{f}");
    let group = if g.group.trim().is_empty() {
        c.push(ValidationError::Required { field: p("group") });
        None
    } else {
        c.take(Group::parse_code(&p("group"), &g.group))
    };
    let subgroup = match g.subgroup {
        Some(n) => c
            .take(range(&p("subgroup"), n, 1, 99))
            .map(|n| Some(n as u8)),
        None => Some(None),
    };
    let date = |c: &mut Collector, f: &str, s: &Option<String>| match s.as_deref() {
        Some(s) if !s.trim().is_empty() => c
            .take(parse_date(&p(f), s).and_then(|d| plausible_past_date(&p(f), d, today)))
            .map(Some),
        _ => Some(None),
    };
    let since = date(c, "since", &g.since);
    let until = match g.until.as_deref() {
        Some(s) if !s.trim().is_empty() => c.take(parse_date(&p("until"), s)).map(Some),
        _ => Some(None),
    };
    let (group, subgroup, since, until) = (group?, subgroup?, since?, until?);
    c.take(check_subgroup(&p("subgroup"), group, subgroup))?;
    if let (Some(s), Some(u)) = (since, until)
        && u < s
    {
        c.push(ValidationError::PeriodInverted { field: p("until") });
        return None;
    }
    Some(SpecialCircumstance {
        group,
        subgroup,
        since,
        until,
    })
}

pub(crate) fn check_duplicate_groups(c: &mut Collector, groups: &[Option<SpecialCircumstance>]) {
    let valid: Vec<(usize, &SpecialCircumstance)> = groups
        .iter()
        .enumerate()
        .filter_map(|(i, g)| g.as_ref().map(|g| (i, g)))
        .collect();
    for (i, (_, a)) in valid.iter().enumerate() {
        for (j, b) in &valid[i + 1..] {
            let overlap = a.group == b.group
                && a.since.is_none_or(|s| b.until.is_none_or(|u| s <= u))
                && b.since.is_none_or(|s| a.until.is_none_or(|u| s <= u));
            if overlap {
                c.push(ValidationError::DuplicateGroup {
                    field: format!("special_circumstances[{j}].group"),
                    group: a.group.code().to_string(),
                });
                return;
            }
        }
    }
}
