//! The doorway: everything happens in `miyabi_guild::cli`.

fn main() -> std::process::ExitCode {
    miyabi_guild::cli::main()
}
