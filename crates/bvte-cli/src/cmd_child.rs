//! `bvte child …`.

use crate::cli::{ChildCommand, Cli, ListArgs};
use crate::exit::{CmdResult, Failure};
use crate::io::{dmy, open, print_json, read_json};
use bvte_core::children::ListFilter;
use bvte_core::error::{parse_id, parse_json};
use bvte_domain::child::{Child, ChildInput, ResidenceStatus};
use bvte_domain::codes::Code;
use bvte_domain::groups::Group;
use bvte_domain::time::local_date;
use bvte_store::children::{ChildFilter, Page};
use serde_json::json;

/// Runs a child command.
pub fn run(cli: &Cli, cmd: &ChildCommand) -> CmdResult {
    let now = bvte_core::now();
    match cmd {
        ChildCommand::Add(input) => {
            let doc: ChildInput = parse_json(read_json(&input.source)?)?;
            let mut s = open(cli)?;
            let added = s.add_child(&doc, now)?;
            print_json(
                &json!({"id": added.child.id, "possible_duplicates": added.possible_duplicates}),
            );
        }
        ChildCommand::Update { id, input } => {
            let id = parse_id("trẻ em", id)?;
            let doc: ChildInput = parse_json(read_json(&input.source)?)?;
            let mut s = open(cli)?;
            let child = s.update_child(id, &doc, now)?;
            print_json(&json!({"id": child.id, "updated_at": child.updated_at}));
        }
        ChildCommand::Show { id, out } => {
            let id = parse_id("trẻ em", id)?;
            let s = open(cli)?;
            let child = s.show_child(id, now)?;
            if out.json {
                print_json(&child);
            } else {
                print_child(&child, local_date(now));
            }
        }
        ChildCommand::Search { query, limit, out } => {
            let s = open(cli)?;
            let found = s.search_children(query, *limit)?;
            print_list(&found, out.json, local_date(now));
        }
        ChildCommand::List(a) => {
            let filter = list_filter(a)?;
            let s = open(cli)?;
            if let Some(file) = &a.xlsx {
                let bytes = s.children_xlsx(&filter, now)?;
                crate::cmd_import::write_file(file, &bytes)?;
                let total = s
                    .list_children(
                        &filter,
                        Page {
                            offset: 0,
                            limit: 1,
                        },
                        now,
                    )?
                    .1;
                if a.out.json {
                    print_json(&json!({"file": file, "children": total}));
                } else {
                    crate::outln!("Đã ghi danh sách {total} trẻ em ra tệp {}.", file.display());
                }
                return Ok(());
            }
            let (page, total) = s.list_children(
                &filter,
                Page {
                    offset: a.offset,
                    limit: a.limit,
                },
                now,
            )?;
            if a.out.json {
                print_json(&page);
            } else {
                print_list(&page, false, local_date(now));
                crate::outln!("({} / {total} trẻ em)", page.len());
            }
        }
        ChildCommand::Delete { id, reason, out } => {
            let id = parse_id("trẻ em", id)?;
            let mut s = open(cli)?;
            s.delete_child(id, reason, now)?;
            if out.json {
                print_json(&json!({"id": id, "deleted": true}));
            } else {
                crate::outln!("Đã xóa hồ sơ {id}. Khôi phục: bvte child restore {id}");
            }
        }
        ChildCommand::Restore { id, out } => {
            let id = parse_id("trẻ em", id)?;
            let mut s = open(cli)?;
            s.restore_child(id, now)?;
            if out.json {
                print_json(&json!({"id": id, "deleted": false}));
            } else {
                crate::outln!("Đã khôi phục hồ sơ {id}.");
            }
        }
        ChildCommand::Deleted(out) => {
            let s = open(cli)?;
            let list = s.deleted_children()?;
            if out.json {
                print_json(&list);
            } else if list.is_empty() {
                crate::outln!("Không có hồ sơ nào đã xóa.");
            } else {
                for d in list {
                    crate::outln!(
                        "{}  {}  xóa lúc {} bởi {} — lý do: {}",
                        d.id,
                        d.full_name,
                        crate::io::local(&d.deleted_at),
                        d.deleted_by,
                        d.reason
                    );
                }
            }
        }
    }
    Ok(())
}

