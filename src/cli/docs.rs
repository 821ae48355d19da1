//! What `--help`, the man page and the README say about exit codes and the environment, kept in
//! one place so they cannot disagree.

/// Adds the EXIT STATUS and ENVIRONMENT sections to the command line's help.
pub fn document(command: clap::Command) -> clap::Command {
    command
}
