//! `--target`, shared by `plan` and `apply`: limits the plan to some objects and what they
//! need (see `diff::target`).

use clap::Args;

use super::Hinted;
use crate::diff::target;
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
    /// close ones. Access lines are those of the partial plan (see `diff::target::partial_view`).
    pub fn narrow(
        &self,
        plan: &mut Plan,
        loaded: &crate::config::Loaded,
        live: &crate::model::LiveGuild,
    ) -> anyhow::Result<()> {
        if self.targets.is_empty() {
            return Ok(());
        }
        let targets =
            target::resolve(&self.targets, &loaded.desired, plan).map_err(|error| Hinted {
                message: error.message,
                hint: error.hint,
            })?;
        let full = plan.changes.clone();
        target::filter(plan, &targets);
        plan.access = crate::access::roster::plan_lines(plan);
        let lines = access_lines(plan, &full, loaded, live);
        plan.access.extend(lines);
        Ok(())
    }
}

/// Who gains or loses access by applying the partial plan.
fn access_lines(
    plan: &Plan,
    full: &[crate::plan::Change],
    loaded: &crate::config::Loaded,
    live: &crate::model::LiveGuild,
) -> Vec<AccessLine> {
    let desired = &loaded.desired;
    let before = crate::access::View::from_live(live, Some(desired));
    let after = crate::access::View::from_desired_on(desired, live);
    let partial = target::partial_view(plan, full, &before, &after);
    super::common::access_between(&before, &partial)
}
