//! Registering and finding children.

use crate::error::CoreError;
use crate::session::Session;
use bvte_domain::child::{Child, ChildInput, ValidationContext, check_own_commune};
use bvte_domain::codes::Code;
use bvte_domain::error::ErrorReport;
use bvte_domain::time::local_date;
use bvte_domain::{ChildId, Instant, ValidationError, ValidationErrors};
pub use bvte_store::DeletedChild;
use bvte_store::children::{ChildFilter, Page};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

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
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
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
        self.require(crate::access::Action::EditChildren)?;
        let ctx = self.validation_ctx(now);
        let data = input.validate(&ctx)?;
        check_own_commune(&data, &ctx.default_commune)?;
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
        self.require(crate::access::Action::EditChildren)?;
        let ctx = self.validation_ctx(now);
        let data = inputs
            .iter()
            .map(|i| {
                let d = i.validate(&ctx)?;
                check_own_commune(&d, &ctx.default_commune).map_err(ValidationErrors::from)?;
                Ok(d)
            })
            .collect::<Result<Vec<_>, ValidationErrors>>()?;
        Ok(self.store.insert_children(&data, &self.write_ctx(now))?)
    }

    /// Validates and replaces a child's record.
    pub fn update_child(
        &mut self,
        id: ChildId,
        input: &ChildInput,
        now: Instant,
    ) -> Result<Child, CoreError> {
        self.require(crate::access::Action::EditChildren)?;
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

    /// Deletes a child's record entered in error (most often twice). Needs a reason; refused
    /// for a child with cases (`bvte_domain::deletion`). The record can be brought back.
    pub fn delete_child(
        &mut self,
        id: ChildId,
        reason: &str,
        now: Instant,
    ) -> Result<(), CoreError> {
        self.require(crate::access::Action::EditChildren)?;
        let cases = self.store.cases(Some(id))?.len();
        let reason = bvte_domain::deletion::check_deletion(reason, cases)?;
        Ok(self.store.delete_child(id, &reason, &self.write_ctx(now))?)
    }

    /// Brings a deleted child's record back into the register.
    pub fn restore_child(&mut self, id: ChildId, now: Instant) -> Result<(), CoreError> {
        self.require(crate::access::Action::EditChildren)?;
        Ok(self.store.keep_child(id, &self.write_ctx(now))?)
    }

    /// Deleted children, most recently deleted first.
    pub fn deleted_children(&self) -> Result<Vec<DeletedChild>, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        Ok(self.store.deleted_children()?)
    }

    /// Possible duplicates of an input, before saving (for forms).
    pub fn check_duplicates(
        &self,
        input: &ChildInput,
        except: Option<ChildId>,
        now: Instant,
    ) -> Result<Vec<DuplicateHint>, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
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
        self.require(crate::access::Action::ViewRecords)?;
        Ok(self.store.child(id)?)
    }

    /// One child's record shown to the officer (`bvte child show`): entered in the audit trail.
    pub fn show_child(&self, id: ChildId, now: Instant) -> Result<Child, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        let child = self.store.child(id)?;
        self.note(
            now,
            bvte_store::AuditAction::ViewChild,
            &format!("child:{id}"),
            "",
        )?;
        Ok(child)
    }

    /// Children whose names, carers' names, village or personal id match `query` (folded).
    pub fn search_children(&self, query: &str, limit: u32) -> Result<Vec<Child>, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
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
        self.require(crate::access::Action::ViewRecords)?;
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

/// A list query as the children screen sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct ChildQuery {
    /// Search text.
    pub text: Option<String>,
    /// Group code.
    pub group: Option<String>,
    /// Village.
    pub village: Option<String>,
    /// Residence status code.
    pub residence: Option<String>,
    /// At risk only.
    pub at_risk: Option<bool>,
    /// Disabled only.
    pub disabled: Option<bool>,
    /// Orphans of both parents only.
    pub orphan: Option<bool>,
    /// Youngest age.
    pub age_min: Option<u32>,
    /// Oldest age.
    pub age_max: Option<u32>,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return (at most 500).
    pub limit: u32,
}

/// One row of the children list.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ChildRow {
    /// Id.
    pub id: ChildId,
    /// Name.
    pub full_name: String,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Age today.
    pub age: Option<u32>,
    /// Sex code.
    pub sex: String,
    /// Residence status code.
    pub residence_status: String,
    /// Village.
    pub village: String,
    /// Groups in force today.
    pub groups: Vec<String>,
    /// At risk.
    pub at_risk: bool,
    /// Disabled.
    pub disabled: bool,
}

/// A page of the children list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ChildPage {
    /// How many match in all.
    pub total: u64,
    /// This page.
    pub rows: Vec<ChildRow>,
}

/// A change in a record's history.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct HistoryItem {
    /// When (Vietnam time).
    pub at: String,
    /// Who.
    pub author: String,
    /// From where.
    pub origin: String,
    /// Which fields.
    pub fields: Vec<String>,
}

