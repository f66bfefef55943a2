#!/usr/bin/env bash
# Insert bodies plain, LZ4 and ZSTD over HTTP: bytes on the wire per row, wall and insert time, pipe CPU.
#   scripts/compression-benchmark.sh [--events N] [--rounds R] [--port P]
# Builds this checkout in one reactor and runs on its own jars: nothing is installed into ~/.m2,
# so the figures are of this tree's code, not of whatever another checkout installed last.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
bash scripts/fetch-chdb.sh >/dev/null
$MVN -q package -DskipTests -pl samples -am dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
exec java --enable-native-access=ALL-UNNAMED -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel="${CLICKPIPES_LOG_LEVEL:-warn}" \
  -Dclickpipes.chdb.lib="$CLICKPIPES_CACHE/chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so" \
  -cp "samples/target/classes:$(cat samples/target/classpath.txt)" dev.clickpipes.samples.CompressionBenchmark "$@"
