#!/usr/bin/env bash
# Installs storysift's build dependencies (Debian 12 packages only) and builds it.
# Usage: scripts/setup.sh [BUILD_DIR]   (run as root on a fresh machine; idempotent)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libabsl-dev libxxhash-dev libeigen3-dev libsimdjson-dev libcli11-dev
  libutf8proc-dev libstemmer-dev zlib1g-dev libzstd-dev liblzma-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev jq
  python3 chromium zstd xz-utils gzip
  python3-sklearn  # bench/peers (scikit-learn and scipy peers)
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

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$build_dir" -j "$(nproc)"
