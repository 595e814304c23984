#!/usr/bin/env bash
# Stops the local stack in reverse start order: SIGTERM, up to
# O4O_STOP_TIMEOUT seconds (default 30) for a clean shutdown, then SIGKILL.
# Only processes recorded in .stack/run/*.pid are touched; safe to run twice.
#
# Usage: stack/stop.sh [service...]   (default: all)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

timeout="${O4O_STOP_TIMEOUT:-30}"

stop_service() {
  local name="$1" pid start
  pid="$(service_pid "$name")"
  if [[ -z "$pid" ]]; then
    rm -f "$(pid_file "$name")"
    say "$name not running"
    return 0
  fi
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS - start >= timeout)); then
      say "$name did not exit within ${timeout}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.5
  done
  rm -f "$(pid_file "$name")"
  say "$name stopped"
}

selected=("$@")
((${#selected[@]})) || selected=("${SERVICES[@]}")
for name in "${selected[@]}"; do
  [[ " ${SERVICES[*]} " == *" $name "* ]] || die "unknown service '$name' (expected one of: ${SERVICES[*]})"
done
for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
  name="${SERVICES[$i]}"
  [[ " ${selected[*]} " == *" $name "* ]] && stop_service "$name"
done
exit 0
