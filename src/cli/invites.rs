//! `miyabi-guild invites`

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::common::{Session, load_for_guild};
use super::webhooks::write_private;
use super::{Exit, Hinted};
use crate::model::invites::Invite;
use crate::settings::Settings;

/// Write the links of the invites the file declares (and the vanity URL), for a website or a
/// README.
///
/// An invite link is the door to the server: plans, logs and errors name invites by channel and
/// settings only ("invite to #welcome (permanent, unlimited uses)"). This command writes the
/// links to the file you name (readable by you alone), or to standard output with `--out -`: one
/// `https://discord.gg/CODE  # invite to #channel (settings)` line per invite, in file order.
#[derive(Args, Debug)]
pub struct InvitesArgs {
    /// Where to write the links: a file, or `-` for standard output.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

pub async fn run(args: InvitesArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let loaded = load_for_guild(settings)?;
    let declared = &loaded.desired.community.invites;
    if declared.invites.is_empty() && declared.vanity.is_none() {
        return Err(Hinted {
            message: format!("{} declares no invites", loaded.source.name),
            hint: "declare them with [[invites]] (channel, max_age, max_uses), apply, then run this again".to_owned(),
        }
        .into());
    }
    let session = Session::open_for(settings, &loaded).await?;
    let result = lines(&session, declared).await;
    session.close().await?;
    let (lines, missing) = result?;
    if !missing.is_empty() {
        return Err(Hinted {
            message: format!("these invites do not exist yet: {}", missing.join(", ")),
            hint: "run `miyabi-guild apply` first".to_owned(),
        }
        .into());
    }
    let text: String = lines.iter().map(|line| format!("{line}\n")).collect();
    if args.out.as_os_str() == "-" {
        std::io::stdout().lock().write_all(text.as_bytes())?;
    } else {
        write_private(&args.out, &text)?;
        if !settings.quiet {
            eprintln!(
                "Wrote {} invite link{} to {} (readable by you only).",
                lines.len(),
                if lines.len() == 1 { "" } else { "s" },
                args.out.display()
            );
        }
    }
    Ok(Exit::Success)
}

/// The output lines, and the declared invites that do not exist in the guild.
async fn lines(
    session: &Session,
    declared: &crate::model::invites::DesiredInvites<crate::model::ChannelKey>,
) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let discord = &session.discord;
    let mut lines = Vec::new();
    let mut missing = Vec::new();
    if !declared.invites.is_empty() {
        let bot = discord
            .current_user()
            .await
            .context("cannot read the bot user")?;
        let channels = discord
            .guild_channels(session.guild_id)
            .await
            .context("cannot read the guild's channels")?;
        let invites = discord
            .guild_invites(session.guild_id)
            .await
            .context("cannot read the guild's invites (the bot needs Manage Server)")?;
        let mut used = vec![false; invites.len()];
        for wanted in &declared.invites {
            let label = format!(
                "invite to #{} ({})",
                wanted.channel.name,
                wanted.describe_settings()
            );
            let found = invites.iter().enumerate().position(|(index, live)| {
                let settings = Invite {
                    channel: (),
                    max_age: live.max_age,
                    max_uses: live.max_uses,
                    temporary: live.temporary,
                };
                !used[index]
                    && wanted.same_settings(&settings)
                    && live.inviter.as_ref().map(|user| user.id) == Some(bot.id)
                    && live.channel.as_ref().is_some_and(|channel| {
                        channels.iter().any(|c| {
                            c.id == channel.id
                                && c.name.as_deref() == Some(wanted.channel.name.as_str())
                        })
                    })
            });
            match found {
                Some(index) => {
                    used[index] = true;
                    lines.push(format!(
                        "https://discord.gg/{}  # {label}",
                        invites[index].code
                    ));
                }
                None => missing.push(label),
            }
        }
    }
    if let Some(code) = &declared.vanity {
        let guild = discord
            .guild(session.guild_id)
            .await
            .context("cannot read the guild")?;
        match guild.vanity_url_code {
            Some(live) if live == *code => {
                lines.push(format!("https://discord.gg/{live}  # the vanity URL"));
            }
            _ => missing.push(format!(
                "the vanity URL `{code}` (set it in Server Settings)"
            )),
        }
    }
    Ok((lines, missing))
}
