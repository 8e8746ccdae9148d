//! `bvte init | demo | export | info | passwd | calendar | commune`.

use crate::cli::{
    CalendarCommand, Cli, CommuneArgs, DemoArgs, ExportArgs, InfoArgs, InitArgs, PasswdArgs,
};
use crate::exit::{CmdResult, Failure};
use crate::io::{db_path, dmy, open, passphrase, print_json};
use bvte_core::lockout::Moment;
use bvte_core::session::check_passphrase;
use bvte_core::{Session, app};
use bvte_domain::codes::Code;
use bvte_domain::reference::calendar as cal;
use bvte_domain::time::parse_date;
use bvte_store::{KdfParams, Origin, RecoveryCode, Store, Unlock};
use serde_json::json;

fn officer(cli: &Cli) -> String {
    cli.officer.clone().unwrap_or_default()
}

fn print_recovery(code: &RecoveryCode) {
    crate::outln!();
    crate::outln!("  MÃ KHÔI PHỤC [recovery code]:");
    crate::outln!();
    crate::outln!("      {}", code.display());
    crate::outln!();
    crate::outln!("  Hãy in hoặc chép mã này ra giấy và cất ở nơi an toàn, tách khỏi máy tính.");
    crate::outln!("  Nếu quên mật khẩu, chỉ mã này mở được dữ liệu. Mã chỉ hiện một lần.");
    crate::outln!();
}

/// `bvte init`.
pub fn init(cli: &Cli, a: &InitArgs) -> CmdResult {
    let path = db_path(cli)?;
    // Check the commune first so a typo is reported before the passphrase is asked.
    let commune = bvte_domain::reference::units().require_current("commune", &a.commune)?;
    if path.exists() {
        return Err(bvte_store::StoreError::AlreadyExists(path).into());
    }
    let pass = passphrase(true)?;
    check_passphrase(&pass)?;
    let (session, code) = Session::init_as(
        &path,
        crate::io::account(cli),
        &pass,
        &commune.code,
        &officer(cli),
        KdfParams::default(),
        bvte_core::now(),
    )?;
    let inst = session.store.installation();
    if a.out.json {
        print_json(&json!({
            "db": path, "commune": commune, "device_id": inst.device_id,
            "recovery_code": code.display(), "schema_version": inst.schema_version
        }));
    } else {
        crate::outln!(
            "Đã tạo cơ sở dữ liệu mã hóa cho {} tại {}.",
            commune.full_name(),
            path.display()
        );
        print_recovery(&code);
    }
    Ok(())
}

