//! The audit trail (issue 14): who saw or did what, when — record ids only, never names.
//! Append-only and hash-chained: each entry's `hash` is the SHA-256 of the previous entry's hash
//! and of its own fields, so [`Store::verify_audit`] finds the first entry that was edited,
//! removed or moved. Every change this installation makes is entered in the same transaction
//! as the change itself (`write::record_change`); views, prints, exports, backups, restores and
//! sign-ins are entered by the use cases that do them (`bvte-core`).

use crate::Store;
use crate::error::Result;
use crate::write::{Origin, WriteCtx};
use bvte_domain::codes::Code;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

bvte_domain::code_enum!(
    /// What an audit entry records.
    AuditAction {
        /// A child's record was shown.
        ViewChild = ("view_child", "Xem hồ sơ trẻ em", "Viewed a child's record"),
        /// A case was shown.
        ViewCase = ("view_case", "Xem vụ việc", "Viewed a case"),
        /// A record was changed (added, edited, deleted, a step recorded).
        Change = ("change", "Thay đổi dữ liệu", "Changed a record"),
        /// A form was printed, saved or opened.
        Print = ("print", "In biểu mẫu", "Printed a form"),
        /// Records left the register in a file (export, report, list).
        Export = ("export", "Xuất dữ liệu", "Exported data"),
        /// A backup was taken.
        Backup = ("backup", "Sao lưu", "Backup"),
        /// The register was restored from a backup.
        Restore = ("restore", "Khôi phục", "Restore"),
        /// Signed in.
        SignIn = ("sign_in", "Đăng nhập", "Signed in"),
        /// Wrong passphrases before a sign-in.
        SignInFailed = ("sign_in_failed", "Đăng nhập sai", "Failed sign-in"),
        /// An account was added or removed, or its passphrase changed.
        Account = ("account", "Tài khoản", "Account"),
        /// An action the account's role does not allow was refused.
        Refused = ("refused", "Bị từ chối", "Refused"),
    }
);

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AuditEntry {
    /// Its number: 1, 2, 3… with no gap.
    pub seq: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who: the officer working.
    pub actor: String,
    /// The account signed in (empty for entries made before accounts).
    pub account: String,
    /// From where: `ui`, `cli`, `import`, `demo`.
    pub origin: String,
    /// What (an [`AuditAction`] code).
    pub action: String,
    /// On which records: `child:<id>`, `case:<id>`, `form:02 case:<id>`… never a name.
    pub target: String,
    /// More, without personal data (a count, a file's kind).
    pub detail: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// Which entries [`Store::audit_page`] returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only entries numbered below this one (the next page), or from the newest.
    pub before: Option<i64>,
    /// At most this many.
    pub limit: u32,
    /// Only this action.
    pub action: Option<AuditAction>,
    /// Only entries naming one of these records (`child:<id>`, `case:<id>`…); all when empty.
    pub records: Vec<String>,
}

fn row_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        origin: r.get(3)?,
        action: r.get(4)?,
        target: r.get(5)?,
        detail: r.get(6)?,
        prev_hash: r.get(7)?,
        hash: r.get(8)?,
        account: r.get(9)?,
    })
}

/// What [`Store::verify_audit`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditCheck {
    /// Entries read.
    pub entries: i64,
    /// The first entry that does not follow from the one before (its number), and why.
    pub first_broken: Option<(i64, String)>,
}

/// The previous hash of the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn digest(prev: &str, seq: i64, e: &AuditEntry) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &seq.to_string(),
        &e.at,
        &e.actor,
        &e.origin,
        &e.action,
        &e.target,
        &e.detail,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    // Covered only when set, so the entries made before accounts keep their hashes.
    if !e.account.is_empty() {
        h.update(b"account\0");
        h.update(e.account.as_bytes());
        h.update([0u8]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an entry inside the caller's transaction (or on the connection).
pub(crate) fn append(
    conn: &Connection,
    w: &WriteCtx,
    action: AuditAction,
    target: &str,
    detail: &str,
) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (prev_seq, prev) = last.unwrap_or((0, GENESIS.to_string()));
    let mut e = AuditEntry {
        seq: prev_seq + 1,
        at: w.now.to_rfc3339(),
        actor: w.author.clone(),
        account: w.account.clone(),
        origin: w.origin.code().to_string(),
        action: action.code().to_string(),
        target: target.to_string(),
        detail: detail.to_string(),
        prev_hash: prev,
        hash: String::new(),
    };
    e.hash = digest(&e.prev_hash, e.seq, &e);
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, actor, origin, action, target, detail, prev_hash, hash,
                                account)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        e.seq,
        e.at,
        e.actor,
        e.origin,
        e.action,
        e.target,
        e.detail,
        e.prev_hash,
        e.hash,
        e.account
    ])?;
    Ok(())
}

