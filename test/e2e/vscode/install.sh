#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20) into
# test/e2e/vscode/node_modules for the end-to-end tests and `npm run sandbox`.
# Needs Debian's packages first:
#   apt-get install -y chromium libkrb5-dev pkg-config build-essential ripgrep
# Two of code-server's dependencies download at install time, which cannot work offline:
# @vscode/ripgrep fetches rg from GitHub unless its cache already holds the tarball, so the cache is
# seeded with Debian's rg; node-pty's build runs `npx node-gyp`, which waits for a "yes". And
# code-server's postinstall refuses to run as root without --unsafe-perm, which npm 11 no longer
# knows but still hands to the scripts.
set -euo pipefail
cd "$(dirname "$0")"

rg_path=$(command -v rg) || { echo "install.sh: ripgrep is missing: apt-get install -y ripgrep" >&2; exit 1; }
cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$tarball" ]; then
  mkdir -p "$cache"
  staging=$(mktemp -d)
  cp "$rg_path" "$staging/rg"
  tar -czf "$tarball" -C "$staging" rg
  rm -rf "$staging"
fi

export npm_config_yes=true
if [ -f package-lock.json ]; then
  npm ci --unsafe-perm --no-audit --no-fund
else
  npm install --unsafe-perm --no-audit --no-fund
fi
