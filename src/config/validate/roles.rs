//! `[[roles]]`: keys, names, former names, colours and icons.

use super::{Claim, Validator, is_valid_key, propose_key};
use crate::config::raw::{RawRole, Sp};
use crate::model::{DesiredRole, RoleSettings};

use super::limits;

impl Validator<'_> {
    pub(super) fn roles(&mut self, raw: &[Sp<RawRole>]) -> Vec<DesiredRole> {
        // Keys first, so overwrites anywhere can be checked against all of them.
        for role in raw {
            if let Some(key) = &role.value.key {
                let name = role.value.name.as_ref().map(|name| name.value.clone());
                self.role_keys.push((key.value.clone(), name));
            }
        }
        if raw.len() > limits::ROLES {
            self.error(
                format!(
                    "too many roles: {} (Discord allows at most {})",
                    raw.len(),
                    limits::ROLES
                ),
                raw[limits::ROLES].span.clone(),
            )
            .hint = Some(format!(
                "this is role number {}; remove some roles",
                limits::ROLES + 1
            ));
        }
        let mut keys: Vec<Claim> = Vec::new();
        let mut names: Vec<Claim> = Vec::new();
        let mut previous: Vec<(Claim, String)> = Vec::new();
        let mut roles = Vec::new();
        for role in raw {
            let role = &role.value;
            if let Some(key) = &role.key {
                self.role_key(key, &keys);
                keys.push(Claim {
                    name: key.value.clone(),
                    span: key.span.clone(),
                });
            }
            if let Some(name) = &role.name {
                self.check_name(name, "role name");
                if let Some(first) = names.iter().find(|claim| claim.name == name.value) {
                    let line = self.line_of(&first.span);
                    self.error(
                        format!("two roles are named `{}`", name.value),
                        name.span.clone(),
                    )
                    .hint = Some(format!(
                        "the first is on line {line}; roles are matched by name, so names must be unique"
                    ));
                }
                names.push(Claim {
                    name: name.value.clone(),
                    span: name.span.clone(),
                });
            }
            let owner = role
                .name
                .as_ref()
                .map(|name| name.value.clone())
                .unwrap_or_default();
            for former in role.previously.iter().flat_map(|list| list.value.iter()) {
                self.check_name(former, "former role name");
                previous.push((
                    Claim {
                        name: former.value.clone(),
                        span: former.span.clone(),
                    },
                    owner.clone(),
                ));
            }
            let (color, secondary_color, tertiary_color) = self.role_colors(role);
            let unicode_emoji = role.emoji.as_ref().and_then(|emoji| self.role_emoji(emoji));
            let icon = role.icon.as_ref().and_then(|icon| self.icon(icon));
            if let (Some(_), Some(icon)) = (&role.emoji, &role.icon) {
                self.error(
                    "a role has either an `emoji` or an `icon`, not both",
                    icon.whole(),
                )
                .hint = Some("Discord shows one of them; remove `emoji` or `icon`".into());
            }
            let permissions = self.permissions(role.permissions.as_ref());
            let id = role
                .id
                .as_ref()
                .and_then(|id| self.pin(id))
                .map(twilight_model::id::Id::new);
            roles.push(DesiredRole {
                key: role
                    .key
                    .as_ref()
                    .map(|key| key.value.clone())
                    .unwrap_or_default(),
                id,
                previously: role
                    .previously
                    .iter()
                    .flat_map(|list| list.value.iter().map(|former| former.value.clone()))
                    .collect(),
                settings: RoleSettings {
                    name: owner,
                    color,
                    hoist: role.hoist.as_ref().is_some_and(|flag| flag.value),
                    mentionable: role.mentionable.as_ref().is_some_and(|flag| flag.value),
                    permissions,
                    secondary_color,
                    tertiary_color,
                    unicode_emoji,
                    icon,
                },
            });
        }
        self.former_names(&names, &previous, "role", "roles");
        roles
    }

    pub(super) fn role_key(&mut self, key: &Sp<String>, earlier: &[Claim]) {
        let text = key.value.as_str();
        if text == "everyone" || text == "@everyone" {
            self.error(
                "the role key `everyone` is reserved for @everyone",
                key.span.clone(),
            )
            .hint = Some(
                "set @everyone's permissions in `[everyone]`; pick another key for this role"
                    .into(),
            );
        } else if !is_valid_key(text) {
            let proposal = propose_key(text);
            let hint = if proposal.is_empty() {
                "keys start with a lowercase letter or digit, then letters, digits, `-` or `_`"
                    .to_owned()
            } else {
                format!("keys use lowercase letters, digits, `-` and `_`: try `{proposal}`")
            };
            self.error(format!("invalid role key `{text}`"), key.span.clone())
                .hint = Some(hint);
        }
        if let Some(first) = earlier.iter().find(|claim| claim.name == text) {
            let line = self.line_of(&first.span);
            self.error(format!("duplicate role key `{text}`"), key.span.clone())
                .hint = Some(format!(
                "the key is first used on line {line}; keys must be unique"
            ));
        }
    }

    pub(super) fn color(&mut self, color: &Sp<String>) -> u32 {
        let text = color.value.as_str();
        let parsed = text
            .strip_prefix('#')
            .filter(|hex| hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok());
        match parsed {
            Some(value) => value,
            None => {
                let hint = if text.len() == 6 && text.chars().all(|c| c.is_ascii_hexdigit()) {
                    format!("add the `#`: `\"#{text}\"`")
                } else {
                    "write colours as `\"#rrggbb\"`, for example `\"#e67e22\"`".to_owned()
                };
                self.error(format!("invalid colour `{text}`"), color.span.clone())
                    .hint = Some(hint);
                0
            }
        }
    }

    /// `color`, `colors` or `holographic`: (primary, secondary, tertiary).
    pub(super) fn role_colors(&mut self, role: &RawRole) -> (u32, Option<u32>, Option<u32>) {
        let holographic = role.holographic.as_ref().filter(|flag| flag.value);
        if let Some(flag) = holographic {
            for (key, present) in [
                ("color", role.color.is_some()),
                ("colors", role.colors.is_some()),
            ] {
                if present {
                    self.error(
                        format!("`holographic` cannot be combined with `{key}`"),
                        flag.whole(),
                    )
                    .hint = Some(format!(
                        "the holographic style has Discord's fixed colours; remove `{key}` or `holographic`"
                    ));
                }
            }
            let (primary, secondary, tertiary) = limits::HOLOGRAPHIC;
            return (primary, Some(secondary), Some(tertiary));
        }
        if let Some(colors) = &role.colors {
            if let Some(color) = &role.color {
                self.error("`color` and `colors` cannot be combined", color.whole())
                    .hint = Some(
                    "`colors` is a gradient `[primary, secondary]`; keep `color` alone for one colour"
                        .into(),
                );
            }
            let parsed: Vec<u32> = colors.value.iter().map(|color| self.color(color)).collect();
            return match parsed.as_slice() {
                [primary, secondary] => (*primary, Some(*secondary), None),
                _ => {
                    let hint = if parsed.len() > 2 {
                        "Discord's third colour only exists in the holographic style: write `holographic = true`"
                    } else {
                        "write two colours, `[\"#rrggbb\", \"#rrggbb\"]`, or use `color` for one"
                    };
                    self.error(
                        format!(
                            "`colors` is a gradient of two colours, found {}",
                            parsed.len()
                        ),
                        colors.span.clone(),
                    )
                    .hint = Some(hint.into());
                    (parsed.first().copied().unwrap_or(0), None, None)
                }
            };
        }
        let color = role.color.as_ref().map_or(0, |color| self.color(color));
        (color, None, None)
    }

    pub(super) fn role_emoji(&mut self, emoji: &Sp<String>) -> Option<String> {
        if emoji.value.starts_with('<') {
            self.error(
                "a role's `emoji` must be a unicode emoji",
                emoji.span.clone(),
            )
            .hint = Some(
                "for a custom emoji, save its image and set `icon = \"path/to/image.png\"`".into(),
            );
            return None;
        }
        self.unicode_emoji(emoji)
    }
}
