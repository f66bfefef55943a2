#!/usr/bin/env bash
# The CPU of one thread reading a Parquet file into column buffers, bulk page decoders against parquet-java's
# column reader (FlatDecodeBenchmark, a test-scope program of clickpipes-format-parquet). The file defaults to
# ObjectStoreBenchmark's (scripts/run-sample.sh dev.clickpipes.samples.ObjectStoreBenchmark writes it):
#   scripts/parquet-decode-benchmark.sh [FILE] [--rounds R]
# JFR=out.jfr records a profile of the run (JFR settings "profile") to read with `jfr print`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
cp_file=clickpipes-format-parquet/target/test-classpath.txt
$MVN -q -pl clickpipes-format-parquet -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/test-classpath.txt >/dev/null
exec java -Xmx2g ${JFR:+-XX:StartFlightRecording=filename=$JFR,settings=profile} -cp "clickpipes-format-parquet/target/test-classes:clickpipes-format-parquet/target/classes:$(cat "$cp_file")" \
  dev.clickpipes.format.parquet.FlatDecodeBenchmark "$@"
