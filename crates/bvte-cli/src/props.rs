//! Property test (issue 10, item 13): arbitrary command lines are parsed by clap into a command
//! or a usage error, and those that need no database (the calendar, the commune search) run to
//! an answer or an error value, never a panic. The documents a command reads are checked in
//! `bvte-domain` (tests/no_panic.rs), where their parsers live.

use crate::cli::{Cli, Command};
use clap::Parser;
use proptest::prelude::*;

/// A word of a command line: a subcommand or option name, a date, a number, or anything.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "calendar",
            "add-working-days",
            "is-working-day",
            "commune",
            "--limit",
            "--json",
            "--lang",
            "child",
            "case",
            "show",
            "--db",
        ])
        .prop_map(str::to_owned),
        (0u32..40, 0u32..14, 0u32..10_000).prop_map(|(d, m, y)| format!("{d:02}/{m:02}/{y}")),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "\\PC{0,20}",
    ]
}

proptest! {
    #[test]
    fn any_command_line_is_a_command_or_a_usage_error(
        args in prop::collection::vec(word(), 0..6),
        calendar in any::<bool>(),
    ) {
        let mut line = vec!["bvte".to_owned()];
        if calendar {
            line.push("calendar".into());
        }
        line.extend(args);
        if let Ok(cli) = Cli::try_parse_from(&line) {
            match &cli.command {
                Command::Calendar(c) => {
                    let _ = crate::cmd_misc::calendar(c);
                }
                Command::Commune(a) => {
                    let _ = crate::cmd_misc::commune(a);
                }
                _ => {}
            }
        }
    }
}

#[test]
fn the_command_line_definition_is_consistent() {
    use clap::CommandFactory;
    Cli::command().debug_assert();
}
