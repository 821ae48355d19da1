//! Access matrices for people (text, Markdown) and machines (JSON).
//!
//! Rows are channels in display order (categories flush left, their channels indented), columns
//! are `@everyone` and each role top to bottom. A cell is three symbols, `V` view, `P` post, `M`
//! manage, with `-` for what is missing: `VP-` can read and write, `V--` is read-only, `---` is
//! hidden. The symbols carry the meaning; colour only dims hidden cells and marks differences.
//! In a comparison a differing cell reads `live>file` (`V-->VP-`).

use std::io::{self, Write};

use serde_json::{Map, Value, json};
use unicode_width::UnicodeWidthStr;

use crate::model::ChannelKind;
use crate::render::Style;

use super::AccessChange;
use super::matrix::{Access, ChannelInfo, Compared, Comparison, Matrix, Presence, SubjectInfo};

/// The legend printed under every text matrix.
pub const LEGEND: &str = "V can view · P can post (voice: connect and speak) · M can manage (the channel, its permissions or messages) · - cannot";

fn pad(text: &str, width: usize) -> String {
    let used = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

fn row_label(channel: &ChannelInfo) -> String {
    if channel.kind == ChannelKind::Category || channel.category.is_none() {
        channel.short_label()
    } else {
        format!("  {}", channel.short_label())
    }
}

fn subject_label(subject: &SubjectInfo) -> String {
    let mut label = subject.name.clone();
    if subject.administrator && subject.key != super::EVERYONE {
        label.push_str(" (administrator: every channel)");
    }
    if subject.managed {
        label.push_str(" (integration)");
    }
    label
}

fn presence_note(presence: Presence) -> &'static str {
    match presence {
        Presence::Both => "",
        Presence::LiveOnly => " (not in the file)",
        Presence::DesiredOnly => " (not created yet)",
    }
}

fn write_columns<'a>(
    out: &mut dyn Write,
    subjects: impl Iterator<Item = (&'a SubjectInfo, Presence)>,
) -> io::Result<()> {
    writeln!(
        out,
        "Columns (a member holding only that role, and @everyone):"
    )?;
    for (index, (subject, presence)) in subjects.enumerate() {
        writeln!(
            out,
            "  {index:>2}  {}{}",
            subject_label(subject),
            presence_note(presence)
        )?;
    }
    writeln!(out)
}

fn write_header(
    out: &mut dyn Write,
    label_width: usize,
    columns: usize,
    cell: usize,
) -> io::Result<()> {
    let mut line = pad("", label_width);
    for index in 0..columns {
        line.push_str("  ");
        line.push_str(&pad(&index.to_string(), cell));
    }
    writeln!(out, "{}", line.trim_end())
}

/// The matrix of one view as text. `source` says whose it is (`server.toml`, `the live guild`).
pub fn human(matrix: &Matrix, source: &str, style: Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", style.bold(&format!("Access in {source}")))?;
    writeln!(out)?;
    write_columns(out, matrix.subjects.iter().map(|s| (s, Presence::Both)))?;
    let labels: Vec<String> = matrix.channels.iter().map(row_label).collect();
    let label_width = labels
        .iter()
        .map(|l| UnicodeWidthStr::width(l.as_str()))
        .max()
        .unwrap_or(0);
    write_header(out, label_width, matrix.subjects.len(), 3)?;
    for (label, row) in labels.iter().zip(&matrix.cells) {
        let mut line = pad(label, label_width);
        for cell in row {
            let symbols = cell.access.symbols();
            line.push_str("  ");
            if cell.access.view {
                line.push_str(&symbols);
            } else {
                line.push_str(&style.dim(&symbols));
            }
        }
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    writeln!(out, "{LEGEND}")
}

fn compared_cell(cell: Compared) -> String {
    match (cell.live, cell.desired) {
        (Some(live), Some(desired)) if live != desired => {
            format!("{}>{}", live.symbols(), desired.symbols())
        }
        (_, Some(access)) | (Some(access), None) => access.symbols(),
        (None, None) => "   ".to_owned(),
    }
}

fn change_marker(change: &AccessChange) -> &'static str {
    if change.widens() { "!" } else { "-" }
}

