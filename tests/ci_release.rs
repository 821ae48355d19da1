//! `.github/actions/miyabi-guild/install.sh`, the composite action's installer, run for real
//! against a local directory standing in for a GitHub release (what release.yml publishes: one
//! archive per target and a SHA256SUMS file). A good archive installs; a corrupted one is refused
//! with nothing installed; no release, or none for this platform, runs the fallback (here a
//! stand-in for `cargo install`, through `MIYABI_GUILD_FALLBACK`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::repo;
use sha2::{Digest, Sha256};

const TARGET: &str = "x86_64-unknown-linux-gnu";

/// A release directory holding `miyabi-guild-TARGET.tar.gz` (a fake binary that prints its
/// version) and its SHA256SUMS.
struct Release {
    dir: tempfile::TempDir,
}

impl Release {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join("staging");
        std::fs::create_dir(&staging).unwrap();
        let binary = staging.join("miyabi-guild");
        std::fs::write(
            &binary,
            "#!/bin/sh\necho 'miyabi-guild 9.9.9 (from the release)'\n",
        )
        .unwrap();
        let status = Command::new("tar")
            .arg("-czf")
            .arg(dir.path().join(archive()))
            .arg("-C")
            .arg(&staging)
            .arg("miyabi-guild")
            .status()
            .unwrap();
        assert!(status.success());
        std::fs::remove_dir_all(&staging).unwrap();
        let release = Release { dir };
        release.write_sums();
        release
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// SHA256SUMS as `sha256sum` writes it, for the archives present now.
    fn write_sums(&self) {
        let bytes = std::fs::read(self.path().join(archive())).unwrap();
        let sum: String = Sha256::digest(&bytes)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let other = "0".repeat(64);
        let sums = format!(
            "{other}  miyabi-guild-aarch64-apple-darwin.tar.gz\n{sum}  {}\n",
            archive()
        );
        std::fs::write(self.path().join("SHA256SUMS"), sums).unwrap();
    }
}

fn archive() -> String {
    format!("miyabi-guild-{TARGET}.tar.gz")
}

/// What one run of install.sh did.
struct Installed {
    code: i32,
    stderr: String,
    root: tempfile::TempDir,
}

impl Installed {
    fn binary(&self) -> PathBuf {
        self.root.path().join("bin/miyabi-guild")
    }

    /// The fallback stand-in leaves this file.
    fn fell_back(&self) -> bool {
        self.root.path().join("fallback-ran").exists()
    }
}

fn install(base: &str) -> Installed {
    let root = tempfile::tempdir().unwrap();
    let output = Command::new("bash")
        .arg(repo().join(".github/actions/miyabi-guild/install.sh"))
        .arg(base)
        .arg(root.path())
        .env("MIYABI_GUILD_TARGET", TARGET)
        .env(
            "MIYABI_GUILD_FALLBACK",
            r#"test -d "$SOURCE/src" && echo "$SOURCE" > "$ROOT/fallback-ran""#,
        )
        .output()
        .unwrap();
    Installed {
        code: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        root,
    }
}

#[test]
fn a_release_whose_checksum_matches_is_installed() {
    let release = Release::new();
    for base in [
        release.path().display().to_string(),
        format!("file://{}", release.path().display()),
    ] {
        let installed = install(&base);
        assert_eq!(installed.code, 0, "{}", installed.stderr);
        assert!(!installed.fell_back(), "{}", installed.stderr);
        let output = Command::new(installed.binary()).output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "miyabi-guild 9.9.9 (from the release)\n"
        );
        assert!(
            installed.stderr.contains(&archive()),
            "{}",
            installed.stderr
        );
    }
}

#[test]
fn a_corrupted_archive_is_refused_and_nothing_is_installed() {
    let release = Release::new();
    let path = release.path().join(archive());
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&path, bytes).unwrap();

    let installed = install(&release.path().display().to_string());
    assert_eq!(installed.code, 1, "{}", installed.stderr);
    assert!(
        installed.stderr.contains("does not match SHA256SUMS"),
        "{}",
        installed.stderr
    );
    assert!(!installed.binary().exists(), "nothing installed");
    assert!(!installed.root.path().join("bin").exists());
    assert!(!installed.fell_back(), "a bad download is not built around");
}

#[test]
fn an_archive_that_matches_but_is_not_an_archive_is_refused() {
    let release = Release::new();
    std::fs::write(release.path().join(archive()), "not a tarball").unwrap();
    release.write_sums();

    let installed = install(&release.path().display().to_string());
    assert_eq!(installed.code, 1, "{}", installed.stderr);
    assert!(
        installed.stderr.contains("not a readable archive"),
        "{}",
        installed.stderr
    );
    assert!(!installed.binary().exists());
}

#[test]
fn no_release_for_the_ref_builds_from_source() {
    let empty = tempfile::tempdir().unwrap();
    // A branch or a commit has no release: no SHA256SUMS there.
    for base in [
        String::new(),
        empty.path().display().to_string(),
        format!("file://{}/missing", empty.path().display()),
    ] {
        let installed = install(&base);
        assert_eq!(installed.code, 0, "{base}: {}", installed.stderr);
        assert!(installed.fell_back(), "{base}: {}", installed.stderr);
        assert!(
            installed.stderr.contains("building from source"),
            "{}",
            installed.stderr
        );
        let source = std::fs::read_to_string(installed.root.path().join("fallback-ran")).unwrap();
        assert_eq!(Path::new(source.trim()), repo(), "builds this checkout");
        assert!(!installed.binary().exists());
    }
}

#[test]
fn a_release_without_this_platform_builds_from_source() {
    let release = Release::new();
    std::fs::remove_file(release.path().join(archive())).unwrap();
    std::fs::write(
        release.path().join("SHA256SUMS"),
        format!(
            "{}  miyabi-guild-aarch64-apple-darwin.tar.gz\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    let installed = install(&release.path().display().to_string());
    assert_eq!(installed.code, 0, "{}", installed.stderr);
    assert!(installed.fell_back());
    assert!(
        installed.stderr.contains(&format!("has no {}", archive())),
        "{}",
        installed.stderr
    );
}

#[test]
fn a_failing_fallback_fails_the_install() {
    let root = tempfile::tempdir().unwrap();
    let status = Command::new("bash")
        .arg(repo().join(".github/actions/miyabi-guild/install.sh"))
        .arg("")
        .arg(root.path())
        .env("MIYABI_GUILD_FALLBACK", "exit 101")
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(101));
}
