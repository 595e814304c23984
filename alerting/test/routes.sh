#!/usr/bin/env bash
# Checks the Alertmanager configuration and where each kind of alert goes:
# renders the template with the local values (env/local.env, and the alert
# history's address from the stack's address book, through stack/lib.sh), runs
# `amtool check-config`, then `amtool config routes test --verify.receivers` for
# each severity. Time of day is not something amtool evaluates, so the
# business-hours gate of low alerts is checked on the rendered file; the
# delivery test (test/e2e/alerting-delivery) shows a real Alertmanager holding
# back an alert outside its time interval.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/../stack/lib.sh"
source "$here/../scripts/checks.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

ALERTING_SECRETS_DIR=/run/secrets/alertmanager ALERTING_TEMPLATES_DIR="$here/templates" \
  ALERTING_HISTORY_URL="$ALERT_HISTORY_WEBHOOK_URL" \
  "$here/render.sh" "$here/env/local.env" "$work/alertmanager.yml"
ALERTING_SECRETS_DIR=/etc/alertmanager/secrets ALERTING_TEMPLATES_DIR="$here/templates" \
  "$here/render.sh" "$here/env/production.example.env" "$work/production.yml"
amtool check-config "$work/alertmanager.yml" "$work/production.yml"

expect_route() {
  local want="$1"
  shift
  if amtool config routes test --config.file="$work/alertmanager.yml" --verify.receivers="$want" "$@" >"$work/out" 2>/dev/null; then
    check_result true "$* -> $want"
  else
    check_result false "$* -> $want" "got $(head -n 1 "$work/out")"
  fi
}

# Every alert reaches the history first, then its severity's receiver.
expect_route alert-history,critical-page alertname=ApiErrorRateHigh severity=critical service_name=shop-api
expect_route alert-history,critical-page alertname=PaymentProviderDown severity=critical service_name=shop-api
expect_route alert-history,slack-alerts alertname=ApiLatencyP95High severity=high service_name=shop-api
expect_route alert-history,slack-alerts alertname=HostDiskFilling severity=medium service_name=host
expect_route alert-history,slack-low alertname=HostMemoryPressure severity=low service_name=host
# An alert without a known severity is still seen by someone.
expect_route alert-history,slack-alerts alertname=Unlabelled
expect_route alert-history,slack-alerts alertname=Odd severity=warning

# The low route only notifies Mon-Fri 09:00-18:00 Seoul time.
low_route="$(awk '/matchers: \[.severity="low".\]/{on=1} on&&/^    - receiver:/{exit} on' "$work/alertmanager.yml")"
check "low alerts are gated by seoul-business-hours" grep -q 'active_time_intervals: \[seoul-business-hours\]' <<<"$low_route"
interval="$(awk '/^  - name: seoul-business-hours/{on=1;next} on&&/^  - name:/{exit} on' "$work/alertmanager.yml")"
check "business hours are Mon-Fri" grep -q "weekdays: \['monday:friday'\]" <<<"$interval"
check "business hours are 09:00-18:00" grep -Pzq "start_time: '09:00'\s+end_time: '18:00'" <<<"$interval"
check "business hours are in Asia/Seoul" grep -q 'location: Asia/Seoul' <<<"$interval"
# Critical pages three ways; the secrets come from files, never from the config.
critical="$(awk '/^  - name: critical-page/{on=1;next} on&&/^  - name:/{exit} on' "$work/alertmanager.yml")"
check "critical goes to Slack, e-mail and SMS" bash -c 'grep -q slack_configs <<<"$1" && grep -q email_configs <<<"$1" && grep -q webhook_configs <<<"$1"' _ "$critical"
check "no secret value in the config" bash -c '! grep -Eq "(slack_api_url|auth_password|credentials|api_url):" "$1"' _ "$work/alertmanager.yml"
check "a critical alert inhibits high ones of the same service" grep -Pzq "source_matchers: \['severity=\"critical\"'\]\s+target_matchers: \['severity=~\"high\|medium\|low\"'\]\s+equal: \[service_name\]" "$work/alertmanager.yml"

checks_summary "alertmanager routes"
