//! Machine-readable output: the plan as JSON, with its summary.

use std::io::{self, Write};

use serde::Serialize;

use crate::plan::{Plan, Summary};

#[derive(Serialize)]
struct PlanDocument<'a> {
    format_version: u32,
    summary: Summary,
    #[serde(flatten)]
    plan: &'a Plan,
}

/// The JSON document `plan --json` prints and `plan --out` saves.
pub fn plan(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    let document = PlanDocument {
        format_version: 1,
        summary: plan.summary(),
        plan,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
