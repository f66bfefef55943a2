#!/usr/bin/env bash
# Runs a program of the samples module (after a build): scripts/run-sample.sh CLASS [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
main="$1"; shift
cp_file=samples/target/classpath.txt
$MVN -q -pl samples dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
exec java --enable-native-access=ALL-UNNAMED -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel="${CLICKPIPES_LOG_LEVEL:-warn}" \
  -Dclickpipes.chdb.lib="$CLICKPIPES_CACHE/chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so" \
  -cp "samples/target/classes:$(cat "$cp_file")" "$main" "$@"
