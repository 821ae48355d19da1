//! The staff roster's changes in a plan: `+ user 1234 (alice) gets "🔴 Admin" (administrator)`.

use std::io::{self, Write};

use super::Style;
use crate::access::roster::powers;
use crate::plan::Change;

/// One roster change under the "Staff roster" heading; other changes are not written.
pub(super) fn change_block(
    change: &Change,
    mark: &str,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match change {
        Change::AssignRole {
            member,
            role,
            permissions,
        } => writeln!(
            out,
            "  {mark} {} gets \"{}\" {}",
            member.label(),
            role.name,
            style.dim(&format!("({})", powers(*permissions)))
        ),
        Change::UnassignRole {
            member,
            role,
            permissions,
        } => writeln!(
            out,
            "  {mark} {} loses \"{}\" {}",
            member.label(),
            style.delete(&role.name),
            style.dim(&format!(
                "({}; not in the role's roster)",
                powers(*permissions)
            ))
        ),
        _ => Ok(()),
    }
}
