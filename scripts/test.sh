#!/usr/bin/env bash
# The test command. On a fresh machine it installs everything the tests need
# (Node.js, pnpm, Debian packages, the collector, Jaeger and Helm builds, Elasticsearch),
# then builds, lints and runs every suite: package tests (on Node.js 22, then again on
# 26), collector checks, alert rule and routing checks, and the end-to-end tests
# against the real local stack, which it starts and stops (O4O_KEEP_STACK=1 keeps
# it running). Ends with one line: "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
results="$root/.tmp/test-results"
rm -rf "$results" && mkdir -p "$results"

step() { printf '\n==> %s\n' "$*"; }
passed=0 failed=0 status=0

# Adds the counts of a jest --json result file to the totals.
count_jest() {
  local file="$1" p f
  if [ -f "$file" ]; then
    read -r p f < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites)' "$file")
  else
    p=0 f=1
  fi
  passed=$((passed + p)) failed=$((failed + f))
}

# Adds the counts of a checker's closing "name: N passed, M failed" line.
count_line() {
  local file="$1" line p f
  line=$(grep -E '^[a-z -]+: [0-9]+ passed, [0-9]+ failed' "$file" | tail -n 1 || true)
  if [ -z "$line" ]; then
    failed=$((failed + 1))
    return
  fi
  p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  passed=$((passed + p)) failed=$((failed + f))
}

# Runs a checker script, keeping its output for count_line.
run_checker() {
  local name="$1"
  shift
  "$@" 2>&1 | tee "$results/$name.log" || status=1
  count_line "$results/$name.log"
}

step "toolchain"
source scripts/toolchain.sh
echo "node $(node --version) (and $("$O4O_NODE26" --version) for the package suites), pnpm $(pnpm --version), $(go version)"

step "system packages"
bash scripts/system-packages.sh

step "dependencies"
pnpm install --frozen-lockfile --reporter=append-only

step "build"
pnpm -r run build

step "lint"
# The root script: eslint everywhere, and tsc for every TypeScript package and the e2e tests.
pnpm run lint

# run_jest DIR MAJOR NAME: runs DIR's jest suite on the toolchain's Node.js MAJOR
# (scripts/with-node.sh), which every fixture app the suite spawns with process.execPath
# runs on too, and counts results/NAME.json.
run_jest() {
  local dir="$1" node="$2" result="$results/$3.json"
  (cd "$dir" && bash "$root/scripts/with-node.sh" "$node" pnpm exec jest --ci --json --outputFile="$result") || status=1
  count_jest "$result"
}

for dir in packages/*/ alerting/ dashboards/ examples/*/ bench/; do
  [ -f "$dir/jest.config.js" ] || continue
  step "tests: $dir"
  run_jest "$dir" 22 "$(basename "$dir")"
done

# The packages again on Node.js 26, the active LTS: the preload above all (its suite runs
# every fixture app on 26), and the CLI, backend clients and alert history, which ship as
# Node programs and take seconds. alerting/ and dashboards/ generate configuration and
# stay on Node 22 only, as does the end-to-end suite below.
for dir in packages/*/; do
  [ -f "$dir/jest.config.js" ] || continue
  step "tests: $dir on Node.js 26"
  run_jest "$dir" 26 "$(basename "$dir")-node26"
done

step "collector: exporter unit tests"
(
  cd collector/exporter/searchbulkexporter
  GOMODCACHE="$O4O_CACHE/go/mod" GOCACHE="$O4O_CACHE/go/cache" GOFLAGS=-mod=mod go test -count=1 -v ./... 2>&1
) | tee "$results/go-test.log" | grep -E '^(--- |ok|FAIL|PASS)' || status=1
passed=$((passed + $(grep -c -- '^--- PASS' "$results/go-test.log" || true)))
failed=$((failed + $(grep -c -- '^--- FAIL' "$results/go-test.log" || true)))
grep -q '^ok' "$results/go-test.log" || status=1

step "local stack: install (cached after the first run)"
bash stack/install.sh

step "Helm: the pinned CLI that renders and lints the collector chart (cached after the first run)"
bash collector/deploy/helm.sh

step "toolchain: safe to source from an interactive shell"
run_checker toolchain bash scripts/test-toolchain.sh

step "collector: every config layer validated by the distribution itself"
run_checker collector-config bash collector/test/validate.sh

if [ -x alerting/test/run.sh ] || [ -f alerting/test/run.sh ]; then
  step "alerting: promtool rules and rule tests, amtool config and routes"
  run_checker alerting bash alerting/test/run.sh
fi

step "local stack: start"
# O4O_KEEP_STACK=1 leaves the stack running afterwards, for a look at what the tests sent.
if [ "${O4O_KEEP_STACK:-0}" != 1 ]; then
  trap 'step "local stack: stop"; bash stack/stop.sh || true' EXIT
fi
bash stack/start.sh

step "end-to-end tests against the real stack"
(cd test && pnpm exec jest --ci --json --outputFile="$results/e2e.json") || status=1
count_jest "$results/e2e.json"

printf '\n%s passed, %s failed\n' "$passed" "$failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
