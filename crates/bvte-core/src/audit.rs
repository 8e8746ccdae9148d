//! The audit trail as the use cases write it (issue 14): views of a child's record or a case,
//! prints, exports, backups, restores and sign-ins, entered with the officer, the origin, the
//! time and record ids only (`bvte-store` enters every change itself, in the change's
//! transaction, and keeps the chain).

use crate::Session;
use crate::error::CoreError;
use bvte_domain::{CaseId, Instant};
use bvte_store::{AuditAction, AuditCheck, AuditEntry};

impl Session {
    /// Enters what the officer saw or did.
    pub(crate) fn note(
        &self,
        now: Instant,
        action: AuditAction,
        target: &str,
        detail: &str,
    ) -> Result<(), CoreError> {
        Ok(self
            .store
            .audit(&self.write_ctx(now), action, target, detail)?)
    }

    /// Enters that a form was printed, saved or opened (`how`: `print`, `save`, `open`,
    /// `file`).
    pub fn note_print(
        &self,
        case: Option<CaseId>,
        form: &str,
        how: &str,
        now: Instant,
    ) -> Result<(), CoreError> {
        let target = match case {
            Some(id) => format!("case:{id}"),
            None => "blank".into(),
        };
        self.note(
            now,
            AuditAction::Print,
            &target,
            &format!("Mẫu {form} ({how})"),
        )
    }

    /// The trail after entry `after`, oldest first (at most `limit`), only `action` when given.
    pub fn audit_trail(
        &self,
        after: i64,
        limit: u32,
        action: Option<AuditAction>,
    ) -> Result<Vec<AuditEntry>, CoreError> {
        Ok(self.store.audit_entries(after, limit, action)?)
    }

    /// Checks the whole chain.
    pub fn verify_audit(&self) -> Result<AuditCheck, CoreError> {
        Ok(self.store.verify_audit()?)
    }
}
