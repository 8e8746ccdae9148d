//! Reading input (JSON documents, the passphrase) and writing output.

use crate::cli::{CaseCommand, ChildCommand, Cli, Command};
use crate::exit::Failure;
use bvte_core::app;
use bvte_core::lockout::Moment;
use bvte_core::{CoreError, Session};
use bvte_store::{Origin, RecoveryCode, Unlock};
use std::io::Read;
use std::path::PathBuf;

/// Largest JSON document accepted (a child or a step is a few kilobytes; free-text fields are
/// limited to 20,000 characters each).
pub const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024;

/// Whether the command prints JSON.
pub fn wants_json(c: &Command) -> bool {
    match c {
        Command::Init(a) => a.out.json,
        Command::Demo(a) => a.out.json,
        Command::Export(a) => a.out.json,
        Command::Info(a) => a.out.json,
        // The report goes to stdout or a file; errors stay on stderr only.
        Command::Report(_) => false,
        Command::Commune(a) => a.out.json,
        Command::Print(a) => a.output.json,
        Command::Passwd(_) => false,
        Command::Backup(a) => a.out_format.json,
        Command::Restore(a) => a.out.json,
        Command::Account(c) => match c {
            crate::cli::AccountCommand::List(o)
            | crate::cli::AccountCommand::Add { out: o, .. }
            | crate::cli::AccountCommand::Remove { out: o, .. }
            | crate::cli::AccountCommand::Passphrase { out: o, .. } => o.json,
        },
        Command::Audit(c) => match c {
            crate::cli::AuditCommand::Verify(o)
            | crate::cli::AuditCommand::List { out: o, .. }
            | crate::cli::AuditCommand::Record { out: o, .. } => o.json,
        },
        Command::Enroll(a) => a.out.json,
        Command::Sync(a) => a.out.json,
        Command::Import(a) => match &a.action {
            None => a.out.json,
            Some(crate::cli::ImportAction::History(o)) => o.json,
            Some(crate::cli::ImportAction::Undo { out, .. }) => out.json,
        },
        Command::Update(c) => match c {
            crate::cli::UpdateCommand::Check(a)
            | crate::cli::UpdateCommand::FromFolder { args: a, .. } => a.out.json,
        },
        Command::Conflict(c) => match c {
            crate::cli::ConflictCommand::List(o) => o.json,
            crate::cli::ConflictCommand::Resolve { out, .. } => out.json,
        },
        Command::Calendar(c) => match c {
            crate::cli::CalendarCommand::AddWorkingDays { out, .. }
            | crate::cli::CalendarCommand::IsWorkingDay { out, .. } => out.json,
        },
        Command::Child(c) => match c {
            ChildCommand::Add(_) | ChildCommand::Update { .. } => true,
            ChildCommand::Show { out, .. }
            | ChildCommand::Search { out, .. }
            | ChildCommand::Delete { out, .. }
            | ChildCommand::Restore { out, .. }
            | ChildCommand::Deleted(out) => out.json,
            ChildCommand::List(a) => a.out.json,
        },
        Command::Case(c) => match c {
            CaseCommand::Open(_) | CaseCommand::Step { .. } => true,
            CaseCommand::Show { out, .. } | CaseCommand::List(out) => out.json,
        },
    }
}

/// Writes `text` and a final line break into `file`, readable by its owner only (it may hold
/// names); a failure says which file and what to do.
pub fn write_private(file: &std::path::Path, text: &str) -> Result<(), Failure> {
    bvte_store::private::write(file, format!("{text}\n").as_bytes()).map_err(|e| Failure::Usage {
        vi: format!(
            "Không ghi được tệp “{}”: {e}. Hãy chọn một thư mục có quyền ghi.",
            file.display()
        ),
        en: format!(
            "Cannot write \"{}\": {e}. Choose a writable folder.",
            file.display()
        ),
    })
}

fn usage(vi: &str, en: &str) -> Failure {
    Failure::Usage {
        vi: vi.to_string(),
        en: en.to_string(),
    }
}

/// The `--db` path, required.
pub fn db_path(cli: &Cli) -> Result<PathBuf, Failure> {
    cli.db.clone().ok_or_else(|| {
        usage(
            "Thiếu --db PATH: hãy cho biết tệp cơ sở dữ liệu của xã.",
            "Missing --db PATH: name the commune's database file.",
        )
    })
}

