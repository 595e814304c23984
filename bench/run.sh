#!/usr/bin/env bash
# Runs every benchmark and writes the table into the README's benchmark section.
#
#   bash bench/run.sh            (or: pnpm --filter @o4o/bench run all)
#   bash bench/run.sh --help     this text and the settings' defaults
#
# Steps: install the toolchain (scripts/toolchain.sh: Node.js 22 first on PATH,
# 26 beside it), build the shop and @o4o/otel, build the collector if needed,
# install telemetrygen into the cache, then the shop benchmark (variants
# interleaved, on each Node.js release of BENCH_NODES, 22 and 26, each against
# its own (a)), the micro-benchmarks and (b) with its collector absent (both on
# Node 22), collector throughput, and the report. The shop takes about 30 s per
# process, 5 rounds × 11 processes by default. Results: .bench/*.json; logs:
# .bench/*.log. Every process it starts listens on 127.0.0.1 (ports 27717-27788)
# and is stopped before it exits. Run it on a quiet machine: the load average
# goes into the report.
#
# Environment: O4O_CACHE (~/.cache/o4o), and the BENCH_* settings each script
# reads; their defaults are in bench/defaults.js, the one place they are written
# (this script passes none of them on).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$repo"
say() { echo "bench: $*" >&2; }

# The toolchain's releases, whatever Node the caller has: the figures name the exact versions.
source "$repo/scripts/toolchain.sh"

case "${1:-}" in
  "") ;;
  -h | --help)
    sed -n '2,/^set -euo pipefail$/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    echo
    echo "Settings (environment variable, default, meaning):"
    node "$here/defaults.js"
    exit 0
    ;;
  *)
    say "unknown argument: $1 (bash bench/run.sh --help)"
    exit 2
    ;;
esac
command -v taskset >/dev/null || { say "taskset (util-linux) is needed to pin processes"; exit 1; }

say "building @o4o/otel and the example shop"
pnpm --filter @o4o/otel --filter @o4o/example-shop-api run build >/dev/null

say "collector: $("$repo/collector/build.sh" --print-path)"

cache="${O4O_CACHE:-$HOME/.cache/o4o}"
telemetrygen="$cache/go/bin/telemetrygen"
if [[ ! -x "$telemetrygen" ]]; then
  say "installing telemetrygen v0.160.0 into $cache/go/bin"
  go_bin="$(command -v go || echo /usr/local/go/bin/go)"
  GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/cache" GOTOOLCHAIN=local GOBIN="$cache/go/bin" \
    "$go_bin" install github.com/open-telemetry/opentelemetry-collector-contrib/cmd/telemetrygen@v0.160.0
fi
export TELEMETRYGEN="$telemetrygen"

say "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$repo/.bench"
say "shop benchmark on Node $(node -p "require('./bench/defaults').setting('BENCH_NODES')")"
node "$here/shop.js"
say "micro-benchmarks: business API, log bridge"
node "$here/micro.js"
say "(b) with the collector up and absent"
node "$here/dead-collector.js"
say "collector throughput (telemetrygen)"
node "$here/collector-throughput.js"
node "$here/report.js"
