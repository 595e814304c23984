#!/usr/bin/env bash
# Runs a command with one of the toolchain's Node.js releases first on PATH, so
# `node`, `pnpm exec jest` and every child they spawn with process.execPath run
# on it, and native addons built meanwhile compile against its headers
# (npm_config_nodedir). Installs the toolchain first if needed (scripts/toolchain.sh).
#
#   bash scripts/with-node.sh 26 pnpm exec jest     # the otel suite on Node 26
#   bash scripts/with-node.sh 22 node --version
set -euo pipefail

if [[ $# -lt 2 || ! $1 =~ ^[0-9]+$ ]]; then
  echo "usage: bash scripts/with-node.sh MAJOR COMMAND [ARG...]   (MAJOR: 22 or 26)" >&2
  exit 2
fi
major="$1"
shift
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh" >/dev/null || exit 1
binary_var="O4O_NODE$major"
binary="${!binary_var:-}"
if [[ -z $binary ]]; then
  echo "with-node: the toolchain has no Node.js $major (it installs 22 and 26)" >&2
  exit 2
fi
node_pkg="$(dirname "$(dirname "$binary")")"
export PATH="$node_pkg/bin:$PATH" npm_config_nodedir="$node_pkg"
exec "$@"
