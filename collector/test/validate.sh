#!/usr/bin/env bash
# Validates every supported combination of collector config layers with the
# o4o-otelcol binary itself (`validate` parses, unmarshals and checks every
# component's config, OTTL statements included, without starting pipelines).
# Builds the distribution first if needed (cached). Exits non-zero on the
# first failing combination after reporting all of them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
binary="$("$here/build.sh" --print-path)"
config="$here/config"

# Validation must not depend on the caller's environment: clear every
# O4O_* variable the configs read, so the defaults written in them are checked.
# The local layers (base.yaml alone or with local.yaml) have no defaults for the
# local stack's addresses: those combinations get the variables stack/lib.sh
# derives from the address book (stack/endpoints.env), as stack/start.sh does.
while IFS= read -r var; do unset "$var"; done < <(env | grep -o '^O4O_[A-Z0-9_]*' | grep -v '^O4O_CACHE$' || true)
# file_storage creates its directory during validation; keep that out of /var/lib.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export O4O_QUEUE_DIR="$scratch/queue"

combinations=(
  "stack: base.yaml"
  "stack: base.yaml local.yaml"
  "base.yaml production.yaml"
  "base.yaml production.yaml sampling.yaml"
  "loadbalancer.yaml loadbalancer-dns.yaml"
  "agent.yaml"
  # The layers the e2e tests put on top (collector/test/config).
  "base.yaml production.yaml test:sinks.yaml"
  "base.yaml production.yaml sampling.yaml test:sinks.yaml test:sampled-sink.yaml"
  "loadbalancer.yaml test:static-gateways.yaml"
)
# What the test layers require (they have no defaults).
export O4O_TEST_SINK_URL=http://127.0.0.1:1 O4O_GATEWAY_ENDPOINTS='[127.0.0.1:1, 127.0.0.1:2]'
# What the agent needs from its deployment: the values collector/deploy/values-agent.yaml sets.
for var in O4O_LOADBALANCER_ENDPOINT O4O_GATEWAY_ENDPOINT; do
  value="$(awk -v name="$var" '$0 ~ "- name: " name "$" { getline; if (sub(/^ *value: */, "")) print; exit }' "$here/deploy/values-agent.yaml")"
  [[ -n $value ]] || { echo "validate.sh: collector/deploy/values-agent.yaml sets no $var" >&2; exit 1; }
  export "$var=$value"
done

source "$here/../scripts/checks.sh"
for combo in "${combinations[@]}"; do
  book=false
  if [[ $combo == "stack: "* ]]; then
    book=true
    combo="${combo#stack: }"
  fi
  files=()
  for file in $combo; do
    case "$file" in
      test:*) files+=("$here/test/config/${file#test:}") ;;
      *) files+=("$config/$file") ;;
    esac
  done
  name="validate ${combo// / + }"
  if $book; then
    # In a subshell: the address book's variables for this combination only. The
    # launchers' check comes first: every variable the layers leave to them is set.
    name="$name (addresses from stack/endpoints.env)"
    run() { (source "$repo/stack/lib.sh" && check_collector_env "${files[@]}" && "$binary" validate "${files[@]/#/--config=}"); }
  else
    run() { "$binary" validate "${files[@]/#/--config=}"; }
  fi
  if output="$(run 2>&1)"; then ok=true; else ok=false; fi
  check_result "$ok" "$name" "$output"
done

# Without the address book, the local layers are refused, naming what is missing:
# the stack's addresses have no defaults to fall back on.
local_layers=("$config/base.yaml" "$config/local.yaml")
if output="$("$binary" validate "${local_layers[@]/#/--config=}" 2>&1)"; then ok=false; else
  [[ $output == *-is-unset* ]] && ok=true || ok=false
fi
check_result "$ok" "validate base.yaml + local.yaml without the address book fails, naming the variables" "$output"
if output="$( (source "$repo/stack/lib.sh" && unset O4O_SEARCH_ENDPOINT && check_collector_env "${local_layers[@]}") 2>&1)"; then ok=false; else
  [[ $output == *"needs O4O_SEARCH_ENDPOINT"* ]] && ok=true || ok=false
fi
check_result "$ok" "the launchers' check refuses base.yaml + local.yaml without O4O_SEARCH_ENDPOINT" "$output"

checks_summary collector-config
