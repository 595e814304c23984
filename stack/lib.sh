# Shared by stack/*.sh: paths, versions, and small helpers. Sourced, not run.
# shellcheck shell=bash

STACK_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$STACK_SRC/.." && pwd)"
O4O_CACHE="${O4O_CACHE:-$HOME/.cache/o4o}"
STACK_DIR="${O4O_STACK_DIR:-$REPO_ROOT/.stack}"
LOG_DIR="$STACK_DIR/logs"
RUN_DIR="$STACK_DIR/run"

# Where every service listens: the address book, stack/endpoints.env (the
# TypeScript side reads it through @o4o/backends). A non-empty variable of the
# same name already in the environment wins over the book. Exported, so the
# configs that expand variables themselves (stack/jaeger.yaml, the collector's)
# see the same values.
ENDPOINT_KEYS=()
while IFS= read -r _line || [[ -n $_line ]]; do
  [[ ${_line%$'\r'} =~ ^([A-Z][A-Z0-9_]*)=(.*)$ ]] || continue
  ENDPOINT_KEYS+=("${BASH_REMATCH[1]}")
  [[ -n "${!BASH_REMATCH[1]:-}" ]] || printf -v "${BASH_REMATCH[1]}" '%s' "${BASH_REMATCH[2]}"
  export "${BASH_REMATCH[1]?}"
done <"$STACK_SRC/endpoints.env"
unset _line
STACK_HOST="$O4O_STACK_HOST"
SEARCH_URL="http://$STACK_HOST:$O4O_SEARCH_PORT"
JAEGER_URL="http://$STACK_HOST:$O4O_JAEGER_QUERY_PORT"
PROMETHEUS_URL="http://$STACK_HOST:$O4O_PROMETHEUS_PORT"
ALERTMANAGER_URL="http://$STACK_HOST:$O4O_ALERTMANAGER_PORT"
BLACKBOX_URL="http://$STACK_HOST:$O4O_BLACKBOX_PORT"
COLLECTOR_OTLP_HTTP_URL="http://$STACK_HOST:$O4O_COLLECTOR_OTLP_HTTP_PORT"
COLLECTOR_HEALTH_URL="http://$STACK_HOST:$O4O_COLLECTOR_HEALTH_PORT"
ALERT_HISTORY_URL="http://$STACK_HOST:$O4O_ALERT_HISTORY_PORT"
# Alertmanager's webhook into the alert history (ALERTING_HISTORY_URL of
# alerting/local-config.sh). Not exported: a production render must not pick it up.
ALERT_HISTORY_WEBHOOK_URL="$ALERT_HISTORY_URL/alerts"

# The variables the local configs read their addresses from, derived from the
# book and exported, so every process these scripts start sees the same ones
# (a caller's own non-empty value of each wins, as for the book):
# - the collector's local layers (collector/config/base.yaml + local.yaml);
#   O4O_COLLECTOR_TELEMETRY_PORT is the book's entry itself;
export O4O_OTLP_GRPC_ENDPOINT="${O4O_OTLP_GRPC_ENDPOINT:-$STACK_HOST:$O4O_COLLECTOR_OTLP_GRPC_PORT}"
export O4O_OTLP_HTTP_ENDPOINT="${O4O_OTLP_HTTP_ENDPOINT:-$STACK_HOST:$O4O_COLLECTOR_OTLP_HTTP_PORT}"
export O4O_HEALTH_CHECK_ENDPOINT="${O4O_HEALTH_CHECK_ENDPOINT:-$STACK_HOST:$O4O_COLLECTOR_HEALTH_PORT}"
export O4O_COLLECTOR_TELEMETRY_HOST="${O4O_COLLECTOR_TELEMETRY_HOST:-$STACK_HOST}"
export O4O_JAEGER_OTLP_ENDPOINT="${O4O_JAEGER_OTLP_ENDPOINT:-$STACK_HOST:$O4O_JAEGER_OTLP_GRPC_PORT}"
export O4O_PROMETHEUS_REMOTE_WRITE_URL="${O4O_PROMETHEUS_REMOTE_WRITE_URL:-$PROMETHEUS_URL/api/v1/write}"
export O4O_SEARCH_ENDPOINT="${O4O_SEARCH_ENDPOINT:-$SEARCH_URL}"
export O4O_BLACKBOX_ENDPOINT="${O4O_BLACKBOX_ENDPOINT:-$STACK_HOST:$O4O_BLACKBOX_PORT}"
# - Grafana's datasources (dashboards/provisioning/datasources/o4o.yaml), the
#   same variables the o4o CLI reads.
export O4O_PROMETHEUS_URL="${O4O_PROMETHEUS_URL:-$PROMETHEUS_URL}"
export O4O_JAEGER_URL="${O4O_JAEGER_URL:-$JAEGER_URL}"
export O4O_SEARCH_URL="${O4O_SEARCH_URL:-$SEARCH_URL}"

