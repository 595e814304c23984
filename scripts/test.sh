#!/usr/bin/env bash
# The test command: installs what the tests need (Node.js, pnpm, Debian packages,
# dependencies), builds, lints and runs every suite. Works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
source scripts/toolchain.sh
echo "node $(node --version), pnpm $(pnpm --version)"

step "system packages"
bash scripts/system-packages.sh

step "dependencies"
pnpm install --frozen-lockfile --reporter=append-only

step "build"
pnpm -r run build

step "lint"
pnpm exec eslint .
pnpm -r --filter "./packages/*" exec tsc --noEmit -p tsconfig.json

results="$root/.tmp/test-results"
rm -rf "$results" && mkdir -p "$results"
passed=0 failed=0 status=0
for dir in packages/*/; do
  [ -f "$dir/jest.config.js" ] || continue
  name=$(basename "$dir")
  step "tests: packages/$name"
  (cd "$dir" && pnpm exec jest --ci --json --outputFile="$results/$name.json") || status=1
  if [ -f "$results/$name.json" ]; then
    read -r p f < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites)' "$results/$name.json")
    passed=$((passed + p)) failed=$((failed + f))
  else
    failed=$((failed + 1))
  fi
done

printf '\n%s passed, %s failed\n' "$passed" "$failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
