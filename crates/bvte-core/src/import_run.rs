//! Importing an officer's Excel list (issue 12), part two: every row validated exactly as
//! `child add` validates a form, duplicates found against the register (the same search as
//! `child add`'s possible duplicates) and within the file, then one batch written in one
//! transaction — or nothing, for a dry run or a preview. An import can be undone as a whole.
//!
//! Decisions where the issue is silent:
//! - A row repeating an earlier row of the same file (same personal id, or same folded name and
//!   birth) is listed as refused, "trùng với dòng N", so the officer sees it.
//! - A child known by a year of birth only matches a child of the same folded name whose
//!   (estimated) birth falls in that year: the estimated date moves with the day of import.
//! - With `update_existing`, the register's record keeps what the list does not say (schooling,
//!   risk, notes); the list's values replace the others, its carers and groups are added.
//! - An undo deletes the children the import added; those it updated keep their records.

use crate::children::DuplicateHint;
use crate::error::CoreError;
use crate::import::{
    ColumnMapping, ImportError, ImportOptions, ListRead, RowProblem, column_of, read_list,
};
use crate::session::Session;
use bvte_domain::child::{Child, ChildData, Sex, ValidationContext, check_own_commune};
use bvte_domain::error::ErrorReport;
use bvte_domain::text::fold;
use bvte_domain::time::local_date;
use bvte_domain::{ChildId, Instant};
use bvte_store::children::{ChildFilter, Page};
pub use bvte_store::imports::ImportBatch;
use bvte_store::imports::NewImport;
use chrono::Datelike;
use serde::Serialize;
use std::collections::HashMap;

/// What happens to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// Added as a new child.
    New,
    /// Matches a child in the register: left alone.
    Duplicate,
    /// Matches a child in the register: that record is updated.
    Update,
    /// Not imported (problems listed).
    Rejected,
}

/// A row as it will be saved (the preview).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PreviewRow {
    /// The row as the spreadsheet numbers it.
    pub row: u32,
    /// What happens to it.
    pub status: RowStatus,
    /// The child as it will be saved (`null` when refused).
    pub child: Option<ChildData>,
    /// The register's child it matches.
    pub duplicate_of: Option<DuplicateHint>,
    /// Why it is refused, cell by cell.
    pub problems: Vec<RowProblem>,
    /// What was assumed.
    pub warnings: Vec<RowProblem>,
    /// The row's cells as read (converted to Unicode), column A first: a refused row still
    /// shows the child's name and the value each problem is about.
    pub cells: Vec<String>,
}

/// What an import will do (the first phase, for a screen): nothing is written.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportPreview {
    /// Every sheet of the file.
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: String,
    /// The header row (1 = the first row).
    pub header_row: u32,
    /// The encoding found.
    pub encoding: String,
    /// The proposed (or chosen) mapping.
    pub mapping: Vec<ColumnMapping>,
    /// The counts an import would give.
    pub report: ImportReport,
    /// The first rows.
    pub rows: Vec<PreviewRow>,
}

/// What an import did (or, for a dry run, would do). `docs/json.md` describes it.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportReport {
    /// Data rows read (blank rows not counted).
    pub rows: u32,
    /// Children added.
    pub imported: u32,
    /// Children updated (`update_existing`).
    pub updated: u32,
    /// Rows matching a child already in the register, left alone.
    pub skipped_duplicates: u32,
    /// Every problem of the refused rows.
    pub rejected: Vec<RowProblem>,
    /// How many rows were refused.
    pub rejected_rows: u32,
    /// The encoding found (`unicode`, `tcvn3`, `vni`, `windows_1258`).
    pub encoding: String,
    /// What each column filled.
    pub mapping: Vec<ColumnMapping>,
    /// The sheet read.
    pub sheet: String,
    /// Whether nothing was written.
    pub dry_run: bool,
    /// The import's id in the history (to undo it); `null` when nothing was written.
    pub batch_id: Option<String>,
    /// The refused rows as read, for a file to fix and import again.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub rejected_sheet: RejectedRows,
}

/// The refused rows with their cells as read (a list's header, then each row with its number
/// and reasons), for `bvte_sheet::rejected_xlsx`.
#[derive(Debug, Clone, Default)]
pub struct RejectedRows {
    /// The header row's cells.
    pub header: Vec<String>,
    /// Row number, cells, reasons.
    pub rows: Vec<(u32, Vec<String>, String)>,
}

/// One row judged.
struct Judged {
    row: PreviewRow,
    data: Option<ChildData>,
    existing: Option<Child>,
}

