//! `bvte backup | restore` (issue 14).

use crate::cli::{BackupArgs, Cli, RestoreArgs};
use crate::exit::{CmdResult, Failure};
use crate::io::{db_path, local, open, passphrase, print_json};
use bvte_core::backup::{self, RestorePlan};
use bvte_core::lockout::Moment;
use bvte_core::{Session, app};
use bvte_store::children::ChildFilter;
use bvte_store::{BackupInfo, Origin, RecoveryCode, Unlock};
use serde_json::json;

/// `bvte backup`.
pub fn backup(cli: &Cli, a: &BackupArgs) -> CmdResult {
    let session = open(cli)?;
    let now = bvte_core::now();
    let file = match (&a.out, &a.folder) {
        (Some(out), _) => {
            session.backup(out, now)?;
            out.clone()
        }
        (None, Some(folder)) => session.backup_to_folder(folder, a.keep.into(), now)?,
        // clap requires one of them.
        (None, None) => unreachable!("--out or --folder"),
    };
    let info = bvte_store::backup::read_info(&file)?;
    if a.out_format.json {
        print_json(&json!({ "file": file, "backup": info }));
    } else {
        crate::outln!(
            "Đã sao lưu sổ của xã {} ({} MB) vào {}.",
            info.commune_code,
            mb(info.db_bytes),
            file.display()
        );
        crate::outln!(
            "Tệp được mã hóa; mở lại bằng mật khẩu hiện tại hoặc mã khôi phục. Hãy cất tệp ở nơi khác máy tính này (ví dụ USB)."
        );
    }
    Ok(())
}

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_048_576.0).replace('.', ",")
}

/// The secret the officer gave: the recovery code when `--recovery-code` is used, else the
/// passphrase.
enum Secret {
    Pass(String),
    Code(RecoveryCode),
}

impl Secret {
    /// The passphrase of `--account`, or of whichever account it is (a backup restored on a
    /// new PC: nobody chose an account yet).
    fn unlock<'a>(&'a self, cli: &'a Cli) -> Unlock<'a> {
        match (self, crate::io::account(cli)) {
            (Secret::Pass(p), Some(name)) => Unlock::Account(name, p),
            (Secret::Pass(p), None) => Unlock::AnyPassphrase(p),
            (Secret::Code(c), _) => Unlock::Recovery(c),
        }
    }
}

fn print_plan(plan: &RestorePlan) {
    let b: &BackupInfo = &plan.backup;
    crate::outln!("Bản sao lưu [backup]:");
    crate::outln!("  Xã (mã) [commune]:        {}", b.commune_code);
    crate::outln!("  Lúc sao lưu [taken at]:   {}", local(&b.taken_at));
    crate::outln!("  Phiên bản BVTE [version]: {}", b.bvte_version);
    crate::outln!("  Dung lượng [size]:        {} MB", mb(b.db_bytes));
    if b.unsent_changes > 0 {
        crate::outln!(
            "  Lúc sao lưu còn {} thay đổi chưa gửi lên máy chủ.",
            b.unsent_changes
        );
    }
    if let Some(r) = &plan.replaces {
        crate::outln!(
            "Sẽ thay cơ sở dữ liệu đang có ({} trẻ em). Cơ sở dữ liệu cũ được giữ lại bên cạnh, không bị xóa.",
            r.children
        );
        if r.unsent_changes > 0 {
            crate::outln!(
                "Cảnh báo: cơ sở dữ liệu đang có còn {} thay đổi chưa gửi lên máy chủ; sau khi khôi phục chúng chỉ còn trong bản cũ được giữ lại. Nên đồng bộ trước (bvte sync).",
                r.unsent_changes
            );
        }
    }
}

/// `bvte restore`.
pub fn restore(cli: &Cli, a: &RestoreArgs) -> CmdResult {
    let to = db_path(cli)?;
    // The header first: a file that is not a backup is said before any passphrase is asked.
    backup::plan_restore(&a.from, None)?;
    let secret = match crate::secrets::recovery_code(cli)? {
        Some(code) => Secret::Code(RecoveryCode::parse(&code)),
        None => Secret::Pass(passphrase(false)?),
    };
    let current = if to.exists() {
        app::check_wait(&to, &Moment::now())?;
        Some(app::open(
            &to,
            secret.unlock(cli),
            Origin::Cli,
            &Moment::now(),
        )?)
    } else {
        None
    };
    let plan = backup::plan_restore(&a.from, current.as_ref())?;
    if plan.replaces.is_some() && !a.yes {
        if !a.out.json {
            print_plan(&plan);
        }
        return Err(Failure::Usage {
            vi: format!(
                "Chưa khôi phục: đã có cơ sở dữ liệu tại {}. Xem lại thông tin ở trên rồi chạy lại lệnh với --yes để thay; bản cũ được giữ lại bên cạnh.",
                to.display()
            ),
            en: format!(
                "Not restored: there is a database at {}. Check the details above and run again with --yes to replace it; the old one is kept beside it.",
                to.display()
            ),
        });
    }
    drop(current);
    let (info, kept) = backup::restore(&a.from, &to, secret.unlock(cli), bvte_core::now())?;
    // Opening migrates a backup made by an older BVTE forward and proves it opens.
    let session = Session::open(&to, secret.unlock(cli), Origin::Cli)?;
    session.note_restore(&info, bvte_core::now())?;
    let children = session.store.count_children(&ChildFilter::default())?;
    if a.out.json {
        print_json(&json!({
            "db": to, "backup": info, "kept": kept, "children": children,
            "replaced": plan.replaces,
        }));
    } else {
        print_plan(&plan);
        crate::outln!(
            "Đã khôi phục sổ của xã {} tại {}: {} trẻ em.",
            info.commune_code,
            to.display(),
            children
        );
        if let Some(k) = kept {
            crate::outln!("Cơ sở dữ liệu cũ được giữ tại {}.", k.display());
        }
        crate::outln!(
            "Hãy đồng bộ (bvte sync) để lấy lại từ máy chủ những thay đổi đã gửi sau lúc sao lưu."
        );
    }
    Ok(())
}
