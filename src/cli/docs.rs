//! What `--help`, the man pages and the README say about exit codes and the environment, kept in
//! one place so they cannot disagree.
//!
//! The tables below are the contract of PRODUCT.md: exit 2 means "changes" or "drift" and nothing
//! else, every usage error exits 1, and an interrupted apply exits 130. [`document`] adds them to
//! each command's long help (`--help`, not `-h`); [`man_sections`] renders them as the man pages'
//! EXIT STATUS and ENVIRONMENT sections; [`exit_status_markdown`] and [`environment_markdown`] are
//! what the README's tables must match.

use clap_mangen::roff::{Roff, bold, roman};

/// One exit code and what it means for one command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status {
    pub code: u8,
    pub meaning: &'static str,
}

/// The exit codes of one command; `command` is the subcommand's name, or `miyabi-guild` for the
/// summary on the main page.
#[derive(Clone, Copy, Debug)]
pub struct CommandStatus {
    pub command: &'static str,
    pub statuses: &'static [Status],
}

/// An environment variable the tool reads, and what it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variable {
    pub name: &'static str,
    pub meaning: &'static str,
}

const fn status(code: u8, meaning: &'static str) -> Status {
    Status { code, meaning }
}

/// The name of the main page's entry in [`EXIT_STATUS`].
pub const MAIN: &str = "miyabi-guild";

/// Said under every exit-status table: clap's errors and `--help` are not in the tables.
pub const USAGE_NOTE: &str =
    "Usage errors (an unknown flag, a bad value) exit 1; --help and --version exit 0.";

/// Exit codes per command, in numeric order within a command.
pub const EXIT_STATUS: &[CommandStatus] = &[
    CommandStatus {
        command: MAIN,
        statuses: &[
            status(0, "success: valid, applied, in sync, or no changes"),
            status(
                1,
                "an error: an invalid file, a refusal, a failed request, a usage error",
            ),
            status(
                2,
                "changes (plan --detailed-exitcode) or drift (drift), and nothing else",
            ),
            status(
                130,
                "apply interrupted by Ctrl-C, after saying what was done and what remains",
            ),
        ],
    },
    CommandStatus {
        command: "validate",
        statuses: &[
            status(0, "the file is valid (warnings alone do not fail it)"),
            status(1, "the file is invalid, or cannot be read"),
        ],
    },
    CommandStatus {
        command: "plan",
        statuses: &[
            status(0, "no changes, or changes without --detailed-exitcode"),
            status(1, "an error"),
            status(2, "changes, with --detailed-exitcode"),
        ],
    },
    CommandStatus {
        command: "access",
        statuses: &[
            status(0, "the table was printed"),
            status(1, "an error, or an invalid file"),
        ],
    },
    CommandStatus {
        command: "apply",
        statuses: &[
            status(0, "applied, or nothing to do"),
            status(1, "an error, a refused plan, or a declined confirmation"),
            status(
                130,
                "interrupted by Ctrl-C, after saying what was done and what remains",
            ),
        ],
    },
    CommandStatus {
        command: "drift",
        statuses: &[
            status(0, "the guild is in sync with the file"),
            status(1, "an error"),
            status(2, "drift"),
        ],
    },
    CommandStatus {
        command: "import",
        statuses: &[status(0, "the file was written"), status(1, "an error")],
    },
    CommandStatus {
        command: "schema",
        statuses: &[
            status(0, "the schema was printed"),
            status(1, "it could not be written"),
        ],
    },
    CommandStatus {
        command: "fmt",
        statuses: &[
            status(0, "the file is formatted (or was formatted)"),
            status(
                1,
                "`--check` found it not formatted (the diff is printed), or an error",
            ),
        ],
    },
    CommandStatus {
        command: "emulator",
        statuses: &[
            status(0, "stopped with Ctrl-C"),
            status(
                1,
                "an error (the port is taken, the state file is unreadable)",
            ),
        ],
    },
    CommandStatus {
        command: "webhooks",
        statuses: &[
            status(0, "the URLs were written"),
            status(1, "an error (no webhooks declared, or one not created yet)"),
        ],
    },
    CommandStatus {
        command: "invites",
        statuses: &[
            status(0, "the links were written"),
            status(1, "an error (no invites declared, or one not created yet)"),
        ],
    },
    CommandStatus {
        command: "completions",
        statuses: &[
            status(0, "the script was printed"),
            status(1, "it could not be written"),
        ],
    },
    CommandStatus {
        command: "man",
        statuses: &[
            status(0, "the pages were written"),
            status(1, "they could not be written"),
        ],
    },
];

/// Every environment variable the tool reads.
pub const ENVIRONMENT: &[Variable] = &[
    Variable {
        name: "DISCORD_TOKEN",
        meaning: "The bot token (or --token-file FILE; never on the command line).",
    },
    Variable {
        name: "DISCORD_TOKEN_*",
        meaning: "Token of environment * (DISCORD_TOKEN_STAGING for staging), else DISCORD_TOKEN.",
    },
    Variable {
        name: "MIYABI_GUILD_ID",
        meaning: "The guild id, as --guild ID.",
    },
    Variable {
        name: "MIYABI_ENV",
        meaning: "The environment of the server file to work on, as --env NAME.",
    },
    Variable {
        name: "MIYABI_API_URL",
        meaning: "Where to send API requests, as --api-url URL.",
    },
    Variable {
        name: "NO_COLOR",
        meaning: "Set and not empty: no colour, as --no-color.",
    },
    Variable {
        name: "CLICOLOR_FORCE",
        meaning: "Set and not 0: colour even when output is not a terminal.",
    },
    Variable {
        name: "TERM",
        meaning: "dumb: no colour.",
    },
    Variable {
        name: "CI",
        meaning: "Set and not 0 or false: without a token, fail; never fall back to the sandbox.",
    },
    Variable {
        name: "GITHUB_ACTIONS",
        meaning: "true: diagnostics are also printed as GitHub workflow annotations.",
    },
];