fn number(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn problem(row: usize, column: Option<String>, r: &ErrorReport) -> RowProblem {
    RowProblem {
        row: number(row),
        field: r.field.clone().unwrap_or_default(),
        column,
        message: r.message.clone(),
        message_en: r.message_en.clone(),
    }
}

fn cell_problem(row: usize, p: &bvte_import::rows::CellProblem) -> RowProblem {
    RowProblem {
        row: number(row),
        field: p.field.to_string(),
        column: Some(crate::import::column_letter(p.column)),
        message: p.message.clone(),
        message_en: p.message_en.clone(),
    }
}

/// The keys a child is known by within a file: its personal id, its folded name with its birth.
fn keys(d: &ChildData) -> Vec<String> {
    let mut k = Vec::new();
    if let Some(id) = &d.personal_id {
        k.push(format!("id:{id}"));
    }
    let birth = match (d.date_of_birth, d.birth_date()) {
        (Some(dob), _) => dob.to_string(),
        (None, Some(b)) => b.year().to_string(),
        (None, None) => String::new(),
    };
    k.push(format!("name:{}|{birth}", fold(&d.full_name)));
    k
}

/// `old` with what the list says: its values replace the record's, its carers and groups are
/// added, what it does not say is kept.
fn merge(old: &ChildData, new: &ChildData) -> ChildData {
    let mut m = old.clone();
    m.full_name.clone_from(&new.full_name);
    if new.date_of_birth.is_some() {
        m.date_of_birth = new.date_of_birth;
        m.estimated_age = None;
    } else if m.date_of_birth.is_none() && m.estimated_age.is_none() {
        m.estimated_age.clone_from(&new.estimated_age);
    }
    if new.sex != Sex::Unknown {
        m.sex = new.sex;
    }
    if new.residence_status != bvte_domain::child::ResidenceStatus::ChuaRo {
        m.residence_status = new.residence_status;
    }
    if new.ethnicity.is_some() {
        m.ethnicity.clone_from(&new.ethnicity);
    }
    if new.personal_id.is_some() {
        m.personal_id.clone_from(&new.personal_id);
    }
    if !new.village.is_empty() {
        m.village.clone_from(&new.village);
    }
    for c in &new.carers {
        if !m
            .carers
            .iter()
            .any(|o| o.relation == c.relation && fold(&o.full_name) == fold(&c.full_name))
        {
            m.carers.push(c.clone());
        }
    }
    for g in &new.special_circumstances {
        if !m.special_circumstances.iter().any(|o| o.group == g.group) {
            m.special_circumstances.push(g.clone());
        }
    }
    if new.disability.is_some() {
        m.disability.clone_from(&new.disability);
    }
    if !new.notes.is_empty() && !m.notes.contains(&new.notes) {
        m.notes = [m.notes.as_str(), new.notes.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
    }
    m
}

fn hint(c: &Child) -> DuplicateHint {
    DuplicateHint {
        id: c.id,
        full_name: c.data.full_name.clone(),
        date_of_birth: c.data.date_of_birth,
    }
}

/// How often an import says how far it is, in rows.
pub const PROGRESS_EVERY: usize = 100;

/// How far an import is (the window's progress bar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportProgress {
    /// `check` (reading, validating, finding duplicates) or `write` (saving, in one transaction).
    pub phase: &'static str,
    /// Rows done in this phase.
    pub done: u32,
    /// Rows in this phase.
    pub total: u32,
}

impl ImportProgress {
    fn new(phase: &'static str, done: usize, total: usize) -> Self {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Self {
            phase,
            done: n(done),
            total: n(total),
        }
    }
}

impl Session {
    /// The child already in the register that `d` is: same personal id, or same folded name
    /// and date of birth (the search `add_child` uses), or for a year of birth alone, same
    /// folded name and year.
    fn registered(&self, d: &ChildData) -> Result<Option<Child>, CoreError> {
        let dups = self.store.possible_duplicates(d, None)?;
        let same_id = dups
            .iter()
            .find(|c| d.personal_id.is_some() && c.data.personal_id == d.personal_id);
        if let Some(c) = same_id.or(dups.first()) {
            return Ok(Some(c.clone()));
        }
        let Some(year) = d.date_of_birth.is_none().then(|| d.birth_date()).flatten() else {
            return Ok(None);
        };
        let filter = ChildFilter {
            query: Some(d.full_name.clone()),
            ..Default::default()
        };
        let name = fold(&d.full_name);
        Ok(self
            .store
            .list_children(
                &filter,
                Page {
                    offset: 0,
                    limit: 50,
                },
            )?
            .into_iter()
            .find(|c| {
                fold(&c.data.full_name) == name
                    && c.data.birth_date().map(|b| b.year()) == Some(year.year())
            }))
    }

