//! GitHub-flavoured Markdown: the plan for a pull-request comment (`plan --markdown`) and the
//! drift report for an issue or `$GITHUB_STEP_SUMMARY` (`drift --markdown`).
//!
//! Layout, top to bottom: a marker comment a workflow finds to update its own comment or issue
//! instead of adding one (`<!-- miyabi-guild:plan -->`, `<!-- miyabi-guild:drift -->`); the
//! summary; who-can-see changes, highlighted, when there are any; destructive changes; then one
//! collapsible section per kind of object. Change blocks are the terminal's text in a `diff`
//! code block (markers moved to the first column so GitHub colours them); a block longer than
//! [`FOLD_LINES`] (long text diffs) is folded into its own `<details>`. GitHub refuses comments
//! over 65,536 characters, so sections past [`BUDGET`] are left out with a note.

use std::io::{self, Write};

use super::Style;
use super::drift::{counts, heading, reading, shown};
use super::human::{SECTIONS, change_block, kept_label, section_of};
use crate::drift::{AccessNotes, Drift, DriftKind};
use crate::plan::{Change, ChangeKind, Plan};

/// The first line of `plan --markdown`.
pub const PLAN_MARKER: &str = "<!-- miyabi-guild:plan -->";
/// The first line of `drift --markdown`.
pub const DRIFT_MARKER: &str = "<!-- miyabi-guild:drift -->";

/// A change block longer than this is folded on its own.
const FOLD_LINES: usize = 20;
/// Characters of sections to show before leaving the rest out (GitHub's limit is 65,536).
const BUDGET: usize = 55_000;

/// Before the checksum of the plan in `plan --markdown`: `<!-- miyabi-guild:checksum HEX -->`.
pub const CHECKSUM_MARKER: &str = "<!-- miyabi-guild:checksum ";

/// ` (sandbox)` after the guild's name in a header, when the output is about the sandbox.
fn sandbox_note(sandbox: bool) -> &'static str {
    if sandbox { " (sandbox)" } else { "" }
}

/// Which guild a document is about, for its markers: a file without environments, one
/// environment (`--env`), or one section of a document for every environment (`--all-envs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope<'a> {
    Single,
    Environment(&'a str),
    Section(&'a str),
}

impl Scope<'_> {
    /// The first line: the marker a workflow finds its comment or issue by; a section has none
    /// (the document's [`PLAN_MARKER`] or [`DRIFT_MARKER`] is written once, by the caller) but
    /// a heading.
    fn open(self, marker: &str, text: &mut String) {
        match self {
            Self::Single => text.push_str(marker),
            Self::Environment(name) => text.push_str(&format!(
                "{}:{name} -->\n## Environment `{}`\n",
                marker.trim_end_matches(" -->"),
                inline(name)
            )),
            Self::Section(name) => text.push_str(&format!("## Environment `{}`\n", inline(name))),
        }
        text.push('\n');
    }

    /// `<!-- miyabi-guild:checksum HEX -->`, with the environment's name when there is one.
    fn checksum_marker(self, checksum: &str) -> String {
        match self {
            Self::Single => format!("{CHECKSUM_MARKER}{checksum} -->"),
            Self::Environment(name) | Self::Section(name) => {
                format!("{}:{name} {checksum} -->", CHECKSUM_MARKER.trim_end())
            }
        }
    }
}