/// The exit codes of `command` (a subcommand's name, or [`MAIN`]); `None` for one not in the
/// table (clap's own `help`).
pub fn exit_statuses(command: &str) -> Option<&'static [Status]> {
    EXIT_STATUS
        .iter()
        .find(|entry| entry.command == command)
        .map(|entry| entry.statuses)
}

/// Adds the exit-status and environment sections to the long help (`--help`) of the command
/// and of each subcommand in [`EXIT_STATUS`].
pub fn document(command: clap::Command) -> clap::Command {
    let header = *command.get_styles().get_header();
    let help = |name| help_text(name, header);
    let main_help = help(MAIN);
    EXIT_STATUS
        .iter()
        .filter(|entry| entry.command != MAIN)
        .fold(command.after_long_help(main_help), |command, entry| {
            command.mut_subcommand(entry.command, |sub| {
                sub.after_long_help(help(entry.command))
            })
        })
}

/// The long help's sections for `command`, headings in `header` style. Lines stay within 100
/// columns, the width clap wraps help to when it is not printed to a terminal.
fn help_text(command: &str, header: clap::builder::styling::Style) -> String {
    let heading = |title: &str| format!("{header}{title}{header:#}");
    let mut text = format!("{}\n", heading("Exit status:"));
    for status in exit_statuses(command).unwrap_or_default() {
        text.push_str(&format!("  {:<5}{}\n", status.code, status.meaning));
    }
    text.push_str(&format!("  {USAGE_NOTE}\n\n{}\n", heading("Environment:")));
    let width = ENVIRONMENT.iter().map(|v| v.name.len()).max().unwrap_or(0);
    for variable in ENVIRONMENT {
        text.push_str(&format!(
            "  {:<width$}  {}\n",
            variable.name, variable.meaning
        ));
    }
    text.trim_end().to_owned()
}

/// The man page's EXIT STATUS and ENVIRONMENT sections for `command` (a subcommand's name, or
/// [`MAIN`]).
pub fn man_sections(command: &str) -> Roff {
    let mut roff = Roff::default();
    roff.control("SH", ["EXIT STATUS"]);
    for status in exit_statuses(command).unwrap_or_default() {
        roff.control("TP", []);
        roff.text([bold(status.code.to_string())]);
        roff.text([roman(status.meaning)]);
    }
    roff.control("PP", []);
    roff.text([roman(USAGE_NOTE)]);
    roff.control("SH", ["ENVIRONMENT"]);
    for variable in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(variable.name)]);
        roff.text([roman(variable.meaning)]);
    }
    roff
}

/// The exit codes of every command as a Markdown table (the README's).
pub fn exit_status_markdown() -> String {
    let mut text = String::from("| command | exit status |\n|---|---|\n");
    for entry in EXIT_STATUS.iter().filter(|entry| entry.command != MAIN) {
        let statuses: Vec<String> = entry
            .statuses
            .iter()
            .map(|status| format!("{} {}", status.code, status.meaning))
            .collect();
        text.push_str(&format!(
            "| `{}` | {} |\n",
            entry.command,
            statuses.join("; ")
        ));
    }
    text
}

/// The environment variables as a Markdown table (the README's).
pub fn environment_markdown() -> String {
    let mut text = String::from("| variable | effect |\n|---|---|\n");
    for variable in ENVIRONMENT {
        text.push_str(&format!("| `{}` | {} |\n", variable.name, variable.meaning));
    }
    text
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn every_subcommand_has_exit_statuses_and_every_entry_names_a_subcommand() {
        let command = super::super::Cli::command();
        assert_eq!(command.get_name(), MAIN);
        let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
        for name in &names {
            assert!(exit_statuses(name).is_some(), "{name} has no exit statuses");
        }
        for entry in EXIT_STATUS.iter().filter(|e| e.command != MAIN) {
            assert!(
                names.contains(&entry.command),
                "{} is no subcommand",
                entry.command
            );
        }
    }

    #[test]
    fn exit_two_means_changes_or_drift_only() {
        for entry in EXIT_STATUS {
            let has_two = entry.statuses.iter().any(|s| s.code == 2);
            let expected = [MAIN, "plan", "drift"].contains(&entry.command);
            assert_eq!(has_two, expected, "{}", entry.command);
            assert!(
                entry.statuses.iter().any(|s| s.code == 1),
                "{}",
                entry.command
            );
            assert!(
                entry.statuses.is_sorted_by_key(|s| s.code),
                "{}",
                entry.command
            );
        }
    }

    #[test]
    fn help_lines_fit_in_100_columns() {
        for entry in EXIT_STATUS {
            let text = help_text(entry.command, clap::builder::styling::Style::new());
            for line in text.lines() {
                assert!(line.chars().count() <= 100, "too wide: {line}");
            }
        }
    }

    #[test]
    fn markdown_tables_have_a_row_per_command_and_variable() {
        assert_eq!(
            exit_status_markdown().lines().count(),
            2 + EXIT_STATUS.len() - 1
        );
        assert!(exit_status_markdown().contains("| `plan` | 0 no changes"));
        assert_eq!(
            environment_markdown().lines().count(),
            2 + ENVIRONMENT.len()
        );
    }
}
