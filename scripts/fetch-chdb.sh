#!/usr/bin/env bash
# Downloads chDB's libchdb.so (ClickHouse 26.5 as a library) for clickpipes-testkit's
# EmbeddedClickHouse: npm package @chdb/lib-linux-x64-gnu, installed into a private folder.
#
#   scripts/fetch-chdb.sh          # prints the path of libchdb.so
#
# Idempotent: does nothing when the library is already there. The download is about 166 MB
# (534 MB unpacked). Needs npm. Where: ${CLICKPIPES_CACHE:-$HOME/.cache/clickpipes}/chdb.
# EmbeddedClickHouse looks there by default; elsewhere, pass -Dclickpipes.chdb.lib=<path>
# or set CLICKPIPES_CHDB_LIB.
set -euo pipefail

readonly PACKAGE="@chdb/lib-linux-x64-gnu"
readonly VERSION="26.5.3"
readonly CACHE="${CLICKPIPES_CACHE:-$HOME/.cache/clickpipes}"
readonly DIR="$CACHE/chdb"
readonly LIB="$DIR/node_modules/$PACKAGE/libchdb.so"

if [[ -f "$LIB" ]]; then
  echo "$LIB"
  exit 0
fi

if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "fetch-chdb.sh: $PACKAGE is built for Linux x86-64 only; this is $(uname -s) $(uname -m)" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-chdb.sh: npm is needed to download $PACKAGE@$VERSION (apt-get install -y npm)" >&2
  exit 1
fi

mkdir -p "$DIR"
# A private package.json, so npm installs here and not into some parent project.
if [[ ! -f "$DIR/package.json" ]]; then
  cat > "$DIR/package.json" <<EOF
{
  "name": "clickpipes-chdb",
  "private": true,
  "description": "libchdb.so for clickpipes-testkit, installed by scripts/fetch-chdb.sh"
}
EOF
fi

echo "fetch-chdb.sh: installing $PACKAGE@$VERSION into $DIR (about 166 MB)" >&2
(cd "$DIR" && npm install --no-audit --no-fund --save-exact "$PACKAGE@$VERSION" >&2)

if [[ ! -f "$LIB" ]]; then
  echo "fetch-chdb.sh: npm finished but $LIB is missing" >&2
  exit 1
fi
echo "$LIB"
