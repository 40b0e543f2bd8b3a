#!/usr/bin/env bash
# `npm run bench`: the same engine, registry and fixture images as the tests, then the benchmarks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/test-env/ensure-tools.sh
bash scripts/ensure-deps.sh
bash scripts/test-env/start-engine.sh
bash scripts/test-env/build-fixture-images.sh
node scripts/build.mjs
exec npx tsx bench/run.ts "$@" </dev/null
