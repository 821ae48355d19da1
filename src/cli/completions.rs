//! `miyabi-guild completions`

use std::io::Write;

use clap::Args;
use clap_complete::Shell;

use super::Exit;

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
    let mut command = super::command();
    // Into a buffer first: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "miyabi-guild", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(Exit::Success)
}
