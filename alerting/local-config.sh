#!/usr/bin/env bash
# Prepares Alertmanager for the local stack and CI: writes the secret files
# (local sink addresses and dummy credentials, never real ones) and renders
# alertmanager.yml from the template, env/local.env and the stack's address
# book (the alert history's URL, through stack/lib.sh). Idempotent: existing
# secret files are kept, so a developer can point slack-api-url at a real
# workspace for a try. Prints the rendered config's path as its last line.
#
#   alerting/local-config.sh [DIR]   # default: ${O4O_STACK_DIR:-<repo>/.stack}/alerting
#   -> DIR/alertmanager.yml, DIR/secrets/{slack-api-url,smtp-password,sms-gateway-token}
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The alert history's address: ALERT_HISTORY_WEBHOOK_URL, from the address book.
source "$here/../stack/lib.sh"
dir="${1:-${O4O_STACK_DIR:-$here/../.stack}/alerting}"
mkdir -p "$dir/secrets"
dir="$(cd "$dir" && pwd)"
chmod 700 "$dir/secrets"

write_secret() {
  local name="$1" value="$2"
  [[ -s "$dir/secrets/$name" ]] && return 0
  # No trailing newline: Alertmanager 0.25 sends smtp_auth_password_file's bytes as they are.
  (umask 077 && printf '%s' "$value" >"$dir/secrets/$name")
  echo "local-config: wrote $dir/secrets/$name" >&2
}
# Nothing listens on 9098 unless a developer starts a sink there; the alert
# history (packages/alert-history, on the book's O4O_ALERT_HISTORY_PORT)
# records every notification regardless.
write_secret slack-api-url "${O4O_LOCAL_SLACK_URL:-http://127.0.0.1:9098/slack}"
write_secret smtp-password local-smtp-password
write_secret sms-gateway-token local-sms-token

ALERTING_SECRETS_DIR="$dir/secrets" ALERTING_TEMPLATES_DIR="$here/templates" \
  ALERTING_HISTORY_URL="${ALERTING_HISTORY_URL:-$ALERT_HISTORY_WEBHOOK_URL}" \
  "$here/render.sh" "$here/env/local.env" "$dir/alertmanager.yml"
amtool check-config "$dir/alertmanager.yml" >/dev/null
echo "$dir/alertmanager.yml"
