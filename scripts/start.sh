#!/usr/bin/env bash
# `npm start`: dependencies if needed, a fresh bundle, then the app (arguments pass through).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh
node scripts/build.mjs
exec node bin/openmates.js "$@"
