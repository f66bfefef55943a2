#!/usr/bin/env bash
# Runs a program of the samples module on the reactor's own classes (compiled first, so a program never runs
# older code from ~/.m2): scripts/run-sample.sh CLASS [ARGS...]
# JFR=out.jfr records a profile of the run (JFR settings "profile") to read with `jfr print`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
main="$1"; shift
cp_file=samples/target/classpath.txt
# compile and build-classpath in one call: the sibling modules then resolve to their target/classes
$MVN -q -pl samples -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
exec java --enable-native-access=ALL-UNNAMED -Xmx2g ${JFR:+-XX:StartFlightRecording=filename=$JFR,settings=profile} -Dorg.slf4j.simpleLogger.defaultLogLevel="${CLICKPIPES_LOG_LEVEL:-warn}" \
  -Dclickpipes.chdb.lib="$CLICKPIPES_CACHE/chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so" \
  -cp "samples/target/classes:$(cat "$cp_file")" "$main" "$@"
