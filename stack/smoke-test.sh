#!/usr/bin/env bash
# End-to-end check of the running local stack: sends one span, one log record
# and one metric as OTLP/JSON to the collector's OTLP/HTTP port and checks
# that each arrives where it should, with sensitive data removed:
#   span   → Jaeger /api/traces/{id}; authorization header attribute deleted
#   span   → Prometheus traces_span_metrics_calls_total, with a trace exemplar
#   log    → search node index o4o-logs; e-mail in the body masked
#   metric → Prometheus o4o_smoke_orders_total
#   health-probe span → dropped
# Start the stack first (stack/start.sh). Exits non-zero if any check fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

otlp="${O4O_OTLP_HTTP_URL:-$COLLECTOR_OTLP_HTTP_URL}"
jaeger="$JAEGER_URL"
search="$SEARCH_URL"
prometheus="$PROMETHEUS_URL"
deadline_s="${O4O_SMOKE_TIMEOUT:-60}" # span metrics flush every 15 s

run_id="$(date +%s%N)"
trace_id="$(printf '%032x' "$run_id")"
health_trace_id="$(printf 'feed%028x' "$run_id")"
service="o4o-smoke-$run_id"
now="$run_id"
passed=0
failed=0

post() { # post PATH JSON
  curl -fsS --max-time 5 -o /dev/null -H 'content-type: application/json' "$otlp$1" -d "$2"
}

# check NAME COMMAND...: retries COMMAND until it succeeds or the deadline passes.
check() {
  local name="$1" start=$SECONDS
  shift
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS - start >= deadline_s)); then
      echo "FAIL  $name"
      failed=$((failed + 1))
      return 0
    fi
    sleep 2
  done
  echo "ok    $name ($((SECONDS - start))s)"
  passed=$((passed + 1))
}

resource='{"attributes":[{"key":"service.name","value":{"stringValue":"'"$service"'"}}]}'

echo "smoke: sending span, log and metric for service $service"
post /v1/traces '{"resourceSpans":[{"resource":'"$resource"',"scopeSpans":[{"scope":{"name":"smoke"},"spans":[
  {"traceId":"'"$trace_id"'","spanId":"00f067aa0ba902b7","name":"GET /orders/:id","kind":2,
   "startTimeUnixNano":"'"$((now - 25000000))"'","endTimeUnixNano":"'"$now"'",
   "attributes":[{"key":"http.route","value":{"stringValue":"/orders/:id"}},
                 {"key":"http.request.method","value":{"stringValue":"GET"}},
                 {"key":"http.response.status_code","value":{"intValue":"200"}},
                 {"key":"http.request.header.authorization","value":{"stringValue":"Bearer smoke-secret"}}]},
  {"traceId":"'"$health_trace_id"'","spanId":"00f067aa0ba902b8","name":"GET /health","kind":2,
   "startTimeUnixNano":"'"$((now - 1000000))"'","endTimeUnixNano":"'"$now"'",
   "attributes":[{"key":"http.route","value":{"stringValue":"/health"}}]}]}]}]}'
post /v1/logs '{"resourceLogs":[{"resource":'"$resource"',"scopeLogs":[{"scope":{"name":"smoke"},"logRecords":[
  {"timeUnixNano":"'"$now"'","severityNumber":9,"severityText":"INFO","traceId":"'"$trace_id"'","spanId":"00f067aa0ba902b7",
   "body":{"stringValue":"order placed by jane@example.com run '"$run_id"'"},
   "attributes":[{"key":"user.password","value":{"stringValue":"hunter2"}}]}]}]}]}'
post /v1/metrics '{"resourceMetrics":[{"resource":'"$resource"',"scopeMetrics":[{"scope":{"name":"smoke"},"metrics":[
  {"name":"o4o.smoke.orders","unit":"{order}","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[
   {"asInt":"3","startTimeUnixNano":"'"$((now - 60000000000))"'","timeUnixNano":"'"$now"'"}]}}]}]}]}'

jaeger_span_clean() {
  local body
  body="$(curl -fsS --max-time 5 "$jaeger/api/traces/$trace_id")"
  grep -q '"GET /orders/:id"' <<<"$body" && ! grep -q 'smoke-secret' <<<"$body"
}
health_span_dropped() {
  # Checked after the kept span has arrived, so absence means dropped.
  [[ "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$jaeger/api/traces/$health_trace_id")" == 404 ]]
}
log_indexed_clean() {
  local body
  curl -fsS --max-time 5 -o /dev/null -X POST "$search/o4o-logs/_refresh"
  body="$(curl -fsS --max-time 5 "$search/o4o-logs/_search?q=resource.attributes.service.name:%22$service%22")"
  grep -q '"value" *: *1' <<<"$body" && grep -q '\[email\]' <<<"$body" &&
    ! grep -q 'jane@example.com\|hunter2' <<<"$body"
}
prom_has() { # prom_has PROMQL
  curl -fsS --max-time 5 "$prometheus/api/v1/query" --data-urlencode "query=$1" | grep -q '"value"'
}
exemplar_links_trace() {
  curl -fsS --max-time 5 "$prometheus/api/v1/query_exemplars" \
    --data-urlencode "query=traces_span_metrics_duration_seconds_bucket{service_name=\"$service\"}" \
    --data-urlencode "start=$(($(date +%s) - 600))" --data-urlencode "end=$(($(date +%s) + 60))" |
    grep -q "\"trace_id\":\"$trace_id\""
}

check "span reaches Jaeger without its authorization attribute" jaeger_span_clean
check "health-probe span is dropped" health_span_dropped
check "log reaches the search node with e-mail masked and password removed" log_indexed_clean
check "metric reaches Prometheus by remote write" prom_has "o4o_smoke_orders_total{job=\"$service\"} == 3"
check "span metrics reach Prometheus" prom_has "traces_span_metrics_calls_total{service_name=\"$service\",http_route=\"/orders/:id\"} > 0"
check "span metrics carry the trace id as exemplar" exemplar_links_trace

echo "smoke: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
