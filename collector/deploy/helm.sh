#!/usr/bin/env bash
# Builds the pinned Helm CLI from the Go module proxy (helm.sh/helm/v3) into the
# cache, for rendering and linting collector/deploy/chart. No other source of a
# Helm binary is reachable here; `go install` of a pinned version is.
#
# The binary goes to $O4O_CACHE/helm/<version>-<go version>/helm; when it exists
# nothing is built.
#
# Usage:
#   collector/deploy/helm.sh               build if needed; progress on stderr
#   collector/deploy/helm.sh --print-path  same, then print only the binary path on stdout
#
# Environment: O4O_CACHE (default $HOME/.cache/o4o); the Go module and build
# caches are shared with collector/build.sh under $O4O_CACHE/go.
set -euo pipefail

HELM_VERSION=v3.22.0

cache="${O4O_CACHE:-$HOME/.cache/o4o}"
print_path=false
for arg in "$@"; do
  case "$arg" in
    --print-path) print_path=true ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "collector/deploy/helm.sh: unknown argument '$arg' (expected --print-path)" >&2; exit 2 ;;
  esac
done

say() { echo "helm: $*" >&2; }

go_bin="$(command -v go || true)"
[[ -z "$go_bin" && -x /usr/local/go/bin/go ]] && go_bin=/usr/local/go/bin/go
if [[ -z "$go_bin" ]]; then
  say "Go not found (need Go 1.26 on PATH or at /usr/local/go/bin/go)"
  exit 1
fi

export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/cache" GOTOOLCHAIN=local
go_version="$("$go_bin" env GOVERSION)"
out_dir="$cache/helm/$HELM_VERSION-$go_version"
binary="$out_dir/helm"

finish() {
  if $print_path; then echo "$binary"; fi
}

if [[ -x "$binary" ]]; then
  say "up to date: $binary"
  finish
  exit 0
fi

mkdir -p "$GOMODCACHE" "$GOCACHE" "$cache/helm"
# One build at a time: several test runs may ask for it at once.
exec 9>"$cache/helm/.build.lock"
if ! flock -n 9; then
  say "another build is running; waiting for it"
  flock 9
fi
if [[ -x "$binary" ]]; then
  say "up to date: $binary (built by the other run)"
  finish
  exit 0
fi

work="$out_dir.work"
rm -rf "$work"
mkdir -p "$work"
log="$work/build.log"
say "building helm $HELM_VERSION with $go_version (first build takes several minutes; log: $log)..."
start=$SECONDS
GOBIN="$work" GOFLAGS= "$go_bin" install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >"$log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  for _ in $(seq 1 60); do
    sleep 1
    kill -0 "$pid" 2>/dev/null || break
  done
  if kill -0 "$pid" 2>/dev/null; then say "still building ($((SECONDS - start))s)..."; fi
done
if ! wait "$pid"; then
  say "build FAILED after $((SECONDS - start))s; last lines of $log:"
  tail -n 30 "$log" >&2
  exit 1
fi

mkdir -p "$out_dir"
mv "$work/helm" "$binary.tmp"
mv "$binary.tmp" "$binary"
rm -rf "$work"
say "built in $((SECONDS - start))s: $binary"
finish
