//! `bvte account list | add | remove | passphrase` (issue 14). The local admin signs in as
//! usual (`BVTE_PASSPHRASE`, `--account`); a new passphrase comes from `BVTE_NEW_PASSPHRASE`
//! or is asked twice, never needed on the command line.

use crate::cli::{AccountCommand, Cli};
use crate::cmd_misc::new_passphrase;
use crate::exit::{CmdResult, Failure};
use crate::io::{open, print_json};
use bvte_core::accounts::{AccountRow, NewAccount};
use bvte_domain::codes::Code;
use bvte_domain::role::Role;
use serde_json::json;

fn role_of(typed: &str) -> Result<Role, Failure> {
    Role::from_code(typed).ok_or_else(|| Failure::Usage {
        vi: format!(
            "Không có vai trò “{}”. Chọn một trong: {}.",
            bvte_domain::text::truncate_for_message(typed),
            Role::ALL
                .iter()
                .map(|r| format!("{} ({})", r.code(), r.label_vi()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        en: format!(
            "No role \"{}\"; choose one of: officer, leader, admin.",
            bvte_domain::text::truncate_for_message(typed)
        ),
    })
}

fn print_list(rows: &[AccountRow], json: bool) {
    if json {
        print_json(&json!({ "accounts": rows }));
        return;
    }
    for r in rows {
        let me = if r.signed_in {
            "  (đang đăng nhập)"
        } else {
            ""
        };
        crate::outln!("{}\t{}{me}", r.name, r.role_vi);
    }
}

/// `bvte account …`.
pub fn run(cli: &Cli, c: &AccountCommand) -> CmdResult {
    let mut session = open(cli)?;
    let now = bvte_core::now();
    match c {
        AccountCommand::List(o) => {
            let rows = session.accounts()?;
            print_list(&rows, o.json);
        }
        AccountCommand::Add {
            name,
            role,
            new,
            out,
        } => {
            let role = role_of(role)?;
            // Refused before the new passphrase is asked when the role may not do this.
            session.require(bvte_core::access::Action::Accounts)?;
            let pass = new_passphrase(new.new_passphrase.as_deref())?;
            let rows = session.add_account(
                &NewAccount {
                    name: name.clone(),
                    role,
                    passphrase: pass.clone(),
                    passphrase_confirm: pass,
                },
                now,
            )?;
            if !out.json {
                crate::outln!(
                    "Đã thêm tài khoản “{}” ({}). Mật khẩu của tài khoản đó mở được sổ; mã khôi phục vẫn như cũ.",
                    bvte_domain::text::nfc(name.trim()),
                    role.label_vi()
                );
            }
            print_list(&rows, out.json);
        }
        AccountCommand::Remove { name, out } => {
            let rows = session.remove_account(name, now)?;
            if !out.json {
                crate::outln!(
                    "Đã xóa tài khoản “{}”: mật khẩu của tài khoản đó không còn mở được sổ.",
                    name.trim()
                );
            }
            print_list(&rows, out.json);
        }
        AccountCommand::Passphrase { name, new, out } => {
            let name = name
                .clone()
                .unwrap_or_else(|| session.account().name.clone());
            let own = bvte_store::accounts::name_key(&name)
                == bvte_store::accounts::name_key(&session.account().name);
            session.require(if own {
                bvte_core::access::Action::OwnPassphrase
            } else {
                bvte_core::access::Action::Accounts
            })?;
            let pass = new_passphrase(new.new_passphrase.as_deref())?;
            session.set_account_passphrase(&name, &pass, &pass, now)?;
            if out.json {
                print_json(&json!({ "name": name }));
            } else {
                crate::outln!(
                    "Đã đổi mật khẩu của tài khoản “{}”. Mã khôi phục vẫn như cũ.",
                    name.trim()
                );
            }
        }
    }
    Ok(())
}
