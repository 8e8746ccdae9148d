//! `bvte update check`, `bvte update from-folder`: app updates from the area server or an
//! update folder (USB), checked before they are offered (`bvte_core::update`). Nothing is
//! installed here: the command says where the checked package is and how IT installs it.

use crate::cli::{Cli, UpdateArgs, UpdateCommand};
use crate::exit::CmdResult;
use crate::io::{db_path, open, print_json};
use bvte_core::update::{UpdateOffer, check_update, from_folder};

/// `bvte update …`.
pub fn run(cli: &Cli, c: &UpdateCommand) -> CmdResult {
    match c {
        UpdateCommand::Check(a) => check(cli, a),
        UpdateCommand::FromFolder { dir, args } => folder(cli, dir, args),
    }
}

fn target(a: &UpdateArgs) -> String {
    a.target.clone().unwrap_or_else(bvte_update::this_target)
}

fn check(cli: &Cli, a: &UpdateArgs) -> CmdResult {
    let mut s = open(cli)?;
    let r = check_update(&std::cell::RefCell::new(&mut s), &target(a))?;
    if a.out.json {
        print_json(&r);
        return Ok(());
    }
    match &r.offer {
        None => crate::outln!(
            "Máy đang dùng bản mới nhất ({}); máy chủ không có bản nào mới hơn.",
            r.current
        ),
        Some(o) => show(o, &r.current),
    }
    Ok(())
}

fn folder(cli: &Cli, dir: &std::path::Path, a: &UpdateArgs) -> CmdResult {
    let db = db_path(cli)?;
    let o = from_folder(dir, &db, &target(a))?;
    if a.out.json {
        print_json(&o);
    } else {
        show(&o, &bvte_update::current().to_string());
    }
    Ok(())
}

fn show(o: &UpdateOffer, current: &str) {
    crate::outln!(
        "Có bản cập nhật {} (ngày {}; đang dùng {current}). Chữ ký đã được kiểm tra.",
        o.version,
        o.date
    );
    if !o.notes.is_empty() {
        crate::outln!("Nội dung: {}", o.notes);
    }
    crate::outln!("Gói đã kiểm tra: {}", o.package);
    crate::outln!(
        "Sao lưu sổ trước (`bvte backup`), đóng BVTE, rồi cán bộ tin học cài: {}",
        install_hint(o)
    );
}

/// How IT installs the package (docs/updates.md).
fn install_hint(o: &UpdateOffer) -> String {
    if o.file.ends_with(".deb") {
        format!("sudo apt install {}", o.package)
    } else if o.file.ends_with(".rpm") {
        format!("sudo dnf install {}", o.package)
    } else {
        format!("chạy {}", o.package)
    }
}
