#!/usr/bin/env bash
# The whole test suite: installs what it needs, then runs every module's tests. The tests start the
# real services they use (ClickHouse's HTTP server, the embedded engine) on loopback and stop them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
. scripts/env.sh
echo "== running the tests (JDK: $JAVA_HOME)"
$MVN verify -Dclickpipes.chdb.lib="$CLICKPIPES_CACHE/chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so" "$@"
# One closing line for the whole suite, added up over every module's surefire reports (the last
# module's own summary counts only that module).
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
tests = failed = skipped = 0
for f in glob.glob("*/target/surefire-reports/TEST-*.xml"):
    r = ET.parse(f).getroot()
    tests += int(r.get("tests", 0)); skipped += int(r.get("skipped", 0))
    failed += int(r.get("failures", 0)) + int(r.get("errors", 0))
print(f"suite: {tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
