#!/usr/bin/env bash
# The one test command (npm test): tools, dependencies, test engine and registry, fixture images,
# typecheck, build, then every vitest project (unit and e2e) on Compose v2, then the install, update, restart
# and upstream-like-stack e2e suites again on Compose v1 (OPENMATES_TEST_COMPOSE=v1). Works
# without a TTY or stdin (CI=true). Extra arguments go to vitest instead, e.g.
# `npm test -- --project unit` (one run, on $OPENMATES_TEST_COMPOSE, default v2).
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

step "typecheck (the CLI and the browser page)"
npm run typecheck </dev/null

step "build"
npm run build </dev/null

if (($# > 0)); then
  step "tests (vitest $*, Compose ${OPENMATES_TEST_COMPOSE:-v2})"
  exec npx vitest run "$@" </dev/null
fi

step "tests (Compose v2)"
OPENMATES_TEST_COMPOSE=v2 npx vitest run </dev/null

step "tests on Compose v1: install, update, restart, upstream-like stack"
OPENMATES_TEST_COMPOSE=v1 npx vitest run --project e2e \
  test/e2e/install.test.ts test/e2e/update.test.ts test/e2e/restart.test.ts test/e2e/upstream-like-stack.test.ts \
  test/e2e/compose-up-failure.test.ts </dev/null
