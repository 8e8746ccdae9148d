//! `bvte`: the headless tool for commune IT staff and scripts. Every command that touches a
//! database takes `--db PATH`; `--json` makes output machine-readable; errors exit non-zero with
//! a one-line message that says what to fix (exit codes in `exit.rs`).

#[macro_use]
mod io;
mod cli;
mod cli_account;
mod cmd_account;
mod cmd_audit;
mod cmd_backup;
mod cmd_case;
mod cmd_child;
mod cmd_import;
mod cmd_misc;
mod cmd_print;
mod cmd_report;
mod cmd_sync;
mod cmd_update;
mod exit;
#[cfg(test)]
mod props;
mod secrets;

use clap::{CommandFactory, FromArgMatches};
use cli::{Cli, Command};

fn main() {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    secrets::warn_typed(&matches);
    let result = match &cli.command {
        Command::Init(a) => cmd_misc::init(&cli, a),
        Command::Child(c) => cmd_child::run(&cli, c),
        Command::Case(c) => cmd_case::run(&cli, c),
        Command::Calendar(c) => cmd_misc::calendar(c),
        Command::Demo(a) => cmd_misc::demo(&cli, a),
        Command::Export(a) => cmd_misc::export(&cli, a),
        Command::Report(a) => cmd_report::run(&cli, a),
        Command::Info(a) => cmd_misc::info(&cli, a),
        Command::Passwd(a) => cmd_misc::passwd(&cli, a),
        Command::Commune(a) => cmd_misc::commune(a),
        Command::Print(a) => cmd_print::run(&cli, a),
        Command::Enroll(a) => cmd_sync::enroll(&cli, a),
        Command::Sync(a) => cmd_sync::sync(&cli, a),
        Command::Conflict(c) => cmd_sync::conflict(&cli, c),
        Command::Import(a) => cmd_import::run(&cli, a),
        Command::Backup(a) => cmd_backup::backup(&cli, a),
        Command::Restore(a) => cmd_backup::restore(&cli, a),
        Command::Audit(c) => cmd_audit::run(&cli, c),
        Command::Account(c) => cmd_account::run(&cli, c),
        Command::Update(c) => cmd_update::run(&cli, c),
    };
    if let Err(e) = result {
        std::process::exit(exit::report(&cli, &e));
    }
}
