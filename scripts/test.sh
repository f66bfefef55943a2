#!/usr/bin/env bash
# The whole test suite: installs what it needs, then runs every module's tests. The tests start the
# real services they use (ClickHouse's HTTP server, the embedded engine) on loopback and stop them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
. scripts/env.sh
echo "== running the tests (JDK: $JAVA_HOME)"
$MVN verify -Dclickpipes.chdb.lib="$CLICKPIPES_CACHE/chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so" "$@"

# The testkit targets Java 17 and binds the engine through JNA there: its own tests once more on a
# JDK 17 when there is one (the run above used the FFM binding).
jdk17=""
for candidate in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/temurin-17-jdk*; do
  if [ -x "$candidate/bin/java" ]; then jdk17="$candidate"; break; fi
done
if [ -n "$jdk17" ]; then
  echo "== clickpipes-testkit's tests on $jdk17 (the JNA binding)"
  reports=clickpipes-testkit/target/surefire-reports
  rm -rf "$reports-ffm" "$reports-jdk17"
  mv "$reports" "$reports-ffm" # this run writes its own; both count in the closing line
  $MVN verify -pl clickpipes-testkit -Djvm="$jdk17/bin/java" -Dmaven.javadoc.skip \
    -Dclickpipes.chdb.lib="$CLICKPIPES_CACHE/chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so"
  mv "$reports" "$reports-jdk17"
  mv "$reports-ffm" "$reports"
fi

# A user's project, outside the reactor: it imports clickpipes-bom at this version from the local
# repository (install-test-deps.sh installed the reactor) and gets nothing else from this checkout.
# Its tests run on this JDK (the FFM binding) and on a JDK 17 when there is one (JNA), each with an
# empty engine cache, so the testkit's own download from npm runs here every time.
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
consumer_caches=()
trap 'rm -rf "${consumer_caches[@]}"' EXIT
for test_jvm in "$JAVA_HOME" ${jdk17:+"$jdk17"}; do
  cache=$(mktemp -d)
  consumer_caches+=("$cache")
  echo "== the consumer project samples/consumer (clickpipes $version; tests on $test_jvm; empty engine cache $cache)"
  CLICKPIPES_CACHE="$cache" $MVN -f samples/consumer/pom.xml clean verify -Dclickpipes.version="$version" \
    -Djvm="$test_jvm/bin/java"
  # kept for the closing count: the next run's clean removes the consumer's target/
  mkdir -p "target/consumer-reports/$(basename "$test_jvm")"
  cp samples/consumer/target/surefire-reports/TEST-*.xml "target/consumer-reports/$(basename "$test_jvm")/"
  rm -rf "$cache"
done
[ -n "$jdk17" ] || echo "== no JDK 17 under /usr/lib/jvm: the consumer's tests ran on $JAVA_HOME only"

# One closing line for the whole suite, added up over every module's surefire reports (the last
# module's own summary counts only that module).
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
tests = failed = skipped = 0
for f in (glob.glob("*/target/surefire-reports/TEST-*.xml") + glob.glob("*/target/surefire-reports-jdk17/TEST-*.xml")
          + glob.glob("target/consumer-reports/*/TEST-*.xml")):
    r = ET.parse(f).getroot()
    tests += int(r.get("tests", 0)); skipped += int(r.get("skipped", 0))
    failed += int(r.get("failures", 0)) + int(r.get("errors", 0))
print(f"suite: {tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
