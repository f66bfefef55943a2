#!/usr/bin/env bash
# The whole test suite: installs what it needs, then runs every module's tests. The tests start the
# real services they use (ClickHouse's HTTP server, the embedded engine) on loopback and stop them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
. scripts/env.sh
echo "== running the tests (JDK: $JAVA_HOME)"
$MVN verify -Dclickpipes.chdb.lib="$CLICKPIPES_CACHE/chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so" "$@"