/// Reads a JSON document from a file or `-` (stdin), at most [`MAX_INPUT_BYTES`]. A UTF-8 byte
/// order mark (Windows Notepad writes one) is ignored.
pub fn read_json(source: &str) -> Result<serde_json::Value, Failure> {
    let mut buf = Vec::new();
    let n = if source == "-" {
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
    } else {
        std::fs::File::open(source).and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf))
    }
    .map_err(|e| {
        usage(
            &format!("Không đọc được dữ liệu vào từ “{source}”: {e}."),
            &format!("Cannot read input from \"{source}\": {e}."),
        )
    })?;
    if n as u64 > MAX_INPUT_BYTES {
        return Err(Failure::Core(CoreError::InputTooLarge {
            max_mib: MAX_INPUT_BYTES >> 20,
        }));
    }
    let text = String::from_utf8(buf).map_err(|_| Failure::Core(CoreError::NotUtf8))?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        let detail = msg.split(" at line ").next().unwrap_or(&msg);
        Failure::Core(CoreError::BadJson {
            line: Some(e.line()),
            column: Some(e.column()),
            detail: bvte_domain::text::truncate_detail(detail),
        })
    })
}

/// The passphrase: `BVTE_PASSPHRASE`, else asked on the terminal (twice when `confirm`).
pub fn passphrase(confirm: bool) -> Result<String, Failure> {
    if let Ok(p) = std::env::var("BVTE_PASSPHRASE") {
        return Ok(p);
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt).map_err(|_| {
            usage(
                "Không có mật khẩu: hãy đặt biến môi trường BVTE_PASSPHRASE, hoặc chạy lệnh trong cửa sổ dòng lệnh để nhập.",
                "No passphrase: set BVTE_PASSPHRASE or run in a terminal to type it.",
            )
        })
    };
    let p = ask("Mật khẩu [passphrase]: ")?;
    if confirm && ask("Nhập lại mật khẩu [again]: ")? != p {
        return Err(usage(
            "Hai lần nhập mật khẩu không khớp. Hãy chạy lại lệnh.",
            "The two passphrases differ; run the command again.",
        ));
    }
    Ok(p)
}

/// The account named by `--account` / `BVTE_ACCOUNT`, if any.
pub fn account(cli: &Cli) -> Option<&str> {
    cli.account
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
}

/// What a typed passphrase unlocks: the account named by `--account`, or the only account.
pub fn by_passphrase<'a>(cli: &'a Cli, pass: &'a str) -> Unlock<'a> {
    match account(cli) {
        Some(name) => Unlock::Account(name, pass),
        None => Unlock::Passphrase(pass),
    }
}

/// Opens the session named by `--db`, with the recovery code when given, else the passphrase,
/// under the lock-out policy that the desktop app follows (`bvte_core::app::open`): after five
/// wrong passphrases in a row the next attempt waits, said before the passphrase is asked.
pub fn open(cli: &Cli) -> Result<Session, Failure> {
    let path = db_path(cli)?;
    if !path.is_file() {
        return Err(bvte_store::StoreError::NoDatabase(path).into());
    }
    let mut session = match crate::secrets::recovery_code(cli)? {
        Some(code) => app::open(
            &path,
            Unlock::Recovery(&RecoveryCode::parse(&code)),
            Origin::Cli,
            &Moment::now(),
        )?,
        None => {
            app::check_wait(&path, &Moment::now())?;
            let pass = passphrase(false)?;
            // Read the clocks again: typing the passphrase takes time.
            app::open(
                &path,
                by_passphrase(cli, &pass),
                Origin::Cli,
                &Moment::now(),
            )?
        }
    };
    if let Some(o) = &cli.officer {
        session.set_author(o)?;
    }
    Ok(session)
}

/// Writes one line to standard output. A closed pipe (`bvte … | head`) ends the program
/// quietly instead of panicking.
pub fn emit(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{args}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("Lỗi: không ghi được kết quả ra màn hình/tệp: {e}");
        std::process::exit(1);
    }
}

/// `println!` that survives a closed pipe.
#[macro_export]
macro_rules! outln {
    () => {
        $crate::io::emit(format_args!(""))
    };
    ($($t:tt)*) => {
        $crate::io::emit(format_args!($($t)*))
    };
}

/// Prints a value as one line of JSON.
pub fn print_json<T: serde::Serialize>(v: &T) {
    emit(format_args!(
        "{}",
        serde_json::to_string(v).expect("output serialises")
    ));
}

/// A date as dd/mm/yyyy.
pub fn dmy(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// An RFC 3339 time as "dd/mm/yyyy HH:MM" (Vietnam time).
pub fn local(s: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| bvte_domain::time::format_local(t.with_timezone(&chrono::Utc)))
        .unwrap_or_else(|_| s.to_string())
}
