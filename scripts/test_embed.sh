#!/usr/bin/env bash
# Installs storysift from BUILD_DIR into BUILD_DIR/install, builds the
# separate project examples/embed against the installed CMake package and
# checks its verdicts (dedup, then stories: the three seed articles form
# one story; then the batch jobs over the same documents in memory, with a
# reprint); also checks the pkg-config file resolves.
# Usage: scripts/test_embed.sh [BUILD_DIR]   (after the main build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"
prefix="$PWD/$build_dir/install"
rm -rf "$prefix" "$build_dir/embed"
cmake --install "$build_dir" --prefix "$prefix" > /dev/null
cmake -S examples/embed -B "$build_dir/embed" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" > /dev/null
cmake --build "$build_dir/embed" > /dev/null
out="$("$build_dir/embed/embed_example" "$build_dir/embed/example.idx" data/seeds)"
expected="wire-1 new
wire-2 new
site-7 duplicate_of wire-1 0.95
site-9 duplicate_of wire-1
size 3
wire-1 s0001 new Tuesday signalled increases year
wire-2 s0002 new evacuation across heavy several
000_8648b8e4cc17f650.txt s0003 new russia sessions trump said
001_b1bb489c0326580c.txt s0003 joins 0.38 Sessions Russia Russian Trump
002_7b26a201a710dbff.txt s0003 joins 0.43 Sessions Russia Trump Russian
stories 3 documents 5
job reprint-1 copy_of wire-1 1.00
job s0001 wire-1 reprint-1
job s0002 wire-2
job s0003 001_b1bb489c0326580c.txt 000_8648b8e4cc17f650.txt 002_7b26a201a710dbff.txt"
if [ "$out" != "$expected" ]; then
  echo "embed example: unexpected output:" >&2
  echo "$out" >&2
  exit 1
fi
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --exists --print-errors storysift
echo "embed example: OK (installed package at $prefix)"
