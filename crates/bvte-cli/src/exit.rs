//! Errors as exit codes and one-line messages.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | unexpected failure |
//! | 2 | wrong command-line usage (clap) |
//! | 3 | input refused: invalid value, bad JSON, existing database, a list that cannot be imported |
//! | 4 | not found: database, child, case |
//! | 5 | wrong passphrase or recovery code, unusable key file |
//! | 6 | step not allowed by the Decree 56 workflow yet |
//! | 7 | database problem: newer schema, damaged file, full disk, busy |
//! | 8 | sync: server unreachable or refused (wrong code, revoked, wrong fingerprint…) |
//! | 9 | refused: the account's role may not do this (issue 14) |
//! | 10 | update refused: unsigned, altered, signed with another key, not newer, for another kind of PC, or this build has no release key |

use crate::cli::Cli;
use bvte_core::CoreError;
use bvte_store::StoreError;
use serde_json::json;

/// A CLI failure.
#[derive(Debug)]
pub enum Failure {
    /// From a use case.
    Core(CoreError),
    /// A problem with how the command was called (missing --db, no passphrase…).
    Usage {
        /// Vietnamese.
        vi: String,
        /// English.
        en: String,
    },
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        Failure::Core(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Core(e.into())
    }
}

impl From<bvte_domain::ValidationError> for Failure {
    fn from(e: bvte_domain::ValidationError) -> Self {
        Failure::Core(e.into())
    }
}

/// Result of a command.
pub type CmdResult = Result<(), Failure>;

/// The exit code of a failure.
pub fn code(f: &Failure) -> i32 {
    match f {
        Failure::Usage { .. } => 2,
        Failure::Core(CoreError::Invalid(e)) => match e.first().code() {
            "step_not_allowed" | "step_before_previous" | "separation_too_long" => 6,
            _ => 3,
        },
        Failure::Core(
            CoreError::BadJson { .. }
            | CoreError::BadId { .. }
            | CoreError::InputTooLarge { .. }
            | CoreError::NotUtf8,
        ) => 3,
        Failure::Core(
            CoreError::LockedOut { .. } | CoreError::WrongPassphrase { .. } | CoreError::Locked,
        ) => 5,
        Failure::Core(CoreError::NotSetUp) => 4,
        Failure::Core(CoreError::Refused(_)) => 9,
        Failure::Core(CoreError::Form(e)) => match e.code() {
            "form_not_applicable" => 6,
            "templates_unreadable" => 4,
            "pdf_failed" => 1,
            _ => 3,
        },
        Failure::Core(CoreError::Output(_) | CoreError::Sheet(_)) => 1,
        Failure::Core(CoreError::Layout(_)) => 3,
        Failure::Core(CoreError::Import(_)) => 3,
        Failure::Core(CoreError::Sync(_) | CoreError::NotEnrolled | CoreError::ServerRestarted) => {
            8
        }
        Failure::Core(CoreError::Update(e)) => match e {
            bvte_update::UpdateError::Missing { .. } => 4,
            bvte_update::UpdateError::Io { .. } => 1,
            _ => 10,
        },
        Failure::Core(CoreError::Store(s)) => match s {
            StoreError::AlreadyExists(_) | StoreError::Invalid(_) => 3,
            StoreError::Account(a) => match a {
                bvte_store::AccountError::Required { .. } => 2,
                bvte_store::AccountError::Unknown { .. } => 4,
                bvte_store::AccountError::Exists { .. }
                | bvte_store::AccountError::LastAdmin { .. } => 3,
            },
            StoreError::NotFound { .. } | StoreError::NoDatabase(_) => 4,
            StoreError::WrongPassphrase | StoreError::KeyMismatch(_) | StoreError::Key(_) => 5,
            StoreError::SchemaTooNew { .. }
            | StoreError::Corrupt { .. }
            | StoreError::DiskFull
            | StoreError::Busy => 7,
            StoreError::Io { .. } | StoreError::Sqlite(_) => 1,
            StoreError::Backup(b) => match b {
                bvte_store::BackupError::Exists(_)
                | bvte_store::BackupError::OtherCommune { .. } => 3,
                _ => 7,
            },
        },
    }
}

/// Prints the failure (stderr, one line; and a JSON object on stdout when the command was asked
/// for JSON) and returns the exit code.
pub fn report(cli: &Cli, f: &Failure) -> i32 {
    let (code_str, vi, en, errors) = match f {
        Failure::Usage { vi, en } => ("usage", vi.clone(), en.clone(), vec![]),
        Failure::Core(e) => (e.code(), e.to_string(), e.message_en(), e.reports()),
    };
    let line = if cli.lang == "en" { &en } else { &vi };
    let prefix = if cli.lang == "en" { "Error" } else { "Lỗi" };
    eprintln!("{prefix}: {}", line.replace('\n', " "));
    if crate::io::wants_json(&cli.command) {
        let doc =
            json!({"error": {"code": code_str, "message": vi, "message_en": en, "errors": errors}});
        crate::io::emit(format_args!("{doc}"));
    }
    code(f)
}
