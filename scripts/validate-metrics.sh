#!/usr/bin/env bash
# The seed's validate-metrics.sh: checks that a service's metrics are registered, its traces are
# emitted and every name follows the conventions. A thin wrapper over `datum-telemetry validate`
# (packages/cli); every argument is passed on. Relative paths are read from the current directory.
#   scripts/validate-metrics.sh --definition dist/telemetry.json --scenario scenario.json -- node dist/server.js
# With no argument, it validates the two demo services, apps/compute-api and apps/network-api, each
# with the scenario in its validate/ folder (scripts/validate-demo-services.mjs).
# Exit codes: 0 clean, 1 violations, 2 usage or start-up errors. See packages/cli/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/packages/cli/dist/bin.js"
if [[ ! -f "$bin" ]]; then
  echo "validate-metrics.sh: $bin is missing; build it first: pnpm turbo run build --filter=@datum-telemetry/cli" >&2
  exit 2
fi
if [[ $# -eq 0 ]]; then
  exec node "$root/scripts/validate-demo-services.mjs"
fi
exec node "$bin" validate "$@"
