#!/usr/bin/env bash
# Gateway figures for collector/README.md, with production's settings: TLS and
# bearer tokens on the receivers, the persistent fsynced queue that batches.
#
#  1. Throughput: spans per collector CPU-second through the full gateway
#     pipeline (base + production + sampling, backends replaced by a sink that
#     answers 200), and through base + production alone. contrib's telemetrygen
#     sends OTLP/HTTP as fast as it can (BENCH_GATEWAY_WORKERS workers, 1 root + 4 child spans per
#     trace); the collector is pinned to CPU 1, telemetrygen and the sink to CPU 0.
#     Accepted spans come from the collector's own otelcol_receiver_accepted_spans.
#  2. Queue disk per minute of backend outage: the sink is absent, telemetrygen
#     sends BENCH_OUTAGE_RATE spans/s for BENCH_OUTAGE_SECONDS, then `du` of the queue.
#
# Environment: BENCH_GATEWAY_SECONDS (per throughput run), BENCH_GATEWAY_WORKERS,
# BENCH_OUTAGE_RATE, BENCH_OUTAGE_SECONDS; defaults in bench/defaults.js
# (`node bench/defaults.js` lists them).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
source scripts/toolchain.sh
say() { echo "bench: $*" >&2; }

setting() { node -p "require('./bench/defaults').setting('$1')"; }
seconds="$(setting BENCH_GATEWAY_SECONDS)"
workers="$(setting BENCH_GATEWAY_WORKERS)"
outage_rate="$(setting BENCH_OUTAGE_RATE)"
outage_seconds="$(setting BENCH_OUTAGE_SECONDS)"
cache="$O4O_CACHE"
binary="$(collector/build.sh --print-path)"
telemetrygen="$cache/go/bin/telemetrygen"
if [[ ! -x "$telemetrygen" ]]; then
  say "installing telemetrygen v0.160.0 into $cache/go/bin"
  GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/cache" GOTOOLCHAIN=local GOBIN="$cache/go/bin" \
    go install github.com/open-telemetry/opentelemetry-collector-contrib/cmd/telemetrygen@v0.160.0
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" -out "$work/ca.crt" -days 1 -subj '/CN=bench CA' 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$work/tls.key" -out "$work/tls.csr" -subj /CN=localhost 2>/dev/null
echo 'subjectAltName=IP:127.0.0.1,DNS:localhost' >"$work/san.ext"
openssl x509 -req -in "$work/tls.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial -out "$work/tls.crt" -days 1 -extfile "$work/san.ext" 2>/dev/null
echo bench-token >"$work/token"

# Ports well away from the local stack's.
grpc=24517 http=24518 health=24533 telemetry=24588 sink=24599

start_sink() {
  taskset -c 0 node -e "require('http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/x-protobuf'});s.end()})}).listen($sink,'127.0.0.1')" &
  sink_pid=$!
  pids+=("$sink_pid")
  sleep 0.5
}

start_collector() { # layers...
  local args=()
  for layer in "$@"; do
    case "$layer" in test:*) args+=("--config=collector/test/config/${layer#test:}") ;; *) args+=("--config=collector/config/$layer") ;; esac
  done
  rm -rf "$work/queue"
  env -i PATH="$PATH" HOME="$HOME" \
    O4O_OTLP_GRPC_ENDPOINT=127.0.0.1:$grpc O4O_OTLP_HTTP_ENDPOINT=127.0.0.1:$http \
    O4O_HEALTH_CHECK_ENDPOINT=127.0.0.1:$health O4O_COLLECTOR_TELEMETRY_HOST=127.0.0.1 O4O_COLLECTOR_TELEMETRY_PORT=$telemetry \
    O4O_QUEUE_DIR="$work/queue" O4O_TLS_CERT_FILE="$work/tls.crt" O4O_TLS_KEY_FILE="$work/tls.key" \
    O4O_INGEST_TOKEN_FILE="$work/token" O4O_OTLP_CORS_ORIGIN=https://shop.example.com O4O_HOST_ROOT=/ \
    O4O_TEST_SINK_URL=http://127.0.0.1:$sink O4O_SAMPLING_DECISION_WAIT=5s \
    taskset -c 1 "$binary" "${args[@]}" >"$work/collector.log" 2>&1 &
  collector_pid=$!
  pids+=("$collector_pid")
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$health/" >/dev/null && return 0
    sleep 0.2
  done
  say "collector did not start:"; tail -20 "$work/collector.log" >&2; exit 1
}

stop_collector() { kill "$collector_pid"; wait "$collector_pid" 2>/dev/null || true; }

cpu_seconds() { awk -v t="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); split($0, f, " "); print (f[12] + f[13]) / t }' "/proc/$1/stat"; }
accepted_spans() { curl -s "http://127.0.0.1:$telemetry/metrics" | awk '/^otelcol_receiver_accepted_spans(_total)?\{/ { n += $NF } END { printf "%d\n", n }'; }

send() { # extra telemetrygen args...
  taskset -c 0 "$telemetrygen" traces --otlp-http --otlp-endpoint 127.0.0.1:$http --ca-cert "$work/ca.crt" \
    --otlp-header "Authorization=\"Bearer bench-token\"" --child-spans 4 "$@" >"$work/telemetrygen.log" 2>&1
}

throughput() { # label layers...
  local label="$1"; shift
  start_collector "$@"
  local before cpu0 after cpu1
  before=$(accepted_spans); cpu0=$(cpu_seconds "$collector_pid")
  send --rate 0 --workers "$workers" --duration "${seconds}s"
  sleep 1
  after=$(accepted_spans); cpu1=$(cpu_seconds "$collector_pid")
  awk -v l="$label" -v n=$((after - before)) -v c0="$cpu0" -v c1="$cpu1" -v s="$seconds" \
    'BEGIN { printf "%s: %d spans accepted in %d s (%.0f/s), collector CPU %.1f s: %.0f spans per core-second\n", l, n, s, n / s, c1 - c0, n / (c1 - c0) }'
  stop_collector
}

start_sink
say "throughput, $seconds s each"
throughput "gateway, base+production+sampling" base.yaml production.yaml sampling.yaml test:sinks.yaml test:sampled-sink.yaml
throughput "gateway, base+production" base.yaml production.yaml test:sinks.yaml

say "queue growth: backend down, $outage_rate spans/s for $outage_seconds s"
kill "$sink_pid"; wait "$sink_pid" 2>/dev/null || true
start_collector base.yaml production.yaml test:sinks.yaml
# telemetrygen's --rate is spans per second per worker (measured: the queued count matches it).
send --rate "$outage_rate" --workers 1 --duration "${outage_seconds}s"
sleep 2
spans=$(accepted_spans)
bytes=$(du -sb "$work/queue" | cut -f1)
awk -v n="$spans" -v b="$bytes" -v s="$outage_seconds" \
  'BEGIN { printf "outage: %d spans queued in %d s (%.0f/s); queue directory %.1f MiB = %.0f bytes per span, %.1f MiB per minute per 1000 spans/s\n", n, s, n / s, b / 1048576, b / n, b / n * 60000 / 1048576 }'
stop_collector
