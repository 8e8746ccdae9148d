//! `bvte-server user add | list | remove`: the area dashboard's accounts (rules in
//! `crate::accounts`).

use crate::accounts::{self, Role};
use crate::cli::{Common, ListArgs};
use crate::clock::{now_ms, rfc3339};
use crate::commands::{CmdResult, open};
use crate::error::CliError;
use crate::storage::UserRow;
use serde_json::json;
use std::io::{BufRead, IsTerminal};

/// The environment variable that may hold the new account's password.
pub const PASSWORD_ENV: &str = "BVTE_USER_PASSWORD";

/// The new password: `BVTE_USER_PASSWORD`, else typed twice in a terminal, else the first line
/// of standard input.
fn read_password() -> Result<String, CliError> {
    if let Some(p) = std::env::var_os(PASSWORD_ENV).filter(|p| !p.is_empty()) {
        return p.into_string().map_err(|_| {
            CliError::input(
                "Mật khẩu trong BVTE_USER_PASSWORD không phải văn bản UTF-8.",
                "BVTE_USER_PASSWORD is not UTF-8 text",
            )
        });
    }
    let unreadable = || {
        CliError::input(
            "Không đọc được mật khẩu: hãy gõ vào đầu vào chuẩn hoặc đặt biến môi trường BVTE_USER_PASSWORD.",
            "cannot read the password: type it on standard input or set BVTE_USER_PASSWORD",
        )
    };
    if std::io::stdin().is_terminal() {
        let p = rpassword::prompt_password("Mật khẩu [password]: ").map_err(|_| unreadable())?;
        let again = rpassword::prompt_password("Nhập lại [again]: ").map_err(|_| unreadable())?;
        if p != again {
            return Err(CliError::input(
                "Hai lần nhập mật khẩu không khớp. Hãy chạy lại lệnh.",
                "the two passwords differ",
            ));
        }
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|_| unreadable())?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// `user add`.
pub fn add(common: &Common, name: &str, role: &str) -> CmdResult {
    let name = accounts::check_name(name)?;
    let role = Role::from_code(role);
    let password = read_password()?;
    accounts::check_password(&password)?;
    let storage = open(common)?;
    let user = UserRow {
        name: name.clone(),
        role: role.code().to_owned(),
        password_hash: accounts::hash_password(&password)?,
        created_at_ms: now_ms(),
        failures: 0,
        failures_since_ms: 0,
        locked_until_ms: 0,
        last_sign_in_ms: None,
    };
    if !storage.add_user(&user)? {
        return Err(CliError::input(
            format!(
                "Đã có tài khoản “{name}”: hãy chọn tên khác, hoặc xóa tài khoản cũ bằng `bvte-server user remove --name …`."
            ),
            format!("an account \"{name}\" exists already"),
        ));
    }
    println!(
        "Đã thêm tài khoản “{name}” ({}) (account added).",
        role.label_vi()
    );
    Ok(())
}

/// `user list`.
pub fn list(a: &ListArgs) -> CmdResult {
    let users = open(&a.common)?.users()?;
    let now = now_ms();
    if a.json {
        let rows: Vec<_> = users
            .iter()
            .map(|u| {
                json!({
                    "name": u.name,
                    "role": u.role,
                    "created_at": rfc3339(u.created_at_ms),
                    "last_sign_in": u.last_sign_in_ms.map(rfc3339),
                    "locked": u.locked_until_ms > now,
                })
            })
            .collect();
        println!("{}", json!(rows));
        return Ok(());
    }
    if users.is_empty() {
        println!(
            "Chưa có tài khoản nào: thêm bằng `bvte-server user add --name TÊN --role supervisor` (no accounts)."
        );
    }
    for u in &users {
        let last = u
            .last_sign_in_ms
            .map_or_else(|| "chưa đăng nhập".to_owned(), crate::web::local_time);
        let locked = if u.locked_until_ms > now {
            " — đang bị khóa"
        } else {
            ""
        };
        println!(
            "{}\t{}\tđăng nhập lần cuối: {last}{locked}",
            u.name,
            Role::from_code(&u.role).label_vi()
        );
    }
    Ok(())
}

/// `user remove`.
pub fn remove(common: &Common, name: &str) -> CmdResult {
    let name = name.trim();
    if !open(common)?.remove_user(name)? {
        return Err(CliError::input(
            format!("Không có tài khoản “{name}”: xem danh sách bằng `bvte-server user list`."),
            format!("no account \"{name}\": see `bvte-server user list`"),
        ));
    }
    println!("Đã xóa tài khoản “{name}” và kết thúc các phiên đăng nhập của nó (account removed).");
    Ok(())
}
