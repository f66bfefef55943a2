#!/usr/bin/env bash
# The whole test suite: installs what it needs, then runs every module's tests. The tests start the
# real services they use (ClickHouse's HTTP server, the embedded engine) on loopback and stop them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
. scripts/env.sh
echo "== running the tests (JDK: $JAVA_HOME)"
$MVN verify -Dclickpipes.chdb.lib="$CLICKPIPES_CACHE/chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so" "$@"

# A user's project, outside the reactor: it imports clickpipes-bom at this version from the local
# repository (install-test-deps.sh installed the reactor) and gets nothing else from this checkout.
# Its engine cache starts empty, so the testkit's own download from npm runs here every time.
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
consumer_cache=$(mktemp -d)
trap 'rm -rf "$consumer_cache"' EXIT
echo "== the consumer project samples/consumer (clickpipes $version, empty engine cache $consumer_cache)"
CLICKPIPES_CACHE="$consumer_cache" $MVN -f samples/consumer/pom.xml verify -Dclickpipes.version="$version"
# One closing line for the whole suite, added up over every module's surefire reports (the last
# module's own summary counts only that module).
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
tests = failed = skipped = 0
for f in glob.glob("*/target/surefire-reports/TEST-*.xml") + glob.glob("samples/consumer/target/surefire-reports/TEST-*.xml"):
    r = ET.parse(f).getroot()
    tests += int(r.get("tests", 0)); skipped += int(r.get("skipped", 0))
    failed += int(r.get("failures", 0)) + int(r.get("errors", 0))
print(f"suite: {tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
