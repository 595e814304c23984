#!/usr/bin/env bash
# Every offline check of alerting/: rule syntax (promtool check rules), rule
# unit tests (promtool test rules), the Alertmanager configuration and its
# routing (routes.sh). Needs promtool and amtool (Debian's prometheus and
# prometheus-alertmanager packages) and envsubst (gettext-base).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "alerting: promtool check rules"
promtool check rules rules/*.yml
echo "alerting: promtool test rules"
promtool test rules test/rules.test.yml
echo "alerting: Alertmanager configuration and routes"
test/routes.sh
