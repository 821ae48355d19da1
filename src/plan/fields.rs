//! The fields a plan compares: which of a role's, a channel's or the guild's settings differ,
//! for renderers and the executor alike.

use serde::{Deserialize, Serialize};

use super::{ChannelSpec, ParentSpec, same_overwrites};
use crate::model::RoleSettings;

/// One field of a role, channel or the guild that differs, for renderers and the executor
/// alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Color,
    /// Gradient or holographic colours.
    Colors,
    Hoist,
    Mentionable,
    Permissions,
    UnicodeEmoji,
    Icon,
    Kind,
    Parent,
    Topic,
    Nsfw,
    Slowmode,
    Bitrate,
    UserLimit,
    DefaultAutoArchive,
    DefaultThreadSlowmode,
    RtcRegion,
    VideoQuality,
    Tags,
    DefaultReaction,
    DefaultSortOrder,
    DefaultLayout,
    RequireTag,
    HideMediaDownloadOptions,
    Overwrites,
    Description,
    VerificationLevel,
    ExplicitContentFilter,
    DefaultNotifications,
    AfkChannel,
    AfkTimeout,
    SystemChannel,
    SystemChannelFlags,
    RulesChannel,
    PublicUpdatesChannel,
    SafetyAlertsChannel,
    PreferredLocale,
    Community,
    Banner,
    InviteSplash,
    DiscoverySplash,
}

impl Field {
    /// The name of the field as the file spells it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Color => "color",
            Self::Colors => "colors",
            Self::Hoist => "hoist",
            Self::Mentionable => "mentionable",
            Self::Permissions => "permissions",
            Self::UnicodeEmoji => "emoji",
            Self::Icon => "icon",
            Self::Kind => "type",
            Self::Parent => "category",
            Self::Topic => "topic",
            Self::Nsfw => "nsfw",
            Self::Slowmode => "slowmode",
            Self::Bitrate => "bitrate",
            Self::UserLimit => "user_limit",
            Self::DefaultAutoArchive => "default_auto_archive",
            Self::DefaultThreadSlowmode => "default_thread_slowmode",
            Self::RtcRegion => "rtc_region",
            Self::VideoQuality => "video_quality",
            Self::Tags => "tags",
            Self::DefaultReaction => "default_reaction",
            Self::DefaultSortOrder => "default_sort_order",
            Self::DefaultLayout => "default_layout",
            Self::RequireTag => "require_tag",
            Self::HideMediaDownloadOptions => "hide_media_download_options",
            Self::Overwrites => "overwrites",
            Self::Description => "description",
            Self::VerificationLevel => "verification_level",
            Self::ExplicitContentFilter => "explicit_content_filter",
            Self::DefaultNotifications => "default_notifications",
            Self::AfkChannel => "afk_channel",
            Self::AfkTimeout => "afk_timeout",
            Self::SystemChannel => "system_channel",
            Self::SystemChannelFlags => "system_channel_flags",
            Self::RulesChannel => "rules_channel",
            Self::PublicUpdatesChannel => "public_updates_channel",
            Self::SafetyAlertsChannel => "safety_alerts_channel",
            Self::PreferredLocale => "preferred_locale",
            Self::Community => "community",
            Self::Banner => "banner",
            Self::InviteSplash => "invite_splash",
            Self::DiscoverySplash => "discovery_splash",
        }
    }
}

/// Pushes `field` when `differs`.
fn push_if(fields: &mut Vec<Field>, differs: bool, field: Field) {
    if differs {
        fields.push(field);
    }
}

/// The role fields that differ between `before` and `after`, in display order. An icon file
/// equal to the live icon by content was replaced by the live hash in the diff
/// (`crate::images`), so icons compare as they are.
pub fn role_fields(before: &RoleSettings, after: &RoleSettings) -> Vec<Field> {
    let mut fields = Vec::new();
    push_if(&mut fields, before.name != after.name, Field::Name);
    push_if(&mut fields, before.color != after.color, Field::Color);
    let gradient = |role: &RoleSettings| (role.secondary_color, role.tertiary_color);
    push_if(
        &mut fields,
        gradient(before) != gradient(after),
        Field::Colors,
    );
    push_if(&mut fields, before.hoist != after.hoist, Field::Hoist);
    push_if(
        &mut fields,
        before.mentionable != after.mentionable,
        Field::Mentionable,
    );
    push_if(
        &mut fields,
        before.permissions != after.permissions,
        Field::Permissions,
    );
    push_if(
        &mut fields,
        before.unicode_emoji != after.unicode_emoji,
        Field::UnicodeEmoji,
    );
    push_if(&mut fields, before.icon != after.icon, Field::Icon);
    fields
}