# The variables collector config FILEs leave to whoever starts the collector:
# those without a default, or with the "<VAR>-is-unset" one that is no address.
collector_launch_variables() {
  grep -ohE '\$\{env:[A-Z0-9_]+(:-[A-Z0-9_]+-is-unset)?\}' "$@" | sed -E 's/^\$\{env:([A-Z0-9_]+).*/\1/' | sort -u
}

# Fails naming each variable of collector_launch_variables FILE... that is
# empty, before a collector starts somewhere nobody meant.
check_collector_env() {
  local name missing=()
  while IFS= read -r name; do
    [[ -n "${!name:-}" ]] || missing+=("$name")
  done < <(collector_launch_variables "$@")
  ((${#missing[@]} == 0)) ||
    die "the collector's config ($(basename -a "$@" | paste -sd ' ')) needs ${missing[*]}: stack/lib.sh derives them from stack/endpoints.env"
}

# Prints FILE with each ${KEY} of the address book replaced by its value (for
# configs that cannot read the environment, like Prometheus').
render_endpoints() {
  local text key
  text="$(cat "$1")"
  for key in "${ENDPOINT_KEYS[@]}"; do text="${text//"\${$key}"/"${!key}"}"; done
  printf '%s\n' "$text"
}

JAEGER_MODULE_VERSION=v1.76.0 # = Jaeger v2.13.0; v2 has no /v2 module path
JAEGER_BIN="$O4O_CACHE/jaeger/jaeger-$JAEGER_MODULE_VERSION"

ES_VERSION=7.17.29
ES_HOME="$O4O_CACHE/search/elasticsearch-$ES_VERSION"
SEARCH_HEAP="${O4O_SEARCH_HEAP:-512m}"
SEARCH_READY_URL="$SEARCH_URL/_cluster/health?wait_for_status=yellow&timeout=1s"
# Elasticsearch refuses to run as root; as root we run it as this system user.
SEARCH_USER=o4o-search

JAVA_BIN="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java"
[[ -x "$JAVA_BIN" ]] || JAVA_BIN="$(command -v java || echo java)"

# Services in start order; stop goes in reverse.
SERVICES=(search jaeger prometheus alertmanager blackbox collector alert-history)

say() { echo "stack: $*"; }
die() { echo "stack: ERROR: $*" >&2; exit 1; }

pid_file() { echo "$RUN_DIR/$1.pid"; }
log_file() { echo "$LOG_DIR/$1.log"; }

# The pid of a running service, or nothing. A pid file whose process is gone,
# or now belongs to another program, counts as not running.
service_pid() {
  local name="$1" file pid
  file="$(pid_file "$name")"
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$(service_marker "$name")"; then
    echo "$pid"
  fi
}

# A string that the service's command line contains, to tell it from a reused pid.
service_marker() {
  case "$1" in
    search) echo "org.elasticsearch.bootstrap.Elasticsearch" ;;
    jaeger) echo "jaeger-" ;;
    prometheus) echo "prometheus" ;;
    alertmanager) echo "alertmanager" ;;
    blackbox) echo "blackbox" ;;
    collector) echo "o4o-otelcol" ;;
    alert-history) echo "alert-history" ;;
  esac
}

# Waits until URL answers 2xx, or fails naming the service and its log.
wait_http() {
  local name="$1" url="$2" timeout="$3" pid="$4" start=$SECONDS
  while ((SECONDS - start < timeout)); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
      say "$name ready ($url, $((SECONDS - start))s)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "stack: ERROR: $name exited during startup; last lines of $(log_file "$name"):" >&2
      tail -n 20 "$(log_file "$name")" >&2 || true
      return 1
    fi
    sleep 1
  done
  echo "stack: ERROR: $name not ready at $url after ${timeout}s; see $(log_file "$name")" >&2
  tail -n 20 "$(log_file "$name")" >&2 || true
  return 1
}

port_in_use() { ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }

# Lets USER reach PATH when an ancestor directory is closed to others (e.g.
# /root is 0700): grants that one user search (x) permission only, by ACL.
grant_traverse() {
  local user="$1" path="$2" dir="" part
  local -a parts
  IFS=/ read -ra parts <<<"${path#/}"
  # From / downwards: a directory can only be tested once its parent is passable.
  for part in "${parts[@]:0:${#parts[@]}-1}"; do
    dir="$dir/$part"
    if ! setpriv --reuid="$user" --regid="$user" --clear-groups test -x "$dir" 2>/dev/null; then
      command -v setfacl >/dev/null || die "$user cannot reach $path and setfacl is missing (apt-get install acl)"
      say "granting $user search permission on $dir (ACL u:$user:x)"
      setfacl -m "u:$user:x" "$dir"
    fi
  done
}
