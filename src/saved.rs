//! Saved plans: `plan --out plan.json` writes a plan that `apply plan.json` carries out exactly,
//! without planning again.
//!
//! The document holds the plan, the assets it needs (webhook avatars), the read scope, a
//! fingerprint of every live object the plan touches (or of the absence of objects it creates),
//! and a SHA-256 checksum of all of that. Before applying, the checksum is verified and the
//! fingerprints are taken again from the live guild: any difference means someone changed the
//! guild since the plan was reviewed, and the apply is refused, naming what changed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::live::Scope;
use crate::model::{ChannelKind, LiveGuild};
use crate::plan::{Change, ChannelRef, Plan, RoleRef, Summary};

pub const FORMAT_VERSION: u32 = 1;

/// The JSON document of `plan --json` and `plan --out`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedPlan {
    pub format_version: u32,
    pub summary: Summary,
    #[serde(flatten)]
    pub plan: Plan,
    /// What the plan was made from, to read the same parts of the guild again.
    pub scope: Scope,
    /// Webhook avatars (`data:` URIs) by webhook name.
    #[serde(default)]
    pub webhook_avatars: BTreeMap<String, String>,
    /// The guild images the plan uploads (`data:` URIs) by their `sha256:` label.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub images: BTreeMap<String, String>,
    /// `kind:identity` → SHA-256 of the live object as it was.
    pub fingerprints: BTreeMap<String, String>,
    /// SHA-256 of everything above.
    pub checksum: String,
}

/// Why a saved plan cannot be applied.
#[derive(Debug, thiserror::Error)]
pub enum SavedPlanError {
    #[error("the plan file is not a plan of this version of miyabi-guild: {0}")]
    Unreadable(String),
    #[error("the plan file was modified after it was saved (its checksum does not match)")]
    Tampered,
    #[error("the plan is for guild {planned}, but the tool is pointed at guild {current}")]
    OtherGuild { planned: u64, current: u64 },
    #[error("the guild changed since the plan was made: {}", shortened(.0))]
    Stale(Vec<String>),
    /// Objects this plan creates exist now: an earlier run of it stopped partway.
    #[error(
        "this plan was partly applied ({0} already exists): run `miyabi-guild plan` and review the rest"
    )]
    PartlyApplied(String),
}

/// The first few of `items`, then how many more.
fn shortened(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if items.len() > SHOWN {
        text.push_str(&format!("; and {} more", items.len() - SHOWN));
    }
    text
}

impl SavedPlan {
    pub fn new(plan: Plan, scope: Scope, assets: &crate::apply::Assets, live: &LiveGuild) -> Self {
        let fingerprints = fingerprints(&plan, live);
        let mut saved = Self {
            format_version: FORMAT_VERSION,
            summary: plan.summary(),
            plan,
            scope,
            webhook_avatars: assets.webhook_avatars.clone().into_iter().collect(),
            images: assets.images.clone().into_iter().collect(),
            fingerprints,
            checksum: String::new(),
        };
        saved.checksum = saved.compute_checksum();
        saved
    }

    fn compute_checksum(&self) -> String {
        let mut unsigned = self.clone();
        unsigned.checksum = String::new();
        let text = serde_json::to_string(&unsigned).unwrap_or_default();
        hex(&Sha256::digest(text.as_bytes()))
    }

    /// Parses a saved plan and verifies its checksum.
    pub fn load(text: &str) -> Result<Self, SavedPlanError> {
        let saved: Self =
            serde_json::from_str(text).map_err(|e| SavedPlanError::Unreadable(e.to_string()))?;
        if saved.format_version != FORMAT_VERSION {
            return Err(SavedPlanError::Unreadable(format!(
                "format version {}",
                saved.format_version
            )));
        }
        if saved.compute_checksum() != saved.checksum {
            return Err(SavedPlanError::Tampered);
        }
        Ok(saved)
    }

