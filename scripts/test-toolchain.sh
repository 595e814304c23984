#!/usr/bin/env bash
# Checks that scripts/toolchain.sh behaves as a file meant to be sourced: an
# interactive shell that sources it keeps its options and survives a failing
# command afterwards, and gets the pinned Node.js on PATH. Ends with
# "toolchain: N passed, M failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/checks.sh

# The -i shell reads its commands from stdin, as a terminal session would.
session=$(printf '%s\n' 'source scripts/toolchain.sh >/dev/null' 'false' 'ls /no/such/path 2>/dev/null' 'echo "still-alive $-"' 'shopt -po errexit nounset pipefail' 'node --version' | bash -i 2>/dev/null)
check "an interactive shell survives a failing command after sourcing" grep -q '^still-alive' <<<"$session"
check "no shell option is turned on by sourcing" bash -c '! grep -qE "^set -o (errexit|nounset|pipefail)" <<<"$1"' _ "$session"
check "the pinned Node.js is first on PATH" grep -q '^v22\.' <<<"$session"
check "run directly, it prints the versions" bash -c 'bash scripts/toolchain.sh | grep -q "^node v22\."'
checks_summary toolchain
