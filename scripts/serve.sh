#!/usr/bin/env bash
# README command 1: build the engine (installing what is missing) and serve the page on
# http://localhost:8080/ (PORT=... overrides; HOST defaults to 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
echo
echo "Open http://localhost:${PORT:-8080}/ in a browser."
exec node scripts/serve.mjs
