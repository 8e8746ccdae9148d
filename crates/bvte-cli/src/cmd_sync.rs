//! `bvte enroll`, `bvte sync`, `bvte conflict`: the device side of sync with the district server.

use crate::cli::{Cli, ConflictCommand, EnrollArgs, SyncArgs};
use crate::exit::CmdResult;
use crate::io::{local, open, print_json};
use bvte_core::sync::{SyncProgress, enroll as do_enroll, sync_now};
use serde_json::json;

/// This computer's name, as a default device name.
fn host_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "BVTE".into())
}

/// `bvte enroll`.
pub fn enroll(cli: &Cli, a: &EnrollArgs) -> CmdResult {
    let mut s = open(cli)?;
    let name = a.name.clone().unwrap_or_else(host_name);
    let e = do_enroll(
        &mut s,
        &a.server,
        &a.code,
        &a.fingerprint,
        &name,
        bvte_core::now(),
    )?;
    if a.out.json {
        print_json(&e);
    } else {
        crate::outln!(
            "Đã đăng ký với máy chủ {} cho xã {}. Chạy `bvte sync` để đồng bộ.",
            e.server_url,
            e.commune_code
        );
        if let Some(w) = bvte_core::sync::clock_warning(e.clock_offset_ms) {
            eprintln!("Cảnh báo: {w}");
        }
    }
    Ok(())
}

/// `bvte sync`.
pub fn sync(cli: &Cli, a: &SyncArgs) -> CmdResult {
    let mut s = open(cli)?;
    if a.status {
        let st = s.store.sync_status()?;
        let refusals = s.store.refusals()?;
        if a.out.json {
            let mut v = serde_json::to_value(&st).unwrap_or_default();
            v["refusals"] = serde_json::to_value(&refusals).unwrap_or_default();
            print_json(&v);
        } else {
            crate::outln!(
                "Máy chủ:            {}",
                st.server_url.as_deref().unwrap_or("(chưa đăng ký)")
            );
            if let Some(area) = &st.area_name {
                crate::outln!("Địa bàn máy chủ:    {area}");
            }
            crate::outln!("Chưa gửi:           {} thay đổi", st.pending);
            crate::outln!(
                "Lần đồng bộ được:   {}",
                st.last_success_at
                    .as_deref()
                    .map(local)
                    .unwrap_or("chưa có".into())
            );
            if let Some(e) = &st.last_error {
                crate::outln!("Lỗi lần gần nhất:   {e}");
            }
            crate::outln!("Xung đột chờ xử lý: {}", st.open_conflicts);
            for r in &refusals {
                crate::outln!("Máy chủ không nhận: {}", r.message);
            }
            if st.held > 0 {
                crate::outln!("Thay đổi để riêng:  {} (chưa áp dụng được)", st.held);
            }
            if let Some(w) = bvte_core::sync::update_warning(st.newer_format) {
                crate::outln!("{w}");
            }
        }
        return Ok(());
    }
    let quiet = a.out.json;
    let mut progress = |p: SyncProgress| {
        if quiet {
            return;
        }
        match p {
            SyncProgress::Pushing { done, total } => eprint!("\rĐang gửi: {done}/{total}   "),
            SyncProgress::Pulling { done } => eprint!("\rĐang nhận: {done}   "),
        }
    };
    let r = sync_now(&mut s, &bvte_core::now, &mut progress)?;
    if quiet {
        print_json(&r);
    } else {
        eprintln!();
        crate::outln!(
            "Đã gửi {} và nhận {} thay đổi; còn {} chưa gửi; {} xung đột mới.",
            r.pushed,
            r.pulled,
            r.pending,
            r.conflicts
        );
        if let Some(w) = &r.clock_warning {
            eprintln!("Cảnh báo: {w}");
        }
        if r.refused > 0 {
            eprintln!(
                "Cảnh báo: máy chủ không nhận {} thay đổi; xem lý do bằng `bvte sync --status`.",
                r.refused
            );
        }
        if let Some(w) = bvte_core::sync::update_warning(r.newer_format) {
            eprintln!("Cảnh báo: {w}");
        }
    }
    Ok(())
}

/// `bvte conflict`.
pub fn conflict(cli: &Cli, c: &ConflictCommand) -> CmdResult {
    let mut s = open(cli)?;
    match c {
        ConflictCommand::List(o) => {
            let list = s.store.open_conflicts()?;
            if o.json {
                print_json(&list);
            } else if list.is_empty() {
                crate::outln!("Không có xung đột nào.");
            } else {
                for c in list {
                    if c.field == bvte_store::deletion::RECORD {
                        crate::outln!(
                            "#{} {} {}: {} xóa hồ sơ ({}, lý do: {}) nhưng hồ sơ có thay đổi mới ({}, {}) hoặc có vụ việc — kept: giữ hồ sơ, other: vẫn xóa",
                            c.id,
                            c.entity,
                            c.entity_id,
                            c.other.author,
                            local(&c.other.at),
                            c.other.value["reason"].as_str().unwrap_or_default(),
                            c.kept.author,
                            local(&c.kept.at)
                        );
                        continue;
                    }
                    crate::outln!(
                        "#{} {} {} «{}»: đang dùng {} ({}, {}) — giá trị kia {} ({}, {})",
                        c.id,
                        c.entity,
                        c.entity_id,
                        c.field,
                        c.kept.value,
                        c.kept.author,
                        local(&c.kept.at),
                        c.other.value,
                        c.other.author,
                        local(&c.other.at)
                    );
                }
            }
        }
        ConflictCommand::Resolve { id, take, out } => {
            use bvte_core::sync_view::ConflictChoice;
            let take = match take.as_str() {
                "other" => ConflictChoice::Other,
                _ => ConflictChoice::Kept, // clap accepts only "kept" and "other"
            };
            s.resolve_conflict(*id, take, bvte_core::now())?;
            if out.json {
                print_json(&json!({"resolved": id}));
            } else {
                crate::outln!("Đã giải quyết xung đột #{id}.");
            }
        }
    }
    Ok(())
}
