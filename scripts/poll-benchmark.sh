#!/usr/bin/env bash
# What a continuous object-store poll costs with 1 000, 10 000 and 100 000 objects already loaded:
#   scripts/poll-benchmark.sh [N ...]
# Prints per coordination (one worker with a progress log, leases in any order, leases in lexical
# order, leases in any order fed by S3 notifications through SQS: ElasticMQ on 127.0.0.1:20921)
# the state bytes read and the time of the first poll after a start and of a poll that finds
# nothing new (median of 5 after a warm-up). Starts its own ZooKeeper on 127.0.0.1:20920 (KeeperMap).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
module=clickpipes-source-objectstore
$MVN -o -q -pl "$module" -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
java -Xmx2g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dclickpipes.zookeeper.port=20920 -Dclickpipes.chdb.zookeeper=127.0.0.1:20920 \
  -Dclickpipes.chdb.lib="$CLICKPIPES_CACHE/chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so" \
  -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench-classpath.txt")" \
  dev.clickpipes.source.objectstore.ObjectPollBenchmark "$@"
