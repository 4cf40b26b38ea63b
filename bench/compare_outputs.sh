#!/usr/bin/env bash
# Usage: bench/compare_outputs.sh NEW_BIN OLD_BIN INPUT...
# Byte-compares what two storysift binaries write for each INPUT at 1 and 2
# threads: dedup, dedup --pairs, cluster, index build + query, and
# cluster --state (every state file but the timestamped MANIFEST). Prints a
# DIFF line per difference and exits 1 if there is any. For speed work whose
# output must not change (docs/performance.md).
set -u
new=${1:?usage: compare_outputs.sh NEW_BIN OLD_BIN INPUT...}
old=${2:?}
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
files="dedup.jsonl pairs.tsv cluster.jsonl index.bin query.jsonl state.jsonl state.bytes"
for input in "$@"; do
  for t in 1 2; do
    for which in new old; do
      bin=${!which}
      d=$work/$which
      rm -rf "$d" && mkdir -p "$d"
      "$bin" dedup --quiet --threads $t -o "$d/dedup.jsonl" "$input"
      "$bin" dedup --quiet --threads $t --pairs -o "$d/pairs.tsv" "$input"
      "$bin" cluster --quiet --threads $t -o "$d/cluster.jsonl" "$input"
      "$bin" index build --quiet --threads $t -o "$d/index.bin" "$input"
      "$bin" index query --quiet "$d/index.bin" "$input" > "$d/query.jsonl"
      "$bin" cluster --quiet --threads $t --state "$d/state" -o "$d/state.jsonl" "$input"
      (cd "$d/state" && find . -type f ! -name LOCK ! -name MANIFEST | sort | xargs cat) \
        > "$d/state.bytes"
    done
    for f in $files; do
      if ! cmp -s "$work/new/$f" "$work/old/$f"; then
        echo "DIFF $input threads=$t $f"
        fail=1
      fi
    done
    echo "compared $input threads=$t"
  done
done
[ $fail = 0 ] && echo "all identical"
exit $fail
