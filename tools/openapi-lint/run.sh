#!/usr/bin/env bash
# The spec's two checks, run by ctest: `run.sh lint` (Redocly's recommended-strict rules over
# api/openapi.yaml) and `run.sh responses ONECARD` (every route's real answers validated against
# the spec). The npm packages come from package-lock.json (scripts/install-deps.sh runs npm ci).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
spec="$here/../../api/openapi.yaml"
if ! command -v node >/dev/null; then
  echo "node is not installed: run scripts/install-deps.sh" >&2
  exit 1
fi
if [ ! -d "$here/node_modules/@redocly/cli" ] || [ ! -d "$here/node_modules/ajv" ]; then
  echo "tools/openapi-lint/node_modules is missing: run scripts/install-deps.sh (npm ci)" >&2
  exit 1
fi
case "${1:-}" in
  lint)
    cd "$here"
    node node_modules/@redocly/cli/bin/cli.js lint --config redocly.yaml "$spec"
    ;;
  responses)
    node "$here/check-responses.mjs" "$2" "$spec"
    ;;
  *)
    echo "usage: run.sh lint | run.sh responses ONECARD_BINARY" >&2
    exit 2
    ;;
esac
