//! The children register: insert, update, read, filtered lists paged in SQL, and search folded
//! for Vietnamese (FTS5 over names, carers' names, village and personal id).

use crate::Store;
use crate::error::{Result, StoreError};
use crate::write::{WriteCtx, changed_fields, record_change, to_fields};
use bvte_domain::child::{Child, ChildData, ResidenceStatus};
use bvte_domain::codes::Code;
use bvte_domain::groups::Group;
use bvte_domain::text::{collation_key, fold};
use bvte_domain::{ChildId, Instant};
use bvte_protocol::{ChangeKind, Entity};
use chrono::NaiveDate;
use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, Transaction, params, params_from_iter};

/// Which children to list. Empty filter = everyone.
#[derive(Debug, Clone, Default)]
pub struct ChildFilter {
    /// Search text (names, carers' names, village, personal id), folded.
    pub query: Option<String>,
    /// In this special-circumstance group on `on_date`.
    pub group: Option<Group>,
    /// Residence status.
    pub residence: Option<ResidenceStatus>,
    /// Village, compared folded.
    pub village: Option<String>,
    /// At-risk flag.
    pub at_risk: Option<bool>,
    /// Disabled (disability recorded or group d).
    pub disabled: Option<bool>,
    /// Orphan of both parents (group a or both parents recorded dead).
    pub orphan: Option<bool>,
    /// Born after this date (i.e. younger than an age).
    pub born_after: Option<NaiveDate>,
    /// Born on or before this date (i.e. at least an age).
    pub born_on_or_before: Option<NaiveDate>,
    /// The date group memberships are judged on (default: no date check).
    pub on_date: Option<NaiveDate>,
}

/// A page of results.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return.
    pub limit: u32,
}

impl Default for Page {
    fn default() -> Self {
        Self {
            offset: 0,
            limit: 50,
        }
    }
}

/// Above this many matches a search is "broad" (see `Store::broad`).
const SELECTIVE_LIMIT: i64 = 1000;

/// The FTS5 query for a search text: every folded word as a prefix, all required.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = fold(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" AND "))
}

/// The folded words a child is found by: names (child and carers), village, personal id.
fn search_text(data: &ChildData) -> (String, String, String) {
    let mut names = fold(&data.full_name);
    for c in &data.carers {
        names.push(' ');
        names.push_str(&fold(&c.full_name));
    }
    let village = fold(&data.village);
    let pid = data.personal_id.clone().unwrap_or_default();
    let all = [names.as_str(), village.as_str(), pid.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    (names, village, all)
}

fn flags(data: &ChildData) -> (bool, bool) {
    let in_group = |g: Group| data.special_circumstances.iter().any(|s| s.group == g);
    let dead = |r| data.carers.iter().any(|c| c.relation == r && c.deceased);
    use bvte_domain::child::CarerRelation as R;
    let disabled = data.disability.is_some() || in_group(Group::D);
    let orphan = in_group(Group::A) || (dead(R::Father) && dead(R::Mother));
    (disabled, orphan)
}

/// Writes the row, its group memberships and its search entry (replacing old ones).
pub(crate) fn write_row(
    tx: &Transaction<'_>,
    id: ChildId,
    data: &ChildData,
    created_at: Instant,
    updated_at: Instant,
) -> Result<()> {
    let (disabled, orphan) = flags(data);
    let (names, village, all_words) = search_text(data);
    let json = serde_json::to_string(data)?;
    let values = params![
        id.to_string(),
        data.full_name,
        collation_key(&data.full_name),
        data.birth_date().map(|d| d.to_string()),
        data.sex.code(),
        data.residence_status.code(),
        data.commune_code,
        data.village,
        fold(&data.village),
        data.personal_id,
        fold(&data.full_name),
        all_words,
        data.at_risk,
        disabled,
        orphan,
        json,
        created_at.to_rfc3339(),
        updated_at.to_rfc3339(),
    ];
    let rowid: i64 = tx.query_row(
        "INSERT INTO children (id, full_name, sort_key, birth_date, sex, residence_status,
             commune_code, village, folded_village, personal_id, folded_name, search_text, at_risk,
             disabled, orphan, data, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
         ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name,
             sort_key = excluded.sort_key, birth_date = excluded.birth_date, sex = excluded.sex,
             residence_status = excluded.residence_status, commune_code = excluded.commune_code,
             village = excluded.village, folded_village = excluded.folded_village,
             personal_id = excluded.personal_id, folded_name = excluded.folded_name,
             search_text = excluded.search_text,
             at_risk = excluded.at_risk, disabled = excluded.disabled, orphan = excluded.orphan,
             data = excluded.data, updated_at = excluded.updated_at
         RETURNING rowid",
        values,
        |r| r.get(0),
    )?;
    tx.execute(
        "DELETE FROM child_groups WHERE child_id = ?1",
        [id.to_string()],
    )?;
    let mut g = tx.prepare_cached(
        "INSERT INTO child_groups (child_id, grp, subgroup, since, until) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for s in &data.special_circumstances {
        g.execute(params![
            id.to_string(),
            s.group.code(),
            s.subgroup,
            s.since.map(|d| d.to_string()),
            s.until.map(|d| d.to_string())
        ])?;
    }
    tx.execute("DELETE FROM children_fts WHERE rowid = ?1", [rowid])?;
    tx.execute(
        "INSERT INTO children_fts (rowid, names, village, personal_id) VALUES (?1, ?2, ?3, ?4)",
        params![
            rowid,
            names,
            village,
            data.personal_id.clone().unwrap_or_default()
        ],
    )?;
    Ok(())
}

/// Fails with `NotFound` unless the child is in the register (a deleted child is not).
pub(crate) fn require_child(tx: &Transaction<'_>, id: ChildId) -> Result<()> {
    let exists: Option<i64> = tx
        .query_row(
            "SELECT 1 FROM children WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    match exists {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound {
            what: "trẻ em",
            id: id.to_string(),
        }),
    }
}