/// The plan as a pull-request comment. `checksum` is the saved plan's (`plan --out`): the apply
/// job compares it with its own plan (`apply --expect-checksum`), so what is applied is what
/// was reviewed.
pub fn plan(
    plan: &Plan,
    access: &AccessNotes,
    checksum: Option<&str>,
    scope: Scope<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut text = String::new();
    scope.open(PLAN_MARKER, &mut text);
    text.push_str(&format!(
        "### miyabi-guild plan for \"{}\"{}\n\n",
        inline(&plan.guild_name),
        sandbox_note(plan.sandbox)
    ));
    if plan.sandbox {
        text.push_str("> [!NOTE]\n> Planned against the built-in **sandbox** guild, not a real Discord server.\n\n");
    }
    if plan.partial {
        let targets: Vec<String> = plan
            .targets
            .iter()
            .map(|t| format!("`{}`", inline(t)))
            .collect();
        text.push_str(&format!(
            "**Partial plan:** only {} and what {}; the rest of the file is not compared.\n\n",
            targets.join(", "),
            if targets.len() == 1 {
                "it needs"
            } else {
                "they need"
            }
        ));
    }
    if plan.is_empty() {
        text.push_str(if plan.partial {
            "**No changes.** The targeted objects match the file.\n\n"
        } else {
            "**No changes.** The guild matches the file.\n\n"
        });
    } else {
        let summary = plan.summary();
        text.push_str(&format!(
            "**Plan: {} to create, {} to update, {} to delete, {} to reorder.**{}\n\n",
            summary.create,
            summary.update,
            summary.delete,
            summary.reorder,
            if plan.partial { " (partial)" } else { "" }
        ));
        text.push_str("| | create | update | delete | reorder |\n|---|---:|---:|---:|---:|\n");
        for section in SECTIONS {
            let count = |kind: ChangeKind| {
                plan.changes
                    .iter()
                    .filter(|c| section_of(c) == *section && c.kind() == kind)
                    .count()
            };
            let row = [
                ChangeKind::Create,
                ChangeKind::Update,
                ChangeKind::Delete,
                ChangeKind::Reorder,
            ]
            .map(count);
            if row.iter().sum::<usize>() > 0 {
                text.push_str(&format!(
                    "| {section} | {} | {} | {} | {} |\n",
                    row[0], row[1], row[2], row[3]
                ));
            }
        }
        text.push('\n');
    }
    access_alert(access, "this plan widens access", &mut text);

    let deletes: Vec<&Change> = plan
        .changes
        .iter()
        // A role taken from a member (the staff roster) is not an object lost for good.
        .filter(|c| c.kind() == ChangeKind::Delete && !crate::access::roster::is_roster(c))
        .collect();
    if !deletes.is_empty() {
        text.push_str(&format!(
            "> [!WARNING]\n> **{} to delete.** Deleted objects and their messages cannot be restored:\n",
            deletes.len()
        ));
        for change in deletes {
            text.push_str(&format!("> - {}\n", inline(&change.describe())));
        }
        text.push('\n');
    }

    let mut sections = Vec::new();
    for section in SECTIONS {
        let changes: Vec<Change> = plan
            .changes
            .iter()
            .filter(|c| section_of(c) == *section)
            .cloned()
            .collect();
        if changes.is_empty() {
            continue;
        }
        let destructive = changes.iter().any(|c| c.kind() == ChangeKind::Delete);
        let title = format!("<b>{section}</b> ({})", section_counts(&changes));
        sections.push(details(&title, destructive, &blocks(&changes)?));
    }
    if !plan.kept.is_empty() {
        let list: String = plan
            .kept
            .iter()
            .map(|kept| format!("- {}\n", inline(&kept_label(kept))))
            .chain(["\n".to_owned()])
            .collect();
        let title = format!(
            "Kept as they are: {} not in the file, and not pruned",
            plan.kept.len()
        );
        sections.push(details(&title, false, &list));
    }
    push_within_budget(&mut text, sections);

    if !plan.warnings.is_empty() {
        text.push_str("**Warnings**\n\n");
        for warning in &plan.warnings {
            text.push_str(&format!("- {}\n", inline(warning)));
        }
        text.push('\n');
    }
    if !plan.is_empty() {
        text.push_str(
            "<sub>Applied by `miyabi-guild apply` once this is merged and the deployment is approved.</sub>\n",
        );
    }
    if let Some(checksum) = checksum {
        text.push_str(&format!(
            "\n<sub>Plan checksum: `{checksum}`</sub>\n{}\n",
            scope.checksum_marker(checksum)
        ));
    }
    out.write_all(text.as_bytes())
}

/// The drift report as an issue body or a step summary.
pub fn drift(
    drift: &Drift,
    access: &AccessNotes,
    scope: Scope<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut text = String::new();
    scope.open(DRIFT_MARKER, &mut text);
    text.push_str(&format!(
        "### Drift in \"{}\"{}\n\n",
        inline(&drift.guild_name),
        sandbox_note(drift.sandbox)
    ));
    if drift.in_sync() {
        text.push_str("**No drift.** The guild matches the file.\n\n");
    } else {
        text.push_str(&format!(
            "**The guild differs from the file: {}.**\n\n",
            counts(drift.summary())
        ));
    }
    access_alert(access, "access was widened by hand", &mut text);

    let mut sections = Vec::new();
    for kind in DriftKind::ALL {
        let changes: Vec<Change> = drift.of_kind(kind).map(shown).collect();
        if changes.is_empty() {
            continue;
        }
        let title = format!(
            "<b>{}</b> ({}): {}",
            heading(kind),
            changes.len(),
            reading(kind)
        );
        sections.push(details(&title, true, &blocks(&changes)?));
    }
    if !drift.unmanaged.is_empty() {
        let list: String = drift
            .unmanaged
            .iter()
            .map(|kept| format!("- {}\n", inline(&kept_label(kept))))
            .chain(["\n".to_owned()])
            .collect();
        let title = format!(
            "Not in the file and not pruned ({}): not drift",
            drift.unmanaged.len()
        );
        sections.push(details(&title, false, &list));
    }
    push_within_budget(&mut text, sections);
    if !drift.in_sync() {
        text.push_str(
            "To resolve: run `miyabi-guild plan` to see how `apply` would restore the file, or change `server.toml` to keep what was done by hand.\n",
        );
    }
    out.write_all(text.as_bytes())
}

