#!/usr/bin/env bash
# Shows each local stack service: running or not, pid, and whether its
# readiness endpoint answers. Exits 0 only when every service is ready.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ready_url() {
  case "$1" in
    search) echo "$SEARCH_READY_URL" ;;
    jaeger) echo "$JAEGER_URL/api/services" ;;
    prometheus) echo "$PROMETHEUS_URL/-/ready" ;;
    alertmanager) echo "$ALERTMANAGER_URL/-/ready" ;;
    blackbox) echo "$BLACKBOX_URL/metrics" ;;
    collector) echo "$COLLECTOR_HEALTH_URL/" ;;
    alert-history) echo "$ALERT_HISTORY_URL/health" ;;
  esac
}

all_ready=true
for name in "${SERVICES[@]}"; do
  pid="$(service_pid "$name")"
  url="$(ready_url "$name")"
  if [[ -z "$pid" ]]; then
    state="stopped"
    all_ready=false
  elif curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
    state="ready (pid $pid)"
  else
    state="NOT READY (pid $pid; see $(log_file "$name"))"
    all_ready=false
  fi
  printf '%-13s %s  %s\n' "$name" "$state" "$url"
done
$all_ready
