//! `--target`, shared by `plan` and `apply`: limits the plan to some objects and what they
//! need (see `diff::target`).

use clap::Args;

use super::Hinted;
use crate::diff::target::{self, Targets};
use crate::plan::{AccessLine, Plan};

#[derive(Args, Debug, Default)]
pub struct TargetArgs {
    /// Limit the plan to OBJECT and what it needs (its new category, the new roles its
    /// overwrites name); repeat for more. OBJECT is role:KEY (role:everyone), channel:NAME
    /// (channel:#rules, "channel:general in Team 3"), category:NAME, automod:NAME, event:NAME,
    /// webhook:NAME, guild, welcome_screen or onboarding. The rest of the file is not compared.
    #[arg(long = "target", value_name = "OBJECT")]
    pub targets: Vec<String>,
}

impl TargetArgs {
    /// Limits `plan` to the targets, when there are any; an unknown target is an error naming
    /// close ones. Access lines are computed for the whole file, and only those of targeted
    /// channels and roles are kept.
    pub fn narrow(
        &self,
        plan: &mut Plan,
        loaded: &crate::config::Loaded,
        live: &crate::model::LiveGuild,
    ) -> anyhow::Result<()> {
        if self.targets.is_empty() {
            return Ok(());
        }
        let targets = target::resolve(&self.targets, &loaded.desired, plan).map_err(|error| {
            Hinted {
                message: error.message,
                hint: error.hint,
            }
        })?;
        target::filter(plan, &targets);
        plan.access = crate::access::roster::plan_lines(plan);
        plan.access.extend(access_lines(&targets, loaded, live));
        Ok(())
    }
}

/// Who gains or loses access in the targeted channels, or through the targeted roles.
fn access_lines(
    targets: &Targets,
    loaded: &crate::config::Loaded,
    live: &crate::model::LiveGuild,
) -> Vec<AccessLine> {
    let desired = &loaded.desired;
    let before = crate::access::View::from_live(live, Some(desired));
    let after = crate::access::View::from_desired_on(desired, live);
    let existing_channel = |key: &str| before.channels.iter().any(|c| c.key == key);
    let existing_subject =
        |key: &str| key == "everyone" || before.roles.iter().any(|r| r.key == key);
    crate::access::changes(&before, &after)
        .into_iter()
        .filter(|change| {
            existing_channel(&change.channel.key)
                && existing_subject(&change.subject.key)
                && target::concerns(targets, change)
        })
        .map(|change| AccessLine {
            text: change.to_string(),
            widens: change.widens(),
        })
        .collect()
}