/// A child from its stored `(id, data, created_at, updated_at)` (in the register or deleted).
pub(crate) fn parse_child_row(
    path: &std::path::Path,
    (id, data, created, updated): (String, String, String, String),
) -> Result<Child> {
    let bad = |what: &str| StoreError::Corrupt {
        path: path.to_path_buf(),
        reason: format!("bản ghi trẻ em: {what} không hợp lệ"),
    };
    Ok(Child {
        id: id.parse().map_err(|_| bad("id"))?,
        data: serde_json::from_str(&data)?,
        created_at: created.parse().map_err(|_| bad("created_at"))?,
        updated_at: updated.parse().map_err(|_| bad("updated_at"))?,
    })
}

/// Replaces `old`'s content with `data` inside `tx`, logging the fields that changed (nothing
/// when none did).
pub(crate) fn replace_in(
    tx: &Transaction<'_>,
    device: bvte_protocol::DeviceId,
    w: &WriteCtx,
    old: &Child,
    data: &ChildData,
) -> Result<Child> {
    let changes = changed_fields(&to_fields(&old.data)?, &to_fields(data)?);
    if changes.is_empty() {
        return Ok(old.clone());
    }
    write_row(tx, old.id, data, old.created_at, w.now)?;
    record_change(
        tx,
        device,
        w,
        Entity::Child,
        old.id.0,
        ChangeKind::UpsertFields,
        changes,
    )?;
    Ok(Child {
        id: old.id,
        data: data.clone(),
        created_at: old.created_at,
        updated_at: w.now,
    })
}

/// One child, read inside `tx`.
pub(crate) fn child_in(tx: &Transaction<'_>, path: &std::path::Path, id: ChildId) -> Result<Child> {
    let row = tx
        .query_row(
            "SELECT id, data, created_at, updated_at FROM children WHERE id = ?1",
            [id.to_string()],
            row_to_child,
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "trẻ em",
            id: id.to_string(),
        })?;
    parse_child_row(path, row)
}

