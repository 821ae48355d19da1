//! Judging the file's access assertions (`[[access.assert]]`) on a guild as the file describes
//! it. `validate` reports each broken assertion at its place in the file; `plan` runs
//! [`check_assertions`] on the desired guild, which is what the live guild looks like after
//! applying for every channel the file manages.

use crate::access::{self, Assertion, AssertionFailure, Problem, View};
use crate::model::{ChannelKind, DesiredGuild};
use crate::permissions::Permissions;

/// How many channels one assertion reports before summing the rest up.
const SHOWN_PER_ASSERTION: usize = 5;

/// One way an assertion does not hold, in words: one channel and the roles that break it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenAssertion {
    /// Index in `desired.assertions`.
    pub assertion: usize,
    /// Names the channel and the roles: "#staff-general is visible to 🟡 New Member, but the
    /// assertion allows only 🔮 Team Member, 🟠 Moderator".
    pub message: String,
    pub hint: String,
}

/// Every way the file's assertions fail on the guild it describes, as `line N: ...` messages
/// (empty when all hold). `unmanaged_everyone` is `@everyone`'s permissions when the file does
/// not manage them: the live guild's in `plan`, or [`access::default_everyone_permissions`].
pub fn check_assertions(desired: &DesiredGuild, unmanaged_everyone: Permissions) -> Vec<String> {
    judge(desired, unmanaged_everyone)
        .into_iter()
        .map(|broken| {
            let located = &desired.assertions[broken.assertion];
            match (&located.file, located.line) {
                (_, 0) => broken.message,
                (Some(file), line) => format!("{file}:{line}: {}", broken.message),
                (None, line) => format!("line {line}: {}", broken.message),
            }
        })
        .collect()
}

/// Every way the file's assertions fail, grouped by assertion, problem and channel.
pub fn judge(desired: &DesiredGuild, unmanaged_everyone: Permissions) -> Vec<BrokenAssertion> {
    let view = View::from_desired(desired, unmanaged_everyone);
    // One matrix for every assertion: failures come back in assertion order.
    let assertions: Vec<_> = desired
        .assertions
        .iter()
        .map(|located| located.assertion.clone())
        .collect();
    let all = access::check(&view, &assertions);
    let mut broken = Vec::new();
    for (index, located) in desired.assertions.iter().enumerate() {
        let failures: Vec<&AssertionFailure> = all
            .iter()
            .filter(|failure| failure.assertion == index)
            .collect();
        let mut groups: Vec<(Problem, String, ChannelKind, Vec<&AssertionFailure>)> = Vec::new();
        for &failure in &failures {
            let (label, kind) = failure
                .channel
                .as_ref()
                .map_or((String::new(), ChannelKind::Text), |c| (c.label(), c.kind));
            match groups
                .iter_mut()
                .find(|(problem, l, _, _)| *problem == failure.problem && *l == label)
            {
                Some(group) => group.3.push(failure),
                None => groups.push((failure.problem.clone(), label, kind, vec![failure])),
            }
        }
        let total = groups.len();
        for (shown, (problem, channel, kind, failures)) in groups.into_iter().enumerate() {
            if shown == SHOWN_PER_ASSERTION {
                broken.push(BrokenAssertion {
                    assertion: index,
                    message: match total - shown {
                        1 => format!(
                            "1 more channel breaks the assertion `{}`",
                            located.assertion
                        ),
                        more => format!(
                            "{more} more channels break the assertion `{}`",
                            located.assertion
                        ),
                    },
                    hint: "fix the ones above first; `miyabi-guild access` shows the whole matrix"
                        .to_owned(),
                });
                break;
            }
            let (message, hint) = describe(
                desired,
                &located.assertion,
                &problem,
                &channel,
                kind,
                &failures,
            );
            broken.push(BrokenAssertion {
                assertion: index,
                message,
                hint,
            });
        }
    }
    broken
}

fn role_name(desired: &DesiredGuild, key: &str) -> String {
    if key == access::EVERYONE {
        return "@everyone".to_owned();
    }
    desired
        .roles
        .iter()
        .find(|role| role.key == key)
        .map_or_else(|| key.to_owned(), |role| role.settings.name.clone())
}

/// The roles of `failures`; when `@everyone` is among them, only it (every member has it).
fn offenders(failures: &[&AssertionFailure]) -> (String, Vec<String>, bool) {
    let roles: Vec<&access::SubjectInfo> =
        failures.iter().filter_map(|f| f.role.as_ref()).collect();
    if let Some(everyone) = roles.iter().find(|role| role.key == access::EVERYONE) {
        return (
            format!("{} (so to every member)", everyone.name),
            vec![everyone.key.clone()],
            false,
        );
    }
    let administrator = roles.iter().any(|role| role.administrator);
    (
        roles
            .iter()
            .map(|role| role.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        roles.iter().map(|role| role.key.clone()).collect(),
        administrator,
    )
}

fn describe(
    desired: &DesiredGuild,
    assertion: &Assertion,
    problem: &Problem,
    channel: &str,
    kind: ChannelKind,
    failures: &[&AssertionFailure],
) -> (String, String) {
    let listed = assertion
        .roles()
        .iter()
        .map(|key| role_name(desired, key))
        .collect::<Vec<_>>()
        .join(", ");
    let (roles, keys, administrator) = offenders(failures);
    let keys = keys
        .iter()
        .map(|key| format!("`{key}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let post = if kind.is_voice_like() {
        "connect and speak"
    } else {
        "send_messages"
    };
    let where_ = "in its overwrites (or its category's, if it is synced)";
    match problem {
        Problem::VisibleToOther => (
            format!("{channel} is visible to {roles}, but the assertion allows only {listed}"),
            format!("deny view_channel to {keys} {where_}, and allow it only to the listed roles"),
        ),
        Problem::HiddenFromListed => (
            format!("{channel} is hidden from {roles}, which the assertion says can see it"),
            format!("allow view_channel to {keys} {where_}"),
        ),
        Problem::Visible if administrator => (
            format!(
                "{channel} is visible to {roles}, which the assertion says must not see it: the role has Administrator, which passes every overwrite"
            ),
            "take administrator away from the role, or remove it from `not_visible_to`".to_owned(),
        ),
        Problem::Visible => (
            format!("{channel} is visible to {roles}, which the assertion says must not see it"),
            format!("deny view_channel to {keys} {where_}"),
        ),
        Problem::PostableByOther => (
            format!(
                "{roles} can post in {channel}, but the assertion allows only {listed} to post there"
            ),
            format!("deny {post} to {keys} {where_}, and allow it to the listed roles"),
        ),
        Problem::NotPostableByListed => (
            format!("{roles} cannot post in {channel}, which the assertion says can post there"),
            format!("allow view_channel and {post} to {keys} {where_}"),
        ),
        Problem::UnknownRole(_) | Problem::UnknownCategory(_) | Problem::UnknownChannel(_) => {
            let failure = failures[0];
            (
                format!("the assertion `{assertion}`: {failure}"),
                "use role keys from `[[roles]]` (or `everyone`) and names of categories and channels in this file".to_owned(),
            )
        }
    }
}
