#!/usr/bin/env bash
# Prints the path of stripe-mock (Stripe's own mock of its API, which validates every request
# against Stripe's OpenAPI spec), building it once with `go install` into the same cache as
# the Temporal CLI unless STRIPE_MOCK names one. The version is pinned because its bundled
# spec is what the tests check our requests against; a stripe-mock on PATH is not picked up
# for that reason (it may carry another spec): point STRIPE_MOCK at it to use it anyway.
set -euo pipefail
version=v0.203.0
if [ -n "${STRIPE_MOCK:-}" ] && [ -x "$STRIPE_MOCK" ]; then echo "$STRIPE_MOCK"; exit 0; fi
cache="${VIGIE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/vigie}/bin"
if [ -x "$cache/stripe-mock" ]; then echo "$cache/stripe-mock"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "Go is needed to build stripe-mock (go install); install Go 1.22+ or set STRIPE_MOCK to a stripe-mock binary." >&2; exit 1; }
mkdir -p "$cache"
echo "Building stripe-mock $version with go install (first run only, under a minute)..." >&2
if GOBIN="$cache" go install "github.com/stripe/stripe-mock@$version" >&2; then
  echo "$cache/stripe-mock"; exit 0
fi
echo "Could not build stripe-mock with go install." >&2
exit 1
