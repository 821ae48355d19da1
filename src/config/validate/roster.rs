//! `roster = true` and `members` on a role: the staff roster (`model::roster`).
//!
//! A rostered role lists exactly who holds it: every id a Discord id, each at most once.
//! `members` without `roster = true` (or the reverse) is a mistake, never a silent default: a
//! forgotten `members` would otherwise take the role from everyone who holds it.

use std::ops::Range;

use super::Validator;
use crate::config::raw::{RawRole, Sp};
use crate::model::roster::{RosterMember, RosterRole};

impl Validator<'_> {
    pub(super) fn roster(&mut self, raw: &[Sp<RawRole>]) -> Vec<RosterRole> {
        let mut roster = Vec::new();
        for role in raw {
            let role = &role.value;
            let rostered = role.roster.as_ref().filter(|flag| flag.value);
            match (rostered, &role.members) {
                (None, None) => continue,
                (None, Some(members)) => {
                    let hint = if role.roster.is_some() {
                        "remove `members`, or set `roster = true` to manage who holds this role"
                    } else {
                        "add `roster = true` to manage who holds this role (roles without it are never touched)"
                    };
                    self.error("`members` needs `roster = true`", members.whole())
                        .hint = Some(hint.into());
                    continue;
                }
                (Some(flag), None) => {
                    self.error(
                        "a rostered role must list its `members`",
                        flag.whole(),
                    )
                    .hint = Some(
                        "write `members = [{ id = \"…\", name = \"alice\" }]` with everyone who holds it, or `members = []` for nobody"
                            .into(),
                    );
                    continue;
                }
                (Some(_), Some(members)) => {
                    let Some(key) = &role.key else { continue };
                    let members = self.roster_members(&members.value);
                    roster.push(RosterRole {
                        key: key.value.clone(),
                        members,
                    });
                }
            }
        }
        roster
    }

    fn roster_members(
        &mut self,
        raw: &[Sp<crate::config::raw::RawRosterMember>],
    ) -> Vec<RosterMember> {
        let mut seen: Vec<(u64, Range<usize>)> = Vec::new();
        let mut members = Vec::new();
        for member in raw {
            let Some(id_text) = &member.value.id else {
                continue;
            };
            let Some(id) = self.snowflake(id_text, "members") else {
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(other, _)| *other == id) {
                let line = self.line_of(first);
                self.error(
                    format!("user `{id}` is listed twice in this roster"),
                    id_text.span.clone(),
                )
                .hint = Some(format!("it is first listed on line {line}; remove one"));
                continue;
            }
            seen.push((id, id_text.span.clone()));
            let name = member.value.name.as_ref().and_then(|name| {
                let text = name.value.trim();
                if text.is_empty()
                    || text.chars().count() > 100
                    || text.chars().any(char::is_control)
                {
                    self.error(
                        "a roster member's `name` is 1-100 characters on one line",
                        name.span.clone(),
                    )
                    .hint = Some("the name is a label for people; write who this is".into());
                    None
                } else {
                    Some(text.to_owned())
                }
            });
            members.push(RosterMember {
                id: twilight_model::id::Id::new(id),
                name,
            });
        }
        members
    }
}
