#!/usr/bin/env bash
# Validates every supported combination of collector config layers with the
# o4o-otelcol binary itself (`validate` parses, unmarshals and checks every
# component's config, OTTL statements included, without starting pipelines).
# Builds the distribution first if needed (cached). Exits non-zero on the
# first failing combination after reporting all of them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="$("$here/build.sh" --print-path)"
config="$here/config"

# Validation must not depend on the caller's environment: clear every
# O4O_* variable the configs read, so the defaults written in them are checked.
while IFS= read -r var; do unset "$var"; done < <(env | grep -o '^O4O_[A-Z0-9_]*' | grep -v '^O4O_CACHE$' || true)
# file_storage creates its directory during validation; keep that out of /var/lib.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export O4O_QUEUE_DIR="$scratch/queue"

combinations=(
  "base.yaml"
  "base.yaml local.yaml"
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
# What the agent needs from its deployment (collector/deploy/values-agent.yaml sets them).
export O4O_LOADBALANCER_ENDPOINT=o4o-loadbalancer.observability.svc:4317 O4O_GATEWAY_ENDPOINT=o4o-gateway.observability.svc:4317

passed=0
failed=0
for combo in "${combinations[@]}"; do
  args=()
  for file in $combo; do
    case "$file" in
      test:*) args+=("--config=$here/test/config/${file#test:}") ;;
      *) args+=("--config=$config/$file") ;;
    esac
  done
  if output="$("$binary" validate "${args[@]}" 2>&1)"; then
    echo "ok    validate ${combo// / + }"
    passed=$((passed + 1))
  else
    echo "FAIL  validate ${combo// / + }"
    echo "$output" | sed 's/^/      /'
    failed=$((failed + 1))
  fi
done

echo "collector-config: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
