#!/usr/bin/env bash
# install-peers.sh — install the external programs the refmysql peer tests and benchmarks use.
#
# Debian 12 packages only: MariaDB 10.11 server and client (the differential peer, the `mariadb`
# CLI and `mariadb-dump`), sysbench (bench/), openssl (TLS test material), iproute2 (`ss`,
# `ip`), chromium (the browser test of the spec site, test/site/) and python3-pymysql (PyMySQL,
# the Python client the performance_schema peer test drives).  Set WITH_MEMCACHED=1 to add memcached and libmemcached-tools,
# WITH_MTR=1 to add mariadb-test (MariaDB's mtr test files, for `npm run peers:mtr-innodb`).
#
# Properties:
#   * idempotent — asks dpkg which packages are missing; when none are, it exits at once
#     without touching the network (fast no-op for every CI run after the first);
#   * `apt-get update` runs at most once, and only when something must be installed;
#   * never starts a service: while apt runs, a policy-rc.d that denies every start is in place
#     (an existing one is left alone; one we add is removed afterwards).
# Requires root when something is missing.  Exit status is non-zero if installation fails.
set -euo pipefail

want=(mariadb-server mariadb-client sysbench openssl iproute2 chromium python3-pymysql)
if [[ ${WITH_MEMCACHED:-0} == 1 ]]; then want+=(memcached libmemcached-tools); fi
if [[ ${WITH_MTR:-0} == 1 ]]; then want+=(mariadb-test); fi

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

todo=()
for pkg in "${want[@]}"; do
  is_installed "$pkg" || todo+=("$pkg")
done

if (( ${#todo[@]} == 0 )); then
  echo "install-peers: all present (${want[*]})"
  exit 0
fi

if [[ $(id -u) != 0 ]]; then
  echo "install-peers: missing ${todo[*]} and not running as root; install them with apt-get" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
guard=/usr/sbin/policy-rc.d
added_guard=0
if [[ ! -e $guard ]]; then
  # 101 = "action forbidden": invoke-rc.d then skips starting the freshly installed daemons.
  printf '#!/bin/sh\nexit 101\n' >"$guard"
  chmod 755 "$guard"
  added_guard=1
fi
remove_guard() { if (( added_guard )); then rm -f "$guard"; fi; }
trap remove_guard EXIT

log=$(mktemp /tmp/install-peers.XXXXXX.log)
echo "install-peers: installing ${todo[*]} (log: $log)"
if ! apt-get update -qq >>"$log" 2>&1; then
  tail -20 "$log" >&2; echo "install-peers: apt-get update failed" >&2; exit 1
fi
if ! apt-get install -y -qq --no-install-recommends "${todo[@]}" >>"$log" 2>&1; then
  tail -30 "$log" >&2; echo "install-peers: apt-get install failed" >&2; exit 1
fi

for pkg in "${todo[@]}"; do
  is_installed "$pkg" || { echo "install-peers: $pkg still not installed" >&2; exit 1; }
done
echo "install-peers: done"
