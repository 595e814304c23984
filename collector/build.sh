#!/usr/bin/env bash
# Builds the o4o-otelcol collector distribution from collector/manifest.yaml with
# the OpenTelemetry Collector Builder (ocb).
#
# The binary goes to $O4O_CACHE/collector/<hash>/o4o-otelcol, where <hash> covers
# the manifest, the local components under collector/exporter/, and the ocb and
# Go versions. When that binary exists the build is skipped entirely.
#
# Usage:
#   collector/build.sh               build if needed; progress on stderr
#   collector/build.sh --print-path  same, then print only the binary path on stdout
#   collector/build.sh --force       rebuild even if the binary exists
#
# Environment: O4O_CACHE (default $HOME/.cache/o4o); Go and module caches are
# kept under $O4O_CACHE/go so later builds take seconds, not minutes.
set -euo pipefail

OCB_VERSION=v0.160.0 # must match the core module versions in manifest.yaml

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${O4O_CACHE:-$HOME/.cache/o4o}"
print_path=false
force=false
for arg in "$@"; do
  case "$arg" in
    --print-path) print_path=true ;;
    --force) force=true ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "collector/build.sh: unknown argument '$arg' (expected --print-path, --force)" >&2; exit 2 ;;
  esac
done

say() { echo "collector: $*" >&2; }

go_bin="$(command -v go || true)"
[[ -z "$go_bin" && -x /usr/local/go/bin/go ]] && go_bin=/usr/local/go/bin/go
if [[ -z "$go_bin" ]]; then
  say "Go not found (need Go 1.26 on PATH or at /usr/local/go/bin/go)"
  exit 1
fi

if ! grep -q "go.opentelemetry.io/collector/receiver/otlpreceiver $OCB_VERSION" "$here/manifest.yaml"; then
  say "manifest.yaml core modules are not at $OCB_VERSION: update OCB_VERSION in build.sh with them"
  exit 1
fi

export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/cache" GOTOOLCHAIN=local
mkdir -p "$GOMODCACHE" "$GOCACHE" "$cache/go/bin" "$cache/collector"

go_version="$("$go_bin" env GOVERSION)"
hash="$(
  {
    echo "$OCB_VERSION $go_version"
    cat "$here/manifest.yaml"
    # Local components: sources and module files, not tests.
    find "$here/exporter" -type f \( -name '*.go' ! -name '*_test.go' -o -name 'go.mod' -o -name 'go.sum' \) \
      -print0 | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-16
)"
out_dir="$cache/collector/$hash"
binary="$out_dir/o4o-otelcol"

finish() {
  if $print_path; then echo "$binary"; fi
}

if [[ -x "$binary" ]] && ! $force; then
  say "up to date: $binary"
  finish
  exit 0
fi

# One build at a time: start.sh and test/validate.sh may both ask for it.
exec 9>"$cache/collector/.build.lock"
if ! flock -n 9; then
  say "another build is running; waiting for it"
  flock 9
fi
if [[ -x "$binary" ]] && ! $force; then
  say "up to date: $binary (built by the other run)"
  finish
  exit 0
fi

ocb="$cache/go/bin/ocb-$OCB_VERSION"
if [[ ! -x "$ocb" ]]; then
  say "installing ocb $OCB_VERSION"
  GOBIN="$cache/go/bin/ocb-install" "$go_bin" install "go.opentelemetry.io/collector/cmd/builder@$OCB_VERSION"
  mv "$cache/go/bin/ocb-install/builder" "$ocb"
  rmdir "$cache/go/bin/ocb-install" 2>/dev/null || true
fi

work="$out_dir.work"
rm -rf "$work"
mkdir -p "$work"
log="$work/build.log"
sed "s#^\(  output_path:\).*#\1 $work/src#" "$here/manifest.yaml" >"$work/manifest.yaml"

say "building $hash (first build takes several minutes; log: $log)..."
start=$SECONDS
# ocb resolves local `path:` entries against the current directory.
(cd "$here" && PATH="$(dirname "$go_bin"):$PATH" "$ocb" --config "$work/manifest.yaml" --ldflags="-s -w") >"$log" 2>&1 &
builder_pid=$!
while kill -0 "$builder_pid" 2>/dev/null; do
  for _ in $(seq 1 60); do
    sleep 1
    kill -0 "$builder_pid" 2>/dev/null || break
  done
  if kill -0 "$builder_pid" 2>/dev/null; then
    step="$(grep -a 'INFO' "$log" | tail -n 1 | cut -f4 || true)"
    say "still building ($((SECONDS - start))s, ${step:-starting})..."
  fi
done
if ! wait "$builder_pid"; then
  say "build FAILED after $((SECONDS - start))s; last lines of $log:"
  tail -n 30 "$log" >&2
  exit 1
fi

mkdir -p "$out_dir"
mv "$work/src/o4o-otelcol" "$binary.tmp"
mv "$log" "$out_dir/build.log"
mv "$binary.tmp" "$binary"
rm -rf "$work"
say "built in $((SECONDS - start))s: $binary"
finish
