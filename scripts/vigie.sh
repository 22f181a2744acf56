#!/usr/bin/env bash
# Entry point of `npm start` and `npm test`: works on a fresh clone (installs npm
# dependencies and the Temporal CLI when missing, both at once), then hands over to the
# TypeScript orchestrators in scripts/. Each step says what it does and how long it took;
# the tools' own output goes to .cache/*.log and is shown only when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
cmd="${1:-}"; shift || true
case "$cmd" in start|test) ;; *) echo "usage: scripts/vigie.sh start|test" >&2; exit 2 ;; esac
mkdir -p .cache

started_at=$SECONDS
say() { echo "[vigie] $*"; }
took() { echo "$(( SECONDS - $1 )) s"; }

# The Temporal CLI (a Go build of a few minutes on a fresh machine) builds while npm installs.
cli_path=.cache/temporal-cli.path
cli_log=.cache/temporal-build.log
rm -f "$cli_path"
cli_started=$SECONDS
bash scripts/ensure-temporal.sh >"$cli_path" 2>"$cli_log" &
cli_pid=$!

# npm ci when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  t=$SECONDS
  say "installing npm dependencies (npm ci; output in .cache/npm-install.log)..."
  if ! npm ci --no-audit --no-fund >.cache/npm-install.log 2>&1; then
    # Some registry mirrors lack other platforms' optional packages (e.g. @swc/core-darwin-*),
    # which npm ci reads as a lockfile out of sync; npm install then installs the same locked versions.
    say "npm ci refused the lockfile ($(grep -m1 -oE 'npm error [^(]{0,80}' .cache/npm-install.log | sed 's/npm error //' || echo 'see the log')); installing the locked versions with npm install"
    if ! npm install --no-audit --no-fund >>.cache/npm-install.log 2>&1; then
      tail -n 40 .cache/npm-install.log >&2
      say "npm install failed; full output in .cache/npm-install.log" >&2
      exit 1
    fi
  fi
  say "npm dependencies installed in $(took "$t")"
fi
# Prisma's client is generated code (gitignored): regenerate when the schema is newer.
if [ ! -f generated/prisma/client.ts ] || [ prisma/schema.prisma -nt generated/prisma/client.ts ]; then
  t=$SECONDS
  bash scripts/prisma-generate.sh >.cache/prisma-generate.log 2>&1 || { cat .cache/prisma-generate.log >&2; exit 1; }
  say "Prisma client generated in $(took "$t")"
fi

# Wait for the CLI build, saying how long it has been running.
announced=0
while kill -0 "$cli_pid" 2>/dev/null; do
  if [ "$announced" -eq 0 ]; then say "building the Temporal CLI with go install (first run only; output in $cli_log)..."; announced=1; fi
  sleep 1
  elapsed=$(( SECONDS - cli_started ))
  if (( elapsed % 20 == 0 )); then say "  still building the Temporal CLI: ${elapsed} s so far"; fi
done
if ! wait "$cli_pid"; then
  tail -n 40 "$cli_log" >&2
  say "could not get a Temporal CLI; full output in $cli_log" >&2
  exit 1
fi
TEMPORAL_CLI="$(tail -n 1 "$cli_path")"
export TEMPORAL_CLI
if [ "$announced" -eq 1 ]; then say "Temporal CLI built in $(took "$cli_started"): $TEMPORAL_CLI"; fi
say "ready to $cmd after $(took "$started_at")"
exec node_modules/.bin/tsx "scripts/$cmd.ts" "$@"
