#!/usr/bin/env bash
# The seed's scaffold-telemetry.sh: writes the telemetry wiring of a new service (set-up, the
# resource's metric definition and span helpers, the Express or Koa middleware hook-up). A thin
# wrapper over `datum-telemetry scaffold` (packages/cli); every argument is passed on.
#   scripts/scaffold-telemetry.sh --service compute --resource VirtualMachine --short vm --framework express --dir apps/compute-api
# Exit codes: 0 written, 1 changed files would be overwritten (use --force), 2 bad input.
set -euo pipefail
bin="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/packages/cli/dist/bin.js"
if [[ ! -f "$bin" ]]; then
  echo "scaffold-telemetry.sh: $bin is missing; build it first: pnpm turbo run build --filter=@datum-telemetry/cli" >&2
  exit 2
fi
exec node "$bin" scaffold "$@"
