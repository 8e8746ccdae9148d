//! Counts for the overview, each in one grouped query, and a record's history from the change
//! log.

use crate::Store;
use crate::error::Result;
use bvte_protocol::Entity;
use chrono::NaiveDate;
use rusqlite::params;

/// How many children there are, in total and by the breakdowns the commune reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterCounts {
    /// All children in the register.
    pub total: u64,
    /// By residence status code.
    pub by_residence: Vec<(String, u64)>,
    /// By special-circumstance group code (memberships in force on the date asked).
    pub by_group: Vec<(String, u64)>,
    /// With a disability recorded or in group d.
    pub disabled: u64,
    /// Orphans of both parents.
    pub orphans: u64,
    /// At risk of falling into special circumstances.
    pub at_risk: u64,
}

/// One change to a record, for its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// When (RFC 3339).
    pub recorded_at: String,
    /// Who.
    pub author: String,
    /// From where (`ui`, `cli`, `sync`…).
    pub origin: String,
    /// Which fields changed.
    pub fields: Vec<String>,
}

impl Store {
    /// The register's counts, with group memberships judged on `on_date`.
    pub fn register_counts(&self, on_date: NaiveDate) -> Result<RegisterCounts> {
        let (total, disabled, orphans, at_risk): (i64, i64, i64, i64) = self.conn.query_row(
            "SELECT count(*), COALESCE(sum(disabled), 0), COALESCE(sum(orphan), 0), COALESCE(sum(at_risk), 0)
             FROM children",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let pairs = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Result<Vec<(String, u64)>> {
            let mut q = self.conn.prepare_cached(sql)?;
            let rows = q.query_map(args, |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let by_residence = pairs(
            "SELECT residence_status, count(*) FROM children GROUP BY residence_status",
            &[],
        )?;
        let d = on_date.to_string();
        let by_group = pairs(
            "SELECT grp, count(DISTINCT child_id) FROM child_groups
             WHERE (since IS NULL OR since <= ?1) AND (until IS NULL OR until >= ?1)
             GROUP BY grp",
            &[&d],
        )?;
        Ok(RegisterCounts {
            total: total as u64,
            by_residence,
            by_group,
            disabled: disabled as u64,
            orphans: orphans as u64,
            at_risk: at_risk as u64,
        })
    }

    /// The villages in the register, in order.
    pub fn villages(&self) -> Result<Vec<String>> {
        let mut q = self.conn.prepare_cached(
            "SELECT village FROM children WHERE village <> '' GROUP BY folded_village ORDER BY folded_village",
        )?;
        let rows = q.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The changes made to a record, newest first, each with the fields it changed. A field
    /// set for the first time to nothing (an empty text or list, `null`, `false`: what a new
    /// record's form sends for every field left blank) is no change and is not listed; a value
    /// cleared later is.
    pub fn history(&self, entity: Entity, id: uuid::Uuid) -> Result<Vec<HistoryEntry>> {
        let mut q = self.conn.prepare_cached(
            "SELECT recorded_at, author, origin, fields, base_hlc FROM change_log
             WHERE entity = ?1 AND entity_id = ?2 ORDER BY local_seq DESC",
        )?;
        let rows = q.query_map(params![entity.code(), id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (recorded_at, author, origin, fields, base) = row?;
            let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&fields)?;
            let base: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&base).unwrap_or_default();
            out.push(HistoryEntry {
                recorded_at,
                author,
                origin,
                fields: fields
                    .iter()
                    .filter(|(k, v)| base.contains_key(*k) || !blank(v))
                    .map(|(k, _)| k.clone())
                    .collect(),
            });
        }
        Ok(out)
    }
}

/// A value that says nothing: what a form stores for a field left blank.
fn blank(v: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match v {
        V::Null | V::Bool(false) => true,
        V::String(s) => s.is_empty(),
        V::Array(a) => a.is_empty(),
        V::Object(o) => o.is_empty(),
        V::Number(_) | V::Bool(true) => false,
    }
}