/// `bvte demo`.
pub fn demo(cli: &Cli, a: &DemoArgs) -> CmdResult {
    let path = db_path(cli)?;
    let now = bvte_core::now();
    let mut recovery = None;
    let mut session = if path.exists() {
        open(cli)?
    } else {
        let commune = bvte_domain::reference::units().require_current("commune", &a.commune)?;
        let pass = passphrase(true)?;
        let (s, code) = Session::init(
            &path,
            &pass,
            &commune.code,
            &officer(cli),
            KdfParams::default(),
            now,
        )?;
        recovery = Some(code);
        s
    };
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message("Đang tạo dữ liệu mẫu");
    let summary = session.generate_demo(a.children, a.seed, now, |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    if a.out.json {
        print_json(&json!({
            "db": path, "summary": summary,
            "recovery_code": recovery.as_ref().map(RecoveryCode::display)
        }));
    } else {
        crate::outln!(
            "Đã tạo {} trẻ em và {} vụ việc mẫu trong {}.",
            summary.children,
            summary.cases,
            path.display()
        );
        for (stage, n) in &summary.cases_by_stage {
            let label = bvte_domain::workflow::Stage::from_code(stage)
                .map(|s| s.label_vi())
                .unwrap_or(stage);
            crate::outln!("  {label}: {n}");
        }
        if let Some(code) = &recovery {
            print_recovery(code);
        }
    }
    Ok(())
}

/// `bvte export`: to standard output, or with `--out FILE` into a file only its owner can read
/// (a shell redirection `>` would create it under the umask, often readable by all).
pub fn export(cli: &Cli, a: &ExportArgs) -> CmdResult {
    let s = open(cli)?;
    let doc = s.export(bvte_core::now())?;
    let text = if a.out.json {
        serde_json::to_string(&doc)
    } else {
        serde_json::to_string_pretty(&doc)
    }
    .expect("serialises");
    match &a.file {
        None => crate::outln!("{text}"),
        Some(file) => {
            crate::io::write_private(file, &text)?;
            if a.out.json {
                print_json(&json!({
                    "out": file, "children": doc.children.len(), "cases": doc.cases.len()
                }));
            } else {
                crate::outln!(
                    "Đã xuất {} trẻ em và {} vụ việc ra tệp {} (chỉ chủ tài khoản đọc được).",
                    doc.children.len(),
                    doc.cases.len(),
                    file.display()
                );
            }
        }
    }
    Ok(())
}

/// `bvte info`.
pub fn info(cli: &Cli, a: &InfoArgs) -> CmdResult {
    let o = &a.out;
    let s = open(cli)?;
    let problems = if a.check {
        Some(s.store.integrity_problems()?)
    } else {
        None
    };
    let inst = s.store.installation();
    let commune = s.commune()?;
    let children = s.store.count_children(&Default::default())?;
    let cases = s.store.cases(None)?.len();
    let (cipher, sqlite) = s.store.engine_versions()?;
    if o.json {
        print_json(&json!({
            "db": s.store.path(), "commune": commune, "device_id": inst.device_id,
            "created_at": inst.created_at, "schema_version": inst.schema_version,
            "officer": s.author(), "children": children, "cases": cases,
            "sqlcipher": cipher, "sqlite": sqlite,
            "integrity": problems.as_ref().map(|p| if p.is_empty() { "ok" } else { "damaged" }),
            "integrity_problems": problems,
        }));
    } else {
        crate::outln!("Cơ sở dữ liệu: {}", s.store.path().display());
        crate::outln!("Xã/phường:     {} ({})", commune.full_name(), commune.code);
        crate::outln!("Cán bộ:        {}", s.author());
        crate::outln!("Trẻ em:        {children}");
        crate::outln!("Vụ việc:       {cases}");
        crate::outln!(
            "Lược đồ:       {} (SQLCipher {cipher}, SQLite {sqlite})",
            inst.schema_version
        );
        match &problems {
            Some(p) if p.is_empty() => crate::outln!("Toàn vẹn:      tốt (mọi trang đã kiểm tra)"),
            Some(p) => {
                crate::outln!(
                    "Toàn vẹn:      HỎNG ({} lỗi). Hãy khôi phục từ bản sao lưu.",
                    p.len()
                );
                for line in p.iter().take(10) {
                    crate::outln!("  {line}");
                }
            }
            None => {}
        }
    }
    if problems.is_some_and(|p| !p.is_empty()) {
        return Err(bvte_store::StoreError::Corrupt {
            path: s.store.path().to_path_buf(),
            reason: "kiểm tra toàn vẹn không đạt".into(),
        }
        .into());
    }
    Ok(())
}

/// `bvte passwd`: with the passphrase, or with the recovery code (which is then replaced by a
/// new one, shown once). Both under the lock-out policy.
pub fn passwd(cli: &Cli, a: &PasswdArgs) -> CmdResult {
    let path = db_path(cli)?;
    if !path.is_file() {
        return Err(bvte_store::StoreError::NoDatabase(path).into());
    }
    match crate::secrets::recovery_code(cli)? {
        Some(typed) => {
            let code = RecoveryCode::parse(&typed);
            // Check the code before asking for the new passphrase.
            drop(app::open(
                &path,
                Unlock::Recovery(&code),
                Origin::Cli,
                &Moment::now(),
            )?);
            let new = new_passphrase(a.new_passphrase.as_deref())?;
            check_passphrase(&new)?;
            let fresh = Store::recover(&path, &code, crate::io::account(cli), &new)?;
            crate::outln!(
                "Đã đổi mật khẩu. Mã khôi phục vừa dùng đã được thay: mã khôi phục cũ không còn dùng được."
            );
            print_recovery(&fresh);
        }
        None => {
            app::check_wait(&path, &Moment::now())?;
            let old = passphrase(false)?;
            drop(app::open(
                &path,
                crate::io::by_passphrase(cli, &old),
                Origin::Cli,
                &Moment::now(),
            )?);
            let new = new_passphrase(a.new_passphrase.as_deref())?;
            check_passphrase(&new)?;
            Store::change_passphrase(&path, crate::io::by_passphrase(cli, &old), &new)?;
            crate::outln!("Đã đổi mật khẩu. Mã khôi phục vẫn như cũ.");
        }
    }
    Ok(())
}

/// The new passphrase: `--new-passphrase` or `BVTE_NEW_PASSPHRASE`, else asked twice.
pub fn new_passphrase(given: Option<&str>) -> Result<String, Failure> {
    if let Some(p) = given {
        return Ok(p.to_owned());
    }
    let p1 = rpassword::prompt_password("Mật khẩu mới [new passphrase]: ").map_err(|_| Failure::Usage {
        vi: "Không đọc được mật khẩu mới: đặt BVTE_NEW_PASSPHRASE hoặc chạy trong cửa sổ dòng lệnh.".into(),
        en: "Cannot read the new passphrase: set BVTE_NEW_PASSPHRASE or use a terminal.".into(),
    })?;
    let p2 = rpassword::prompt_password("Nhập lại [again]: ").unwrap_or_default();
    if p1 != p2 {
        return Err(Failure::Usage {
            vi: "Hai lần nhập mật khẩu mới không khớp.".into(),
            en: "The two new passphrases differ.".into(),
        });
    }
    Ok(p1)
}

/// `bvte calendar …`.
pub fn calendar(c: &CalendarCommand) -> CmdResult {
    match c {
        CalendarCommand::AddWorkingDays { date, n, out } => {
            let d = parse_date("date", date)?;
            let r = cal().checked_add_working_days(d, *n).ok_or_else(|| {
                bvte_domain::ValidationError::OutOfRange {
                    field: "working_days".into(),
                    min: 0,
                    max: bvte_domain::calendar::MAX_WORKING_DAYS.into(),
                    value: (*n).into(),
                }
            })?;
            if out.json {
                print_json(&json!({"from": d, "working_days": n, "date": r, "display": dmy(r)}));
            } else {
                crate::outln!("{}", dmy(r));
            }
        }
        CalendarCommand::IsWorkingDay { date, out } => {
            let d = parse_date("date", date)?;
            let working = cal().is_working_day(d);
            let reason = match cal().special(d) {
                Some(s) if s.status == bvte_domain::calendar::DayStatus::Unconfirmed => format!(
                    "{} — {} ({})",
                    s.kind.label_vi(),
                    s.name_vi,
                    s.status.label_vi()
                ),
                Some(s) => format!("{} — {}", s.kind.label_vi(), s.name_vi),
                None if working => "Ngày làm việc".to_string(),
                None => "Nghỉ cuối tuần".to_string(),
            };
            if out.json {
                print_json(&json!({"date": d, "working_day": working, "reason": reason}));
            } else {
                crate::outln!(
                    "{}: {} ({reason})",
                    dmy(d),
                    if working {
                        "ngày làm việc"
                    } else {
                        "ngày nghỉ"
                    }
                );
            }
        }
    }
    Ok(())
}

/// `bvte commune`.
pub fn commune(a: &CommuneArgs) -> CmdResult {
    let units = bvte_domain::reference::units();
    let mut hits: Vec<serde_json::Value> = Vec::new();
    if let bvte_domain::units::CommuneLookup::Merged {
        old, successors, ..
    } = units.lookup(&a.query)
    {
        for s in successors {
            hits.push(json!({"code": s.code, "name": s.name, "province": s.province_name,
                "note": format!("mã cũ {} ({}, {}) đã sáp nhập vào đây", old.code, old.name, old.district_name)}));
        }
    }
    for c in units.search(&a.query, a.limit) {
        hits.push(json!({"code": c.code, "name": c.name, "province": c.province_name}));
    }
    if a.out.json {
        print_json(&hits);
    } else {
        for h in &hits {
            crate::outln!(
                "{}  {}, {}  {}",
                h["code"].as_str().unwrap_or(""),
                h["name"].as_str().unwrap_or(""),
                h["province"].as_str().unwrap_or(""),
                h["note"].as_str().unwrap_or("")
            );
        }
    }
    Ok(())
}
