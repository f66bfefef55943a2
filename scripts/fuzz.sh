#!/usr/bin/env bash
# The long fuzz run (it compiles the test classes first):
#   scripts/fuzz.sh [SECONDS_PER_MODULE]     (default 300)
# Runs each fuzz program in its own JVM with a 256 MB heap (the goal: decoding stays under it
# whatever the input) and prints the inputs tried per decoder, rows / error records / bugs, and
# the heap figures. Exit status 1 when any bug was found (the input is printed, in hex, and kept
# whole under target/fuzz-failures/).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
seconds="${1:-300}"
status=0
# test-compile in the same session, so that the reactor's own modules resolve to their target/classes
$MVN -o -q -pl clickpipes-source-objectstore,clickpipes-format-avro,clickpipes-format-parquet -am test-compile \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz-classpath.txt >/dev/null
run() {
  local module="$1" main="$2"
  echo "== $module: $main"
  java -Xmx256m --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dclickpipes.chdb.lib="$CLICKPIPES_CACHE/chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so" \
    -Dclickpipes.corpus="$(cd .. && pwd)/shared/corpus" \
    -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/fuzz-classpath.txt")" \
    "$main" "$seconds" || status=1
}
# FUZZ_ONLY=parquet|avro|text runs one program
only="${FUZZ_ONLY:-all}"
[ "$only" = all ] || [ "$only" = text ] && run clickpipes-source-objectstore dev.clickpipes.source.objectstore.TextFuzzTest
[ "$only" = all ] || [ "$only" = avro ] && run clickpipes-format-avro dev.clickpipes.format.avro.AvroFuzzTest
[ "$only" = all ] || [ "$only" = parquet ] && run clickpipes-format-parquet dev.clickpipes.format.parquet.ParquetFuzzTest
exit $status
