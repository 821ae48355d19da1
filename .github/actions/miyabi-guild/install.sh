#!/usr/bin/env bash
# Installs miyabi-guild into ROOT/bin from a release made by .github/workflows/release.yml, after
# checking the archive against the release's SHA256SUMS; builds it from source instead when
# there is no release there (the action runs at a branch or a commit) or none for this platform.
#
#   install.sh BASE ROOT
#
# BASE is where the release's files are: an https:// URL
# (`https://github.com/OWNER/miyabi-guild/releases/download/v1.2.3`), a file:// URL or a
# directory; empty means no release. The release holds one archive per target,
# `miyabi-guild-TARGET.tar.gz` (`.zip` for Windows), and `SHA256SUMS` listing them.
#
# Exit status: 0 installed; 1 refused (the archive does not match its checksum, or is broken),
# and nothing is installed; otherwise the status of the fallback.
#
# Environment:
#   MIYABI_GUILD_TARGET    the target triple (default: from `uname`)
#   MIYABI_GUILD_FALLBACK  the command run by `sh -c` when there is no release, with ROOT set in
#                          its environment (default: cargo install --locked from this checkout)
set -euo pipefail

base=${1:-}
root=${2:?usage: install.sh BASE ROOT}
source_dir=$(cd "$(dirname "$0")/../../.." && pwd)

say() { printf 'miyabi-guild install: %s\n' "$*" >&2; }

fallback() {
  say "$1; building from source instead"
  if [ -n "${work:-}" ]; then rm -rf "$work"; fi
  export ROOT="$root"
  # shellcheck disable=SC2016 # expanded by the `sh -c` below, with ROOT and SOURCE exported
  local command=${MIYABI_GUILD_FALLBACK:-'cargo install --locked --path "$SOURCE" --root "$ROOT"'}
  SOURCE="$source_dir" exec sh -c "$command"
}

target() {
  local os arch
  os=$(uname -s)
  arch=$(uname -m)
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) return 1 ;;
  esac
  case "$os" in
    Linux) echo "$arch-unknown-linux-gnu" ;;
    Darwin) echo "$arch-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN*) [ "$arch" = x86_64 ] && echo "x86_64-pc-windows-msvc" ;;
    *) return 1 ;;
  esac
}

# fetch NAME FILE: copies the release's file NAME to FILE.
fetch() {
  case "$base" in
    http://* | https://*)
      curl --fail --silent --show-error --location --retry 3 --output "$2" "$base/$1" ;;
    file://*) cp "${base#file://}/$1" "$2" 2> /dev/null ;;
    *) cp "$base/$1" "$2" 2> /dev/null ;;
  esac
}

sha256() {
  if command -v sha256sum > /dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1 # macOS
  fi
}

[ -n "$base" ] || fallback "no release to download"
triple=${MIYABI_GUILD_TARGET:-$(target || true)}
[ -n "$triple" ] || fallback "no release is built for $(uname -s) $(uname -m)"
case "$triple" in
  *windows*) archive="miyabi-guild-$triple.zip" exe=miyabi-guild.exe ;;
  *) archive="miyabi-guild-$triple.tar.gz" exe=miyabi-guild ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch SHA256SUMS "$work/SHA256SUMS" || fallback "no release at $base"
expected=$(awk -v name="$archive" '$2 == name || $2 == "*" name { print $1 }' "$work/SHA256SUMS")
[ -n "$expected" ] || fallback "the release at $base has no $archive"
if ! fetch "$archive" "$work/$archive"; then
  say "error: SHA256SUMS lists $archive but it cannot be downloaded from $base"
  exit 1
fi
actual=$(sha256 "$work/$archive")
if [ "$actual" != "$expected" ]; then
  say "error: $archive does not match SHA256SUMS (expected $expected, got $actual): nothing installed"
  exit 1
fi

mkdir "$work/unpacked"
case "$archive" in
  *.zip)
    if command -v unzip > /dev/null; then
      unzip -q "$work/$archive" -d "$work/unpacked"
    else
      7z x -bd -o"$work/unpacked" "$work/$archive" > /dev/null # Windows runners have 7-Zip
    fi ;;
  *) tar -xzf "$work/$archive" -C "$work/unpacked" ;;
esac || { say "error: $archive is not a readable archive: nothing installed"; exit 1; }
if [ ! -f "$work/unpacked/$exe" ]; then
  say "error: $archive has no $exe: nothing installed"
  exit 1
fi

mkdir -p "$root/bin"
chmod +x "$work/unpacked/$exe"
mv "$work/unpacked/$exe" "$root/bin/$exe"
say "installed $archive (sha256 $actual) into $root/bin"
