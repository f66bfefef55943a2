#!/usr/bin/env bash
# Downloads chDB's libchdb.so (ClickHouse 26.5 as a library) for clickpipes-testkit's
# EmbeddedClickHouse, with the testkit's own installer (ChdbInstaller: the pinned npm package
# @chdb/lib-linux-x64-gnu, its sha512 checked, a file lock against concurrent runs).
#
#   scripts/fetch-chdb.sh          # prints the path of libchdb.so
#
# Idempotent: does nothing when the library is already there. The download is about 166 MB
# (534 MB unpacked). Where: ${CLICKPIPES_CACHE:-$HOME/.cache/clickpipes}/chdb, the same place the
# testkit downloads to on first use when no path is configured. A mirror of the npm registry:
# CLICKPIPES_NPM_REGISTRY=https://... . The installer uses the JDK only, so java runs its one
# source file here, before anything is built.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "fetch-chdb.sh: @chdb/lib-linux-x64-gnu is built for Linux x86-64 only; this is $(uname -s) $(uname -m)" >&2
  exit 1
fi
. scripts/env.sh
exec java -Dclickpipes.cache="$CLICKPIPES_CACHE" \
  clickpipes-testkit/src/main/java/dev/clickpipes/testkit/ChdbInstaller.java