impl Store {
    /// Enters what the officer saw or did (`target`: record ids, never names).
    pub fn audit(
        &self,
        w: &WriteCtx,
        action: AuditAction,
        target: &str,
        detail: &str,
    ) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        append(&tx, w, action, target, detail)?;
        tx.commit()?;
        Ok(())
    }

    /// Entries after `after_seq`, oldest first, at most `limit`; only those of `action` when
    /// given.
    pub fn audit_entries(
        &self,
        after_seq: i64,
        limit: u32,
        action: Option<AuditAction>,
    ) -> Result<Vec<AuditEntry>> {
        let mut q = self.conn.prepare(
            "SELECT seq, at, actor, origin, action, target, detail, prev_hash, hash, account
             FROM audit_log WHERE seq > ?1 AND (?2 IS NULL OR action = ?2)
             ORDER BY seq LIMIT ?3",
        )?;
        let rows = q.query_map(
            params![after_seq, action.map(|a| a.code()), limit],
            row_entry,
        )?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// One page of the trail, newest first: entries before `q.before` (all when `None`), at
    /// most `q.limit`, only `q.action` when given, and only those naming one of `q.records`
    /// (`child:<id>`, `case:<id>`, `case_event:<id>`) when it is not empty.
    pub fn audit_page(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut sql = String::from(
            "SELECT seq, at, actor, origin, action, target, detail, prev_hash, hash, account
             FROM audit_log WHERE (?1 IS NULL OR seq < ?1) AND (?2 IS NULL OR action = ?2)",
        );
        let mut args: Vec<rusqlite::types::Value> = vec![
            q.before.map_or(rusqlite::types::Value::Null, Into::into),
            q.action.map_or(rusqlite::types::Value::Null, |a| {
                a.code().to_string().into()
            }),
        ];
        if !q.records.is_empty() {
            // A target is a list of record tokens separated by spaces ("form:02 case:<id>").
            let tests: Vec<String> = (0..q.records.len())
                .map(|i| format!("instr(' ' || target || ' ', ' ' || ?{} || ' ') > 0", i + 3))
                .collect();
            sql.push_str(&format!(" AND ({})", tests.join(" OR ")));
            args.extend(q.records.iter().map(|r| r.clone().into()));
        }
        sql.push_str(&format!(" ORDER BY seq DESC LIMIT {}", q.limit));
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), row_entry)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Walks the whole chain: every entry must follow the one before it (its number, its
    /// `prev_hash`) and hash to what it says.
    pub fn verify_audit(&self) -> Result<AuditCheck> {
        let mut after = 0;
        let mut prev = GENESIS.to_string();
        let mut expected = 1;
        loop {
            let page = self.audit_entries(after, 5000, None)?;
            let Some(last) = page.last() else {
                return Ok(AuditCheck {
                    entries: expected - 1,
                    first_broken: None,
                });
            };
            after = last.seq;
            for e in &page {
                let broken = if e.seq != expected {
                    Some(format!("thiếu mục số {expected} (mục bị xóa hoặc đổi chỗ)"))
                } else if e.prev_hash != prev {
                    Some("không nối với mục trước (mục trước bị sửa, xóa hoặc đổi chỗ)".into())
                } else if digest(&e.prev_hash, e.seq, e) != e.hash {
                    Some("nội dung bị sửa".into())
                } else {
                    None
                };
                if let Some(why) = broken {
                    return Ok(AuditCheck {
                        entries: expected - 1,
                        first_broken: Some((e.seq, why)),
                    });
                }
                prev = e.hash.clone();
                expected += 1;
            }
        }
    }

    /// Runs raw SQL on the database: for the audit tests, which tamper with the trail the way a
    /// person holding the key could. Never called by the app.
    #[doc(hidden)]
    pub fn debug_execute(&self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql)?;
        Ok(())
    }
}

/// Whether changes from `origin` are entered: not those received from the server (each is
/// entered on the device that made it).
pub(crate) fn entered(origin: Origin) -> bool {
    origin != Origin::Sync
}
