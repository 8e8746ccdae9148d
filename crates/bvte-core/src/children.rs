//! Registering and finding children.

use crate::error::CoreError;
use crate::session::Session;
use bvte_domain::child::{Child, ChildInput, ValidationContext};
use bvte_domain::time::local_date;
use bvte_domain::{ChildId, Instant, ValidationError};
use bvte_store::children::{ChildFilter, Page};
use chrono::{Months, NaiveDate};
use serde::Serialize;

/// A child just added, and records that may be the same child (same folded name and date of
/// birth) for the officer to check.
#[derive(Debug, Serialize)]
pub struct Added {
    /// The new record.
    pub child: Child,
    /// Possible duplicates (ids and names).
    pub possible_duplicates: Vec<DuplicateHint>,
}

/// A possible duplicate.
#[derive(Debug, Serialize, Clone, PartialEq, Eq)]
pub struct DuplicateHint {
    /// Its id.
    pub id: ChildId,
    /// Its name.
    pub full_name: String,
    /// Its date of birth.
    pub date_of_birth: Option<NaiveDate>,
}

/// List filters as a user states them (ages rather than dates).
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// The store filter (group, residence, village, flags, search text).
    pub base: ChildFilter,
    /// Youngest age in years, inclusive.
    pub age_min: Option<u32>,
    /// Oldest age in years, inclusive.
    pub age_max: Option<u32>,
}

impl ListFilter {
    /// The store filter for `today`: groups judged on today, ages turned into birth dates.
    pub fn resolve(&self, today: NaiveDate) -> ChildFilter {
        let mut f = self.base.clone();
        f.on_date = Some(today);
        if let Some(min) = self.age_min {
            f.born_on_or_before = today.checked_sub_months(Months::new(min * 12));
        }
        if let Some(max) = self.age_max {
            f.born_after = today.checked_sub_months(Months::new((max + 1) * 12));
        }
        f
    }
}

impl Session {
    fn validation_ctx(&self, now: Instant) -> ValidationContext {
        ValidationContext {
            today: local_date(now),
            default_commune: self.store.installation().commune_code.clone(),
        }
    }

    /// Validates and adds a child. Refuses a personal id already in the register; reports
    /// records with the same name and date of birth as possible duplicates.
    pub fn add_child(&mut self, input: &ChildInput, now: Instant) -> Result<Added, CoreError> {
        let data = input.validate(&self.validation_ctx(now))?;
        let dups = self.store.possible_duplicates(&data, None)?;
        if let Some(same_id) = dups
            .iter()
            .find(|d| d.data.personal_id.is_some() && d.data.personal_id == data.personal_id)
        {
            return Err(ValidationError::DuplicatePersonalId {
                existing_id: same_id.id.to_string(),
            }
            .into());
        }
        let child = self.store.insert_child(&data, &self.write_ctx(now))?;
        Ok(Added {
            child,
            possible_duplicates: dups.into_iter().map(hint).collect(),
        })
    }

    /// Adds many validated children in one transaction (demo data, imports).
    pub fn add_children(
        &mut self,
        inputs: &[ChildInput],
        now: Instant,
    ) -> Result<Vec<ChildId>, CoreError> {
        let ctx = self.validation_ctx(now);
        let data = inputs
            .iter()
            .map(|i| i.validate(&ctx))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.store.insert_children(&data, &self.write_ctx(now))?)
    }

    /// Validates and replaces a child's record.
    pub fn update_child(
        &mut self,
        id: ChildId,
        input: &ChildInput,
        now: Instant,
    ) -> Result<Child, CoreError> {
        let data = input.validate(&self.validation_ctx(now))?;
        if let Some(same_id) = self
            .store
            .possible_duplicates(&data, Some(id))?
            .into_iter()
            .find(|d| d.data.personal_id.is_some() && d.data.personal_id == data.personal_id)
        {
            return Err(ValidationError::DuplicatePersonalId {
                existing_id: same_id.id.to_string(),
            }
            .into());
        }
        Ok(self.store.update_child(id, &data, &self.write_ctx(now))?)
    }

    /// Possible duplicates of an input, before saving (for forms).
    pub fn check_duplicates(
        &self,
        input: &ChildInput,
        except: Option<ChildId>,
        now: Instant,
    ) -> Result<Vec<DuplicateHint>, CoreError> {
        let data = input.validate(&self.validation_ctx(now))?;
        Ok(self
            .store
            .possible_duplicates(&data, except)?
            .into_iter()
            .map(hint)
            .collect())
    }

    /// One child.
    pub fn child(&self, id: ChildId) -> Result<Child, CoreError> {
        Ok(self.store.child(id)?)
    }

    /// Children whose names, carers' names, village or personal id match `query` (folded).
    pub fn search_children(&self, query: &str, limit: u32) -> Result<Vec<Child>, CoreError> {
        let filter = ChildFilter {
            query: Some(query.to_string()),
            ..Default::default()
        };
        Ok(self
            .store
            .list_children(&filter, Page { offset: 0, limit })?)
    }

    /// A page of children matching `filter`, and how many match in all.
    pub fn list_children(
        &self,
        filter: &ListFilter,
        page: Page,
        now: Instant,
    ) -> Result<(Vec<Child>, u64), CoreError> {
        let f = filter.resolve(local_date(now));
        Ok((
            self.store.list_children(&f, page)?,
            self.store.count_children(&f)?,
        ))
    }
}

fn hint(c: Child) -> DuplicateHint {
    DuplicateHint {
        id: c.id,
        full_name: c.data.full_name,
        date_of_birth: c.data.date_of_birth,
    }
}