    /// Refuses when the live guild is not the one the plan was made against.
    pub fn verify(&self, live: &LiveGuild) -> Result<(), SavedPlanError> {
        if live.id != self.plan.guild_id {
            return Err(SavedPlanError::OtherGuild {
                planned: self.plan.guild_id.get(),
                current: live.id.get(),
            });
        }
        let now = fingerprints(&self.plan, live);
        let stale: Vec<&String> = self
            .fingerprints
            .keys()
            .filter(|key| now.get(*key) != self.fingerprints.get(*key))
            .collect();
        // A create of this plan that was absent and is present now: most likely this plan's own
        // earlier run, which stopped partway. Say so in one line instead of listing every object
        // it touched.
        let nothing = digest(&Vec::<u64>::new());
        if let Some(created) = stale
            .iter()
            .find(|key| key.contains("-name:") && self.fingerprints.get(**key) == Some(&nothing))
        {
            return Err(SavedPlanError::PartlyApplied(describe_created(created)));
        }
        if stale.is_empty() {
            Ok(())
        } else {
            Err(SavedPlanError::Stale(
                stale.iter().map(|key| describe_key(key)).collect(),
            ))
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest<T: Serialize>(value: &T) -> String {
    hex(&Sha256::digest(
        serde_json::to_string(value).unwrap_or_default().as_bytes(),
    ))
}

/// `role-name:Members` → `role "Members"`, for an object a plan creates.
fn describe_created(key: &str) -> String {
    let mut parts = key.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("channel-name"), Some(kind), Some(name)) => format!("{kind} channel \"{name}\""),
        (Some(kind), Some(name), None) => {
            format!("{} \"{name}\"", kind.trim_end_matches("-name"))
        }
        _ => key.to_owned(),
    }
}

/// `role:123` → `role 123`, `channel-name:text:general` → `channels named "general" (text)`.
fn describe_key(key: &str) -> String {
    let mut parts = key.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("role"), Some(id), None) => format!("role {id} was edited, moved or deleted"),
        (Some("roster"), Some(id), None) => format!("who holds role {id} changed"),
        (Some("role-name"), Some(name), None) => {
            format!("a role named \"{name}\" appeared or disappeared")
        }
        (Some("channel"), Some(id), None) => format!("channel {id} was edited, moved or deleted"),
        (Some("channel-name"), Some(kind), Some(name)) => {
            format!("a {kind} channel named \"{name}\" appeared or disappeared")
        }
        (Some("everyone"), None, None) => "@everyone's permissions changed".to_owned(),
        (Some("guild"), None, None) => "the guild's settings changed".to_owned(),
        (Some(kind), Some(id), _) => format!("{kind} {id} changed"),
        _ => format!("{key} changed"),
    }
}