/// The channel fields that differ between `before` and `after`, in display order.
pub fn channel_fields(before: &ChannelSpec, after: &ChannelSpec) -> Vec<Field> {
    let mut fields = Vec::new();
    push_if(&mut fields, before.name != after.name, Field::Name);
    push_if(&mut fields, before.kind != after.kind, Field::Kind);
    let parent = |spec: &ChannelSpec| spec.parent.as_ref().map(|p| p.channel.clone());
    push_if(&mut fields, parent(before) != parent(after), Field::Parent);
    let (b, a) = (&before.settings, &after.settings);
    push_if(&mut fields, b.topic != a.topic, Field::Topic);
    push_if(&mut fields, b.nsfw != a.nsfw, Field::Nsfw);
    push_if(&mut fields, b.slowmode != a.slowmode, Field::Slowmode);
    push_if(&mut fields, b.bitrate != a.bitrate, Field::Bitrate);
    push_if(&mut fields, b.user_limit != a.user_limit, Field::UserLimit);
    push_if(
        &mut fields,
        b.default_auto_archive != a.default_auto_archive,
        Field::DefaultAutoArchive,
    );
    push_if(
        &mut fields,
        b.default_thread_slowmode != a.default_thread_slowmode,
        Field::DefaultThreadSlowmode,
    );
    push_if(&mut fields, b.rtc_region != a.rtc_region, Field::RtcRegion);
    push_if(
        &mut fields,
        b.video_quality != a.video_quality,
        Field::VideoQuality,
    );
    let (bf, af) = (
        b.forum.clone().unwrap_or_default(),
        a.forum.clone().unwrap_or_default(),
    );
    push_if(&mut fields, bf.tags != af.tags, Field::Tags);
    push_if(
        &mut fields,
        bf.default_reaction != af.default_reaction,
        Field::DefaultReaction,
    );
    push_if(
        &mut fields,
        bf.default_sort_order != af.default_sort_order,
        Field::DefaultSortOrder,
    );
    push_if(
        &mut fields,
        bf.default_layout != af.default_layout,
        Field::DefaultLayout,
    );
    push_if(
        &mut fields,
        bf.require_tag != af.require_tag,
        Field::RequireTag,
    );
    push_if(
        &mut fields,
        bf.hide_media_download_options != af.hide_media_download_options,
        Field::HideMediaDownloadOptions,
    );
    push_if(
        &mut fields,
        !same_overwrites(&before.overwrites, &after.overwrites),
        Field::Overwrites,
    );
    fields
}

/// The guild's own settings as planned: channel references carry both a reference for the
/// executor and a name for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildSpec {
    pub name: String,
    pub description: Option<String>,
    pub verification_level: u8,
    pub explicit_content_filter: u8,
    pub default_notifications: u8,
    pub afk_channel: Option<ParentSpec>,
    pub afk_timeout: u32,
    pub system_channel: Option<ParentSpec>,
    pub system_channel_flags: u64,
    pub rules_channel: Option<ParentSpec>,
    pub public_updates_channel: Option<ParentSpec>,
    pub safety_alerts_channel: Option<ParentSpec>,
    pub preferred_locale: String,
    pub community: bool,
    /// The images: Discord's hash, or `sha256:<hex>` of a file to upload (its bytes are in
    /// `apply::Assets::images`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub splash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery_splash: Option<String>,
}

/// The guild fields that differ between `before` and `after`, in display order.
pub fn guild_fields(before: &GuildSpec, after: &GuildSpec) -> Vec<Field> {
    let reference = |pick: &Option<ParentSpec>| pick.as_ref().map(|p| p.channel.clone());
    let mut fields = Vec::new();
    push_if(&mut fields, before.name != after.name, Field::Name);
    push_if(
        &mut fields,
        before.description != after.description,
        Field::Description,
    );
    push_if(
        &mut fields,
        before.verification_level != after.verification_level,
        Field::VerificationLevel,
    );
    push_if(
        &mut fields,
        before.explicit_content_filter != after.explicit_content_filter,
        Field::ExplicitContentFilter,
    );
    push_if(
        &mut fields,
        before.default_notifications != after.default_notifications,
        Field::DefaultNotifications,
    );
    push_if(
        &mut fields,
        reference(&before.afk_channel) != reference(&after.afk_channel),
        Field::AfkChannel,
    );
    push_if(
        &mut fields,
        before.afk_timeout != after.afk_timeout,
        Field::AfkTimeout,
    );
    push_if(
        &mut fields,
        reference(&before.system_channel) != reference(&after.system_channel),
        Field::SystemChannel,
    );
    push_if(
        &mut fields,
        before.system_channel_flags != after.system_channel_flags,
        Field::SystemChannelFlags,
    );
    push_if(
        &mut fields,
        reference(&before.rules_channel) != reference(&after.rules_channel),
        Field::RulesChannel,
    );
    push_if(
        &mut fields,
        reference(&before.public_updates_channel) != reference(&after.public_updates_channel),
        Field::PublicUpdatesChannel,
    );
    push_if(
        &mut fields,
        reference(&before.safety_alerts_channel) != reference(&after.safety_alerts_channel),
        Field::SafetyAlertsChannel,
    );
    push_if(
        &mut fields,
        before.preferred_locale != after.preferred_locale,
        Field::PreferredLocale,
    );
    push_if(
        &mut fields,
        before.community != after.community,
        Field::Community,
    );
    push_if(&mut fields, before.icon != after.icon, Field::Icon);
    push_if(&mut fields, before.banner != after.banner, Field::Banner);
    push_if(
        &mut fields,
        before.splash != after.splash,
        Field::InviteSplash,
    );
    push_if(
        &mut fields,
        before.discovery_splash != after.discovery_splash,
        Field::DiscoverySplash,
    );
    fields
}