    fn judge(
        &self,
        list: &ListRead,
        update: bool,
        now: Instant,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<Judged>, CoreError> {
        let ctx = ValidationContext {
            today: local_date(now),
            default_commune: self.store.installation().commune_code.clone(),
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::with_capacity(list.rows.len());
        let total = list.rows.len();
        for (i, r) in list.rows.iter().enumerate() {
            if i % PROGRESS_EVERY == 0 {
                progress(i, total);
            }
            let mut row = PreviewRow {
                row: number(r.row),
                status: RowStatus::Rejected,
                child: None,
                duplicate_of: None,
                problems: r.problems.iter().map(|p| cell_problem(r.row, p)).collect(),
                warnings: r.warnings.iter().map(|p| cell_problem(r.row, p)).collect(),
                cells: list.cells.get(&r.row).cloned().unwrap_or_default(),
            };
            let mut judged = Judged {
                row: row.clone(),
                data: None,
                existing: None,
            };
            if !row.problems.is_empty() {
                out.push(judged);
                continue;
            }
            let data = match r.input.validate(&ctx).and_then(|d| {
                check_own_commune(&d, &ctx.default_commune)?;
                Ok(d)
            }) {
                Ok(d) => d,
                Err(errs) => {
                    row.problems = errs
                        .to_reports()
                        .iter()
                        .map(|e| {
                            let col = e.field.as_deref().and_then(|f| column_of(&list.header, f));
                            problem(r.row, col, e)
                        })
                        .collect();
                    judged.row = row;
                    out.push(judged);
                    continue;
                }
            };
            if let Some(first) = keys(&data).iter().find_map(|k| seen.get(k).copied()) {
                row.problems.push(RowProblem {
                    row: number(r.row),
                    field: "full_name".into(),
                    column: column_of(&list.header, "full_name"),
                    message: format!(
                        "Dòng này trùng với dòng {first} trong cùng tệp (cùng số định danh, hoặc cùng họ tên và ngày sinh): không nhập lần hai."
                    ),
                    message_en: format!(
                        "This row repeats row {first} of the same file (same personal id, or same name and birth): not imported twice."
                    ),
                });
                judged.row = row;
                out.push(judged);
                continue;
            }
            for k in keys(&data) {
                seen.insert(k, r.row);
            }
            let existing = self.registered(&data)?;
            row.status = match (&existing, update) {
                (None, _) => RowStatus::New,
                (Some(e), true) if merge(&e.data, &data) != e.data => RowStatus::Update,
                (Some(_), _) => RowStatus::Duplicate,
            };
            row.duplicate_of = existing.as_ref().map(hint);
            row.child = Some(match (&existing, row.status) {
                (Some(e), RowStatus::Update) => merge(&e.data, &data),
                _ => data.clone(),
            });
            out.push(Judged {
                row,
                data: Some(data),
                existing,
            });
        }
        Ok(out)
    }

    fn report_of(list: &ListRead, judged: &[Judged], dry_run: bool) -> ImportReport {
        let count = |s: RowStatus| number(judged.iter().filter(|j| j.row.status == s).count());
        let refused: Vec<&Judged> = judged
            .iter()
            .filter(|j| j.row.status == RowStatus::Rejected)
            .collect();
        ImportReport {
            rows: number(judged.len()),
            imported: count(RowStatus::New),
            updated: count(RowStatus::Update),
            skipped_duplicates: count(RowStatus::Duplicate),
            rejected: refused
                .iter()
                .flat_map(|j| j.row.problems.iter().cloned())
                .collect(),
            rejected_rows: number(refused.len()),
            encoding: list.encoding.code().to_string(),
            mapping: list.mapping.clone(),
            sheet: list.sheet.clone(),
            dry_run,
            batch_id: None,
            rejected_sheet: RejectedRows {
                header: list.header_text.clone(),
                rows: refused
                    .iter()
                    .map(|j| {
                        let reasons: Vec<String> = j
                            .row
                            .problems
                            .iter()
                            .map(|p| match &p.column {
                                Some(c) => format!("Cột {c}: {}", p.message),
                                None => p.message.clone(),
                            })
                            .collect();
                        (
                            j.row.row,
                            list.cells
                                .get(&(j.row.row as usize))
                                .cloned()
                                .unwrap_or_default(),
                            reasons.join(" "),
                        )
                    })
                    .collect(),
            },
        }
    }

    /// The first phase: reads `bytes` with `options` and says what an import would do, with the
    /// first `limit` rows as they will be saved. Writes nothing.
    ///
    /// # Errors
    /// [`ImportError`] when the file cannot be read; a store error.
    pub fn preview_import(
        &self,
        bytes: &[u8],
        options: &ImportOptions,
        limit: usize,
        now: Instant,
    ) -> Result<ImportPreview, CoreError> {
        self.require(crate::access::Action::Import)?;
        let list = read_list(bytes, options, local_date(now))?;
        let judged = self.judge(&list, options.update_existing, now, &mut |_, _| {})?;
        let report = Self::report_of(&list, &judged, true);
        Ok(ImportPreview {
            sheets: list.sheets.clone(),
            sheet: list.sheet.clone(),
            header_row: number(list.header.row + 1),
            encoding: report.encoding.clone(),
            mapping: list.mapping.clone(),
            rows: judged.into_iter().take(limit).map(|j| j.row).collect(),
            report,
        })
    }

    /// Imports a list: adds the new children and (with `update_existing`) updates the matched
    /// ones in one transaction recorded as one batch, or with `dry_run` writes nothing. Rows
    /// refused and duplicates are counted, never written. Importing the same file twice adds
    /// nothing.
    ///
    /// # Errors
    /// [`ImportError`] when the file cannot be read; a store error (nothing is written).
    pub fn import_children(
        &mut self,
        bytes: &[u8],
        options: &ImportOptions,
        now: Instant,
    ) -> Result<ImportReport, CoreError> {
        self.require(crate::access::Action::Import)?;
        self.import_children_reporting(bytes, options, now, &mut |_| {})
    }

    /// [`Session::import_children`], telling `progress` how far it is: the rows checked, then
    /// the rows written (every [`PROGRESS_EVERY`] rows and at the end of each phase), for the
    /// window's progress bar.
    ///
    /// # Errors
    /// As [`Session::import_children`].
    pub fn import_children_reporting(
        &mut self,
        bytes: &[u8],
        options: &ImportOptions,
        now: Instant,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport, CoreError> {
        self.require(crate::access::Action::Import)?;
        let list = read_list(bytes, options, local_date(now))?;
        let judged = self.judge(&list, options.update_existing, now, &mut |done, total| {
            progress(ImportProgress::new("check", done, total));
        })?;
        progress(ImportProgress::new(
            "check",
            list.rows.len(),
            list.rows.len(),
        ));
        let mut report = Self::report_of(&list, &judged, options.dry_run);
        if options.dry_run || report.imported + report.updated == 0 {
            return Ok(report);
        }
        let added: Vec<ChildData> = judged
            .iter()
            .filter(|j| j.row.status == RowStatus::New)
            .filter_map(|j| j.data.clone())
            .collect();
        let updates: Vec<(ChildId, ChildData)> = judged
            .iter()
            .filter(|j| j.row.status == RowStatus::Update)
            .filter_map(|j| Some((j.existing.as_ref()?.id, j.row.child.clone()?)))
            .collect();
        let meta = NewImport {
            file_name: options.file_name.clone(),
            encoding: report.encoding.clone(),
            rows: report.rows,
            skipped_duplicates: report.skipped_duplicates,
            rejected: report.rejected_rows,
        };
        let mut w = self.write_ctx(now);
        w.origin = bvte_store::Origin::Import;
        let batch =
            self.store
                .record_import_with(&meta, &added, &updates, &w, &mut |done, total| {
                    if done % PROGRESS_EVERY == 0 || done == total {
                        progress(ImportProgress::new("write", done, total));
                    }
                })?;
        report.batch_id = Some(batch.id);
        Ok(report)
    }

    /// The imports made on this PC, newest first.
    pub fn import_history(&self) -> Result<Vec<ImportBatch>, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        Ok(self.store.import_batches()?)
    }

    /// Undoes an import: deletes every child it added (a deletion with a reason naming the
    /// file, written as tombstones so it syncs). Refused when a case was opened for one of
    /// them, or when it was undone already. Returns how many records were deleted.
    ///
    /// # Errors
    /// [`ImportError::HasCases`], [`ImportError::AlreadyUndone`]; not found; a store error.
    pub fn undo_import(&mut self, batch_id: &str, now: Instant) -> Result<u32, CoreError> {
        self.require(crate::access::Action::Import)?;
        let batch = self.store.import_batch(batch_id.trim())?;
        if let Some(at) = &batch.undone_at {
            let at = chrono::DateTime::parse_from_rfc3339(at)
                .map(|t| bvte_domain::time::format_local(t.with_timezone(&chrono::Utc)))
                .unwrap_or_else(|_| at.clone());
            return Err(ImportError::AlreadyUndone { at }.into());
        }
        let with_cases = self
            .store
            .import_added(&batch.id)?
            .iter()
            .filter(|(_, cases)| *cases > 0)
            .count();
        if with_cases > 0 {
            return Err(ImportError::HasCases {
                children: with_cases,
            }
            .into());
        }
        let imported = chrono::DateTime::parse_from_rfc3339(&batch.imported_at)
            .map(|t| bvte_domain::time::format_local(t.with_timezone(&chrono::Utc)))
            .unwrap_or_default();
        let reason = bvte_domain::deletion::check_deletion(
            &format!(
                "Hoàn tác lần nhập danh sách từ tệp “{}” lúc {imported}",
                batch.file_name
            ),
            0,
        )?;
        Ok(self
            .store
            .undo_import(&batch.id, &reason, &self.write_ctx(now))?)
    }
}
