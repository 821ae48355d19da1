//! `miyabi-guild webhooks`

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::common::{Session, load_for_guild};
use super::{Exit, Hinted};
use crate::discord::ApiTarget;
use crate::settings::Settings;

/// Write the URLs of the webhooks the file declares, for GitHub or scripts.
///
/// A webhook URL contains a secret token: anyone holding it can post in the channel. This command
/// never prints URLs unless asked: it writes them to the file you name (readable by you alone),
/// or to standard output with `--out -`. Plans, logs and errors never contain them.
#[derive(Args, Debug)]
pub struct WebhooksArgs {
    /// Where to write the URLs: a file, or `-` for standard output.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,

    /// `names`: a `name=url` line per webhook. `github`: a `owner/repo=url` line per repository
    /// the file lists under `github`, with the `/github` suffix GitHub posts to.
    #[arg(long, value_enum, default_value_t = Format::Names)]
    format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Names,
    Github,
}

pub async fn run(args: WebhooksArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let loaded = load_for_guild(settings)?;
    let declared = &loaded.desired.community.webhooks;
    if declared.is_empty() {
        return Err(Hinted {
            message: format!("{} declares no webhooks", loaded.source.name),
            hint:
                "declare them with [[webhooks]] (name, channel, github), apply, then run this again"
                    .to_owned(),
        }
        .into());
    }
    let session = Session::open_for(settings, &loaded).await?;
    let result = lines(&session, &loaded.desired, args.format).await;
    session.close().await?;
    let (lines, missing) = result?;
    if !missing.is_empty() {
        return Err(Hinted {
            message: format!("these webhooks do not exist yet: {}", missing.join(", ")),
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
                "Wrote {} webhook URL{} to {} (readable by you only; it holds secrets: keep it out of git).",
                lines.len(),
                if lines.len() == 1 { "" } else { "s" },
                args.out.display()
            );
            if args.format == Format::Github {
                eprintln!(
                    "In each GitHub repository: Settings → Webhooks → Add webhook; Payload URL: the URL after `=` (it ends in /github); Content type: application/json; events: the ones this webhook's channel should carry (issues, pull requests, releases)."
                );
            }
        }
    }
    Ok(Exit::Success)
}

/// The output lines, and the declared webhooks that do not exist in the guild.
async fn lines(
    session: &Session,
    desired: &crate::model::DesiredGuild,
    format: Format,
) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let discord = &session.discord;
    let channels = discord
        .guild_channels(session.guild_id)
        .await
        .context("cannot read the guild's channels")?;
    let webhooks = discord
        .guild_webhooks(session.guild_id)
        .await
        .context("cannot read the guild's webhooks (the bot needs Manage Webhooks)")?;
    let base = match discord.target() {
        ApiTarget::Discord => "https://discord.com/api/webhooks".to_owned(),
        target => format!("{}/api/webhooks", target.describe()),
    };
    let mut lines = Vec::new();
    let mut missing = Vec::new();
    for (webhook, sources) in &desired.community.webhooks {
        let found = webhooks.iter().find(|live| {
            live.kind == 1
                && live.name.as_deref() == Some(webhook.name.as_str())
                && live.token.is_some()
                && channels.iter().any(|c| {
                    Some(c.id) == live.channel_id
                        && c.name.as_deref() == Some(webhook.channel.name.as_str())
                })
        });
        let Some(live) = found else {
            missing.push(format!("\"{}\" in #{}", webhook.name, webhook.channel.name));
            continue;
        };
        let url = format!(
            "{base}/{}/{}",
            live.id,
            live.token.as_deref().unwrap_or_default()
        );
        match format {
            Format::Names => lines.push(format!("{}={url}", webhook.name)),
            Format::Github => {
                lines.extend(
                    sources
                        .github
                        .iter()
                        .map(|repository| format!("{repository}={url}/github")),
                );
            }
        }
    }
    Ok((lines, missing))
}

/// Creates (or replaces) a file only its owner can read.
pub(super) fn write_private(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
