#!/bin/bash
# share.sh SYMBOL_REGEX ROUNDS BIN... -- ARGS : symbol's share of samples, alternated
sym=$1; rounds=$2; shift 2; bins=(); while [ "$1" != "--" ]; do bins+=("$1"); shift; done; shift
for r in $(seq $rounds); do for b in "${bins[@]}"; do
  perf record -o /tmp/tok13/s.data -F 4000 -- $b "$@" >/dev/null 2>&1
  echo "$b $(perf report -i /tmp/tok13/s.data --stdio --no-children --sort sym 2>/dev/null | grep -E "$sym" | head -1 | awk '{print $1}' | tr -d %)"
done; done