/// The live guild and the file side by side, then the changes in words.
pub fn human_comparison(
    comparison: &Comparison,
    source: &str,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        style.bold(&format!("Access: the live guild compared with {source}"))
    )?;
    writeln!(out)?;
    write_columns(out, comparison.subjects.iter().map(|(s, p)| (s, *p)))?;
    let labels: Vec<String> = comparison
        .channels
        .iter()
        .map(|(channel, presence)| format!("{}{}", row_label(channel), presence_note(*presence)))
        .collect();
    let label_width = labels
        .iter()
        .map(|l| UnicodeWidthStr::width(l.as_str()))
        .max()
        .unwrap_or(0);
    write_header(out, label_width, comparison.subjects.len(), 7)?;
    for (label, row) in labels.iter().zip(&comparison.cells) {
        let mut line = pad(label, label_width);
        for cell in row {
            let text = pad(&compared_cell(*cell), 7);
            line.push_str("  ");
            if cell.differs() {
                line.push_str(&style.update(&text));
            } else {
                line.push_str(&text);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(out)?;
    writeln!(out, "{LEGEND}")?;
    writeln!(out, "a>b: live a, the file b")?;
    writeln!(out)?;
    let widening = comparison.changes.iter().filter(|c| c.widens()).count();
    if comparison.changes.is_empty() {
        writeln!(
            out,
            "Applying the file would not change who can view, post or manage."
        )?;
    } else {
        writeln!(
            out,
            "Applying the file would change access in {} place{} ({widening} widen{}):",
            comparison.changes.len(),
            if comparison.changes.len() == 1 {
                ""
            } else {
                "s"
            },
            if widening == 1 { "s" } else { "" },
        )?;
        for change in &comparison.changes {
            let line = format!("  {} {change}", change_marker(change));
            if change.widens() {
                writeln!(out, "{}", style.delete(&line))?;
            } else {
                writeln!(out, "{line}")?;
            }
        }
        writeln!(out)?;
        writeln!(out, "! widens access · - narrows it")?;
    }
    Ok(())
}

fn markdown_escape(text: &str) -> String {
    text.replace('|', "\\|")
}

fn markdown_row_label(channel: &ChannelInfo) -> String {
    let label = markdown_escape(&channel.short_label());
    if channel.kind == ChannelKind::Category {
        format!("**{label}**")
    } else {
        label
    }
}

/// The matrix of one view as a Markdown table (for a pull request or a wiki page).
pub fn markdown(matrix: &Matrix, source: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "### Access in {}", markdown_escape(source))?;
    writeln!(out)?;
    let header: Vec<String> = matrix
        .subjects
        .iter()
        .map(|s| markdown_escape(&subject_label(s)))
        .collect();
    writeln!(out, "| Channel | {} |", header.join(" | "))?;
    writeln!(out, "| --- |{}", " :-: |".repeat(header.len()))?;
    for (channel, row) in matrix.channels.iter().zip(&matrix.cells) {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| format!("`{}`", cell.access.symbols()))
            .collect();
        writeln!(
            out,
            "| {} | {} |",
            markdown_row_label(channel),
            cells.join(" | ")
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Each column is a member holding only that role (and @everyone). {LEGEND}."
    )
}

/// A comparison as a Markdown table, then the changes as a list.
pub fn markdown_comparison(
    comparison: &Comparison,
    source: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "### Access: the live guild compared with {}",
        markdown_escape(source)
    )?;
    writeln!(out)?;
    let header: Vec<String> = comparison
        .subjects
        .iter()
        .map(|(s, presence)| {
            markdown_escape(&format!("{}{}", subject_label(s), presence_note(*presence)))
        })
        .collect();
    writeln!(out, "| Channel | {} |", header.join(" | "))?;
    writeln!(out, "| --- |{}", " :-: |".repeat(header.len()))?;
    for ((channel, presence), row) in comparison.channels.iter().zip(&comparison.cells) {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| match (cell.live, cell.desired) {
                (Some(live), Some(desired)) if live != desired => {
                    format!("**`{}` → `{}`**", live.symbols(), desired.symbols())
                }
                (_, Some(access)) | (Some(access), None) => format!("`{}`", access.symbols()),
                (None, None) => String::new(),
            })
            .collect();
        writeln!(
            out,
            "| {}{} | {} |",
            markdown_row_label(channel),
            presence_note(*presence),
            cells.join(" | ")
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Each column is a member holding only that role (and @everyone). {LEGEND}. `a` → `b`: live a, the file b."
    )?;
    if !comparison.changes.is_empty() {
        writeln!(out)?;
        writeln!(out, "Applying the file would change:")?;
        writeln!(out)?;
        for change in &comparison.changes {
            let what = if change.widens() {
                "**widens**"
            } else {
                "narrows"
            };
            writeln!(out, "- {what}: {}", markdown_escape(&change.to_string()))?;
        }
    }
    Ok(())
}