fn list_filter(a: &ListArgs) -> Result<ListFilter, Failure> {
    let group = a
        .group
        .as_deref()
        .map(|g| Group::parse_code("group", g))
        .transpose()?;
    let residence = a
        .residence
        .as_deref()
        .map(|r| ResidenceStatus::parse("residence_status", r))
        .transpose()?;
    let flag = |b: bool| b.then_some(true);
    Ok(ListFilter {
        base: ChildFilter {
            group,
            residence,
            village: a.village.clone(),
            at_risk: flag(a.at_risk),
            disabled: flag(a.disabled),
            orphan: flag(a.orphan),
            ..Default::default()
        },
        age_min: a.age_min,
        age_max: a.age_max,
    })
}

fn print_list(children: &[Child], json: bool, today: chrono::NaiveDate) {
    if json {
        print_json(&children);
        return;
    }
    for c in children {
        let d = &c.data;
        let born = d.date_of_birth.map(dmy).unwrap_or_else(|| {
            d.age_on(today)
                .map(|a| format!("~{a} tuổi"))
                .unwrap_or_default()
        });
        crate::outln!(
            "{}  {:<32} {:<10} {:<8} {}",
            c.id,
            d.full_name,
            born,
            d.residence_status.label_vi(),
            d.village
        );
    }
}

fn print_child(c: &Child, today: chrono::NaiveDate) {
    let d = &c.data;
    let line = |k: &str, v: &str| crate::outln!("{k:<26} {v}");
    line("Mã hồ sơ", &c.id.to_string());
    line("Họ và tên", &d.full_name);
    line(
        "Ngày sinh",
        &match (d.date_of_birth, &d.estimated_age) {
            (Some(dob), _) => dmy(dob),
            (None, Some(e)) => format!("khoảng {} tuổi (tính đến ngày {})", e.years, dmy(e.as_of)),
            _ => String::new(),
        },
    );
    if let Some(age) = d.age_on(today) {
        line("Tuổi", &age.to_string());
    }
    line("Giới tính", d.sex.label_vi());
    if let Some(e) = &d.ethnicity {
        let name = bvte_domain::reference::ethnic_groups()
            .get(&e.code)
            .map(|g| g.name.as_str())
            .unwrap_or("");
        line("Dân tộc", &format!("{name} ({} {})", e.system, e.code));
    }
    line("Mã định danh", d.personal_id.as_deref().unwrap_or("—"));
    line("Cư trú", d.residence_status.label_vi());
    let commune = bvte_domain::reference::units().require_current("commune_code", &d.commune_code);
    line(
        "Xã/phường",
        &commune
            .map(|c| c.full_name())
            .unwrap_or_else(|_| d.commune_code.clone()),
    );
    line("Thôn/tổ dân phố", &d.village);
    for k in &d.carers {
        let mut v = k.full_name.clone();
        if let Some(y) = k.birth_year {
            v.push_str(&format!(", sinh {y}"));
        }
        if !k.occupation.is_empty() {
            v.push_str(&format!(", {}", k.occupation));
        }
        if k.deceased {
            v.push_str(" (đã mất)");
        }
        line(k.relation.label_vi(), &v);
    }
    for g in &d.special_circumstances {
        let sub = g
            .subgroup
            .and_then(|n| g.group.subgroups().iter().find(|s| s.0 == n))
            .map(|s| format!(" — {}", s.1))
            .unwrap_or_default();
        let since = g
            .since
            .map(|s| format!(" (từ {})", dmy(s)))
            .unwrap_or_default();
        line(
            &format!("Nhóm {}", g.group.code()),
            &format!("{}{sub}{since}", g.group.label_vi()),
        );
    }
    line("Có nguy cơ", if d.at_risk { "Có" } else { "Không" });
    if let Some(dis) = &d.disability {
        line(
            "Khuyết tật",
            &format!("{} {}", dis.level.label_vi(), dis.note),
        );
    }
    if let Some(s) = &d.schooling {
        line(
            "Học tập",
            format!("{} {} {}", s.status.label_vi(), s.school, s.grade).trim(),
        );
    }
    if !d.notes.is_empty() {
        line("Ghi chú", &d.notes);
    }
}
