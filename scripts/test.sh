#!/usr/bin/env bash
# Builds storysift (installing dependencies if missing) and runs every test
# with ctest, twice: the Release build, then a build with AddressSanitizer
# and UndefinedBehaviorSanitizer (build-asan/: -O1, no benchmarks; the
# slowest whole-corpus tests skipped via STORYSIFT_SKIP_SLOW_TESTS).
# Usage: scripts/test.sh [--no-sanitize]   (--no-sanitize: Release only,
# for a quick local run; CI runs both.)
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD"
sanitize=1
[ "${1:-}" = "--no-sanitize" ] && sanitize=0
jobs="$(nproc)"

# The Release build also makes the Python extension; ctest runs its pytest
# suite (python_tests). The sanitizer build leaves it out: an ASan-built
# extension cannot load into an uninstrumented python3.
./scripts/setup.sh build -DSTORYSIFT_BUILD_PYTHON=ON
ctest --test-dir build --output-on-failure -j "$jobs"
# The installed package, used from a separate project (examples/embed).
./scripts/test_embed.sh build

if [ "$sanitize" = 1 ]; then
  # -O1 keeps the instrumented build and its tests quick; no NDEBUG, so
  # asserts run too.
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Sanitize \
    -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" \
    -DSTORYSIFT_SANITIZE=ON -DSTORYSIFT_BUILD_BENCHMARKS=OFF
  cmake --build build-asan -j "$jobs"
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
  STORYSIFT_SKIP_SLOW_TESTS=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
fi
