//! The staff roster: who holds the roles that opt in (`roster = true`).
//!
//! The file names, per rostered role, the members who hold it (`members = [{ id, name }]`; the
//! id decides, the name is a label for people). The live side is the member list, read only when
//! some role is rostered (`live::Scope::roster`). Roles without a roster are never looked at, so
//! bots that hand out community roles keep working.

use serde::{Deserialize, Serialize};

use super::{RoleId, UserId};

/// One member a roster names.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RosterMember {
    pub id: UserId,
    /// A label for people (`alice`); never compared or sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl RosterMember {
    /// `user 1234 (alice)`.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("user {} ({name})", self.id),
            None => format!("user {}", self.id),
        }
    }
}

/// A rostered role of the file: its key and exactly who holds it, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterRole {
    pub key: String,
    pub members: Vec<RosterMember>,
}

/// One member of the live guild, as far as the roster needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveMember {
    pub id: UserId,
    /// The username, for labels of holders the file does not name.
    pub username: String,
    pub bot: bool,
    /// Without `@everyone`.
    pub roles: Vec<RoleId>,
}

impl LiveMember {
    pub fn label(&self) -> String {
        format!("user {} ({})", self.id, self.username)
    }
}
