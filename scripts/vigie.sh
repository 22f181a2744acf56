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
  # Some registry mirrors lack other platforms' optional packages (e.g. @swc/core-darwin-*),
  # which npm ci reads as a lockfile out of sync; npm install then installs the same locked versions.
  if ! npm ci --no-audit --no-fund; then
    echo "[vigie] npm ci refused the lockfile; installing the locked versions with npm install"
    npm install --no-audit --no-fund
  fi
fi
# Prisma's client is generated code (gitignored): regenerate when the schema is newer.
if [ ! -f generated/prisma/client.ts ] || [ prisma/schema.prisma -nt generated/prisma/client.ts ]; then
  bash scripts/prisma-generate.sh >/dev/null
fi
TEMPORAL_CLI="$(bash scripts/ensure-temporal.sh)"
export TEMPORAL_CLI
exec node_modules/.bin/tsx "scripts/$cmd.ts" "$@"
