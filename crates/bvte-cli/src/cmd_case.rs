//! `bvte case …`.

use crate::cli::{CaseCommand, Cli};
use crate::exit::CmdResult;
use crate::io::{local, open, print_json, read_json};
use bvte_core::error::{parse_id, parse_json};
use bvte_core::view::CaseView;

/// Runs a case command.
pub fn run(cli: &Cli, cmd: &CaseCommand) -> CmdResult {
    let now = bvte_core::now();
    match cmd {
        CaseCommand::Open(input) => {
            let doc = parse_json(read_json(&input.source)?)?;
            let mut s = open(cli)?;
            let view = s.open_case(&doc, now)?;
            print_json(
                &serde_json::json!({"id": view.id, "stage": view.stage, "deadlines": view.deadlines}),
            );
        }
        CaseCommand::Step { case_id, input } => {
            let id = parse_id("vụ việc", case_id)?;
            let doc = parse_json(read_json(&input.source)?)?;
            let mut s = open(cli)?;
            let view = s.record_step(id, &doc, now)?;
            print_json(&serde_json::json!({
                "id": view.id, "stage": view.stage, "next_steps": view.next_steps, "deadlines": view.deadlines
            }));
        }
        CaseCommand::Show { case_id, out } => {
            let id = parse_id("vụ việc", case_id)?;
            let s = open(cli)?;
            let view = s.case_view(id, now)?;
            if out.json {
                print_json(&view);
            } else {
                print_case(&view);
            }
        }
        CaseCommand::List(out) => {
            let s = open(cli)?;
            let list = s.case_summaries(now)?;
            if out.json {
                print_json(&list);
            } else {
                for c in &list {
                    let due = c.next_due_at.as_deref().map(local).unwrap_or_default();
                    let flag = if c.overdue { "QUÁ HẠN" } else { "" };
                    crate::outln!(
                        "{}  {:<28} {:<45} {:<17} {flag}",
                        c.id,
                        c.child_name,
                        c.stage_label,
                        due
                    );
                }
            }
        }
    }
    Ok(())
}

fn print_case(v: &CaseView) {
    crate::outln!("Vụ việc {}", v.id);
    crate::outln!("Trẻ em:      {} ({})", v.child_name, v.child_id);
    crate::outln!("Tiếp nhận:   {}", local(&v.received_at));
    crate::outln!("Giai đoạn:   {}", v.stage_label);
    if !v.summary.is_empty() {
        crate::outln!("Tóm tắt:     {}", v.summary);
    }
    crate::outln!("\nCác bước đã thực hiện:");
    for s in &v.steps {
        crate::outln!("  {}  {}  ({})", local(&s.occurred_at), s.label, s.author);
    }
    crate::outln!("\nBước tiếp theo:");
    for n in &v.next_steps {
        let req = if n.required {
            "bắt buộc"
        } else {
            "có thể"
        };
        crate::outln!("  [{req}] {} ({})", n.label, n.step);
    }
    crate::outln!("\nThời hạn:");
    for d in &v.deadlines {
        let status = match d.status {
            "met" => "đã xong".to_string(),
            "met_late" => "xong nhưng QUÁ HẠN".to_string(),
            "overdue" => "QUÁ HẠN".to_string(),
            // Closing does not erase a missed duty (issue 15 item 4).
            "missed" => "KHÔNG THỰC HIỆN trong thời hạn (vụ việc đã kết thúc)".to_string(),
            // Guidance, not a legal limit: never "quá hạn" (issue 15 item 9).
            "past_guidance" => "quá mốc khuyến nghị (không phải thời hạn luật định)".to_string(),
            _ => "đang chạy".to_string(),
        };
        crate::outln!("  {} — hạn {} — {status}", d.label, local(&d.due_at));
        crate::outln!("      căn cứ: {}", d.legal_basis);
    }
}
