#!/usr/bin/env bash
# prisma generate never needs the schema engine, but the CLI insists on finding one:
# point it at any existing file so nothing is downloaded (see docs/decisions/001).
set -euo pipefail
cd "$(dirname "$0")/.."
export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(node -p process.execPath)}"
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
exec npx --no-install prisma generate "$@"
