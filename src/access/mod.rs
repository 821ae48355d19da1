//! Who can see, post and manage where: Discord's permission algorithm, evaluated.
//!
//! Owns the access computation behind `miyabi-guild access`, the access changes a plan makes,
//! and the assertions a file can state about access ("staff channels visible only to staff").
//! Everything here is pure: no I/O, no clock, deterministic order.
//!
//! # Data flow
//!
//! 1. [`View`] is a neutral picture of a guild as far as access goes: `@everyone`'s permissions,
//!    the roles with their permissions (top to bottom), and the channels with their kind,
//!    category and overwrites, where overwrites name roles by *key*. It is built from a
//!    [`DesiredGuild`](crate::model::DesiredGuild) ([`View::from_desired`]: `sync` channels get
//!    their category's overwrites) or from a [`LiveGuild`](crate::model::LiveGuild)
//!    ([`View::from_live`]: live roles and channels take the keys of the file's roles and
//!    channels they match, so both views line up).
//! 2. [`compute`] is the algorithm itself, for any [`Member`] (a set of roles, maybe a user).
//! 3. [`View::matrix`] evaluates one hypothetical member per role (holding only that role, and
//!    `@everyone` as everybody does) and one holding no role, for every channel, and reduces
//!    the result to [`Access`]: view, post, manage.
//! 4. [`changes`] compares two views cell by cell ([`AccessChange`], `widens()`), [`compare`]
//!    lines two matrices up for `access --compare`, [`check`] evaluates [`Assertion`]s, and
//!    [`render`] prints matrices as text, Markdown or JSON.
//!
//! # The algorithm
//!
//! Source: `permissions.mdx`, "Permission Overwrites" (with its pseudo-code) and "Implicit
//! Permissions"; summarised in `DISCORD-API-NOTES.md` §4.5.
//!
//! 1. Base: `@everyone`'s permissions OR every role of the member. The guild owner gets all
//!    permissions; so does anyone whose base holds `ADMINISTRATOR`, and for them the channel's
//!    overwrites are skipped.
//! 2. Overwrites, in this order: the `@everyone` overwrite (deny, then allow); the union of the
//!    overwrites of all the member's roles (all their denies, then all their allows, so an
//!    allow on one role beats a deny on another whatever the role positions); the member's own
//!    overwrite (deny, then allow).
//! 3. Implicit rules, which Discord applies when it uses the permissions without storing them:
//!    without `VIEW_CHANNEL` nothing else in the channel counts; without `SEND_MESSAGES`,
//!    `MENTION_EVERYONE`, `SEND_TTS_MESSAGES`, `ATTACH_FILES` and `EMBED_LINKS` do not count
//!    (text-like channels, and the text chat of voice channels); in voice and stage channels,
//!    without `CONNECT` the voice permissions and `MANAGE_CHANNELS` do not count.
//!
//! # Definitions used by the matrix
//!
//! - **view**: `VIEW_CHANNEL` (the channel appears in the member's list).
//! - **post**: text, announcement and forum channels: `SEND_MESSAGES`; voice and stage channels:
//!   `CONNECT` and `SPEAK`; categories: never (nothing is posted in a category).
//! - **manage**: any of `MANAGE_CHANNELS` (edit or delete the channel), `MANAGE_ROLES` (in a
//!   channel this is "Manage Permissions": edit who may see it) or `MANAGE_MESSAGES` (delete or
//!   pin other people's messages).
//!
//! All three are read after the implicit rules, so post and manage imply view.
//!
//! # Limits
//!
//! - A column of the matrix is *one* role. A member with several roles has at least the base
//!   permissions of each, but overwrites can combine differently (a deny on one role and an
//!   allow on another: the allow wins). [`compute`] answers any combination.
//! - Member-specific overwrites take part in [`compute`] but not in the matrix, whose columns are
//!   roles; timeouts and thread permissions are not modelled.
//! - When the file does not manage `@everyone`'s permissions, [`View::from_desired`] takes them
//!   from the caller: the live guild's when it is known, otherwise
//!   [`default_everyone_permissions`] (what Discord gives a new guild).

mod assertions;
mod changes;
pub mod compute;
mod matrix;
pub mod render;
pub mod roster;
mod view;

pub use assertions::{Assertion, AssertionFailure, ChannelSelector, Problem, check};
pub use changes::{AccessChange, changes};
pub use compute::{Member, channel_permissions};
pub use matrix::{
    Access, Cell, ChannelInfo, Compared, Comparison, Matrix, Presence, SubjectInfo, compare,
};
pub(crate) use view::channel_keys;
pub use view::{EVERYONE, Subject, Target, View, ViewChannel, ViewRole};

use crate::permissions::Permissions;

/// What `@everyone` may do in a new Discord guild; the assumption for a file that leaves
/// `@everyone`'s permissions unmanaged when the live guild is not read. The table lives with
/// the emulator, which models a new guild.
pub fn default_everyone_permissions() -> Permissions {
    crate::emulator::state::default_everyone_permissions()
}
