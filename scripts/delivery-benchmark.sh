#!/usr/bin/env bash
# Exactly-once against at-least-once, same file, same table, one run (KeeperMap state on a real ZooKeeper).
#   scripts/delivery-benchmark.sh [--events N] [--rounds R] [--batch ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
bash scripts/fetch-chdb.sh >/dev/null
$MVN -q install -DskipTests
exec bash scripts/run-sample.sh dev.clickpipes.samples.DeliveryBenchmark "$@"