/// A fingerprint of every live object `plan` touches, and of the absence of what it creates.
pub fn fingerprints(plan: &Plan, live: &LiveGuild) -> BTreeMap<String, String> {
    let mut prints = BTreeMap::new();
    let role = |prints: &mut BTreeMap<String, String>, id: crate::model::RoleId| {
        let value = live.role(id);
        prints.insert(format!("role:{id}"), digest(&value));
    };
    let channel = |prints: &mut BTreeMap<String, String>, id: crate::model::ChannelId| {
        prints.insert(format!("channel:{id}"), digest(&live.channel(id)));
    };
    let role_name = |prints: &mut BTreeMap<String, String>, name: &str| {
        let ids: Vec<_> = live
            .roles
            .iter()
            .filter(|r| r.settings.name == name)
            .map(|r| r.id)
            .collect();
        prints.insert(format!("role-name:{name}"), digest(&ids));
    };
    let channel_name = |prints: &mut BTreeMap<String, String>, name: &str, kind: ChannelKind| {
        let ids: Vec<_> = live
            .channels
            .iter()
            .filter(|c| c.name == name && c.kind == kind)
            .map(|c| c.id)
            .collect();
        prints.insert(
            format!("channel-name:{}:{name}", kind.describe().replace(' ', "-")),
            digest(&ids),
        );
    };
    let community = &live.community;
    for change in &plan.changes {
        match change {
            Change::CreateRole { role, .. } => role_name(&mut prints, &role.name),
            Change::UpdateRole { id, .. } | Change::DeleteRole { id, .. } => role(&mut prints, *id),
            Change::UpdateEveryone { .. } => {
                prints.insert("everyone".to_owned(), digest(&live.everyone_permissions));
            }
            Change::ReorderRoles { before, .. } => {
                for slot in before {
                    if let RoleRef::Id(id) = slot.reference {
                        role(&mut prints, id);
                    }
                }
            }
            Change::CreateChannel { channel: spec, .. } => {
                channel_name(&mut prints, &spec.name, spec.kind)
            }
            Change::UpdateChannel { id, .. } | Change::DeleteChannel { id, .. } => {
                channel(&mut prints, *id)
            }
            Change::ReorderChannels { before, .. } => {
                for slot in before {
                    if let ChannelRef::Id(id) = slot.reference {
                        channel(&mut prints, id);
                    }
                }
            }
            Change::UpdateGuild { .. } => {
                prints.insert(
                    "guild".to_owned(),
                    digest(&(&live.settings, &live.features)),
                );
            }
            Change::UpdateWelcomeScreen { .. } => {
                prints.insert(
                    "welcome-screen".to_owned(),
                    digest(&community.welcome_screen),
                );
            }
            Change::UpdateOnboarding { .. } => {
                prints.insert("onboarding".to_owned(), digest(&community.onboarding));
            }
            Change::CreateAutoModRule { rule } => {
                let ids: Vec<u64> = community
                    .automod
                    .iter()
                    .filter(|r| r.rule.name == rule.name)
                    .map(|r| r.id)
                    .collect();
                prints.insert(format!("automod-name:{}", rule.name), digest(&ids));
            }
            Change::UpdateAutoModRule { id, .. } | Change::DeleteAutoModRule { id, .. } => {
                let rule = community.automod.iter().find(|r| r.id == *id);
                prints.insert(format!("automod:{id}"), digest(&rule));
            }
            Change::CreateEvent { event, .. } => {
                let ids: Vec<u64> = community
                    .events
                    .iter()
                    .filter(|e| e.name == event.name)
                    .map(|e| e.id)
                    .collect();
                prints.insert(format!("event-name:{}", event.name), digest(&ids));
            }
            Change::UpdateEvent { id, .. } | Change::DeleteEvent { id, .. } => {
                let event = community.events.iter().find(|e| e.id == *id);
                prints.insert(format!("event:{id}"), digest(&event));
            }
            Change::CreateWebhook { webhook } => {
                let ids: Vec<u64> = community
                    .webhooks
                    .iter()
                    .filter(|w| w.name == webhook.name)
                    .map(|w| w.id)
                    .collect();
                prints.insert(format!("webhook-name:{}", webhook.name), digest(&ids));
            }
            Change::UpdateWebhook { id, .. } | Change::DeleteWebhook { id, .. } => {
                let webhook = community.webhooks.iter().find(|w| w.id == *id);
                prints.insert(format!("webhook:{id}"), digest(&webhook));
            }
            Change::CreateInvite { invite, .. } | Change::DeleteInvite { invite, .. } => {
                if let ChannelRef::Id(id) = invite.channel.channel {
                    let invites: Vec<_> = community
                        .invites
                        .invites
                        .iter()
                        .filter(|i| i.invite.channel == id)
                        .collect();
                    prints.insert(format!("invites:{id}"), digest(&invites));
                }
            }
            Change::UpdateWidget { .. } => {
                prints.insert("widget".to_owned(), digest(&community.invites.widget));
            }
            Change::AssignRole { role, .. } | Change::UnassignRole { role, .. } => {
                // Who holds the role now: a change by hand since the plan makes it stale.
                if let RoleRef::Id(id) = role.role {
                    let holders: Option<Vec<_>> = live.members.as_ref().map(|members| {
                        members
                            .iter()
                            .filter(|m| m.roles.contains(&id))
                            .map(|m| m.id)
                            .collect()
                    });
                    prints.insert(format!("roster:{id}"), digest(&holders));
                }
            }
            Change::CreateEmoji { emoji } => {
                let ids: Vec<u64> = community
                    .emojis
                    .iter()
                    .filter(|e| e.emoji.name == emoji.name)
                    .map(|e| e.id)
                    .collect();
                prints.insert(format!("emoji-name:{}", emoji.name), digest(&ids));
            }
            Change::CreateSound { sound } => {
                let ids: Vec<u64> = community
                    .sounds
                    .iter()
                    .filter(|s| s.sound.name == sound.name)
                    .map(|s| s.id)
                    .collect();
                prints.insert(format!("sound-name:{}", sound.name), digest(&ids));
            }
            Change::CreateSticker { sticker } => {
                let ids: Vec<u64> = community
                    .stickers
                    .iter()
                    .filter(|s| s.sticker.name == sticker.name)
                    .map(|s| s.id)
                    .collect();
                prints.insert(format!("sticker-name:{}", sticker.name), digest(&ids));
            }
            Change::UpdateSticker { id, .. }
            | Change::ReplaceSticker { id, .. }
            | Change::DeleteSticker { id, .. } => {
                let sticker = community.stickers.iter().find(|s| s.id == *id);
                prints.insert(format!("sticker:{id}"), digest(&sticker));
            }
            Change::UpdateSound { id, .. }
            | Change::ReplaceSound { id, .. }
            | Change::DeleteSound { id, .. } => {
                let sound = community.sounds.iter().find(|s| s.id == *id);
                prints.insert(format!("sound:{id}"), digest(&sound));
            }
            Change::UpdateEmoji { id, .. }
            | Change::ReplaceEmoji { id, .. }
            | Change::DeleteEmoji { id, .. } => {
                let emoji = community.emojis.iter().find(|e| e.id == *id);
                prints.insert(format!("emoji:{id}"), digest(&emoji));
            }
            Change::PostMessage { channel, .. }
            | Change::EditMessage { channel, .. }
            | Change::PinMessage { channel, .. }
            | Change::DeleteMessage { channel, .. } => {
                if let ChannelRef::Id(id) = channel.channel {
                    let own = community.messages.iter().find(|m| m.channel == id);
                    prints.insert(format!("messages:{id}"), digest(&own));
                }
            }
            // The threads of the channel as read: a thread created, edited or deleted since
            // the plan was made changes the fingerprint.
            Change::CreateThread { thread, .. }
            | Change::UpdateThread { after: thread, .. }
            | Change::DeleteThread { thread, .. } => {
                if let ChannelRef::Id(id) = thread.channel.channel {
                    let threads: Vec<_> = community
                        .threads
                        .iter()
                        .filter(|t| t.parent == id)
                        .collect();
                    prints.insert(format!("threads:{id}"), digest(&threads));
                }
            }
        }
    }
    prints
}