fn access_json(access: Access) -> Value {
    json!({ "view": access.view, "post": access.post, "manage": access.manage })
}

fn channel_json(channel: &ChannelInfo) -> Map<String, Value> {
    let mut object = Map::new();
    object.insert("key".into(), json!(channel.key));
    object.insert("name".into(), json!(channel.name));
    object.insert("kind".into(), json!(channel.kind));
    object.insert("category".into(), json!(channel.category));
    object
}

/// The matrix of one view as JSON: `roles` (columns, `everyone` first) and `channels`, each
/// with `access` keyed by role key.
/// `sandbox`: the live side was read from the built-in sandbox, not a real server.
pub fn json(matrix: &Matrix, source: &str, sandbox: bool, out: &mut dyn Write) -> io::Result<()> {
    let channels: Vec<Value> = matrix
        .channels
        .iter()
        .zip(&matrix.cells)
        .map(|(channel, row)| {
            let mut object = channel_json(channel);
            let access: Map<String, Value> = matrix
                .subjects
                .iter()
                .zip(row)
                .map(|(subject, cell)| (subject.key.clone(), access_json(cell.access)))
                .collect();
            object.insert("access".into(), Value::Object(access));
            Value::Object(object)
        })
        .collect();
    let document = json!({
        "format_version": 1,
        "source": source,
        "sandbox": sandbox,
        "roles": matrix.subjects,
        "channels": channels,
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// A comparison as JSON: like [`json()`], each access holding `live`, `desired` (null where the
/// side lacks the channel or role) and `differs`; then `changes`.
pub fn json_comparison(
    comparison: &Comparison,
    source: &str,
    sandbox: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let roles: Vec<Value> = comparison
        .subjects
        .iter()
        .map(|(subject, presence)| {
            let mut value = json!(subject);
            value["presence"] = json!(presence);
            value
        })
        .collect();
    let channels: Vec<Value> = comparison
        .channels
        .iter()
        .zip(&comparison.cells)
        .map(|((channel, presence), row)| {
            let mut object = channel_json(channel);
            object.insert("presence".into(), json!(presence));
            let access: Map<String, Value> = comparison
                .subjects
                .iter()
                .zip(row)
                .map(|((subject, _), cell)| {
                    (
                        subject.key.clone(),
                        json!({
                            "live": cell.live.map(access_json),
                            "desired": cell.desired.map(access_json),
                            "differs": cell.differs(),
                        }),
                    )
                })
                .collect();
            object.insert("access".into(), Value::Object(access));
            Value::Object(object)
        })
        .collect();
    let changes: Vec<Value> = comparison
        .changes
        .iter()
        .map(|change| {
            json!({
                "channel": change.channel.key,
                "kind": change.channel.kind,
                "role": change.subject.key,
                "before": access_json(change.before),
                "after": access_json(change.after),
                "widens": change.widens(),
                "text": change.to_string(),
            })
        })
        .collect();
    let document = json!({
        "format_version": 1,
        "source": source,
        "compared_with": "live",
        "sandbox": sandbox,
        "roles": roles,
        "channels": channels,
        "changes": changes,
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
