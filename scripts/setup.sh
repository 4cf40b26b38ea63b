#!/usr/bin/env bash
# Installs storysift's build dependencies (Debian 12 packages only) and builds it.
# Usage: scripts/setup.sh [BUILD_DIR [CMAKE_ARGS...]]   (run as root on a fresh
# machine; idempotent). scripts/test.sh adds -DSTORYSIFT_BUILD_PYTHON=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"
cmake_args=("${@:2}")

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libabsl-dev libxxhash-dev libeigen3-dev libsimdjson-dev libcli11-dev
  libutf8proc-dev libstemmer-dev zlib1g-dev libzstd-dev liblzma-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libjemalloc-dev  # the CLI's allocator
  clang libclang-rt-14-dev jq
  python3 chromium zstd xz-utils gzip
  python3-sklearn  # bench/peers (scikit-learn and scipy peers)
  # The Python package (python/, pip install --no-build-isolation .) and its tests.
  python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pandas python3-dask
  python3-distributed python3-pytest python3-pip python3-venv python3-setuptools python3-wheel
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${cmake_args[@]}"
cmake --build "$build_dir" -j "$(nproc)"
