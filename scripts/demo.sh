#!/usr/bin/env bash
# The demo: on a fresh machine, installs what it needs, starts the local
# observability stack and the example shop under the @o4o/otel preload, drives
# realistic traffic through four phases (normal shopping, slow payments, failing
# payments, a payment provider outage, with stock running out along the way), and
# prints where everything landed. Everything stays up for exploring afterwards.
#
#   bash scripts/demo.sh          run the demo
#   bash scripts/demo.sh stop     stop the shop and the stack
#
# Ctrl-C during the run stops everything too. Phase lengths: DEMO_PHASE_SECONDS
# (default 40); the outage lasts long enough for its alert to fire (180 s: the
# alert waits 2 minutes, after a scrape and a health check have seen the outage).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
state="$root/.stack/demo"
logs="$root/.stack/logs"
SHOP_PORT=3000 PROVIDER_PORT=3100
# The stack's addresses (stack/endpoints.env): COLLECTOR_OTLP_HTTP_URL, ...
source stack/lib.sh
phase_seconds=${DEMO_PHASE_SECONDS:-40}
outage_seconds=${DEMO_OUTAGE_SECONDS:-180}

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

stop_demo() {
  for name in shop payment-provider; do
    if [ -f "$state/$name.pid" ]; then
      pid=$(cat "$state/$name.pid")
      kill "$pid" 2>/dev/null && echo "demo: stopped $name (pid $pid)" || true
      rm -f "$state/$name.pid"
    fi
  done
  bash stack/stop.sh
}

if [ "${1:-}" = "stop" ]; then
  stop_demo
  exit 0
fi

interrupted() {
  echo
  say "interrupted: stopping the shop and the stack"
  stop_demo
  exit 130
}
trap interrupted INT TERM

say "1/6 toolchain and packages (Node.js 22, pnpm, Debian packages)"
source scripts/toolchain.sh
bash scripts/system-packages.sh
pnpm install --frozen-lockfile --reporter=silent
echo "demo: building the workspace"
pnpm -r --reporter=silent run build >/dev/null

say "2/6 observability stack: collector, Prometheus, Alertmanager, Jaeger, Elasticsearch (first install builds the collector and Jaeger: several minutes)"
bash stack/install.sh
bash stack/start.sh

say "3/6 the shop (SQLite) and its payment provider, under node --require @o4o/otel/register"
mkdir -p "$state" "$logs"
for name in shop payment-provider; do
  if [ -f "$state/$name.pid" ] && kill -0 "$(cat "$state/$name.pid")" 2>/dev/null; then
    kill "$(cat "$state/$name.pid")" && sleep 1
  fi
done
(
  cd examples/shop-api
  PAYMENT_PROVIDER_PORT=$PROVIDER_PORT PAYMENT_LATENCY_MS=60 PAYMENT_FAILURE_RATE=0.05 \
    nohup node dist/payment-provider.js >>"$logs/payment-provider.log" 2>&1 &
  echo $! >"$state/payment-provider.pid"
  PORT=$SHOP_PORT PAYMENT_PROVIDER_URL="http://127.0.0.1:$PROVIDER_PORT" NODE_ENV=demo \
    OTEL_SERVICE_NAME=shop-api OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=demo,service.version=0.1.0 \
    OTEL_EXPORTER_OTLP_ENDPOINT="$COLLECTOR_OTLP_HTTP_URL" OTEL_BSP_SCHEDULE_DELAY=1000 \
    nohup node --require @o4o/otel/register dist/main.js >>"$logs/shop.log" 2>&1 &
  echo $! >"$state/shop.pid"
)
for _ in $(seq 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$SHOP_PORT/health" 2>/dev/null && break
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$SHOP_PORT/health" || { echo "demo: the shop did not start; see $logs/shop.log" >&2; exit 1; }
grep -m1 '@o4o/otel: started' "$logs/shop.log" || true
started_at=$(date +%s)

provider() { curl -fsS -o /dev/null -X POST -H 'content-type: application/json' -d "$1" "http://127.0.0.1:$PROVIDER_PORT/admin/config"; }
traffic() { node examples/shop-api/dist/traffic.js --url "http://127.0.0.1:$SHOP_PORT" --seconds "$1" --rate "${2:-15}" >"$state/traffic-$3.json"; }

say "4/6 traffic: normal shopping (${phase_seconds}s), slow payments (${phase_seconds}s), failing payments (${phase_seconds}s)"
echo "demo: phase 1: browsing, registrations, checkouts; the limited teapot sells out (the restock job refills the rest)"
traffic "$phase_seconds" 15 normal
echo "demo: phase 2: the payment provider slows to ~2.5 s per payment"
provider '{"latencyMs":2500,"failureRate":0.05}'
traffic "$phase_seconds" 10 slow
echo "demo: phase 3: half of the payments are declined"
provider '{"latencyMs":80,"failureRate":0.5}'
traffic "$phase_seconds" 15 failing

say "5/6 traffic: the payment provider is down (${outage_seconds}s, long enough for PaymentProviderDown to fire)"
provider '{"down":true}'
traffic "$outage_seconds" 8 outage
provider '{"down":false,"latencyMs":60,"failureRate":0.05}'

say "6/6 summary"
node scripts/demo-summary.mjs --since "$started_at" --service shop-api --traffic-dir "$state"
trap - INT TERM
