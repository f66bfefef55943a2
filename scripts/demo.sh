#!/usr/bin/env bash
# The demo: a million JSON events through a pipe into ClickHouse (embedded unless --url is given).
#   scripts/demo.sh [--events N] [--url http://host:8123 [--user U] [--password P]]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
bash scripts/fetch-chdb.sh >/dev/null
echo "== building"
$MVN -q install -DskipTests
exec bash scripts/run-sample.sh dev.clickpipes.samples.Demo "$@"
