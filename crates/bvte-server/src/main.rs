//! # bvte-server — the district sync server
//!
//! Owns: enrollment of devices with one-time codes, the device tokens, the HTTPS sync API
//! (`/api/v1`, types in `bvte_protocol::api`), the scope rule (a device reads and writes only its
//! commune's records) and the server's storage behind the [`storage::Storage`] trait.
//! Must never depend on the local store, the desktop app or Tauri.
//!
//! Commands take `--data DIR` and, for PostgreSQL, `--database-url` (remembered by `init` in
//! `DIR/server.toml`); errors exit non-zero with one line saying what to fix (exit
//! codes in `error.rs`).

mod accounts;
mod api;
mod cli;
mod clock;
mod codes;
mod commands;
mod commune;
mod connections;
mod error;
mod folder;
mod push;
mod records;
mod releases;
mod report;
mod report_cache;
mod reporting;
mod scope;
mod serve;
mod settings;
mod storage;
#[cfg(test)]
mod test_fixtures;
mod tls;
mod users;
mod web;

use clap::{CommandFactory, FromArgMatches};
use cli::{Cli, Command, CommuneCommand, DeviceCommand, ReleaseCommand, UserCommand};

fn main() {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    cli::warn_typed_password(&matches);
    let result = match &cli.command {
        Command::Init(a) => commands::init(a),
        Command::Fingerprint(c) => commands::fingerprint(c),
        Command::Commune(CommuneCommand::Add { common, code }) => {
            commands::commune_add(common, code)
        }
        Command::Commune(CommuneCommand::List(a)) => commands::commune_list(a),
        Command::EnrollCode(a) => commands::enroll_code(a),
        Command::Serve(a) => serve::run(a),
        Command::Device(DeviceCommand::List(a)) => commands::device_list(a),
        Command::Device(DeviceCommand::Revoke { common, device }) => {
            commands::device_revoke(common, *device)
        }
        Command::Report(a) => report::run(a),
        Command::Area(a) => commands::area(a),
        Command::User(UserCommand::Add { common, name, role }) => users::add(common, name, role),
        Command::User(UserCommand::List(a)) => users::list(a),
        Command::User(UserCommand::Remove { common, name }) => users::remove(common, name),
        Command::Release(ReleaseCommand::Add(a)) => releases::add(a),
        Command::Release(ReleaseCommand::List(a)) => releases::list(a),
    };
    if let Err(e) = result {
        eprintln!("Lỗi: {}", e.to_string().replace('\n', " "));
        std::process::exit(e.exit_code());
    }
}
