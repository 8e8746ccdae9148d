//! The arguments of `bvte account` (issue 14).

use crate::cli::OutputArgs;
use clap::{Args, Subcommand};

/// `account …`.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Các tài khoản của sổ (người quản trị) [the register's accounts; local admin]
    List(OutputArgs),
    /// Thêm tài khoản; mật khẩu của tài khoản mới lấy từ BVTE_NEW_PASSPHRASE, nếu không có thì
    /// hỏi hai lần [add an account; its passphrase from BVTE_NEW_PASSPHRASE, else asked twice]
    Add {
        /// Tên tài khoản (thường là họ tên) [the account's name]
        name: String,
        /// Vai trò: officer (cán bộ), leader (lãnh đạo xã), admin (quản trị) [role]
        #[arg(long, value_name = "ROLE")]
        role: String,
        #[command(flatten)]
        new: NewPassphraseArg,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Xóa tài khoản: mật khẩu của nó không mở được sổ nữa [remove an account]
    Remove {
        /// Tên tài khoản [the account's name]
        name: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Đặt mật khẩu mới cho một tài khoản (mặc định: tài khoản đang đăng nhập) [set an
    /// account's passphrase; default: the account signed in]
    Passphrase {
        /// Tên tài khoản [the account's name]
        name: Option<String>,
        #[command(flatten)]
        new: NewPassphraseArg,
        #[command(flatten)]
        out: OutputArgs,
    },
}

/// A new passphrase given to a command.
#[derive(Debug, Args)]
pub struct NewPassphraseArg {
    /// Mật khẩu mới (mặc định: hỏi, hoặc BVTE_NEW_PASSPHRASE; gõ ở đây thì lộ qua ps)
    /// [new passphrase; default: asked, or BVTE_NEW_PASSPHRASE]
    #[arg(
        long,
        env = "BVTE_NEW_PASSPHRASE",
        hide_env_values = true,
        value_name = "PASS"
    )]
    pub new_passphrase: Option<String>,
}