/// Everything the child profile shows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ChildProfile {
    /// The record.
    pub child: Child,
    /// Age today.
    pub age: Option<u32>,
    /// The child's cases.
    pub cases: Vec<crate::cases::CaseSummary>,
    /// Changes, newest first.
    pub history: Vec<HistoryItem>,
    /// Whether the district server has every change made here to this child (`None` when
    /// this PC is not enrolled).
    pub on_server: Option<bool>,
    /// Why the record cannot be deleted (a child with cases), or `None` when it can.
    pub delete_refused: Option<ErrorReport>,
}

impl ChildRow {
    /// The row of `c` on `today`.
    pub fn of(c: &Child, today: NaiveDate) -> Self {
        let d = &c.data;
        Self {
            id: c.id,
            full_name: d.full_name.clone(),
            date_of_birth: d.date_of_birth,
            age: d.age_on(today),
            sex: d.sex.code().into(),
            residence_status: d.residence_status.code().into(),
            village: d.village.clone(),
            groups: d
                .groups_on(today)
                .iter()
                .map(|g| g.code().to_string())
                .collect(),
            at_risk: d.at_risk,
            disabled: d.disabled(today),
        }
    }
}

impl ChildQuery {
    /// The list filter it describes; unknown codes are refused with the list of valid ones.
    pub fn filter(&self) -> Result<ListFilter, CoreError> {
        use bvte_domain::child::ResidenceStatus;
        use bvte_domain::groups::Group;
        let group = self
            .group
            .as_deref()
            .filter(|g| !g.is_empty())
            .map(|g| Group::parse_code("group", g))
            .transpose()?;
        let residence = self
            .residence
            .as_deref()
            .filter(|r| !r.is_empty())
            .map(|r| ResidenceStatus::parse("residence", r))
            .transpose()?;
        Ok(ListFilter {
            base: ChildFilter {
                query: self.text.clone().filter(|t| !t.trim().is_empty()),
                group,
                residence,
                village: self.village.clone().filter(|v| !v.is_empty()),
                at_risk: self.at_risk,
                disabled: self.disabled,
                orphan: self.orphan,
                ..Default::default()
            },
            age_min: self.age_min,
            age_max: self.age_max,
        })
    }
}

impl Session {
    /// A page of the children list.
    pub fn child_page(&self, q: &ChildQuery, now: Instant) -> Result<ChildPage, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        let page = Page {
            offset: q.offset,
            limit: q.limit.clamp(1, 500),
        };
        let (rows, total) = self.list_children(&q.filter()?, page, now)?;
        let today = local_date(now);
        Ok(ChildPage {
            total,
            rows: rows.iter().map(|c| ChildRow::of(c, today)).collect(),
        })
    }

    /// The children matching `filter` as an .xlsx (`bvte_sheet::children_xlsx`): every match,
    /// not a page; the register only, never a case or the reporter's identity.
    ///
    /// # Errors
    /// A store error; the workbook cannot be produced.
    pub fn children_xlsx(&self, filter: &ListFilter, now: Instant) -> Result<Vec<u8>, CoreError> {
        self.require(crate::access::Action::Export)?;
        let today = local_date(now);
        let f = filter.resolve(today);
        let children = self.store.list_children(
            &f,
            Page {
                offset: 0,
                limit: u32::MAX,
            },
        )?;
        let title = format!("DANH SÁCH TRẺ EM — {}", self.commune()?.full_name());
        let bytes = bvte_sheet::children_xlsx(&children, today, &title)?;
        self.note(
            now,
            bvte_store::AuditAction::Export,
            "children_list",
            &format!("{} trẻ em (.xlsx)", children.len()),
        )?;
        Ok(bytes)
    }

    /// The child's profile: record, cases and history.
    pub fn child_profile(&self, id: ChildId, now: Instant) -> Result<ChildProfile, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        let child = self.store.child(id)?;
        self.note(
            now,
            bvte_store::AuditAction::ViewChild,
            &format!("child:{id}"),
            "",
        )?;
        let cases: Vec<crate::cases::CaseSummary> = self
            .case_summaries(now)?
            .into_iter()
            .filter(|c| c.child_id == id)
            .collect();
        let history = self
            .store
            .history(bvte_protocol::Entity::Child, id.0)?
            .into_iter()
            .map(|h| HistoryItem {
                at: chrono::DateTime::parse_from_rfc3339(&h.recorded_at)
                    .map(|t| bvte_domain::time::to_rfc3339_local(t.with_timezone(&chrono::Utc)))
                    .unwrap_or(h.recorded_at),
                author: h.author,
                origin: h.origin,
                fields: h.fields,
            })
            .collect();
        Ok(ChildProfile {
            delete_refused: bvte_domain::deletion::check_deletable(cases.len())
                .err()
                .map(|e| ErrorReport::from(&e)),
            on_server: self.child_on_server(child.id.0)?,
            age: child.data.age_on(local_date(now)),
            child,
            cases,
            history,
        })
    }
}
