#!/usr/bin/env bash
# Entry point of `npm start` and `npm test`: works on a fresh clone (installs npm
# dependencies and the Temporal CLI when missing), then hands over to the TypeScript
# orchestrators in scripts/.
set -euo pipefail
cd "$(dirname "$0")/.."
cmd="${1:-}"; shift || true
case "$cmd" in start|test) ;; *) echo "usage: scripts/vigie.sh start|test" >&2; exit 2 ;; esac

# npm ci when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[vigie] installing npm dependencies (npm ci)..."
  npm ci --no-audit --no-fund
fi
# Prisma's client is generated code (gitignored): regenerate when the schema is newer.
if [ ! -f generated/prisma/client.ts ] || [ prisma/schema.prisma -nt generated/prisma/client.ts ]; then
  bash scripts/prisma-generate.sh >/dev/null
fi
TEMPORAL_CLI="$(bash scripts/ensure-temporal.sh)"
export TEMPORAL_CLI
exec node_modules/.bin/tsx "scripts/$cmd.ts" "$@"