/// `1 to create, 2 to update`
fn section_counts(changes: &[Change]) -> String {
    [
        (ChangeKind::Create, "to create"),
        (ChangeKind::Update, "to update"),
        (ChangeKind::Delete, "to delete"),
        (ChangeKind::Reorder, "to reorder"),
    ]
    .iter()
    .filter_map(|(kind, label)| {
        let n = changes.iter().filter(|c| c.kind() == *kind).count();
        (n > 0).then(|| format!("{n} {label}"))
    })
    .collect::<Vec<_>>()
    .join(", ")
}

/// Who-can-see changes first: a caution when access widens, a note otherwise.
fn access_alert(access: &AccessNotes, widened: &str, text: &mut String) {
    if access.is_empty() {
        return;
    }
    if access.widens {
        text.push_str(&format!(
            "> [!CAUTION]\n> **Who can see what changes: {widened}.**\n"
        ));
    } else {
        text.push_str("> [!IMPORTANT]\n> **Who can see what changes.**\n");
    }
    for line in &access.lines {
        text.push_str(&format!("> - {}\n", inline(&line.text)));
    }
    text.push('\n');
}

/// Sections in order until the budget is spent; then a note for the rest.
fn push_within_budget(text: &mut String, sections: Vec<String>) {
    let mut left_out = 0;
    for section in sections {
        if left_out == 0 && text.len() + section.len() <= BUDGET {
            text.push_str(&section);
        } else {
            left_out += 1;
        }
    }
    if left_out > 0 {
        text.push_str(&format!(
            "_{left_out} more section(s) left out: GitHub limits a comment to 65,536 characters. The full plan is in the run's step summary and its `miyabi-guild-plan` artifact; `miyabi-guild plan` prints it too._\n\n"
        ));
    }
}

fn details(title: &str, open: bool, body: &str) -> String {
    let open = if open { " open" } else { "" };
    format!("<details{open}><summary>{title}</summary>\n\n{body}</details>\n\n")
}

/// The change blocks as `diff` code blocks; a long block folded on its own.
fn blocks(changes: &[Change]) -> io::Result<String> {
    let mut body = String::new();
    let mut pending = String::new();
    for change in changes {
        let mut buffer = Vec::new();
        change_block(change, Style::PLAIN, &mut buffer)?;
        let block = diff_lines(&String::from_utf8_lossy(&buffer));
        if block.lines().count() > FOLD_LINES {
            flush(&mut pending, &mut body);
            let header = block.lines().next().unwrap_or_default();
            body.push_str(&details(
                &format!("<code>{}</code>", html(header)),
                false,
                &code_block(&block),
            ));
        } else {
            pending.push_str(&block);
        }
    }
    flush(&mut pending, &mut body);
    Ok(body)
}

fn flush(pending: &mut String, body: &mut String) {
    if !pending.is_empty() {
        body.push_str(&code_block(pending));
        body.push('\n');
        pending.clear();
    }
}

/// Terminal text as diff lines: two columns of indent dropped, `+`/`-` markers moved to the
/// first column so GitHub colours them.
fn diff_lines(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = line.strip_prefix("  ").unwrap_or(line);
        let rest = line.trim_start();
        let indent = line.len() - rest.len();
        match rest.chars().next() {
            Some(marker @ ('+' | '-')) if indent > 0 && rest[1..].starts_with(' ') => {
                out.push(marker);
                out.push_str(&" ".repeat(indent));
                out.push_str(&rest[1..]);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// A fenced code block whose fence is longer than any run of backticks inside.
fn code_block(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}diff\n{text}{fence}\n")
}

/// Text for HTML (inside `<summary>`).
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text for inline Markdown: HTML escaped, Markdown's own punctuation backslash-escaped.
pub(crate) fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in html(text).chars() {
        if matches!(character, '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~') {
            out.push('\\');
        }
        out.push(character);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_move_to_the_first_column_and_headers_lose_their_indent() {
        let text = "  ~ #general\n      topic\n        - old\n        + new\n          same\n  - role \"X\"\n";
        assert_eq!(
            diff_lines(text),
            "~ #general\n    topic\n-       old\n+       new\n        same\n- role \"X\"\n"
        );
    }

    #[test]
    fn a_fence_is_longer_than_any_backticks_inside() {
        assert_eq!(code_block("a\n"), "```diff\na\n```\n");
        assert_eq!(code_block("```x```\n"), "````diff\n```x```\n````\n");
    }

    #[test]
    fn names_cannot_break_out_of_markdown_or_html() {
        assert_eq!(inline("<b>*x*</b>"), "&lt;b&gt;\\*x\\*&lt;/b&gt;");
        assert_eq!(inline("#general"), "#general");
    }

    #[test]
    fn sections_past_the_budget_are_left_out_with_a_note() {
        let mut text = String::new();
        push_within_budget(&mut text, vec!["a".repeat(BUDGET - 10), "b".repeat(20)]);
        assert!(text.starts_with('a'));
        assert!(!text.contains("bbb"));
        assert!(text.contains("1 more section(s) left out"));
    }
}
