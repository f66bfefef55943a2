#!/usr/bin/env bash
# Installs what the Azure Blob Storage tests of the object-store source run as a process:
#   - Azurite (npm azurite 3.37.0), Microsoft's official Azure Storage emulator, into
#     $CLICKPIPES_CACHE/azurite; the tests start node_modules/.bin/azurite-blob on 127.0.0.1.
# Idempotent: a second run only checks the installed version.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/env.sh

AZURITE_VERSION=3.37.0
ADIR="$CLICKPIPES_CACHE/azurite"
if [ ! -f "$ADIR/node_modules/azurite/package.json" ] || \
   ! grep -q "\"version\": \"$AZURITE_VERSION\"" "$ADIR/node_modules/azurite/package.json"; then
  echo "azurite: installing npm azurite@$AZURITE_VERSION into $ADIR"
  mkdir -p "$ADIR"
  [ -f "$ADIR/package.json" ] || echo '{"name":"clickpipes-azurite","private":true}' > "$ADIR/package.json"
  npm install --silent --no-audit --no-fund --prefix "$ADIR" "azurite@$AZURITE_VERSION"
fi
echo "azurite: $ADIR/node_modules/.bin/azurite-blob"
