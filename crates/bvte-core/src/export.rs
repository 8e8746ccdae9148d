//! Export of the register as JSON: every child and every case with its derived stage and
//! steps. The reporter of a case is confidential and is never exported.

use crate::error::CoreError;
use crate::session::Session;
use crate::view::CaseView;
use bvte_domain::Instant;
use bvte_domain::child::Child;
use bvte_store::children::{ChildFilter, Page};
use serde::Serialize;

/// The export document (`bvte export --json`; shape in `docs/json.md`).
#[derive(Debug, Serialize)]
pub struct Export {
    /// Format name and version.
    pub format: &'static str,
    /// The commune.
    pub commune_code: String,
    /// When exported (Vietnam time).
    pub exported_at: String,
    /// Children in Vietnamese name order.
    pub children: Vec<Child>,
    /// Cases, the most recently received first.
    pub cases: Vec<CaseView>,
}

impl Session {
    /// The whole register.
    pub fn export(&self, now: Instant) -> Result<Export, CoreError> {
        self.require(crate::access::Action::Export)?;
        let children = self.all_children()?;
        self.note(
            now,
            bvte_store::AuditAction::Export,
            "register",
            &format!("{} trẻ em", children.len()),
        )?;
        let names: std::collections::HashMap<_, _> = children
            .iter()
            .map(|c| (c.id, c.data.full_name.clone()))
            .collect();
        let mut events = self.store.all_case_events()?;
        let own = self.store.installation().commune_code.clone();
        let cases = self
            .store
            .cases(None)?
            .into_iter()
            .map(|case| {
                let name = names.get(&case.data.child_id).cloned().unwrap_or_default();
                let ev = events.remove(&case.id).unwrap_or_default();
                CaseView::build(&case, &name, &ev, &own, now)
            })
            .collect();
        Ok(Export {
            format: "bvte-export-v1",
            commune_code: self.store.installation().commune_code.clone(),
            exported_at: bvte_domain::time::to_rfc3339_local(now),
            children,
            cases,
        })
    }

    /// Every child in the register (deleted records are not listed by the store), read a page
    /// at a time, in Vietnamese name order.
    pub(crate) fn all_children(&self) -> Result<Vec<Child>, CoreError> {
        let mut children = Vec::new();
        let page_size = 1000;
        loop {
            let page = self.store.list_children(
                &ChildFilter::default(),
                Page {
                    offset: children.len() as u32,
                    limit: page_size,
                },
            )?;
            let n = page.len();
            children.extend(page);
            if n < page_size as usize {
                return Ok(children);
            }
        }
    }
}
