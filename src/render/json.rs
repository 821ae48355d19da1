//! Machine-readable output: the plan document of `plan --json` and `plan --out`.

use std::io::{self, Write};

use crate::saved::SavedPlan;

/// The plan document, pretty-printed: the plan's fields, its summary, the fingerprints and the
/// checksum `apply PLAN` verifies.
pub fn plan(document: &SavedPlan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, document)?;
    writeln!(out)
}
