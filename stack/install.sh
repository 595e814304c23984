#!/usr/bin/env bash
# Installs the local observability stack's programs; every step is skipped when
# already done, so running it again is quick.
#
#   Prometheus 2.42, Alertmanager 0.25, blackbox exporter   Debian packages
#   Jaeger v2.13 (module v1.76.0)                            built with Go into $O4O_CACHE/jaeger
#   Elasticsearch 7.17 (server + transport-netty4 jars)      Maven Central into $O4O_CACHE/search
#   o4o-otelcol collector                                    collector/build.sh into $O4O_CACHE/collector
#
# Needs root for apt-get and, as root, creates the system user that runs
# Elasticsearch (it refuses to run as root). Nothing is written to the repository.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

go_bin="$(command -v go || echo /usr/local/go/bin/go)"
[[ -x "$go_bin" ]] || die "Go not found (need Go 1.26 on PATH or at /usr/local/go/bin/go)"
export GOMODCACHE="$O4O_CACHE/go/mod" GOCACHE="$O4O_CACHE/go/cache" GOTOOLCHAIN=local

install_debian_packages() {
  local packages=(prometheus prometheus-alertmanager prometheus-blackbox-exporter acl) missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    say "Debian packages present: ${packages[*]}"
    return
  fi
  [[ $EUID -eq 0 ]] || die "missing Debian packages ${missing[*]}: run this script as root"
  say "installing Debian packages: ${missing[*]}"
  # The packages' maintainer scripts would start system services on 0.0.0.0;
  # this stack runs its own instances on 127.0.0.1, so forbid service starts.
  local policy=/usr/sbin/policy-rc.d added_policy=false
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added_policy=true
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  say "updating package lists"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  if $added_policy; then rm -f "$policy" && trap - EXIT; fi
  say "Debian packages installed"
}

install_jaeger() {
  if [[ -x "$JAEGER_BIN" ]]; then
    say "Jaeger present: $JAEGER_BIN"
    return
  fi
  # A throwaway module pins Jaeger as a Go tool: `go install ...@v2.x` fails
  # because Jaeger v2 is published without a /v2 module path.
  local mod="$O4O_CACHE/jaeger/mod" start=$SECONDS
  mkdir -p "$mod"
  say "building Jaeger $JAEGER_MODULE_VERSION (first build takes several minutes; log: $O4O_CACHE/jaeger/build.log)..."
  (
    cd "$mod"
    [[ -f go.mod ]] || "$go_bin" mod init o4o.local/jaeger-build
    "$go_bin" get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_MODULE_VERSION"
    "$go_bin" build -ldflags="-s -w" -o "$JAEGER_BIN.tmp" github.com/jaegertracing/jaeger/cmd/jaeger
  ) >"$O4O_CACHE/jaeger/build.log" 2>&1 || {
    tail -n 20 "$O4O_CACHE/jaeger/build.log" >&2
    die "Jaeger build failed; see $O4O_CACHE/jaeger/build.log"
  }
  mv "$JAEGER_BIN.tmp" "$JAEGER_BIN"
  say "Jaeger built in $((SECONDS - start))s: $JAEGER_BIN"
}

install_elasticsearch() {
  if [[ -f "$ES_HOME/.installed" ]]; then
    say "Elasticsearch $ES_VERSION present: $ES_HOME"
  else
    command -v mvn >/dev/null || die "Maven (mvn) not found: it fetches the Elasticsearch jars"
    say "fetching Elasticsearch $ES_VERSION jars from Maven Central..."
    local work="$O4O_CACHE/search/fetch-$ES_VERSION"
    rm -rf "$work" "$ES_HOME"
    mkdir -p "$work"
    # Server and its HTTP module (transport-netty4) with their dependencies; the
    # distribution's other modules (x-pack, painless, ingest...) are left out.
    cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.o4o</groupId><artifactId>search-node</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.elasticsearch</groupId><artifactId>elasticsearch</artifactId><version>$ES_VERSION</version></dependency>
    <dependency><groupId>org.elasticsearch.plugin</groupId><artifactId>transport-netty4-client</artifactId><version>$ES_VERSION</version></dependency>
  </dependencies>
</project>
EOF
    mvn -q -B -f "$work/pom.xml" -Dmaven.repo.local="$O4O_CACHE/m2" \
      dependency:copy-dependencies -DoutputDirectory="$work/lib" >"$work/maven.log" 2>&1 || {
      tail -n 20 "$work/maven.log" >&2
      die "Maven could not fetch the Elasticsearch jars; see $work/maven.log"
    }
    mkdir -p "$ES_HOME/lib" "$ES_HOME/modules/transport-netty4" "$ES_HOME/plugins" "$ES_HOME/bin"
    local jar
    for jar in "$work"/lib/*.jar; do
      case "$(basename "$jar")" in
        netty-* | transport-netty4-*) cp "$jar" "$ES_HOME/modules/transport-netty4/" ;;
        *) cp "$jar" "$ES_HOME/lib/" ;;
      esac
    done
    rm -rf "$work"
    echo "$ES_VERSION" >"$ES_HOME/.installed"
    say "Elasticsearch $ES_VERSION assembled: $ES_HOME"
  fi
  # The descriptor and security policy a distribution ships beside the module's
  # jars; rewritten on every run. Netty needs setContextClassLoader to shut down.
  cat >"$ES_HOME/modules/transport-netty4/plugin-descriptor.properties" <<EOF
description=Netty 4 based transport and HTTP implementation
version=$ES_VERSION
name=transport-netty4
classname=org.elasticsearch.transport.Netty4Plugin
java.version=1.8
elasticsearch.version=$ES_VERSION
extended.plugins=
has.native.controller=false
licensed=false
type=isolated
EOF
  cat >"$ES_HOME/modules/transport-netty4/plugin-security.policy" <<'EOF'
grant {
  permission java.lang.RuntimePermission "accessClassInPackage.sun.misc";
  permission java.lang.RuntimePermission "accessDeclaredMembers";
  permission java.lang.RuntimePermission "getClassLoader";
  permission java.lang.RuntimePermission "setContextClassLoader";
  permission java.lang.reflect.ReflectPermission "suppressAccessChecks";
  permission java.net.SocketPermission "*", "accept,connect";
  permission java.util.PropertyPermission "*", "read";
};
EOF
  if [[ $EUID -eq 0 ]]; then
    if ! id "$SEARCH_USER" >/dev/null 2>&1; then
      say "creating system user $SEARCH_USER (Elasticsearch refuses to run as root)"
      useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$SEARCH_USER"
    fi
    chmod -R a+rX "$ES_HOME"
    grant_traverse "$SEARCH_USER" "$ES_HOME/lib"
  fi
}

install_collector() {
  "$REPO_ROOT/collector/build.sh" >/dev/null
}

install_debian_packages
install_elasticsearch
install_jaeger
install_collector
say "install complete"
