//! `miyabi-guild completions`
//!
//! Design note, bash: clap_complete 4.6 writes a broken bash script for a binary whose name has a
//! hyphen (clap-rs/clap#6421). Its word loop escapes the name and each subcommand apart and
//! reaches the state `miyabi__guild__subcmd__plan`, while its `case` arms escape the whole path in
//! one pass and are spelled `miyabi__subcmd__guild__subcmd__plan`: no arm matches, so nothing
//! after a subcommand completes (neither `plan --detailed-exitcode` nor the global flags). So the
//! bash script is generated for the name `miyabi_guild`, which both spellings agree on, and only
//! its `complete` lines are rewritten to register the function for the real command,
//! `miyabi-guild`. The script never uses the name otherwise: it matches the first word against
//! `$1`, which bash sets to the command being completed. zsh and fish keep the name verbatim and
//! are generated as they are.

use std::io::Write;

use clap::Args;
use clap_complete::Shell;

use super::Exit;

/// The command being completed.
const BIN: &str = "miyabi-guild";
/// The name the bash script is generated for: [`BIN`] without its hyphen.
const BASH_BIN: &str = "miyabi_guild";

/// Print a shell completion script, generated from the command line's own definition.
///
/// bash: `miyabi-guild completions bash > ~/.local/share/bash-completion/completions/miyabi-guild`;
/// zsh: `miyabi-guild completions zsh > "${fpath[1]}/_miyabi-guild"`;
/// fish: `miyabi-guild completions fish > ~/.config/fish/completions/miyabi-guild.fish`.
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    shell: Shell,
}

pub fn run(args: CompletionsArgs) -> anyhow::Result<Exit> {
    std::io::stdout().lock().write_all(&script(args.shell))?;
    Ok(Exit::Success)
}

/// The completion script for `shell`.
fn script(shell: Shell) -> Vec<u8> {
    let mut command = super::command();
    // Into a buffer first: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    if shell == Shell::Bash {
        clap_complete::generate(shell, &mut command, BASH_BIN, &mut script);
        register_bash_for_bin(&String::from_utf8_lossy(&script)).into_bytes()
    } else {
        clap_complete::generate(shell, &mut command, BIN, &mut script);
        script
    }
}

/// Rewrites the lines `complete -F _miyabi_guild [options] miyabi_guild` to end in
/// `miyabi-guild`; everything else is kept as generated.
fn register_bash_for_bin(script: &str) -> String {
    let generated_for = format!(" {BASH_BIN}");
    script
        .lines()
        .map(|line| match line.strip_suffix(&generated_for) {
            Some(start) if line.trim_start().starts_with("complete ") => {
                format!("{start} {BIN}\n")
            }
            _ => format!("{line}\n"),
        })
        .collect()
}
