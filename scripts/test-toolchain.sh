#!/usr/bin/env bash
# Checks that scripts/toolchain.sh behaves as a file meant to be sourced: an
# interactive shell that sources it keeps its options and survives a failing
# command afterwards, and gets the pinned Node.js 22 on PATH and Node.js 26 beside
# it; and that scripts/with-node.sh runs a command on either. Ends with
# "toolchain: N passed, M failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/checks.sh

# The -i shell reads its commands from stdin, as a terminal session would.
session=$(printf '%s\n' 'source scripts/toolchain.sh >/dev/null' 'false' 'ls /no/such/path 2>/dev/null' 'echo "still-alive $-"' 'shopt -po errexit nounset pipefail' 'node --version' 'echo "node26 $("$O4O_NODE26" --version)"' | bash -i 2>/dev/null)
check "an interactive shell survives a failing command after sourcing" grep -q '^still-alive' <<<"$session"
check "no shell option is turned on by sourcing" bash -c '! grep -qE "^set -o (errexit|nounset|pipefail)" <<<"$1"' _ "$session"
check "the pinned Node.js 22 is first on PATH" grep -q '^v22\.' <<<"$session"
check "Node.js 26 is installed and runs (\$O4O_NODE26)" grep -q '^node26 v26\.' <<<"$session"
check "run directly, it prints the versions" bash -c 'out=$(bash scripts/toolchain.sh) && grep -q "^node v22\." <<<"$out" && grep -q "^node v26\." <<<"$out"'
check "with-node.sh 26 puts Node.js 26 first on PATH, for node and what pnpm runs" bash -c '[[ $(bash scripts/with-node.sh 26 node --version) == v26.* && $(bash scripts/with-node.sh 26 pnpm exec node --version) == v26.* ]]'
check "with-node.sh 26 points native addon builds at Node.js 26's headers" bash -c 'dir=$(bash scripts/with-node.sh 26 printenv npm_config_nodedir) && [[ -f $dir/include/node/node_version.h ]] && grep -q "define NODE_MAJOR_VERSION 26" "$dir/include/node/node_version.h"'
check "with-node.sh 22 runs Node.js 22" bash -c '[[ $(bash scripts/with-node.sh 22 node --version) == v22.* ]]'
check "with-node.sh refuses a release the toolchain does not install" bash -c '! bash scripts/with-node.sh 19 node --version 2>/dev/null'
checks_summary toolchain
