#!/usr/bin/env bash
# The one test command (npm test): tools, dependencies, test engine and registry, fixture images,
# build, then every vitest project (unit and e2e). Works without a TTY or stdin (CI=true).
# Extra arguments go to vitest, e.g. `npm test -- --project unit`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { printf '\n== %s\n' "$*" >&2; }

step "tools"
bash scripts/test-env/ensure-tools.sh

step "dependencies"
if [[ ! -d node_modules || ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund </dev/null
else
  echo "node_modules is up to date with package-lock.json" >&2
fi

step "test engine"
bash scripts/test-env/start-engine.sh

step "fixture images"
bash scripts/test-env/build-fixture-images.sh

step "build"
npm run build </dev/null

step "tests"
exec npx vitest run "$@" </dev/null
