#!/usr/bin/env bash
# Every offline check of alerting/: the rules rendered with the local values
# (render.sh --rules), their syntax (promtool check rules) and unit tests
# (promtool test rules), that the link bases come from the environment file
# alone, the Alertmanager configuration and its routing (routes.sh). Needs
# promtool and amtool (Debian's prometheus and prometheus-alertmanager
# packages) and envsubst (gettext-base). The rule sources (src/) have their own
# tests: pnpm --filter @o4o/alerting test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "alerting: render rules with env/local.env"
./render.sh --rules env/local.env "$work/rules"
echo "alerting: promtool check rules"
promtool check rules "$work"/rules/*.yml
echo "alerting: promtool test rules"
# The tests name ../rules/*.yml: run them beside the rendered rules.
mkdir -p "$work/test" && cp test/rules.test.yml "$work/test/"
promtool test rules "$work/test/rules.test.yml"

echo "alerting: link bases follow the environment file"
printf 'ALERTING_RUNBOOK_BASE=https://runbooks.test/book\nALERTING_DASHBOARD_BASE=https://dashboards.test\n' >"$work/links.env"
./render.sh --rules "$work/links.env" "$work/relinked"
if grep -q '\${ALERTING_' "$work"/relinked/*.yml || ! grep -q 'runbook_url: https://runbooks.test/book#service-down' "$work/relinked/alerts.yml" ||
  ! grep -q 'dashboard_url: https://dashboards.test/d/o4o-overview' "$work/relinked/alerts.yml" || grep -q 'o4o.example' "$work"/relinked/*.yml; then
  echo "FAIL: rendered rules do not take their link bases from the environment file" >&2
  exit 1
fi

echo "alerting: Alertmanager configuration and routes"
test/routes.sh
