//! `bvte audit verify | list | record` (issue 14).

use crate::cli::{AuditCommand, Cli};
use crate::exit::{CmdResult, Failure};
use crate::io::{local, open, print_json};
use bvte_core::audit::AuditFilter;
use bvte_core::error::parse_id;
use bvte_domain::codes::Code;
use bvte_store::AuditAction;
use serde_json::json;

/// `bvte audit …`.
pub fn run(cli: &Cli, c: &AuditCommand) -> CmdResult {
    let session = open(cli)?;
    match c {
        AuditCommand::Verify(o) => {
            let check = session.verify_audit()?;
            if o.json {
                print_json(&json!({
                    "intact": check.first_broken.is_none(), "entries": check.entries,
                    "first_broken": check.first_broken.as_ref().map(|(seq, why)| json!({"seq": seq, "reason": why})),
                }));
            }
            match check.first_broken {
                None => {
                    if !o.json {
                        crate::outln!(
                            "Nhật ký truy cập nguyên vẹn: {} mục, không mục nào bị sửa, xóa hay đổi chỗ.",
                            check.entries
                        );
                    }
                    Ok(())
                }
                Some((seq, why)) => Err(bvte_store::StoreError::Corrupt {
                    path: session.store.path().to_path_buf(),
                    reason: format!(
                        "nhật ký truy cập bị can thiệp từ mục số {seq}: {why}; {} mục trước đó nguyên vẹn",
                        check.entries
                    ),
                }
                .into()),
            }
        }
        AuditCommand::List {
            after,
            limit,
            action,
            out,
        } => {
            let action = match action {
                None => None,
                Some(a) => Some(action_of(a).ok_or_else(|| Failure::Usage {
                    vi: format!(
                        "Không có loại việc “{a}”. Chọn một trong: {}.",
                        AuditAction::ALL.iter().map(|a| a.code()).collect::<Vec<_>>().join(", ")
                    ),
                    en: format!("No action \"{a}\"."),
                })?),
            };
            let entries = session.audit_trail(*after, *limit, action)?;
            if out.json {
                print_json(&entries);
            } else {
                for e in &entries {
                    let label = action_of(&e.action)
                        .map(|a| a.label_vi())
                        .unwrap_or(&e.action);
                    crate::outln!(
                        "{:>6}  {}  {}  {} [{}]  {}  {}",
                        e.seq,
                        local(&e.at),
                        who(&e.actor, &e.account),
                        label,
                        e.origin,
                        e.target,
                        e.detail
                    );
                }
            }
            Ok(())
        }
        AuditCommand::Record {
            child,
            case,
            limit,
            action,
            out,
        } => {
            let filter = AuditFilter {
                child: child
                    .as_deref()
                    .map(|c| parse_id("trẻ em", c))
                    .transpose()?,
                case: case
                    .as_deref()
                    .map(|c| parse_id("vụ việc", c))
                    .transpose()?,
                limit: Some(*limit),
                action: action.clone(),
                before: None,
            };
            let page = session.audit_page(&filter)?;
            if out.json {
                print_json(&page.rows);
            } else if page.rows.is_empty() {
                crate::outln!("Không có mục nào về hồ sơ này trong nhật ký.");
            } else {
                for r in &page.rows {
                    let records: Vec<String> = r
                        .records
                        .iter()
                        .map(|x| format!("{}:{}", x.kind, x.id))
                        .collect();
                    crate::outln!(
                        "{:>6}  {}  {}  {} [{}]  {}  {}",
                        r.seq,
                        local(&r.at),
                        who(&r.actor, &r.account),
                        r.action_vi,
                        r.origin,
                        records.join(" "),
                        r.detail
                    );
                }
            }
            Ok(())
        }
    }
}

/// The officer and, when another, the account signed in.
fn who(actor: &str, account: &str) -> String {
    if account.is_empty() || account == actor {
        actor.to_string()
    } else {
        format!("{actor} (tài khoản {account})")
    }
}

fn action_of(code: &str) -> Option<AuditAction> {
    AuditAction::ALL.iter().copied().find(|a| a.code() == code)
}
