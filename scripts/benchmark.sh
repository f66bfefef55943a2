#!/usr/bin/env bash
# The JSON benchmark: the engine's own JSONEachRow insert against our pipe, same file, one run.
#   scripts/benchmark.sh [--events N] [--rounds R]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
bash scripts/fetch-chdb.sh >/dev/null
$MVN -q install -DskipTests
exec bash scripts/run-sample.sh dev.clickpipes.samples.JsonBenchmark "$@"
