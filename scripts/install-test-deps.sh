#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine: Debian's clickhouse-server (the real HTTP
# server the transport tests start on their own ports), chDB's engine (the testkit's installer, from the npm registry), and Maven dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

if ! command -v clickhouse-server >/dev/null 2>&1 && [ ! -x /usr/sbin/clickhouse-server ]; then
  echo "== installing Debian's clickhouse-server"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  # The package's own service start is refused without systemd; the tests start their own server.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q clickhouse-server || \
    [ -x /usr/sbin/clickhouse-server ]
fi

echo "== fetching chDB (the embedded ClickHouse engine)"
bash scripts/fetch-chdb.sh

# Each source module's own services (npm packages, Maven artifacts run as processes).
for deps in scripts/deps/*.sh; do
  [ -e "$deps" ] || continue
  echo "== $deps"
  bash "$deps"
done

echo "== resolving Maven dependencies"
$MVN -q install -DskipTests
