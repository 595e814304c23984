#!/usr/bin/env bash
# Installs the Debian packages the tests and the local stack need, when missing:
# PostgreSQL (database tests), Prometheus with promtool, Alertmanager with amtool,
# the blackbox exporter (uptime probes), envsubst (alerting config), acl.
# Idempotent: with everything present it does nothing and asks no registry.
set -euo pipefail

wanted=(postgresql prometheus prometheus-alertmanager prometheus-blackbox-exporter gettext-base acl)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (${wanted[*]})"
  exit 0
fi

echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-o DPkg::Lock::Timeout=300 -qq)
apt-get "${apt_opts[@]}" update
# The packages' own services are not started here: tests and the stack start
# their own instances on loopback with their own data folders.
if [ ! -x /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: done"