fn row_to_child(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

impl Store {
    fn parse_child(&self, row: (String, String, String, String)) -> Result<Child> {
        parse_child_row(&self.path, row)
    }

    /// Adds a child (already validated by `bvte-domain`).
    pub fn insert_child(&mut self, data: &ChildData, w: &WriteCtx) -> Result<Child> {
        let id = self.insert_children(std::slice::from_ref(data), w)?[0];
        Ok(Child {
            id,
            data: data.clone(),
            created_at: w.now,
            updated_at: w.now,
        })
    }

    /// Adds many children in one transaction (imports, demo data): all or none.
    pub fn insert_children(&mut self, data: &[ChildData], w: &WriteCtx) -> Result<Vec<ChildId>> {
        let device = self.installation.device_id;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut ids = Vec::with_capacity(data.len());
        for d in data {
            let id = ChildId::generate();
            write_row(&tx, id, d, w.now, w.now)?;
            record_change(
                &tx,
                device,
                w,
                Entity::Child,
                id.0,
                ChangeKind::UpsertFields,
                to_fields(d)?,
            )?;
            ids.push(id);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// Replaces a child's content; only the fields that changed go to the change log. Returns
    /// the record as stored (unchanged when nothing differs).
    pub fn update_child(&mut self, id: ChildId, data: &ChildData, w: &WriteCtx) -> Result<Child> {
        let device = self.installation.device_id;
        let old = self.child(id)?;
        let changes = changed_fields(&to_fields(&old.data)?, &to_fields(data)?);
        if changes.is_empty() {
            return Ok(old);
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let child = replace_in(&tx, device, w, &old, data)?;
        tx.commit()?;
        Ok(child)
    }

    /// One child.
    pub fn child(&self, id: ChildId) -> Result<Child> {
        let row = self
            .conn
            .query_row(
                "SELECT id, data, created_at, updated_at FROM children WHERE id = ?1",
                [id.to_string()],
                row_to_child,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "trẻ em",
                id: id.to_string(),
            })?;
        self.parse_child(row)
    }

    /// Whether a search matches many children: then the list is read in name order and each
    /// row checked against the words (stops after one page); otherwise the search index gives
    /// the few matching rows, which are then sorted.
    fn broad(&self, fts: &str) -> Result<bool> {
        let n: i64 = self.conn.prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM children_fts WHERE children_fts MATCH ?1 LIMIT ?2)",
        )?
        .query_row(params![fts, SELECTIVE_LIMIT + 1], |r| r.get(0))?;
        Ok(n > SELECTIVE_LIMIT)
    }

    fn filter_sql(&self, filter: &ChildFilter) -> Result<(String, Vec<SqlValue>)> {
        let mut wheres: Vec<String> = Vec::new();
        let mut args: Vec<SqlValue> = Vec::new();
        if let Some(text) = filter.query.as_deref()
            && let Some(fts) = fts_query(text)
        {
            if self.broad(&fts)? {
                for word in fold(text).split(' ').filter(|w| !w.is_empty()).take(8) {
                    wheres.push("(' ' || c.search_text) LIKE ?".into());
                    args.push(format!("% {word}%").into());
                }
            } else {
                wheres.push(
                    "c.rowid IN (SELECT rowid FROM children_fts WHERE children_fts MATCH ?)".into(),
                );
                args.push(fts.into());
            }
        }
        if let Some(g) = filter.group {
            let mut cond =
                String::from("c.id IN (SELECT g.child_id FROM child_groups g WHERE g.grp = ?");
            args.push(g.code().to_string().into());
            if let Some(d) = filter.on_date {
                cond.push_str(
                    " AND (g.since IS NULL OR g.since <= ?) AND (g.until IS NULL OR g.until >= ?)",
                );
                args.push(d.to_string().into());
                args.push(d.to_string().into());
            }
            cond.push(')');
            wheres.push(cond);
        }
        if let Some(r) = filter.residence {
            wheres.push("c.residence_status = ?".into());
            args.push(r.code().to_string().into());
        }
        if let Some(v) = &filter.village {
            wheres.push("c.folded_village = ?".into());
            args.push(fold(v).into());
        }
        for (col, v) in [
            ("at_risk", filter.at_risk),
            ("disabled", filter.disabled),
            ("orphan", filter.orphan),
        ] {
            if let Some(b) = v {
                wheres.push(format!("c.{col} = ?"));
                args.push(SqlValue::Integer(i64::from(b)));
            }
        }
        if let Some(d) = filter.born_after {
            wheres.push("c.birth_date > ?".into());
            args.push(d.to_string().into());
        }
        if let Some(d) = filter.born_on_or_before {
            wheres.push("c.birth_date <= ?".into());
            args.push(d.to_string().into());
        }
        let where_sql = if wheres.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", wheres.join(" AND "))
        };
        Ok((format!("FROM children c{where_sql}"), args))
    }

    /// Children matching `filter`, in Vietnamese name order, one page.
    pub fn list_children(&self, filter: &ChildFilter, page: Page) -> Result<Vec<Child>> {
        let (from, mut args) = self.filter_sql(filter)?;
        args.push(SqlValue::Integer(i64::from(page.limit)));
        args.push(SqlValue::Integer(i64::from(page.offset)));
        let sql = format!(
            "SELECT c.id, c.data, c.created_at, c.updated_at {from} ORDER BY c.sort_key, c.id LIMIT ? OFFSET ?"
        );
        let mut q = self.conn.prepare_cached(&sql)?;
        let rows = q.query_map(params_from_iter(args), row_to_child)?;
        rows.map(|r| self.parse_child(r?)).collect()
    }

    /// How many children match `filter`.
    pub fn count_children(&self, filter: &ChildFilter) -> Result<u64> {
        let only_query = ChildFilter {
            query: filter.query.clone(),
            ..Default::default()
        };
        if let (Some(fts), true) = (
            filter.query.as_deref().and_then(fts_query),
            format!("{filter:?}") == format!("{only_query:?}"),
        ) {
            // Counting the index's matches is much cheaper than checking every row.
            let n: i64 = self
                .conn
                .prepare_cached("SELECT count(*) FROM children_fts WHERE children_fts MATCH ?1")?
                .query_row([fts], |r| r.get(0))?;
            return Ok(n as u64);
        }
        let (from, args) = self.filter_sql(filter)?;
        let sql = format!("SELECT count(*) {from}");
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(args), |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Children that may be the same person as `data`: the same personal id, or the same
    /// folded name and birth date.
    pub fn possible_duplicates(
        &self,
        data: &ChildData,
        except: Option<ChildId>,
    ) -> Result<Vec<Child>> {
        let mut q = self.conn.prepare_cached(
            "SELECT id, data, created_at, updated_at FROM children
             WHERE ((?1 IS NOT NULL AND personal_id = ?1) OR (folded_name = ?2 AND birth_date = ?3))
               AND id IS NOT ?4
             ORDER BY sort_key LIMIT 20",
        )?;
        let rows = q.query_map(
            params![
                data.personal_id,
                fold(&data.full_name),
                data.birth_date().map(|d| d.to_string()),
                except.map(|i| i.to_string())
            ],
            row_to_child,
        )?;
        rows.map(|r| self.parse_child(r?)).collect()
    }
}
