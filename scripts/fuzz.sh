#!/usr/bin/env bash
# Builds one libFuzzer target with clang, ASan and UBSan (in build-fuzz/) and
# fuzzes it on its corpus. Usage: scripts/fuzz.sh TARGET [SECONDS] [-- ARGS]
# TARGET is a name from tests/fuzz/CMakeLists.txt (jsonl_reader, csv_reader,
# date, normalize, html, idf_model, ...). New inputs go to
# build-fuzz/corpus/TARGET (the committed corpus is only read); crashes to
# build-fuzz/crashes/TARGET/. Copy a crash into tests/fuzz/corpus/TARGET/ as
# regress_<what> once it is fixed. ARGS go to libFuzzer (e.g. -jobs=2).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  sed -n '2,9p' "$0" >&2
  exit 2
fi
target="$1"
seconds="${2:-60}"
shift $(( $# >= 2 ? 2 : 1 ))
[ "${1:-}" = "--" ] && shift
build_dir="${STORYSIFT_FUZZ_BUILD_DIR:-build-fuzz}"
export CCACHE_BASEDIR="$PWD"

if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSTORYSIFT_BUILD_FUZZERS=ON -DSTORYSIFT_SANITIZE=ON \
    -DSTORYSIFT_BUILD_BENCHMARKS=OFF
fi
cmake --build "$build_dir" --target "fuzz_$target" -j "$(nproc)"

seed_corpus="tests/fuzz/corpus/$target"
work_corpus="$build_dir/corpus/$target"
crashes="$build_dir/crashes/$target"
mkdir -p "$work_corpus" "$crashes"
binary="$(find "$build_dir" -name "fuzz_$target" -type f -perm -u+x | head -n1)"
echo "fuzzing $target for ${seconds}s (corpus $seed_corpus, new inputs in $work_corpus)"
# New inputs go to the first directory; the committed seeds are read too.
exec "$binary" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$crashes/" -print_final_stats=1 "$@" "$work_corpus" "$seed_corpus"
