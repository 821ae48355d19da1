//! Shell completions are proved in the shells themselves: each script is loaded the way a user
//! installs it and asked to complete a half-typed line, through the shell's own completion
//! machinery (bash's `complete -F` function, fish's `complete -C`, zsh's compsys in a pseudo
//! terminal). bash is always there and never skipped; zsh and fish are skipped with a note when
//! not installed (CI installs the Debian packages `zsh` and `fish`).
//!
//! The man pages carry the EXIT STATUS and ENVIRONMENT sections of every command.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::BIN;

fn stdout_of(args: &[&str]) -> String {
    let output = Command::new(BIN).args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Runs `program args`, fails on a non-zero exit, and returns its stdout.
fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|error| panic!("cannot run {program}: {error}"));
    assert!(output.status.success(), "{program} {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Writes `miyabi-guild completions SHELL` to `path`, as a user installs it.
fn save_script(shell: &str, path: &Path) {
    std::fs::write(path, stdout_of(&["completions", shell])).unwrap();
}

/// Whether `shell` is installed; prints why the test is skipped when not.
fn installed(shell: &str) -> bool {
    let found = Command::new(shell)
        .args(["-c", "exit 0"])
        .stdin(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        eprintln!("note: {shell} is not installed; skipping its completion test");
    }
    found
}

/// A half-typed command line, and one word its completions must include.
const CASES: &[(&str, &str)] = &[
    // A subcommand at the first position.
    ("miyabi-guild pl", "plan"),
    // A subcommand's own flags (what clap_complete's bash script loses for hyphenated names).
    ("miyabi-guild plan --de", "--detailed-exitcode"),
    ("miyabi-guild apply --auto", "--auto-approve"),
    ("miyabi-guild drift --mark", "--markdown"),
    // Global flags after a subcommand.
    ("miyabi-guild plan --conf", "--config"),
    ("miyabi-guild apply --sand", "--sandbox"),
];

/// A positional argument's value: clap_complete's fish script completes none (it lists flags
/// and subcommands only), so this case is for bash and zsh.
const VALUE_CASE: (&str, &str) = ("miyabi-guild completions fi", "fish");

/// The words bash offers for `line` (the cursor at its end), through the function the script
/// registered with `complete -F` for `miyabi-guild`, called as bash calls it:
/// `function command current-word previous-word`.
fn bash_completions(script: &Path, line: &str) -> Vec<String> {
    let program = r#"
        source "$1"
        read -r -a COMP_WORDS <<< "$2"
        [[ "$2" == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        COMP_LINE="$2"
        COMP_POINT=${#COMP_LINE}
        registered=$(complete -p miyabi-guild) || exit 3
        function=$(sed -E 's/.* -F ([^ ]+) .*/\1/' <<< "$registered")
        "$function" miyabi-guild "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let script = script.to_str().unwrap();
    run("bash", &["-c", program, "bash", script, line])
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_subcommands_their_flags_and_global_flags() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("miyabi-guild.bash");
    save_script("bash", &script);
    for (line, expected) in CASES.iter().chain([&VALUE_CASE]) {
        let offered = bash_completions(&script, line);
        assert!(
            offered.iter().any(|word| word == expected),
            "bash offers {offered:?} for `{line}<TAB>`, not {expected}"
        );
    }
}

#[test]
fn fish_completes_subcommands_their_flags_and_global_flags() {
    if !installed("fish") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("miyabi-guild.fish");
    save_script("fish", &script);
    for (line, expected) in CASES {
        let program = format!("source $argv[1]; complete -C '{line}'");
        let output = run(
            "fish",
            &["--no-config", "-c", &program, script.to_str().unwrap()],
        );
        // Each line is `word<TAB>description`.
        let offered: Vec<&str> = output
            .lines()
            .map(|l| l.split('\t').next().unwrap())
            .collect();
        assert!(
            offered.contains(expected),
            "fish offers {offered:?} for `{line}<TAB>`, not {expected}"
        );
    }
}

/// zsh completes only inside its line editor, so a zsh drives another through a pseudo
/// terminal (zsh/zpty): it loads compsys with the script on `fpath` (as `#compdef` asks), types
/// each line and TAB, and a key bound to a widget appends the edited line to a file. A line
/// with a single completion comes back completed; `timeout` bounds a shell that never answers.
const ZSH_DRIVER: &str = r#"
zmodload zsh/zpty || exit 3
dir=$1
out=$2
shift 2
zpty z zsh -f -i
zpty -w z "bindkey -e; PROMPT='> '; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
# The markers are printed split in two quotes so the echo of these lines does not match them.
zpty -w z "dump() { print -r -- \"\$BUFFER\" >> ${(q)out}; BUFFER=; print -n 'DUM''PED'; }; zle -N dump; bindkey '^T' dump; print 'REA''DY'"
zpty -r z reply '*READY*' || exit 4
for line in "$@"; do
  zpty -n -w z "$line"$'\t'$'\x14'
  zpty -r z reply '*DUMPED*' || exit 5
done
zpty -d z
"#;

#[test]
fn zsh_completes_subcommands_their_flags_and_global_flags() {
    if !installed("zsh") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let functions = dir.path().join("functions");
    std::fs::create_dir(&functions).unwrap();
    let script = functions.join("_miyabi-guild");
    save_script("zsh", &script);
    run("zsh", &["-n", script.to_str().unwrap()]);

    let out = dir.path().join("lines");
    let mut args = vec![
        "120",
        "zsh",
        "-f",
        "-c",
        ZSH_DRIVER,
        "zsh",
        functions.to_str().unwrap(),
        out.to_str().unwrap(),
    ];
    let cases: Vec<&(&str, &str)> = CASES.iter().chain([&VALUE_CASE]).collect();
    args.extend(cases.iter().map(|(line, _)| *line));
    run("timeout", &args);
    let completed = std::fs::read_to_string(&out).unwrap();
    let completed: Vec<&str> = completed.lines().collect();
    assert_eq!(completed.len(), cases.len(), "{completed:?}");
    for ((line, expected), completed) in cases.into_iter().zip(completed) {
        // The last word, completed (`--config=` waits for its value).
        let word = completed.split_whitespace().last().unwrap_or_default();
        assert_eq!(
            word.trim_end_matches('='),
            *expected,
            "zsh completes `{line}<TAB>` to `{completed}`"
        );
    }
}

#[test]
fn every_man_page_has_exit_status_and_environment_sections() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH miyabi-guild 1"), "{page}");
    assert!(page.contains("drift"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    stdout_of(&["man", "--out-dir", out.to_str().unwrap()]);
    let mut pages: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    pages.sort();
    for page in [
        "miyabi-guild.1",
        "miyabi-guild-drift.1",
        "miyabi-guild-plan.1",
        "miyabi-guild-apply.1",
    ] {
        assert!(pages.iter().any(|p| p == page), "{page} missing: {pages:?}");
    }
    assert!(
        !pages.iter().any(|p| p.contains("help")),
        "a page for clap's help: {pages:?}"
    );
    for name in &pages {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        for section in [".SH \"EXIT STATUS\"", ".SH ENVIRONMENT", "DISCORD_TOKEN"] {
            assert!(text.contains(section), "{name} lacks {section}");
        }
        assert!(!text.contains(".SH EXTRA"), "{name} repeats the help text");
    }
    assert_eq!(
        stdout_of(&["man"]),
        std::fs::read_to_string(out.join("miyabi-guild.1")).unwrap()
    );
}

#[test]
fn man_exit_status_and_environment_of_plan() {
    let dir = tempfile::tempdir().unwrap();
    stdout_of(&["man", "--out-dir", dir.path().to_str().unwrap()]);
    let page = std::fs::read_to_string(dir.path().join("miyabi-guild-plan.1")).unwrap();
    let start = page
        .find(".SH \"EXIT STATUS\"")
        .expect("an EXIT STATUS section");
    let end = page.find(".SH VERSION").expect("a VERSION section");
    insta::assert_snapshot!(&page[start..end]);
}
