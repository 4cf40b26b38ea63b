#!/usr/bin/env bash
# Builds storysift (installing dependencies if missing) and runs every test
# with ctest. Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD"
./scripts/setup.sh build
ctest --test-dir build --output-on-failure -j "$(nproc)"
# The installed package, used from a separate project (examples/embed).
./scripts/test_embed.sh build
