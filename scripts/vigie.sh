#!/usr/bin/env bash
# Entry point of `npm start` and `npm test`: works on a fresh clone (installs npm
# dependencies and the Go tools when missing, all at once), then hands over to the
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

# The Go tools build while npm installs, each once into ~/.cache/vigie/bin: the Temporal CLI
# (a few minutes on a fresh machine) and, for the tests, stripe-mock (under a minute).
builds_started=$SECONDS
cli_path=.cache/temporal-cli.path
cli_log=.cache/temporal-build.log
rm -f "$cli_path"
bash scripts/ensure-temporal.sh >"$cli_path" 2>"$cli_log" &
cli_pid=$!
if [ "$cmd" = test ]; then
  mock_path=.cache/stripe-mock.path
  mock_log=.cache/stripe-mock-build.log
  rm -f "$mock_path"
  bash scripts/ensure-stripe-mock.sh >"$mock_path" 2>"$mock_log" &
  mock_pid=$!
fi

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

# Wait for a tool's build, saying how long it has been running. A tool already built answers
# at once: nothing is said unless the build is still going after a second.
await_build() { # what pid path-file log-file
  local what=$1 pid=$2 path_file=$3 log_file=$4 ticks=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
    ticks=$(( ticks + 1 ))
    if (( ticks == 10 )); then say "building $what with go install (first run only; output in $log_file)..."; fi
    if (( ticks > 10 && ticks % 200 == 0 )); then say "  still building $what: $(took "$builds_started") so far"; fi
  done
  if ! wait "$pid"; then
    tail -n 40 "$log_file" >&2
    say "could not get $what; full output in $log_file" >&2
    exit 1
  fi
  if (( ticks >= 10 )); then say "$what built in $(took "$builds_started"): $(tail -n 1 "$path_file")"; fi
}
await_build "the Temporal CLI" "$cli_pid" "$cli_path" "$cli_log"
TEMPORAL_CLI="$(tail -n 1 "$cli_path")"
export TEMPORAL_CLI
if [ "$cmd" = test ]; then
  await_build stripe-mock "$mock_pid" "$mock_path" "$mock_log"
  STRIPE_MOCK="$(tail -n 1 "$mock_path")"
  export STRIPE_MOCK
fi
say "ready to $cmd after $(took "$started_at")"
exec node_modules/.bin/tsx "scripts/$cmd.ts" "$@"
