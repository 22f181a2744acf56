#!/usr/bin/env bash
# Prints the path of a Temporal CLI, building it once with `go install` into a cache
# outside the repo when none is on PATH. Later tags than v1.5.1 carry a replace
# directive and cannot be go-installed; the older ones are fallbacks.
set -euo pipefail
if [ -n "${TEMPORAL_CLI:-}" ] && [ -x "$TEMPORAL_CLI" ]; then echo "$TEMPORAL_CLI"; exit 0; fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
cache="${VIGIE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/vigie}/bin"
if [ -x "$cache/temporal" ]; then echo "$cache/temporal"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "Go is needed to build the Temporal CLI (go install); install Go 1.22+ or put 'temporal' on PATH." >&2; exit 1; }
mkdir -p "$cache"
for version in v1.5.1 v1.4.1 v1.3.0; do
  echo "Building the Temporal CLI $version with go install (first run only, a few minutes)..." >&2
  if GOBIN="$cache" go install "github.com/temporalio/cli/cmd/temporal@$version" >&2; then
    echo "$cache/temporal"; exit 0
  fi
done
echo "Could not build the Temporal CLI with go install." >&2
exit 1
