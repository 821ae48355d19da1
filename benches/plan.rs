//! CPU of planning, for guilds of 10 to 500 channels and 10 to 247 roles: the diff with the
//! human rendering, and the access matrix with the access changes a plan shows. Run with
//! `cargo bench --bench plan`; divan prints the time per size, so the growth shows in one table.

mod support;

use miyabi_guild::access::{self, View};
use miyabi_guild::config::Loaded;
use miyabi_guild::model::LiveGuild;
use miyabi_guild::render::{Style, human};

/// (channels, roles): 247 roles is the most a file can add (Discord allows 250, counting
/// `@everyone` and the bot's role).
const SIZES: &[(usize, usize)] = &[(10, 10), (50, 25), (100, 50), (250, 125), (500, 247)];

fn main() {
    divan::main();
}

/// The drifted file and the live guild its undrifted twin made.
fn guild(size: (usize, usize)) -> (Loaded, LiveGuild) {
    let (channels, roles) = size;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let live = runtime.block_on(support::applied(&support::parse(support::server_toml(
        channels, roles, false,
    ))));
    (
        support::parse(support::server_toml(channels, roles, true)),
        live,
    )
}

#[divan::bench(args = SIZES)]
fn diff_and_render(bencher: divan::Bencher, size: (usize, usize)) {
    let (loaded, live) = guild(size);
    let now = jiff::Timestamp::now();
    bencher.bench(|| {
        let plan = miyabi_guild::diff::plan(&loaded.desired, &live, now).expect("a plan");
        let mut out = Vec::new();
        human::plan(&plan, Style::PLAIN, &mut out).expect("rendered");
        divan::black_box(out.len())
    });
}

#[divan::bench(args = SIZES)]
fn access_matrix(bencher: divan::Bencher, size: (usize, usize)) {
    let (loaded, live) = guild(size);
    bencher.bench(|| {
        let before = View::from_live(&live, Some(&loaded.desired));
        let after = View::from_desired(&loaded.desired, live.everyone_permissions);
        let changes = access::changes(&before, &after);
        divan::black_box((after.matrix().cells.len(), changes.len()))
    });
}
