//! Secrets given to `bvte`: the recovery code and a new passphrase. Typed as a flag's value they
//! land in the process list (`ps`, readable by every account) and in the shell history (issue 10
//! item 11), so they are read from the environment or standard input; the flags keep working,
//! with a warning in Vietnamese and English that never repeats the secret.

use crate::cli::Cli;
use crate::exit::Failure;
use clap::ArgMatches;
use clap::parser::ValueSource;
use std::io::IsTerminal;

/// A flag that carries a secret, and what to use instead.
struct SecretFlag {
    /// clap's id of the argument.
    id: &'static str,
    vi: &'static str,
    en: &'static str,
}

const SECRET_FLAGS: &[SecretFlag] = &[
    SecretFlag {
        id: "recovery_code",
        vi: "mã khôi phục gõ trên dòng lệnh (--recovery-code) có thể bị người khác xem qua danh sách tiến trình (ps) và lịch sử lệnh. Lần sau hãy đặt biến môi trường BVTE_RECOVERY_CODE, hoặc dùng --recovery-code - để nhập từ bàn phím/stdin.",
        en: "a recovery code given with --recovery-code shows in the process list (ps) and the shell history; set BVTE_RECOVERY_CODE or use --recovery-code - (standard input) instead.",
    },
    SecretFlag {
        id: "new_passphrase",
        vi: "mật khẩu mới gõ trên dòng lệnh (--new-passphrase) có thể bị người khác xem qua danh sách tiến trình (ps) và lịch sử lệnh. Lần sau hãy đặt biến môi trường BVTE_NEW_PASSPHRASE, hoặc bỏ tùy chọn này để được hỏi.",
        en: "a passphrase given with --new-passphrase shows in the process list (ps) and the shell history; set BVTE_NEW_PASSPHRASE or leave it out to be asked instead.",
    },
];

/// Whether `id` was typed on the command line with a value other than `-`, at this level or in
/// a subcommand.
fn typed(m: &ArgMatches, id: &str) -> bool {
    // `try_get_raw` first: it answers an id unknown at this level with an error, not a panic.
    let here = match m.try_get_raw(id) {
        Ok(Some(mut values)) => {
            values.all(|v| v != "-") && m.value_source(id) == Some(ValueSource::CommandLine)
        }
        _ => false,
    };
    here || m.subcommand().is_some_and(|(_, sub)| typed(sub, id))
}

/// Prints a warning on standard error for every secret typed as a flag's value.
pub fn warn_typed(matches: &ArgMatches) {
    for s in SECRET_FLAGS.iter().filter(|s| typed(matches, s.id)) {
        eprintln!("Cảnh báo: {}", s.vi);
        eprintln!("Warning: {}", s.en);
    }
}

/// The recovery code: `--recovery-code CODE` or `BVTE_RECOVERY_CODE`; `-` reads one line from
/// standard input (asked without echo on a terminal). `None` when not given.
pub fn recovery_code(cli: &Cli) -> Result<Option<String>, Failure> {
    match cli.recovery_code.as_deref() {
        None => Ok(None),
        Some("-") => read_line("Mã khôi phục [recovery code]: ").map(Some),
        Some(code) => Ok(Some(code.to_owned())),
    }
}

fn read_line(prompt: &str) -> Result<String, Failure> {
    let unreadable = || {
        Failure::Usage {
        vi: "Không đọc được mã khôi phục từ bàn phím/stdin: hãy gõ hoặc chuyển mã vào (một dòng), hoặc đặt biến môi trường BVTE_RECOVERY_CODE.".into(),
        en: "Cannot read the recovery code from standard input: type or pipe it (one line), or set BVTE_RECOVERY_CODE.".into(),
    }
    };
    let line = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(prompt).map_err(|_| unreadable())?
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|_| unreadable())?;
        line
    };
    let line = line.trim().to_owned();
    if line.is_empty() {
        return Err(unreadable());
    }
    Ok(line)
}
